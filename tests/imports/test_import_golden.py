"""The golden table: each import edit gives the expected text, and ruff finds nothing in it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect.imports import load_style, plan_imports
from fastapi_architect.textedit import apply_edits

sys.path.insert(0, str(Path(__file__).parent))

from golden_cases import CASES, Case

RUFF = Path(sys.executable).with_name("ruff")


def _project(root: Path, case: Case) -> Path:
    """A project folder with the case's ``pyproject.toml`` and first-party files."""
    project = root / case.id
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.ruff]\n" + case.config, encoding="utf-8")
    for name in case.files:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    return project


def _result(project: Path, case: Case) -> str:
    loaded = load_style(project)
    assert loaded.warning is None
    edits = plan_imports(case.before, case.add, case.remove, loaded.style, package=case.package)
    return apply_edits(case.before, edits)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_import_edit_matches_the_golden_text(case: Case, tmp_path: Path) -> None:
    project = _project(tmp_path, case)
    after = _result(project, case)
    assert after == case.after
    loaded = load_style(project)
    again = plan_imports(after, case.add, case.remove, loaded.style, package=case.package)
    assert again == [], "planning the same change twice must change nothing"


@pytest.fixture(scope="module")
def linted_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every lintable case's result written into its own project folder under one root."""
    root = tmp_path_factory.mktemp("golden")
    for case in CASES:
        project = _project(root, case)
        if case.lint:
            (project / "result.py").write_bytes(_result(project, case).encode("utf-8"))
    return root


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(RUFF), *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_every_golden_result_passes_ruff_isort(linted_results: Path) -> None:
    result = _ruff("check", "--select", "I", "--no-cache", str(linted_results))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_golden_result_is_ruff_formatted(linted_results: Path) -> None:
    result = _ruff("format", "--check", "--no-cache", str(linted_results))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_golden_table_covers_every_kind_of_edit() -> None:
    ids = " ".join(case.id for case in CASES)
    for topic in (
        "stdlib",
        "third_party",
        "first_party",
        "relative",
        "alias",
        "removal",
        "type_checking",
        "future",
        "comment",
        "crlf",
        "long_line",
        "setting",
    ):
        assert topic in ids, topic
    assert any("\r\n" in case.after for case in CASES)
