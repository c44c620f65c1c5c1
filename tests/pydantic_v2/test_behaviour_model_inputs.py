"""A base model's instance given to a union of its subclasses is accepted and converted as in
V1: ``Updated`` of ``fixtures/behaviour/model_inputs.py`` is built under ``pydantic.v1``
(original) and under pydantic 2 (migrated: ``Member`` gets the ``dict(value)`` validator) from
the same inputs — instances of the base, of another model, of the members themselves, dicts,
ORM-like objects, pairs — and accepts, builds and rejects the same."""

from __future__ import annotations

import types
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "model_inputs.py").read_text()
Build = Callable[[types.ModuleType], dict[str, Any]]


class Row:
    """An ORM-like object: attributes only (neither model reads attributes here)."""

    status = "left"
    until = 1


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "behaviour_model_inputs_v1"),
        _load(migrate_source(SOURCE), "behaviour_model_inputs_v2"),
    )


INPUTS: dict[str, Build] = {
    "base-instance-to-left": lambda m: {"old": m.Member(status="LEFT")},
    "base-instance-to-owner-with-alias": lambda m: {
        "old": m.Member(status="creator", customTitle="boss")
    },
    "base-instance-matching-no-member": lambda m: {"old": m.Member(status="member")},
    "base-instance-to-banned-without-until": lambda m: {"old": m.Member(status="kicked")},
    "base-instances-in-optional-and-list": lambda m: {
        "old": m.Member(status="left", until=4),
        "new": m.Member(status="kicked", until=9),
        "history": [m.Member(status="creator"), m.Member(status="left")],
    },
    "other-model-instance": lambda m: {"old": m.Other()},
    "member-instances": lambda m: {
        "old": m.Banned(status="kicked", until=2),
        "new": m.Left(status="left"),
    },
    "dicts": lambda m: {"old": {"status": "left", "customTitle": "x"}},
    "orm-like-object": lambda m: {"old": Row()},
    "pairs": lambda m: {"old": [("status", "left"), ("until", 5)]},
    "string": lambda m: {"old": "left"},
}


def _outcome(module: types.ModuleType, raw: dict[str, Any]) -> tuple[str, Any]:
    from pydantic import ValidationError as V2Error
    from pydantic.v1 import ValidationError as V1Error

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            built = module.updated(raw)
    except (V1Error, V2Error) as error:
        return "rejected", sorted({e["loc"][0] for e in error.errors()})
    dump = built.model_dump() if hasattr(built, "model_dump") else built.dict()
    kinds = [type(built.old).__name__, type(built.new).__name__]
    return "accepted", (kinds + [type(h).__name__ for h in built.history], dump)


@pytest.mark.parametrize("build", INPUTS.values(), ids=INPUTS.keys())
def test_inputs_are_accepted_built_and_rejected_as_in_v1(
    modules: tuple[types.ModuleType, types.ModuleType], build: Build
) -> None:
    v1, v2 = modules
    assert _outcome(v1, build(v1)) == _outcome(v2, build(v2))


def test_a_base_instance_is_rejected_without_the_validator(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    without = migrate_source(SOURCE).replace("def _v1_dict_input", "def _unused")
    without = without.replace(
        '@model_validator(mode="before")\n    @classmethod\n    def _unused', "def _unused"
    )
    bare = _load(without, "behaviour_model_inputs_bare")
    assert _outcome(bare, {"old": bare.Member(status="left")})[0] == "rejected"
    assert _outcome(modules[1], {"old": modules[1].Member(status="left")})[0] == "accepted"


def test_instances_of_the_class_itself_never_reach_the_validator(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v2 = modules[1]
    left = v2.Left(status="left")
    assert v2.Updated(old=left).old is left
