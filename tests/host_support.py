"""``FakeHost``: a typed ``FeatureHost`` for driving one feature in process.

Fallback matrices (every combination of the client capabilities a fallback depends on) run
against it in milliseconds, with no server process and no connection; the over-the-wire
tests keep one case per capability set. It records what a feature sends (log and shown
messages, applied edits, shown documents, progress) and applies workspace edits the way
the fake editor in ``lsp_support`` does: to its open buffers, else to the files on disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import to_fs_path
from pygls.workspace import Workspace

from fastapi_architect.lsp.clientcaps import ClientSupport
from fastapi_architect.lsp.documents import DocumentSource, DocumentStore
from fastapi_architect.lsp.settings import ServerSettings
from lsp_support import EditorState, uri_of

if TYPE_CHECKING:
    from fastapi_architect.lsp.host import FeatureHost


class FakeProgress:
    """Records ``window/workDoneProgress`` as ``(event, title or message)`` pairs."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str | None]] = []

    async def create_async(self, token: str | int) -> None:
        self.events.append(("create", None))

    def begin(self, token: str | int, value: types.WorkDoneProgressBegin) -> None:
        self.events.append(("begin", value.title))

    def report(self, token: str | int, value: types.WorkDoneProgressReport) -> None:
        self.events.append(("report", value.message))

    def end(self, token: str | int, value: types.WorkDoneProgressEnd) -> None:
        self.events.append(("end", value.message))


class FakeHost:
    """The server as a feature sees it, in process, with ``root`` as the workspace folder."""

    def __init__(
        self,
        root: Path,
        support: ClientSupport,
        *,
        encoding: str = "utf-16",
        settings: ServerSettings | None = None,
        editor_applies: bool = True,
    ) -> None:
        self.root = root
        self.support = support
        self.settings = settings or ServerSettings()
        self.position_encoding = encoding
        self.editor_applies = editor_applies
        """``False``: the editor answers ``workspace/applyEdit`` with ``applied: false``."""
        self.workspace = Workspace(
            uri_of(root),
            workspace_folders=[types.WorkspaceFolder(uri=uri_of(root), name=root.name)],
            position_encoding=encoding,
        )
        self.documents = DocumentStore(
            read_source=self._read_source,
            max_bytes=lambda: self.settings.analysis.max_file_bytes,
            on_skip=lambda uri, reason: self.log(f"{uri}: {reason}"),
        )
        self.editor = EditorState()
        self.editor.encoding = encoding
        self.work_done_progress = FakeProgress()
        self.logged: list[str] = []
        self.shown: list[tuple[types.MessageType, str]] = []
        self.applied: list[types.ApplyWorkspaceEditParams] = []
        self.shown_documents: list[str] = []

    # --- what a test does as the editor ---------------------------------------------------

    def open(self, path: Path, text: str, version: int = 1) -> str:
        """Open ``path`` in the editor with ``text``; returns its URI."""
        uri = uri_of(path)
        self.workspace.put_text_document(
            types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)
        )
        self.editor.buffers[uri] = text
        return uri

    # --- FeatureHost ----------------------------------------------------------------------

    def workspace_roots(self) -> list[Path]:
        return [self.root]

    def log(self, message: str, level: types.MessageType = types.MessageType.Log) -> None:
        self.logged.append(message)

    def show_message(self, message: str, level: types.MessageType = types.MessageType.Info) -> None:
        self.shown.append((level, message))

    def window_log_message(self, params: types.LogMessageParams) -> None:
        self.logged.append(params.message)

    async def workspace_apply_edit_async(
        self, params: types.ApplyWorkspaceEditParams
    ) -> types.ApplyWorkspaceEditResult:
        self.applied.append(params)
        if not self.editor_applies:
            return types.ApplyWorkspaceEditResult(applied=False, failure_reason="user declined")
        self.editor.apply(params.edit)
        for uri, text in self.editor.buffers.items():  # the editor's didChange, in short
            document = self.workspace.get_text_document(uri)
            if document.source != text:
                self.workspace.put_text_document(
                    types.TextDocumentItem(
                        uri=uri,
                        language_id="python",
                        version=(document.version or 0) + 1,
                        text=text,
                    )
                )
        return types.ApplyWorkspaceEditResult(applied=True)

    async def window_show_document_async(
        self, params: types.ShowDocumentParams
    ) -> types.ShowDocumentResult:
        self.shown_documents.append(params.uri)
        return types.ShowDocumentResult(success=True)

    def _read_source(self, uri: str) -> DocumentSource:
        path = Path(to_fs_path(uri) or "")
        opened = self.workspace.text_documents.get(uri)
        if opened is not None:
            return DocumentSource(uri, opened.version, opened.source, path)
        with path.open(encoding="utf-8", newline="") as handle:
            return DocumentSource(uri, None, handle.read(), path)


def as_host(host: FakeHost) -> FeatureHost:
    """``host`` typed as the protocol (mypy checks the fake satisfies it)."""
    return host
