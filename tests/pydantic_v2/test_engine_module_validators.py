"""V1 validators made at module level (``x = validator(...)(fn)``, ``@validator`` on a
module function, ``root_validator(pre=True)(fn)``) are converted when faithful and otherwise
reported with the reason — none is skipped silently."""

from __future__ import annotations

import ast
from pathlib import Path

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

FIXTURE = Path(__file__).parent / "fixtures" / "module_validators.before.py"
HEAD = "from pydantic import BaseModel, validator, root_validator\n\n\n"


def test_every_v1_validator_call_of_the_module_gets_a_finding() -> None:
    source = FIXTURE.read_text()
    tree = ast.parse(source)
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("validator", "root_validator")
    ]
    lines = {f.start.line + 1 for f in find_findings(source) if f.code in ("PYD001", "PYD002")}
    assert {call.lineno for call in calls} <= lines


def test_a_module_pre_root_validator_becomes_a_before_model_validator_of_a_classmethod() -> None:
    source = HEAD.replace("validator, ", "") + (
        "def parse(cls, values):\n    return values\n\n\n"
        "parse_it = root_validator(pre=True, allow_reuse=True)(parse)\n\n\n"
        "class M(BaseModel):\n    x: int\n\n    _parse = parse_it\n"
    )
    migrated = migrate_source(source)
    assert 'parse_it = model_validator(mode="before")(classmethod(parse))\n' in migrated
    assert "from pydantic import BaseModel, model_validator\n" in migrated


def test_two_module_pre_validators_of_one_field_in_one_model_are_refused() -> None:
    source = HEAD + (
        "def a(cls, v):\n    return v\n\n\n"
        "first = validator('x', pre=True, allow_reuse=True)(a)\n"
        "second = validator('x', pre=True, allow_reuse=True)(a)\n\n\n"
        "class M(BaseModel):\n    x: int\n\n    _a = first\n    _b = second\n"
    )
    findings = [f for f in find_findings(source) if f.code == "PYD001"]
    assert [f.fixable for f in findings] == [False, False]
    assert all("reverse" in f.message for f in findings)
    assert migrate_source(source).count("validator('x', pre=True") == 2


def test_a_validator_placed_nowhere_still_converts_and_keeps_its_field_names() -> None:
    source = HEAD + "def a(v):\n    return v\n\n\nchecked = validator('x', 'y')(a)\n"
    assert "checked = field_validator('x', 'y')(a)\n" in migrate_source(source)


def test_a_validator_built_inside_a_call_is_reported_beside_bare_decorators() -> None:
    source = HEAD + (
        "class M(BaseModel):\n    x: int\n\n    @root_validator\n"
        "    def check(cls, values):\n        return values\n\n\n"
        "def strip(cls, v):\n    return v\n\n\n"
        "extra = {'s': validator('x')(strip)}\n"
    )
    [stray] = [f for f in find_findings(source) if f.key == "<validator>"]
    assert not stray.fixable and "outside a model body" in stray.message


def test_a_validator_imported_inside_a_function_is_reported() -> None:
    source = (
        "from pydantic import BaseModel\n\n\n"
        "def make():\n"
        "    from pydantic import validator as check\n\n"
        "    return check('x', allow_reuse=True)(lambda cls, v: v)\n"
    )
    findings = [f for f in find_findings(source) if f.code == "PYD001"]
    assert [f.start.line for f in findings] == [6]
    assert not findings[0].fixable


def test_the_conversion_never_writes_a_field_validator_another_import_shadows() -> None:
    source = (
        "from pydantic import validator\n"
        "from pydantic import field_validator\n"
        "from checks import field_validator\n\n\n"
        "def a(cls, v):\n    return v\n\n\n"
        "checked = validator('x')(a)\n"
    )
    findings = [f for f in find_findings(source) if f.code == "PYD001"]
    assert [f.fixable for f in findings] == [False]
    assert "imported from checks" in findings[0].message
    assert "validator('x')(a)" in migrate_source(source)
