"""PYD015: ``constr`` / ``conint`` / ``confloat`` / ``conlist`` in model annotations and
module-level aliases become ``Annotated[...]`` with V2 argument names; what V2 cannot express
the same way is reported."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source


def _con_findings(source: str) -> list[tuple[str, bool, str]]:
    return [(f.key, f.fixable, f.message) for f in find_findings(source) if f.code == "PYD015"]


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        ("constr(min_length=2)", "Annotated[str, StringConstraints(min_length=2)]"),
        ("constr(regex='^a+$')", r'Annotated[str, StringConstraints(pattern=r"^a+(?:\n?\z)")]'),
        ("constr(regex='a+')", "Annotated[str, StringConstraints(pattern='^(?:a+)')]"),
        ("conint(gt=0, strict=True)", "Annotated[int, Field(gt=0, strict=True)]"),
        ("confloat(le=1.5)", "Annotated[float, Field(le=1.5)]"),
        ("conint()", "x: int"),
        ("conint(ge=None)", "x: int"),
        ("conlist(int, min_items=1)", "Annotated[list[int], Field(min_length=1)]"),
        ("conlist(item_type=int, max_items=2)", "Annotated[list[int], Field(max_length=2)]"),
        ("conlist(str)", "x: list[str]"),
        (
            "Optional[conlist(conint(ge=0), max_items=2)]",
            "Optional[Annotated[list[Annotated[int, Field(ge=0)]], Field(max_length=2)]]",
        ),
        ("pydantic.constr(max_length=3)", "Annotated[str, StringConstraints(max_length=3)]"),
    ],
)
def test_constrained_annotations_become_annotated_with_v2_names(
    annotation: str, expected: str
) -> None:
    source = (
        "from typing import Optional\n"
        "import pydantic\n"
        "from pydantic import BaseModel, confloat, conint, conlist, constr\n\n"
        f"class M(BaseModel):\n    x: {annotation}\n"
    )
    [(key, fixable, _)] = _con_findings(source)
    assert (key, fixable) == ("M.x:con", True)
    migrated = migrate_source(source)
    assert expected in migrated
    compile(migrated, "m.py", "exec")
    assert "from typing import Annotated, Optional" in migrated or "Annotated" not in expected


def test_imports_are_added_and_the_v1_functions_dropped_once_unused() -> None:
    source = (
        "from pydantic import BaseModel, conint, constr\n\n"
        "Name = constr(max_length=8)\n\n"
        "class M(BaseModel):\n    n: Name\n    age: conint(ge=0)\n"
    )
    migrated = migrate_source(source)
    assert migrated.startswith(
        "from typing import Annotated\n\nfrom pydantic import BaseModel, Field, StringConstraints\n"
    )
    assert "Name = Annotated[str, StringConstraints(max_length=8)]\n" in migrated


@pytest.mark.parametrize(
    ("annotation", "reason"),
    [
        ("constr(max_length=3, curtail_length=3)", "curtail_length"),
        ("constr(regex='[A-Z]+', to_upper=True)", "before it"),
        ("constr(regex=PATTERN)", "not a string literal"),
        ("constr(**options)", "`**`"),
        ("conlist(int, unique_items=True)", "unique_items"),
        ("conlist(min_items=1)", "one item type"),
        ("conint(ge=0, foo=1)", "`foo=`"),
        ("conlist(int, min_items=1, min_length=2)", "two arguments"),
    ],
)
def test_what_v2_cannot_say_the_same_way_is_reported(annotation: str, reason: str) -> None:
    source = (
        "from pydantic import BaseModel, conint, conlist, constr\n\n"
        f"class M(BaseModel):\n    x: {annotation}\n"
    )
    [(_, fixable, message)] = _con_findings(source)
    assert not fixable
    assert reason in message
    assert migrate_source(source) == source


@pytest.mark.parametrize(
    "source",
    [
        "from pydantic import constr\nfrom app import Base\n\n"
        "class M(Base):\n    x: constr(max_length=1)\n",
        "from pydantic import BaseModel, constr\n\ndef f():\n    return constr(max_length=1)\n",
        "from pydantic import BaseModel\nfrom mylib import constr\n\n"
        "class M(BaseModel):\n    x: constr(max_length=1)\n",
    ],
    ids=["class-with-an-unknown-base", "runtime-call", "another-constr"],
)
def test_calls_outside_known_models_and_aliases_are_left_alone(source: str) -> None:
    assert _con_findings(source) == []
    assert migrate_source(source) == source


@pytest.mark.parametrize(
    ("other", "annotation", "needed"),
    [
        ("from sqlmodel import Field", "conint(ge=0)", "Field"),
        ("from .schema import StringConstraints", "constr(max_length=3)", "StringConstraints"),
    ],
)
def test_a_constraint_class_the_module_binds_to_another_library_is_not_written(
    other: str, annotation: str, needed: str
) -> None:
    head = f"from pydantic import BaseModel, conint, constr\n{other}\n"
    source = f"{head}\n\nclass M(BaseModel):\n    x: {annotation}\n"
    assert migrate_source(source) == source
    [(_, fixable, message)] = _con_findings(source)
    assert not fixable
    assert f"needs Pydantic's `{needed}`, but `{needed}` in this module is imported from" in message


def test_field_imported_from_pydantic_fields_is_written_as_it_is() -> None:
    source = (
        "from pydantic import BaseModel, conint\nfrom pydantic.fields import Field\n\n\n"
        "class M(BaseModel):\n    x: conint(ge=0) = Field(1)\n"
    )
    migrated = migrate_source(source)
    assert "x: Annotated[int, Field(ge=0)] = Field(1)" in migrated
    assert "from pydantic import BaseModel, Field" not in migrated  # the existing import serves
