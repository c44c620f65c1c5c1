"""FA103: a path operation that talks to the database itself instead of through a service."""

from __future__ import annotations

import ast
import re

from fastapi_architect.layers.codes import DATA_ACCESS_IN_ENDPOINT
from fastapi_architect.layers.model import LayerFinding
from fastapi_architect.layers.module import CheckedModule
from fastapi_architect.layers.project import dotted_name
from fastapi_architect.layers.sessions import QUERY_METHODS, method_receivers, receiver_key

SESSION_METHODS = QUERY_METHODS | {"add", "add_all"}
"""Session methods that read or write the database (or stage a write)."""

TRANSACTION_METHODS = frozenset({"commit", "rollback", "flush"})
"""Transaction boundaries: an endpoint that only ends or undoes the request's unit of work
(``await session.commit()`` before streaming a response) is not reported for them alone."""

_PING = re.compile(r"\s*select\s+1\s*;?\s*", re.IGNORECASE)

_STATEMENT_MODULES = (
    "sqlalchemy",
    "sqlalchemy.sql",
    "sqlalchemy.sql.expression",
    "sqlalchemy.future",
    "sqlmodel",
    "sqlmodel.sql.expression",
    "sqlalchemy.dialects.postgresql",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.mysql",
)
STATEMENT_BUILDERS = frozenset(
    f"{module}.{name}"
    for module in _STATEMENT_MODULES
    for name in ("select", "insert", "update", "delete")
)
"""``select(...)`` and friends, by qualified name."""


def statement_builder(module: CheckedModule, call: ast.Call) -> bool:
    """True when ``call`` builds a SQLAlchemy/SQLModel statement (``select(User)``)."""
    parts = dotted_name(call.func)
    if not parts or parts[-1] not in ("select", "insert", "update", "delete"):
        return False
    return module.project.resolve(module.source, parts).qualified in STATEMENT_BUILDERS


def is_ping(module: CheckedModule, node: ast.expr) -> bool:
    """``select(1)`` or ``text("SELECT 1")``: a connectivity check that reads no data."""
    if not isinstance(node, ast.Call) or not node.args or node.keywords:
        return False
    if all(isinstance(argument, ast.Constant) for argument in node.args):
        parts = dotted_name(node.func)
        if parts and parts[-1] == "text":
            value = node.args[0]
            return isinstance(value, ast.Constant) and _PING.fullmatch(str(value.value)) is not None
        return statement_builder(module, node)
    return False


def check_data_access(module: CheckedModule) -> list[LayerFinding]:
    """One FA103 per path operation that calls a session or builds a statement, unless all
    it does is end the transaction (commit, rollback, flush) or ping the database."""
    found: list[LayerFinding] = []
    for endpoint in module.endpoints:
        nodes = module.own_nodes(endpoint)
        receivers = method_receivers(nodes, SESSION_METHODS)
        bindings = module.sessions.parameter_bindings(module.source, endpoint, receivers)
        bindings.update(module.sessions.local_bindings(module.source, nodes, wanted=receivers))
        calls: list[tuple[ast.Call, str]] = []
        for node in nodes:
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in SESSION_METHODS:
                key = receiver_key(func.value)
                if key is not None and key in bindings:
                    if not (node.args and is_ping(module, node.args[0])):
                        calls.append((node, f"{key}.{func.attr}()"))
                    continue
            if statement_builder(module, node) and not is_ping(module, node):
                calls.append((node, f"{dotted_name(node.func)[-1]}()"))
        if all(
            label.rsplit(".", 1)[-1].removesuffix("()") in TRANSACTION_METHODS for _, label in calls
        ):
            continue
        calls.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
        first = calls[0][0]
        start, end = module.span(first)
        names = list(dict.fromkeys(label for _, label in calls))
        count = f"{len(calls)} data-access call{'s' if len(calls) != 1 else ''}"
        found.append(
            LayerFinding(
                DATA_ACCESS_IN_ENDPOINT,
                f"Path operation '{endpoint.name}' accesses the database itself ({count}: "
                f"{', '.join(names[:6])}{', …' if len(names) > 6 else ''}). Move the logic "
                "into the service layer and call it from here.",
                start,
                end,
                {"endpoint_line": _first_line(endpoint), "calls": len(calls)},
            )
        )
    return found


def _first_line(endpoint: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """0-based line of the endpoint's first decorator."""
    return min([endpoint.lineno, *(d.lineno for d in endpoint.decorator_list)]) - 1
