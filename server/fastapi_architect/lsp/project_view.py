"""The server's view of project files: open buffers first, then the disk.

``buffer_files`` snapshots the open documents on the event loop, so engines can read through
the view from a worker thread; ``moved_on`` tells, after planning, which files the plan read
have changed since — the plan is then recomputed or refused, never applied stale.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pygls.uris import to_fs_path

from fastapi_architect.project_files import Buffer, BufferFiles, DiskFiles

if TYPE_CHECKING:
    from fastapi_architect.lsp.host import FeatureHost


def open_buffers(server: FeatureHost) -> dict[Path, Buffer]:
    """Every open ``file:`` document, keyed by its resolved path."""
    found: dict[Path, Buffer] = {}
    for uri, document in list(server.workspace.text_documents.items()):
        local = to_fs_path(uri)
        if not local or "\x00" in local:
            continue
        try:
            path = Path(local).resolve()
        except (OSError, RuntimeError):
            continue
        found[path] = Buffer(uri, document.version, document.source)
    return found


def buffer_files(server: FeatureHost) -> BufferFiles:
    """A ``ProjectFiles`` view where the editor's buffers win over the disk."""
    return BufferFiles(open_buffers(server), _disk(server))


def moved_on(server: FeatureHost, view: BufferFiles) -> list[Path]:
    """Files ``view`` read whose buffer (or, for closed files, disk text) changed since."""
    disk = _disk(server)
    return view.changed(open_buffers(server), disk.read_text)


def _disk(server: FeatureHost) -> DiskFiles:
    return DiskFiles(server.settings.analysis.max_file_bytes)
