"""What a feature may ask of the server: the ``FeatureHost`` protocol.

Features, dispatchers and the workspace-edit helpers are typed against this protocol, never
against the concrete ``ArchitectServer``, so the adapters form layers without import cycles
and tests can drive a feature in-process with a small fake host. The member names are
pygls' own (``workspace_apply_edit_async``, ``work_done_progress`` …), so the real server
satisfies the protocol as it is.
"""

from __future__ import annotations

from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from lsprotocol import types
    from pygls.workspace import Workspace

    from fastapi_architect.lsp.clientcaps import ClientSupport
    from fastapi_architect.lsp.documents import DocumentStore
    from fastapi_architect.lsp.settings import ServerSettings


class ProgressReporter(Protocol):
    """Server-initiated ``window/workDoneProgress`` (pygls' ``Progress``)."""

    def create_async(self, token: str | int) -> Awaitable[object]:
        """Ask the client to create a progress token."""
        ...

    def begin(self, token: str | int, value: types.WorkDoneProgressBegin) -> None:
        """Start the progress bar."""
        ...

    def report(self, token: str | int, value: types.WorkDoneProgressReport) -> None:
        """Move the progress bar."""
        ...

    def end(self, token: str | int, value: types.WorkDoneProgressEnd) -> None:
        """Close the progress bar."""
        ...


class FeatureHost(Protocol):
    """The server as a feature sees it."""

    # --- documents and workspace -------------------------------------------------------------

    @property
    def documents(self) -> DocumentStore:
        """Analysed snapshots of open buffers (or of files on disk)."""
        ...

    @property
    def workspace(self) -> Workspace:
        """pygls' workspace: the open text documents as the client synchronised them."""
        ...

    def workspace_roots(self) -> list[Path]:
        """The workspace folders (or the root URI) as local paths."""
        ...

    @property
    def position_encoding(self) -> str:
        """The negotiated position encoding's wire value: ``utf-8``, ``utf-16`` or ``utf-32``."""
        ...

    # --- configuration ----------------------------------------------------------------------

    @property
    def settings(self) -> ServerSettings:
        """The validated settings (defaults until the client sends valid ones)."""
        ...

    @property
    def support(self) -> ClientSupport:
        """What the connected client supports; every fallback decision reads it."""
        ...

    # --- talking to the client ----------------------------------------------------------------

    def log(self, message: str, level: types.MessageType = ...) -> None:
        """Send ``message`` to the client's log (``window/logMessage``)."""
        ...

    def show_message(self, message: str, level: types.MessageType = ...) -> None:
        """Show ``message`` to the user (``window/showMessage``)."""
        ...

    def window_log_message(self, params: types.LogMessageParams) -> None:
        """Send a raw ``window/logMessage`` notification (used by the guard)."""
        ...

    async def workspace_apply_edit_async(
        self, params: types.ApplyWorkspaceEditParams
    ) -> types.ApplyWorkspaceEditResult:
        """Ask the client to apply a workspace edit."""
        ...

    async def window_show_document_async(
        self, params: types.ShowDocumentParams
    ) -> types.ShowDocumentResult:
        """Ask the client to show a document."""
        ...

    @property
    def work_done_progress(self) -> ProgressReporter:
        """Server-initiated progress (use only when ``support.work_done_progress``)."""
        ...
