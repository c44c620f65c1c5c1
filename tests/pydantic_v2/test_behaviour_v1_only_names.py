"""``ModelField`` named only in annotations and ``ConstrainedStr`` / ``ConstrainedInt`` /
``ConstrainedFloat`` subclasses (PYD013): ``fixtures/behaviour/v1_only_names.py`` under
``pydantic.v1`` (original) and migrated under pydantic 2 accept the same inputs, give the same
data and reject at the same locations (the V1 custom type taking ``field`` stays reported: see
``test_engine_v1_only_names``)."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "v1_only_names.py").read_text()


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return _load(_as_v1(SOURCE), "behaviour_v1_only_v1"), _load(
        migrate_source(SOURCE), "behaviour_v1_only_v2"
    )


def _outcome(model: Any, data: dict[str, Any]) -> tuple[str, Any]:
    from pydantic import ValidationError as V2Error
    from pydantic.v1 import ValidationError as V1Error

    try:
        made = model(**data)
    except V2Error as error:
        return "rejected", sorted(e["loc"] for e in error.errors())
    except V1Error as error:
        return "rejected", sorted(e["loc"] for e in error.errors())
    dump = made.model_dump() if hasattr(made, "model_dump") else made.dict()
    return "accepted", dump


def test_constrained_subclasses_accept_and_reject_the_same(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    outcomes = [_outcome(v1.Item, data) for _, data in v1.PROBES]
    assert outcomes == [_outcome(v2.Item, data) for _, data in v1.PROBES]
    assert {verdict for verdict, _ in outcomes} == {"accepted", "rejected"}


def test_calling_the_type_builds_an_equal_unvalidated_string(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    too_long = "  much longer than eight  "
    assert v1.default_label(too_long) == v2.default_label(too_long) == too_long.strip()


def test_model_field_annotation_names_v1_class_and_nothing_is_left(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    from pydantic.v1.fields import ModelField

    _, v2 = modules
    assert typing.get_type_hints(v2.describe)["field"] == ModelField | None
    assert v2.describe(1) == "?=1"
    migrated = migrate_source(SOURCE)
    assert "from pydantic.v1.fields import ModelField\n" in migrated
    assert "import" not in "".join(line for line in migrated.splitlines() if "Constrained" in line)
    assert find_findings(migrated) == []
