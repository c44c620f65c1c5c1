"""Half-migrated modules: V2 method calls beside V1 constructs do not hide the Optional
defaults (PYD012); ``NoneStr`` from ``pydantic.types`` counts as Optional; a refusal never
asks to wrap an alias that may already be Optional in ``Optional[...]``."""

from __future__ import annotations

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

MODEL = (
    "from typing import Optional\nfrom pydantic import BaseModel\n\n"
    "class M(BaseModel):\n    x: Optional[int]\n"
)
DUMP = "\n\ndef dump(m: M) -> dict:\n    return m.model_dump()\n"


def _codes(source: str) -> list[str]:
    return [f.code for f in find_findings(source)]


def test_a_v2_method_call_beside_a_v1_config_keeps_optional_defaults_reported() -> None:
    half = MODEL + "\n    class Config:\n        orm_mode = True\n" + DUMP
    assert "PYD012" in _codes(half)
    assert "    x: Optional[int] = None\n" in migrate_source(half)


def test_a_v2_method_call_beside_v1_method_calls_keeps_optional_defaults_reported() -> None:
    half = MODEL + DUMP + "\n\ndef load(raw) -> M:\n    return M.parse_obj(raw)\n"
    assert _codes(half).count("PYD012") == 1


def test_a_v2_method_call_beside_a_v1_validator_import_keeps_optional_defaults() -> None:
    half = MODEL.replace("BaseModel\n", "BaseModel, validator\n") + DUMP
    half += "\n\nclass N(BaseModel):\n    y: int\n\n    @validator('y')\n"
    half += "    def check(cls, v):\n        return v\n"
    assert "PYD012" in _codes(half)


def test_a_module_that_is_v2_everywhere_keeps_its_required_optional_fields() -> None:
    assert _codes(MODEL + DUMP) == []


def test_what_the_migration_writes_does_not_hide_optional_defaults() -> None:
    written = MODEL.replace("BaseModel\n", "BaseModel, ConfigDict\n") + (
        "    model_config = ConfigDict(from_attributes=True)\n"
    )
    assert _codes(written) == ["PYD012"]


def test_none_str_from_pydantic_types_is_optional_for_always_validators() -> None:
    source = (
        "from pydantic import BaseModel, validator\nfrom pydantic.types import NoneStr\n\n"
        "class A(BaseModel):\n    group_token: NoneStr = None\n\n"
        "    @validator('group_token', always=True)\n    def check(cls, v):\n        return v\n"
    )
    findings = {f.code: f for f in find_findings(source)}
    assert findings["PYD001"].fixable
    assert "Optional[NoneStr]" not in findings["PYD001"].message
    migrated = migrate_source(source)
    assert "group_token: Optional[str] = Field(None, validate_default=True)" in migrated


def test_an_alias_from_elsewhere_is_refused_without_asking_to_wrap_it_in_optional() -> None:
    source = (
        "from pydantic import BaseModel, validator\nfrom app.types import NoneStr\n\n"
        "class A(BaseModel):\n    group_token: NoneStr = None\n\n"
        "    @validator('group_token', always=True)\n    def check(cls, v):\n        return v\n"
    )
    [finding] = find_findings(source)
    assert not finding.fixable
    assert "cannot see whether `NoneStr` includes None" in finding.message
    assert "spell the type out here" in finding.message
