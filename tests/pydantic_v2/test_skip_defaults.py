"""``.dict(skip_defaults=...)`` / ``.json(skip_defaults=...)`` on a known model: V1 warned and
read it as ``exclude_unset=``; V2's ``.dict()`` raises ``TypeError`` on it, so ``migrate``
writes ``.model_dump(exclude_unset=...)`` (found on Netflix Dispatch: 55 update services)."""

from __future__ import annotations

import json
import warnings

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = """\
from typing import Optional

from pydantic import BaseModel


class PatchIn(BaseModel):
    name: str = "unnamed"
    owner: Optional[str] = None
    size: int = 0


def changes(patch: PatchIn) -> dict:
    return patch.dict(skip_defaults=True)


def changes_without_id(patch: PatchIn) -> dict:
    return patch.dict(
        skip_defaults=True,
        exclude={"size"},
    )


def everything(patch: PatchIn) -> dict:
    return patch.dict(skip_defaults=False)


def changes_text(patch: PatchIn) -> str:
    return patch.json(skip_defaults=True)
"""

PROBES = [{}, {"name": "x"}, {"owner": None, "size": 3}, {"name": "y", "owner": "o", "size": 1}]


def test_skip_defaults_becomes_exclude_unset_on_model_dump() -> None:
    migrated = migrate_source(SOURCE)
    assert "return patch.model_dump(exclude_unset=True)" in migrated
    assert "patch.model_dump(\n        exclude_unset=True,\n        exclude={" in migrated
    assert "return patch.model_dump(exclude_unset=False)" in migrated
    assert "return patch.model_dump_json(exclude_unset=True)" in migrated
    assert "skip_defaults" not in migrated
    assert [f.code for f in find_findings(migrated)] == []
    assert migrate_source(migrated) == migrated


@pytest.mark.parametrize("function", ["changes", "changes_without_id", "everything"])
@pytest.mark.parametrize("data", PROBES, ids=[json.dumps(p) for p in PROBES])
def test_migrated_dumps_return_what_v1_returned(function: str, data: dict[str, object]) -> None:
    v1 = _load(_as_v1(SOURCE), "skip_defaults_v1")
    v2 = _load(migrate_source(SOURCE), "skip_defaults_v2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # V1's own skip_defaults warning
        expected = getattr(v1, function)(v1.PatchIn(**data))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing deprecated is left in the migrated call
        assert getattr(v2, function)(v2.PatchIn(**data)) == expected


@pytest.mark.parametrize("data", PROBES, ids=[json.dumps(p) for p in PROBES])
def test_migrated_json_has_the_same_value_as_v1(data: dict[str, object]) -> None:
    v1 = _load(_as_v1(SOURCE), "skip_defaults_json_v1")
    v2 = _load(migrate_source(SOURCE), "skip_defaults_json_v2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        expected = json.loads(v1.changes_text(v1.PatchIn(**data)))
    assert json.loads(v2.changes_text(v2.PatchIn(**data))) == expected


def test_unconverted_source_fails_under_v2_as_dispatch_did() -> None:
    original = _load(SOURCE, "skip_defaults_original")
    with pytest.raises(TypeError, match="skip_defaults"), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        original.changes(original.PatchIn())


@pytest.mark.parametrize(
    "call",
    ["patch.dict(skip_defaults=True, exclude_unset=False)", "patch.dict(skip_defaults=True, **o)"],
)
def test_skip_defaults_with_another_unset_choice_is_reported(call: str) -> None:
    source = SOURCE + f"\n\ndef other(patch: PatchIn, o: dict) -> dict:\n    return {call}\n"
    [finding] = [f for f in find_findings(source) if f.key.startswith("other:")]
    assert not finding.fixable
    assert call in migrate_source(source)
