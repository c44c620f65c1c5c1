"""Shared ast helpers."""

from __future__ import annotations

import ast

from fastapi_architect.astutil import assignment_targets, parameter_defaults


def test_parameter_defaults_cover_positional_and_keyword_only_parameters() -> None:
    func = ast.parse("def f(a, /, b, c=1, *args, d, e=2, **kw): pass").body[0]
    assert isinstance(func, ast.FunctionDef)
    defaults = parameter_defaults(func.args)
    assert {name: ast.unparse(value) for name, value in defaults.items()} == {"c": "1", "e": "2"}


def test_assignment_targets_of_plain_chained_and_annotated_assignments_only() -> None:
    body = ast.parse("a = b = 1\nx: int = 2\ny += 3\nf()").body
    assert [[ast.unparse(t) for t in assignment_targets(stmt)] for stmt in body] == [
        ["a", "b"],
        ["x"],
        [],
        [],
    ]
