"""PYD019: errors built from V1 ``ErrorWrapper``s become V2 error dicts where the wrapped
exception is built in place; everything else is reported with the reason."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

HEAD = (
    "from pydantic import BaseModel\nfrom pydantic.error_wrappers import ErrorWrapper as EW\n"
    "from pydantic.error_wrappers import ValidationError\n\n\n"
    "class M(BaseModel):\n    x: int\n\n\n"
)


def _wrapper_findings(source: str) -> list[tuple[str, bool, str]]:
    return [(f.key, f.fixable, f.message) for f in find_findings(source) if f.code == "PYD019"]


def test_an_aliased_wrapper_converts_and_its_import_goes() -> None:
    source = HEAD + "def f():\n    raise ValidationError([EW(ValueError('bad'), 'x')], M)\n"
    migrated = migrate_source(source)
    assert (
        "    raise ValidationError.from_exception_data(\n        M.__name__,\n        [\n"
        "            {\n"
        '                "type": PydanticCustomError("value_error", \'bad\'),\n'
        "                \"loc\": ('x',),\n"
        '                "input": None,\n'
        "            },\n"
        "        ],\n    )\n"
    ) in migrated
    assert "EW" not in migrated and "error_wrappers" not in migrated
    assert "from pydantic_core import PydanticCustomError\n" in migrated


def test_a_message_that_is_not_text_is_turned_into_text_like_v1_did() -> None:
    source = HEAD + "def f(n):\n    raise ValidationError([EW(ValueError(n), loc=('x',))], M)\n"
    assert 'PydanticCustomError("value_error", str(n))' in migrate_source(source)


@pytest.mark.parametrize(
    ("errors", "reason"),
    [
        ("[EW(exc, loc='x')]", "`exc` is not a `ValueError(msg)`"),
        ("[EW(KeyError('k'), loc='x')]", "`KeyError('k')` is not"),
        ("[EW(ValueError('v'), loc=where)]", "computed at run time"),
        ("[EW(ValueError('v'), loc=['x', 0])]", "as a single part"),
        ("errors", "not a list of `ErrorWrapper(...)` written in place"),
    ],
)
def test_errors_whose_v1_shape_cannot_be_read_are_reported(errors: str, reason: str) -> None:
    source = HEAD + f"def f(exc, where, errors):\n    raise ValidationError({errors}, M)\n"
    if errors == "errors":
        source = source.replace("def f(exc, where, errors):\n", "def f(exc, where):\n")
        source = source.replace("    raise", "    errors = [EW(exc, 'x')]\n    raise")
        [(_, fixable, message)] = _wrapper_findings(source)
        assert not fixable and "built outside" in message
        return
    [(_, fixable, message)] = _wrapper_findings(source)
    assert not fixable and reason in message
    assert migrate_source(source).count("EW(") == 1


def test_request_validation_error_keeps_its_body_argument_and_layout() -> None:
    source = (
        "from fastapi.exceptions import RequestValidationError\n"
        "from pydantic.error_wrappers import ErrorWrapper\n\n\n"
        "def f(v):\n    raise RequestValidationError(\n"
        "        [ErrorWrapper(ValueError('neg'), loc=('body', 'v'))],\n        body=v,\n    )\n"
    )
    migrated = migrate_source(source)
    assert (
        '        [{"loc": (\'body\', \'v\'), "msg": \'neg\', "type": "value_error"}],\n'
        "        body=v,\n"
    ) in migrated
    assert "ErrorWrapper" not in migrated


def test_a_request_validation_error_of_another_library_is_not_touched() -> None:
    source = (
        "from mylib import RequestValidationError\n"
        "from pydantic.error_wrappers import ErrorWrapper\n\n\n"
        "def f():\n    raise RequestValidationError([ErrorWrapper(ValueError('x'), 'x')])\n"
    )
    [(_, fixable, message)] = _wrapper_findings(source)
    assert not fixable and "built outside" in message


def test_an_error_wrapper_imported_inside_the_function_is_reported_and_left_as_it_is() -> None:
    source = (
        "from pydantic import BaseModel, ValidationError\n\n\n"
        "class User(BaseModel):\n    name: str\n\n\n"
        "def check() -> None:\n"
        "    from pydantic.error_wrappers import ErrorWrapper\n\n"
        '    raise ValidationError([ErrorWrapper(ValueError("bad"), loc=("name",))], User)\n'
    )
    assert migrate_source(source) == source
    [finding] = [f for f in find_findings(source) if f.code == "PYD019"]
    assert not finding.fixable
    assert "imported inside the function" in finding.message
