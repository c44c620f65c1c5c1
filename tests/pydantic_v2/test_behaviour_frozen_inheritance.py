"""A subclass's `allow_mutation = True` / `frozen = False` keeps V1's mutability after the
migration: V1 resolved each key through the bases and refused assignment when `not
allow_mutation or frozen`; V2 merges one `frozen` through the bases' `model_config`.

The V1 module ``fixtures/behaviour/frozen_inheritance.py`` runs under ``pydantic.v1``, its
migration under pydantic 2: the same assignments are allowed or refused, and every instance V1
could hash (V1 `frozen = True`) hashes in V2 too, equal for equal data.
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "frozen_inheritance.py").read_text()

CLASSES = {
    # class: (field to assign, whether V1 allows the assignment)
    "TelegramObject": ("a", False),
    "MutableTelegramObject": ("a", True),
    "BotCommand": ("command", True),
    "LockedAgain": ("a", False),
    "Hashable": ("a", False),
    "StillFrozen": ("a", False),
    "Thawed": ("a", True),
    "Relaxed": ("a", False),
    "Middle": ("name", False),
    "Leaf": ("name", True),
    "UnderLeaf": ("name", True),
    "Alone": ("a", True),
    "Box": ("a", False),
    "OpenBox": ("a", True),
}


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "behaviour_frozen_inheritance_v1"),
        _load(migrate_source(SOURCE), "behaviour_frozen_inheritance_v2"),
    )


def _assigned(instance: object, name: str, value: object) -> bool:
    """True when ``instance.name = value`` is accepted (and then sticks)."""
    from pydantic import ValidationError

    try:
        setattr(instance, name, value)
    except (TypeError, ValidationError):
        return False
    assert getattr(instance, name) == value
    return True


def test_the_migration_converts_every_config_of_the_module() -> None:
    migrated = migrate_source(SOURCE)
    assert "class Config" not in migrated and "allow_mutation" not in migrated


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_assignment_is_allowed_or_refused_as_in_v1(
    modules: tuple[types.ModuleType, types.ModuleType], name: str
) -> None:
    v1, v2 = modules
    field, allowed = CLASSES[name]
    value: object = 5 if field == "a" else "changed"
    before = _assigned(getattr(v1, name)(), field, value)
    after = _assigned(getattr(v2, name)(), field, value)
    assert before is allowed, f"the V1 probe of {name} is wrong"
    assert after is before, f"{name}: V1 {'allows' if before else 'refuses'} assignment"


def test_mutable_telegram_object_subclass_accepts_assignment_like_v1(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    old, new = v1.BotCommand(command="start"), v2.BotCommand(command="start")
    old.command = new.command = "x"
    assert old.command == new.command == "x"
    assert old.dict() == new.model_dump() == {"a": 0, "command": "x"}


@pytest.mark.parametrize("name", ["Hashable", "StillFrozen", "Thawed"])
def test_models_v1_could_hash_hash_alike_after_migration(
    modules: tuple[types.ModuleType, types.ModuleType], name: str
) -> None:
    v1, v2 = modules
    old, new = getattr(v1, name), getattr(v2, name)
    assert hash(old(a=1)) == hash(old(a=1))  # V1's `frozen = True` (inherited) hashes
    assert hash(new(a=1)) == hash(new(a=1))
    assert new(a=1) == new(a=1) and new(a=1) != new(a=2)
