"""``EmailStr(...)`` called to build a value (PYD027): ``fixtures/behaviour/called_types.py``
under ``pydantic.v1`` (original, where ``EmailStr`` was a ``str`` subclass) and migrated under
pydantic 2 (where calling it raises ``TypeError``) build equal strings, and its model accepts,
defaults and rejects the same."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "called_types.py").read_text()


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return _load(_as_v1(SOURCE), "behaviour_called_types_v1"), _load(
        migrate_source(SOURCE), "behaviour_called_types_v2"
    )


def test_the_original_cannot_be_imported_under_pydantic_2() -> None:
    with pytest.raises(TypeError, match="EmailStr"):
        _load(SOURCE, "behaviour_called_types_unmigrated")


def test_module_constants_are_the_strings_v1_built(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    for name in ("SUPPORT", "NOT_AN_ADDRESS"):
        assert getattr(v1, name) == getattr(v2, name)
        assert type(getattr(v2, name)) is str


@pytest.mark.parametrize("value", ["a@b.c", 42, b"raw", None])
def test_calls_in_functions_return_equal_strings(
    modules: tuple[types.ModuleType, types.ModuleType], value: object
) -> None:
    v1, v2 = modules
    assert v1.as_address(value) == v2.as_address(value)
    assert v1.contact_of("ann") == v2.contact_of("ann") == "ann@example.com"


def _outcome(model: Any, data: dict[str, Any]) -> tuple[str, Any]:
    from pydantic import ValidationError as V2Error
    from pydantic.v1 import ValidationError as V1Error

    try:
        made = model(**data)
    except (V1Error, V2Error) as error:
        return "rejected", sorted(e["loc"] for e in error.errors())
    return "accepted", made.model_dump() if hasattr(made, "model_dump") else made.dict()


def test_model_with_called_defaults_accepts_and_rejects_the_same(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    outcomes = [_outcome(v1.Vendor, data) for _, data in v1.PROBES]
    assert outcomes == [_outcome(v2.Vendor, data) for _, data in v1.PROBES]
    assert {verdict for verdict, _ in outcomes} == {"accepted", "rejected"}
    assert outcomes[0] == (
        "accepted",
        {"name": "Acme", "contact": "privacy@example.com", "backup": "backup@example.com"},
    )
