"""PYD036: a model's ``__init_subclass__`` that reads the subclass's fields ran after V1 had
collected them, but runs before V2 does (found on ethyca Fides: its ``BulkResponse`` check
rejected every subclass at import, 32 modules). ``migrate`` renames it to
``__pydantic_init_subclass__``; the subclasses then see the same fields as under V1: the
original under ``pydantic.v1``, the migrated module under pydantic 2."""

from __future__ import annotations

import types
import warnings

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = """\
import types
from typing import Any, Dict

from pydantic import BaseModel

REGISTRY: Dict[str, Any] = {}


class BulkResponse(BaseModel):
    @classmethod
    def __init_subclass__(cls, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        if "succeeded" not in cls.__fields__ or "failed" not in cls.__fields__:
            raise TypeError(f"Class {cls.__name__} needs both 'succeeded' and 'failed'")


class Registered(BaseModel):
    @classmethod
    def __init_subclass__(cls, **kwargs: Any):
        REGISTRY[cls.__name__] = sorted(cls.__fields__)


class Named(BaseModel):
    def __init_subclass__(cls, **kwargs: Any):
        REGISTRY.setdefault("named", []).append(cls.__name__)


def make(base: str, name: str, fields: Dict[str, type], **kwargs: Any) -> type:
    namespace = {"__annotations__": fields}
    return types.new_class(name, (globals()[base],), kwargs, lambda ns: ns.update(namespace))
"""

CASES = [
    ("BulkResponse", "Done", {"succeeded": list, "failed": list}, {}),
    ("BulkResponse", "Half", {"succeeded": list}, {}),
    ("BulkResponse", "Extra", {"succeeded": list, "failed": list, "total": int}, {}),
    ("Registered", "Plain", {"a": int}, {}),
    ("Registered", "Two", {"a": int, "b": str}, {}),
    ("Named", "One", {"a": int}, {}),
]


Case = tuple[str, str, dict[str, type], dict[str, str]]


def _outcome(module: types.ModuleType, case: Case) -> tuple[str, object]:
    base, name, fields, kwargs = case
    module.REGISTRY.clear()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            module.make(base, name, fields, **kwargs)
    except TypeError as error:
        return "rejected", str(error)
    return "ok", dict(module.REGISTRY)


def test_a_hook_that_reads_fields_becomes_pydantic_init_subclass() -> None:
    migrated = migrate_source(SOURCE)
    assert migrated.count("def __pydantic_init_subclass__(cls") == 2
    assert migrated.count("super().__pydantic_init_subclass__(**kwargs)") == 1
    assert "    @classmethod\n    def __pydantic_init_subclass__(cls, **kwargs: Any):" in migrated
    assert "class Named(BaseModel):\n    def __init_subclass__(cls, **kwargs: Any):" in migrated
    codes = [f.code for f in find_findings(SOURCE)]
    assert codes.count("PYD036") == 2
    assert "PYD036" not in [f.code for f in find_findings(migrated)]
    assert migrate_source(migrated) == migrated


@pytest.mark.parametrize("case", CASES, ids=[case[1] for case in CASES])
def test_subclasses_see_the_fields_v1_showed_them(case: Case) -> None:
    v1 = _load(_as_v1(SOURCE), "init_subclass_v1")
    v2 = _load(migrate_source(SOURCE), "init_subclass_v2")
    assert _outcome(v2, case) == _outcome(v1, case)


def test_an_undecorated_hook_becomes_a_classmethod() -> None:
    source = (
        "from pydantic import BaseModel\n\nclass Base(BaseModel):\n"
        "    def __init_subclass__(cls, **kwargs):\n"
        "        super().__init_subclass__(**kwargs)\n"
        "        assert cls.__fields__\n"
    )
    migrated = migrate_source(source)
    assert (
        "    @classmethod\n    def __pydantic_init_subclass__(cls, **kwargs):\n"
        "        super().__pydantic_init_subclass__(**kwargs)\n"
    ) in migrated


def test_the_unmigrated_hook_sees_the_parents_fields_under_v2() -> None:
    original = _load(SOURCE, "init_subclass_original")
    assert _outcome(original, CASES[0])[0] == "rejected"  # what broke Fides at import


@pytest.mark.parametrize(
    ("header", "parameters", "reason"),
    [
        ("class Base(Mixin, BaseModel):\n", "cls, **kwargs", "not a model of this file"),
        (
            "class Base(BaseModel):\n    @some_decorator\n",
            "cls, **kwargs",
            "decorated with `some_decorator`",
        ),
        ("class Base(BaseModel):\n", "cls, label='', **kwargs", "takes class keywords (`label`)"),
    ],
)
def test_a_hook_whose_timing_cannot_be_moved_safely_is_reported(
    header: str, parameters: str, reason: str
) -> None:
    source = (
        "from pydantic import BaseModel\nfrom app import Mixin, some_decorator\n\n"
        f"{header}    def __init_subclass__({parameters}):\n"
        "        assert cls.__fields__\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD036"]
    assert not finding.fixable
    assert reason in finding.message
    assert migrate_source(source) == source
