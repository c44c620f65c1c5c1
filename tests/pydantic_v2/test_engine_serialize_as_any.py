"""PYD033: a field declared with a model that holds subclass instances (subclassed in the file,
or declaring no field of its own — also when it lives in another workspace file) gets
``SerializeAsAny[...]``; every other field is left alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.model_index import ModelIndex

HEADER = (
    "from typing import ClassVar, List, Literal, Optional, Type\n"
    "from pydantic import BaseModel, conlist\n\n"
    "class Base(BaseModel):\n"
    "    pass\n\n"
    "class Leaf(Base):\n"
    "    x: int = 0\n\n"
    "class Plain(BaseModel):\n"
    "    y: int = 0\n\n"
)


def _codes(source: str) -> list[tuple[str, bool]]:
    return [(f.key, f.fixable) for f in find_findings(source) if f.code == "PYD033"]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("items: List[Base]", "items: List[SerializeAsAny[Base]]"),
        ("one: Optional[Base] = None", "one: Optional[SerializeAsAny[Base]] = None"),
        ("one: 'Base | None' = None", "reported"),
        ("two: Base | Plain", "two: SerializeAsAny[Base] | Plain"),
        ("leaf: Leaf", None),
        ("plain: Plain", None),
        ("kind: ClassVar[Base]", None),
        ("cls_: Type[Base]", None),
        ("tag: Literal['Base']", None),
        ("items: conlist(Base, min_items=1)", None),
    ],
    ids=[
        "list-of-a-subclassed-model",
        "optional",
        "string-annotation",
        "union-member",
        "model-without-subclasses",
        "model-with-fields",
        "class-variable",
        "type-of",
        "literal",
        "constrained-list",
    ],
)
def test_fields_of_models_holding_subclass_instances_are_wrapped(
    field: str, expected: str | None
) -> None:
    source = HEADER + f"class Holder(BaseModel):\n    {field}\n"
    migrated = migrate_source(source)
    if expected is None:
        assert _codes(source) == []
        assert "SerializeAsAny" not in migrated
        return
    if expected == "reported":
        [finding] = [f for f in find_findings(source) if f.code == "PYD033"]
        assert not finding.fixable
        assert "inside the string annotation by hand" in finding.message
        assert migrated == migrate_source(migrated)
        return
    assert _codes(source) == [(f"Holder.{field.split(':')[0]}:serialize_as_any", True)]
    assert f"    {expected}\n" in migrated
    assert "from pydantic import BaseModel, SerializeAsAny, conlist" in migrated
    assert migrate_source(migrated) == migrated


def test_optional_without_default_gets_both_the_wrapper_and_its_none_default() -> None:
    source = HEADER + "class Holder(BaseModel):\n    one: Optional[Base]\n"
    migrated = migrate_source(source)
    assert "    one: Optional[SerializeAsAny[Base]] = None\n" in migrated
    assert migrate_source(migrated) == migrated


def test_a_module_importing_pydantic_whole_writes_pydantic_serialize_as_any() -> None:
    source = (
        "import pydantic\n\nclass Base(pydantic.BaseModel):\n    pass\n\n"
        "class Holder(pydantic.BaseModel):\n    items: list[Base] = []\n"
    )
    assert "    items: list[pydantic.SerializeAsAny[Base]] = []\n" in migrate_source(source)


def test_a_local_name_serialize_as_any_is_reported_not_shadowed() -> None:
    source = HEADER + "SerializeAsAny = 1\n\nclass Holder(BaseModel):\n    items: List[Base]\n"
    [finding] = [f for f in find_findings(source) if f.code == "PYD033"]
    assert not finding.fixable
    assert "`SerializeAsAny` in this module is" in finding.message
    assert "lose the subclass's data" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        "from pydantic import BaseModel, field_serializer\n\nclass Base(BaseModel):\n    pass\n\n"
        "class Holder(BaseModel):\n    items: list[Base]\n",
        "from pydantic.v1 import BaseModel\n\nclass Base(BaseModel):\n    pass\n\n"
        "class Holder(BaseModel):\n    items: list[Base]\n",
    ],
    ids=["v2-module", "v1-namespace"],
)
def test_v2_and_v1_namespace_modules_are_left_alone(source: str) -> None:
    assert _codes(source) == []


def test_an_empty_base_model_of_another_workspace_file_is_wrapped(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "base.py").write_text(
        "from pydantic import BaseModel\n\nclass Mixin:\n    pass\n\n"
        "class Result(Mixin, BaseModel):\n    pass\n\nclass Full(BaseModel):\n    a: int\n",
        encoding="utf-8",
    )
    source = (
        "from typing import List\nfrom pydantic import BaseModel\n\n"
        "from .base import Full, Result\n\n\n"
        "class Answer(BaseModel):\n    results: List[Result]\n    full: Full\n"
    )
    path = package / "answer.py"
    path.write_text(source, encoding="utf-8")
    models = ModelIndex([tmp_path]).models_for(path, ast.parse(source))
    [finding] = [f for f in find_findings(source, models=models) if f.code == "PYD033"]
    assert "`Result` declares no field" in finding.message
    migrated = migrate_source(source, models=models)
    assert "    results: List[SerializeAsAny[Result]]\n    full: Full\n" in migrated


def test_a_subscript_of_a_generic_model_subclassed_through_a_parametrisation_is_wrapped_whole() -> (
    None
):
    source = (
        "from typing import Generic, List, Optional, TypeVar\n"
        "from pydantic.generics import GenericModel\n\n"
        'T = TypeVar("T")\n\n'
        "class Page(GenericModel, Generic[T]):\n"
        "    items: List[T] = []\n\n"
        "class IntPage(Page[int]):\n"
        "    total: int = 0\n\n"
        "class Holder(GenericModel):\n"
        "    page: Optional[Page[int]] = None\n"
    )
    migrated = migrate_source(source)
    assert "    page: Optional[SerializeAsAny[Page[int]]] = None\n" in migrated
    assert migrate_source(migrated) == migrated


def test_the_wrapper_is_never_written_where_the_module_rebinds_its_name() -> None:
    source = (
        "from pydantic import BaseModel, SerializeAsAny\n\n"
        "SerializeAsAny = list\n\n\n"
        "class Base(BaseModel):\n    pass\n\n\n"
        "class Child(Base):\n    x: int = 1\n\n\n"
        "class Holder(BaseModel):\n    item: Base\n"
    )
    findings = [f for f in find_findings(source) if f.code == "PYD033"]
    assert [f.fixable for f in findings] == [False]
    assert "`SerializeAsAny` in this module is assigned in this module" in findings[0].message
