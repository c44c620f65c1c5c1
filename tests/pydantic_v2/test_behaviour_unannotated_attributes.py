"""Un-annotated attributes behave as in V1: ``fixtures/behaviour/unannotated_attributes.py``
runs under ``pydantic.v1`` (original) and under pydantic 2 (migrated: ``x: int = 1``,
``correct: ClassVar[type] = bool``); the same fields, defaults, accepted and rejected inputs,
and class attributes (its ``PROBES``, accepted and rejected alike, run in
``test_behaviour_models``)."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import migrate_source

FIXTURE = Path(__file__).parent / "fixtures" / "behaviour" / "unannotated_attributes.py"
SOURCE = FIXTURE.read_text()


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "behaviour_unannotated_v1"),
        _load(migrate_source(SOURCE), "behaviour_unannotated_v2"),
    )


def test_the_same_fields_with_the_same_defaults(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    v1_fields = {name: f.default for name, f in v1.Route.__fields__.items()}
    v2_fields = {name: f.default for name, f in v2.Route.model_fields.items()}
    assert v1_fields == v2_fields
    assert set(v2_fields) >= {"name", "priority", "tags", "limit"}
    assert v1.Route().dict() == v2.Route().model_dump()


def test_classes_functions_and_private_names_stay_class_attributes(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    assert v2.Route.correct is bool and v1.Route.correct is bool
    assert v2.Route.kind is v2.Kind and v1.Route.kind is v1.Kind
    assert v1.Route().describe() == v2.Route().describe() == "route default"
    assert v1.Route._cache == {} and v2.Route.__private_attributes__["_cache"].default == {}
