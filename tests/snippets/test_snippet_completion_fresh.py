"""Completion over the wire answers from what the project holds now: a module created (on disk
or as an unsaved buffer) a moment before, and a buffer that differs from the disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from test_snippet_completion import (
    CURSOR,
    ENDPOINT_HEADER,
    PROJECT_FILES,
    apply_item,
    by_label,
    negotiated_encoding,
)

from lsp_support import lsp_position, open_document

DEPS = "app/api/deps.py"
SESSION_IMPORT = "from app.api.deps import SessionDep"
PARAMETER = '@router.get("/{item_id}")\ndef read_item(item_id: int, ses|'


@pytest.fixture
def project_without_deps(workspace: Path) -> Path:
    """The scaffolded layout before anyone wrote ``app/api/deps.py``."""
    for relative, text in PROJECT_FILES.items():
        if relative != DEPS:
            path = workspace / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return workspace


async def completions_at(
    client: LanguageClient, uri: str, text: str, offset: int
) -> list[types.CompletionItem]:
    """Completion items at ``offset`` of the open document ``uri`` holding ``text``."""
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=lsp_position(text, offset, negotiated_encoding(client)),
        )
    )
    return list(result.items) if isinstance(result, types.CompletionList) else list(result or [])


async def session_item(
    client: LanguageClient, path: Path, source: str
) -> tuple[str, str, types.CompletionItem]:
    """Open ``source`` (``|``: the cursor) and return its text, URI and SessionDep item."""
    offset = source.index(CURSOR)
    text = source.replace(CURSOR, "", 1)
    uri = open_document(client, path, text)
    items = await completions_at(client, uri, text, offset)
    return text, uri, by_label(items, "session: SessionDep")


def imports_of(item: types.CompletionItem) -> list[str]:
    return [edit.new_text.strip() for edit in item.additional_text_edits or []]


async def test_a_module_written_to_disk_a_moment_ago_provides_its_import(
    client: LanguageClient, project_without_deps: Path
) -> None:
    endpoint = project_without_deps / "app/api/v1/endpoints/items.py"
    text, uri, before = await session_item(client, endpoint, ENDPOINT_HEADER + PARAMETER)
    assert SESSION_IMPORT not in imports_of(before)  # nothing defines it yet

    (project_without_deps / DEPS).write_text(PROJECT_FILES[DEPS], encoding="utf-8")
    items = await completions_at(client, uri, text, len(text))
    assert imports_of(by_label(items, "session: SessionDep")) == [SESSION_IMPORT]


async def test_a_new_unsaved_buffer_provides_its_import(
    client: LanguageClient, project_without_deps: Path
) -> None:
    endpoint = project_without_deps / "app/api/v1/endpoints/items.py"
    text, uri, before = await session_item(client, endpoint, ENDPOINT_HEADER + PARAMETER)
    assert SESSION_IMPORT not in imports_of(before)

    deps = project_without_deps / DEPS
    open_document(client, deps, PROJECT_FILES[DEPS])  # created in the editor, never saved
    assert not deps.exists()
    items = await completions_at(client, uri, text, len(text))
    assert imports_of(by_label(items, "session: SessionDep")) == [SESSION_IMPORT]


async def test_a_buffer_that_no_longer_defines_it_loses_the_import(
    client: LanguageClient, project_without_deps: Path
) -> None:
    deps = project_without_deps / DEPS
    deps.write_text(PROJECT_FILES[DEPS], encoding="utf-8")
    renamed = PROJECT_FILES[DEPS].replace("SessionDep =", "DbSession =")
    open_document(client, deps, renamed)  # renamed in the editor, not saved yet
    endpoint = project_without_deps / "app/api/v1/endpoints/items.py"
    _, _, item = await session_item(client, endpoint, ENDPOINT_HEADER + PARAMETER)
    assert SESSION_IMPORT not in imports_of(item)


ON_DISK = (
    "from fastapi import APIRouter\n\n"
    "from app.models.user import User\n\n"
    "router = APIRouter()\n\n\n"
    '@router.get("/")\n'
    "def list_users() -> list[User]:\n"
    "    return []\n"
)
TOP = "# Unsaved: the user is typing\nimport logging\n\nlogger = logging.getLogger(__name__)\n"
MIDDLE = (
    '@router.get("/count")\n'
    "def count_users() -> int:\n"
    "    return 0  # unsaved, added in the editor\n\n\n"
)


def at_top(text: str) -> str:
    return TOP + text


def in_the_middle(text: str) -> str:
    return text.replace('@router.get("/")\n', MIDDLE + '@router.get("/")\n', 1)


@pytest.mark.parametrize("unsaved", [at_top, in_the_middle], ids=["top", "middle"])
async def test_snippet_imports_edit_the_unsaved_buffer(
    client: LanguageClient, workspace: Path, unsaved: object
) -> None:
    assert callable(unsaved)
    for relative, source in PROJECT_FILES.items():
        file = workspace / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(source, encoding="utf-8")
    path = workspace / "app/api/v1/endpoints/users.py"
    path.write_text(ON_DISK, encoding="utf-8")
    text = unsaved(ON_DISK) + "\n\nfaget"
    uri = open_document(client, path, text)
    items = await completions_at(client, uri, text, len(text))

    result = apply_item(text, by_label(items, "faget"), negotiated_encoding(client))
    compile(result, str(path), "exec")
    kept = (TOP if unsaved is at_top else MIDDLE).splitlines()
    assert all(line in result.splitlines() for line in kept if line)
    for line in (SESSION_IMPORT, "from app.models.user import User", "router = APIRouter()"):
        assert result.count(line + "\n") == 1, (line, result)
    (fastapi_import,) = [line for line in result.splitlines() if line.startswith("from fastapi")]
    assert fastapi_import == "from fastapi import APIRouter, HTTPException, status"
    assert result.index(SESSION_IMPORT) < result.index("router = APIRouter()")
    assert path.read_text(encoding="utf-8") == ON_DISK
