"""The one view of project files that engines read through.

Engines never call ``Path.read_text()``: they take a ``ProjectFiles`` and ask it for text,
existence and folder listings. The CLI passes ``DiskFiles``, which never opens special files
(FIFOs, devices, sockets) and never reads more than a size limit, so a hostile tree can
neither hang nor exhaust a run. The language server passes ``BufferFiles``: the text of an
open editor buffer wins over the disk, and every buffer read is recorded with its version, so
the edits computed from it can carry that version and be refused once the buffer moved on.

The helpers every walker shares live here too: the folders never entered, "is this path
inside that root" (symlinks resolved) and the text's line ending.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

DEFAULT_MAX_FILE_BYTES = 5_000_000
"""Files larger than this are skipped (the server's ``analysis.maxFileBytes`` default)."""

SKIPPED_DIRECTORY_NAMES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "node_modules",
        "__pycache__",
        "__pypackages__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        ".direnv",
        ".eggs",
        "site-packages",
        "dist-packages",
        "build",
        "dist",
        "_build",
        "buck-out",
        ".ipynb_checkpoints",
        ".bench-cache",
        "htmlcov",
    }
)
"""Folders a walk never enters: VCS data, virtualenvs, dependencies, caches, build output."""


def is_skipped_directory_name(name: str) -> bool:
    """True for a folder name a recursive walk must not enter."""
    return name in SKIPPED_DIRECTORY_NAMES or name.endswith(".egg-info")


def is_inside(path: Path, root: Path) -> bool:
    """True when ``path`` is ``root`` or lies under it, after resolving symlinks and ``..``."""
    try:
        resolved, resolved_root = path.resolve(), root.resolve()
    except (OSError, ValueError, RuntimeError):
        return False
    return resolved == resolved_root or resolved_root in resolved.parents


def containing_root(path: Path, roots: Iterable[Path]) -> Path | None:
    """The deepest of ``roots`` that contains ``path`` (symlinks resolved), if any."""
    inside = [root.resolve() for root in roots if is_inside(path, root)]
    return max(inside, key=lambda root: len(root.parts)) if inside else None


def newline_of(text: str) -> str:
    """The line ending ``text`` uses most (``\\n`` when it has none)."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    best = max((crlf, "\r\n"), (lf, "\n"), (cr, "\r"), key=lambda count: count[0])
    return best[1] if best[0] else "\n"


class SkippedFile(OSError):
    """A file that is never read (special file, too large); ``reason`` says why."""

    def __init__(self, path: Path, reason: str, category: str = "special file") -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason
        self.category = category
        """``special file``, ``too large`` or ``unreadable`` (a folder)."""

    def __str__(self) -> str:
        return self.reason


def _special_kind(mode: int) -> str | None:
    """What a non-regular file is, in words; ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check_regular(path: Path, status: os.stat_result, max_bytes: int) -> None:
    kind = _special_kind(status.st_mode)
    if kind is not None:
        category = "unreadable" if stat.S_ISDIR(status.st_mode) else "special file"
        raise SkippedFile(path, f"{kind}, not read", category)
    if status.st_size > max_bytes:
        raise SkippedFile(path, f"larger than {max_bytes:,} bytes; not read", "too large")


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def read_text_safely(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> str:
    """The UTF-8 text of the regular file ``path``, line endings kept exactly.

    Special files and files over ``max_bytes`` raise ``SkippedFile`` without being opened
    for reading; the open itself is non-blocking and the read bounded, so a file swapped for
    a FIFO or a growing file between the check and the read cannot hang or flood the caller.
    Raises ``OSError`` / ``UnicodeDecodeError`` otherwise, ``ValueError`` for a NUL in the path.
    """
    _check_regular(path, path.stat(), max_bytes)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        _check_regular(path, os.fstat(descriptor), max_bytes)
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise SkippedFile(path, f"larger than {max_bytes:,} bytes; not read", "too large")
    return data.decode("utf-8")


def describe_read_error(error: BaseException) -> str:
    """A short reason for a file that could not be read."""
    if isinstance(error, SkippedFile):
        return error.reason
    if isinstance(error, UnicodeDecodeError):
        return f"not UTF-8 (byte {error.start})"
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


class ProjectFiles(Protocol):
    """What an engine may ask about the project's files."""

    def read_text(self, path: Path) -> str:
        """The current text of ``path``; raises ``OSError`` (``SkippedFile`` included) or
        ``UnicodeDecodeError`` when there is none to read."""
        ...

    def exists(self, path: Path) -> bool:
        """True when ``path`` is a file or folder."""
        ...

    def is_file(self, path: Path) -> bool:
        """True when ``path`` is a readable-looking file (or an open buffer)."""
        ...

    def is_dir(self, path: Path) -> bool:
        """True when ``path`` is a folder."""
        ...

    def iterdir(self, path: Path) -> list[Path]:
        """The entries of the folder ``path``, sorted; raises ``OSError`` when unreadable."""
        ...


def read_text_or_none(files: ProjectFiles, path: Path) -> str | None:
    """The current text of ``path`` through ``files``, or ``None`` when it cannot be read."""
    try:
        return files.read_text(path)
    except (OSError, UnicodeDecodeError, ValueError):
        return None


class DiskFiles:
    """``ProjectFiles`` on the local disk, for the CLI and for closed files."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> None:
        self.max_bytes = max_bytes

    def read_text(self, path: Path) -> str:
        return read_text_safely(path, self.max_bytes)

    def exists(self, path: Path) -> bool:
        return self._mode(path) is not None

    def is_file(self, path: Path) -> bool:
        mode = self._mode(path)
        return mode is not None and stat.S_ISREG(mode)

    def is_dir(self, path: Path) -> bool:
        mode = self._mode(path)
        return mode is not None and stat.S_ISDIR(mode)

    def iterdir(self, path: Path) -> list[Path]:
        return sorted(path.iterdir())

    @staticmethod
    def _mode(path: Path) -> int | None:
        try:
            return path.stat().st_mode
        except (OSError, ValueError):
            return None


DISK = DiskFiles()
"""The default view: the disk with the default size limit."""


@dataclass(frozen=True)
class Buffer:
    """An open editor buffer: its URI, version and text when the view was taken."""

    uri: str
    version: int | None
    text: str


@dataclass(frozen=True)
class Read:
    """What a ``BufferFiles`` handed out for one path: from a buffer (with its version) or disk."""

    text: str
    buffer: Buffer | None


class BufferFiles:
    """``ProjectFiles`` for the language server: open buffers first, then the disk.

    ``buffers`` is a snapshot of the open documents (keyed by resolved path) taken on the
    server's event loop, so engines may read through this view from a worker thread. Every
    read is recorded in ``reads``; ``changed`` compares them with the buffers now open.
    """

    def __init__(self, buffers: Mapping[Path, Buffer], disk: DiskFiles = DISK) -> None:
        self._buffers = dict(buffers)
        self._disk = disk
        self.reads: dict[Path, Read] = {}

    def _key(self, path: Path) -> Path:
        try:
            return path.resolve()
        except (OSError, RuntimeError):
            return path.absolute()

    def buffer(self, path: Path) -> Buffer | None:
        """The open buffer of ``path`` in this snapshot, if any."""
        return self._buffers.get(self._key(path))

    def read_text(self, path: Path) -> str:
        key = self._key(path)
        opened = self._buffers.get(key)
        text = opened.text if opened is not None else self._disk.read_text(path)
        self.reads[key] = Read(text, opened)
        return text

    def exists(self, path: Path) -> bool:
        return self._key(path) in self._buffers or self._disk.exists(path)

    def is_file(self, path: Path) -> bool:
        return self._key(path) in self._buffers or self._disk.is_file(path)

    def is_dir(self, path: Path) -> bool:
        return self._disk.is_dir(path)

    def iterdir(self, path: Path) -> list[Path]:
        folder = self._key(path)
        entries = set(self._disk.iterdir(path)) if self._disk.is_dir(path) else set()
        entries.update(path / key.name for key in self._buffers if key.parent == folder)
        if not entries and not self._disk.is_dir(path):
            raise FileNotFoundError(f"no such folder: {path}")
        return sorted(entries)

    def changed(
        self, now: Mapping[Path, Buffer], disk: Callable[[Path], str] | None = None
    ) -> list[Path]:
        """Paths read through this view whose text moved on since: a buffer edited, opened
        or closed, or (when ``disk`` is given) a closed file changed on disk."""
        moved: list[Path] = []
        for path, read in self.reads.items():
            current = now.get(path)
            if read.buffer is not None:
                if current is None or current.version != read.buffer.version:
                    moved.append(path)
            elif current is not None:
                if current.text != read.text:
                    moved.append(path)
            elif disk is not None:
                try:
                    if disk(path) != read.text:
                        moved.append(path)
                except (OSError, UnicodeDecodeError, ValueError):
                    moved.append(path)
        return moved
