"""Special files never block the server: a FIFO, ``/dev/stdin`` or ``/dev/zero`` named in a
request is skipped with a reason, and the server keeps answering; ``migrateWorkspace`` lists
FIFOs and unreadable folders as skipped and migrates the rest."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.lsp.features.pydantic_v2 import MIGRATE_WORKSPACE_COMMAND
from lsp_support import uri_of

HANG_GUARD = 20.0
"""Seconds after which a request counts as hung (a guard, not a timing assertion)."""

V1_MODEL = """from pydantic import BaseModel, validator


class User(BaseModel):
    name: str

    @validator("name")
    def strip(cls, v):
        return v.strip()
"""


async def code_actions(client: LanguageClient, uri: str) -> object:
    position = types.Position(line=0, character=0)
    request = client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=position, end=position),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    return await asyncio.wait_for(request, HANG_GUARD)


async def still_answers(client: LanguageClient, workspace: Path) -> None:
    ordinary = workspace / "ordinary.py"
    ordinary.write_text(V1_MODEL, encoding="utf-8")
    actions = await code_actions(client, uri_of(ordinary))
    assert actions, "the server stopped answering after the special file"


async def test_a_code_action_on_a_never_opened_fifo_does_not_block(
    client: LanguageClient, workspace: Path
) -> None:
    fifo = workspace / "pipe.py"
    os.mkfifo(fifo)

    assert await code_actions(client, uri_of(fifo)) is None
    await still_answers(client, workspace)
    assert any(
        "pipe.py" in m.message and "named pipe (FIFO)" in m.message for m in client.log_messages
    )


@pytest.mark.parametrize("device", ["/dev/stdin", "/dev/zero"])
async def test_a_code_action_on_a_device_does_not_read_it(
    client: LanguageClient, workspace: Path, device: str
) -> None:
    assert await code_actions(client, f"file://{device}") is None
    await still_answers(client, workspace)


async def test_migrate_workspace_skips_a_fifo_and_migrates_the_rest(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "app").mkdir()
    models = workspace / "app" / "models.py"
    models.write_text(V1_MODEL, encoding="utf-8")
    os.mkfifo(workspace / "app" / "pipe.py")

    result = await asyncio.wait_for(
        client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=MIGRATE_WORKSPACE_COMMAND, arguments=[])
        ),
        HANG_GUARD,
    )

    assert result == {"scanned": 2, "changed": 1, "skipped": 1}
    assert "@field_validator" in models.read_text(encoding="utf-8")
    assert any("pipe.py" in m.message and "special file" in m.message for m in client.log_messages)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 folder anyway")
async def test_migrate_workspace_lists_an_unreadable_folder_and_migrates_the_rest(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "app").mkdir()
    models = workspace / "app" / "models.py"
    models.write_text(V1_MODEL, encoding="utf-8")
    locked = workspace / "locked"
    locked.mkdir()
    (locked / "hidden.py").write_text(V1_MODEL, encoding="utf-8")
    locked.chmod(0)
    try:
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=MIGRATE_WORKSPACE_COMMAND, arguments=[])
        )
    finally:
        locked.chmod(0o755)
    assert isinstance(result, dict) and result["changed"] == 1 and result["skipped"] == 1
    assert any("unreadable folder" in m.message for m in client.log_messages)
