"""Fields holding subclass instances dump them whole, as in V1: the functions of
``fixtures/behaviour/serialize_as_any.py`` run under ``pydantic.v1`` (original) and under
pydantic 2 (migrated, ``SerializeAsAny[...]`` added) and return the same dumps; validation and
the JSON schema are those of the same module without the wrapper."""

from __future__ import annotations

import json
import re
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "serialize_as_any.py").read_text()
Raw = Callable[[types.ModuleType], dict[str, Any]]


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "behaviour_serialize_as_any_v1"),
        _load(migrate_source(SOURCE), "behaviour_serialize_as_any_v2"),
    )


INPUTS: dict[str, Raw] = {
    "subclass-instances": lambda m: {
        "query_id": "q",
        "results": [m.Photo(url="u", caption="c"), m.Photo(url="v")],
        "content": m.RichContent(text="t", parse_mode="HTML"),
        "by_key": {"a": m.RichContent(text="x"), "b": 2},
    },
    "declared-classes": lambda m: {
        "query_id": "q",
        "results": [m.Result()],
        "content": m.Content(text="t"),
        "by_key": {"a": m.Content(text="x")},
    },
    "dicts": lambda m: {
        "query_id": "q",
        "results": [{"url": "u"}],
        "content": {"text": "t", "parse_mode": "HTML"},
        "by_key": {"a": {"text": "x"}, "b": "3"},
    },
}


@pytest.mark.parametrize("build", INPUTS.values(), ids=INPUTS.keys())
@pytest.mark.parametrize("function", ["dump", "dump_exact"])
def test_dumps_are_the_same_as_v1s(
    modules: tuple[types.ModuleType, types.ModuleType], build: Raw, function: str
) -> None:
    v1, v2 = modules
    assert getattr(v1, function)(build(v1)) == getattr(v2, function)(build(v2))


@pytest.mark.parametrize("build", INPUTS.values(), ids=INPUTS.keys())
def test_json_dumps_carry_the_same_values(
    modules: tuple[types.ModuleType, types.ModuleType], build: Raw
) -> None:
    v1, v2 = modules
    assert json.loads(v1.dump_json(build(v1))) == json.loads(v2.dump_json(build(v2)))


def test_subclass_fields_are_dumped_where_v2_alone_would_drop_them(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    unwrapped = _load(_unwrapped(migrate_source(SOURCE)), "behaviour_serialize_as_any_bare")
    raw = INPUTS["subclass-instances"]
    assert unwrapped.dump(raw(unwrapped))["results"] == [{}, {}]
    assert modules[1].dump(raw(modules[1]))["results"][0] == {
        "type": "photo",
        "url": "u",
        "caption": "c",
    }


def test_validation_and_json_schema_are_those_of_the_unwrapped_module(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    from pydantic import ValidationError

    unwrapped = _load(_unwrapped(migrate_source(SOURCE)), "behaviour_serialize_as_any_bare2")
    migrated = modules[1]
    for mode in ("validation", "serialization"):
        assert migrated.Answer.model_json_schema(mode=mode) == unwrapped.Answer.model_json_schema(
            mode=mode
        )
    for bad in ({"query_id": "q", "results": [1]}, {"query_id": "q", "results": [], "content": 2}):
        errors = []
        for module in (migrated, unwrapped):
            with pytest.raises(ValidationError) as caught:
                module.answer(bad)
            errors.append([e["loc"] for e in caught.value.errors()])
        assert errors[0] == errors[1]


def _unwrapped(source: str) -> str:
    return re.sub(r"SerializeAsAny\[(\w+)\]", r"\1", source).replace(", SerializeAsAny", "")
