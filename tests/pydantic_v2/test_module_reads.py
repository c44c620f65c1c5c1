"""``module_reads``: which spellings of a name read the module's binding (an import) and
which are locals shadowing it, by Python's scoping rules."""

from __future__ import annotations

import ast

import pytest

from fastapi_architect.pydantic_v2.module_reads import module_reads
from fastapi_architect.textedit import split_lines


def _read_lines(source: str, name: str = "schema") -> list[int]:
    tree = ast.parse(source)
    return [node.lineno for node in module_reads(tree, [name], split_lines(source)).reads[name]]


@pytest.mark.parametrize(
    "body",
    [
        "def f(schema):\n    return schema\n",
        "def f():\n    schema = 1\n    return schema\n",
        "def f():\n    print(schema)\n    schema = 1\n",  # local for the whole function
        "def f():\n    for schema in []:\n        pass\n    return schema\n",
        "def f():\n    import json as schema\n    return schema\n",
        "def f():\n    try:\n        pass\n    except E as schema:\n        return schema\n",
        "def f():\n    def schema():\n        pass\n    return schema\n",
        "def f():\n    with x as schema:\n        return schema\n",
        "def f(v):\n    match v:\n        case [*schema]:\n            return schema\n",
        "f = lambda schema: schema\n",
        "x = [schema for schema in range(3)]\n",
        "def f():\n    schema = 1\n\n    def g():\n        return schema\n",
        (
            "def f():\n    schema = 1\n\n"
            "    def g():\n        nonlocal schema\n        return schema\n"
        ),
    ],
)
def test_locals_and_parameters_do_not_read_the_import(body: str) -> None:
    assert _read_lines("from pydantic.schema import schema\n" + body) == []


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("x = schema([A])\n", [2]),
        ("def f():\n    return schema([A])\n", [3]),
        ("def f():\n    global schema\n    return schema\n", [4]),
        ("def f(a=schema):\n    schema = 1\n", [2]),  # defaults run outside
        ("@schema\ndef f(schema):\n    pass\n", [2]),  # so do decorators
        ("class C:\n    schema = 1\n\n    def m(self):\n        return schema\n", [6]),
        ("x = [schema(a) for a in items]\n", [2]),
        ("x = [a for a in schema([A])]\n", [2]),
        ("class C:\n    x = [y for y in schema]\n", [3]),  # the first iterable runs in C
    ],
)
def test_reads_of_the_module_binding_are_found(body: str, lines: list[int]) -> None:
    assert _read_lines("from pydantic.schema import schema\n" + body) == lines


@pytest.mark.parametrize(
    "body",
    [
        "schema = None\n",
        "def schema():\n    pass\n",
        "from other import schema\n",
        "def f():\n    global schema\n    schema = 2\n",
        "for schema in []:\n    pass\n",
    ],
)
def test_other_module_level_bindings_are_flagged(body: str) -> None:
    tree = ast.parse("from pydantic.schema import schema\n" + body)
    assert "schema" in module_reads(tree, ["schema"]).rebound


def test_statements_that_never_spell_the_name_are_skipped_but_change_nothing() -> None:
    source = (
        "from pydantic.schema import schema\n\n\n"
        "def f(other):\n    return other\n\n\n"
        "def g():\n    return schema([A])\n"
    )
    tree = ast.parse(source)
    whole = module_reads(tree, ["schema"])
    skipping = module_reads(tree, ["schema"], split_lines(source))
    assert [n.lineno for n in skipping.reads["schema"]] == [9]
    assert [n.lineno for n in whole.reads["schema"]] == [9]
    assert [id(c) for c in skipping.calls.values()] == [id(c) for c in whole.calls.values()]
