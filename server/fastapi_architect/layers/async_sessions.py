"""FA106: a synchronous ``Session`` used in an ``async def`` path operation or service (the
event loop blocks on every query). FA107: an ``AsyncSession`` coroutine method called without
``await`` (nothing runs; ``add``/``add_all``/``expunge`` are synchronous and never reported).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from fastapi_architect.layers.codes import ASYNC_SESSION_NOT_AWAITED, SYNC_SESSION_IN_ASYNC
from fastapi_architect.layers.model import LayerFinding
from fastapi_architect.layers.module import CheckedModule, FunctionNode
from fastapi_architect.layers.sessions import (
    QUERY_METHODS,
    Bindings,
    method_receivers,
    receiver_key,
)

BLOCKING_METHODS = QUERY_METHODS
"""Sync ``Session`` methods that run queries (``close`` only returns the connection)."""

AWAITABLE_METHODS = frozenset(
    {
        "execute",
        "scalars",
        "scalar",
        "commit",
        "refresh",
        "flush",
        "rollback",
        "delete",
        "get",
        "get_one",
        "merge",
        "close",
        "exec",
        "stream",
        "stream_scalars",
        "connection",
    }
)
"""``AsyncSession`` methods that return an awaitable."""


_SESSION_CALLS = BLOCKING_METHODS | AWAITABLE_METHODS


def _functions(
    body: list[ast.stmt], cls: ast.ClassDef | None = None
) -> Iterator[tuple[FunctionNode, ast.ClassDef | None]]:
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node, cls
            yield from _functions(node.body, None)
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node.body, node)
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    yield from _functions([n for n in inner if isinstance(n, ast.stmt)], cls)
                    for handler in inner:
                        if isinstance(handler, ast.ExceptHandler):
                            yield from _functions(handler.body, cls)


def _parents(nodes: list[ast.AST]) -> dict[int, ast.AST]:
    parents: dict[int, ast.AST] = {}
    for node in nodes:
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    return parents


def _awaited_names(nodes: list[ast.AST]) -> set[str]:
    """Names that appear inside an ``await`` (the coroutine stored there is awaited later)."""
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Await):
            names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
    return names


def _handed_on_names(nodes: list[ast.AST], returns_count: bool) -> set[str]:
    """Names awaited, or passed to a call (or, when ``returns_count``, returned or yielded)
    as they are — not ``x.attr``. An ``async def`` returning a session coroutine it made is
    a forgotten ``await``, a plain ``def`` may hand it to its caller."""
    names = _awaited_names(nodes)
    for node in nodes:
        if isinstance(node, ast.Call):
            values = [*node.args, *(keyword.value for keyword in node.keywords)]
        elif (
            returns_count
            and isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom))
            and node.value is not None
        ):
            values = [node.value]
        else:
            continue
        for value in values:
            if isinstance(value, ast.Starred):
                value = value.value
            if isinstance(value, ast.Name):
                names.add(value.id)
            elif isinstance(value, (ast.Tuple, ast.List)):
                names.update(e.id for e in value.elts if isinstance(e, ast.Name))
    return names


def _not_awaited(
    call: ast.Call, parents: dict[int, ast.AST], nodes: list[ast.AST], in_async: bool
) -> bool:
    """True when the coroutine ``call`` makes is certainly never awaited."""
    parent = parents.get(id(call))
    if isinstance(parent, ast.Expr):
        return True
    if isinstance(parent, ast.Attribute | ast.Subscript):
        return True  # db.execute(q).scalars(): an attribute of the coroutine
    if isinstance(parent, ast.For | ast.comprehension) and parent.iter is call:
        return True
    if (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        name = parent.targets[0].id
        # Flagged unless the stored coroutine is awaited, handed on (gather, create_task,
        # a call) or returned later.
        return name not in _handed_on_names(nodes, returns_count=not in_async)
    return False


def check_async_sessions(module: CheckedModule) -> list[LayerFinding]:
    """FA106 once per offending async function; FA107 on every un-awaited call."""
    text = module.source.text
    if "ession" not in text and "Depends" not in text:
        return []
    endpoints = {id(node) for node in module.endpoints}
    service_module = module.layer == "services"
    found: list[LayerFinding] = []
    class_cache: dict[int, Bindings] = {}
    for function, cls in _functions(module.source.tree.body):
        nodes = module.own_nodes(function)
        receivers = method_receivers(nodes, _SESSION_CALLS)
        if not receivers:
            continue
        bindings: Bindings = {}
        if cls is not None and any(key.startswith("self.") for key in receivers):
            if id(cls) not in class_cache:
                class_cache[id(cls)] = module.sessions.class_bindings(module.source, cls)
            bindings.update(class_cache[id(cls)])
        bindings.update(module.sessions.parameter_bindings(module.source, function, receivers))
        bindings.update(module.sessions.local_bindings(module.source, nodes, wanted=receivers))
        if not bindings:
            continue
        session_calls: list[tuple[ast.Call, str, str]] = []
        for node in nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                key = receiver_key(node.func.value)
                if key is not None and key in bindings:
                    session_calls.append((node, key, node.func.attr))
        session_calls.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
        checked_async = isinstance(function, ast.AsyncFunctionDef) and (
            id(function) in endpoints or service_module
        )
        blocking = [
            (call, key, method)
            for call, key, method in session_calls
            if checked_async and bindings[key] == "sync" and method in BLOCKING_METHODS
        ]
        if blocking:
            call, key, _ = blocking[0]
            start, end = module.span(call)
            count = f"{len(blocking)} call{'s' if len(blocking) != 1 else ''}"
            where = "path operation" if id(function) in endpoints else "service function"
            found.append(
                LayerFinding(
                    SYNC_SESSION_IN_ASYNC,
                    f"Synchronous Session '{key}' used in async {where} '{function.name}' "
                    f"({count}): each query blocks the event loop. Use an AsyncSession and "
                    "await it, or make this a plain 'def' (FastAPI runs it in a thread).",
                    start,
                    end,
                    {"session": key, "calls": len(blocking)},
                )
            )
        parents: dict[int, ast.AST] | None = None
        for call, key, method in session_calls:
            if bindings[key] != "async" or method not in AWAITABLE_METHODS:
                continue
            if parents is None:
                parents = _parents(nodes)
            in_async = isinstance(function, ast.AsyncFunctionDef)
            if not _not_awaited(call, parents, nodes, in_async):
                continue
            start, end = module.span(call)
            found.append(
                LayerFinding(
                    ASYNC_SESSION_NOT_AWAITED,
                    f"AsyncSession.{method}() is not awaited: '{key}.{method}(...)' only makes "
                    f"a coroutine and nothing runs. Write 'await {key}.{method}(...)'.",
                    start,
                    end,
                    {"session": key, "method": method},
                )
            )
    return found
