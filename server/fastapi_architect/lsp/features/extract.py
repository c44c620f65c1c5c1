"""Extract endpoint logic into the service layer: the ``refactor.extract`` code action.

The availability check (is the cursor in a path operation function?) uses the document's
shared ``ast`` tree and a per-version endpoint index, so it stays cheap on every cursor move.
The multi-file edit is computed lazily in ``codeAction/resolve``. Clients that cannot create
files through a workspace edit (Neovim, Emacs) get a command instead, which writes the new
files directly inside the workspace and sends the remaining edits with ``workspace/applyEdit``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from lsprotocol import types

from fastapi_architect.lsp.features.base import CommandHandler, Feature
from fastapi_architect.lsp.guard import UserFacingError
from fastapi_architect.lsp.located_actions import apply_located, offer_at, resolve_located

if TYPE_CHECKING:
    from fastapi_architect.extract.endpoints import EndpointIndex
    from fastapi_architect.extract.planner import Extraction
    from fastapi_architect.lsp.documents import AnalysedDocument
    from fastapi_architect.lsp.host import FeatureHost
    from fastapi_architect.project_files import ProjectFiles

COMMAND = "fastapi-architect.extractService"
"""Command id: extract the endpoint at ``{"uri": ..., "line": ...}`` (0-based line)."""

GENERIC_TITLE = "Extract endpoint logic to the service layer"
OUTSIDE_REASON = "Place the cursor inside a path operation function (@router.get, @app.post, …)"


def _index(document: AnalysedDocument) -> EndpointIndex:
    from fastapi_architect.extract.endpoints import EndpointIndex, index_endpoints

    tree = document.python_ast()
    return index_endpoints(tree) if tree is not None else EndpointIndex((), ())


def _service_display(document: AnalysedDocument, pattern: str) -> str | None:
    """The service module's path as the title shows it (``app/services/user_service.py``)."""
    from fastapi_architect.extract.layout import LayoutError, resolve_layout

    if document.path is None:
        return None
    try:
        layout = resolve_layout(document.path, pattern)  # a title only: the disk is enough
    except (LayoutError, OSError):
        return None
    try:
        return layout.service.path.relative_to(layout.import_root).as_posix()
    except ValueError:
        return layout.service.path.name


def _document_and_root(server: FeatureHost, uri: str) -> tuple[AnalysedDocument, Path]:
    """The document to extract from and the workspace folder holding it (symlinks resolved)."""
    from fastapi_architect.project_files import containing_root

    document = server.documents.get(uri)
    if document is None or document.path is None:
        raise UserFacingError(f"cannot read {uri}")
    if not document.analysable:
        raise UserFacingError(f"{document.path.name}: {document.skipped_reason}")
    workspace_root = containing_root(document.path, server.workspace_roots())
    if workspace_root is None:
        raise UserFacingError(f"{document.path} is not inside a workspace folder")
    return document, workspace_root


def plan_for(
    server: FeatureHost, uri: str, line: int, files: ProjectFiles | None = None
) -> Extraction:
    """Plan the extraction at ``line`` of ``uri`` against the editor's current buffers
    (``files``, a snapshot of them, when given)."""
    from fastapi_architect.extract.context import ExtractRefusal
    from fastapi_architect.extract.planner import plan_extract
    from fastapi_architect.lsp.project_view import buffer_files

    document, workspace_root = _document_and_root(server, uri)
    view = buffer_files(server) if files is None else files
    text = view.read_text(document.path) if document.path is not None else document.text
    try:
        return plan_extract(
            text,
            document.path or Path(),
            line,
            root=workspace_root,
            service_module=server.settings.extract.service_module,
            files=view,
            tree=document.python_ast() if text == document.text else None,
        )
    except ExtractRefusal as error:
        raise UserFacingError(f"cannot extract: {error}") from error


class ExtractServiceFeature(Feature):
    """Offers ``refactor.extract`` inside path operation functions."""

    name: ClassVar[str] = "extract"
    code_action_kinds: ClassVar[Sequence[str]] = (types.CodeActionKind.RefactorExtract,)

    def commands(self) -> Mapping[str, CommandHandler]:
        """``fastapi-architect.extractService``: extract by writing files (no resource ops)."""
        return {COMMAND: _extract_command}

    def code_actions(
        self,
        server: FeatureHost,
        document: AnalysedDocument,
        params: types.CodeActionParams,
    ) -> Sequence[types.CodeAction]:
        """The extract action when the cursor is in an endpoint; a disabled one elsewhere."""
        from fastapi_architect.extract.endpoints import refusal_reason

        if document.path is None or document.path.suffix != ".py":
            return ()
        kind = types.CodeActionKind.RefactorExtract
        error = document.syntax_error()
        if error is not None:
            return [_disabled(f"this file does not parse (line {error.lineno}: {error.msg})", kind)]
        line = params.range.start.line
        endpoint = document.memo("extract.endpoints", _index).at(line)
        if endpoint is None:
            return [_disabled(OUTSIDE_REASON, kind)]
        pattern = server.settings.extract.service_module
        display = document.memo(
            f"extract.target:{pattern}", lambda doc: _service_display(doc, pattern)
        )
        title = f"Extract endpoint logic to {display}" if display else GENERIC_TITLE
        reason = document.memo(
            f"extract.refusal:{endpoint.first_line}",
            lambda doc: refusal_reason(endpoint, doc.lines),
        )
        if reason is not None:
            return [_disabled(reason, kind, title)]
        return [offer_at(types.CodeAction(title=title, kind=kind), server, document, line, COMMAND)]

    def resolve_code_action(
        self, server: FeatureHost, action: types.CodeAction
    ) -> types.CodeAction:
        """Compute the multi-file ``WorkspaceEdit`` (one edit, with a change annotation)."""
        return resolve_located(server, action, plan_for, offered="action")


def _disabled(
    reason: str, kind: types.CodeActionKind, title: str = GENERIC_TITLE
) -> types.CodeAction:
    return types.CodeAction(
        title=title, kind=kind, disabled=types.CodeActionDisabled(reason=reason)
    )


def _workspace_root(server: FeatureHost, uri: str) -> Path:
    return _document_and_root(server, uri)[1]


async def _extract_command(server: FeatureHost, arguments: Sequence[Any]) -> Any:
    """Extract the endpoint at ``arguments[0]`` and apply the plan the client's way."""
    extraction, paths = await apply_located(server, COMMAND, arguments, _workspace_root, plan_for)
    server.show_message(
        f"FastAPI Architect: extracted {extraction.endpoint} to {extraction.service_path} "
        f"as {extraction.service_function}",
        types.MessageType.Info,
    )
    return {
        "service": extraction.service_path.as_posix(),
        "function": extraction.service_function,
        "paths": [str(path) for path in paths],
    }
