"""Where the cursor is in half-typed Python, and which imports a snippet adds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect.imports import ImportStyle
from fastapi_architect.snippets.cursor import (
    LOOKBACK_LINES,
    CursorAnalysis,
    CursorContext,
    analyse_cursor,
)
from fastapi_architect.snippets.document import document_names, import_edits
from fastapi_architect.textedit import apply_edits

CURSOR = "|"


def analyse(source: str) -> CursorAnalysis:
    offset = source.index(CURSOR)
    return analyse_cursor(source.replace(CURSOR, "", 1), offset)


@pytest.mark.parametrize(
    "source",
    [
        "fa|",
        "import os\n\nx = 1\nfa|",
        "def f():\n    return [\n        1,\n    ]\n\n\nfa|",
        '"""Module.\n\nUsage at column zero\n"""\nfa|',
        "x = compute(\n    1,\n)\n|",
        "class A:\n    pass\n\n\nfa|\n\ndef later(:\n",
    ],
    ids=["empty", "after-code", "after-function", "after-docstring", "after-call", "broken-below"],
)
def test_module_level_is_column_zero_outside_brackets(source: str) -> None:
    assert analyse(source).context is CursorContext.MODULE


@pytest.mark.parametrize(
    "source",
    [
        "def f():\n    fa|",
        "class A:\n    fa|",
        '"""doc\nfa|',
        "x = '''\nfa|",
        "# fa|",
        "x = foo(\nfa|",
        "x = 1 + \\\nfa|",
        "x = some.fa|",
        "value = 1fa|",
    ],
    ids=["body", "class", "docstring", "string", "comment", "call", "continuation", "attr", "num"],
)
def test_no_snippets_inside_bodies_strings_comments_or_expressions(source: str) -> None:
    assert analyse(source).context is CursorContext.OTHER


@pytest.mark.parametrize(
    "source",
    [
        '@router.get("/{user_id}")\ndef read_user(user_id: int, ses|',
        '@router.get(\n    "/",\n    status_code=200,\n)\n'
        "async def list_users(\n    skip: int = 0,\n    ses|\n):\n    pass\n",
        '@app.post("/")\ndef create(|) -> None:\n    pass\n',
        'class Views:\n    @router.delete("/{x}")\n    def remove(self, x: int, ses|',
        '@router.get("/")\ndef read(*, ses|',
        "def get_user_service(ses|",
        '@router.get("/")\ndef read(x: int = 1 ? 2, ses|',
    ],
    ids=["half-typed", "multi-line", "empty-list", "method", "keyword-only", "provider", "stray"],
)
def test_parameter_list_of_path_operations_and_providers_takes_dependencies(source: str) -> None:
    cursor = analyse(source)
    assert cursor.context is CursorContext.PARAMETER
    assert cursor.accepts_dependencies


def test_async_path_operation_is_recognised_as_async() -> None:
    cursor = analyse('@router.get("/")\nasync def read(ses|')
    assert cursor.function is not None and cursor.function.is_async
    assert cursor.word == "ses"


def test_plain_functions_do_not_take_dependencies() -> None:
    cursor = analyse("def helper(value: int, ses|")
    assert cursor.context is CursorContext.PARAMETER
    assert not cursor.accepts_dependencies


def test_decorator_that_is_not_a_route_does_not_make_a_path_operation() -> None:
    cursor = analyse("@functools.lru_cache(maxsize=1)\ndef compute(ses|")
    assert not cursor.accepts_dependencies


@pytest.mark.parametrize(
    "source",
    [
        '@app.get("/")\ndef f(a: ses|',
        '@app.get("/")\ndef f(a=ses|',
        '@app.get("/")\ndef f(a: int = Depends(ses|',
        '@app.get("/")\ndef f(a: Annotated[int, ses|',
    ],
    ids=["annotation", "default", "depends-call", "subscript"],
)
def test_annotations_and_defaults_are_not_parameter_starts(source: str) -> None:
    assert analyse(source).context is CursorContext.OTHER


def test_the_text_after_the_cursor_does_not_matter() -> None:
    source = '@router.get("/")\ndef read(ses|\n\n\nclass Broken(:\n    """unterminated\n'
    assert analyse(source).context is CursorContext.PARAMETER


def test_a_large_half_typed_file_is_classified() -> None:
    filler = "".join(f"def f{i}(x: int) -> int:\n    return x + {i}\n\n\n" for i in range(600))
    source = filler + '@router.get("/")\ndef read(user_id: int,\n    ses|'
    assert analyse(source).context is CursorContext.PARAMETER


def with_imports(
    text: str, needed: dict[str, str | None], first_party: frozenset[str] | set[str] = frozenset()
) -> str:
    style = ImportStyle(known_first_party=frozenset(first_party))
    return apply_edits(text, import_edits(text, needed, style=style))


def test_missing_imports_join_their_isort_section() -> None:
    text = '"""Doc."""\n\nimport os\n\nx = 1\n'
    assert with_imports(text, {"Annotated": "typing", "pytest": None}) == (
        '"""Doc."""\n\nimport os\nfrom typing import Annotated\n\nimport pytest\n\nx = 1\n'
    )


def test_new_lines_take_their_sorted_place_inside_a_section() -> None:
    text = (
        "import os\nfrom collections.abc import Iterator\nfrom uuid import UUID\n\n"
        "from fastapi import APIRouter\nfrom sqlalchemy import select\n\n"
        "from app.schemas.user import UserResponse\n\nx = 1\n"
    )
    needed = {"Annotated": "typing", "Session": "sqlalchemy.orm", "SessionDep": "app.api.deps"}
    assert with_imports(text, needed, first_party={"app"}) == (
        "import os\nfrom collections.abc import Iterator\nfrom typing import Annotated\n"
        "from uuid import UUID\n\n"
        "from fastapi import APIRouter\nfrom sqlalchemy import select\n"
        "from sqlalchemy.orm import Session\n\n"
        "from app.api.deps import SessionDep\nfrom app.schemas.user import UserResponse\n\nx = 1\n"
    )


def test_a_first_party_import_opens_its_own_section(tmp_path: Path) -> None:
    text = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    result = with_imports(text, {"SessionDep": "app.api.deps"}, first_party={"app"})
    assert result == (
        "from fastapi import APIRouter\n\nfrom app.api.deps import SessionDep\n\n"
        "router = APIRouter()\n"
    )
    module = tmp_path / "endpoint.py"
    module.write_text(result, encoding="utf-8")
    ruff = Path(sys.executable).with_name("ruff")
    first_party = "lint.isort.known-first-party = ['app']"
    check = [str(ruff), "check", "--isolated", "--no-cache", "--select", "I"]
    check += ["--config", first_party, str(module)]
    assert subprocess.run(check, capture_output=True, check=False).returncode == 0


def test_a_one_line_from_import_of_the_same_module_is_extended() -> None:
    text = "from fastapi import Depends\n\nx = 1\n"
    assert with_imports(text, {"status": "fastapi", "HTTPException": "fastapi"}) == (
        "from fastapi import Depends, HTTPException, status\n\nx = 1\n"
    )


def test_parenthesised_imports_are_extended_one_name_per_line() -> None:
    text = "from fastapi import (\n    Depends,\n)\n\nx = 1\n"
    assert with_imports(text, {"Depends": "fastapi", "status": "fastapi"}) == (
        "from fastapi import (\n    Depends,\n    status,\n)\n\nx = 1\n"
    )


def test_names_already_imported_or_defined_are_not_imported_again() -> None:
    text = "from app.api.deps import SessionDep as SessionDep\n\n\ndef get_db(): ...\n"
    assert import_edits(text, {"SessionDep": "app.api.deps", "get_db": "app.db"}) == []


def test_imports_go_after_a_module_docstring_when_there_are_none() -> None:
    text = '"""Users.\n\nMore.\n"""\n\nx = 1\n'
    assert with_imports(text, {"Annotated": "typing"}) == (
        '"""Users.\n\nMore.\n"""\n\nfrom typing import Annotated\n\nx = 1\n'
    )


def test_imports_go_first_in_a_file_without_imports_or_docstring() -> None:
    expected = "from typing import Annotated\n\nx = 1\n"
    assert with_imports("x = 1\n", {"Annotated": "typing"}) == expected


def test_import_lines_inside_strings_are_not_bound_names() -> None:
    text = 'import os\n"""\nimport fake\n"""\n\ndef f():\n    import json\n'
    names = document_names(text)
    assert names.bound >= {"os", "json", "f"}
    assert "fake" not in names.bound


def test_extending_an_import_and_adding_lines_never_puts_two_edits_at_one_position() -> None:
    text = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    edits = import_edits(text, {"status": "fastapi", "Annotated": "typing", "Session": "x.orm"})
    assert len({edit.start for edit in edits}) == len(edits)
    assert apply_edits(text, edits) == (
        "from typing import Annotated\n\n"
        "from fastapi import APIRouter, status\n"
        "from x.orm import Session\n\n"
        "router = APIRouter()\n"
    )


def test_crlf_documents_are_classified_and_get_crlf_imports() -> None:
    source = 'import os\r\n\r\n@router.get("/")\r\ndef read(\r\n    ses|'
    assert analyse(source).context is CursorContext.PARAMETER
    assert analyse("import os\r\n\r\nfa|").context is CursorContext.MODULE
    text = "import os\r\n\r\nx = 1\r\n"
    assert with_imports(text, {"Annotated": "typing"}) == (
        "import os\r\nfrom typing import Annotated\r\n\r\nx = 1\r\n"
    )


def test_extended_imports_keep_isort_order() -> None:
    text = "from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine\n"
    assert with_imports(text, {"AsyncSession": "sqlalchemy.ext.asyncio"}) == (
        "from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine\n"
    )


def test_statements_sharing_a_line_are_not_extended() -> None:
    text = "from fastapi import Depends; import os\n"
    assert with_imports(text, {"status": "fastapi"}) == (
        "from fastapi import status\nfrom fastapi import Depends; import os\n"
    )


def test_a_def_far_below_any_other_statement_start_is_its_own_anchor() -> None:
    body = "".join(f"        value_{i} = {i}\n" for i in range(LOOKBACK_LINES + 50))
    source = f"class Big:\n    def long(self) -> None:\n{body}\ndef get_service(ses|"
    assert analyse(source).context is CursorContext.PARAMETER
