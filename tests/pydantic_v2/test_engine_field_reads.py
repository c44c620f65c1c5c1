"""PYD014 on ``__fields__`` values: ``ModelField`` reads with an exact ``FieldInfo`` spelling are
converted with the rename; any other read (or a field object passed on) reports the V2 spelling
and leaves the code as it is."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

HEADER = (
    "from typing import Optional, Type, TypeVar\n"
    "from pydantic import BaseModel, Field\n\n"
    "class User(BaseModel):\n"
    "    id: int\n"
    "    name: str = Field('x', alias='userName')\n"
    "    items: list = Field(default_factory=list)\n"
    "    opt: Optional[int] = None\n"
    "    count: int = Field(0, ge=0)\n\n"
)


def _fields_findings(source: str) -> list[tuple[str, bool, str]]:
    return [
        (f.key, f.fixable, f.message)
        for f in find_findings(source)
        if f.code == "PYD014" and "__fields__" in f.message
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "ok = User.__fields__['id'].required\n",
            "ok = User.model_fields['id'].is_required()\n",
        ),
        (
            "def f(k):\n    if field := User.__fields__.get(k):\n        return field.required\n",
            "def f(k):\n    if field := User.model_fields.get(k):\n"
            "        return field.is_required()\n",
        ),
        (
            "def f(k):\n    field = User.__fields__[k]\n    if field is None or not field:\n"
            "        return None\n    return field.required\n",
            "def f(k):\n    field = User.model_fields[k]\n    if field is None or not field:\n"
            "        return None\n    return field.is_required()\n",
        ),
        (
            "a = {n: f.alias for n, f in User.__fields__.items()}\n",
            "a = {n: (f.alias or n) for n, f in User.model_fields.items()}\n",
        ),
        (
            "a = User.__fields__['name'].alias\n",
            "a = (User.model_fields['name'].alias or 'name')\n",
        ),
        (
            "def f(k):\n    return User.__fields__[k].alias\n",
            "def f(k):\n    return (User.model_fields[k].alias or k)\n",
        ),
        (
            "h = [f.has_alias for f in User.__fields__.values()]\n",
            "h = [(f.alias is not None) for f in User.model_fields.values()]\n",
        ),
        (
            "d = User.__fields__['name'].field_info.description\n",
            "d = User.model_fields['name'].description\n",
        ),
        (
            "d = User.__fields__['name'].default\n",
            "d = User.model_fields['name'].default\n",
        ),
        (
            "d = User.__fields__['items'].default_factory\n",
            "d = User.model_fields['items'].default_factory\n",
        ),
        (
            "t = User.__fields__['id'].outer_type_\n",
            "t = User.model_fields['id'].annotation\n",
        ),
        (
            "t = User.__fields__['name'].type_\n",
            "t = User.model_fields['name'].annotation\n",
        ),
        (
            "def f(user: User):\n    return user.__fields__['id'].required\n",
            "def f(user: User):\n    return type(user).model_fields['id'].is_required()\n",
        ),
    ],
    ids=[
        "subscript-required",
        "walrus-get-required",
        "assigned-and-tested-for-none",
        "items-loop-alias",
        "literal-key-alias",
        "name-key-alias",
        "values-loop-has-alias",
        "field-info-description",
        "declared-default",
        "default-factory",
        "outer-type-of-a-plain-builtin-field",
        "type-of-a-field-with-plain-field-arguments",
        "instance-receiver",
    ],
)
def test_reads_with_an_exact_v2_spelling_are_converted(body: str, expected: str) -> None:
    source = HEADER + body
    [(_, fixable, message)] = _fields_findings(source)
    assert fixable, message
    migrated = migrate_source(source)
    assert migrated == HEADER + expected
    assert migrate_source(migrated) == migrated


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("t = User.__fields__['opt'].outer_type_\n", "`.annotation`, which keeps `Optional[...]`"),
        ("t = User.__fields__['opt'].type_\n", "the item type"),
        ("t = User.__fields__['count'].outer_type_\n", "and constraints"),
        ("int = float\nt = User.__fields__['id'].outer_type_\n", "`.annotation`"),
        ("def f(cls: Type[User]):\n    return cls.__fields__['id'].type_\n", "`.annotation`"),
        ("n = User.__fields__['id'].allow_none\n", "typing.get_args(field.annotation)"),
        ("n = User.__fields__['id'].name\n", "use the `model_fields` key"),
        ("d = User.__fields__['id'].default\n", "`PydanticUndefined` for a required field"),
        ("d = User.__fields__['items'].default\n", "`PydanticUndefined`"),
        ("s = User.__fields__['id'].shape\n", "has no `.shape`"),
        ("def f(k):\n    return User.__fields__[k[0]].alias\n", "write `.alias or name`"),
        ("f = User.__fields__['id'].field_info\n", "drop `.field_info`"),
        ("def f():\n    return User.__fields__['id']\n", "passed on"),
        ("def f():\n    x = User.__fields__['id']\n    x = 1\n    return x\n", "bound more"),
        ("def f():\n    x = User.__fields__['id']\n    print(x)\n", "`x` is passed on"),
        ("def f():\n    x = User.__fields__['id']\n    return x or 1\n", "`x` is passed on"),
        ("def f(m):\n    m.update(User.__fields__)\n", "mapping is passed on"),
    ],
    ids=[
        "outer-type-of-optional",
        "type-of-optional",
        "outer-type-of-a-constrained-field",
        "outer-type-of-a-rebound-builtin",
        "type-on-a-subclass-cls-may-be",
        "allow-none",
        "name",
        "default-of-a-required-field",
        "default-of-a-factory-field",
        "shape",
        "alias-of-an-unknown-key",
        "bare-field-info",
        "field-returned",
        "name-rebound",
        "name-passed-to-a-call",
        "name-as-a-value-of-or",
        "mapping-passed-on",
    ],
)
def test_reads_without_an_exact_v2_spelling_are_reported_with_it(body: str, reason: str) -> None:
    source = HEADER + body
    [(_, fixable, message)] = _fields_findings(source)
    assert not fixable
    assert reason in message
    assert "FieldInfo" in message
    assert migrate_source(source).count("__fields__") == source.count("__fields__")


def test_cls_annotated_with_type_of_a_bound_type_variable_is_a_model_class() -> None:
    source = HEADER + (
        "T = TypeVar('T', bound='User')\n\n"
        "class Packer:\n"
        "    @classmethod\n"
        "    def names(cls, target: Type[T]) -> list:\n"
        "        return [n for n, f in target.__fields__.items() if f.required]\n"
    )
    migrated = migrate_source(source)
    assert "target.model_fields.items() if f.is_required()]" in migrated


@pytest.mark.parametrize(
    "typevar",
    [
        "T = TypeVar('T')\n",
        "T = TypeVar('T', bound=dict)\n",
        "T = TypeVar('T', bound=User)\nT = 1\n",
    ],
    ids=["unbound", "bound-to-a-non-model", "rebound"],
)
def test_type_variables_not_bound_to_a_model_are_not_models(typevar: str) -> None:
    source = HEADER + typevar + "def f(c: Type[T]):\n    return c.__fields__['id'].required\n"
    assert _fields_findings(source) == []
    assert migrate_source(source) == source


def test_a_field_declared_with_another_librarys_field_keeps_the_type_read_reported() -> None:
    header = HEADER.replace(
        "from pydantic import BaseModel, Field\n",
        "from pydantic import BaseModel\nfrom checks import Field\n",
    )
    source = header + "t = User.__fields__['name'].type_\n"
    [(_, fixable, message)] = _fields_findings(source)
    assert not fixable
    assert "`.annotation`" in message
    assert migrate_source(source) == source
