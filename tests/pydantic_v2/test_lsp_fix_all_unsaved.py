"""Fix-all over the wire on a buffer that differs from the disk (unsaved lines at the top
and in the middle): the edit applies to the buffer, keeps the user's lines, compiles, and
imports ``field_validator`` once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_steps import code_actions, fix_all_edit, next_diagnostics
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.lsp.features.pydantic_v2 import FIX_ALL_KIND
from lsp_support import editor, open_document, uri_of

ON_DISK = """from pydantic import BaseModel, validator


class User(BaseModel):
    name: str

    @validator("name")
    def strip(cls, v):
        return v.strip()
"""
TOP = "# Unsaved: the user is typing\nimport re\nNAME = re.compile(r'\\w+')\n"
MIDDLE = "    # Unsaved: a field added in the editor\n    nickname: str = ''\n"


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


def at_top(text: str) -> str:
    return TOP + text


def in_the_middle(text: str) -> str:
    return text.replace("    name: str\n", "    name: str\n" + MIDDLE, 1)


@pytest.mark.parametrize("unsaved", [at_top, in_the_middle], ids=["top", "middle"])
async def test_fix_all_edits_the_unsaved_buffer(
    client: LanguageClient, workspace: Path, unsaved: object
) -> None:
    assert callable(unsaved)
    path = workspace / "models.py"
    path.write_text(ON_DISK, encoding="utf-8")
    text = unsaved(ON_DISK)
    waiting = asyncio.ensure_future(next_diagnostics(client, uri_of(path)))
    uri = open_document(client, path, text, version=3)
    await waiting
    start = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
    )

    (action,) = await code_actions(client, uri, start, [], only=[FIX_ALL_KIND])
    edit = await fix_all_edit(client, action)
    if editor(client).applied[-1:] != [edit]:  # resolved: the editor applies it now
        editor(client).apply(edit)

    buffer = editor(client).buffers[uri]
    compile(buffer, "models.py", "exec")
    kept = (TOP if unsaved is at_top else MIDDLE).splitlines()
    assert all(line in buffer.splitlines() for line in kept)
    assert buffer.count("field_validator") == 2  # the import and the decorator
    assert "@validator" not in buffer
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit):
            assert change.text_document.version == 3
    assert path.read_text(encoding="utf-8") == ON_DISK
