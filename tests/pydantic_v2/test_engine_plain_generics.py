"""PYD034: a V1 ``BaseModel`` that also derives from ``Generic[T]`` was never parametrised —
``Page[int]`` was ``Page`` — so its subscripts become ``Page``; V2-looking modules, real V1
generic models and subscripts only type checkers read are left alone."""

from __future__ import annotations

import warnings
from typing import Any

from test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source
from fastapi_architect.textedit import apply_edits

HEAD = """\
from typing import Generic, List, Optional, TypeVar, cast

from pydantic import BaseModel, validator

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: List[T] = []

    @validator("items")
    def keep(cls, v):
        return v
"""


def _plain(source: str) -> list[tuple[str, bool]]:
    return [(f.key, f.fixable) for f in find_findings(source) if f.code == "PYD034"]


def test_subscripts_read_by_pydantic_become_the_class_itself() -> None:
    source = (
        HEAD
        + "\n\nclass IntPage(Page[int]):\n    pass\n"
        + "\n\nclass Holder(BaseModel):\n    page: Optional[Page[str]] = None\n"
        + "\n\nStrPage = Page[str]\n"
    )
    assert _plain(source) == [
        ("<module>.IntPage(...):Page[int]", True),
        ("Holder.page:Page[str]", True),
        ("<module>.StrPage=:Page[str]", True),
    ]
    migrated = migrate_source(source)
    assert "class IntPage(Page):" in migrated
    # `IntPage` subclasses `Page`, so PYD033 wraps the field too: both edits apply together.
    assert "    page: Optional[SerializeAsAny[Page]] = None\n" in migrated
    assert "StrPage = Page\n" in migrated
    assert migrate_source(migrated) == migrated


def test_annotations_only_type_checkers_read_keep_their_arguments() -> None:
    source = (
        HEAD
        + "\n\ndef first(page: Page[int]) -> Page[int]:\n"
        + "    other: Page[str] = cast(Page[str], page)\n"
        + "    return Page[int](items=other.items)\n"
    )
    migrated = migrate_source(source)
    assert "def first(page: Page[int]) -> Page[int]:\n" in migrated
    assert "    other: Page[str] = cast(Page[str], page)\n" in migrated
    assert "    return Page(items=other.items)\n" in migrated
    assert _plain(source) == [("first:Page[int]", True)]


def test_a_class_this_module_never_subscripts_is_reported_for_other_modules() -> None:
    (finding,) = [f for f in find_findings(HEAD) if f.code == "PYD034"]
    assert finding.key == "Page:plain-generic" and not finding.fixable
    assert "where other modules write `Page[...]`, write `Page`" in finding.message
    assert "`items`" in finding.message


def test_classes_without_fields_typed_by_their_variables_are_not_reported() -> None:
    source = HEAD.replace("items: List[T] = []", "items: List[int] = []")
    source += "\n\nclass IntPage(Page[int]):\n    pass\n"
    assert _plain(source) == []


def test_real_v1_generic_models_and_imported_bases_are_not_plain() -> None:
    source = (
        "from typing import Generic, TypeVar\n\n"
        "from pydantic import BaseModel, validator\n"
        "from pydantic.generics import GenericModel\n\n"
        "from app.base import AppModel\n\n"
        'T = TypeVar("T")\n\n\n'
        "class Box(GenericModel, Generic[T]):\n    item: T\n\n\n"
        "class Named(Box[T], Generic[T]):\n    name: str\n\n\n"
        "class Other(AppModel, Generic[T]):\n    item: T\n\n\n"
        "class Holder(BaseModel):\n"
        "    box: Box[int]\n    named: Named[int]\n    other: Other[int]\n"
    )
    assert _plain(source) == []


def test_modules_without_another_v1_construct_are_taken_for_v2_code() -> None:
    v2 = HEAD.replace("validator", "field_validator") + "\n\nclass IntPage(Page[int]):\n    pass\n"
    assert _plain(v2) == []


def test_a_subscript_called_directly_builds_the_same_model_as_v1s_alias() -> None:
    source = HEAD + "\n\ndef build(**data: Any):\n    return Page[int](**data)\n"
    source = "from typing import Any\n" + source
    migrated = migrate_source(source)
    assert "    return Page(**data)\n" in migrated
    v1 = _load(_as_v1(source), "plain_generics_call_v1")
    v2 = _load(migrated, "plain_generics_call_v2")
    for data in ({"items": ["a", 1]}, {"items": "x"}, {}):
        before: tuple[str, Any]
        after: tuple[str, Any]
        try:
            made = v1.build(**data)
            # V1's alias call also stored ``__orig_class__`` as data (``.json()`` then raised).
            before = ("accepted", {k: v for k, v in made.dict().items() if k != "__orig_class__"})
        except Exception as error:
            before = ("rejected", type(error).__name__)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                after = ("accepted", v2.build(**data).model_dump())
        except Exception as error:
            after = ("rejected", type(error).__name__)
        assert before == after, data


def test_a_converted_generic_model_keeps_its_parameters_on_a_second_run() -> None:
    source = (
        "from typing import Generic, List, TypeVar\n\n"
        "from pydantic import BaseModel, validator\n"
        "from pydantic.generics import GenericModel\n\n"
        'T = TypeVar("T")\n\n\n'
        "class Box(GenericModel, Generic[T]):\n    items: List[T] = []\n\n"
        '    @validator("items")\n    def keep(cls, v):\n        return v\n\n\n'
        "class Holder(BaseModel):\n    box: Box[int]\n"
    )
    once = migrate_source(source)
    assert "class Box(BaseModel, Generic[T]):" in once and "    box: Box[int]\n" in once
    assert _plain(once) == []
    assert migrate_source(once) == once


def test_an_abstract_plain_generic_model_is_plain_too() -> None:
    source = HEAD.replace(
        "class Page(BaseModel, Generic[T]):", "class Page(abc.ABC, BaseModel, Generic[T]):"
    ).replace("from typing import", "import abc\nfrom typing import")
    source += "\n\nclass IntPage(Page[int]):\n    pass\n"
    assert _plain(source) == [("<module>.IntPage(...):Page[int]", True)]


def test_a_subscript_inside_parse_obj_as_converts_together_with_the_call() -> None:
    source = (
        HEAD.replace("validator\n", "parse_obj_as, validator\n")
        + "\n\ndef load(data):\n    return parse_obj_as(List[Page[int]], data)\n"
    )
    keys = dict(_plain(source))
    assert keys == {"load:Page[int]": True}
    migrated = migrate_source(source)
    assert "    return TypeAdapter(List[Page]).validate_python(data)\n" in migrated
    assert "parse_obj_as" not in migrated and migrate_source(migrated) == migrated
    alone = apply_edits(source, fix_edits(source, ["load:Page[int]"]))
    assert "    return TypeAdapter(List[Page]).validate_python(data)\n" in alone
    v1 = _load(_as_v1(source), "plain_generics_parse_v1")
    v2 = _load(migrated, "plain_generics_parse_v2")
    data = [{"items": ["a", 1]}]
    assert [p.dict() for p in v1.load(data)] == [p.model_dump() for p in v2.load(data)]
