"""V1 config passed as class keywords over stdio: each keyword is published as PYD010 with its
key, its quick fix edits only that keyword, and fix-all ends where ``migrate`` ends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, fix_all_text, open_and_wait, quick_fix_text
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = """from pydantic import BaseModel


class Message(
    BaseModel,
    smart_union=True,
    arbitrary_types_allowed=True,
):
    action: str


class Row(BaseModel, orm_mode=True, copy_on_model_validation="deep"):
    id: int
"""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_each_keyword_is_published_with_its_key(
    client: LanguageClient, workspace: Path
) -> None:
    _, diagnostics = await open_and_wait(client, workspace, SOURCE)
    found = {
        (d.code, d.data["key"], d.range.start.line) for d in diagnostics if isinstance(d.data, dict)
    }
    assert found == {
        ("PYD010", "Message.smart_union", 5),
        ("PYD010", "Row.orm_mode", 11),
        ("PYD010", "Row.copy_on_model_validation", 11),
    }


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "Message.smart_union",
            "class Message(\n    BaseModel,\n    arbitrary_types_allowed=True,\n",
        ),
        (
            "Row.orm_mode",
            'class Row(BaseModel, from_attributes=True, copy_on_model_validation="deep"):',
        ),
    ],
)
async def test_each_quick_fix_edits_only_its_keyword(
    client: LanguageClient, workspace: Path, client_name: str, key: str, expected: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    (diagnostic,) = [d for d in diagnostics if isinstance(d.data, dict) and d.data["key"] == key]
    _, fixed = await quick_fix_text(client, uri, SOURCE, diagnostic, encoding_of(client_name))
    assert expected in fixed and expected not in SOURCE
    compile(fixed, "models.py", "exec")


async def test_fix_all_ends_where_migrate_ends(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, _ = await open_and_wait(client, workspace, SOURCE)
    _, fixed = await fix_all_text(client, uri, SOURCE, encoding_of(client_name))
    assert fixed == migrate_source(SOURCE)
    assert "smart_union" not in fixed and "orm_mode" not in fixed
