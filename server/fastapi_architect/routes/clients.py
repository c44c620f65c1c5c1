"""Test-client calls in a module: ``client.get("/api/v1/users/")`` → method and request path.

A receiver counts as a test client when the module binds it from ``TestClient(...)`` or
``AsyncClient(...)`` (assignment, annotation, ``with ... as``) or when its name ends in
``client`` (a pytest fixture such as ``client`` or ``async_client``). Request paths are string
literals, f-strings and module constants; parts known only at run time become ``UNKNOWN``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi_architect.routes.matching import UNKNOWN
from fastapi_architect.routes.model import HTTP_METHODS, Span

CLIENT_FACTORIES = frozenset({"TestClient", "AsyncClient", "Client"})
"""Constructors of test clients (Starlette/FastAPI's ``TestClient``, httpx's clients)."""

REQUEST_METHODS = frozenset(m for m in HTTP_METHODS if m != "trace")
"""Client methods named after the HTTP method they send."""


@dataclass(frozen=True)
class ClientCall:
    """One request a test sends: method, path (``UNKNOWN`` for run-time parts), where."""

    method: str
    path: str
    span: Span
    """The path argument, in code points."""


def client_call_at(tree: ast.Module, lines: list[str], line: int, column: int) -> ClientCall | None:
    """The test-client call whose receiver, method or path argument covers (line, column)."""
    clients = _client_names(tree)
    constants = _constants(tree)
    best: ClientCall | None = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        found = _request(node, clients, constants)
        if found is None:
            continue
        method, argument, path = found
        start = (node.lineno - 1, _column(lines, node.lineno - 1, node.col_offset))
        end_line = (argument.end_lineno or argument.lineno) - 1
        end = (end_line, _column(lines, end_line, argument.end_col_offset or 0))
        if not start <= (line, column) <= end:
            continue
        span = _span(lines, argument)
        if best is None or (span.start_line, span.start_column) > (
            best.span.start_line,
            best.span.start_column,
        ):
            best = ClientCall(method, path, span)
    return best


def _request(
    node: ast.Call, clients: set[str], constants: dict[str, str]
) -> tuple[str, ast.expr, str] | None:
    """(method, path argument, request path) when ``node`` is a test-client request."""
    func = node.func
    if not isinstance(func, ast.Attribute) or not _is_client(func.value, clients):
        return None
    arguments = list(node.args)
    if func.attr in REQUEST_METHODS:
        method = func.attr.upper()
    elif func.attr in ("request", "stream") and arguments:
        literal = arguments.pop(0)
        if not isinstance(literal, ast.Constant) or not isinstance(literal.value, str):
            return None
        method = literal.value.upper()
    else:
        return None
    argument = arguments[0] if arguments else _keyword(node, "url")
    if argument is None:
        return None
    url = _text(argument, constants)
    if url is None:
        return None
    return method, argument, _request_path(url)


def _request_path(url: str) -> str:
    """The path of ``url``: scheme and host dropped, query string and fragment too."""
    if "://" in url:
        url = urlsplit(url).path or "/"
    return url.split("?", 1)[0].split("#", 1)[0]


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_client(node: ast.expr, clients: set[str]) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
    return isinstance(name, str) and (name in clients or name.lower().endswith("client"))


def _factory(node: ast.expr | None) -> bool:
    """True for ``TestClient(app)``, ``httpx.AsyncClient(...)`` and the bare class name."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Subscript):  # Iterator[TestClient], AsyncIterator[AsyncClient]
        node = node.slice
    if isinstance(node, ast.Attribute):
        return node.attr in CLIENT_FACTORIES
    return isinstance(node, ast.Name) and node.id in CLIENT_FACTORIES


def _client_names(tree: ast.Module) -> set[str]:
    """Names the module binds to test clients."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _factory(node.value):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if _factory(node.annotation) or _factory(node.value):
                names.add(node.target.id)
        elif isinstance(node, ast.arg) and _factory(node.annotation):
            names.add(node.arg)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if _factory(item.context_expr) and isinstance(item.optional_vars, ast.Name):
                    names.add(item.optional_vars.id)
    return names


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level string constants, f-strings of earlier constants included."""
    constants: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        text = _text(value, constants, strict=True)
        for target in targets:
            if isinstance(target, ast.Name):
                if text is None:
                    constants.pop(target.id, None)
                else:
                    constants[target.id] = text
    return constants


def _text(node: ast.expr, constants: dict[str, str], *, strict: bool = False) -> str | None:
    """The string ``node`` evaluates to, ``UNKNOWN`` for run-time parts (``None`` if strict)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _text(node.left, constants, strict=strict)
        right = _text(node.right, constants, strict=strict)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.JoinedStr):
        parts: list[str] = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
                continue
            inner = value.value if isinstance(value, ast.FormattedValue) else None
            known = _text(inner, constants, strict=True) if inner is not None else None
            if known is None and strict:
                return None
            parts.append(UNKNOWN if known is None else known)
        return "".join(parts)
    return None


def _column(lines: list[str], line: int, byte_column: int) -> int:
    text = lines[line] if 0 <= line < len(lines) else ""
    if text.isascii():
        return byte_column
    return len(text.encode("utf-8")[:byte_column].decode("utf-8", errors="replace"))


def _span(lines: list[str], node: ast.expr) -> Span:
    start, end = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    ascii_lines = all(lines[i].isascii() for i in (start, end) if 0 <= i < len(lines))
    return Span(
        start,
        _column(lines, start, node.col_offset),
        end,
        _column(lines, end, node.end_col_offset or 0),
        ascii_lines,
    )
