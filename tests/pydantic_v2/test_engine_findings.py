"""Findings and per-key fixes: what the editor surfaces ask of the engine."""

from __future__ import annotations

import itertools

import pytest

from fastapi_architect.pydantic_v2 import (
    ROOT_VALIDATOR_CODE,
    VALIDATOR_CODE,
    find_findings,
    fix_edits,
    has_v1_markers,
    migrate_source,
)
from fastapi_architect.textedit import TextPosition, apply_edits

SOURCE = """\
from pydantic import BaseModel, root_validator, validator


class Order(BaseModel):
    qty: int = 1
    note: str = "é"

    @validator("qty", always=True)
    def positive(cls, v, values):
        return abs(v) if values else v

    @validator("note", pre=True)  # ünïcode before it: «»
    def strip(cls, v):
        return v.strip()

    @root_validator(pre=True)
    def fill(cls, values):
        return values

    @root_validator(skip_on_failure=True)
    def after(cls, values):
        values["qty"] = values["qty"] * 2
        return values
"""

KEYS = ["Order.positive", "Order.strip", "Order.fill", "Order.after"]


def test_each_validator_is_one_finding_with_code_key_and_title() -> None:
    findings = find_findings(SOURCE)
    assert [f.key for f in findings] == KEYS
    assert [f.code for f in findings] == [VALIDATOR_CODE] * 2 + [ROOT_VALIDATOR_CODE] * 2
    assert findings[0].title == "Convert @validator to @field_validator"
    assert findings[2].title == "Convert @root_validator to @model_validator"
    assert all(f.fixable for f in findings)


def test_finding_range_covers_the_decorator_in_code_points() -> None:
    strip = next(f for f in find_findings(SOURCE) if f.key == "Order.strip")
    assert strip.start == TextPosition(11, 4)
    assert strip.end == TextPosition(11, len('    @validator("note", pre=True)'))


def test_message_says_what_will_happen() -> None:
    messages = {f.key: f.message for f in find_findings(SOURCE)}
    assert 'mode="before"' in messages["Order.strip"]
    assert "validate_default=True" in messages["Order.positive"]
    assert "info: ValidationInfo" in messages["Order.positive"]
    assert "skip_on_failure" not in messages["Order.after"]


def test_post_root_validator_without_skip_on_failure_explains_the_difference() -> None:
    source = SOURCE.replace("@root_validator(skip_on_failure=True)", "@root_validator")
    after = next(f for f in find_findings(source) if f.key == "Order.after")
    assert after.fixable
    assert "V2 skips it" in after.message


@pytest.mark.parametrize("first,second", list(itertools.permutations(KEYS, 2)))
def test_fixing_two_keys_one_after_the_other_equals_fixing_both(first: str, second: str) -> None:
    step = apply_edits(SOURCE, fix_edits(SOURCE, [first]))
    assert first not in {f.key for f in find_findings(step)}
    step = apply_edits(step, fix_edits(step, [second]))
    together = apply_edits(SOURCE, fix_edits(SOURCE, [first, second]))
    assert step == together
    compile(step, "<fixed>", "exec")


def test_fixing_every_key_separately_equals_migrate_source() -> None:
    text = SOURCE
    for key in KEYS:
        text = apply_edits(text, fix_edits(text, [key]))
    assert text == migrate_source(SOURCE)
    assert text.count("from pydantic import") == 1
    pydantic_import = next(x for x in text.splitlines() if x.startswith("from pydantic"))
    assert pydantic_import == (
        "from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator"
    )


def test_keys_survive_fixes_elsewhere_in_the_file() -> None:
    fixed = apply_edits(SOURCE, fix_edits(SOURCE, ["Order.positive"]))
    assert [f.key for f in find_findings(fixed)] == KEYS[1:]


def test_unknown_key_gives_no_edits() -> None:
    assert fix_edits(SOURCE, ["Order.nothing"]) == []


def test_refused_validator_gets_no_edit_and_says_why() -> None:
    source = SOURCE.replace("def positive(cls, v, values):", "def positive(cls, v, config):")
    source = source.replace("abs(v) if values else v", "abs(v) if config.extra else v")
    positive = next(f for f in find_findings(source) if f.key == "Order.positive")
    assert not positive.fixable
    assert "config" in positive.message
    assert "Pydantic 2 rejects this V1 validator" in positive.message
    assert fix_edits(source, ["Order.positive"]) == []
    migrated = migrate_source(source)
    assert "def positive(cls, v, config):" in migrated
    assert "@validator(" in migrated  # still imported and still V1
    pydantic_import = next(x for x in migrated.splitlines() if x.startswith("from pydantic"))
    assert pydantic_import == (
        "from pydantic import BaseModel, field_validator, model_validator, validator"
    )


def test_syntax_error_is_raised_not_swallowed() -> None:
    with pytest.raises(SyntaxError):
        find_findings(SOURCE + "\n    def broken(:\n")
    with pytest.raises(SyntaxError):
        fix_edits(SOURCE + "\nclass (\n")


def test_sources_without_markers_are_skipped_cheaply() -> None:
    assert not has_v1_markers("from attrs import define\n")
    assert has_v1_markers("from pydantic import BaseModel\n")  # Config, Field, Optional, ...
    assert find_findings("from pydantic import BaseModel\n") == []
    assert has_v1_markers(SOURCE)
    assert find_findings("x = 1\n") == []
    assert migrate_source("x = 1\n") == "x = 1\n"


def test_validator_from_another_library_is_not_reported() -> None:
    source = (
        "from pydantic import BaseModel\nfrom attr import validator\n\n"
        "class M(BaseModel):\n    x: int\n\n"
        "    @validator('x')\n    def c(cls, v):\n        return v\n"
    )
    assert find_findings(source) == []


def test_shadowing_local_function_named_validator_is_not_pydantics() -> None:
    source = (
        "import pydantic\n\nclass M(pydantic.BaseModel):\n    x: int\n\n"
        "    @validator('x')\n    def c(cls, v):\n        return v\n"
    )
    assert find_findings(source) == []


def test_generic_model_and_settings_count_as_models() -> None:
    source = (
        "from typing import Generic, TypeVar\n"
        "from pydantic import BaseSettings, validator\n"
        "from pydantic.generics import GenericModel\n"
        "T = TypeVar('T')\n\n"
        "class S(BaseSettings):\n    x: int = 1\n\n    @validator('x')\n    def c(cls, v):\n"
        "        return v\n\n"
        "class G(GenericModel, Generic[T]):\n    y: T\n\n    @validator('y')\n    def d(cls, v):\n"
        "        return v\n"
    )
    validators = [f.key for f in find_findings(source) if f.code in ("PYD001", "PYD002")]
    assert validators == ["S.c", "G.d"]


def test_duplicate_method_names_get_distinct_keys() -> None:
    source = (
        "from pydantic import BaseModel, validator\n\nclass M(BaseModel):\n    x: int\n\n"
        "    @validator('x')\n    def c(cls, v):\n        return v\n\n"
        "    @validator('x')\n    def c(cls, v):\n        return v\n"
    )
    assert [f.key for f in find_findings(source)] == ["M.c", "M.c#2"]


def test_a_conversion_that_would_not_compile_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi_architect.pydantic_v2 import engine
    from fastapi_architect.pydantic_v2.plan import Plan
    from fastapi_architect.pydantic_v2.source import Replacement

    real = engine.field_validators.plan_field_validator

    def broken(*args: object, **kwargs: object) -> Plan:
        plan = real(*args, **kwargs)  # type: ignore[arg-type]
        if plan.fixable:
            plan.replacements.append(Replacement(0, 0, "def (:\n"))
        return plan

    monkeypatch.setattr(engine.field_validators, "plan_field_validator", broken)
    engine._load.cache_clear()
    source = SOURCE + "# a text no other test parses\n"
    assert fix_edits(source, ["Order.strip"]) == []
    migrated = migrate_source(source)
    engine._load.cache_clear()
    compile(migrated, "<migrated>", "exec")
    assert "@model_validator" in migrated  # the root validators still convert
    assert '@validator("note", pre=True)' in migrated


def test_classmethod_above_the_v1_decorator_is_moved_and_the_message_warns() -> None:
    source = (
        "from pydantic import BaseModel, validator\n\nclass M(BaseModel):\n    x: int\n\n"
        "    @classmethod\n    @validator('x')\n    def c(cls, v):\n        return v\n"
    )
    (finding,) = find_findings(source)
    assert finding.fixable
    assert "V1 never registered this validator" in finding.message
    migrated = migrate_source(source)
    assert "    @field_validator('x')\n    @classmethod\n    def c(cls, v):" in migrated
    assert migrated.count("@classmethod") == 1


def test_two_pre_validators_on_one_field_are_refused_with_the_order_reason() -> None:
    source = (
        "from pydantic import BaseModel, validator\n\nclass M(BaseModel):\n    x: str\n\n"
        "    @validator('x', pre=True)\n    def a(cls, v):\n        return v + 'a'\n\n"
        "    @validator('*', pre=True)\n    def b(cls, v):\n        return v + 'b'\n"
    )
    findings = find_findings(source)
    assert [f.fixable for f in findings] == [False, False]
    assert "reverse order" in findings[0].message
    assert migrate_source(source) == source


def test_skip_on_failure_and_missing_mode_never_reach_v2() -> None:
    source = (
        "from pydantic import BaseModel, root_validator\n\nclass M(BaseModel):\n    x: int\n\n"
        "    @root_validator(skip_on_failure=True)\n    def a(cls, values):\n"
        "        return values\n\n"
        "    @root_validator()\n    def b(cls, values):\n        return values\n"
    )
    migrated = migrate_source(source)
    assert "skip_on_failure" not in migrated
    assert migrated.count('@model_validator(mode="after")') == 2


def test_optional_fields_of_v2_code_stay_required() -> None:
    model = (
        "from typing import Optional\nfrom pydantic import BaseModel\n\n"
        "class M(BaseModel):\n    x: Optional[int]\n"
    )
    assert [f.code for f in find_findings(model)] == ["PYD012"]
    uses_v2_method = model + "\n\ndef dump(m: M) -> dict:\n    return m.model_dump()\n"
    assert find_findings(uses_v2_method) == []
    imports_v2_name = model.replace("BaseModel\n", "BaseModel, computed_field\n", 1)
    assert find_findings(imports_v2_name) == []


def test_optional_fields_of_classes_with_unknown_bases_are_left_alone() -> None:
    source = (
        "from typing import Optional\nfrom pydantic import BaseModel\nfrom app import Base\n\n"
        "class Remote(Base):\n    x: Optional[int]\n\n"
        "class Local(BaseModel):\n    y: Optional[int]\n"
    )
    assert [f.key for f in find_findings(source)] == ["Local.y:None"]


def test_config_of_a_class_with_an_unknown_base_converts_only_known_v1_settings() -> None:
    base = (
        "from pydantic import BaseModel\nfrom app import Base\n\n"
        "class Remote(Base):\n    x: int\n\n"
    )
    pydantic_like = base + "    class Config:\n        orm_mode = True\n"
    other_library = base + "    class Config:\n        table_name = 'remote'\n"
    assert [(f.code, f.fixable) for f in find_findings(pydantic_like)] == [("PYD010", True)]
    assert find_findings(other_library) == []


def test_same_file_base_of_an_imported_base_is_a_model_for_always_true() -> None:
    source = (
        "from pydantic import validator\nfrom app.models import ProjectBase\n\n"
        "class Mid(ProjectBase):\n    retries: int = 3\n\n"
        "class Leaf(Mid):\n    @validator('retries', always=True)\n"
        "    def at_least_one(cls, v):\n        return max(v, 1)\n"
    )
    (finding,) = find_findings(source)
    assert finding.fixable, finding.message
    assert "retries: int = Field(3, validate_default=True)" in migrate_source(source)


def test_none_str_named_in_a_string_annotation_is_reported_not_converted() -> None:
    source = (
        "from pydantic import BaseModel, NoneStr\n\n"
        "class M(BaseModel):\n    a: NoneStr = None\n    b: 'NoneStr' = None\n"
    )
    (finding,) = [f for f in find_findings(source) if f.code == "PYD013"]
    assert not finding.fixable
    assert "inside a string" in finding.message
    assert migrate_source(source) == source


def test_none_str_with_always_true_is_converted_not_refused() -> None:
    source = (
        "from pydantic import BaseModel, NoneStr, validator\n\n"
        "class M(BaseModel):\n    group_token: NoneStr = None\n\n"
        "    @validator('group_token', always=True)\n    def fill(cls, v):\n        return v\n"
    )
    validator_finding = next(f for f in find_findings(source) if f.code == "PYD001")
    assert validator_finding.fixable, validator_finding.message
    migrated = migrate_source(source)
    assert "group_token: Optional[str] = Field(None, validate_default=True)" in migrated
    assert "NoneStr" not in migrated


def test_none_str_read_through_the_pydantic_module_is_reported() -> None:
    source = (
        "import pydantic\nfrom pydantic import types\n\n"
        "class M(pydantic.BaseModel):\n    a: pydantic.NoneStr = None\n"
        "    b: pydantic.NoneStr = None\n    c: types.NoneBytes = None\n"
    )
    findings = [f for f in find_findings(source) if f.code == "PYD013"]
    assert [(f.start.line, f.fixable) for f in findings] == [(4, False), (6, False)]
    assert "`pydantic.NoneStr` does not exist in Pydantic V2 (2 uses): use `Optional[str]`" in (
        findings[0].message
    )
    assert "use `Optional[bytes]`" in findings[1].message


def test_a_parameter_named_pydantic_is_not_the_pydantic_module() -> None:
    source = (
        "import pydantic\n\nclass M(pydantic.BaseModel):\n    a: int\n\n\n"
        "def build(pydantic):\n    return pydantic.BaseSettings()\n"
    )
    assert [f for f in find_findings(source) if f.code == "PYD013"] == []
