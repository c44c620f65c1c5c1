"""The V2 behaviour fixes matter: the behaviour probes of ``union_modes`` and ``str_coercion``
(which pass with every fix, see ``test_behaviour_models``) catch a difference from V1 when the
migration leaves out PYD030 / PYD031 — so the probes prove what those fixes restore."""

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


@pytest.mark.parametrize(
    ("module", "code"), [("union_modes", "PYD030"), ("str_coercion", "PYD031")]
)
def test_probes_differ_from_v1_without_the_behaviour_fix(module: str, code: str) -> None:
    source = (BEHAVIOUR / f"{module}.py").read_text(encoding="utf-8")
    assert any(f.code == code and f.fixable for f in find_findings(source))
    tag = uuid.uuid4().hex[:8]
    v1 = _load(_as_v1(source), f"changes_v1_{module}_{tag}")
    v2 = _load(_migrated_without(source, code), f"changes_v2_{module}_{tag}")
    probes: list[tuple[str, dict[str, Any]]] = v1.PROBES
    differing = [
        (model, data)
        for model, data in probes
        if _run_v1(v1, model, dict(data)) != _run_v2(v2, model, dict(data))
    ]
    assert differing, "the probes must show what the fix restores"
