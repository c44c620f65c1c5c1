"""V1 error classes move to ``pydantic.v1.errors`` and ``_FUNCS`` goes (PYD013): the functions
of ``fixtures/behaviour/v1_errors.py`` under ``pydantic.v1`` (original) and pydantic 2
(migrated) accept the same data and reject the same inputs at the same locations; where the
error's type and message change, they change exactly as the finding says."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.v1_errors import V2_BEHAVIOUR

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "v1_errors.py").read_text()


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return _load(_as_v1(SOURCE), "behaviour_v1_errors_v1"), _load(
        migrate_source(SOURCE), "behaviour_v1_errors_v2"
    )


def _errors(model: Any, data: dict[str, Any]) -> list[tuple[Any, ...]]:
    from pydantic import ValidationError as V2Error
    from pydantic.v1 import ValidationError as V1Error

    try:
        model(**data)
    except V2Error as error:
        return [(e["loc"], e["msg"], e["type"]) for e in error.errors(include_url=False)]
    except V1Error as error:
        return [(e["loc"], e["msg"], e["type"]) for e in error.errors()]
    raise AssertionError("nothing was raised")


def test_the_migrated_module_imports_and_has_nothing_left_to_report() -> None:
    migrated = migrate_source(SOURCE)
    assert find_findings(migrated) == []
    assert "_FUNCS" not in migrated
    assert "from pydantic.v1.errors import" in migrated


def test_valid_data_reads_the_same(modules: tuple[types.ModuleType, types.ModuleType]) -> None:
    v1, v2 = modules
    assert v1.Lookup(name="ada").dict() == v2.Lookup(name="ada").model_dump() == {"name": "ada"}


def test_a_value_error_subclass_rejects_at_the_same_place_as_the_finding_says(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    before = _errors(v1.Lookup, {"name": "missing"})
    after = _errors(v2.Lookup, {"name": "missing"})
    assert before == [(("name",), "no such name: missing", "value_error.not_found")]
    assert after == [(("name",), "Value error, no such name: missing", "value_error")]
    assert "type `value_error` with the message `Value error, <message>`" in V2_BEHAVIOUR["value"]


@pytest.mark.parametrize(
    ("name", "v1_type"), [("kind", "type_error.bad_kind"), ("none", "type_error.none.not_allowed")]
)
def test_a_type_error_subclass_escapes_v2_validation_as_the_finding_says(
    modules: tuple[types.ModuleType, types.ModuleType], name: str, v1_type: str
) -> None:
    v1, v2 = modules
    assert [error[2] for error in _errors(v1.Lookup, {"name": name})] == [v1_type]
    with pytest.raises(TypeError) as raised:
        v2.Lookup(name=name)
    assert type(raised.value).__name__ in ("BadKindError", "NoneIsNotAllowedError")
    assert "escapes as a `TypeError`" in V2_BEHAVIOUR["type"]


def test_the_error_built_outside_a_model_is_the_same_object(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    before, after = v1.not_found("gone"), v2.not_found("gone")
    assert (str(before), before.code, before.msg_template, before.__dict__) == (
        str(after),
        after.code,
        after.msg_template,
        after.__dict__,
    )
    assert isinstance(after, ValueError)


def test_clearing_the_registry_is_not_needed_in_v2(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    from pydantic.v1.errors import ConfigError

    v1, v2 = modules
    with pytest.raises(ConfigError, match="duplicate validator function"):
        _load(_as_v1(SOURCE), "behaviour_v1_errors_v1")  # what `_FUNCS.clear()` avoided
    assert v1.reset_registry() == v2.reset_registry() == "reset"
    _load(_as_v1(SOURCE), "behaviour_v1_errors_v1")  # cleared: loads again under V1
    again = _load(migrate_source(SOURCE), "behaviour_v1_errors_v2")  # V2: no registry at all
    assert again.Lookup(name="ada").model_dump() == {"name": "ada"}
