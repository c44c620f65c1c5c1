"""``__fields__`` values read the V2 way give the same answers: the functions of
``fixtures/behaviour/field_reads.py`` run under ``pydantic.v1`` (original) and under pydantic 2
(migrated) and return the same values — aiogram's ``CallbackData.unpack`` pattern included."""

from __future__ import annotations

import types
import warnings
from pathlib import Path

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "field_reads.py").read_text()


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "behaviour_field_reads_v1"),
        _load(migrate_source(SOURCE), "behaviour_field_reads_v2"),
    )


def test_every_fields_read_is_converted_and_nothing_is_left() -> None:
    migrated = migrate_source(SOURCE)
    assert ".__fields__" not in migrated
    assert ".required" not in migrated
    assert ".field_info" not in migrated
    assert find_findings(migrated) == []


@pytest.mark.parametrize(
    "function",
    [
        "required_names",
        "aliases",
        "literal_alias",
        "has_aliases",
        "described",
        "defaults",
        "plain_types",
    ],
)
def test_field_attributes_read_the_same_values(
    modules: tuple[types.ModuleType, types.ModuleType], function: str
) -> None:
    v1, v2 = modules
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        assert getattr(v1, function)() == getattr(v2, function)()


@pytest.mark.parametrize("name", ["action", "page", "size", "tag", "kind", "note", "items"])
def test_required_reads_the_same_for_every_kind_of_field(
    modules: tuple[types.ModuleType, types.ModuleType], name: str
) -> None:
    v1, v2 = modules
    assert v1.required_of(name) is v2.required_of(name)


def test_subclass_fields_read_through_type_of_cls_are_the_same(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    assert v1.child_required(v1.Child) == v2.child_required(v2.Child) == ["action", "kind"]


@pytest.mark.parametrize(
    "value",
    ["go:2:5:x:t:n:", "go::5::t:n:", "go:::::n:", "go:x:5::t::"],
    ids=["all-set", "optional-empty", "required-empty", "bad-int"],
)
def test_unpack_builds_the_same_instance_or_fails_on_the_same_fields(
    modules: tuple[types.ModuleType, types.ModuleType], value: str
) -> None:
    from pydantic import ValidationError as V2Error
    from pydantic.v1 import ValidationError as V1Error

    v1, v2 = modules
    try:
        before: object = v1.Packed.unpack(value).dict()
    except V1Error as error:
        before = sorted(tuple(e["loc"]) for e in error.errors())
    try:
        after: object = v2.Packed.unpack(value).model_dump()
    except V2Error as error:
        after = sorted(tuple(e["loc"]) for e in error.errors())
    assert before == after
