"""Over the wire: PYD014 on the result of a call — ``get_user(db, 1).dict()`` with
``get_user`` imported from another workspace file (its ``-> User`` read through the index),
``user = get_user(...)``, and a same-file ``async def`` awaited — is diagnosed and fixed; a
call of an unknown function is not."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, fix_all_text, next_diagnostics
from pytest_lsp import LanguageClient

from lsp_support import open_document, uri_of

SCHEMAS = "from pydantic import BaseModel\n\n\nclass User(BaseModel):\n    id: int = 0\n"
CRUD = """\
from typing import Optional

from app.schemas import User


def get_user(db, user_id) -> User:
    return User(id=user_id)


def find_user(db) -> Optional[User]:
    return None
"""
ROUTES = """\
from app.crud import find_user, get_user
from app.schemas import User


async def fetch(db) -> User:
    return get_user(db, 1)


def show(db, response):
    user = find_user(db)
    return get_user(db, 1).dict(), user.json(indent=2), response.json()


async def shown(db):
    return (await fetch(db)).copy()
"""


@pytest.fixture
def initialization_options() -> Any:
    return {"diagnostics": {"debounceMs": 0}}


async def test_calls_of_functions_returning_workspace_models_are_diagnosed_and_fixed(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    (workspace / "app").mkdir()
    for name, text in {"__init__.py": "", "schemas.py": SCHEMAS, "crud.py": CRUD}.items():
        (workspace / "app" / name).write_text(text, encoding="utf-8")
    path = workspace / "app" / "routes.py"
    path.write_text(ROUTES, encoding="utf-8")
    waiting = asyncio.ensure_future(next_diagnostics(client, uri_of(path)))
    open_document(client, path, ROUTES)
    diagnostics = [d for d in (await waiting).diagnostics if d.code == "PYD014"]
    lines = sorted(ROUTES.splitlines()[d.range.start.line].strip() for d in diagnostics)
    assert len(diagnostics) == 3, [d.message for d in diagnostics]
    assert lines[0].startswith("return (await fetch(db)).copy()")
    assert any("layout is V1's, byte for byte" in d.message for d in diagnostics)

    _, fixed = await fix_all_text(client, uri_of(path), ROUTES, encoding_of(client_name))
    assert (
        "return get_user(db, 1).model_dump(), user.model_dump_json(indent=2), response.json()"
        in fixed
    )
    assert "return (await fetch(db)).model_copy()" in fixed
    compile(fixed, "routes.py", "exec")
