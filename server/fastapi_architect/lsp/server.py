"""The language server class: the state its features share and how it talks to the client.

It satisfies ``FeatureHost`` (``lsp/host.py``) and ``DispatchHost``; nothing else in
``lsp/`` imports this module except ``setup``, which builds the server and wires its
handlers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.uris import to_fs_path

from fastapi_architect import __version__
from fastapi_architect.lsp.clientcaps import ClientSupport
from fastapi_architect.lsp.documents import DocumentSource, DocumentStore
from fastapi_architect.lsp.protocol import ArchitectProtocol
from fastapi_architect.lsp.published_diagnostics import PublishedState
from fastapi_architect.lsp.transport import FramedLanguageServer

if TYPE_CHECKING:
    from fastapi_architect.lsp.features.base import Feature
    from fastapi_architect.lsp.settings import ServerSettings

logger = logging.getLogger("fastapi_architect")

DEFAULT_MAX_FILE_BYTES = 5_000_000


class ArchitectServer(FramedLanguageServer):
    """The FastAPI Architect language server and the state its features share."""

    def __init__(self, features: Sequence[Feature]) -> None:
        super().__init__(
            name="fastapi-architect",
            version=__version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=ArchitectProtocol,
        )
        self.features: tuple[Feature, ...] = tuple(features)
        self.support = ClientSupport()
        self._settings: ServerSettings | None = None
        self._raw_initialization_options: Any = None
        self.shutdown_requested = False
        """True once the client sent ``shutdown``: ``exit`` then ends with status 0, else 1."""
        self.pending_diagnostics: dict[str, asyncio.TimerHandle] = {}
        """Debounced diagnostics runs, per URI."""
        self.published_diagnostics = PublishedState()
        """What each open document last showed, and the pending refresh of the others."""
        self.documents = DocumentStore(
            read_source=self._read_source,
            max_bytes=self._max_file_bytes,
            on_skip=self._report_skip,
        )

    async def workspace_apply_edit_async(
        self, params: types.ApplyWorkspaceEditParams
    ) -> types.ApplyWorkspaceEditResult:
        """Ask the client to apply an edit; an error answer or one that cannot be read
        counts as not applied (with the reason), so no caller waits or crashes on it."""
        try:
            return await super().workspace_apply_edit_async(params)
        except JsonRpcException as error:
            logger.warning("workspace/applyEdit failed: %s", error)
            return types.ApplyWorkspaceEditResult(
                applied=False, failure_reason=f"the editor answered: {error.message or error}"
            )

    # --- settings -------------------------------------------------------------------------

    @property
    def settings(self) -> ServerSettings:
        """The validated settings (defaults until the client sends valid ones)."""
        if self._settings is None:
            from fastapi_architect.lsp.settings import ServerSettings

            self._settings = ServerSettings()
        return self._settings

    def apply_settings(self, raw: Any, origin: str) -> None:
        """Validate ``raw`` settings; on error warn once and fall back to the defaults."""
        from fastapi_architect.lsp.settings import ServerSettings, SettingsError, parse_settings

        try:
            self._settings = parse_settings(raw)
        except SettingsError as error:
            self._settings = ServerSettings()
            self.show_message(
                f"FastAPI Architect: invalid settings in {origin} ({error}); using the defaults.",
                types.MessageType.Warning,
            )
        logging.getLogger("fastapi_architect").setLevel(self._settings.log_level.upper())

    def _max_file_bytes(self) -> int:
        if self._settings is None:
            return DEFAULT_MAX_FILE_BYTES
        return self._settings.analysis.max_file_bytes

    # --- documents ------------------------------------------------------------------------

    def _read_source(self, uri: str) -> DocumentSource:
        """The open buffer of ``uri``, else the regular file on disk (raises if there is none;
        ``SkippedFile`` for special and oversized files)."""
        path_text = to_fs_path(uri)
        path = Path(path_text) if path_text else None
        opened = self.workspace.text_documents.get(uri)
        if opened is not None:
            return DocumentSource(uri, opened.version, opened.source, path)
        if path is None:
            raise LookupError(f"not a file URI: {uri}")
        # Never-opened documents: no FIFO, device or oversized file is ever opened for reading.
        from fastapi_architect.project_files import read_text_safely

        return DocumentSource(uri, None, read_text_safely(path, self._max_file_bytes()), path)

    def _report_skip(self, uri: str, reason: str) -> None:
        self.log(f"{uri}: {reason}", types.MessageType.Info)

    # --- talking to the user ---------------------------------------------------------------

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Log what pygls reports instead of its pop-up: a refused request (bad parameters, a
        user error already shown) at Warning level, anything else as a protocol error."""
        from fastapi_architect.lsp.guard import is_refusal

        try:
            if is_refusal(error):
                self.log(f"fastapi-architect: request refused: {error}", types.MessageType.Warning)
            else:
                self.log(f"fastapi-architect: protocol error: {error}", types.MessageType.Error)
        except Exception:  # the connection itself may be broken
            logger.exception("could not report a protocol error")

    def log(self, message: str, level: types.MessageType = types.MessageType.Log) -> None:
        """Send ``message`` to the client's log (``window/logMessage``)."""
        logger.log(_LOGGING_LEVELS.get(level, logging.INFO), "%s", message)
        self.window_log_message(types.LogMessageParams(type=level, message=message))

    def show_message(self, message: str, level: types.MessageType = types.MessageType.Info) -> None:
        """Show ``message`` to the user (``window/showMessage``)."""
        logger.log(_LOGGING_LEVELS.get(level, logging.INFO), "%s", message)
        self.window_show_message(types.ShowMessageParams(type=level, message=message))

    @property
    def position_encoding(self) -> str:
        """The negotiated position encoding's wire value: ``utf-8``, ``utf-16`` or ``utf-32``.

        pygls keeps lsprotocol's enum member, whose ``str()`` is ``PositionEncodingKind.Utf8``
        on Python 3.11; every adapter must use this value instead.
        """
        raw = self.workspace.position_encoding
        value = getattr(raw, "value", raw)
        return str(value) if value else "utf-16"

    def workspace_roots(self) -> list[Path]:
        """The workspace folders (or the root URI) as local paths."""
        roots: list[Path] = []
        for folder in self.workspace.folders.values():
            path = to_fs_path(folder.uri)
            if path:
                roots.append(Path(path))
        if not roots and self.workspace.root_path:
            roots.append(Path(self.workspace.root_path))
        return roots


_LOGGING_LEVELS = {
    types.MessageType.Error: logging.ERROR,
    types.MessageType.Warning: logging.WARNING,
    types.MessageType.Info: logging.INFO,
    types.MessageType.Log: logging.DEBUG,
    types.MessageType.Debug: logging.DEBUG,
}
