"""Depends snippets over LSP: VS Code, Neovim and Emacs capability sets (snippet vs plain text)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.snippets.grammar import parse_body
from fastapi_architect.snippets.rendering import expand
from lsp_support import apply_text_edits, lsp_position, open_document, uri_of

CURSOR = "|"
RUFF = Path(sys.executable).with_name("ruff")

PROJECT_FILES = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/v1/__init__.py": "",
    "app/api/v1/endpoints/__init__.py": "",
    "app/db/__init__.py": "",
    "app/models/__init__.py": "",
    "app/schemas/__init__.py": "",
    "app/db/session.py": (
        "from collections.abc import Iterator\n\n"
        "from sqlalchemy import create_engine\n"
        "from sqlalchemy.orm import Session, sessionmaker\n\n"
        'engine = create_engine("sqlite://")\n'
        "SessionLocal = sessionmaker(engine)\n\n\n"
        "def get_db() -> Iterator[Session]:\n"
        "    with SessionLocal() as session:\n"
        "        yield session\n"
    ),
    "app/api/deps.py": (
        "from typing import Annotated\n\n"
        "from fastapi import Depends\n"
        "from sqlalchemy.orm import Session\n\n"
        "from app.db.session import get_db\n\n"
        "SessionDep = Annotated[Session, Depends(get_db)]\n"
    ),
    "app/models/user.py": "class User:\n    id: int\n",
    "app/schemas/user.py": "class UserCreate:\n    pass\n\n\nclass UserResponse:\n    pass\n",
    "tests/test_users.py": "SessionDep = 'a test double that must never be imported'\n",
}

ENDPOINT_HEADER = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"


@pytest.fixture
def project(workspace: Path) -> Path:
    """A workspace laid out like a project FastAPI Architect scaffolds."""
    for relative, text in PROJECT_FILES.items():
        path = workspace / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return workspace


def negotiated_encoding(client: LanguageClient) -> str:
    """The position encoding pygls picks: the client's first supported preference."""
    general = client.capabilities.general if client.capabilities else None
    for encoding in (general.position_encodings if general else None) or ():
        if encoding in {"utf-8", "utf-16", "utf-32"}:
            return str(encoding)
    return "utf-16"


def apply_item(text: str, item: types.CompletionItem, encoding: str) -> str:
    """What an editor's buffer holds after accepting ``item`` (snippets at their defaults)."""
    assert isinstance(item.text_edit, types.TextEdit)
    new_text = item.text_edit.new_text
    if item.insert_text_format == types.InsertTextFormat.Snippet:
        new_text = expand(parse_body(new_text))
    main = types.TextEdit(range=item.text_edit.range, new_text=new_text)
    return apply_text_edits(text, [main, *(item.additional_text_edits or [])], encoding)


async def complete(
    client: LanguageClient, path: Path, source: str
) -> tuple[str, list[types.CompletionItem]]:
    """Open ``source`` (``|`` marks the cursor) at ``path`` and ask for completions there."""
    offset = source.index(CURSOR)
    text = source.replace(CURSOR, "", 1)
    uri = open_document(client, path, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=lsp_position(text, offset, negotiated_encoding(client)),
        )
    )
    items = list(result.items) if isinstance(result, types.CompletionList) else list(result or [])
    return text, items


def by_label(items: list[types.CompletionItem], label: str) -> types.CompletionItem:
    return next(item for item in items if item.label == label)


def assert_client_form(client_name: str, items: list[types.CompletionItem]) -> None:
    """Snippet syntax only for clients that support it; plain text without `$` otherwise."""
    assert items
    for item in items:
        assert item.kind == types.CompletionItemKind.Snippet
        assert isinstance(item.text_edit, types.TextEdit)
        if client_name == "emacs":
            assert item.insert_text_format == types.InsertTextFormat.PlainText
            assert "$" not in item.text_edit.new_text
        else:
            assert item.insert_text_format == types.InsertTextFormat.Snippet


def ruff_problems(path: Path) -> str:
    result = subprocess.run(
        [str(RUFF), "check", "--isolated", "--no-cache", "--select", "F821,FAST", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if result.returncode == 0 else result.stdout + result.stderr


def isort_problems(path: Path, project: Path) -> str:
    """ruff's isort findings for ``path`` under the project's own configuration."""
    check = [str(RUFF), "check", "--no-cache", "--select", "I", str(path)]
    result = subprocess.run(check, capture_output=True, text=True, cwd=project, check=False)
    return "" if result.returncode == 0 else result.stdout + result.stderr


async def test_module_level_offers_definitions_in_the_clients_form(
    client: LanguageClient, client_name: str, project: Path
) -> None:
    path = project / "app/api/v1/endpoints/items.py"
    _, items = await complete(client, path, ENDPOINT_HEADER + "faget|")
    labels = {item.label for item in items}
    assert labels == {"faget", "fagetasync", "fagetdb", "fagetdbasync"}
    assert_client_form(client_name, items)


async def test_accepted_path_operation_snippet_leaves_a_complete_module(
    client: LanguageClient, project: Path
) -> None:
    path = project / "app/api/v1/endpoints/items.py"
    text, items = await complete(client, path, ENDPOINT_HEADER + "faget|")
    result = apply_item(text, by_label(items, "faget"), negotiated_encoding(client))
    assert "from app.api.deps import SessionDep\n" in result
    assert "from app.models.user import User\n" in result
    assert "from fastapi import APIRouter, HTTPException, status\n" in result
    assert "def read_user(user_id: int, session: SessionDep) -> User:" in result
    path.write_text(result, encoding="utf-8")
    compile(result, str(path), "exec")
    assert ruff_problems(path) == ""


async def test_parameter_list_offers_session_dep_with_its_import(
    client: LanguageClient, client_name: str, project: Path
) -> None:
    path = project / "app/api/v1/endpoints/items.py"
    source = ENDPOINT_HEADER + '@router.get("/{item_id}")\ndef read_item(item_id: int, ses|'
    text, items = await complete(client, path, source)
    assert [item.label for item in items] == ["session: SessionDep"]
    assert_client_form(client_name, items)
    (item,) = items
    # First party (the project's own package): its own isort section, after a blank line.
    edits = item.additional_text_edits or []
    assert [edit.new_text.strip() for edit in edits] == ["from app.api.deps import SessionDep"]
    result = apply_item(text, item, negotiated_encoding(client))
    assert result.startswith(
        "from fastapi import APIRouter\n\nfrom app.api.deps import SessionDep\n"
    )
    assert result.endswith("def read_item(item_id: int, session: SessionDep")
    compile(result + ") -> None:\n    pass\n", str(path), "exec")


async def test_no_import_edit_when_session_dep_is_already_imported(
    client: LanguageClient, project: Path
) -> None:
    path = project / "app/api/v1/endpoints/items.py"
    source = (
        "from fastapi import APIRouter\n\nfrom app.api.deps import SessionDep\n\n"
        'router = APIRouter()\n\n\n@router.post("/")\nasync def create(\n    payload: dict,\n    s|'
    )
    _, items = await complete(client, path, source)
    item = by_label(items, "session: SessionDep")
    assert not item.additional_text_edits


async def test_never_parameter_snippets_at_module_level(
    client: LanguageClient, project: Path
) -> None:
    _, items = await complete(client, project / "app/api/other.py", "import os\n\nses|")
    assert items, "the SessionDep alias definition is a module-level snippet"
    assert all(":" not in item.label for item in items)
    assert {item.label for item in items} == {"fasessiondep"}


async def test_never_definitions_inside_a_parameter_list(
    client: LanguageClient, project: Path
) -> None:
    source = '@router.get("/")\ndef read(fa|'
    _, items = await complete(client, project / "app/api/other.py", source)
    assert items == []


async def test_nothing_in_bodies_strings_comments_or_plain_functions(
    client: LanguageClient, project: Path
) -> None:
    for source in (
        "def f():\n    fa|",
        'x = """\nfa|',
        "# fa|",
        "def helper(value: int, ses|",
        '@router.get("/")\ndef read(a: ses|',
    ):
        _, items = await complete(client, project / "app/api/other.py", source)
        assert items == [], source


async def test_half_typed_document_with_broken_code_below_still_completes(
    client: LanguageClient, project: Path
) -> None:
    source = (
        ENDPOINT_HEADER
        + '@router.get("/")\nasync def list_items(\n    skip: int = 0,\n    se|\n\n'
        + "class Broken(:\n    '''never closed\n"
    )
    _, items = await complete(client, project / "app/api/v1/endpoints/items.py", source)
    assert items and items[0].label == "session: SessionDep"
    # the server is still answering afterwards
    _, again = await complete(client, project / "app/api/other.py", "fagetdb|")
    assert {item.label for item in again} == {"fagetdb", "fagetdbasync"}


async def test_async_path_operation_in_a_new_project_prefers_async_session_dep(
    client: LanguageClient, workspace: Path
) -> None:
    source = '@router.get("/")\nasync def read(session|'
    _, items = await complete(client, workspace / "main.py", source)
    labels = [item.label for item in items]
    assert labels[:2] == ["session: AsyncSessionDep", "session: SessionDep"]
    assert all(not item.additional_text_edits for item in items)


async def test_ranges_count_in_the_negotiated_position_encoding(
    client: LanguageClient, project: Path
) -> None:
    source = ENDPOINT_HEADER + '@router.get("/")\ndef café(note: str = "😀", ses|'
    text, items = await complete(client, project / "app/api/v1/endpoints/items.py", source)
    (item,) = items
    encoding = negotiated_encoding(client)
    assert isinstance(item.text_edit, types.TextEdit)
    word_start = text.index("ses", text.index("😀"))
    assert item.text_edit.range.start == lsp_position(text, word_start, encoding)
    assert apply_item(text, item, encoding).endswith('café(note: str = "😀", session: SessionDep')


async def test_non_python_documents_get_no_snippets(client: LanguageClient, project: Path) -> None:
    path = project / "notes.txt"
    path.write_text("fa", encoding="utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri_of(path), language_id="plaintext", version=1, text="fa"
            )
        )
    )
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
            position=types.Position(line=0, character=2),
        )
    )
    items = list(result.items) if isinstance(result, types.CompletionList) else list(result or [])
    assert items == []


async def test_first_line_of_an_empty_file_gets_imports_inside_the_main_edit(
    client: LanguageClient, workspace: Path
) -> None:
    text, items = await complete(client, workspace / "deps.py", "fasessiondep|")
    (item,) = items
    assert not item.additional_text_edits
    result = apply_item(text, item, negotiated_encoding(client))
    assert result.startswith(
        "from typing import Annotated\n\nfrom fastapi import Depends\nfrom sqlalchemy.orm import"
    )
    assert "SessionDep = Annotated[Session, Depends(get_db)]" in result
    compile(result, "deps.py", "exec")


class TestEditorThatShipsTheSnippetFileItself:
    """``completion.definitions: false`` (what the VS Code extension sends)."""

    @pytest.fixture
    def initialization_options(self) -> object:
        return {"fastapiArchitect": {"completion": {"definitions": False}}}

    async def test_module_level_definitions_are_not_offered_twice(
        self, client: LanguageClient, project: Path
    ) -> None:
        path = project / "app/api/v1/endpoints/items.py"
        _, items = await complete(client, path, ENDPOINT_HEADER + "faget|")
        assert items == []

    async def test_parameter_completions_with_their_import_stay(
        self, client: LanguageClient, project: Path
    ) -> None:
        path = project / "app/api/v1/endpoints/items.py"
        source = ENDPOINT_HEADER + '@router.get("/{item_id}")\ndef read_item(item_id: int, ses|'
        _, items = await complete(client, path, source)
        assert [item.label for item in items] == ["session: SessionDep"]


async def test_the_projects_isort_settings_shape_the_added_imports(
    client: LanguageClient, project: Path
) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.ruff.lint.isort]\nforce-single-line = true\n", encoding="utf-8"
    )
    path = project / "app/api/v1/endpoints/items.py"
    text, items = await complete(client, path, ENDPOINT_HEADER + "faget|")
    result = apply_item(text, by_label(items, "faget"), negotiated_encoding(client))
    assert (
        "from fastapi import APIRouter\nfrom fastapi import HTTPException\n"
        "from fastapi import status\n" in result
    )
    path.write_text(result, encoding="utf-8")
    assert isort_problems(path, project) == ""


async def test_an_unreadable_pyproject_is_logged_once_and_completion_still_works(
    client: LanguageClient, project: Path
) -> None:
    (project / "pyproject.toml").write_text("[tool.ruff\n", encoding="utf-8")
    path = project / "app/api/v1/endpoints/items.py"
    for _ in range(2):
        text, items = await complete(client, path, ENDPOINT_HEADER + "faget|")
        result = apply_item(text, by_label(items, "faget"), negotiated_encoding(client))
        assert "from fastapi import APIRouter, HTTPException, status\n" in result
    warnings = [m for m in client.log_messages if "cannot read the isort settings" in m.message]
    assert len(warnings) == 1
    assert warnings[0].type == types.MessageType.Warning


async def test_parameter_list_offers_current_user_dep_with_its_import(
    client: LanguageClient, client_name: str, project: Path
) -> None:
    deps = project / "app/api/deps.py"
    deps.write_text(
        deps.read_text(encoding="utf-8")
        + "\n\ndef get_current_user() -> object:\n    return object()\n\n\n"
        + "CurrentUserDep = Annotated[object, Depends(get_current_user)]\n",
        encoding="utf-8",
    )
    path = project / "app/api/v1/endpoints/items.py"
    source = ENDPOINT_HEADER + '@router.get("/mine")\ndef read_mine(cur|'
    text, items = await complete(client, path, source)
    assert [item.label for item in items] == ["current_user: CurrentUserDep"]
    assert_client_form(client_name, items)
    (item,) = items
    result = apply_item(text, item, negotiated_encoding(client))
    assert result.count("from app.api.deps import CurrentUserDep\n") == 1
    assert result.endswith("def read_mine(current_user: CurrentUserDep")
    completed = result + ") -> None:\n    pass\n"
    compile(completed, str(path), "exec")
    path.write_text(completed, encoding="utf-8")
    assert isort_problems(path, project) == ""
