"""PYD019 on the project's own V1 error classes, defined in another workspace file (as in
Netflix Dispatch: ``class NotFoundError(PydanticValueError)`` in ``dispatch/exceptions.py``):
the views module raises, under ``pydantic.v1`` (original) and pydantic 2 (migrated through
the workspace index), errors with the same ``type`` / ``loc`` / ``msg`` / ``ctx`` and the same
report title and locations — and the migrated module no longer needs the V1 classes."""

from __future__ import annotations

import ast
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.model_index import ModelIndex

EXCEPTIONS = """\
from pydantic.errors import PydanticTypeError, PydanticValueError


class NotFoundError(PydanticValueError):
    code = "not_found"
    msg_template = "{msg}"


class FieldNotFoundError(NotFoundError):
    code = "not_found.field"


class MissingThingError(NotFoundError):
    msg_template = "no {thing}: {msg}"


class UnnamedError(PydanticValueError):
    msg_template = "unnamed {msg}"


class WrongKindError(PydanticTypeError):
    code = "wrong_kind"
    msg_template = "{msg}"
"""

VIEWS = """\
from pydantic import BaseModel
from pydantic.error_wrappers import ErrorWrapper, ValidationError

from errpkg import exceptions
from errpkg.exceptions import (
    FieldNotFoundError,
    MissingThingError,
    NotFoundError,
    UnnamedError,
    WrongKindError,
)


class CaseRead(BaseModel):
    name: str


def not_found(query):
    raise ValidationError(
        [ErrorWrapper(NotFoundError(msg="No case with this id.", query=query), loc="case")],
        model=CaseRead,
    )


def several(problem):
    raise ValidationError(
        [
            ErrorWrapper(FieldNotFoundError(msg=str(problem)), loc=("filter", 0)),
            ErrorWrapper(MissingThingError(thing="plugin", msg="not enabled"), loc="plugin"),
            ErrorWrapper(exceptions.NotFoundError(msg=f"{problem} is gone"), loc="case"),
        ],
        CaseRead,
    )


def nested():
    raise ValidationError(
        [
            [ErrorWrapper(UnnamedError(msg="first"), loc="a")],
            ErrorWrapper(WrongKindError(msg="second"), loc=("b", "c")),
        ],
        model=BaseModel,
    )
"""


class Query:
    """A context value that is not text (Dispatch passes SQLAlchemy queries)."""

    def __repr__(self) -> str:
        return "Query()"


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, str]]:
    workspace = tmp_path_factory.mktemp("workspace")
    package = workspace / "errpkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "exceptions.py").write_text(EXCEPTIONS, encoding="utf-8")
    views = package / "views.py"
    views.write_text(VIEWS, encoding="utf-8")
    models = ModelIndex([workspace]).models_for(views, ast.parse(VIEWS), text=VIEWS)
    migrated = migrate_source(VIEWS, models=models)

    roots = tmp_path_factory.mktemp("load")
    tag = uuid.uuid4().hex[:8]
    v1, v2 = f"errpkg_v1_{tag}", f"errpkg_v2_{tag}"
    for name, exceptions, views_text in (
        (v1, _as_v1(EXCEPTIONS), _as_v1(VIEWS)),
        # The original V1 classes: importing them under pydantic 2 fails, so the migrated
        # module passes only if it no longer needs them.
        (v2, EXCEPTIONS, migrated),
    ):
        (roots / name).mkdir()
        (roots / name / "__init__.py").write_text("", encoding="utf-8")
        (roots / name / "exceptions.py").write_text(exceptions, encoding="utf-8")
        text = views_text.replace("errpkg", name)
        (roots / name / "views.py").write_text(text, encoding="utf-8")
    sys.path.insert(0, str(roots))
    try:
        yield __import__(f"{v1}.views").views, __import__(f"{v2}.views").views, migrated
    finally:
        sys.path.remove(str(roots))


def _as_v1(source: str) -> str:
    return source.replace("from pydantic", "from pydantic.v1")


def _raised(call: Callable[[], Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every error's ``loc`` / ``msg`` / ``type`` / ``ctx``, the report's title and its
    location lines (V1 printed ``b -> c`` where V2 prints ``b.c``)."""
    from pydantic import ValidationError as V2Error
    from pydantic.v1 import ValidationError as V1Error

    try:
        call()
    except (V1Error, V2Error) as error:
        errors = [{k: v for k, v in e.items() if k != "input"} for e in error.errors()]
        for e in errors:
            e["loc"] = tuple(e["loc"])
        lines = str(error).splitlines()
        places = [line.replace(" -> ", ".") for line in lines[1:] if not line.startswith(" ")]
        return errors, [lines[0], *places]
    raise AssertionError("nothing was raised")


def test_the_migrated_views_need_neither_error_wrapper_nor_the_v1_classes(
    modules: tuple[Any, Any, str],
) -> None:
    *_, migrated = modules
    assert "ErrorWrapper" not in migrated and "errpkg" not in migrated
    assert "Error(msg=" not in migrated
    assert [f.code for f in find_findings(migrated)] == []


def test_an_error_with_a_context_value_that_is_not_text_reads_the_same(
    modules: tuple[Any, Any, str],
) -> None:
    v1, v2, _ = modules
    query = Query()
    before, after = _raised(lambda: v1.not_found(query)), _raised(lambda: v2.not_found(query))
    assert before == after
    assert before[0] == [
        {
            "loc": ("case",),
            "msg": "No case with this id.",
            "type": "value_error.not_found",
            "ctx": {"msg": "No case with this id.", "query": query},
        }
    ]
    assert before[1] == ["1 validation error for CaseRead", "case"]


@pytest.mark.parametrize("problem", ["status", 404, "{query} braces"])
def test_inherited_codes_overridden_templates_and_dotted_classes_read_the_same(
    modules: tuple[Any, Any, str], problem: object
) -> None:
    v1, v2, _ = modules
    before, after = _raised(lambda: v1.several(problem)), _raised(lambda: v2.several(problem))
    assert before == after
    assert [(e["type"], e["msg"]) for e in before[0]] == [
        ("value_error.not_found.field", str(problem)),
        ("value_error.not_found", "no plugin: not enabled"),
        ("value_error.not_found", f"{problem} is gone"),
    ]
    assert before[1] == ["3 validation errors for CaseRead", "filter.0", "plugin", "case"]


def test_nested_lists_flatten_and_a_name_derived_code_and_type_errors_read_the_same(
    modules: tuple[Any, Any, str],
) -> None:
    v1, v2, _ = modules
    before, after = _raised(v1.nested), _raised(v2.nested)
    assert before == after
    assert [(e["loc"], e["type"], e["msg"]) for e in before[0]] == [
        (("a",), "value_error.unnamed", "unnamed first"),
        (("b", "c"), "type_error.wrong_kind", "second"),
    ]
    assert before[1] == ["2 validation errors for BaseModel", "a", "b.c"]


def test_a_v2_module_reading_a_v1_class_would_fail_to_import(tmp_path: Path) -> None:
    """The guard the probes rely on: the original classes do not import under pydantic 2."""
    with pytest.raises(ImportError):
        exec(compile(EXCEPTIONS, str(tmp_path / "exceptions.py"), "exec"), {})
