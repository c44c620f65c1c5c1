"""The extract refactoring over the wire, under the VS Code, Neovim and Emacs capability sets.

VS Code resolves the action into one ``WorkspaceEdit`` (CreateFile + versioned edits + a
change annotation). Neovim and Emacs cannot create files through an edit, so the action runs
a command that writes the new files itself and sends the rest with ``workspace/applyEdit``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_support import editor, open_document, run_command, structure_code_actions_properly, uri_of

FIXTURE = Path(__file__).parent / "fixtures" / "shop"
ITEMS = "app/api/v1/endpoints/items.py"
TITLE = "Extract endpoint logic to app/services/item_service.py"


def _copy_shop(workspace: Path) -> Path:
    shutil.copytree(FIXTURE, workspace, dirs_exist_ok=True)
    return workspace / ITEMS


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines()) if needle in line)


async def _actions(client: LanguageClient, uri: str, line: int) -> list[types.CodeAction]:
    structure_code_actions_properly(client)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=line, character=4),
                end=types.Position(line=line, character=4),
            ),
            context=types.CodeActionContext(
                diagnostics=[], only=[types.CodeActionKind.RefactorExtract]
            ),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


async def test_action_is_offered_inside_endpoints_only(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    path = _copy_shop(workspace)
    text = path.read_text()
    uri = open_document(client, path, text)

    inside = await _actions(client, uri, _line(text, "duplicate = db.scalar"))
    assert [a.title for a in inside] == [TITLE]
    assert inside[0].kind == types.CodeActionKind.RefactorExtract
    assert inside[0].disabled is None

    outside = await _actions(client, uri, _line(text, "router = APIRouter()"))
    if client_name == "vscode":
        (disabled,) = outside
        assert disabled.disabled is not None
        assert "path operation function" in disabled.disabled.reason
    else:
        assert outside == []  # no disabledSupport: nothing rather than a dead entry


async def test_extraction_applies_the_multi_file_edit(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    path = _copy_shop(workspace)
    text = path.read_text()
    uri = open_document(client, path, text, version=7)
    (action,) = await _actions(client, uri, _line(text, "duplicate = db.scalar"))
    service = workspace / "app/services/item_service.py"

    if client_name == "vscode":
        assert action.edit is None and action.data  # lazy: computed on resolve
        resolved = await client.code_action_resolve_async(action)
        edit = resolved.edit
        assert edit is not None and edit.change_annotations
        changes = edit.document_changes or []
        created = {
            Path(c.uri.removeprefix("file://")).relative_to(workspace).as_posix()
            for c in changes
            if isinstance(c, types.CreateFile)
        }
        assert created == {
            "app/services/item_service.py",
            "app/schemas/__init__.py",
            "app/schemas/item.py",
        }
        versions = {
            Path(c.text_document.uri).name: c.text_document.version
            for c in changes
            if isinstance(c, types.TextDocumentEdit)
        }
        assert versions["items.py"] == 7 and versions["item_service.py"] is None
        editor(client).apply(edit)
    else:
        assert action.command is not None and action.edit is None
        await run_command(client, action.command)
        assert any("extracted create_item" in m.message for m in client.messages)

    assert "def create_item(payload: ItemCreate, db: Session) -> ItemRead:" in service.read_text()
    assert (workspace / "app/schemas/item.py").is_file()
    buffer = editor(client).buffers[uri]
    assert "    return item_service.create_item(payload=payload, db=db)\n" in buffer
    assert "class ItemCreate" not in buffer
    compile(buffer, "items.py", "exec")


async def test_refused_endpoint_shows_its_reason(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    path = workspace / "stream.py"
    text = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        '@app.get("/s")\ndef stream() -> object:\n    yield 1\n'
    )
    path.write_text(text)
    uri = open_document(client, path, text)
    actions = await _actions(client, uri, 7)
    if client_name == "vscode":
        (action,) = actions
        assert action.disabled is not None and "generator" in action.disabled.reason
    else:
        assert actions == []


async def test_unparsable_module_offers_no_edit(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    path = workspace / "broken.py"
    text = '@app.get("/")\ndef broken(:\n    return 1\n'
    path.write_text(text)
    uri = open_document(client, path, text)
    actions = await _actions(client, uri, 2)
    assert all(a.edit is None and a.command is None for a in actions)
    if client_name == "vscode":
        assert actions and actions[0].disabled is not None
        assert "does not parse" in actions[0].disabled.reason


async def test_command_rejects_bad_arguments_without_dying(
    client: LanguageClient, workspace: Path
) -> None:
    path = _copy_shop(workspace)
    try:
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="fastapi-architect.extractService", arguments=[{"uri": uri_of(path)}]
            )
        )
    except Exception as error:
        assert "line" in str(error)
    else:
        raise AssertionError("the command accepted arguments without a line")
    text = path.read_text()
    uri = open_document(client, path, text)
    assert await _actions(client, uri, _line(text, "duplicate = db.scalar"))


async def test_resolve_after_an_edit_refuses_instead_of_guessing(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    if client_name != "vscode":
        pytest.skip("only clients with resource operations resolve lazily")
    path = _copy_shop(workspace)
    text = path.read_text()
    uri = open_document(client, path, text)
    (action,) = await _actions(client, uri, _line(text, "duplicate = db.scalar"))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="\n" + text)],
        )
    )
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is None
    assert resolved.disabled is not None and "changed" in resolved.disabled.reason
    assert not (workspace / "app/services/item_service.py").exists()
