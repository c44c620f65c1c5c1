"""``__init_subclass__`` and ``__class_getitem__`` are class methods and ``__new__`` a static
method taking the class, without a decorator: their first parameter is the class, so
``cls.__fields__`` there becomes ``cls.model_fields``, not ``type(cls).model_fields`` (which
reads the metaclass and raises ``AttributeError``; found on ethyca Fides). The original under
``pydantic.v1``, the migrated module under pydantic 2, compared by result."""

from __future__ import annotations

import types
import warnings
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = """\
import types
from typing import Any, Dict

from pydantic import BaseModel

SEEN: Dict[str, Any] = {}


class Checked(BaseModel):
    def __init_subclass__(cls, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        assert "x" in cls.__fields__, f"{cls.__name__} needs x"
        SEEN[cls.__name__] = sorted(cls.__fields__)


class Typed(BaseModel):
    value: int = 0

    def __class_getitem__(cls, item):
        return cls.parse_obj({"value": item})

    def __new__(cls, *args, **kwargs):
        SEEN["new"] = sorted(cls.__fields__)
        return super().__new__(cls)


def subclass(name: str, fields: Dict[str, type]) -> type:
    namespace = {"__annotations__": fields}
    return types.new_class(name, (Checked,), {}, lambda ns: ns.update(namespace))
"""


def _outcome(module: types.ModuleType, step: str) -> tuple[str, object]:
    module.SEEN.clear()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            if step == "typed item":
                result: object = dict(module.Typed["7"])
            elif step == "typed construction":
                result = dict(module.Typed(value="3"))
            else:
                result = module.subclass(step, {"x": int, "y": str} if step == "XY" else {"y": str})
                result = result.__name__
    except AssertionError as error:
        return "rejected", str(error)
    return "ok", (result, dict(module.SEEN))


def test_the_class_parameter_of_implicit_class_methods_reads_fields_on_the_class() -> None:
    migrated = migrate_source(SOURCE)
    assert "type(cls)" not in migrated
    assert migrated.count("cls.model_fields") == 3
    assert "return cls.model_validate({" in migrated
    assert find_findings(migrated) == []


@pytest.mark.parametrize("step", ["XY", "OnlyY", "typed item", "typed construction"])
def test_implicit_class_methods_behave_as_under_v1(step: str) -> None:
    v1: Any = _load(_as_v1(SOURCE), "implicit_cls_v1")
    v2: Any = _load(migrate_source(SOURCE), "implicit_cls_v2")
    assert _outcome(v2, step) == _outcome(v1, step)


def test_a_static_method_new_decorated_explicitly_is_left_alone() -> None:
    source = (
        "from pydantic import BaseModel\n\n\n"
        "class M(BaseModel):\n"
        "    @staticmethod\n"
        "    def __new__(kind, *args):\n"
        "        return kind.__fields__\n"
    )
    assert "kind.__fields__" in migrate_source(source)
