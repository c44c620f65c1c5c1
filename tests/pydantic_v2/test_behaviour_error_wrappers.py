"""Errors built from ``ErrorWrapper`` keep what callers read: the functions of
``fixtures/behaviour/error_wrappers.py`` raise under ``pydantic.v1`` (original) and under
pydantic 2 (migrated) errors with the same ``loc`` / ``msg`` / ``type`` and the same title,
and FastAPI's ``RequestValidationError`` built from the converted dicts reports what V1
FastAPI reported for the wrappers."""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "error_wrappers.py").read_text()


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return _load(_as_v1(SOURCE), "behaviour_errors_v1"), _load(
        migrate_source(SOURCE), "behaviour_errors_v2"
    )


def _raised(call: Callable[[], Any]) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The ``(loc, msg, type)`` of every error ``call`` raises, and the report's title and
    one-part locations (V1 printed ``tags -> 0`` where V2 prints ``tags.0``)."""
    from pydantic import ValidationError as V2Error
    from pydantic.v1 import ValidationError as V1Error

    try:
        call()
    except (V1Error, V2Error) as error:
        errors = [(tuple(e["loc"]), e["msg"], e["type"]) for e in error.errors()]
        lines = str(error).splitlines()
        header = [line for line in lines[1:] if not line.startswith(" ") and "." not in line]
        return errors, [lines[0], *(line for line in header if "->" not in line)]
    raise AssertionError("nothing was raised")


def test_the_migrated_module_builds_no_error_wrapper_any_more() -> None:
    migrated = migrate_source(SOURCE)
    assert find_findings(migrated) == []
    assert "ErrorWrapper" not in migrated
    assert "from pydantic_core import PydanticCustomError\n" in migrated


@pytest.mark.parametrize("name", ["", "  "])
def test_a_single_wrapped_error_reads_the_same(
    modules: tuple[types.ModuleType, types.ModuleType], name: str
) -> None:
    v1, v2 = modules
    before, after = _raised(lambda: v1.check(name)), _raised(lambda: v2.check(name))
    assert before == after == ([(("name",), "name is empty", "value_error")], before[1])
    assert before[1] == ["1 validation error for User", "name"]
    assert v1.check("Ada").dict() == v2.check("Ada").model_dump()


@pytest.mark.parametrize("tags", [["a"], ["a", "b"], []])
def test_several_wrapped_errors_keep_types_messages_and_locations(
    modules: tuple[types.ModuleType, types.ModuleType], tags: list[str]
) -> None:
    v1, v2 = modules
    before, after = _raised(lambda: v1.check_tags(tags)), _raised(lambda: v2.check_tags(tags))
    assert before == after
    assert [kind for _, _, kind in before[0]] == ["type_error", "assertion_error", "value_error"]


def test_pydantic_v1_error_classes_keep_their_v1_type_and_message(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    before, after = _raised(v1.require), _raised(v2.require)
    assert before == after
    assert before[0] == [
        (("name",), "field required", "value_error.missing"),
        (("nickname",), "extra fields not permitted", "value_error.extra"),
    ]


def test_the_table_of_v1_error_classes_matches_pydantic_v1() -> None:
    from pydantic.v1 import BaseModel, ValidationError, errors
    from pydantic.v1.error_wrappers import ErrorWrapper

    from fastapi_architect.pydantic_v2.error_wrappers import V1_ERRORS

    for name, (error_type, msg) in V1_ERRORS.items():
        error = ValidationError([ErrorWrapper(getattr(errors, name)(), loc="x")], BaseModel)
        assert error.errors() == [{"loc": ("x",), "msg": msg, "type": error_type}], name


class _V1FastAPIRequestValidationError(Exception):
    """FastAPI 0.95 (Pydantic 1): a ``ValidationError`` of its wrappers, flattened."""

    def __init__(self, errors: Sequence[Any], *, body: Any = None) -> None:
        from pydantic.v1 import BaseModel, ValidationError

        self.body = body
        self._error = ValidationError(errors, BaseModel)

    def errors(self) -> list[dict[str, Any]]:
        return self._error.errors()


class _V2FastAPIRequestValidationError(Exception):
    """FastAPI >= 0.100 (Pydantic 2): keeps the error dicts it is given."""

    def __init__(self, errors: Sequence[Any], *, body: Any = None) -> None:
        self._errors, self.body = errors, body

    def errors(self) -> Sequence[Any]:
        return self._errors


REQUEST = """
from fastapi.exceptions import RequestValidationError
from pydantic.error_wrappers import ErrorWrapper


def reject(field, value):
    raise RequestValidationError(
        [ErrorWrapper(ValueError(f"{field} must be >= 0"), loc=("body", field))],
        body={"value": value},
    )
"""


def _request_module(source: str, error: type, name: str) -> types.ModuleType:
    source = source.replace("from fastapi.exceptions import RequestValidationError\n", "")
    module = _load(_as_v1(source) if "ErrorWrapper" in source else source, name)
    module.RequestValidationError = error  # type: ignore[attr-defined]
    return module


def test_request_validation_errors_report_the_same_errors_and_body() -> None:
    migrated = migrate_source(REQUEST)
    assert "ErrorWrapper" not in migrated
    v1 = _request_module(REQUEST, _V1FastAPIRequestValidationError, "behaviour_request_v1")
    v2 = _request_module(migrated, _V2FastAPIRequestValidationError, "behaviour_request_v2")
    raised = []
    for module in (v1, v2):
        with pytest.raises(Exception) as caught:
            module.reject("count", -1)
        raised.append(caught.value)
    before, after = raised
    assert [dict(e, loc=tuple(e["loc"])) for e in before.errors()] == list(after.errors())
    assert after.errors() == [
        {"loc": ("body", "count"), "msg": "count must be >= 0", "type": "value_error"}
    ]
    assert before.body == after.body == {"value": -1}
