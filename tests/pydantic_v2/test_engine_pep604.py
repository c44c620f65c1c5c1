"""The types the migration writes follow the project's target Python.

Pydantic evaluates annotations at run time, so ``str | None`` is written only when the project
targets Python 3.10 or later; otherwise (an unknown target included) ``Optional[str]``.
"""

from __future__ import annotations

import ast
import sys
import types

from fastapi_architect.imports import ImportStyle
from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source
from fastapi_architect.textedit import apply_edits

PY39 = ImportStyle(target_version=(3, 9))
PY310 = ImportStyle(target_version=(3, 10))
UNKNOWN = ImportStyle()

ALIASES = """\
from pydantic import BaseModel, NoneStr, NoneStrBytes, StrBytes


class Upload(BaseModel):
    name: NoneStr = None
    body: StrBytes = b""
    either: NoneStrBytes = None
"""


def test_v1_aliases_become_x_or_none_for_python_310_without_a_typing_import() -> None:
    migrated = migrate_source(ALIASES, PY310)
    assert "    name: str | None = None\n" in migrated
    # V1 decoded bytes given to ``Union[str, bytes]``: left-to-right keeps that (PYD030).
    assert '    body: str | bytes = Field(b"", union_mode="left_to_right")\n' in migrated
    assert '    either: str | bytes | None = Field(None, union_mode="left_to_right")\n' in migrated
    assert "typing" not in migrated
    assert migrate_source(migrated, PY310) == migrated


def test_v1_aliases_stay_optional_and_union_below_or_without_a_known_target() -> None:
    for style in (UNKNOWN, PY39):
        migrated = migrate_source(ALIASES, style)
        assert migrated.startswith("from typing import Optional, Union\n")
        assert "    name: Optional[str] = None\n" in migrated
        assert '    body: Union[str, bytes] = Field(b"", union_mode="left_to_right")\n' in migrated
        assert (
            '    either: Optional[Union[str, bytes]] = Field(None, union_mode="left_to_right")\n'
            in migrated
        )
        assert "|" not in migrated


def test_an_alias_used_as_an_operand_is_parenthesised() -> None:
    source = (
        "from pydantic import BaseModel, NoneStr\n\n\n"
        "class M(BaseModel):\n    name: NoneStr = None\n\n\n"
        "MEMBERS = NoneStr.__args__\n"
    )
    migrated = migrate_source(source, PY310)
    assert "MEMBERS = (str | None).__args__\n" in migrated
    namespace: dict[str, object] = {}
    exec(compile(migrated, "<migrated>", "exec"), namespace)
    assert namespace["MEMBERS"] == (str, type(None))


def test_an_optional_import_still_used_elsewhere_is_kept() -> None:
    source = (
        "from typing import Optional\n\nfrom pydantic import BaseModel, NoneStr\n\n\n"
        "class M(BaseModel):\n    name: NoneStr = None\n    age: Optional[int] = None\n"
    )
    migrated = migrate_source(source, PY310)
    assert migrated.startswith("from typing import Optional\n")
    assert "    name: str | None = None\n" in migrated
    assert "    age: Optional[int] = None\n" in migrated


INHERITED = """\
import typing as t
from typing import List, Optional, Union

from pydantic import BaseModel, validator


class Base(BaseModel):
    a: Optional[Union[str, bytes]]
    b: t.Union[int, "Later"] = 1
    c: Union[int, t.List[str]] = 1
    d: Optional[List[int]]


class Later(BaseModel):
    x: int = 0


class Child(Base):
    @validator("a", "b", "c", "d", always=True)
    def keep(cls, v):
        return v
"""


def _child_block(text: str) -> list[str]:
    body = text.split("class Child(Base):\n", 1)[1].split("    @field_validator", 1)[0]
    return [line.strip() for line in body.strip().splitlines()]


def test_an_inherited_plain_optional_is_copied_as_x_or_none_for_python_310() -> None:
    assert _child_block(migrate_source(INHERITED, PY310)) == [
        'a: str | bytes | None = Field(None, validate_default=True, union_mode="left_to_right")',
        'b: t.Union[int, "Later"] = Field(1, validate_default=True)',
        "c: int | list[str] = Field(1, validate_default=True)",
        "d: list[int] | None = Field(None, validate_default=True)",
    ]


def test_an_inherited_annotation_is_copied_as_written_below_python_310() -> None:
    assert _child_block(migrate_source(INHERITED, PY39)) == [
        "a: Optional[Union[str, bytes]] = "
        'Field(None, validate_default=True, union_mode="left_to_right")',
        'b: t.Union[int, "Later"] = Field(1, validate_default=True)',
        "c: Union[int, list[str]] = Field(1, validate_default=True)",
        "d: Optional[list[int]] = Field(None, validate_default=True)",
    ]
    assert _child_block(migrate_source(INHERITED, UNKNOWN)) == [
        "a: Optional[Union[str, bytes]] = "
        'Field(None, validate_default=True, union_mode="left_to_right")',
        'b: t.Union[int, "Later"] = Field(1, validate_default=True)',
        "c: Union[int, t.List[str]] = Field(1, validate_default=True)",
        "d: Optional[List[int]] = Field(None, validate_default=True)",
    ]


def test_the_x_or_none_migration_runs_under_pydantic_2() -> None:
    migrated = migrate_source(INHERITED, PY310)
    module = types.ModuleType("pep604_probe")
    sys.modules[module.__name__] = module  # Pydantic resolves "Later" through the module
    try:
        exec(compile(migrated, "<migrated>", "exec"), module.__dict__)
        child = module.Child(a=b"x", d=[1])
    finally:
        del sys.modules[module.__name__]
    # As in V1, which decoded the bytes: the union keeps its left-to-right choice (PYD030).
    assert child.model_dump() == {"a": "x", "b": 1, "c": 1, "d": [1]}


def test_fixes_and_titles_follow_the_style_they_are_given() -> None:
    edits = fix_edits(ALIASES, None, PY310)
    assert apply_edits(ALIASES, edits) == migrate_source(ALIASES, PY310)
    titles = {f.title for f in find_findings(ALIASES, PY310)}
    assert "Replace `NoneStr` with `str | None`" in titles
    assert "Replace `NoneStr` with `Optional[str]`" in {f.title for f in find_findings(ALIASES)}


def test_without_a_target_no_annotation_needs_python_310() -> None:
    migrated = migrate_source(INHERITED, UNKNOWN)
    tree = ast.parse(migrated, feature_version=(3, 9))
    assert not any(
        isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr) for node in ast.walk(tree)
    )
