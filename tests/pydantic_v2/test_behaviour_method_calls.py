"""Method-call sites keep their results: functions of ``fixtures/behaviour/method_calls.py``
calling ``.dict()``, ``.json()``, ``.parse_obj()``, ``.parse_raw()``, ``.from_orm()``,
``.copy()``, ``.construct()`` and ``__fields__`` run under ``pydantic.v1`` (original) and under
pydantic 2 (migrated), and return the same data or fail on the same fields."""

from __future__ import annotations

import json
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "method_calls.py").read_text()


@dataclass
class OrmRow:
    """What an ORM hands out: attributes, no mapping interface."""

    id: object
    name: str
    tags: list[str]
    address: object = None


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "behaviour_methods_v1"),
        _load(migrate_source(SOURCE), "behaviour_methods_v2"),
    )


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """``("ok", plain data)`` or ``("rejected", sorted error locations)``."""
    from pydantic import ValidationError as V2Error
    from pydantic.v1 import ValidationError as V1Error

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            result = call()
    except (V1Error, V2Error) as error:
        return "rejected", sorted(tuple(e["loc"]) for e in error.errors())
    return "ok", _plain(result)


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump()
    if hasattr(value, "dict") and hasattr(value, "__fields__"):
        return value.dict()
    return value


def _both(
    modules: tuple[types.ModuleType, types.ModuleType], function: str, *args: Any
) -> tuple[tuple[str, Any], tuple[str, Any]]:
    v1, v2 = modules
    return (
        _outcome(lambda: getattr(v1, function)(*args)),
        _outcome(lambda: getattr(v2, function)(*args)),
    )


def test_the_migrated_module_calls_no_v1_method_any_more() -> None:
    migrated = migrate_source(SOURCE)
    assert find_findings(migrated) == []
    for v1 in (".dict(", ".parse_obj(", ".parse_raw(", ".from_orm(", "__fields__", ".json("):
        assert v1 not in migrated
    assert "copied = data.copy()" in migrated


@pytest.mark.parametrize(
    "raw",
    [
        {"id": "1", "name": "Ada"},
        {"id": 2, "name": "Bob", "tags": ["a"], "address": {"city": "Oslo", "zipCode": "0150"}},
        {"id": "x", "name": "Ada"},
        {"name": "no id"},
    ],
)
def test_parse_obj_dict_and_copy_sites_return_the_same(
    modules: tuple[types.ModuleType, types.ModuleType], raw: dict[str, Any]
) -> None:
    for function in ("load", "renamed"):
        before, after = _both(modules, function, raw)
        assert before == after, function
    before, after = _both(modules, "load", raw)
    if before[0] == "ok":
        v1, v2 = modules
        assert v1.dump(v1.load(raw)) == v2.dump(v2.load(raw))
        assert v1.load(raw).summary() == v2.load(raw).summary()
        assert json.loads(v1.dump_json(v1.load(raw))) == json.loads(v2.dump_json(v2.load(raw)))


@pytest.mark.parametrize("text", ['{"id": "3", "name": "Cy"}', '{"id": []}', "not json"])
def test_parse_raw_sites_accept_and_reject_the_same_text(
    modules: tuple[types.ModuleType, types.ModuleType], text: str
) -> None:
    before, after = _both(modules, "load_text", text)
    assert before[0] == after[0]
    if before[0] == "ok" or text != "not json":
        assert before == after
    v1, v2 = modules
    assert _outcome(lambda: v1.User.from_text(text))[0] == before[0]
    assert _outcome(lambda: v2.User.from_text(text))[0] == after[0]


@pytest.mark.parametrize(
    "row",
    [OrmRow("7", "Ada", ["x"]), OrmRow("seven", "Ada", [])],
    ids=["valid", "bad-id"],
)
def test_from_orm_sites_read_the_same_orm_object(
    modules: tuple[types.ModuleType, types.ModuleType], row: OrmRow
) -> None:
    before, after = _both(modules, "from_row", row)
    assert before == after


def test_field_names_construct_and_dict_copies_are_the_same(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    assert v1.field_names() == v2.field_names() == ["id", "name", "tags", "address"]
    raw = {"id": 1, "name": "Ada"}
    assert v1.knows_field(raw, "tags") is v2.knows_field(raw, "tags") is True
    assert v1.knows_field(raw, "nope") is v2.knows_field(raw, "nope") is False
    trusted_v1, trusted_v2 = v1.trusted(id=5, name="Ada"), v2.trusted(id=5, name="Ada")
    assert (
        trusted_v1.dict()
        == trusted_v2.model_dump()
        == {
            "id": 5,
            "name": "Ada",
            "tags": [],
            "address": None,
        }
    )
    assert trusted_v1.__fields_set__ == trusted_v2.model_fields_set == {"id", "name"}
    assert v1.untouched({"a": 1}) == v2.untouched({"a": 1}) == {"a": 1, "seen": True}
