"""The FA103 fix proven on an app we did not shape for it: extract every endpoint FA103
reports in the shop fixture (the extract tests' fat-endpoint app), one finding at a time as
the quick fix would, until none is left; the app's own test suite passes as before."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from fastapi_architect.cli import main
from fastapi_architect.layers.workspace import check_files
from venvs import fixture_app_python

TESTS = Path(__file__).parents[1]
SHOP = TESTS / "extract" / "fixtures" / "shop"


def _fa103(root: Path) -> list[tuple[Path, int]]:
    files = sorted(root.rglob("*.py"))
    return [
        (item.path, int(item.finding.data["endpoint_line"]))
        for item in check_files(files, root, {"FA103"})
    ]


def _passed(python: Path, root: Path) -> str:
    result = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1].split(" in ")[0]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_extracting_every_fa103_endpoint_keeps_the_app_tests_passing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    python = fixture_app_python()
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root)
    before = _passed(python, root)
    reported = _fa103(root)
    assert len(reported) == 7
    for _ in range(len(reported)):
        path, line = _fa103(root)[0]
        assert main(["extract-service", str(path), "--line", str(line + 1)]) == 0  # 1-based
    assert _fa103(root) == []
    assert capsys.readouterr().out.count("extracted ") == 7
    assert _passed(python, root) == before
