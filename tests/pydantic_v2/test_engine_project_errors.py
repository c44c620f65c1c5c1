"""PYD019 on the project's own V1 error classes (``PydanticValueError`` /
``PydanticTypeError`` subclasses with class-level ``code`` / ``msg_template``), of the same
file or of another workspace file through the workspace index: converted to
``PydanticCustomError(type, template, context)`` where Pydantic 2 formats the message as V1
did, reported with the reason otherwise."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.error_classes import ErrorClass
from fastapi_architect.pydantic_v2.model_index import ModelIndex, WorkspaceModels

LOCAL = """\
from pydantic import BaseModel
from pydantic.error_wrappers import ErrorWrapper, ValidationError
from pydantic.errors import PydanticValueError


class NotFoundError(PydanticValueError):
    code = "not_found"
    msg_template = "{msg}"


class M(BaseModel):
    x: int


def f(q):
    raise ValidationError([ErrorWrapper(CALL, loc="x")], M)
"""


def _local(call: str) -> str:
    return LOCAL.replace("CALL", call)


def _reports(source: str, models: WorkspaceModels | None = None) -> list[tuple[bool, str]]:
    found = find_findings(source) if models is None else find_findings(source, models=models)
    return [(f.fixable, f.message) for f in found if f.code == "PYD019"]


def _compact(text: str) -> str:
    return "".join(text.split())


def test_a_class_of_the_same_file_converts_and_stays_defined() -> None:
    migrated = migrate_source(_local('NotFoundError(msg="gone", query=q)'))
    assert _compact(
        'PydanticCustomError("value_error.not_found","{msg}",{"msg":"gone","query":q},)'
    ) in _compact(migrated)
    assert "class NotFoundError(PydanticValueError):" in migrated
    assert "ErrorWrapper" not in migrated
    assert compile(migrated, "<migrated>", "exec")


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        ("NotFoundError(query=q)", "does not pass `msg`, which its message template"),
        ("NotFoundError(msg=q)", "passes `msg` as `q`; Pydantic 2 formats non-string"),
        ("NotFoundError(msg=True)", "formats non-string values unlike V1 (`True` as `1`)"),
        ("NotFoundError(msg=f'{q}', query=q)", "`msg` may contain another's `{placeholder}`"),
        ("NotFoundError(*q)", "passes `*` arguments, which V1's error classes reject"),
        ("NotFoundError(**q)", "passes `**` arguments"),
    ],
)
def test_calls_whose_message_pydantic_2_would_format_otherwise_are_reported(
    call: str, reason: str
) -> None:
    source = _local(call)
    [(fixable, message)] = _reports(source)
    assert not fixable and reason in message
    assert migrate_source(source).count("ErrorWrapper(") == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('code = CODE\n    msg_template = "{msg}"', "its class's `code` is not a string literal"),
        ('code = "c"', "its class's `msg_template` is not a string literal"),
        ('code = "c"\n    msg_template = "{msg!r}"', "a format spec or a conversion"),
        ('code = "c"\n    msg_template = "{{msg}} {msg}"', "uses `{{`"),
        ('code = "c"\n    msg_template = "{0}"', "reads `{0}`"),
        ('code = "c"\n    msg_template = "{msg"', "is not a valid format string"),
    ],
)
def test_classes_whose_v1_type_or_message_cannot_be_read_are_reported(
    body: str, reason: str
) -> None:
    source = _local('NotFoundError(msg="gone")').replace(
        'code = "not_found"\n    msg_template = "{msg}"', body
    )
    [(fixable, message)] = _reports(source)
    assert not fixable and reason in message


def test_a_class_with_several_bases_is_not_guessed() -> None:
    source = _local('NotFoundError(msg="gone")').replace(
        "class NotFoundError(PydanticValueError):",
        "class NotFoundError(PydanticValueError, KeyError):",
    )
    [(fixable, message)] = _reports(source)
    assert not fixable and "is not a `ValueError(msg)`" in message


def test_request_validation_error_around_a_project_class_is_reported() -> None:
    source = (
        "from fastapi.exceptions import RequestValidationError\n"
        "from pydantic.error_wrappers import ErrorWrapper\n"
        "from pydantic.errors import PydanticValueError\n\n\n"
        "class NotFoundError(PydanticValueError):\n"
        '    code = "not_found"\n    msg_template = "{msg}"\n\n\n'
        "def f():\n"
        '    raise RequestValidationError([ErrorWrapper(NotFoundError(msg="x"), loc="a")])\n'
    )
    [(fixable, message)] = _reports(source)
    assert not fixable and "is one of the project's error classes" in message


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "app" / "errors.py").write_text(
        "import pydantic.errors\n\n\n"
        "class AppError(pydantic.errors.PydanticValueError):\n"
        '    msg_template = "{msg}"\n\n\n'
        "class ExistsError(AppError):\n"
        '    code = "exists"\n',
        encoding="utf-8",
    )
    (tmp_path / "app" / "exceptions.py").write_text(
        "from .errors import ExistsError as ExistsError\n", encoding="utf-8"
    )
    return tmp_path


VIEWS = """\
from pydantic import BaseModel
from pydantic.error_wrappers import ErrorWrapper, ValidationError

from app.exceptions import ExistsError


class Read(BaseModel):
    name: str


def create():
    raise ValidationError([ErrorWrapper(ExistsError(msg="taken"), loc="name")], model=Read)
"""


def _models(workspace: Path, text: str, index: ModelIndex | None = None) -> WorkspaceModels:
    path = workspace / "app" / "views.py"
    path.write_text(text, encoding="utf-8")
    return (index or ModelIndex([workspace])).models_for(path, ast.parse(text), text=text)


def test_a_reexported_class_of_another_file_converts_and_its_import_goes(
    workspace: Path,
) -> None:
    models = _models(workspace, VIEWS)
    assert models.error_class("ExistsError") == ErrorClass(
        "value_error", "exists", "{msg}", "ExistsError"
    )
    migrated = migrate_source(VIEWS, models=models)
    assert "from app.exceptions import ExistsError" not in migrated
    assert _compact(
        '{"type":PydanticCustomError("value_error.exists","{msg}",{"msg":"taken"},),'
        '"loc":("name",),"input":None,},'
    ) in _compact(migrated)
    assert migrate_source(migrated) == migrated
    formatted = subprocess.run(
        [str(Path(sys.executable).with_name("ruff")), "format", "--diff", "-"],
        input=migrated,
        capture_output=True,
        text=True,
        check=False,
    )
    assert formatted.returncode == 0, formatted.stdout


def test_without_the_workspace_the_imported_class_is_reported(workspace: Path) -> None:
    [(fixable, message)] = _reports(VIEWS)
    assert not fixable and '`ExistsError(msg="taken")` is not a `ValueError(msg)`' in message
    [(fixable, message)] = _reports(VIEWS, _models(workspace, VIEWS))
    assert fixable and "use `ValidationError.from_exception_data" in message


def test_an_edited_error_file_changes_the_answer(workspace: Path) -> None:
    index = ModelIndex([workspace])
    assert _models(workspace, VIEWS, index).error_class("ExistsError") is not None
    errors = workspace / "app" / "errors.py"
    errors.write_text(
        errors.read_text(encoding="utf-8").replace(
            "pydantic.errors.PydanticValueError", "ValueError"
        )
        + "\n",
        encoding="utf-8",
    )
    assert _models(workspace, VIEWS, index).error_class("ExistsError") is None


def test_a_module_without_error_wrappers_asks_nothing_about_error_classes(
    workspace: Path,
) -> None:
    text = "from app.exceptions import ExistsError\n\nraise ExistsError(msg='x')\n"
    assert _models(workspace, text).errors == ()


def test_an_aliased_class_without_a_code_takes_its_v1_type_from_its_own_name(
    workspace: Path,
) -> None:
    (workspace / "app" / "errors.py").write_text(
        "from pydantic import PydanticValueError\n\n\n"
        "class InvalidFilterError(PydanticValueError):\n"
        '    msg_template = "bad filter: {msg}"\n',
        encoding="utf-8",
    )
    text = VIEWS.replace(
        "from app.exceptions import ExistsError", "from app.errors import InvalidFilterError as Bad"
    ).replace('ExistsError(msg="taken")', 'Bad(msg="taken")')
    migrated = migrate_source(text, models=_models(workspace, text))
    assert (
        '"type": PydanticCustomError(\n'
        '                    "value_error.invalidfilter",\n'
        '                    "bad filter: {msg}",\n'
        '                    {"msg": "taken"},\n'
        "                ),\n"
    ) in migrated
    assert "InvalidFilterError" not in migrated


def test_an_error_file_already_moved_to_pydantic_v1_errors_still_gives_the_v1_type(
    workspace: Path,
) -> None:
    # `migrate` may rewrite the error module first (PYD013: `pydantic.errors` →
    # `pydantic.v1.errors`); the views converted after it must not depend on that order.
    errors = workspace / "app" / "errors.py"
    errors.write_text(
        "from pydantic.v1.errors import PydanticValueError\n\n\n"
        "class AppError(PydanticValueError):\n"
        '    msg_template = "{msg}"\n\n\n'
        "class ExistsError(AppError):\n"
        '    code = "exists"\n',
        encoding="utf-8",
    )
    assert _models(workspace, VIEWS).error_class("ExistsError") == ErrorClass(
        "value_error", "exists", "{msg}", "ExistsError"
    )


def test_a_class_of_the_same_file_deriving_from_pydantic_v1_errors_converts() -> None:
    source = _local('NotFoundError(msg="gone")').replace(
        "from pydantic.errors import PydanticValueError",
        "from pydantic.v1.errors import PydanticValueError",
    )
    migrated = migrate_source(source)
    assert _compact('PydanticCustomError("value_error.not_found","{msg}",{"msg":"gone"},)') in (
        _compact(migrated)
    )
