"""PYD014: V1 model methods are renamed only where the receiver is known to be a model, and
calls whose arguments V2 dropped are reported instead of rewritten."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

HEADER = (
    "from typing import Optional\n"
    "from pydantic import BaseModel\n\n"
    "class User(BaseModel):\n"
    "    id: int = 0\n\n"
)


def _method_findings(source: str) -> list[tuple[str, bool]]:
    return [(f.key, f.fixable) for f in find_findings(source) if f.code == "PYD014"]


@pytest.mark.parametrize(
    "body",
    [
        "def f(data: dict):\n    return data.copy()\n",
        "def f(response):\n    return response.json()\n",
        "def f(user):\n    return user.dict()\n",
        "def f(users: list):\n    for user in users:\n        user.dict()\n",
        "def f(raw):\n    user = User(**raw)\n    user = raw\n    return user.dict()\n",
        "def f(User):\n    return User.parse_obj({})\n",
        "def f():\n    global u\n    return u.dict()\n",
        "from app.models import Account\n\ndef f():\n    return Account.parse_obj({})\n",
        "class Remote(Account):\n    pass\n\ndef f():\n    return Remote.parse_obj({})\n",
        "def f(user: User):\n    dump = user.dict\n    return dump()\n",
        "def f(user: 'list[User]'):\n    return user.copy()\n",
        "def f(user: User | dict):\n    return user.copy()\n",
        "u = User()\n\ndef f(items):\n    return [u.dict() for u in items]\n",
    ],
    ids=[
        "dict-copy",
        "response-json",
        "unannotated-parameter",
        "loop-variable",
        "rebound-to-a-dict",
        "parameter-shadowing-the-class",
        "global-name",
        "imported-class",
        "class-with-an-unknown-base",
        "bound-method",
        "container-of-models",
        "union-with-a-non-model",
        "comprehension-variable",
    ],
)
def test_receivers_not_known_to_be_models_are_never_touched(body: str) -> None:
    source = HEADER + body
    assert _method_findings(source) == []
    assert migrate_source(source) == source


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("def f(user: User):\n    return user.dict()\n", "user.model_dump()"),
        ("def f(user: Optional[User]):\n    return user.json()\n", "user.model_dump_json()"),
        ("def f(user: 'User'):\n    return user.copy(deep=True)\n", "user.model_copy(deep=True)"),
        ("def f(raw):\n    u = User.parse_obj(raw)\n    return u.dict()\n", "u.model_dump()"),
        ("def f():\n    u: User = make()\n    return u.dict()\n", "u.model_dump()"),
        ("def f(raw):\n    return User(**raw).dict()\n", "User(**raw).model_dump()"),
        ("def f(t):\n    return User.parse_raw(t)\n", "User.model_validate_json(t)"),
        ("User.update_forward_refs()\n", "User.model_rebuild()"),
        ("print(User.schema())\n", "User.model_json_schema()"),
        ("u = User.construct(id=1)\n", "User.model_construct(id=1)"),
        ("n = sorted(User.__fields__)\n", "sorted(User.model_fields)"),
        ("n = User.__fields__.keys()\n", "User.model_fields.keys()"),
        ("u = User()\nok = 'id' in u.__fields__\n", "'id' in type(u).model_fields"),
    ],
)
def test_calls_on_known_models_are_renamed(body: str, expected: str) -> None:
    source = HEADER + body
    assert [fixable for _, fixable in _method_findings(source)] == [True] * len(
        _method_findings(source)
    )
    assert expected in migrate_source(source)


def test_self_and_cls_of_model_methods_are_known_but_not_of_static_methods() -> None:
    source = (
        "from pydantic import BaseModel\n\n"
        "class User(BaseModel):\n"
        "    id: int = 0\n\n"
        "    def row(self):\n        return self.dict()\n\n"
        "    @classmethod\n    def load(cls, raw):\n        return cls.parse_obj(raw)\n\n"
        "    @staticmethod\n    def other(self):\n        return self.dict()\n"
    )
    assert _method_findings(source) == [
        ("User.row:self.dict", True),
        ("User.load:cls.parse_obj", True),
    ]


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        ("user.json(encoder=str)", "encoder="),
        ("user.json(models_as_dict=False)", "models_as_dict="),
        ("user.json(sort_keys=True)", "sort_keys="),
        ("user.dict(skip_defaults=True, exclude_unset=False)", "exclude_unset"),
        ("user.dict(**options)", "**options"),
        ("user.copy(include={'id'})", "include="),
        ("User.parse_raw(t, content_type='json')", "content_type="),
        ("User.update_forward_refs(Other)", "positional"),
        ("User.parse_file('u.json')", "parse_file"),
        ("User.schema_json()", "schema_json"),
    ],
)
def test_arguments_v2_dropped_are_reported_not_rewritten(call: str, reason: str) -> None:
    source = HEADER + f"def f(user: User, t, options, Other):\n    return {call}\n"
    [finding] = [f for f in find_findings(source) if f.code == "PYD014"]
    assert not finding.fixable
    assert reason in finding.message
    assert migrate_source(source) == source


def test_fields_read_for_their_values_are_reported() -> None:
    source = HEADER + "for name, f in User.__fields__.items():\n    print(f.outer_type_)\n"
    [finding] = [f for f in find_findings(source) if f.code == "PYD014"]
    assert not finding.fixable
    assert "FieldInfo" in finding.message


@pytest.mark.parametrize(
    ("model", "fixable", "reason"),
    [
        ("class Row(BaseModel):\n    class Config:\n        orm_mode = True\n", True, ""),
        ("class Row(BaseModel, orm_mode=True):\n    pass\n", True, ""),
        (
            "class Base(BaseModel):\n    class Config:\n        orm_mode = True\n\n"
            "class Row(Base):\n    pass\n",
            True,
            "",
        ),
        ("class Row(BaseModel):\n    pass\n", False, "neither `orm_mode`"),
        (
            "class Base(BaseModel, Remote):\n    pass\n\nclass Row(Base):\n    pass\n",
            False,
            "not visible",
        ),
    ],
    ids=["config-orm-mode", "class-keyword", "same-file-base", "no-orm-mode", "unknown-base"],
)
def test_from_orm_converts_only_where_the_config_reads_attributes(
    model: str, fixable: bool, reason: str
) -> None:
    source = (
        "from pydantic import BaseModel\nfrom app import Remote\n\n"
        + model
        + "\n\ndef f(obj):\n    return Row.from_orm(obj)\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD014"]
    assert finding.fixable is fixable
    assert reason in finding.message
    assert ("Row.model_validate(obj)" in migrate_source(source)) is fixable


def test_keys_name_the_scope_receiver_and_method_and_survive_fixing_the_others() -> None:
    source = HEADER + "def f(u: User):\n    u.dict()\n    u.dict()\n    return u.json()\n"
    keys = [key for key, _ in _method_findings(source)]
    assert keys == ["f:u.dict", "f:u.dict#2", "f:u.json#3"]
    from fastapi_architect.pydantic_v2 import fix_edits
    from fastapi_architect.textedit import apply_edits

    once = apply_edits(source, fix_edits(source, ["f:u.dict"]))
    assert [key for key, _ in _method_findings(once)] == ["f:u.dict#2", "f:u.json#3"]


def test_a_model_that_defines_its_own_v1_method_keeps_calling_it() -> None:
    source = (
        "from pydantic import BaseModel\n\n"
        "class Base(BaseModel):\n"
        "    def dict(self, **kwargs):\n        return {'custom': True}\n\n"
        "class User(Base):\n    id: int = 0\n\n"
        "def f(user: User):\n    return user.dict(), user.json()\n"
    )
    found = {
        key: (fixable, message)
        for key, fixable, message in [
            (f.key, f.fixable, f.message) for f in find_findings(source) if f.code == "PYD014"
        ]
    }
    assert found["f:user.dict"][0] is False
    assert "`Base` defines its own `dict`" in found["f:user.dict"][1]
    assert found["f:user.json#2"][0] is True
