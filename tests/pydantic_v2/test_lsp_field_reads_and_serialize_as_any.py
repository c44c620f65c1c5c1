"""Over stdio: ``__fields__`` read for ``.required`` (PYD014, aiogram's ``CallbackData.unpack``),
a union of sibling models (PYD032) and a field holding subclass instances (PYD033) are
published, each quick fix converts its own construct with the imports it needs, and fix-all
converts them all like ``migrate``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, fix_all_text, open_and_wait, quick_fix_text
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = """from typing import List, Optional, Type, TypeVar, Union

from pydantic import BaseModel, validator

T = TypeVar("T", bound="Packed")


class Result(BaseModel):
    pass


class Photo(Result):
    url: str


class Text(Result):
    text: str


class Packed(BaseModel):
    action: str
    page: Optional[int] = None
    results: List[Result] = []
    first: Optional[Union[Photo, Text]] = None

    @validator("action")
    def strip(cls, v):
        return v.strip()

    @classmethod
    def unpack(cls: Type[T], parts: dict) -> T:
        for k in list(parts):
            if field := cls.__fields__.get(k):
                if parts[k] == "" and not field.required:
                    parts[k] = None
        return cls(**parts)
"""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_field_reads_and_subclass_dumps_are_fixed_one_by_one_and_by_fix_all(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    found = sorted(
        (d.code, d.range.start.line, d.data["key"])
        for d in diagnostics
        if d.code in ("PYD014", "PYD032", "PYD033") and isinstance(d.data, dict)
    )
    assert found == [
        ("PYD014", 32, "Packed.unpack:cls.__fields__"),
        ("PYD032", 7, "Result:_v1_dict_input"),
        ("PYD033", 22, "Packed.results:serialize_as_any"),
    ]

    (fields,) = [d for d in diagnostics if d.code == "PYD014"]
    assert "`.required` → `.is_required()`" in fields.message
    fix, fixed = await quick_fix_text(client, uri, SOURCE, fields, encoding)
    assert fix.title == "Use `model_fields`"
    assert fixed == SOURCE.replace("cls.__fields__.get(k)", "cls.model_fields.get(k)").replace(
        "not field.required", "not field.is_required()"
    )

    (dumps,) = [d for d in diagnostics if d.code == "PYD033"]
    assert "silently lose the subclass's data" in dumps.message
    fix, fixed = await quick_fix_text(client, uri, SOURCE, dumps, encoding)
    assert fix.title == "Dump subclasses whole: `SerializeAsAny[...]`"
    assert fixed == SOURCE.replace(
        "from pydantic import BaseModel, validator",
        "from pydantic import BaseModel, SerializeAsAny, validator",
    ).replace("results: List[Result] = []", "results: List[SerializeAsAny[Result]] = []")

    (inputs,) = [d for d in diagnostics if d.code == "PYD032"]
    assert "`Packed.first: Optional[Union[Photo, Text]]` expects subclasses of `Result`" in (
        inputs.message
    )
    fix, fixed = await quick_fix_text(client, uri, SOURCE, inputs, encoding)
    assert fix.title == "Accept other models' instances as V1 did: `dict(value)`"
    assert "from typing import Any, List, Optional, Type, TypeVar, Union\n" in fixed
    assert "from pydantic import BaseModel, model_validator, validator\n" in fixed
    assert (
        'class Result(BaseModel):\n    pass\n\n    @model_validator(mode="before")\n'
        "    @classmethod\n    def _v1_dict_input(cls, data: Any) -> Any:\n"
    ) in fixed
    compile(fixed, "models.py", "exec")

    _, fixed = await fix_all_text(client, uri, SOURCE, encoding)
    assert fixed == migrate_source(SOURCE)
    assert "results: List[SerializeAsAny[Result]] = []" in fixed
    assert "not field.is_required()" in fixed
    compile(fixed, "models.py", "exec")
