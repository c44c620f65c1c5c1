"""V1 custom types (PYD021) and type aliases on generic models (PYD022) over stdio, in each
client capability set: published as diagnostics with their keys, the fixable ones offer a quick
fix with its imports, a refused alias has no quick fix and says why, and
fix-all converts them as ``migrate`` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import code_actions, encoding_of, fix_all_text, open_and_wait, quick_fix_text
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = """from typing import Awaitable, Callable, Generic, List, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Upper(str):
    @classmethod
    def __get_validators__(cls):
        yield cls.validate

    @classmethod
    def validate(cls, value):
        return cls(str(value).upper())


class Method(BaseModel, Generic[T]):
    name: Upper


Next = Callable[[object, Method[T]], Awaitable[None]]  # « étape » suivante
Many = List[Method[T]]


def chain(step: Next[int], more: Many[int]) -> Next[int]:
    return step
"""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_custom_types_and_generic_aliases_are_published_with_their_keys(
    client: LanguageClient, workspace: Path
) -> None:
    _, diagnostics = await open_and_wait(client, workspace, SOURCE)
    found = {
        (d.code, d.data["key"], d.range.start.line, d.range.start.character)
        for d in diagnostics
        if isinstance(d.data, dict) and d.code in ("PYD021", "PYD022")
    }
    assert found == {
        ("PYD021", "Upper.__get_validators__", 9, 4),
        ("PYD022", "Next:generic alias", 21, 0),
        ("PYD022", "Many:generic alias", 22, 0),
    }


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("PYD021", "def __get_pydantic_core_schema__("),
        ("PYD022", "    type_params=(T,),\n)  # « étape » suivante"),
    ],
)
async def test_each_fixable_code_offers_its_quick_fix_with_its_imports(
    client: LanguageClient, workspace: Path, client_name: str, code: str, line: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    (diagnostic,) = [
        d for d in diagnostics if d.code == code and d.data["key"] != "Many:generic alias"
    ]
    _, fixed = await quick_fix_text(client, uri, SOURCE, diagnostic, encoding_of(client_name))
    assert line in fixed and line not in SOURCE
    assert "# « étape » suivante" in fixed
    compile(fixed, "models.py", "exec")
    if code == "PYD022":
        assert "from typing_extensions import TypeAliasType" in fixed
        assert "Many = List[Method[T]]" in fixed  # the refused alias is left as it was


async def test_an_alias_v2_would_validate_differently_has_no_quick_fix_and_says_why(
    client: LanguageClient, workspace: Path
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    (diagnostic,) = [d for d in diagnostics if d.data and d.data.get("key") == "Many:generic alias"]
    actions = await code_actions(client, uri, diagnostic.range, [diagnostic])

    assert [a for a in actions if a.kind == types.CodeActionKind.QuickFix] == []
    assert "V2 would check its type variable's fields" in diagnostic.message


async def test_fix_all_converts_custom_types_and_aliases_like_migrate(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, _ = await open_and_wait(client, workspace, SOURCE)
    _, fixed = await fix_all_text(client, uri, SOURCE, encoding_of(client_name))

    assert fixed == migrate_source(SOURCE)
    assert "__get_validators__" not in fixed
    assert "from typing_extensions import TypeAliasType" in fixed
    assert "Many = List[Method[T]]" in fixed
