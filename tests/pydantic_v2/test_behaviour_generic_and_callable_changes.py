"""The PYD034 / PYD035 fixes matter: the behaviour probes of ``plain_generics`` and
``callable_refs`` (which pass with every fix, see ``test_behaviour_models``) catch a difference
from V1 when the migration leaves that one fix out."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from test_behaviour_models import BEHAVIOUR, _as_v1, _load, _run_v1, _run_v2

from fastapi_architect.pydantic_v2 import find_findings, fix_edits
from fastapi_architect.textedit import apply_edits


def _migrated_without(source: str, code: str) -> str:
    keys = [f.key for f in find_findings(source) if f.fixable and f.code != code]
    return apply_edits(source, fix_edits(source, keys))


def _outcome(run: Any, module: Any, model: str, data: dict[str, Any]) -> tuple[str, Any]:
    try:
        result: tuple[str, Any] = run(module, model, dict(data))
        return result
    except Exception as error:  # the model cannot be used at all
        return "unusable", type(error).__name__


@pytest.mark.parametrize(
    ("module", "code"), [("plain_generics", "PYD034"), ("callable_refs", "PYD035")]
)
def test_probes_differ_from_v1_without_the_fix(module: str, code: str) -> None:
    source = (BEHAVIOUR / f"{module}.py").read_text(encoding="utf-8")
    assert any(f.code == code and f.fixable for f in find_findings(source))
    tag = uuid.uuid4().hex[:8]
    v1 = _load(_as_v1(source), f"generic_changes_v1_{module}_{tag}")
    v2 = _load(_migrated_without(source, code), f"generic_changes_v2_{module}_{tag}")
    probes: list[tuple[str, dict[str, Any]]] = v1.PROBES
    differing = [
        (model, data)
        for model, data in probes
        if _outcome(_run_v1, v1, model, data) != _outcome(_run_v2, v2, model, data)
    ]
    assert differing, "the probes must show what the fix restores"
