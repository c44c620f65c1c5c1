"""``always=True`` on a field declared in a base model of another workspace file: the field is
re-declared in the subclass when its copy means the same there, and refused with the reason
otherwise."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.model_index import ModelIndex

BASE = """\
import enum
from typing import List, Optional

from pydantic import BaseModel, Field


class Kind(enum.Enum):
    A = "a"


class Base(BaseModel):
    name: Optional[str] = None
    tags: List[str] = Field(default_factory=list, min_items=0)
    kind: Kind = Kind.A
"""


def child(tmp_path: Path, body: str) -> tuple[str, Path]:
    (tmp_path / "pkg").mkdir(exist_ok=True)
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "base.py").write_text(BASE, encoding="utf-8")
    path = tmp_path / "pkg" / "child.py"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path.read_text(encoding="utf-8"), path


def run(tmp_path: Path, body: str) -> tuple[str, list[str]]:
    source, path = child(tmp_path, body)
    models = ModelIndex([tmp_path]).models_for(path, ast.parse(source))
    refusals = [f.message for f in find_findings(source, models=models) if not f.fixable]
    return migrate_source(source, models=models), refusals


def test_the_copy_gets_the_imports_it_needs_and_v2_field_names(tmp_path: Path) -> None:
    result, refusals = run(
        tmp_path,
        """\
        from pydantic import validator

        from pkg.base import Base


        class Child(Base):
            @validator("name", "tags", always=True)
            def check(cls, v):
                return v
        """,
    )
    assert refusals == []
    assert "name: Optional[str] = Field(None, validate_default=True)" in result
    assert "tags: List[str] = Field(default_factory=list, min_length=0, validate_default=True)" in (
        result
    )
    assert "from typing import List, Optional" in result
    assert "from pydantic import Field, field_validator" in result
    compile(result, "child.py", "exec")


def test_a_field_whose_type_the_base_module_defines_is_refused_with_the_reason(
    tmp_path: Path,
) -> None:
    result, refusals = run(
        tmp_path,
        """\
        from pydantic import validator

        from pkg.base import Base


        class Child(Base):
            @validator("kind", always=True)
            def check(cls, v):
                return v
        """,
    )
    assert len(refusals) == 1
    assert "`Kind`, which that module defines itself" in refusals[0]
    assert "@validator" in result


def test_a_name_this_module_binds_differently_is_refused(tmp_path: Path) -> None:
    _, refusals = run(
        tmp_path,
        """\
        from pydantic import validator

        from pkg.base import Base

        Optional = None


        class Child(Base):
            @validator("name", always=True)
            def check(cls, v):
                return v
        """,
    )
    assert len(refusals) == 1 and "`Optional` in this module is something else" in refusals[0]


def test_a_base_model_in_this_file_deriving_from_an_imported_base_counts_as_a_model() -> None:
    source = textwrap.dedent(
        """\
        from typing import Optional

        from pydantic import validator

        from app.core.base import AppModel


        class Base(AppModel):
            name: Optional[str] = None


        class Child(Base):
            @validator("name", always=True)
            def fill(cls, v):
                return v or "x"
        """
    )
    (finding,) = find_findings(source)
    assert finding.fixable, finding.message
    assert "name: Optional[str] = Field(None, validate_default=True)" in migrate_source(source)


def test_a_module_reference_in_the_copy_needs_the_same_import_here(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "base.py").write_text(
        "import typing\n\nfrom pydantic import BaseModel\n\n\n"
        "class Base(BaseModel):\n    when: typing.Optional[int] = None\n",
        encoding="utf-8",
    )
    body = (
        "{imports}from pydantic import validator\n\nfrom pkg.base import Base\n\n\n"
        "class Child(Base):\n"
        '    @validator("when", always=True)\n'
        "    def fill(cls, v):\n        return v or 1\n"
    )
    path = tmp_path / "pkg" / "child.py"
    for imports, converts in (("import typing\n", True), ("", False)):
        source = body.format(imports=imports)
        path.write_text(source, encoding="utf-8")
        models = ModelIndex([tmp_path]).models_for(path, ast.parse(source))
        (finding,) = find_findings(source, models=models)
        assert finding.fixable is converts, finding.message
        if converts:
            result = migrate_source(source, models=models)
            assert "when: typing.Optional[int] = Field(None, validate_default=True)" in result
        else:
            assert "reads the module `typing`" in finding.message
