"""Random probes over the synthetic benchmark corpus: migrated models decide like V1 models.

``bench.corpus`` generates modules holding every validator kind in all three import styles.
Each module runs as V1 (under ``pydantic.v1``) and migrated (under pydantic 2); every model gets
seeded random inputs built from its fields, and both must accept or reject alike, with the same
output and errors on the same fields. Models holding a validator with ``@classmethod`` above the
V1 decorator are skipped: V1 never ran that validator, and the finding says the V2 one runs.
"""

from __future__ import annotations

import random
import re
import sys
import types
import warnings
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.corpus import generate_module

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

CANDIDATES: dict[str, list[Any]] = {
    "name": [" ada  lovelace ", "   ", "x", None],
    "quantity": [3, "1,200", 0, "x"],
    "tags": [["A", "b"], [], ["x", None]],
    "start": [5, -1, "q"],
    "end": [2, 9],
    "email": ["A@B.C", "nope", None],
    "scores": [{"a": 1}, {}],
}
MODULES = 24
PROBES_PER_MODEL = 12


def _as_v1(source: str) -> str:
    source = re.sub(
        r"^from pydantic((?:\.\w+)*) import", r"from pydantic.v1\1 import", source, flags=re.M
    )
    source = re.sub(r"^import pydantic$", "import pydantic.v1 as pydantic", source, flags=re.M)
    return re.sub(r"^import pydantic as (\w+)$", r"import pydantic.v1 as \1", source, flags=re.M)


def _load(source: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    sys.modules[name] = module
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(source, name, "exec", dont_inherit=True), module.__dict__)
    return module


def _outcome_v1(model: Any, data: dict[str, Any]) -> tuple[str, Any]:
    from pydantic.v1 import ValidationError

    try:
        return "accepted", model(**data).dict()
    except ValidationError as error:
        return "rejected", sorted(
            tuple(e["loc"]) for e in error.errors() if e["loc"] != ("__root__",)
        )


def _outcome_v2(model: Any, data: dict[str, Any]) -> tuple[str, Any]:
    from pydantic import ValidationError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return "accepted", model(**data).model_dump()
    except ValidationError as error:
        return "rejected", sorted(tuple(e["loc"]) for e in error.errors() if e["loc"] != ())


@pytest.mark.parametrize("number", range(MODULES))
def test_corpus_module_behaves_the_same_after_migration(number: int) -> None:
    source = generate_module(random.Random(number), number).text
    migrated = migrate_source(source)
    dead_in_v1 = {
        f.key.split(".")[0] for f in find_findings(source) if "never registered" in f.message
    }
    v1 = _load(_as_v1(source), f"corpus_v1_{number}")
    v2 = _load(migrated, f"corpus_v2_{number}")
    rng = random.Random(1000 + number)
    models = [n for n, v in vars(v1).items() if isinstance(v, type) and hasattr(v, "__fields__")]
    probed = 0
    for name in models:
        if name == "BaseModel" or name in dead_in_v1:
            continue
        fields = list(getattr(v1, name).__fields__)
        for _ in range(PROBES_PER_MODEL):
            data = {k: rng.choice(CANDIDATES[k]) for k in fields if rng.random() < 0.8}
            before = _outcome_v1(getattr(v1, name), dict(data))
            after = _outcome_v2(getattr(v2, name), dict(data))
            assert before[0] == after[0], f"{name}({data}): V1 {before} vs V2 {after}"
            if before[0] == "accepted" or before[1] or after[1]:
                assert before[1] == after[1], f"{name}({data}): V1 {before} vs V2 {after}"
            probed += 1
    assert probed > 0
