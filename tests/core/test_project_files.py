"""The project-files view: safe disk reads, open buffers first, the versions they came from."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from fastapi_architect.project_files import (
    Buffer,
    BufferFiles,
    DiskFiles,
    SkippedFile,
    containing_root,
    is_inside,
    is_skipped_directory_name,
    newline_of,
    read_text_safely,
)


def read_in_thread(path: Path, max_bytes: int = 1_000) -> BaseException | str:
    """``read_text_safely(path)`` with a hang guard: a blocked open fails the test."""
    outcome: list[BaseException | str] = []

    def run() -> None:
        try:
            outcome.append(read_text_safely(path, max_bytes))
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():
        if path.is_fifo():  # unblock the hung open so the thread can end
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
        pytest.fail(f"reading {path} blocked")
    return outcome[0]


def test_a_fifo_is_skipped_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "models.py"
    os.mkfifo(fifo)

    outcome = read_in_thread(fifo)

    assert isinstance(outcome, SkippedFile)
    assert outcome.category == "special file"
    assert "named pipe" in outcome.reason


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_never_read(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} missing")
    outcome = read_in_thread(Path(device))
    assert isinstance(outcome, SkippedFile)
    assert "character device" in outcome.reason


def test_a_file_over_the_limit_is_skipped_with_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    big.write_text("x = 1\n" * 500, encoding="utf-8")

    outcome = read_in_thread(big, max_bytes=1_000)

    assert isinstance(outcome, SkippedFile)
    assert outcome.category == "too large"
    assert "1,000 bytes" in outcome.reason


def test_line_endings_and_bom_are_kept_exactly(tmp_path: Path) -> None:
    path = tmp_path / "crlf.py"
    path.write_bytes("\ufeffa = 1\r\nb = 2\rc = 3\n".encode())
    assert read_text_safely(path) == "\ufeffa = 1\r\nb = 2\rc = 3\n"


def test_disk_files_answer_false_instead_of_raising(tmp_path: Path) -> None:
    files = DiskFiles()
    assert not files.is_file(tmp_path / "missing.py")
    assert not files.exists(tmp_path / "bad\x00name")
    assert files.is_dir(tmp_path)
    os.mkfifo(tmp_path / "pipe")
    assert files.exists(tmp_path / "pipe") and not files.is_file(tmp_path / "pipe")


def test_an_open_buffer_wins_over_the_disk_and_its_version_is_recorded(tmp_path: Path) -> None:
    router = tmp_path / "router.py"
    router.write_text("on disk\n", encoding="utf-8")
    other = tmp_path / "other.py"
    other.write_text("other\n", encoding="utf-8")
    buffer = Buffer("file:///router.py", 7, "unsaved\n")
    view = BufferFiles({router.resolve(): buffer})

    assert view.read_text(router) == "unsaved\n"
    assert view.read_text(other) == "other\n"
    assert view.reads[router.resolve()].buffer == buffer
    assert view.reads[other.resolve()].buffer is None
    assert view.changed({router.resolve(): buffer}, read_text_safely) == []


def test_a_buffer_edited_opened_or_closed_since_the_read_is_reported(tmp_path: Path) -> None:
    router, deps = tmp_path / "router.py", tmp_path / "deps.py"
    deps.write_text("deps\n", encoding="utf-8")
    view = BufferFiles({router.resolve(): Buffer("file:///router.py", 1, "v1\n")})
    view.read_text(router)
    view.read_text(deps)

    edited = {router.resolve(): Buffer("file:///router.py", 2, "v2\n")}
    assert view.changed(edited) == [router.resolve()]
    assert view.changed({}) == [router.resolve()]
    opened_with_edits = {
        router.resolve(): Buffer("file:///router.py", 1, "v1\n"),
        deps.resolve(): Buffer("file:///deps.py", 1, "deps changed\n"),
    }
    assert view.changed(opened_with_edits) == [deps.resolve()]
    deps.write_text("saved elsewhere\n", encoding="utf-8")
    unchanged_buffer = {router.resolve(): Buffer("file:///router.py", 1, "v1\n")}
    assert view.changed(unchanged_buffer, read_text_safely) == [deps.resolve()]


def test_a_buffer_of_a_new_file_is_listed_with_its_folder(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("", encoding="utf-8")
    unsaved = tmp_path / "b.py"
    view = BufferFiles({unsaved.resolve(): Buffer("file:///b.py", 1, "")})
    assert [path.name for path in view.iterdir(tmp_path)] == ["a.py", "b.py"]
    assert view.is_file(unsaved)


def test_inside_resolves_symlinks(tmp_path: Path) -> None:
    root, outside = tmp_path / "ws", tmp_path / "elsewhere"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside)
    assert is_inside(root / "pkg" / "m.py", root)
    assert not is_inside(root / "link" / "m.py", root)
    assert not is_inside(root / ".." / "elsewhere", root)
    nested = root / "nested"
    assert containing_root(nested / "x.py", [root, nested]) == nested.resolve()


def test_skipped_folder_names_and_newlines() -> None:
    assert is_skipped_directory_name(".venv")
    assert is_skipped_directory_name("pkg.egg-info")
    assert not is_skipped_directory_name("app")
    assert newline_of("a\r\nb\r\nc\n") == "\r\n"
    assert newline_of("no newline") == "\n"
    assert newline_of("a\rb\r") == "\r"
