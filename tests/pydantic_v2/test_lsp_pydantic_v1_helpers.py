"""Root models (PYD017), ``TypeAdapter`` helpers (PYD018), ``ErrorWrapper`` errors (PYD019)
and ``json_encoders`` (PYD020) over stdio: published as diagnostics, each fixable one offers
its quick fix, and fix-all converts them with the rest, as ``migrate`` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, fix_all_text, open_and_wait, quick_fix_text
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = """from datetime import date
from typing import List

from pydantic import BaseModel, parse_obj_as
from pydantic.error_wrappers import ErrorWrapper, ValidationError


class Tags(BaseModel):
    __root__: List[str]


class Day(BaseModel):
    d: date

    class Config:
        json_encoders = {date: str}


def load(raw) -> Tags:
    return parse_obj_as(Tags, raw)


def fail() -> None:
    raise ValidationError([ErrorWrapper(ValueError("no"), loc="d")], Day)
"""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_the_new_codes_are_published_with_their_keys(
    client: LanguageClient, workspace: Path
) -> None:
    _, diagnostics = await open_and_wait(client, workspace, SOURCE)
    found = {
        (d.code, d.data["key"], d.range.start.line)
        for d in diagnostics
        if isinstance(d.data, dict) and d.code in ("PYD017", "PYD018", "PYD019", "PYD020")
    }
    assert found == {
        ("PYD017", "Tags:__root__", 8),
        ("PYD018", "load:parse_obj_as", 19),
        ("PYD019", "fail:ValidationError(ErrorWrapper)", 23),
        ("PYD020", "Day.json_encoders", 15),
    }


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("PYD017", "class Tags(RootModel):"),
        ("PYD018", "return TypeAdapter(Tags).validate_python(raw)"),
        ("PYD019", '    "type": PydanticCustomError("value_error", "no"),\n'),
        ("PYD020", '@field_serializer("d", when_used="json-unless-none")'),
    ],
)
async def test_each_fixable_new_code_offers_its_quick_fix(
    client: LanguageClient, workspace: Path, client_name: str, code: str, line: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    (diagnostic,) = [d for d in diagnostics if d.code == code]
    _, fixed = await quick_fix_text(client, uri, SOURCE, diagnostic, encoding_of(client_name))
    assert line in fixed and line not in SOURCE
    compile(fixed, "models.py", "exec")


async def test_fix_all_converts_the_new_codes_like_migrate(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, _ = await open_and_wait(client, workspace, SOURCE)
    _, fixed = await fix_all_text(client, uri, SOURCE, encoding_of(client_name))
    assert fixed == migrate_source(SOURCE)
    for v1 in ("__root__", "parse_obj_as", "ErrorWrapper"):
        assert v1 not in fixed
