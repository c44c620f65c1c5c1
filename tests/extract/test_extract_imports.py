"""Extraction's import edits: planned by the import engine, applied as whole-line operations."""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Sequence

from fastapi_architect.extract.lineops import (
    LineOperation,
    apply_line_operations,
    from_text_edits,
    to_text_edits,
)
from fastapi_architect.imports import ImportBinding, ImportStyle, plan_imports
from fastapi_architect.textedit import apply_edits, split_lines

APP_IS_FIRST_PARTY = ImportStyle(known_first_party=frozenset({"app"}))


def _rewrite(
    source: str,
    *,
    remove: Collection[str] = (),
    add: Sequence[ImportBinding] = (),
    style: ImportStyle = APP_IS_FIRST_PARTY,
) -> str:
    text = textwrap.dedent(source)
    lines = split_lines(text)
    edits = plan_imports(text, add, remove, style, package="app.api")
    return apply_line_operations(lines, from_text_edits(lines, edits))


def test_a_new_service_module_gets_sections_in_isort_order() -> None:
    result = _rewrite(
        '"""Service."""\n\n\ndef f() -> None:\n    pass\n',
        add=[
            ImportBinding("app.models", "User"),
            ImportBinding("sqlalchemy.orm", "Session"),
            ImportBinding(None, "asyncio"),
            ImportBinding("fastapi", "status"),
            ImportBinding("fastapi", "HTTPException"),
            ImportBinding("typing", "Annotated"),
        ],
    )
    assert result == (
        '"""Service."""\n\n'
        "import asyncio\nfrom typing import Annotated\n\n"
        "from fastapi import HTTPException, status\nfrom sqlalchemy.orm import Session\n\n"
        "from app.models import User\n\n\n"
        "def f() -> None:\n    pass\n"
    )


def test_new_names_join_the_statement_of_their_module() -> None:
    result = _rewrite(
        """\
        from fastapi import APIRouter

        from app.schemas.user import UserIn

        router = APIRouter()
        """,
        add=[ImportBinding("app.schemas.user", "UserOut"), ImportBinding("fastapi", "Query")],
    )
    assert result.splitlines()[:3] == [
        "from fastapi import APIRouter, Query",
        "",
        "from app.schemas.user import UserIn, UserOut",
    ]


def test_pruning_drops_names_then_statements_without_leaving_double_blanks() -> None:
    result = _rewrite(
        """\
        \"\"\"Doc.\"\"\"

        import logging

        from fastapi import APIRouter, HTTPException

        router = APIRouter()
        """,
        remove={"logging", "HTTPException"},
    )
    assert result == '"""Doc."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n'


def test_relative_imports_keep_their_spelling_when_merged() -> None:
    result = _rewrite(
        "from .deps import SessionDep\n\nx = 1\n",
        add=[ImportBinding("app.api.deps", "get_db")],
    )
    assert result.startswith("from .deps import SessionDep, get_db\n")


def test_line_operations_merge_overlaps_and_become_whole_line_edits() -> None:
    text = "a\n\nb\n\nc\n"
    lines = split_lines(text)
    operations = [
        LineOperation(0, 2, ""),  # drop `a` and the blank after it
        LineOperation(1, 2, ""),  # the same blank, dropped by another step
        LineOperation(4, 4, "d\n"),  # insert before `c`
    ]
    expected = "b\n\nd\nc\n"
    assert apply_line_operations(lines, operations) == expected
    assert apply_edits(text, to_text_edits(operations)) == expected


def test_an_edit_at_the_end_of_a_line_becomes_a_whole_line_operation() -> None:
    text = '"""Doc."""'
    lines = split_lines(text)
    edits = plan_imports(text, [ImportBinding(None, "os")])
    assert apply_line_operations(lines, from_text_edits(lines, edits)) == (apply_edits(text, edits))
    assert apply_edits(text, edits) == '"""Doc."""\n\nimport os\n'
