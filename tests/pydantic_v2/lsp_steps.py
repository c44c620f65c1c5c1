"""The steps a client takes in the Pydantic migration's stdio tests: open a file and wait for
its diagnostics, ask for code actions, resolve (or run) them, apply their edits.

``quick_fix_text`` and ``fix_all_text`` are the whole open → request → resolve → apply
sequences; the smaller steps are for tests that check something in between.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Union

from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.lsp.features.pydantic_v2 import (
    APPLY_FIXES_COMMAND,
    FIX_ALL_KIND,
    FIX_ALL_TITLE,
)
from lsp_support import apply_text_edits, capabilities, code_units, editor, open_document, uri_of

PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
PYDANTIC_KINDS = [types.CodeActionKind.QuickFix, FIX_ALL_KIND]
"""The kinds this feature returns (other features may add their own actions, e.g. extract)."""


def position(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def encoding_of(client_name: str) -> str:
    """The position encoding the server negotiates with this client (pygls: client's first)."""
    general = capabilities(client_name).general
    for encoding in (general.position_encodings if general else None) or []:
        value = str(getattr(encoding, "value", encoding))
        if value in {"utf-8", "utf-16", "utf-32"}:
            return value
    return "utf-16"


def lsp_character(line: str, code_points: int, encoding: str) -> int:
    return sum(code_units(char, encoding) for char in line[:code_points])


def edits_for(edit: types.WorkspaceEdit, uri: str, versioned: bool) -> list[Any]:
    """The text edits of ``uri`` in ``edit``, checking the shape this client asked for."""
    if versioned:
        assert edit.changes is None
        assert edit.document_changes is not None
        (change,) = edit.document_changes
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == uri
        assert change.text_document.version is not None
        return list(change.edits)
    assert edit.document_changes is None
    assert edit.changes is not None
    return list(edit.changes[uri])


async def next_diagnostics(client: LanguageClient, uri: str) -> types.PublishDiagnosticsParams:
    """Wait for the next ``publishDiagnostics`` of ``uri``."""
    while True:
        params: types.PublishDiagnosticsParams = await asyncio.wait_for(
            client.wait_for_notification(PUBLISH), timeout=30
        )
        if params.uri == uri:
            return params


async def open_and_wait(
    client: LanguageClient, workspace: Path, text: str, name: str = "models.py"
) -> tuple[str, list[types.Diagnostic]]:
    path = workspace / name
    path.write_text(text, encoding="utf-8")
    waiting = asyncio.ensure_future(next_diagnostics(client, uri_of(path)))
    uri = open_document(client, path, text)
    published = await waiting
    return uri, list(published.diagnostics)


def parse_code_actions_with_commands(client: LanguageClient) -> None:
    """lsprotocol's client-side hook parses every object with a ``command`` key as a
    ``Command``, so a ``CodeAction`` carrying a command arrives garbled; tell them apart by
    the key's type, as editors do."""
    converter = client.protocol._converter

    def structure(value: Any, _: Any) -> types.Command | types.CodeAction:
        if isinstance(value.get("command"), str):
            return converter.structure(value, types.Command)
        return converter.structure(value, types.CodeAction)

    # typing.Union, not `|`: the hook must be keyed by the exact type lsprotocol registered.
    result_type = Union[types.Command, types.CodeAction]  # noqa: UP007
    converter.register_structure_hook(result_type, structure)


async def code_actions(
    client: LanguageClient,
    uri: str,
    at: types.Range,
    diagnostics: list[types.Diagnostic],
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    parse_code_actions_with_commands(client)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=at,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )
    return [action for action in result or [] if isinstance(action, types.CodeAction)]


async def resolved(client: LanguageClient, action: types.CodeAction) -> types.CodeAction:
    """The action with its edit: resolved lazily when the client can, else already eager."""
    if client_supports_resolve(client):
        assert action.edit is None, "the edit must be computed lazily for this client"
        assert isinstance(action.data, dict)
        action = await client.code_action_resolve_async(action)
    assert action.edit is not None
    return action


async def fix_all_edit(client: LanguageClient, action: types.CodeAction) -> types.WorkspaceEdit:
    """The fix-all's edit: resolved lazily, or, for clients that cannot resolve, sent by the
    server through ``workspace/applyEdit`` when the action's command runs."""
    if client_supports_resolve(client):
        action = await resolved(client, action)
        assert action.edit is not None
        return action.edit
    assert action.edit is None, "the whole-file fix must not be computed for every lightbulb"
    assert action.command is not None
    assert action.command.command == APPLY_FIXES_COMMAND
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command=action.command.command, arguments=action.command.arguments
        )
    )
    assert result == {"applied": True}
    return editor(client).applied[-1]


def client_supports_resolve(client: LanguageClient) -> bool:
    caps = client.capabilities
    code_action = caps.text_document.code_action if caps and caps.text_document else None
    support = code_action.resolve_support if code_action else None
    return bool(support and "edit" in support.properties)


def versioned_edits(client: LanguageClient) -> bool:
    caps = client.capabilities
    workspace_edit = caps.workspace.workspace_edit if caps and caps.workspace else None
    return bool(workspace_edit and workspace_edit.document_changes)


TOP = types.Range(
    start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
)
"""An empty range at the top of the file (fix-all does not depend on the cursor)."""


async def quick_fix_text(
    client: LanguageClient,
    uri: str,
    source: str,
    diagnostic: types.Diagnostic,
    encoding: str,
    only: list[str] | None = None,
) -> tuple[types.CodeAction, str]:
    """The one quick fix offered for ``diagnostic`` (sent as context), resolved, and ``source``
    with its edit applied."""
    actions = await code_actions(client, uri, diagnostic.range, [diagnostic], only=only)
    (fix,) = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    fix = await resolved(client, fix)
    assert fix.edit is not None
    edits = edits_for(fix.edit, uri, versioned_edits(client))
    return fix, apply_text_edits(source, edits, encoding)


async def fix_all_text(
    client: LanguageClient,
    uri: str,
    source: str,
    encoding: str,
    only: str = "source.fixAll",
) -> tuple[types.CodeAction, str]:
    """The fix-all action (the only action of kind ``only`` at the top of the file), and
    ``source`` with its edit applied (resolved, or sent by the server through its command)."""
    (action,) = await code_actions(client, uri, TOP, [], only=[only])
    assert action.kind == FIX_ALL_KIND
    assert action.title.startswith(f"{FIX_ALL_TITLE} (")
    edit = await fix_all_edit(client, action)
    return action, apply_text_edits(source, edits_for(edit, uri, versioned_edits(client)), encoding)
