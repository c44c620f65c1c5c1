"""PYD025: an un-annotated public attribute of a model body gets V1's inferred type (a
literal) or ``ClassVar`` (a class); anything the engine cannot type is reported with the
spelling to write, and functions, descriptors, reused validators and private names are left
alone."""

from __future__ import annotations

import pytest

from fastapi_architect.imports import ImportStyle
from fastapi_architect.pydantic_v2 import find_findings, migrate_source

HEADER = "from pydantic import BaseModel, Field, validator\n\nclass Kind:\n    pass\n\n"


def _model(body: str, header: str = HEADER) -> str:
    return f"{header}def helper(self):\n    return 1\n\nclass M(BaseModel):\n{body}"


def _findings(source: str) -> list[tuple[str, bool]]:
    return [(f.key, f.fixable) for f in find_findings(source) if f.code == "PYD025"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("x = 1", "x: int = 1"),
        ("x = -2.5", "x: float = -2.5"),
        ("x = 'a'", "x: str = 'a'"),
        ("x = b'a'", "x: bytes = b'a'"),
        ("x = False", "x: bool = False"),
        ("x = [1]", "x: list = [1]"),
        ("x = {'a': 1}", "x: dict = {'a': 1}"),
        ("x = (1, 2)", "x: tuple = (1, 2)"),
        ("x = {1}", "x: set = {1}"),
        ("correct = bool", "correct: ClassVar[type] = bool"),
        ("kind = Kind", "kind: ClassVar[type] = Kind"),
    ],
    ids=[
        "int",
        "negative-float",
        "str",
        "bytes",
        "bool",
        "list",
        "dict",
        "tuple",
        "set",
        "builtin-class",
        "class-of-the-module",
    ],
)
def test_literals_get_v1s_inferred_type_and_classes_a_classvar(line: str, expected: str) -> None:
    migrated = migrate_source(_model(f"    {line}\n"))
    assert f"    {expected}\n" in migrated
    assert ("from typing import ClassVar" in migrated) == ("ClassVar" in expected)
    assert all(not f.fixable for f in find_findings(migrated))


def test_a_python_39_project_writes_the_class_in_the_classvar() -> None:
    migrated = migrate_source(_model("    correct = bool\n"), ImportStyle(target_version=(3, 9)))
    assert "    correct: ClassVar[type[bool]] = bool\n" in migrated


def test_the_modules_typing_import_style_is_kept() -> None:
    header = "import typing\n" + HEADER
    migrated = migrate_source(_model("    correct = bool\n", header))
    assert "    correct: typing.ClassVar[type] = bool\n" in migrated
    assert "from typing import" not in migrated


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("    x = Field(1)\n", "write `x: <type of the value> = Field(1)`"),
        ("    x = make()\n", "`x: ClassVar[...] = make()` for a class attribute"),
        ("    a, b = 1, 2\n", "assign each name on its own line"),
        ("    x: int\n    x = 1\n", "also assigned or annotated elsewhere"),
        ("    x = 1\n    x = 2\n", "also assigned or annotated elsewhere"),
        ("    type = 'a'\n    correct = bool\n", "`type` is bound in the class body"),
        ("    str = 1\n    s = 'a'\n", "`str` is bound in the class body"),
        (
            "    x = 1\n    class Config:\n        keep_untouched = (int,)\n",
            "`Config.keep_untouched` may keep this value",
        ),
    ],
    ids=[
        "field-call",
        "other-call",
        "tuple-target",
        "annotated-elsewhere",
        "assigned-twice",
        "type-bound-in-the-body",
        "inferred-type-bound-in-the-body",
        "keep-untouched",
    ],
)
def test_what_cannot_be_typed_is_reported_with_the_spelling_to_write(
    body: str, reason: str
) -> None:
    source = _model(body)
    reported = [f for f in find_findings(source) if f.code == "PYD025" and not f.fixable]
    assert reported and reason in reported[-1].message
    assert "A non-annotated attribute was detected" in reported[-1].message


@pytest.mark.parametrize(
    "body",
    [
        "    f = lambda self: 1\n",
        "    h = helper\n",
        "    p = property(helper)\n",
        "    _private = 1\n    __dunder__ = 2\n",
        "    check = validator('y', allow_reuse=True)(helper)\n    y: int = 0\n",
        "    x: int = 1\n",
        "    def emit(self):\n        return 1\n\n    as_ = emit\n",
        "    helper = helper\n",
    ],
    ids=[
        "lambda",
        "module-function",
        "property",
        "private-names",
        "reused-validator",
        "annotated",
        "method-of-the-class",
        "module-function-under-its-own-name",
    ],
)
def test_functions_descriptors_and_private_names_are_left_alone(body: str) -> None:
    assert _findings(_model(body)) == []


def test_classes_that_are_not_models_are_left_alone() -> None:
    source = "from pydantic import BaseModel\n\nclass Plain:\n    x = 1\n    kind = bool\n"
    assert _findings(source) == []


def test_a_class_whose_name_is_rebound_in_the_module_is_reported() -> None:
    source = _model("    kind = Kind\n") + "\nKind = 3\n"
    assert _findings(source) == [("M.kind:annotation", False)]


def test_a_type_written_with_an_equals_sign_is_reported_with_the_annotation_to_write() -> None:
    source = "from typing import List, Optional\n" + _model("    matches = Optional[List[Kind]]\n")
    (finding,) = [f for f in find_findings(source) if f.code == "PYD025"]
    assert not finding.fixable
    assert "write `matches: Optional[List[Kind]]` (with the default" in finding.message
