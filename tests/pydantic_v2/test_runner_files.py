"""The file runner: which files it visits, what it reports per file, and the process pool."""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path

import pytest

from fastapi_architect.pydantic_v2 import migrate_source, runner
from fastapi_architect.pydantic_v2.runner import Status, Task

V1_MODEL = """from pydantic import BaseModel, validator


class User(BaseModel):
    name: str

    @validator("name", pre=True)
    def strip(cls, v):
        return v.strip()
"""

PLAIN = "def add(a, b):\n    return a + b\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def test_discovery_skips_vcs_virtualenvs_dependencies_and_build_folders(tmp_path: Path) -> None:
    kept = write(tmp_path / "app" / "models.py", V1_MODEL)
    for folder in (".git", ".venv", "venv", "node_modules", "build", "dist", "__pycache__"):
        write(tmp_path / folder / "models.py", V1_MODEL)
    write(tmp_path / "pkg.egg-info" / "x.py", V1_MODEL)
    custom_env = tmp_path / "my-env"
    write(custom_env / "pyvenv.cfg", "home = /usr\n")
    write(custom_env / "lib" / "models.py", V1_MODEL)
    write(tmp_path / "app" / "README.md", "not python")

    assert runner.discover([tmp_path]) == [kept]


def test_discovery_includes_named_files_once_and_enters_named_skipped_folders(
    tmp_path: Path,
) -> None:
    script = write(tmp_path / "tool", "x = 1\n")  # named explicitly: taken without .py
    inside_build = write(tmp_path / "build" / "gen.py", PLAIN)
    module = write(tmp_path / "src" / "m.py", PLAIN)

    found = runner.discover([script, tmp_path / "build", tmp_path / "src", module])

    assert found == sorted([script, inside_build, module])


def test_missing_path_yields_nothing(tmp_path: Path) -> None:
    assert runner.discover([tmp_path / "nope"]) == []


def test_file_without_v1_markers_is_unchanged_and_not_rewritten(tmp_path: Path) -> None:
    path = write(tmp_path / "plain.py", PLAIN)
    before = path.stat().st_mtime_ns

    result = runner.process_file(path, Task(write=True))

    assert result.status is Status.UNCHANGED
    assert path.stat().st_mtime_ns == before


def test_v1_file_is_rewritten_in_place(tmp_path: Path) -> None:
    path = write(tmp_path / "models.py", V1_MODEL)

    result = runner.process_file(path, Task(write=True))

    assert result.status is Status.CHANGED
    assert path.read_text(encoding="utf-8") == migrate_source(V1_MODEL)
    assert "@field_validator" in path.read_text(encoding="utf-8")


def test_dry_run_reports_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "models.py", V1_MODEL)

    result = runner.process_file(path, Task(diff=True))

    assert result.status is Status.CHANGED
    assert result.diff is not None
    assert '-    @validator("name", pre=True)' in result.diff
    assert '+    @field_validator("name", mode="before")' in result.diff
    assert path.read_text(encoding="utf-8") == V1_MODEL


def test_crlf_line_endings_and_byte_order_mark_are_kept(tmp_path: Path) -> None:
    crlf = "\ufeff" + V1_MODEL.replace("\n", "\r\n")
    path = write(tmp_path / "models.py", crlf)

    result = runner.process_file(path, Task(write=True))

    written = path.read_bytes().decode("utf-8")
    assert result.status is Status.CHANGED
    assert written.startswith("\ufeff")
    assert "\r\n" in written
    assert "\n" not in written.replace("\r\n", "")
    assert "@field_validator" in written


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"from pydantic import validator\ndef broken(:\n", "syntax error"),
        (b"from pydantic import validator\nname = '\xff\xfe'\n", "not UTF-8"),
    ],
)
def test_bad_file_is_skipped_with_its_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(content)

    result = runner.process_file(path, Task(write=True))

    assert result.status is Status.SKIPPED
    assert result.reason == reason
    assert path.read_bytes() == content


def test_syntax_error_detail_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.py", "from pydantic import validator\n\ndef broken(:\n")

    result = runner.process_file(path, Task(write=True))

    assert result.detail is not None
    assert result.detail.startswith("line 3")


def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    folder_named_like_a_file = tmp_path / "odd.py"
    folder_named_like_a_file.mkdir()

    result = runner.process_file(folder_named_like_a_file, Task(write=True))

    assert result.status is Status.SKIPPED
    assert result.reason == "unreadable"


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good = write(tmp_path / "a_good.py", V1_MODEL)
    write(tmp_path / "b_bad.py", "from pydantic import validator\ndef broken(:\n")
    also_good = write(tmp_path / "c_good.py", V1_MODEL)

    report = runner.run(runner.discover([tmp_path]), Task(write=True), jobs=1)

    assert [result.status for result in report.results] == [
        Status.CHANGED,
        Status.SKIPPED,
        Status.CHANGED,
    ]
    assert report.skip_counts() == {"syntax error": 1}
    assert "@field_validator" in good.read_text(encoding="utf-8")
    assert "@field_validator" in also_good.read_text(encoding="utf-8")


def test_process_pool_gives_the_same_results_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[int] = []
    real_make_pool = runner.make_pool

    def spy(workers: int, start_method: str | None = None) -> Executor:
        pools.append(workers)
        return real_make_pool(workers, start_method)

    monkeypatch.setattr(runner, "make_pool", spy)
    count = runner.PARALLEL_THRESHOLD * 2
    for index in range(count):
        write(tmp_path / "serial" / f"m{index:02}.py", V1_MODEL if index % 3 else PLAIN)
        write(tmp_path / "pooled" / f"m{index:02}.py", V1_MODEL if index % 3 else PLAIN)
    write(tmp_path / "serial" / "zz_bad.py", "from pydantic import validator\nx = (\n")
    write(tmp_path / "pooled" / "zz_bad.py", "from pydantic import validator\nx = (\n")

    serial = runner.run(runner.discover([tmp_path / "serial"]), Task(write=True), jobs=1)
    pooled = runner.run(runner.discover([tmp_path / "pooled"]), Task(write=True), jobs=2)

    def outline(report: runner.RunReport) -> list[tuple[str, Status, str | None]]:
        return [(r.path.name, r.status, r.reason) for r in report.results]

    assert pools == [2]  # the pool ran for the second tree only
    assert outline(pooled) == outline(serial)
    assert len(pooled.changed) == count - (count + 2) // 3
    for index in range(count):
        name = f"m{index:02}.py"
        assert (tmp_path / "pooled" / name).read_text(encoding="utf-8") == (
            tmp_path / "serial" / name
        ).read_text(encoding="utf-8")


def test_findings_task_lists_findings_without_writing(tmp_path: Path) -> None:
    path = write(tmp_path / "models.py", V1_MODEL)

    result = runner.process_file(path, Task(findings=True))

    assert [finding.code for finding in result.findings] == ["PYD001"]
    assert path.read_text(encoding="utf-8") == V1_MODEL
