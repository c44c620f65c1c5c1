"""Bad input over the wire: the server answers clearly and keeps serving."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcMethodNotFound
from pytest_lsp import LanguageClient

from lsp_support import open_document, uri_of, wait_for_diagnostics

HALF_TYPED_ENDPOINT = '''from fastapi import APIRouter, Depends

router = APIRouter()


@router.get("/users/{user_id}")
def read_user(user_id: int, session: SessionDep) -> UserResponse:
    """Return one user."""
    user = session.get(User, user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="User not found")
    return user
'''


def _error_logs(client: LanguageClient) -> list[str]:
    return [m.message for m in client.log_messages if m.type == types.MessageType.Error]


async def _ask_everything(client: LanguageClient, uri: str, line: int = 0) -> None:
    """Send the requests an editor sends at a cursor position; all must be answered."""
    position = types.Position(line=line, character=0)
    await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=position, end=position),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position
        )
    )


async def test_open_change_close_keeps_diagnostics_in_step_with_versions(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_document(client, workspace / "main.py", "x = 1\n")
    await wait_for_diagnostics(client, uri, 1)

    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=0, character=4),
                        end=types.Position(line=0, character=5),
                    ),
                    text="2",
                )
            ],
        )
    )
    await wait_for_diagnostics(client, uri, 2)

    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await wait_for_diagnostics(client, uri, None)
    assert list(client.diagnostics[uri]) == []
    assert _error_logs(client) == []


async def test_keystroke_stream_of_half_typed_code_never_breaks_the_server(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_document(client, workspace / "users.py", "")
    line, column, version = 0, 0, 1
    for char in HALF_TYPED_ENDPOINT:
        version += 1
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=line, character=column),
                            end=types.Position(line=line, character=column),
                        ),
                        text=char,
                    )
                ],
            )
        )
        if char == "\n":
            line, column = line + 1, 0
        else:
            column += 1
        if version % 40 == 0:  # the editor asks for the lightbulb while the user types
            await _ask_everything(client, uri, line)
    await _ask_everything(client, uri, line)
    await wait_for_diagnostics(client, uri, version)
    assert _error_logs(client) == []


async def test_file_with_syntax_errors_gets_answers_not_errors(
    client: LanguageClient, workspace: Path
) -> None:
    uri = open_document(client, workspace / "broken.py", "def f(:\n    return )\nclass\n")
    await wait_for_diagnostics(client, uri, 1)
    await _ask_everything(client, uri, 1)
    assert _error_logs(client) == []


@pytest.mark.parametrize(
    "uri",
    [
        "file:///definitely/not/here.py",
        "untitled:Untitled-1",
        "https://example.invalid/x.py",
    ],
)
async def test_requests_for_unknown_documents_get_empty_answers(
    client: LanguageClient, uri: str
) -> None:
    position = types.Position(line=3, character=2)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=position, end=position),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    completions = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position
        )
    )
    assert not actions
    assert isinstance(completions, types.CompletionList)
    assert list(completions.items) == []
    assert _error_logs(client) == []


async def test_deleted_file_gets_empty_answers(client: LanguageClient, workspace: Path) -> None:
    path = workspace / "gone.py"
    path.write_text("from pydantic import BaseModel\n", encoding="utf-8")
    await _ask_everything(client, uri_of(path))
    path.unlink()
    await _ask_everything(client, uri_of(path))
    assert _error_logs(client) == []


async def test_huge_file_is_skipped_and_said_once_in_the_log(
    client: LanguageClient, workspace: Path
) -> None:
    text = "x = 1  # padding padding padding padding padding padding\n" * 100_000
    assert len(text.encode()) > 5_000_000
    uri = open_document(client, workspace / "huge.py", text)
    await wait_for_diagnostics(client, uri, 1)
    for _ in range(3):
        await _ask_everything(client, uri)
    skipped = [m.message for m in client.log_messages if "analysis skipped" in m.message]
    assert len(skipped) == 1
    assert "huge.py" in skipped[0]
    assert list(client.diagnostics[uri]) == []


async def test_binary_file_on_disk_is_skipped(client: LanguageClient, workspace: Path) -> None:
    path = workspace / "blob.py"
    path.write_bytes(b"x = 1\x00\x01\x02\n")
    await _ask_everything(client, uri_of(path))
    assert any("binary" in m.message for m in client.log_messages)
    assert _error_logs(client) == []


async def test_non_utf8_file_on_disk_gets_empty_answers(
    client: LanguageClient, workspace: Path
) -> None:
    path = workspace / "latin1.py"
    path.write_bytes("name = 'Jos\u00e9'\n".encode("latin-1"))
    await _ask_everything(client, uri_of(path))
    assert _error_logs(client) == []


async def test_unknown_request_method_is_answered_with_method_not_found(
    client: LanguageClient,
) -> None:
    with pytest.raises(JsonRpcMethodNotFound):
        await client.protocol.send_request_async("fastapi/doesNotExist", {})
    # ... and the server keeps serving.
    await _ask_everything(client, "file:///nowhere.py")


async def test_unknown_command_is_an_error_and_the_server_keeps_serving(
    client: LanguageClient,
) -> None:
    with pytest.raises(JsonRpcInvalidParams, match="is not defined"):
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="fastapi-architect.not-a-command")
        )
    await _ask_everything(client, "file:///nowhere.py")
