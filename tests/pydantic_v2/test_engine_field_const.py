"""PYD011 ``const``: ``x: T = Field(default, const=True)`` becomes ``x: Literal[default]`` where
V2's ``Literal`` accepts what V1's const did; otherwise the finding says why it stays."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

HEADER = (
    "import enum\n"
    "import typing\n"
    "from typing import Optional, Union\n"
    "from pydantic import BaseModel, Field\n\n"
    "class Color(str, enum.Enum):\n    RED = 'red'\n\n"
)


def _model(field: str) -> str:
    return f"{HEADER}class M(BaseModel):\n    {field}\n"


def _const_findings(source: str) -> list[tuple[bool, str]]:
    return [(f.fixable, f.message) for f in find_findings(source) if f.code == "PYD011"]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ('x: str = Field("a", const=True)', 'x: Literal["a"] = "a"'),
        ("x: int = Field(3, const=True)", "x: Literal[3] = 3"),
        ("x: int = Field(-3, const=True)", "x: Literal[-3] = -3"),
        ("x: bool = Field(default=False, const=True)", "x: Literal[False] = Field(default=False)"),
        ("x: float = Field(0.5, const=True)", "x: Literal[0.5] = 0.5"),
        ("x: Color = Field(Color.RED, const=True)", "x: Literal[Color.RED] = Color.RED"),
        ('x: Optional[str] = Field("a", const=True)', 'x: Literal["a"] = "a"'),
        ('x: typing.Optional[str] = Field("a", const=True)', 'x: Literal["a"] = "a"'),
        ("x: Union[None, int] = Field(1, const=True)", "x: Literal[1] = 1"),
        ("x: int | None = Field(1, const=True)", "x: Literal[1] = 1"),
        ("x: Optional[int] = Field(None, const=True)", "x: Literal[None] = None"),
        (
            'x: str = Field("a", const=True, alias="X", description="d")',
            'x: Literal["a"] = Field("a", alias="X", description="d")',
        ),
        ('x: str = Field("a", const=False)', 'x: str = Field("a")'),
    ],
)
def test_const_with_a_literal_default_becomes_a_literal_annotation(
    field: str, expected: str
) -> None:
    source = _model(field)
    assert _const_findings(source) == [
        (True, "Pydantic V2 renamed or removed these `Field` arguments: `const`.")
    ]
    migrated = migrate_source(source)
    assert f"    {expected}\n" in migrated
    assert "const" not in migrated
    compile(migrated, "m.py", "exec")
    if "Literal" in expected:
        assert "from typing import Literal, Optional, Union\n" in migrated
    assert migrate_source(migrated) == migrated


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        ('x: str = Field("12", const=True)', "V1 also accepted a number"),
        ("x: str = Field(1, const=True)", "the default is not a `str` literal"),
        ("x: int = Field(True, const=True)", "the default is not a `int` literal"),
        ("x: float = Field(1, const=True)", "the default is not a `float` literal"),
        ("x: int = Field(LIMIT, const=True)", "the default is not a `int` literal"),
        ("x: str = Field(..., const=True)", "without a default"),
        ("x: str = Field(const=True)", "without a default"),
        ("x: Color = Field('red', const=True)", "not a literal value of `Color`"),
        ("x: Union[int, str] = Field(1, const=True)", "not a plain type"),
        ("x: typing.Any = Field(1, const=True)", "not a literal value of `typing.Any`"),
        ("x: str = Field('a', const=FLAG)", "only a literal `const=True/False`"),
        ("x = Field('a', const=True)", "annotate the field with `Literal[<default>]`"),
    ],
)
def test_const_without_a_faithful_literal_is_reported_and_left(field: str, reason: str) -> None:
    source = _model(field)
    [(fixable, message)] = _const_findings(source)
    assert not fixable
    assert reason in message
    assert "const=" in migrate_source(source)


def test_const_strings_are_left_where_the_config_strips_or_recases_them() -> None:
    config = "\n\n    class Config:\n        anystr_lower = True"
    source = _model('x: str = Field("a", const=True)' + config)
    [(fixable, message)] = [f for f in _const_findings(source) if "const" in f[1]]
    assert not fixable
    assert "strips or re-cases strings" in message


def test_const_is_left_where_literal_names_something_else() -> None:
    source = _model('x: str = Field("a", const=True)') + "\nLiteral = list\n"
    [(fixable, message)] = _const_findings(source)
    assert not fixable
    assert "`Literal` is another name in this module" in message


def test_unique_items_report_says_what_to_do_instead() -> None:
    [(fixable, message)] = _const_findings(
        _model("x: list = Field(default_factory=list, unique_items=True)")
    )
    assert not fixable
    assert "loses the order and needs hashable items" in message
    assert "`field_validator` that raises `ValueError`" in message
