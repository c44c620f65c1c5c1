"""V1 error classes, ``_FUNCS`` and ``create_model(__config__=Config)`` over stdio: published
as diagnostics with their keys, each quick fix applies its conversion, and fix-all ends where
``migrate`` ends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, fix_all_text, open_and_wait, quick_fix_text
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = """from pydantic import create_model
from pydantic.class_validators import _FUNCS
from pydantic.errors import PydanticValueError


class NotFoundError(PydanticValueError):
    code = "not_found"


def build():
    _FUNCS.clear()

    class Config:
        orm_mode = True

    return create_model("M", __config__=Config, a=(int, 1))


def relax(model):
    model.__config__.extra = "ignore"
"""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_the_findings_are_published_with_their_keys(
    client: LanguageClient, workspace: Path
) -> None:
    _, diagnostics = await open_and_wait(client, workspace, SOURCE)
    found = {
        (d.code, d.data["key"], d.range.start.line) for d in diagnostics if isinstance(d.data, dict)
    }
    assert found == {
        ("PYD013", "import:pydantic.class_validators._FUNCS", 1),
        ("PYD013", "import:pydantic.errors.PydanticValueError", 2),
        ("PYD010", "build.Config:create_model", 15),
        ("PYD010", "model.__config__:assigned", 19),
    }


@pytest.mark.parametrize(
    ("key", "line"),
    [
        ("import:pydantic.errors.PydanticValueError", "from pydantic.v1.errors import "),
        ("import:pydantic.class_validators._FUNCS", "def build():\n    class Config:"),
        ("build.Config:create_model", "__config__=ConfigDict(from_attributes=True)"),
    ],
)
async def test_each_quick_fix_applies_its_conversion(
    client: LanguageClient, workspace: Path, client_name: str, key: str, line: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    (diagnostic,) = [d for d in diagnostics if isinstance(d.data, dict) and d.data["key"] == key]
    _, fixed = await quick_fix_text(client, uri, SOURCE, diagnostic, encoding_of(client_name))
    assert line in fixed and line not in SOURCE
    compile(fixed, "models.py", "exec")


async def test_fix_all_ends_where_migrate_ends(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, _ = await open_and_wait(client, workspace, SOURCE)
    _, fixed = await fix_all_text(client, uri, SOURCE, encoding_of(client_name))
    assert fixed == migrate_source(SOURCE)
    assert "_FUNCS" not in fixed and "class Config" not in fixed
