"""Quick fixes for the layer diagnostics: FA104 (``HTTPException`` raised in a service).

The fix is keyed on the diagnostic's code and range only, so it works without the
diagnostic's ``data``: the ``raise`` is found again in the document's current text. The
cheap check (is this a rewritable ``raise HTTPException(...)``?) runs when the lightbulb
asks; the multi-file plan is computed in ``codeAction/resolve``. Clients that cannot create
files through a workspace edit get a command that writes new files itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from lsprotocol import types

from fastapi_architect.lsp.features.base import CommandHandler, Feature
from fastapi_architect.lsp.guard import UserFacingError
from fastapi_architect.lsp.located_actions import apply_located, offer_at, resolve_located

if TYPE_CHECKING:
    from fastapi_architect.layers.domain_errors import DomainErrorFix, RaisedHTTPException
    from fastapi_architect.lsp.documents import AnalysedDocument
    from fastapi_architect.lsp.host import FeatureHost
    from fastapi_architect.project_files import ProjectFiles

DOMAIN_ERROR_CODE = "FA104"
COMMAND = "fastapi-architect.raiseDomainError"
"""Command id: apply the FA104 fix at ``{"uri": ..., "line": ...}`` (0-based line)."""


def _title(status_code: int) -> str:
    return f"Replace HTTPException({status_code}) with a domain error mapped by the API (FA104)"


def _line_of(document: AnalysedDocument, diagnostic: types.Diagnostic, encoding: str) -> int:
    from fastapi_architect.lsp.positions import from_lsp_position

    return from_lsp_position(document.lines, diagnostic.range.start, encoding).line


def _raise_at(line: int) -> Callable[[AnalysedDocument], RaisedHTTPException | str]:
    """The memoisable check of the ``raise`` on ``line``: the raise, or why it cannot be fixed."""

    def inspect(document: AnalysedDocument) -> RaisedHTTPException | str:
        from fastapi_architect.layers.domain_errors import DomainErrorRefusal, raise_at

        try:
            return raise_at(document.text, line, document.python_ast())
        except DomainErrorRefusal as error:
            return str(error)

    return inspect


def plan_for(
    server: FeatureHost, uri: str, line: int, files: ProjectFiles | None = None
) -> DomainErrorFix:
    """Plan the FA104 fix at ``line`` of ``uri`` on the editor's buffers (or ``files``)."""
    from fastapi_architect.layers.domain_errors import DomainErrorRefusal, plan_domain_error
    from fastapi_architect.lsp.project_view import buffer_files
    from fastapi_architect.project_files import containing_root

    document = server.documents.get(uri)
    if document is None or document.path is None:
        raise UserFacingError(f"cannot read {uri}")
    if not document.analysable:
        raise UserFacingError(f"{document.path.name}: {document.skipped_reason}")
    root = containing_root(document.path, server.workspace_roots())
    if root is None:
        raise UserFacingError(f"{document.path} is not inside a workspace folder")
    view = buffer_files(server) if files is None else files
    text = view.read_text(document.path)
    try:
        return plan_domain_error(
            text,
            document.path,
            line,
            root=root,
            files=view,
            tree=document.python_ast() if text == document.text else None,
        )
    except DomainErrorRefusal as error:
        raise UserFacingError(f"cannot replace the HTTPException: {error}") from error


class LayerFixesFeature(Feature):
    """Offers the quick fix of FA104 diagnostics sent back by the client."""

    name: ClassVar[str] = "layer-fixes"
    code_action_kinds: ClassVar[Sequence[str]] = (types.CodeActionKind.QuickFix,)

    def commands(self) -> Mapping[str, CommandHandler]:
        """``fastapi-architect.raiseDomainError``: the fix for clients without file creation."""
        return {COMMAND: _fix_command}

    def code_actions(
        self,
        server: FeatureHost,
        document: AnalysedDocument,
        params: types.CodeActionParams,
    ) -> Sequence[types.CodeAction]:
        """One quick fix per FA104 diagnostic in the context (disabled with the reason when
        the ``raise`` cannot be rewritten)."""
        wanted = [d for d in params.context.diagnostics if str(d.code) == DOMAIN_ERROR_CODE]
        if not wanted or document.path is None:
            return ()
        if document.python_ast() is None:
            return ()
        actions: list[types.CodeAction] = []
        lines: set[int] = set()
        for diagnostic in wanted:
            line = _line_of(document, diagnostic, server.position_encoding)
            if line in lines:
                continue
            lines.add(line)
            raised = document.memo(f"layer-fixes.raise:{line}", _raise_at(line))
            if isinstance(raised, str):
                actions.append(
                    types.CodeAction(
                        title="Replace HTTPException with a domain error (FA104)",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        disabled=types.CodeActionDisabled(reason=raised),
                    )
                )
                continue
            action = types.CodeAction(
                title=_title(raised.status_code),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=True,
            )
            actions.append(offer_at(action, server, document, line, COMMAND))
        return actions

    def resolve_code_action(
        self, server: FeatureHost, action: types.CodeAction
    ) -> types.CodeAction:
        """Compute the multi-file ``WorkspaceEdit`` against the current buffers."""
        return resolve_located(server, action, plan_for, offered="fix")


def _root(server: FeatureHost, uri: str) -> Path:
    """The workspace folder holding the document at ``uri``."""
    from fastapi_architect.project_files import containing_root

    document = server.documents.get(uri)
    if document is None or document.path is None:
        raise UserFacingError(f"cannot read {uri}")
    root = containing_root(document.path, server.workspace_roots())
    if root is None:
        raise UserFacingError(f"{document.path} is not inside a workspace folder")
    return root


async def _fix_command(server: FeatureHost, arguments: Sequence[Any]) -> Any:
    """Apply the FA104 fix at ``arguments[0]`` the way the client allows."""
    fix, paths = await apply_located(server, COMMAND, arguments, _root, plan_for)
    server.show_message(
        f"FastAPI Architect: the service now raises {fix.error_class} "
        f"(HTTP {fix.status_code}, mapped by the API's exception handler)",
        types.MessageType.Info,
    )
    return {"errorClass": fix.error_class, "paths": [str(path) for path in paths]}
