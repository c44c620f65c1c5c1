"""Call sites whose receiver is a call returning a model keep their results: the functions of
``SOURCE`` (``get_user(db, 1).dict()``, ``user = get_user(...)``, awaited ``async def``s,
class methods returning ``cls(...)``, ``.json(indent=2)``) run under ``pydantic.v1``
(original) and under pydantic 2 (migrated) and return the same data; ``.json(indent=2)``
returns the same text byte for byte where the message says it does, and differs exactly where
it says it does."""

from __future__ import annotations

import asyncio
import datetime
import decimal
import json
import types
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_method_calls import _outcome
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = """\
import datetime
import json
import decimal
from typing import List, Optional

from pydantic import BaseModel, Field


class Address(BaseModel):
    city: str
    zip_code: str = Field("0000", alias="zipCode")


class User(BaseModel):
    id: int
    name: str
    tags: List[str] = []
    address: Optional[Address] = None
    score: float = 0.5
    born: Optional[datetime.date] = None

    class Config:
        allow_population_by_field_name = True

    def renamed(self, name: str) -> "User":
        return self.copy(update={"name": name})

    @classmethod
    def make(cls, raw):
        return cls.parse_obj(raw)


class Typed(BaseModel):
    at: datetime.datetime
    wait: datetime.timedelta
    amount: decimal.Decimal
    ratio: float


def get_user(db, user_id: int) -> User:
    return User.parse_obj(db[user_id])


def find_user(db, user_id: int) -> Optional[User]:
    raw = db.get(user_id)
    return User(**raw) if raw is not None else None


async def fetch_user(db, user_id: int) -> User:
    return get_user(db, user_id)


def dumped(db, user_id):
    return get_user(db, user_id).dict(by_alias=True, exclude_none=True)


def assigned(db, user_id):
    user = get_user(db, user_id)
    return user.dict(include={"id", "name"}), user.copy(update={"id": 0}).dict()


def found(db, user_id):
    user = find_user(db, user_id)
    if user is None:
        return None
    return user.json(exclude_unset=True)


async def awaited(db, user_id):
    user = await fetch_user(db, user_id)
    return (await fetch_user(db, user_id)).dict(), json.loads(user.json(by_alias=True))


def chained(raw):
    return User.make(raw).renamed("Zed").dict(exclude={"tags"})


def indented(db, user_id):
    return get_user(db, user_id).json(by_alias=True, exclude_none=True, indent=2)


def indented_typed(raw):
    return Typed.parse_obj(raw).json(indent=2)
"""

DB = {
    1: {"id": 1, "name": "Ada", "tags": ["a", "b"], "address": {"city": "Oslo", "zipCode": "0150"}},
    2: {"id": "2", "name": "Bob", "score": 1.25, "born": "1990-02-03"},
    3: {"id": "x", "name": "Bad"},
    4: {"name": "no id"},
    5: {"id": 5, "name": "Åse Ødegård ☃", "tags": ["naïve"]},
}


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "behaviour_receivers_v1"),
        _load(migrate_source(SOURCE), "behaviour_receivers_v2"),
    )


def _both(
    modules: tuple[types.ModuleType, types.ModuleType], function: str, *args: Any
) -> tuple[tuple[str, Any], tuple[str, Any]]:
    v1, v2 = modules

    def call(module: types.ModuleType) -> tuple[str, Any]:
        target = getattr(module, function)
        if asyncio.iscoroutinefunction(target):
            return _outcome(lambda: asyncio.run(target(*args)))
        return _outcome(lambda: target(*args))

    return call(v1), call(v2)


def test_every_v1_call_on_a_returned_model_is_converted() -> None:
    migrated = migrate_source(SOURCE)
    assert [f.key for f in find_findings(migrated) if f.code == "PYD014"] == []
    for v1 in (".dict(", ".json(", ".copy(", ".parse_obj("):
        assert v1 not in migrated, v1


@pytest.mark.parametrize("user_id", [1, 2, 3, 4])
@pytest.mark.parametrize("function", ["dumped", "assigned", "awaited"])
def test_dumps_of_returned_models_are_the_same(
    modules: tuple[types.ModuleType, types.ModuleType], function: str, user_id: int
) -> None:
    before, after = _both(modules, function, DB, user_id)
    assert before == after


@pytest.mark.parametrize("user_id", [1, 2, 9])
def test_optional_returns_give_the_same_json_value(
    modules: tuple[types.ModuleType, types.ModuleType], user_id: int
) -> None:
    before, after = _both(modules, "found", DB, user_id)
    assert before[0] == after[0] == "ok"
    assert (before[1] is None) == (after[1] is None)
    if before[1] is not None:
        assert json.loads(before[1]) == json.loads(after[1])


@pytest.mark.parametrize("raw", [DB[1], DB[2], DB[3], {"id": 7}])
def test_class_methods_returning_cls_chain_the_same(
    modules: tuple[types.ModuleType, types.ModuleType], raw: dict[str, Any]
) -> None:
    before, after = _both(modules, "chained", raw)
    assert before == after


@pytest.mark.parametrize("user_id", [1, 2])
def test_json_with_indent_is_the_same_text_byte_for_byte_on_ascii_data(
    modules: tuple[types.ModuleType, types.ModuleType], user_id: int
) -> None:
    before, after = _both(modules, "indented", DB, user_id)
    assert before == after
    assert "\n  " in before[1]


def test_json_with_indent_differs_only_by_the_escaping_the_message_names(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    (_, v1_text), (_, v2_text) = _both(modules, "indented", DB, 5)
    assert v1_text != v2_text
    assert "\\u00c5se \\u00d8deg\\u00e5rd \\u2603" in v1_text
    assert "Åse Ødegård ☃" in v2_text
    assert json.loads(v1_text) == json.loads(v2_text)
    assert v1_text == json.dumps(json.loads(v2_text), indent=2)  # same layout otherwise


def test_json_with_indent_differs_on_the_values_the_message_names(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    raw = {
        "at": datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        "wait": datetime.timedelta(seconds=90),
        "amount": decimal.Decimal("1.10"),
        "ratio": 1e-05,
    }
    (_, v1_text), (_, v2_text) = _both(modules, "indented_typed", raw)
    assert json.loads(v1_text) == {
        "at": "2020-01-02T03:04:05+00:00",
        "wait": 90.0,
        "amount": 1.1,
        "ratio": 1e-05,
    }
    assert json.loads(v2_text) == {
        "at": "2020-01-02T03:04:05Z",
        "wait": "PT1M30S",
        "amount": "1.10",
        "ratio": 1e-05,
    }
    assert '"ratio": 1e-05' in v1_text and '"ratio": 0.00001' in v2_text
    (finding,) = [
        f
        for f in find_findings(SOURCE)
        if f.code == "PYD014" and f.key.endswith("indented_typed:Typed().json")
    ]
    for said in ("`Z` (V1 `+00:00`)", "ISO 8601", "`Decimal` a string", "`0.00001`"):
        assert said in finding.message
