"""FA103: a path operation that talks to the database itself instead of through a service."""

from __future__ import annotations

import ast

from fastapi_architect.layers.codes import DATA_ACCESS_IN_ENDPOINT
from fastapi_architect.layers.model import LayerFinding
from fastapi_architect.layers.module import CheckedModule
from fastapi_architect.layers.project import dotted_name
from fastapi_architect.layers.sessions import own_nodes, receiver_key

SESSION_METHODS = frozenset(
    {
        "execute",
        "exec",
        "scalars",
        "scalar",
        "add",
        "add_all",
        "delete",
        "commit",
        "refresh",
        "query",
        "get",
        "get_one",
        "merge",
        "flush",
        "rollback",
    }
)
"""Session methods that read or write the database (or stage a write)."""

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


def check_data_access(module: CheckedModule) -> list[LayerFinding]:
    """One FA103 per path operation that calls a session or builds a statement."""
    found: list[LayerFinding] = []
    for endpoint in module.endpoints:
        nodes = own_nodes(endpoint.body)
        bindings = module.sessions.parameter_bindings(module.source, endpoint)
        bindings.update(module.sessions.local_bindings(module.source, nodes))
        calls: list[tuple[ast.Call, str]] = []
        for node in nodes:
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in SESSION_METHODS:
                key = receiver_key(func.value)
                if key is not None and key in bindings:
                    calls.append((node, f"{key}.{func.attr}()"))
                    continue
            if statement_builder(module, node):
                calls.append((node, f"{dotted_name(node.func)[-1]}()"))
        if not calls:
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
