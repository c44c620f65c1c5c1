"""Over stdio: V1 plain generic subscripts (PYD034), unresolvable names inside ``Callable``
(PYD035) and validators built on functions of another workspace file (PYD001 / PYD002) are
published with quick fixes; each quick fix changes only its own call site."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, fix_all_text, next_diagnostics, open_and_wait, quick_fix_text
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source
from lsp_support import open_document, uri_of

SOURCE = """\
from typing import TYPE_CHECKING, Callable, Generic, List, TypeVar

from pydantic import BaseModel, validator

if TYPE_CHECKING:
    from decimal import Decimal

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: List[T] = []
    on_total: Callable[["Decimal"], None] = print

    @validator("items")
    def keep(cls, v):
        return v


class IntPage(Page[int]):
    pass
"""

CHECKS = """\
def parse(cls, values):
    return values


def after(cls, v, values):
    return v
"""

MODELS = """\
from pydantic import BaseModel, root_validator, validator

from app.checks import after, parse

parsed = root_validator(pre=True, allow_reuse=True)(parse)
checked = validator("name", allow_reuse=True)(after)


class User(BaseModel):
    name: str

    _parsed = parsed
    _checked = checked
"""


@pytest.fixture
def initialization_options() -> Any:
    return {"diagnostics": {"debounceMs": 0}}


async def test_plain_generic_and_callable_findings_carry_quick_fixes(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    by_code = {d.code: d for d in diagnostics if d.code in ("PYD034", "PYD035")}
    assert set(by_code) == {"PYD034", "PYD035"}
    assert "V1 ignored the type arguments" in by_code["PYD034"].message

    fix, fixed = await quick_fix_text(client, uri, SOURCE, by_code["PYD034"], encoding)
    assert fix.title == "Write `Page` (V1 ignored the type arguments)"
    assert fixed == SOURCE.replace("class IntPage(Page[int]):", "class IntPage(Page):")

    fix, fixed = await quick_fix_text(client, uri, SOURCE, by_code["PYD035"], encoding)
    assert "    on_total: Callable[[Any], None] = print\n" in fixed
    assert "Decimal" not in fixed and "TYPE_CHECKING" not in fixed

    _, everything = await fix_all_text(client, uri, SOURCE, encoding)
    assert everything == migrate_source(SOURCE)


async def test_validators_on_functions_of_another_file_convert_at_the_call_site(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    (workspace / "app").mkdir()
    (workspace / "app" / "__init__.py").write_text("", encoding="utf-8")
    (workspace / "app" / "checks.py").write_text(CHECKS, encoding="utf-8")
    path = workspace / "app" / "models.py"
    path.write_text(MODELS, encoding="utf-8")
    waiting = asyncio.ensure_future(next_diagnostics(client, uri_of(path)))
    uri = open_document(client, path, MODELS)
    diagnostics = list((await waiting).diagnostics)
    by_code = {d.code: d for d in diagnostics if d.code in ("PYD001", "PYD002")}
    assert set(by_code) == {"PYD001", "PYD002"}
    assert all(isinstance(d.data, dict) and d.data["fixable"] for d in by_code.values())
    assert "`parse` is defined in `app.checks`" in by_code["PYD002"].message

    _, fixed = await quick_fix_text(client, uri, MODELS, by_code["PYD002"], encoding)
    assert 'parsed = model_validator(mode="before")(classmethod(parse))\n' in fixed
    assert 'checked = validator("name", allow_reuse=True)(after)\n' in fixed

    _, fixed = await quick_fix_text(client, uri, MODELS, by_code["PYD001"], encoding)
    assert (
        'checked = field_validator("name")'
        "(lambda cls, value, info: after(cls, value, values=info.data))\n"
    ) in fixed
    assert (workspace / "app" / "checks.py").read_text(encoding="utf-8") == CHECKS
