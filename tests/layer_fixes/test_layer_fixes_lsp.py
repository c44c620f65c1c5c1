"""The FA104 quick fix over the wire, under the VS Code, Neovim and Emacs capability sets.

The client sends the FA104 diagnostic back as code-action context (without ``data``, as a
client that does not keep it would). VS Code resolves the action into one ``WorkspaceEdit``
that creates the missing modules; Neovim and Emacs cannot create files through an edit, so
the action runs a command that writes them and sends the remaining edits.
"""

from __future__ import annotations

from pathlib import Path

from domain_error_support import bare, imported, line_of, scaffold_like
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.lsp.clientcaps import ClientSupport
from lsp_support import (
    capabilities,
    editor,
    open_document,
    run_command,
    structure_code_actions_properly,
)

SERVICE = "app/services/books.py"


def _fa104(text: str, line: int) -> types.Diagnostic:
    """The diagnostic the layers checker publishes: its range is exactly the ``raise``."""
    body = text.splitlines()[line]
    start = len(body) - len(body.lstrip())
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=line, character=start),
            end=types.Position(line=line, character=len(body)),
        ),
        message="HTTPException raised in the service layer",
        severity=types.DiagnosticSeverity.Information,
        code="FA104",
        source="fastapi-architect",
    )


async def _quick_fixes(
    client: LanguageClient, uri: str, diagnostic: types.Diagnostic
) -> list[types.CodeAction]:
    structure_code_actions_properly(client)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(
                diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]
            ),
        )
    )
    return [
        action
        for action in result or []
        if isinstance(action, types.CodeAction) and action.title.endswith("(FA104)")
    ]


async def _apply(client: LanguageClient, action: types.CodeAction) -> None:
    """Do what the editor does when the user picks ``action``."""
    if action.edit is None and action.command is None:
        action = await client.code_action_resolve_async(action)
    if action.edit is not None:
        editor(client).apply(action.edit)
    if action.command is not None:
        await run_command(client, action.command)


def _open_service(client: LanguageClient, root: Path) -> tuple[Path, str, str]:
    """Open the project's service module as the editor would: its path, text and URI."""
    path = root / SERVICE
    text = path.read_text(encoding="utf-8")
    return path, text, open_document(client, path, text)


def _creates_files(client_name: str) -> bool:
    return ClientSupport.from_capabilities(capabilities(client_name)).create_files


async def test_fix_creates_the_errors_module_and_handler_and_rewrites_the_raise(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    root = bare(workspace)
    path, text, uri = _open_service(client, root)

    (action,) = await _quick_fixes(client, uri, _fa104(text, line_of(path, "status_code=404")))
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.is_preferred
    assert action.title.startswith("Replace HTTPException(404) with a domain error")
    if _creates_files(client_name):  # one WorkspaceEdit, creating the new modules itself
        assert action.command is None
        await _apply(client, action)
        (edit,) = editor(client).applied
        created = [c for c in edit.document_changes or [] if isinstance(c, types.CreateFile)]
        assert sorted(c.uri.rsplit("/", 2)[-2] for c in created) == ["api", "services"]
    else:  # the server writes the new modules, then sends the edits
        assert action.command is not None
        assert action.command.command == "fastapi-architect.raiseDomainError"
        await _apply(client, action)

    service = editor(client).buffers[uri]
    assert 'raise NotFoundError(f"book {book_id} not found")' in service
    assert imported(service, "app.services.errors") == {"NotFoundError"}
    errors = (root / "app/services/errors.py").read_text(encoding="utf-8")
    assert "class NotFoundError(ServiceError):" in errors
    handlers = (root / "app/api/errors.py").read_text(encoding="utf-8")
    assert "NotFoundError: status.HTTP_404_NOT_FOUND," in handlers
    main = (root / "app/main.py").read_text(encoding="utf-8")
    assert "register_exception_handlers(app)" in main
    for module in (service, errors, handlers, main):
        compile(module, "<fixed>", "exec")


async def test_fix_maps_a_new_error_in_the_existing_handler(
    client: LanguageClient, workspace: Path
) -> None:
    root = scaffold_like(workspace)
    path, text, uri = _open_service(client, root)

    (action,) = await _quick_fixes(client, uri, _fa104(text, line_of(path, "HTTP_403_FORBIDDEN")))
    await _apply(client, action)

    assert 'raise PermissionDeniedError("this book is locked")' in editor(client).buffers[uri]
    handlers = (root / "app/api/errors.py").read_text(encoding="utf-8")
    assert "    PermissionDeniedError: status.HTTP_403_FORBIDDEN,\n}" in handlers
    assert "class PermissionDeniedError(ServiceError):" in (
        root / "app/services/errors.py"
    ).read_text(encoding="utf-8")


async def test_headers_get_a_disabled_fix_with_the_reason_where_the_client_shows_it(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    service = (
        '"""Auth."""\n\nfrom fastapi import HTTPException\n\n\n'
        "def login() -> None:\n"
        '    raise HTTPException(401, "expired", headers={"WWW-Authenticate": "Bearer"})\n'
    )
    root = scaffold_like(workspace, service)
    path = root / SERVICE
    uri = open_document(client, path, service)

    actions = await _quick_fixes(client, uri, _fa104(service, line_of(path, "raise")))

    code_action = capabilities(client_name).text_document
    shows_disabled = bool(
        code_action and code_action.code_action and code_action.code_action.disabled_support
    )
    if shows_disabled:
        (action,) = actions
        assert action.disabled is not None
        assert "headers" in action.disabled.reason
        assert action.edit is None and action.command is None
    else:
        assert actions == []


async def test_no_fix_without_an_fa104_diagnostic_in_the_context(
    client: LanguageClient, workspace: Path
) -> None:
    root = scaffold_like(workspace)
    path, text, uri = _open_service(client, root)
    other = _fa104(text, line_of(path, "status_code=404"))
    other.code = "PYD001"

    assert await _quick_fixes(client, uri, other) == []
