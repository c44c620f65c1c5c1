"""The proof: extract EVERY endpoint of the fat-endpoint fixture apps, then run their checks.

Each fixture app under ``fixtures/`` has its own pytest suite, ruff and ``mypy --strict``
configuration. After all endpoints have been extracted one after another through the CLI,
the app's tests must still pass and both checkers must be clean.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect.cli import main
from fastapi_architect.extract.endpoints import index_endpoints, refusal_reason

sys.path.insert(0, str(Path(__file__).parents[1]))

from venvs import fixture_app_python

FIXTURES = Path(__file__).parent / "fixtures"
APPS = {
    "shop": ["app/api/v1/endpoints/items.py", "app/api/v1/endpoints/users.py"],
    "notes": ["main.py"],
    "library": ["app/routers/books.py"],
}


@pytest.fixture(scope="module")
def fixture_python() -> Path:
    """The interpreter of the cached venv that runs the fixture apps' checks."""
    return fixture_app_python()


def _endpoints(path: Path) -> list[tuple[int, str | None]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(e.node.lineno, refusal_reason(e)) for e in index_endpoints(tree).endpoints]


def _run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=240)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(command[1:4])} failed:\n{output}"
    return output


@pytest.mark.slow
@pytest.mark.parametrize("app", sorted(APPS))
def test_every_endpoint_extracted_app_passes_its_tests_ruff_and_mypy(
    app: str, tmp_path: Path, fixture_python: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / app
    shutil.copytree(FIXTURES / app, project)
    baseline = _run([str(fixture_python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], project)
    for relative in APPS[app]:
        path = project / relative
        total = len(_endpoints(path))
        assert total >= 3
        for _ in range(total):
            line = next(line for line, reason in _endpoints(path) if reason is None)
            assert main(["extract-service", str(path), "--line", str(line)]) == 0
        reasons = [reason for _, reason in _endpoints(path)]
        assert all(reason and "already delegates" in reason for reason in reasons), reasons
    assert capsys.readouterr().out.count("extracted ") == sum(
        1 for relative in APPS[app] for _ in _endpoints(project / relative)
    )

    after = _run([str(fixture_python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], project)
    assert _passed(after) == _passed(baseline) > 0
    _run([str(fixture_python), "-m", "ruff", "check", "--no-cache", "."], project)
    _run(
        [str(fixture_python), "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), "."],
        project,
    )


def _passed(output: str) -> int:
    for word, following in zip(output.split(), output.split()[1:], strict=False):
        if following.startswith("passed") and word.isdigit():
            return int(word)
    return 0
