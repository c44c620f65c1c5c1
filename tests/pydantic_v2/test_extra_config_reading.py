"""Whether a model keeps extra fields is read from its ``extra`` setting, not from any mention of
"allow" in its config: a docstring saying "we allow extra fields" over ``extra = Extra.ignore``
(ethyca Fides' ``SaaSSchema``) or ``allow_population_by_field_name`` next to ``Extra.forbid``
refused the ``@root_validator`` conversion on the first ``migrate`` and converted it on the
second, once the docstring had become a comment."""

from __future__ import annotations

import functools
import warnings
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source


def _source(config: str) -> str:
    return f"""\
from typing import Optional

from pydantic import BaseModel, Extra, root_validator


class Secrets(BaseModel):
    token: Optional[str] = None
    key: Optional[str] = None

    @root_validator
    def one_of(cls, values):
        if not any(values.get(name) for name in ("token", "key")):
            raise ValueError("token or key")
        return values

{config}"""


VISIBLY_NOT_ALLOWING = {
    "docstring-mentions-allow": (
        '    class Config:\n        """We allow extra secrets (they are dropped)."""\n\n'
        "        extra = Extra.ignore\n"
    ),
    "allow-population-next-to-forbid": (
        "    class Config:\n        extra = Extra.forbid\n"
        "        allow_population_by_field_name = True\n"
    ),
    "string-ignore": '    class Config:\n        extra = "ignore"\n',
}
ALLOWING_OR_UNKNOWN = {
    "extra-allow": "    class Config:\n        extra = Extra.allow\n",
    "computed": "    class Config:\n        extra = EXTRA_MODE\n",
    "inherited-config": "    class Config(Shared.Config):\n        pass\n",
    "conditional": "    class Config:\n        if LOOSE:\n            extra = Extra.allow\n",
}


def _validator_finding(source: str) -> Any:
    [finding] = [f for f in find_findings(source) if f.code == "PYD002"]
    return finding


@pytest.mark.parametrize("name", VISIBLY_NOT_ALLOWING)
def test_root_validator_converts_in_one_pass_when_extra_is_not_allowed(name: str) -> None:
    source = _source(VISIBLY_NOT_ALLOWING[name])
    assert _validator_finding(source).fixable
    migrated = migrate_source(source)
    assert "@model_validator" in migrated
    assert migrate_source(migrated) == migrated


@pytest.mark.parametrize("name", ALLOWING_OR_UNKNOWN)
def test_root_validator_is_refused_while_extras_may_reach_values(name: str) -> None:
    source = _source(ALLOWING_OR_UNKNOWN[name])
    finding = _validator_finding(source)
    assert not finding.fixable
    assert "extra fields" in finding.message


@functools.cache
def _modules(name: str) -> tuple[Any, Any]:
    """The original under ``pydantic.v1`` and the migrated module, loaded once (V1 refuses a
    validator function defined twice under one module name)."""
    source = _source(VISIBLY_NOT_ALLOWING[name])
    v1 = _load(_as_v1(source) + "from pydantic.v1 import ValidationError\n", f"extra_v1_{name}")
    v2 = _load(
        migrate_source(source) + "from pydantic import ValidationError\n", f"extra_v2_{name}"
    )
    return v1, v2


@pytest.mark.parametrize("name", VISIBLY_NOT_ALLOWING)
@pytest.mark.parametrize(
    "data", [{}, {"token": "t"}, {"key": "k"}, {"other": "x"}, {"token": "t", "other": "x"}]
)
def test_converted_validator_accepts_and_rejects_like_v1(name: str, data: dict[str, str]) -> None:
    outcomes: list[tuple[str, Any]] = []
    for module in _modules(name):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                outcomes.append(("ok", dict(module.Secrets(**data))))
        except module.ValidationError as error:
            # V1 placed a root validator's error at ``("__root__",)``, V2 at ``()``.
            locs = [() if e["loc"] == ("__root__",) else tuple(e["loc"]) for e in error.errors()]
            outcomes.append(("rejected", sorted(locs)))
    (v1_kind, v1_found), (v2_kind, v2_found) = outcomes
    assert v2_kind == v1_kind
    if v1_kind == "ok" or v1_found == [()]:
        assert v2_found == v1_found
    else:  # V1 also ran the root validator after a field error; V2 skips it (the finding says)
        assert v2_found == [loc for loc in v1_found if loc != ()]
