"""PYD025 on a call of a model class: V1 typed the field as the called class (also when the
name overrides a base's field), so ``settings = Wide(...)`` becomes ``settings: Wide =
Wide(...)``; the class is known from this file or, imported, from the workspace index.
Calls of anything else stay reported."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.model_index import ModelIndex

SAME_FILE = """\
from pydantic import BaseModel


class Narrow(BaseModel):
    a: int = 0


class Wide(Narrow):
    b: int = 1


class Base(BaseModel):
    settings: Wide = Wide()


class Child(Base):
{body}
"""


def _pyd025(source: str, **kwargs: object) -> list[tuple[bool, str]]:
    return [
        (f.fixable, f.message)
        for f in find_findings(source, **kwargs)  # type: ignore[arg-type]
        if f.code == "PYD025"
    ]


def test_a_same_file_model_call_overriding_a_base_field_gets_the_called_class() -> None:
    source = SAME_FILE.format(body="    settings = Wide(b=2)\n    extra = Narrow()\n")
    result = migrate_source(source)
    assert "    settings: Wide = Wide(b=2)\n" in result
    assert "    extra: Narrow = Narrow()\n" in result
    assert all(fixable for fixable, _ in _pyd025(source))


def test_a_call_of_anything_but_a_known_model_class_stays_reported() -> None:
    source = SAME_FILE.format(body="    settings = dict(b=2)\n    other = make()\n")
    assert migrate_source(source) == source
    findings = _pyd025(source)
    assert [fixable for fixable, _ in findings] == [False, False]
    assert "write `settings: <type of the value> = dict(b=2)`" in findings[0][1]


def test_a_model_name_rebound_in_the_class_body_or_module_stays_reported() -> None:
    in_body = SAME_FILE.format(body="    Wide = None\n    settings = Wide(b=2)\n")
    assert "settings = Wide(b=2)" in migrate_source(in_body)
    rebound = SAME_FILE.format(body="    settings = Wide(b=2)\n") + "Wide = Narrow\n"
    assert "settings = Wide(b=2)" in migrate_source(rebound)


def test_keep_untouched_makes_the_model_call_a_report() -> None:
    body = "    settings = Wide(b=2)\n\n    class Config:\n        keep_untouched = (Wide,)\n"
    source = SAME_FILE.format(body=body)
    assert "settings = Wide(b=2)" in migrate_source(source)
    assert [fixable for fixable, _ in _pyd025(source)] == [False]


BASE = """\
from pydantic import BaseModel


class Narrow(BaseModel):
    a: int = 0


class Wide(Narrow):
    b: int = 1


class Base(BaseModel):
    settings: Wide = Wide()
"""


def _cross_file(tmp_path: Path, child: str) -> tuple[str, str, list[tuple[bool, str]]]:
    (tmp_path / "pkg").mkdir(exist_ok=True)
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "base.py").write_text(BASE, encoding="utf-8")
    path = tmp_path / "pkg" / "child.py"
    source = textwrap.dedent(child)
    path.write_text(source, encoding="utf-8")
    models = ModelIndex([tmp_path]).models_for(path, ast.parse(source))
    return source, migrate_source(source, models=models), _pyd025(source, models=models)


def test_an_imported_workspace_model_call_overriding_a_base_field_gets_the_called_class(
    tmp_path: Path,
) -> None:
    _, result, findings = _cross_file(
        tmp_path,
        """\
        from pkg.base import Base, Wide


        class Child(Base):
            settings = Wide(b=2)
        """,
    )
    assert "    settings: Wide = Wide(b=2)\n" in result
    assert [fixable for fixable, _ in findings] == [True]
    assert "V1 made it a field of type `Wide`" in findings[0][1]


def test_an_imported_call_the_index_does_not_know_as_a_model_stays_reported(
    tmp_path: Path,
) -> None:
    source, result, findings = _cross_file(
        tmp_path,
        """\
        from elsewhere import Unknown

        from pkg.base import Base


        class Child(Base):
            settings = Unknown(b=2)
        """,
    )
    assert result == source
    assert [fixable for fixable, _ in findings] == [False]
