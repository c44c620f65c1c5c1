"""PYD023: ``pydantic.schema``'s ``schema`` / ``model_schema`` / ``normalize_name`` /
``default_ref_template`` become their ``pydantic.json_schema`` counterparts with V1's result
shape; PYD013 moves the standard-library names V1's ``pydantic.schema`` re-exported and
reports the rest with what to use instead."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source
from fastapi_architect.textedit import apply_edits

RESHAPE = '{{"definitions" if key == "$defs" else key: value for key, value in {}.items()}}'


def _reshaped(call: str) -> str:
    return RESHAPE.format(call)


def _codes(source: str, code: str) -> list[tuple[str, bool, str]]:
    return [(f.key, f.fixable, f.message) for f in find_findings(source) if f.code == code]


def test_openapi_components_keep_v1_shape_and_the_module_prefix() -> None:
    source = (
        "from pydantic.schema import schema\n\n"
        'ref_prefix = "#/components/schemas/"\n\n\n'
        "def build(classes, by_alias=True):\n"
        "    return schema(classes, by_alias=by_alias, ref_prefix=ref_prefix)\n"
    )
    migrated = migrate_source(source)
    made = (
        'models_json_schema([(model, "validation") for model in classes], '
        'by_alias=by_alias, ref_template=ref_prefix + "{model}")[1]'
    )
    assert f"    return {_reshaped(made)}\n" in migrated
    assert migrated.startswith("from pydantic.json_schema import models_json_schema\n")
    assert "pydantic.schema" not in migrated
    assert migrate_source(migrated) == migrated
    [(key, fixable, message)] = _codes(source, "PYD023")
    assert (key, fixable) == ("build:schema", True)
    assert "`#/components/schemas/<name>`" in message and "`anyOf`" in message


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            "schema([A, B])",
            'models_json_schema([(A, "validation"), (B, "validation")], '
            'ref_template="#/definitions/{model}")[1]',
        ),
        (
            "schema((A,), title='T', description=d, ref_prefix=None)",
            "models_json_schema([(A, \"validation\")], title='T', description=d, "
            'ref_template="#/definitions/{model}")[1]',
        ),
        (
            "schema([A], ref_prefix='#/x{y}/')",
            'models_json_schema([(A, "validation")], ref_template="#/x{{y}}/{model}")[1]',
        ),
        (
            "schema([A], ref_prefix='', ref_template='/s/{model}.json')",
            "models_json_schema([(A, \"validation\")], ref_template='/s/{model}.json')[1]",
        ),
        (
            "schema([A], ref_prefix='#/c/', ref_template=default_ref_template)",
            'models_json_schema([(A, "validation")], ref_template="#/c/{model}")[1]',
        ),
        (
            "schema(m for m in ms)",
            'models_json_schema([(model, "validation") for model in (m for m in ms)], '
            'ref_template="#/definitions/{model}")[1]',
        ),
        (
            "model_schema(A)",
            'model_json_schema(A, ref_template="#/definitions/{model}")',
        ),
        (
            "model_schema(A, False, None, default_ref_template)",
            'model_json_schema(A, by_alias=False, ref_template="#/definitions/{model}")',
        ),
        (
            "model_schema(a or b, ref_template='/s/{model}')",
            "model_json_schema((a or b), ref_template='/s/{model}')",
        ),
    ],
)
def test_each_call_becomes_its_json_schema_call_with_v1_shape(call: str, expected: str) -> None:
    source = (
        "from pydantic.schema import default_ref_template, model_schema, schema\n\n\n"
        f"def f(A, B, a, b, d, ms):\n    return {call}\n"
    )
    migrated = migrate_source(source)
    assert f"    return {_reshaped(expected)}\n" in migrated
    assert "pydantic.schema" not in migrated
    compile(migrated, "m.py", "exec")


def test_normalize_name_becomes_the_re_sub_v1_ran() -> None:
    source = "from pydantic.schema import normalize_name\n\nkey = normalize_name(model.__name__)\n"
    migrated = migrate_source(source)
    assert migrated == ('import re\n\nkey = re.sub(r"[^a-zA-Z0-9.\\-_]", "_", model.__name__)\n')


def test_the_v1_constants_become_their_values() -> None:
    source = (
        "from pydantic.schema import default_prefix, default_ref_template\n\n"
        "TEMPLATE = default_ref_template\nPREFIX = default_prefix\n"
    )
    assert migrate_source(source) == (
        'TEMPLATE = "#/definitions/{model}"\nPREFIX = "#/definitions/"\n'
    )


def test_module_spelling_is_converted_and_keeps_import_pydantic() -> None:
    source = (
        "import pydantic\n\n\n"
        "def f(cls):\n    return pydantic.schema.model_schema(cls, by_alias=False)\n"
    )
    migrated = migrate_source(source)
    made = 'model_json_schema(cls, by_alias=False, ref_template="#/definitions/{model}")'
    assert f"    return {_reshaped(made)}\n" in migrated
    assert "from pydantic.json_schema import model_json_schema\n" in migrated


def test_a_local_spelled_like_the_import_is_left_and_the_import_goes() -> None:
    source = (
        "from pydantic.schema import schema\n\n\n"
        "def test_schema(Schema):\n"
        "    schema = Schema.parse_obj({})\n"
        "    return schema.allOf\n\n\n"
        "def test_issue(M):\n"
        "    return schema([M])\n"
    )
    migrated = migrate_source(source)
    assert "    schema = Schema.parse_obj({})\n    return schema.allOf\n" in migrated
    assert "from pydantic.schema" not in migrated
    assert [key for key, _, _ in _codes(source, "PYD023")] == ["test_issue:schema"]


def test_fixing_one_call_keeps_the_import_another_call_needs() -> None:
    source = (
        "from pydantic.schema import schema\n\n\n"
        "def a(M):\n    schema = 1\n    return schema\n\n\n"
        "def b(M):\n    return schema([M])\n\n\n"
        "def c(M):\n    return schema([M])\n"
    )
    first = apply_edits(source, fix_edits(source, ["b:schema"]))
    assert "from pydantic.schema import schema\n" in first
    assert "    return schema([M])\n" in first.split("def c")[1]
    both = apply_edits(source, fix_edits(source, ["b:schema", "c:schema"]))
    assert "from pydantic.schema" not in both


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("schema([M], ref_prefix=PREFIX)", "`ref_prefix=PREFIX` is not a string this module"),
        ("schema([M], ref_prefix=p)", "pass `ref_template=` with the prefix"),
        ("schema(*ms)", "unpacked"),
        ("schema([M], indent=2)", "no `indent=` argument"),
        ("model_schema(M, True, None, '#/{model}', 1)", "4 positional argument(s) at most"),
        ("schema()", "the `models` argument is missing"),
    ],
)
def test_calls_that_cannot_be_mapped_are_reported_and_left(body: str, reason: str) -> None:
    source = (
        "from pydantic.schema import model_schema, schema\n"
        "from app.constants import PREFIX\n\n\n"
        f"def f(M, ms, p):\n    return {body}\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD023" and f.key.startswith("f:")]
    assert not finding.fixable and reason in finding.message
    assert "from pydantic.schema import" in migrate_source(source)


def test_a_function_passed_as_a_value_is_reported_and_its_import_stays() -> None:
    source = "from pydantic.schema import schema\n\nmakers = {'schema': schema}\n"
    [(key, fixable, message)] = _codes(source, "PYD023")
    assert key == "<module>:schema" and not fixable and "without being called" in message
    assert migrate_source(source) == source


def test_an_unused_import_of_a_converted_name_goes() -> None:
    source = "from pydantic.schema import model_schema, schema\n\nx = schema([A])\n"
    migrated = migrate_source(source)
    assert "model_schema" not in migrated and "pydantic.schema" not in migrated


def test_a_name_bound_again_in_the_module_is_reported_not_converted() -> None:
    source = (
        "from pydantic.schema import schema\n\n"
        "def f(M):\n    return schema([M])\n\n\n"
        "schema = None\n"
    )
    [(key, fixable, message)] = _codes(source, "PYD023")
    assert key == "import:pydantic.schema.schema" and not fixable
    assert "bound again" in message
    assert migrate_source(source) == source


def test_a_json_schema_name_taken_by_the_module_blocks_the_conversion() -> None:
    source = (
        "from pydantic.schema import schema\nfrom mylib import models_json_schema\n\n"
        "x = schema([A])\n"
    )
    [(_, fixable, message)] = _codes(source, "PYD023")
    assert not fixable and "imported from mylib" in message


def test_reexported_standard_names_come_from_their_own_modules() -> None:
    source = (
        "from pydantic import BaseModel\n"
        "from pydantic.schema import UUID, Optional, datetime as dt\n\n\n"
        "class Item(BaseModel):\n    id: UUID\n    at: Optional[dt] = None\n"
    )
    migrated = migrate_source(source)
    assert "from datetime import datetime as dt\n" in migrated
    assert "from typing import Optional\n" in migrated
    assert "from uuid import UUID\n" in migrated
    assert "pydantic.schema" not in migrated
    messages = [m for _, _, m in _codes(source, "PYD013")]
    assert any("only re-exported" in m and "`uuid`" in m for m in messages)
    assert migrate_source(migrated) == migrated


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("field_schema", "`TypeAdapter(annotation).json_schema()`"),
        ("get_model_name_map", "keys of `$defs`"),
        ("model_process_schema", "`pydantic.json_schema.models_json_schema("),
        ("get_flat_models_from_fields", "V2 collects the nested models itself"),
        ("TypeModelSet", "`Set[Union[Type[BaseModel], Type[Enum]]]`"),
        ("SkipField", "V1's schema generator is gone"),
    ],
)
def test_other_schema_names_are_reported_with_what_to_use(name: str, hint: str) -> None:
    source = f"from pydantic.schema import {name}\n\nx = {name}\n"
    [(_, fixable, message)] = _codes(source, "PYD013")
    assert not fixable and hint in message
    assert _codes(source, "PYD023") == []


RUFF_CLEAN_SOURCES = {
    "module_import": (
        "import pydantic.schema\n\n\ndef f(cls):\n    return pydantic.schema.model_schema(cls)\n"
    ),
    "module_alias": "import pydantic.schema as ps\n\n\ndef f(cls):\n    return ps.schema([cls])\n",
    "pydantic_kept": (
        "import pydantic\n\nT = pydantic.schema.default_ref_template\n\n\n"
        "class M(pydantic.BaseModel):\n    x: int\n"
    ),
    "names": (
        "from pydantic.schema import default_ref_template, model_schema, schema\n\n"
        'PREFIX = "#/c/"\n\n\n'
        "def f(m):\n    return schema([m], ref_prefix=PREFIX), model_schema(m)\n\n\n"
        "def g(schema):\n    return schema, default_ref_template\n"
    ),
}


@pytest.mark.parametrize("name", sorted(RUFF_CLEAN_SOURCES))
def test_migrated_modules_stay_ruff_clean_and_import(name: str, tmp_path: Path) -> None:
    source = RUFF_CLEAN_SOURCES[name]
    assert _ruff_findings(source, tmp_path / "before.py") == ""
    migrated = migrate_source(source)
    assert "pydantic.schema" not in migrated
    assert _ruff_findings(migrated, tmp_path / "after.py") == ""
    exec(compile(migrated, f"{name}.py", "exec"), {})


def _ruff_findings(text: str, path: Path) -> str:
    path.write_text(text)
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run(
        [str(ruff), "check", "--isolated", "--no-cache", "--quiet", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout


def test_a_parameter_named_pydantic_is_not_the_pydantic_module() -> None:
    source = (
        "import pydantic.schema\n\n\ndef f(pydantic):\n    return pydantic.schema.schema([1])\n\n\n"
        "def g(cls):\n    return pydantic.schema.model_schema(cls)\n"
    )
    migrated = migrate_source(source)
    assert "    return pydantic.schema.schema([1])\n" in migrated
    assert "pydantic.schema.model_schema" not in migrated
