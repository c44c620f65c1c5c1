"""Facts read from workspace modules, cached until the module's text changes.

The workspace indexes (models, pending rebuilds, encoder facts) each keep what they need of
a module, not its syntax tree; a module is read and parsed again only when its *stamp* moved:
an open buffer's version, else the file's mtime and size.
"""

from __future__ import annotations

import stat
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from fastapi_architect.project_files import BufferFiles, ProjectFiles

MAX_FILE_BYTES = 1_000_000
"""Larger modules are not read for the indexes."""
READ_ERRORS = (OSError, UnicodeDecodeError, ValueError, SyntaxError, RecursionError, MemoryError)
"""What reading and parsing a module may raise: the module then has no facts."""

T = TypeVar("T")


def file_stamp(path: Path, files: ProjectFiles) -> object | None:
    """What changes when the module's text does: the buffer's version, or mtime and size
    (None: not a regular file, unreadable, or too large)."""
    if isinstance(files, BufferFiles):
        buffer = files.buffer(path)
        if buffer is not None:
            return ("buffer", buffer.uri, buffer.version, len(buffer.text), hash(buffer.text))
    try:
        status = path.stat()
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
        return None
    return (status.st_mtime_ns, status.st_size)


def resolved_path(path: Path) -> Path:
    """``path`` resolved, or made absolute when it cannot be (a link loop, a missing drive)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


class StampedCache(Generic[T]):
    """``read(path, text)`` of each module, kept per stamp for the ``size`` modules used last;
    ``None`` for a module that cannot be stamped, read or parsed."""

    def __init__(self, size: int, read: Callable[[Path, str], T]) -> None:
        self._size = size
        self._read = read
        self._entries: OrderedDict[Path, tuple[object, T | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: Path, files: ProjectFiles) -> T | None:
        """The facts of the module at ``path``, read again only when its stamp moved."""
        stamp = file_stamp(path, files)
        if stamp is None:
            return None
        with self._lock:
            cached = self._entries.get(path)
            if cached is not None and cached[0] == stamp:
                self._entries.move_to_end(path)
                return cached[1]
        facts: T | None = None
        try:
            text = files.read_text(path)
            if len(text) <= MAX_FILE_BYTES:
                facts = self._read(path, text)
        except READ_ERRORS:
            facts = None
        with self._lock:
            self._entries[path] = (stamp, facts)
            self._entries.move_to_end(path)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return facts

    def clear(self) -> None:
        """Forget every module."""
        with self._lock:
            self._entries.clear()
