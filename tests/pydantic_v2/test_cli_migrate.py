"""``fastapi-architect migrate`` and ``check``: output, exit codes, and what they write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect.cli import main
from fastapi_architect.pydantic_v2 import migrate_source

V1_MODEL = """from pydantic import BaseModel, validator


class User(BaseModel):
    name: str

    @validator("name")
    def strip(cls, v):
        return v.strip()
"""

V1_ROOT = """from pydantic import BaseModel, root_validator


class Span(BaseModel):
    start: int
    end: int

    @root_validator(pre=True)
    def fill(cls, values):
        return values
"""

BROKEN = "from pydantic import validator\n\ndef half_typed(:\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app" / "users.py").write_text(V1_MODEL, encoding="utf-8")
    (root / "app" / "spans.py").write_text(V1_ROOT, encoding="utf-8")
    (root / "app" / "plain.py").write_text("x = 1\n", encoding="utf-8")
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / ".venv" / "lib" / "vendored.py").write_text(V1_MODEL, encoding="utf-8")
    return root


def test_migrate_rewrites_files_in_place_and_prints_one_summary_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["migrate", str(project)])

    out, err = capsys.readouterr()
    assert code == 0
    assert out == "3 files scanned, 2 changed, 0 skipped\n"
    assert err == ""
    assert (project / "app" / "users.py").read_text(encoding="utf-8") == migrate_source(V1_MODEL)
    assert "@model_validator" in (project / "app" / "spans.py").read_text(encoding="utf-8")
    assert (project / ".venv" / "lib" / "vendored.py").read_text(encoding="utf-8") == V1_MODEL


def test_migrate_twice_changes_nothing_the_second_time(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["migrate", str(project)])
    capsys.readouterr()

    code = main(["migrate", "--check", str(project)])

    assert code == 0
    assert capsys.readouterr().out == "3 files scanned, 0 would change, 0 skipped\n"


def test_diff_prints_a_unified_diff_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["migrate", "--diff", str(project / "app" / "users.py")])

    out, err = capsys.readouterr()
    assert code == 0
    assert out.startswith("--- a/")
    assert "+++ b/" in out
    assert '-    @validator("name")\n' in out
    assert '+    @field_validator("name")\n' in out
    assert err == "1 file scanned, 1 would change, 0 skipped\n"
    assert (project / "app" / "users.py").read_text(encoding="utf-8") == V1_MODEL


def test_check_flag_exits_1_when_something_would_change_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["migrate", "--check", str(project)])

    assert code == 1
    assert capsys.readouterr().out == "3 files scanned, 2 would change, 0 skipped\n"
    assert (project / "app" / "users.py").read_text(encoding="utf-8") == V1_MODEL


def test_file_that_does_not_parse_is_reported_and_the_others_still_migrate(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = project / "app" / "broken.py"
    broken.write_text(BROKEN, encoding="utf-8")

    code = main(["migrate", str(project)])

    out, err = capsys.readouterr()
    assert code == 0
    assert out == "4 files scanned, 2 changed, 1 skipped (syntax error: 1)\n"
    assert err == f"{broken}: skipped: syntax error (line 3, column 16: invalid syntax)\n"
    assert broken.read_text(encoding="utf-8") == BROKEN
    assert "@field_validator" in (project / "app" / "users.py").read_text(encoding="utf-8")


def test_non_utf8_file_is_reported_and_skipped(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = project / "app" / "latin.py"
    latin.write_bytes(b"# caf\xe9\nfrom pydantic import validator\n")

    code = main(["migrate", str(project)])

    out, err = capsys.readouterr()
    assert code == 0
    assert out.endswith(", 1 skipped (not UTF-8: 1)\n")
    assert f"{latin}: skipped: not UTF-8" in err
    assert latin.read_bytes() == b"# caf\xe9\nfrom pydantic import validator\n"


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["migrate", str(tmp_path / "nowhere")])

    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no such file or directory" in err


def test_jobs_below_one_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["migrate", "--jobs", "0", str(project)])

    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "expected a number of processes >= 1, got '0'" in err


def test_check_prints_one_line_per_finding_and_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", str(project / "app")])

    out, err = capsys.readouterr()
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{project / 'app' / 'spans.py'}:8:5: PYD002 ")
    assert lines[1].startswith(f"{project / 'app' / 'users.py'}:7:5: PYD001 ")
    assert err.startswith("2 findings (2 fixable) in 2 files; 3 files scanned, 0 skipped")
    assert (project / "app" / "users.py").read_text(encoding="utf-8") == V1_MODEL


def test_check_exits_0_when_nothing_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "v2.py").write_text(migrate_source(V1_MODEL), encoding="utf-8")

    assert main(["check", str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""


def test_check_reports_unparseable_files_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.py").write_text(BROKEN, encoding="utf-8")

    assert main(["check", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "broken.py: skipped: syntax error (line 3" in err


def test_console_entry_point_runs_migrate_over_a_process_pool(tmp_path: Path) -> None:
    for index in range(40):
        (tmp_path / f"m{index}.py").write_text(V1_MODEL, encoding="utf-8")
    (tmp_path / "broken.py").write_text(BROKEN, encoding="utf-8")

    completed = subprocess.run(
        [sys.executable, "-m", "fastapi_architect", "migrate", "--jobs", "2", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "41 files scanned, 40 changed, 1 skipped (syntax error: 1)\n"
    assert all(
        "@field_validator" in (tmp_path / f"m{index}.py").read_text(encoding="utf-8")
        for index in range(40)
    )


REFUSED = """from pydantic import BaseModel, validator


class Order(BaseModel):
    quantity: int

    @validator("quantity", pre=True)
    def from_text(cls, v):
        return int(v)

    @validator("*", pre=True)
    def strip(cls, v):
        return v.strip() if isinstance(v, str) else v
"""


def test_summary_counts_v1_constructs_left_for_a_manual_conversion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "orders.py"
    path.write_text(REFUSED, encoding="utf-8")

    code = main(["migrate", str(tmp_path)])

    assert code == 0
    assert capsys.readouterr().out == (
        "1 file scanned, 0 changed, 0 skipped; 2 V1 constructs left for a manual conversion "
        "(`fastapi-architect check` says why)\n"
    )
    assert path.read_text(encoding="utf-8") == REFUSED


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_diff_applies_with_git_apply_even_without_a_final_newline(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ending: str,
) -> None:
    source = ("# form feed below\n\x0c\n" + V1_MODEL).rstrip("\n").replace("\n", ending)
    path = tmp_path / "users.py"
    path.write_bytes(source.encode("utf-8"))
    monkeypatch.chdir(tmp_path)

    assert main(["migrate", "--diff", "users.py"]) == 0
    patch = capsys.readouterr().out
    (tmp_path / "change.patch").write_bytes(patch.encode("utf-8"))
    applied = subprocess.run(
        ["git", "apply", "change.patch"], cwd=tmp_path, capture_output=True, text=True, check=False
    )

    assert applied.returncode == 0, applied.stderr
    assert path.read_bytes().decode("utf-8") == migrate_source(source)


CONFIG_ONLY = """from typing import Optional

from pydantic import BaseModel


class Row(BaseModel):
    id: int
    note: Optional[str]

    class Config:
        orm_mode = True
"""


def test_check_and_migrate_cover_config_and_optional_defaults_without_validators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rows.py"
    path.write_text(CONFIG_ONLY, encoding="utf-8")

    assert main(["check", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[1].split()[0] for line in lines] == ["PYD012", "PYD010"]

    assert main(["migrate", str(tmp_path)]) == 0
    migrated = path.read_text(encoding="utf-8")
    assert "    note: Optional[str] = None\n" in migrated
    assert "    model_config = ConfigDict(from_attributes=True)\n" in migrated
    assert "from pydantic import BaseModel, ConfigDict\n" in migrated
    assert main(["check", str(tmp_path)]) == 0
