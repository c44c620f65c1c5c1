"""Special files and unreadable folders are listed as skipped; the rest of the run is done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect.project_files import DiskFiles
from fastapi_architect.pydantic_v2 import runner
from fastapi_architect.pydantic_v2.runner import Status, Task

V1_MODEL = """from pydantic import BaseModel, validator


class User(BaseModel):
    name: str

    @validator("name")
    def strip(cls, v):
        return v.strip()
"""

CLI = [sys.executable, "-m", "fastapi_architect"]


class LockedFolder(DiskFiles):
    """The disk, except that listing one folder fails as ``chmod 000`` does for a normal user
    (root bypasses permission bits, and the tests run as root)."""

    def __init__(self, locked: Path) -> None:
        super().__init__()
        self.locked = locked

    def iterdir(self, path: Path) -> list[Path]:
        if path == self.locked:
            raise PermissionError(13, "Permission denied", str(path))
        return super().iterdir(path)


def project_with(tmp_path: Path) -> Path:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "models.py").write_text(V1_MODEL, encoding="utf-8")
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "hidden.py").write_text(V1_MODEL, encoding="utf-8")
    return tmp_path


def test_an_unreadable_folder_is_listed_and_the_others_are_walked(tmp_path: Path) -> None:
    root = project_with(tmp_path)

    found = runner.find_files([root], LockedFolder(root / "secret"))

    assert found.files == [root / "ok" / "models.py"]
    (skip,) = found.skipped
    assert skip.path == root / "secret"
    assert skip.status is Status.SKIPPED
    assert skip.describe_skip() == "unreadable folder (Permission denied)"


def test_a_run_with_an_unreadable_folder_migrates_the_rest(tmp_path: Path) -> None:
    root = project_with(tmp_path)
    found = runner.find_files([root], LockedFolder(root / "secret"))

    report = runner.run(found.files, Task(write=True), jobs=1, skipped=found.skipped)

    assert [result.path for result in report.changed] == [root / "ok" / "models.py"]
    assert report.skip_counts() == {"unreadable folder": 1}
    assert "field_validator" in (root / "ok" / "models.py").read_text(encoding="utf-8")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 folder anyway")
def test_check_lists_a_chmod_000_folder_and_checks_the_rest(tmp_path: Path) -> None:
    root = project_with(tmp_path)
    (root / "secret").chmod(0)
    try:
        done = subprocess.run(
            [*CLI, "check", str(root)], capture_output=True, text=True, timeout=120
        )
    finally:
        (root / "secret").chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert "ok/models.py:7:5: PYD001" in done.stdout
    assert f"{root / 'secret'}: skipped: unreadable folder" in done.stderr


@pytest.mark.parametrize("command", ["check", "migrate"])
def test_cli_skips_a_fifo_in_the_tree_and_finishes(tmp_path: Path, command: str) -> None:
    root = project_with(tmp_path)
    os.mkfifo(root / "ok" / "pipe.py")

    done = subprocess.run([*CLI, command, str(root)], capture_output=True, text=True, timeout=120)

    assert done.returncode == (1 if command == "check" else 0), done.stderr
    assert f"{root / 'ok' / 'pipe.py'}: skipped: special file (a named pipe (FIFO)" in (done.stderr)
    assert "1 skipped (special file: 1)" in done.stdout + done.stderr
    if command == "migrate":
        assert "field_validator" in (root / "ok" / "models.py").read_text(encoding="utf-8")


def test_cli_skips_a_fifo_named_explicitly(tmp_path: Path) -> None:
    fifo = tmp_path / "named.py"
    os.mkfifo(fifo)
    done = subprocess.run([*CLI, "check", str(fifo)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "skipped: special file" in done.stderr


def test_a_file_reached_twice_through_a_symlink_is_listed_once(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    real = tmp_path / "pkg" / "models.py"
    real.write_text(V1_MODEL, encoding="utf-8")
    (tmp_path / "alias.py").symlink_to(real)
    (tmp_path / "linked_pkg").symlink_to(tmp_path / "pkg")  # a linked folder is not entered

    found = runner.find_files([tmp_path, real])

    assert len(found.files) == 1
    assert found.files[0].resolve() == real.resolve()
