"""PYD018: V1's ``parse_obj_as`` / ``parse_raw_as`` / ``schema_of`` / ``schema_json_of``
calls become ``TypeAdapter`` calls; the V1 import goes once no use is left."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

HEAD = "from typing import List\n\n"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("parse_obj_as(List[int], raw)", "TypeAdapter(List[int]).validate_python(raw)"),
        ("parse_obj_as(type_=List[int], obj=raw)", "TypeAdapter(List[int]).validate_python(raw)"),
        ("parse_raw_as(List[int], raw)", "TypeAdapter(List[int]).validate_json(raw)"),
        ("schema_of(List[int])", "TypeAdapter(List[int]).json_schema()"),
        (
            "schema_of(List[int], title='Ids')",
            "{**TypeAdapter(List[int]).json_schema(), \"title\": 'Ids'}",
        ),
        (
            "schema_json_of(List[int], indent=2)",
            "json.dumps(TypeAdapter(List[int]).json_schema(), indent=2)",
        ),
    ],
)
def test_each_helper_becomes_its_type_adapter_call(call: str, expected: str) -> None:
    helper = call.split("(")[0]
    source = HEAD + f"from pydantic import {helper}\n\n\ndef f(raw):\n    return {call}\n"
    migrated = migrate_source(source)
    assert f"    return {expected}\n" in migrated
    assert "from pydantic import TypeAdapter\n" in migrated
    assert helper not in migrated.replace("TypeAdapter", "")
    assert ("import json\n" in migrated) is expected.startswith("json.")


def test_module_spelling_keeps_the_module_prefix() -> None:
    source = HEAD + "import pydantic\n\n\ndef f(raw):\n    return pydantic.parse_obj_as(int, raw)\n"
    migrated = migrate_source(source)
    assert "return pydantic.TypeAdapter(int).validate_python(raw)\n" in migrated
    assert "from pydantic import" not in migrated


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        ("parse_obj_as(int, raw, type_name='X')", "`type_name`"),
        ("parse_raw_as(int, raw, proto='json')", "`proto`"),
        ("parse_obj_as(*args)", "unpacked"),
        ("schema_of(int, schema_generator=Gen)", "schema generators"),
    ],
)
def test_arguments_v2_has_no_place_for_are_reported(call: str, reason: str) -> None:
    helper = call.split("(")[0]
    source = f"from pydantic import {helper}\n\n\ndef f(raw, args, Gen):\n    return {call}\n"
    [finding] = [f for f in find_findings(source) if f.code == "PYD018"]
    assert not finding.fixable and reason in finding.message
    assert migrate_source(source) == source


def test_a_type_adapter_of_another_library_blocks_the_conversion() -> None:
    source = (
        "from pydantic import parse_obj_as\nfrom mylib import TypeAdapter\n\n\n"
        "def f(raw):\n    return parse_obj_as(int, raw)\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD018"]
    assert not finding.fixable and "imported from mylib" in finding.message


def test_a_same_named_function_of_another_library_is_not_touched() -> None:
    source = "import pydantic\nfrom mylib import parse_obj_as\n\n\nx = parse_obj_as(int, 1)\n"
    assert [f for f in find_findings(source) if f.code == "PYD018"] == []


def test_a_helper_imported_inside_the_function_is_reported_and_left_as_it_is() -> None:
    source = (
        "from pydantic import BaseModel\n\n\n"
        "def load(data):\n"
        "    from pydantic import parse_obj_as\n\n"
        "    return parse_obj_as(list[int], data)\n\n\n"
        "def load_through_module(data):\n"
        "    import pydantic as pd\n\n"
        "    return pd.parse_obj_as(list[int], data)\n"
    )
    migrated = migrate_source(source)
    assert "    from pydantic import parse_obj_as\n\n    return parse_obj_as(" in migrated
    assert "    return pd.TypeAdapter(list[int]).validate_python(data)\n" in migrated
    [local] = [f for f in find_findings(source) if f.key == "load:parse_obj_as"]
    assert not local.fixable
    assert "imported inside the function" in local.message
    assert "move that import to the top of the module" in local.message


def test_a_module_whose_only_pydantic_import_is_inside_a_function_is_still_checked() -> None:
    source = (
        "def load(data):\n"
        "    from pydantic import parse_obj_as\n\n"
        "    return parse_obj_as(list[int], data)\n\n\n"
        "def load_v1(data):\n"
        "    from pydantic.v1 import parse_obj_as\n\n"
        "    return parse_obj_as(list[int], data)\n"
    )
    assert [(f.key, f.fixable) for f in find_findings(source)] == [("load:parse_obj_as", False)]
    assert migrate_source(source) == source
