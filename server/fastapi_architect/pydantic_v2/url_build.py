"""V1 URL types' ``.build(...)`` calls (``PostgresDsn.build(user=..., port=..., path="/db")``)
kept on V1's builder from ``pydantic.v1.networks`` (PYD026).

V1's ``AnyUrl.build`` joins its keyword arguments into a ``str`` without checking or escaping
them. V2's ``build`` (pydantic_core's ``Url`` / ``MultiHostUrl``) takes ``username`` instead of
``user``, an ``int`` port (a ``str`` raises ``TypeError``), writes ``/`` before the path itself
(``path="/db"`` gives ``//db``), percent-encodes the user and query, writes ``?`` for an empty
query, lowercases http hosts, ends a bare http URL with ``/`` and returns an object, not a
``str``. No V2 spelling gives V1's string for arguments only known at run time, so the call
goes to V1's own builder shipped inside pydantic 2 (``from pydantic.v1.networks import
PostgresDsn as PostgresDsnV1``): the same function, the same string, for any argument.
"""

from __future__ import annotations

import ast
import re

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import URL_BUILD_CODE
from fastapi_architect.pydantic_v2.names import V1_URL_CLASSES, PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source

V1_NETWORKS = "pydantic.v1.networks"
V2_DIFFERENCES = (
    "V2's `{name}.build(...)` takes `username=` (not `user=`) and an `int` port (a `str` raises "
    '`TypeError`), writes `/` before the path itself (`path="/db"` gives `//db`), '
    "percent-encodes the user and the query, writes `?` for an empty query, lowercases http "
    "hosts, ends a bare http URL with `/`, and returns a URL object, not V1's `str`"
)


BUILD_CALL = re.compile(r"\.\s*build\s*\(")
"""A ``.build(`` call in the text: the only modules worth walking."""


def plan_url_builds(src: Source, names: PydanticNames) -> list[Conversion]:
    """A conversion for every ``X.build(...)`` of a V1 URL type ``X`` read from Pydantic."""
    if not BUILD_CALL.search(src.text):
        return []  # most modules: no walk over the tree at all
    taken = _bound_names(src.tree)
    seen: dict[str, int] = {}
    found: list[Conversion] = []
    for scope, call in _calls(src.tree.body, ""):
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr != "build":
            continue
        name = names.pydantic_name(func.value)
        if name not in V1_URL_CLASSES or (era := _era(call)) == "v2":
            continue
        base = f"{scope}{name}.build"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}#{seen[base]}"
        if era == "v1":
            found.append(_conversion(src, call, func.value, name, key, taken))
        else:
            found.append(_unclear(src, call, name, key))
    return found


def _era(call: ast.Call) -> str:
    """``v1`` for a call only V1 runs (``user=``, a ``str`` port, a path starting with ``/``),
    ``v2`` for one written for V2 (``username=``, ``hosts=``, an ``int`` port), else ``unclear``."""
    given = {keyword.arg: keyword.value for keyword in call.keywords}
    if "username" in given or "hosts" in given or call.args:
        return "v2"
    port, path = given.get("port"), given.get("path")
    if isinstance(port, ast.Constant) and isinstance(port.value, int):
        return "v2"
    if "user" in given or (isinstance(port, ast.Constant) and isinstance(port.value, str)):
        return "v1"
    if isinstance(path, ast.Constant) and isinstance(path.value, str):
        return "v1" if path.value.startswith("/") else "v2"
    if isinstance(path, ast.JoinedStr) and path.values:
        head = path.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str):
            return "v1" if head.value.startswith("/") else "v2"
    return "unclear"


def _unclear(src: Source, call: ast.Call, name: str, key: str) -> Conversion:
    message = (
        f"`{name}.build(...)` may be V1's: then it breaks under V2: "
        f"{V2_DIFFERENCES.format(name=name)}. Nothing here tells V1's call from V2's, so it "
        f"has no fix: for V1's string import V1's builder (`from pydantic.v1.networks import "
        f"{name} as {name}V1`) and call `{name}V1.build(...)`; if it is V2 code already, "
        "pass `username=` or an `int` port to say so."
    )
    return refused(URL_BUILD_CODE, key, message, src.start(call), src.end(call))


def _conversion(
    src: Source, call: ast.Call, owner: ast.expr, name: str, key: str, taken: set[str]
) -> Conversion:
    alias = f"{name}V1"
    differences = V2_DIFFERENCES.format(name=name)
    start, end = src.start(call), src.end(call)
    if alias in taken:
        message = (
            f"`{name}.build(...)` breaks under V2: {differences}. Call V1's builder, which "
            f"gives V1's string: `from pydantic.v1.networks import {name}` under another "
            f"name (this module already binds `{alias}`)."
        )
        return refused(URL_BUILD_CODE, key, message, start, end)
    message = (
        f"`{name}.build(...)` breaks under V2: {differences}. The fix calls V1's builder "
        f"shipped with pydantic 2 (`from pydantic.v1.networks import {name} as {alias}`): "
        "the same string for any arguments (it only joins them). To use V2's builder "
        "instead, write "
        f"`str({name}.build(scheme=..., username=..., password=..., host=..., "
        'port=int(port) if port else None, path="db"))` and accept its escaping.'
    )
    head = owner
    while isinstance(head, ast.Attribute):
        head = head.value
    consumed = {head.id: 1} if isinstance(head, ast.Name) else {}
    return Conversion(
        URL_BUILD_CODE,
        key,
        f"Call V1's `{name}.build` from `pydantic.v1.networks`",
        message,
        start,
        end,
        [Replacement(src.start(owner), src.end(owner), alias)],
        {ImportBinding(V1_NETWORKS, name, alias)},
        consumed=consumed,
    )


def _calls(body: list[ast.stmt], scope: str) -> list[tuple[str, ast.Call]]:
    """Every call under ``body`` with the qualified name of its class or function
    (``Settings.assemble:``), in document order."""
    found: list[tuple[str, ast.Call]] = []
    for stmt in body:
        if isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            inner = f"{scope}{stmt.name}:" if not scope else f"{scope[:-1]}.{stmt.name}:"
            heads: list[ast.AST] = [*stmt.decorator_list]
            if not isinstance(stmt, ast.ClassDef):
                heads.append(stmt.args)
            for head in heads:
                found.extend((scope, n) for n in ast.walk(head) if isinstance(n, ast.Call))
            found.extend(_calls(stmt.body, inner))
            continue
        found.extend(_walk_outside_definitions(stmt, scope))
    found.sort(key=lambda item: (item[1].lineno, item[1].col_offset))
    return found


def _walk_outside_definitions(stmt: ast.stmt, scope: str) -> list[tuple[str, ast.Call]]:
    """The calls in ``stmt``, those of classes and functions it holds under their name."""
    calls: list[tuple[str, ast.Call]] = []
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call):
            calls.append((scope, node))
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                calls.extend(_calls([child], scope))
                continue
            stack.append(child)
    return calls


def _bound_names(tree: ast.Module) -> set[str]:
    """Every name the module reads, assigns or imports anywhere."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            bound.add(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return bound
