"""The conversions beyond validators over stdio: ``class Config`` (PYD010), ``Field`` arguments
(PYD011), Optional defaults (PYD012), moved imports (PYD013), model method calls (PYD014),
constrained types (PYD015) and generic models (PYD016) are published as diagnostics, each
offers its quick fix, and fix-all converts them together with the validators."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import code_actions, encoding_of, fix_all_text, open_and_wait, quick_fix_text
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = """from typing import Optional

from pydantic import BaseModel, BaseSettings, Field, validator


class Row(BaseModel):
    id: int
    note: Optional[str]
    code: str = Field("AAA", regex="[A-Z]+")

    class Config:
        orm_mode = True

    @validator("id")
    def positive(cls, v):
        return v


class Settings(BaseSettings):
    dsn: str = "sqlite://"
"""

CONFIG_FIXED = SOURCE.replace(
    "from pydantic import BaseModel, BaseSettings, Field, validator\n",
    "from pydantic import BaseModel, BaseSettings, ConfigDict, Field, validator\n",
).replace(
    "    class Config:\n        orm_mode = True\n",
    "    model_config = ConfigDict(from_attributes=True)\n",
)


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_config_field_optional_and_import_findings_are_published(
    client: LanguageClient, workspace: Path
) -> None:
    _, diagnostics = await open_and_wait(client, workspace, SOURCE)

    found = sorted(
        (d.code, d.range.start.line, d.data["key"]) for d in diagnostics if isinstance(d.data, dict)
    )
    assert found == [
        ("PYD001", 13, "Row.positive"),
        ("PYD010", 10, "Row.Config"),
        ("PYD011", 8, "Row.code:Field"),
        ("PYD012", 7, "Row.note:None"),
        ("PYD013", 2, "import:pydantic.BaseSettings"),
    ]
    for diagnostic in diagnostics:
        assert diagnostic.severity == types.DiagnosticSeverity.Warning
        assert diagnostic.source == "fastapi-architect"
        assert diagnostic.code_description is not None


async def test_config_quick_fix_converts_only_the_config_class(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    (config,) = [d for d in diagnostics if d.code == "PYD010"]

    fix, fixed = await quick_fix_text(client, uri, SOURCE, config, encoding_of(client_name))

    assert fix.title == "Convert `class Config` to `model_config`"
    assert fixed == CONFIG_FIXED


async def test_each_new_code_offers_its_quick_fix(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    expected = {
        "PYD011": 'code: str = Field("AAA", pattern="^(?:[A-Z]+)")',
        "PYD012": "note: Optional[str] = None",
        "PYD013": "from pydantic_settings import BaseSettings",
    }
    for code, line in expected.items():
        (diagnostic,) = [d for d in diagnostics if d.code == code]
        _, fixed = await quick_fix_text(client, uri, SOURCE, diagnostic, encoding)
        assert line in fixed and line not in SOURCE, code
        compile(fixed, "models.py", "exec")


async def test_fix_all_converts_validators_and_the_other_v1_constructs_together(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, _ = await open_and_wait(client, workspace, SOURCE)

    action, fixed = await fix_all_text(client, uri, SOURCE, encoding_of(client_name))

    assert action.title == "Migrate all Pydantic V1 code in this file to V2 (5)"
    assert fixed == migrate_source(SOURCE)
    for v1 in (
        "class Config",
        "regex=",
        "orm_mode",
        "@validator",
        "from pydantic import BaseSettings",
    ):
        assert v1 not in fixed
    assert "note: Optional[str] = None" in fixed
    compile(fixed, "models.py", "exec")


ALIASES = """from pydantic import BaseModel, NoneStr


class Profile(BaseModel):
    nick: NoneStr = None
"""


@pytest.mark.parametrize(
    ("requires", "spelled"), [(">=3.10", "str | None"), (">=3.9", "Optional[str]")]
)
async def test_the_alias_fix_writes_what_the_projects_python_runs(
    client: LanguageClient, workspace: Path, client_name: str, requires: str, spelled: str
) -> None:
    (workspace / "pyproject.toml").write_text(
        f'[project]\nname = "app"\nrequires-python = "{requires}"\n', encoding="utf-8"
    )
    uri, diagnostics = await open_and_wait(client, workspace, ALIASES)
    (diagnostic,) = [d for d in diagnostics if d.code == "PYD013"]
    fix, fixed = await quick_fix_text(client, uri, ALIASES, diagnostic, encoding_of(client_name))
    assert fix.title == f"Replace `NoneStr` with `{spelled}`"
    assert f"nick: {spelled} = None" in fixed
    compile(fixed, "models.py", "exec")


METHODS_SOURCE = """import httpx
from pydantic import BaseModel


class User(BaseModel):
    id: int

    class Config:
        orm_mode = True


def load(raw: dict, row: object) -> dict:
    user = User.parse_obj(raw)
    print(httpx.get("https://example.org").json(), raw.copy())
    print(user.json(encoder=str))
    return User.from_orm(row).dict()
"""


async def test_method_calls_on_models_are_published_fixed_one_by_one_and_by_fix_all(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, diagnostics = await open_and_wait(client, workspace, METHODS_SOURCE)

    found = sorted(
        (d.range.start.line, d.data["key"])
        for d in diagnostics
        if d.code == "PYD014" and isinstance(d.data, dict)
    )
    assert found == [
        (12, "load:User.parse_obj"),
        (14, "load:user.json"),
        (15, "load:User().dict"),
        (15, "load:User.from_orm#2"),
    ]
    (parse,) = [d for d in diagnostics if d.code == "PYD014" and d.range.start.line == 12]
    fix, fixed = await quick_fix_text(client, uri, METHODS_SOURCE, parse, encoding)
    assert fix.title == "Use `.model_validate()`"
    assert fixed == METHODS_SOURCE.replace("User.parse_obj(raw)", "User.model_validate(raw)")

    (reported,) = [d for d in diagnostics if d.code == "PYD014" and d.range.start.line == 14]
    actions = await code_actions(client, uri, reported.range, [reported])
    assert [a for a in actions if a.kind == types.CodeActionKind.QuickFix] == []

    _, fixed = await fix_all_text(client, uri, METHODS_SOURCE, encoding)
    assert fixed == migrate_source(METHODS_SOURCE)
    assert "return User.model_validate(row).model_dump()" in fixed
    assert ".json(), raw.copy())" in fixed and "user.json(encoder=str)" in fixed


CONSTRAINED_SOURCE = """from pydantic import BaseModel, conint, constr


class Item(BaseModel):
    code: constr(regex="[A-Z]+", max_length=4)
    count: conint(ge=0) = 0
"""


async def test_constrained_types_are_published_and_fixed_with_their_imports(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, diagnostics = await open_and_wait(client, workspace, CONSTRAINED_SOURCE)
    found = sorted(
        (d.range.start.line, d.data["key"])
        for d in diagnostics
        if d.code == "PYD015" and isinstance(d.data, dict)
    )
    assert found == [(4, "Item.code:con"), (5, "Item.count:con")]

    (count,) = [d for d in diagnostics if d.code == "PYD015" and d.range.start.line == 5]
    _, fixed = await quick_fix_text(client, uri, CONSTRAINED_SOURCE, count, encoding)
    assert fixed == (
        "from typing import Annotated\n\n"
        "from pydantic import BaseModel, Field, constr\n\n\n"
        "class Item(BaseModel):\n"
        '    code: constr(regex="[A-Z]+", max_length=4)\n'
        "    count: Annotated[int, Field(ge=0)] = 0\n"
    )

    _, fixed = await fix_all_text(client, uri, CONSTRAINED_SOURCE, encoding)
    assert fixed == migrate_source(CONSTRAINED_SOURCE)
    assert 'code: Annotated[str, StringConstraints(pattern="^(?:[A-Z]+)", max_length=4)]' in fixed
    assert "conint" not in fixed and "constr" not in fixed


GENERIC_SOURCE = """from typing import Generic, TypeVar

from pydantic.generics import GenericModel

T = TypeVar("T")


class Box(GenericModel, Generic[T]):
    item: T
"""


async def test_generic_model_quick_fix_derives_from_base_model_and_drops_the_import(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, diagnostics = await open_and_wait(client, workspace, GENERIC_SOURCE)
    (generic,) = [d for d in diagnostics if d.code == "PYD016"]
    assert generic.range.start.line == 7
    fix, fixed = await quick_fix_text(client, uri, GENERIC_SOURCE, generic, encoding)
    assert fix.title == "Derive from `BaseModel` (V2 generic models)"
    assert fixed == (
        GENERIC_SOURCE.replace(
            "from pydantic.generics import GenericModel\n", "from pydantic import BaseModel\n"
        ).replace("class Box(GenericModel, Generic[T]):", "class Box(BaseModel, Generic[T]):")
    )
