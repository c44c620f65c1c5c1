"""Import blocks: isort-like rendering, merging into existing statements, pruning in place."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Collection, Sequence

from fastapi_architect.extract.imports import ImportBinding, render_block, rewrite_imports
from fastapi_architect.extract.lineops import LineOperation, apply_line_operations, to_text_edits
from fastapi_architect.textedit import apply_edits, split_lines


def _rewrite(
    source: str,
    *,
    remove: Collection[str] = (),
    add: Sequence[ImportBinding] = (),
    first_party: Collection[str] = (),
) -> str:
    text = textwrap.dedent(source)
    return rewrite_imports(
        text, ast.parse(text), package="app.api", remove=remove, add=add, first_party=first_party
    )


def test_block_groups_future_stdlib_third_party_and_first_party() -> None:
    block = render_block(
        [
            ImportBinding("app.models", "User"),
            ImportBinding("sqlalchemy.orm", "Session"),
            ImportBinding(None, "logging"),
            ImportBinding("fastapi", "status"),
            ImportBinding("fastapi", "HTTPException"),
            ImportBinding("typing", "Annotated"),
        ],
        first_party={"app"},
    )
    assert block == (
        "import logging\nfrom typing import Annotated\n\n"
        "from fastapi import HTTPException, status\nfrom sqlalchemy.orm import Session\n\n"
        "from app.models import User\n"
    )


def test_new_names_join_the_statement_of_their_module() -> None:
    result = _rewrite(
        """\
        from fastapi import APIRouter
        from app.schemas.user import UserIn

        router = APIRouter()
        """,
        add=[ImportBinding("app.schemas.user", "UserOut"), ImportBinding("fastapi", "Query")],
        first_party={"app"},
    )
    assert result.splitlines()[:2] == [
        "from fastapi import APIRouter, Query",
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
