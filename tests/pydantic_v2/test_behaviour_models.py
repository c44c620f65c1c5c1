"""Behaviour is kept: V1 models under ``pydantic.v1`` vs their migrated source under pydantic 2.

Each module in ``fixtures/behaviour`` is V1 code (imports spelled ``pydantic``) with ``PROBES``:
``(model name, input)`` pairs. The original runs with its imports pointed at ``pydantic.v1``
(shipped inside pydantic 2); the migrated text runs on pydantic 2 itself. Every probe must be
accepted or rejected by both, with the same output data, and errors on the same fields.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import types
import warnings
from pathlib import Path
from typing import Any

import pytest

from fastapi_architect.imports import ImportStyle
from fastapi_architect.pydantic_v2 import find_findings, migrate_source

BEHAVIOUR = Path(__file__).parent / "fixtures" / "behaviour"
MODULES = sorted(BEHAVIOUR.glob("*.py"))


def _as_v1(source: str) -> str:
    """Point the module's pydantic imports at the V1 API that ships inside pydantic 2."""
    source = re.sub(
        r"^from pydantic((?:\.\w+)*) import",
        r"from pydantic.v1\1 import",
        source,
        flags=re.M,
    )
    source = re.sub(r"^import pydantic$", "import pydantic.v1 as pydantic", source, flags=re.M)
    return re.sub(r"^import pydantic as (\w+)$", r"import pydantic.v1 as \1", source, flags=re.M)


def _load(source: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    sys.modules[name] = module
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(source, f"<{name}>", "exec", dont_inherit=True), module.__dict__)
    return module


def _run_v1(module: types.ModuleType, model: str, data: dict[str, Any]) -> tuple[str, Any]:
    from pydantic.v1 import ValidationError

    try:
        instance = getattr(module, model)(**data)
    except ValidationError as error:
        locs = sorted(tuple(e["loc"]) if e["loc"] != ("__root__",) else () for e in error.errors())
        return "rejected", locs
    if dataclasses.is_dataclass(instance):
        return "accepted", dataclasses.asdict(instance)
    return "accepted", instance.dict()


def _run_v2(module: types.ModuleType, model: str, data: dict[str, Any]) -> tuple[str, Any]:
    from pydantic import ValidationError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            instance = getattr(module, model)(**data)
    except ValidationError as error:
        return "rejected", sorted(tuple(e["loc"]) for e in error.errors())
    if dataclasses.is_dataclass(instance):
        return "accepted", dataclasses.asdict(instance)
    return "accepted", instance.model_dump()


def _field_errors(locs: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [loc for loc in locs if loc != ()]


@pytest.mark.parametrize(
    "target", [None, (3, 10)], ids=["python-unknown", "python-3.10-writes-x-or-none"]
)
@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_migrated_models_accept_reject_and_output_like_v1(
    path: Path, target: tuple[int, int] | None
) -> None:
    source = path.read_text()
    migrated = migrate_source(source, ImportStyle(target_version=target))
    leftover = [f for f in find_findings(migrated)]
    assert leftover == [], f"not converted: {[(f.key, f.message) for f in leftover]}"
    tag = path.stem if target is None else f"{path.stem}_py3{target[1]}"
    v1 = _load(_as_v1(source), f"behaviour_v1_{tag}")  # V1 refuses a validator loaded twice
    v2 = _load(migrated, f"behaviour_v2_{tag}")
    probes: list[tuple[str, dict[str, Any]]] = v1.PROBES
    assert probes, "a behaviour module needs probes"
    for model, data in probes:
        before = _run_v1(v1, model, dict(data))
        after = _run_v2(v2, model, dict(data))
        assert before[0] == after[0], f"{model}({data}): V1 {before} vs V2 {after}"
        if before[0] == "accepted":
            assert before[1] == after[1], f"{model}({data}): V1 {before} vs V2 {after}"
        elif _field_errors(before[1]):
            # V1 post root validators also ran after field errors; V2 reports the field errors.
            assert _field_errors(before[1]) == _field_errors(after[1]), f"{model}({data})"
        else:
            assert before[1] == after[1], f"{model}({data}): V1 {before} vs V2 {after}"
