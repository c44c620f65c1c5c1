"""Config conversions keep what V1 did beyond construction: ORM reads and frozen instances.

The module is ``fixtures/behaviour/config_and_fields.py`` (its keyword probes run in
``test_behaviour_models``); here the V1 original under ``pydantic.v1`` and the migrated text
under pydantic 2 are compared on ``from_orm`` / ``model_validate`` of an ORM-like object and
on assignment to a frozen model.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "config_and_fields.py").read_text()


@dataclass
class OrmRow:
    """What an ORM hands out: attributes, no mapping interface."""

    id: object
    full_name: str


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "behaviour_config_v1"),
        _load(migrate_source(SOURCE), "behaviour_config_v2"),
    )


def test_orm_mode_becomes_from_attributes_reading_the_same_object(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    row = OrmRow(id="7", full_name="Ada")
    before = v1.Row.from_orm(row).dict()
    after = v2.Row.model_validate(row).model_dump()
    assert before == after == {"id": 7, "full_name": "Ada"}


def test_orm_object_with_a_bad_value_is_rejected_by_both(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    from pydantic import ValidationError
    from pydantic.v1 import ValidationError as V1ValidationError

    v1, v2 = modules
    row = OrmRow(id="x", full_name="Ada")
    with pytest.raises(V1ValidationError):
        v1.Row.from_orm(row)
    with pytest.raises(ValidationError):
        v2.Row.model_validate(row)


def test_allow_mutation_false_becomes_frozen_and_rejects_assignment(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    from pydantic import ValidationError

    v1, v2 = modules
    old, new = v1.Locked(a=1), v2.Locked(a=1)
    with pytest.raises(TypeError):
        old.a = 2
    with pytest.raises(ValidationError):
        new.a = 2
    assert old.a == new.a == 1
    assert hash(new) == hash(v2.Locked(a=1))  # frozen V2 models are hashable


def test_optional_fields_without_default_are_none_after_migration(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    assert v1.OptionalChild(e=1).dict() == v2.OptionalChild(e=1).model_dump()
    assert v2.OptionalChild(e=1).model_dump() == {
        "a": None,
        "b": None,
        "c": None,
        "d": None,
        "e": 1,
        "f": None,
    }
