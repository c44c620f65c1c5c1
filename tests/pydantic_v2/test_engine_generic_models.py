"""PYD016: classes deriving from V1's ``GenericModel`` derive from ``BaseModel`` (with their
``Generic[...]`` base) and the ``pydantic.generics`` import goes once nothing uses it."""

from __future__ import annotations

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

HEAD = "from typing import Generic, TypeVar\n\n"
T = 'T = TypeVar("T")\n\n'


def _generic_findings(source: str) -> list[tuple[str, bool, str]]:
    return [(f.key, f.fixable, f.message) for f in find_findings(source) if f.code == "PYD016"]


def test_an_aliased_generic_model_becomes_base_model_and_its_import_goes() -> None:
    source = (
        HEAD
        + "from pydantic.generics import GenericModel as GM\n\n"
        + T
        + "class Box(GM, Generic[T]):\n    item: T\n"
    )
    assert [(k, f) for k, f, _ in _generic_findings(source)] == [("Box:GenericModel", True)]
    migrated = migrate_source(source)
    assert "class Box(BaseModel, Generic[T]):" in migrated
    assert "pydantic.generics" not in migrated
    assert "from pydantic import BaseModel\n" in migrated


def test_the_import_stays_while_another_use_is_left() -> None:
    source = (
        HEAD
        + "from pydantic.generics import GenericModel\n\n"
        + T
        + "class Box(GenericModel, Generic[T]):\n    item: T\n\n"
        + "BASES = (GenericModel,)\n"
    )
    migrated = migrate_source(source)
    assert "class Box(BaseModel, Generic[T]):" in migrated
    assert "from pydantic.generics import GenericModel\n" in migrated


def test_module_spelling_and_a_foreign_base_model_are_reported() -> None:
    through_module = (
        HEAD
        + "import pydantic.generics\n\n"
        + T
        + "class Box(pydantic.generics.GenericModel, Generic[T]):\n    item: T\n"
    )
    [(_, fixable, message)] = _generic_findings(through_module)
    assert not fixable and "through a module" in message
    foreign = (
        HEAD
        + "from pydantic.generics import GenericModel\nfrom app import BaseModel\n\n"
        + T
        + "class Box(GenericModel, Generic[T]):\n    item: T\n"
    )
    [(_, fixable, message)] = _generic_findings(foreign)
    assert not fixable and "names something else" in message
    assert migrate_source(foreign) == foreign


def test_another_libraries_generic_model_is_left_alone() -> None:
    source = (
        HEAD
        + "from mylib import GenericModel\nfrom pydantic import BaseModel\n\n"
        + T
        + "class Box(GenericModel):\n    x: int\n\nclass Plain(BaseModel):\n    y: int\n"
    )
    assert _generic_findings(source) == []
    assert migrate_source(source) == source


def test_generic_model_through_the_generics_submodule_is_reported() -> None:
    source = (
        HEAD
        + "from pydantic import generics\n\n"
        + T
        + "class Box(generics.GenericModel, Generic[T]):\n    item: T\n"
    )
    [(key, fixable, message)] = _generic_findings(source)
    assert (key, fixable) == ("Box:GenericModel", False)
    assert "spelled through a module" in message


def test_a_class_named_like_the_imported_generic_model_is_not_it() -> None:
    source = (
        HEAD
        + "from pydantic.generics import GenericModel\n\n"
        + T
        + "class GenericModel(Generic[T]):\n    pass\n\n\n"
        + "class Box(GenericModel, Generic[T]):\n    item: T\n"
    )
    assert _generic_findings(source) == []
