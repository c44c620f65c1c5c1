"""Over the wire: diagnostics and fixes of one open document know the models of other
workspace files — from disk, and from open buffers that differ from the disk."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_steps import code_actions, fix_all_edit, next_diagnostics
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.lsp.features.pydantic_v2 import FIX_ALL_KIND, MIGRATE_WORKSPACE_COMMAND
from lsp_support import editor, open_document, uri_of

BASE = """\
from pydantic import BaseSettings


class AppSettings(BaseSettings):
    debug: bool = False
"""
SETTINGS = """\
from app.base import AppSettings


class Settings(AppSettings):
    class Config:
        env_prefix = "APP_"
"""
PLAIN = "class Thing:\n    def dict(self):\n        return {}\n"
UNSAVED_MODEL = "from pydantic import BaseModel\n\n\nclass Thing(BaseModel):\n    x: int = 0\n"
USER = """\
from app.thing import Thing


def dump(thing: Thing) -> dict:
    return thing.dict()
"""


@pytest.fixture
def initialization_options() -> Any:
    return {"diagnostics": {"debounceMs": 0}}


def package(workspace: Path, files: dict[str, str]) -> None:
    (workspace / "app").mkdir(exist_ok=True)
    (workspace / "app" / "__init__.py").write_text("", encoding="utf-8")
    for name, text in files.items():
        (workspace / "app" / name).write_text(text, encoding="utf-8")


async def open_and_wait(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    waiting = asyncio.ensure_future(next_diagnostics(client, uri_of(path)))
    open_document(client, path, text)
    return list((await waiting).diagnostics)


async def test_config_of_a_subclass_of_a_settings_base_in_another_file_becomes_settings_config(
    client: LanguageClient, workspace: Path
) -> None:
    package(workspace, {"base.py": BASE, "settings.py": SETTINGS})
    path = workspace / "app" / "settings.py"
    diagnostics = await open_and_wait(client, path, SETTINGS)
    (config,) = [d for d in diagnostics if d.code == "PYD010"]
    assert "SettingsConfigDict" in config.message

    at = types.Range(start=types.Position(line=0, character=0), end=config.range.start)
    (action,) = await code_actions(client, uri_of(path), at, [], only=[FIX_ALL_KIND])
    edit = await fix_all_edit(client, action)
    if editor(client).applied[-1:] != [edit]:
        editor(client).apply(edit)
    buffer = editor(client).buffers[uri_of(path)]
    assert 'model_config = SettingsConfigDict(env_prefix="APP_")' in buffer
    compile(buffer, "settings.py", "exec")


async def test_an_unsaved_buffer_that_makes_a_class_a_model_counts_for_other_documents(
    client: LanguageClient, workspace: Path
) -> None:
    package(workspace, {"thing.py": PLAIN, "user.py": USER})
    user = workspace / "app" / "user.py"
    assert not [d for d in await open_and_wait(client, user, USER) if d.code == "PYD014"]

    thing = workspace / "app" / "thing.py"
    await open_and_wait(client, thing, UNSAVED_MODEL)  # the disk still has the plain class
    changed = USER + "\n"
    waiting = asyncio.ensure_future(next_diagnostics(client, uri_of(user)))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri_of(user), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=changed)],
        )
    )
    editor(client).buffers[uri_of(user)] = changed
    diagnostics = list((await waiting).diagnostics)
    (method,) = [d for d in diagnostics if d.code == "PYD014"]
    assert "`.dict()` on `Thing`" in method.message


API = """\
from app.base import AppSettings
from app.thing import Thing


class Settings(AppSettings):
    class Config:
        env_file = ".env"


def dump(thing: Thing) -> dict:
    return thing.dict()
"""


async def test_migrate_workspace_uses_the_index_for_closed_files_and_open_documents(
    client: LanguageClient, workspace: Path
) -> None:
    package(workspace, {"base.py": BASE, "thing.py": UNSAVED_MODEL, "api.py": API})
    (workspace / "app" / "open_api.py").write_text(API, encoding="utf-8")
    opened = workspace / "app" / "open_api.py"
    await open_and_wait(client, opened, API)
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=MIGRATE_WORKSPACE_COMMAND, arguments=[])
    )
    assert result["skipped"] == 0
    closed = (workspace / "app" / "api.py").read_text(encoding="utf-8")
    for text in (closed, editor(client).buffers[uri_of(opened)]):
        assert 'model_config = SettingsConfigDict(env_file=".env")' in text
        assert "return thing.model_dump()" in text
