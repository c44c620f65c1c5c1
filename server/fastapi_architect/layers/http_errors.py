"""FA104: ``raise HTTPException(...)`` in the service layer, which should not know HTTP.

The range is the whole ``raise`` statement and ``data`` carries ``status_code`` (an int, also
read from ``status.HTTP_404_NOT_FOUND``) and ``detail`` (a string literal), or ``None``: the
domain-error quick fix is computed from them.
"""

from __future__ import annotations

import ast
import re

from fastapi_architect.layers.codes import HTTP_EXCEPTION_IN_SERVICE
from fastapi_architect.layers.model import LayerFinding
from fastapi_architect.layers.module import CheckedModule
from fastapi_architect.layers.project import dotted_name

HTTP_EXCEPTIONS = frozenset(
    {
        "fastapi.HTTPException",
        "fastapi.exceptions.HTTPException",
        "starlette.exceptions.HTTPException",
    }
)
"""The exception classes that carry an HTTP status, by qualified name."""

_STATUS_CONSTANT = re.compile(r"HTTP_(\d{3})(?:_|$)")


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    if len(call.args) > index and not any(
        isinstance(a, ast.Starred) for a in call.args[: index + 1]
    ):
        return call.args[index]
    return None


def status_code_of(node: ast.expr | None) -> int | None:
    """``404`` from ``404`` or ``status.HTTP_404_NOT_FOUND``; ``None`` otherwise."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    parts = dotted_name(node) if node is not None else []
    if parts:
        match = _STATUS_CONSTANT.fullmatch(parts[-1]) or _STATUS_CONSTANT.match(parts[-1])
        if match:
            return int(match.group(1))
    return None


def _detail_of(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def check_http_errors(module: CheckedModule) -> list[LayerFinding]:
    """FA104 on every ``raise HTTPException`` of a services-layer module."""
    if module.layer != "services" or module.under_api or "HTTPException" not in module.source.text:
        return []
    found: list[LayerFinding] = []
    for node in ast.walk(module.source.tree):
        if not isinstance(node, ast.Raise) or node.exc is None:
            continue
        call = node.exc if isinstance(node.exc, ast.Call) else None
        parts = dotted_name(call.func if call is not None else node.exc)
        if not parts:
            continue
        if module.project.resolve(module.source, parts).qualified not in HTTP_EXCEPTIONS:
            continue
        status_code = status_code_of(_argument(call, 0, "status_code")) if call else None
        detail = _detail_of(_argument(call, 1, "detail")) if call else None
        start, end = module.span(node)
        what = f" {status_code}" if status_code is not None else ""
        found.append(
            LayerFinding(
                HTTP_EXCEPTION_IN_SERVICE,
                f"HTTPException{what} raised in the service layer: services should not know "
                "HTTP. Raise a domain error here and map it to a response in the API layer.",
                start,
                end,
                {"status_code": status_code, "detail": detail},
            )
        )
    found.sort(key=lambda finding: (finding.start.line, finding.start.column))
    return found
