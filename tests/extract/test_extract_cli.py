"""``fastapi-architect extract-service``: diff, write, and one-line errors with exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from extract_support import DEPS, line_of, make_project

from fastapi_architect.cli import main

ENDPOINT = """\
from fastapi import APIRouter

from app.api.deps import SessionDep

router = APIRouter()


@router.get("/")
def count_items(db: SessionDep) -> int:
    return 1 if db else 0


@router.get("/stream")
def stream():
    yield b"x"
"""


@pytest.fixture
def endpoint(tmp_path: Path) -> Path:
    make_project(
        tmp_path,
        {
            "app/db.py": "def get_db(): ...\n",
            "app/api/deps.py": DEPS,
            "app/api/v1/endpoints/items.py": ENDPOINT,
        },
    )
    return tmp_path / "app/api/v1/endpoints/items.py"


def test_diff_prints_every_file_and_writes_nothing(
    endpoint: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = line_of(endpoint, "return 1") + 1
    assert main(["extract-service", str(endpoint), "--line", str(line), "--diff"]) == 0
    out = capsys.readouterr().out
    assert "+++ b/app/services/item_service.py" in out
    assert "+++ b/app/api/v1/endpoints/items.py" in out
    assert "+    return item_service.count_items(db=db)" in out
    assert endpoint.read_text() == ENDPOINT
    assert not (endpoint.parents[3] / "services").exists()


def test_writes_the_plan_and_reports_it(endpoint: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = line_of(endpoint, '@router.get("/")') + 1
    assert main(["extract-service", str(endpoint), "--line", str(line)]) == 0
    assert "extracted count_items → app/services/item_service.py" in capsys.readouterr().out
    service = endpoint.parents[3] / "services/item_service.py"
    assert "def count_items(db: Session) -> int:" in service.read_text()


@pytest.mark.parametrize(
    ("needle", "message"),
    [
        ('yield b"x"', "generator"),
        ("router = APIRouter()", "not inside a path operation function"),
    ],
)
def test_refusal_is_one_line_with_exit_code_2(
    endpoint: Path, capsys: pytest.CaptureFixture[str], needle: str, message: str
) -> None:
    line = line_of(endpoint, needle) + 1
    assert main(["extract-service", str(endpoint), "--line", str(line)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert endpoint.read_text() == ENDPOINT


def test_missing_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract-service", str(tmp_path / "nope.py"), "--line", "1"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "endpoints.py"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "fastapi_architect", "extract-service", str(fifo), "--line", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "cannot read (a named pipe (FIFO), not read)" in done.stderr


def test_diff_paths_and_messages_are_relative_to_the_current_directory_for_git_apply(
    endpoint: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = endpoint.parents[4]
    (repository / "backend").mkdir()
    (repository / "app").rename(repository / "backend/app")
    moved = repository / "backend/app/api/v1/endpoints/items.py"
    (repository / "backend/app/main.py").write_text("from app.api import deps\n")
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    monkeypatch.chdir(repository)
    line = str(line_of(moved, "return 1") + 1)

    assert main(["extract-service", str(moved), "--line", line, "--diff"]) == 0
    diff = capsys.readouterr().out
    assert "+++ b/backend/app/services/item_service.py" in diff
    assert "+++ b/backend/app/api/v1/endpoints/items.py" in diff
    (repository / "change.diff").write_text(diff)
    subprocess.run(["git", "apply", "change.diff"], cwd=repository, check=True)
    assert "item_service.count_items" in moved.read_text()

    (repository / "backend/app/services/item_service.py").unlink()
    moved.write_text(ENDPOINT)
    assert main(["extract-service", str(moved), "--line", line]) == 0
    assert "→ backend/app/services/item_service.py" in capsys.readouterr().out
