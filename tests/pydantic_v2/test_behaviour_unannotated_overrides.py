"""An un-annotated override of an inherited field (``settings = WideSettings(...)`` over a
base's ``settings: WideSettings``) behaves as in V1 after migrate: V2 refused the class
("Field defined on a base class was overridden by a non-annotated attribute"); the migrated
``settings: WideSettings = WideSettings(...)`` has V1's default, validates with the class V1
used (the default's) and accepts and rejects the same inputs at the same locations."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import migrate_source

FIXTURE = Path(__file__).parent / "fixtures" / "unannotated_overrides.before.py"
SOURCE = FIXTURE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "behaviour_unannotated_overrides_v1"),
        _load(migrate_source(SOURCE), "behaviour_unannotated_overrides_v2"),
    )


def _outcome(model: Any, data: dict[str, Any], v2: bool) -> tuple[str, Any]:
    try:
        built = model.model_validate(data) if v2 else model.parse_obj(data)
    except ValueError as error:  # both versions' ValidationError derive from it
        errors = error.errors()  # type: ignore[attr-defined]
        return "rejected", sorted(tuple(e["loc"]) for e in errors)
    dumped = built.model_dump() if v2 else built.dict()
    return type(built.settings).__name__, dumped


def test_the_override_keeps_v1s_default_and_field_class(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    assert v1.DeviceNotifier().dict() == v2.DeviceNotifier().model_dump()
    assert v2.DeviceNotifier().settings.channels.device_ids == ["reader"]
    v1_field = v1.DeviceNotifier.__fields__["settings"]
    v2_field = v2.DeviceNotifier.model_fields["settings"]
    assert v1_field.outer_type_.__name__ == v2_field.annotation.__name__ == "WideSettings"
    assert set(v1.DeviceNotifier.__fields__) == set(v2.DeviceNotifier.model_fields)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"settings": {"channels": {"email": 1, "sms": 0, "device_ids": ["a", "b"]}}},
        {"settings": {"channels": {"email": True, "sms": False}}},
        {"settings": {"channels": {"email": True}}},
        {"settings": {"channels": {"email": "x", "sms": False, "device_ids": "a"}}},
        {"settings": "not a model"},
        {"settings": {}},
    ],
    ids=["default", "coerced", "without-extension", "missing", "invalid", "wrong-type", "empty"],
)
@pytest.mark.parametrize("model", ["DeviceNotifier", "WidenedNotifier"])
def test_the_override_accepts_and_rejects_as_in_v1(
    modules: tuple[types.ModuleType, types.ModuleType], data: dict[str, Any], model: str
) -> None:
    """``WidenedNotifier`` overrides ``settings: Settings`` with a ``WideSettings`` default:
    V1 validated with ``WideSettings`` (the default's class), not the base's annotation."""
    v1, v2 = modules
    assert _outcome(getattr(v1, model), data, v2=False) == _outcome(
        getattr(v2, model), data, v2=True
    )
