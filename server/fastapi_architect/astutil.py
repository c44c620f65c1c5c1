"""Small ``ast`` helpers that more than one engine needs."""

from __future__ import annotations

import ast


def parameter_defaults(args: ast.arguments) -> dict[str, ast.expr]:
    """The default expression of each parameter that has one (positional and keyword-only)."""
    positional = [*args.posonlyargs, *args.args]
    defaults: dict[str, ast.expr] = {}
    first_with_default = len(positional) - len(args.defaults)
    for arg, default in zip(positional[first_with_default:], args.defaults, strict=True):
        defaults[arg.arg] = default
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if kw_default is not None:
            defaults[arg.arg] = kw_default
    return defaults


def assignment_targets(stmt: ast.stmt) -> list[ast.expr]:
    """The targets of an assignment (``a = b = 1`` → ``a``, ``b``; ``x: int = 1`` → ``x``);
    empty for any other statement."""
    if isinstance(stmt, ast.Assign):
        return stmt.targets
    if isinstance(stmt, ast.AnnAssign):
        return [stmt.target]
    return []


def last_name(expr: ast.expr) -> str | None:
    """The name a reference ends in: ``x`` for ``x``, ``y`` for ``a.x.y``; else ``None``."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None
