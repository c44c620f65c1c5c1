"""PYD019 on the project's error class given a positional argument: V1 raised ``TypeError``
there (``PydanticErrorMixin.__init__(self, **ctx)``), so the call is kept as it is in the V2
form and the report says the line is a bug; a class that defines ``__init__`` / ``__new__``
is not read as V1's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.model_index import ModelIndex

LOCAL = """\
from pydantic import BaseModel
from pydantic.error_wrappers import ErrorWrapper, ValidationError
from pydantic.errors import PydanticValueError


class ConfigError(PydanticValueError):
    code = "config"
    msg_template = "{msg}"
BODY

class M(BaseModel):
    x: int


def f(q):
    raise ValidationError([ErrorWrapper(CALL, loc="x")], M)
"""


def _local(call: str, body: str = "") -> str:
    return LOCAL.replace("CALL", call).replace("BODY", body)


def _pyd019(source: str) -> list[tuple[bool, str]]:
    return [(f.fixable, f.message) for f in find_findings(source) if f.code == "PYD019"]


@pytest.mark.parametrize(
    "call", ['ConfigError("bad")', 'ConfigError(q, msg="x")', "ConfigError(*q, q)"]
)
def test_a_positional_argument_keeps_the_call_and_drops_error_wrapper(call: str) -> None:
    migrated = migrate_source(_local(call))
    assert f'"type": {call}, "loc": ("x",), "input": None' in migrated
    assert "ErrorWrapper" not in migrated and "PydanticCustomError" not in migrated
    [(fixable, message)] = _pyd019(_local(call))
    assert fixable
    assert "`ConfigError(...)` raises `TypeError` here in V1 and V2 alike" in message
    assert "a bug in the code: pass the message by name (`msg=...`)" in message


def test_starred_arguments_alone_may_be_empty_and_are_still_reported() -> None:
    [(fixable, message)] = _pyd019(_local("ConfigError(*q)"))
    assert not fixable and "passes `*` arguments" in message


@pytest.mark.parametrize(
    "body",
    [
        "\n    def __init__(self, msg):\n        super().__init__(msg=msg)\n",
        "\n    def __new__(cls, *args, **kwargs):\n        return super().__new__(cls)\n",
    ],
)
@pytest.mark.parametrize("call", ['ConfigError("bad")', 'ConfigError(msg="bad")'])
def test_a_class_defining_its_own_constructor_is_not_read_as_v1s(body: str, call: str) -> None:
    source = _local(call, body)
    [(fixable, message)] = _pyd019(source)
    assert not fixable and "its class or a base defines `__init__` / `__new__`" in message
    assert "ErrorWrapper(" in migrate_source(source)


def test_a_constructor_in_a_base_of_another_file_is_followed(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "app" / "errors.py").write_text(
        "from pydantic.errors import PydanticValueError\n\n\n"
        "class AppError(PydanticValueError):\n"
        '    msg_template = "{msg}"\n\n'
        "    def __init__(self, msg):\n        super().__init__(msg=msg)\n\n\n"
        "class ExistsError(AppError):\n"
        '    code = "exists"\n\n\n'
        "class PlainError(PydanticValueError):\n"
        '    code = "plain"\n    msg_template = "{msg}"\n',
        encoding="utf-8",
    )
    views = tmp_path / "app" / "views.py"
    source = (
        "from pydantic import BaseModel\n"
        "from pydantic.error_wrappers import ErrorWrapper, ValidationError\n\n"
        "from app.errors import ExistsError, PlainError\n\n\n"
        "def exists(name):\n"
        '    raise ValidationError([ErrorWrapper(ExistsError(name), loc="n")], BaseModel)\n\n\n'
        "def plain(name):\n"
        '    raise ValidationError([ErrorWrapper(PlainError(name), loc="n")], BaseModel)\n'
    )
    views.write_text(source, encoding="utf-8")
    models = ModelIndex([tmp_path]).models_for(views, ast.parse(source), text=source)
    found = [f for f in find_findings(source, models=models) if f.code == "PYD019"]
    assert [(f.fixable, "defines `__init__` / `__new__`" in f.message) for f in found] == [
        (False, True),
        (True, False),
    ]
    migrated = migrate_source(source, models=models)
    assert "from app.errors import ExistsError, PlainError" in migrated
    assert '"type": PlainError(name)' in migrated and "ErrorWrapper(ExistsError" in migrated
