"""PYD019 where the project's error class is given a positional argument (Netflix
Dispatch's ``InvalidConfigurationError((f"...", f"..."))``): V1's
``PydanticErrorMixin.__init__(self, **ctx)`` raised ``TypeError`` before any error was
wrapped. The views module, original under ``pydantic.v1`` and migrated (with the exceptions
module) under pydantic 2, raises the same exception with the same message — and no longer
needs ``ErrorWrapper``."""

from __future__ import annotations

import ast
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fastapi_architect.pydantic_v2 import migrate_source
from fastapi_architect.pydantic_v2.model_index import ModelIndex

EXCEPTIONS = """\
from pydantic.errors import PydanticValueError


class InvalidConfigurationError(PydanticValueError):
    code = "invalid.configuration"
    msg_template = "{msg}"


class AppError(PydanticValueError):
    msg_template = "{msg}"


class ExistsError(AppError):
    code = "exists"
"""

VIEWS = """\
from pydantic import BaseModel
from pydantic.error_wrappers import ErrorWrapper, ValidationError

from poserr.exceptions import ExistsError, InvalidConfigurationError


class ServiceRead(BaseModel):
    type: str


def enable(service, plugin):
    raise ValidationError(
        [
            ErrorWrapper(
                InvalidConfigurationError(
                    (
                        f"Cannot enable service {service}. Its associated plugin ",
                        f"{plugin.title} is not enabled.",
                    )
                ),
                loc="type",
            )
        ],
        model=ServiceRead,
    )


def create(name):
    raise ValidationError(
        [
            ErrorWrapper(ExistsError(msg="first"), loc="name"),
            ErrorWrapper(ExistsError(f"{name} exists"), loc=("name", 0)),
        ],
        ServiceRead,
    )
"""


class Plugin:
    title = "PagerDuty"


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, str]]:
    workspace = tmp_path_factory.mktemp("workspace")
    package = workspace / "poserr"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "exceptions.py").write_text(EXCEPTIONS, encoding="utf-8")
    views = package / "views.py"
    views.write_text(VIEWS, encoding="utf-8")
    migrated = migrate_source(
        VIEWS, models=ModelIndex([workspace]).models_for(views, ast.parse(VIEWS), text=VIEWS)
    )
    roots = tmp_path_factory.mktemp("load")
    tag = uuid.uuid4().hex[:8]
    v1, v2 = f"poserr_v1_{tag}", f"poserr_v2_{tag}"
    for name, exceptions, views_text in (
        (v1, _as_v1(EXCEPTIONS), _as_v1(VIEWS)),
        (v2, migrate_source(EXCEPTIONS), migrated),
    ):
        (roots / name).mkdir()
        (roots / name / "__init__.py").write_text("", encoding="utf-8")
        (roots / name / "exceptions.py").write_text(exceptions, encoding="utf-8")
        (roots / name / "views.py").write_text(views_text.replace("poserr", name), "utf-8")
    sys.path.insert(0, str(roots))
    try:
        yield __import__(f"{v1}.views").views, __import__(f"{v2}.views").views, migrated
    finally:
        sys.path.remove(str(roots))


def _as_v1(source: str) -> str:
    return source.replace("from pydantic", "from pydantic.v1")


def _raised(call: Callable[[], Any]) -> tuple[type[BaseException], str]:
    try:
        call()
    except Exception as error:
        return type(error), str(error)
    raise AssertionError("nothing was raised")


def test_the_migrated_views_import_under_pydantic_2_without_error_wrapper(
    modules: tuple[Any, Any, str],
) -> None:
    *_, migrated = modules
    assert "ErrorWrapper" not in migrated
    assert (
        "InvalidConfigurationError(\n" in migrated and 'ExistsError(f"{name} exists")' in migrated
    )


def test_a_positional_argument_raises_the_same_type_error_in_v1_and_v2(
    modules: tuple[Any, Any, str],
) -> None:
    v1, v2, _ = modules
    before = _raised(lambda: v1.enable("api", Plugin()))
    assert before == _raised(lambda: v2.enable("api", Plugin()))
    assert before == (
        TypeError,
        "PydanticErrorMixin.__init__() takes 1 positional argument but 2 were given",
    )


def test_an_argument_that_fails_first_still_fails_first(modules: tuple[Any, Any, str]) -> None:
    v1, v2, _ = modules
    before = _raised(lambda: v1.enable("api", object()))
    assert before == _raised(lambda: v2.enable("api", object()))
    assert before[0] is AttributeError


def test_a_class_with_a_project_base_raises_after_the_wrappers_before_it(
    modules: tuple[Any, Any, str],
) -> None:
    v1, v2, _ = modules
    before = _raised(lambda: v1.create("svc"))
    assert before == _raised(lambda: v2.create("svc"))
    assert before[0] is TypeError and "positional argument" in before[1]


def test_the_original_classes_do_not_import_under_pydantic_2(tmp_path: Path) -> None:
    """The guard the probes rely on: V2 passes only with the migrated exceptions module."""
    with pytest.raises(ImportError):
        exec(compile(EXCEPTIONS, str(tmp_path / "exceptions.py"), "exec"), {})
