"""Which names hold a SQLAlchemy/SQLModel session, and whether it is sync or async.

A receiver is a session when the project says so: a parameter annotated ``Session`` /
``AsyncSession`` (``Annotated[Session, Depends(...)]`` and aliases such as
``SessionDep = Annotated[Session, Depends(get_db)]``, here or in an imported module), a
``Depends(get_db)`` default whose function returns or yields a session, a local
``with Session(engine) as session`` / ``session = SessionLocal()`` where
``SessionLocal = sessionmaker(...)``, or ``self.db`` of a class that stores one.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable
from typing import Literal

from fastapi_architect.layers.project import (
    MAX_HOPS,
    LayerProject,
    ModuleSource,
    dotted_name,
)

Kind = Literal["sync", "async"]

QUERY_METHODS = frozenset(
    {
        "execute",
        "exec",
        "scalars",
        "scalar",
        "commit",
        "refresh",
        "query",
        "get",
        "get_one",
        "merge",
        "flush",
        "rollback",
        "delete",
    }
)
"""Session methods that run a query or end the unit of work (not ``add``, which only stages
a write, nor ``close``)."""

SESSION_CLASSES: dict[str, Kind] = {
    "sqlalchemy.orm.Session": "sync",
    "sqlalchemy.orm.session.Session": "sync",
    "sqlmodel.Session": "sync",
    "sqlmodel.orm.session.Session": "sync",
    "sqlalchemy.ext.asyncio.AsyncSession": "async",
    "sqlalchemy.ext.asyncio.session.AsyncSession": "async",
    "sqlmodel.ext.asyncio.session.AsyncSession": "async",
}
"""The session classes, by qualified name."""

SESSION_FACTORIES: dict[str, Kind] = {
    "sqlalchemy.orm.sessionmaker": "sync",
    "sqlalchemy.orm.session.sessionmaker": "sync",
    "sqlalchemy.ext.asyncio.async_sessionmaker": "async",
    "sqlalchemy.ext.asyncio.session.async_sessionmaker": "async",
}
"""Factories whose instances make sessions when called (``SessionLocal()``)."""

_TYPING = ("typing.", "typing_extensions.", "collections.abc.", "contextlib.")
_WRAPPERS = frozenset(
    {
        "Annotated",
        "Optional",
        "Generator",
        "Iterator",
        "AsyncGenerator",
        "AsyncIterator",
        "Iterable",
        "AsyncIterable",
        "ContextManager",
        "AsyncContextManager",
        "AbstractContextManager",
        "AbstractAsyncContextManager",
        "NewType",
    }
)
DEPENDS = frozenset(
    {"fastapi.Depends", "fastapi.params.Depends", "fastapi.param_functions.Depends"}
)

Bindings = dict[str, Kind]
"""Receiver (``db`` or ``self.db``) → the kind of session it holds."""


class SessionTypes:
    """Session kinds of annotations, dependencies and calls, memoised per node."""

    def __init__(self, project: LayerProject) -> None:
        self.project = project
        self._functions: dict[int, Kind | None] = {}

    # --- types ----------------------------------------------------------------------------

    def annotation_kind(
        self, source: ModuleSource, node: ast.expr | None, hops: int = 0
    ) -> Kind | None:
        """The session kind an annotation (or an alias of one) names."""
        if node is None or hops > MAX_HOPS:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                parsed = ast.parse(node.value, mode="eval").body
            except (SyntaxError, ValueError):
                return None
            return self.annotation_kind(source, parsed, hops + 1)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self.annotation_kind(source, node.left, hops + 1) or self.annotation_kind(
                source, node.right, hops + 1
            )
        if isinstance(node, ast.Subscript):
            base = self._typing_name(source, node.value)
            if base not in _WRAPPERS:
                return None
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if not elements:
                return None
            found = self.annotation_kind(source, elements[0], hops + 1)
            if found is None and base == "Annotated":
                for extra in elements[1:]:
                    found = found or self.dependency_kind(source, extra, hops + 1)
            return found
        parts = dotted_name(node)
        if not parts:
            return None
        resolved = self.project.resolve(source, parts)
        if resolved.qualified is not None:
            return SESSION_CLASSES.get(resolved.qualified)
        if resolved.cls is not None and resolved.source is not None:
            return self.class_kind(resolved.source, resolved.cls, hops + 1)
        if resolved.value is not None and resolved.source is not None:
            value = resolved.value
            if isinstance(value, ast.Call) and len(value.args) == 2:
                # ``AsyncSession = NewType("AsyncSession", _AsyncSession)``
                if self._typing_name(resolved.source, value.func) == "NewType":
                    return self.annotation_kind(resolved.source, value.args[1], hops + 1)
                return None
            return self.annotation_kind(resolved.source, value, hops + 1)
        return None

    def class_kind(self, source: ModuleSource, cls: ast.ClassDef, hops: int) -> Kind | None:
        """A project class that subclasses a session class (``class DBSession(Session)``)."""
        for base in cls.bases:
            found = self.annotation_kind(source, base, hops + 1)
            if found is not None:
                return found
        return None

    def _typing_name(self, source: ModuleSource, node: ast.expr) -> str | None:
        parts = dotted_name(node)
        if not parts:
            return None
        qualified = self.project.resolve(source, parts).qualified
        if qualified is None or not qualified.startswith(_TYPING):
            return None
        return qualified.rsplit(".", 1)[-1]

    def dependency_kind(self, source: ModuleSource, node: ast.expr, hops: int = 0) -> Kind | None:
        """The session kind ``Depends(get_db)`` provides, when ``get_db`` makes a session."""
        if not isinstance(node, ast.Call) or hops > MAX_HOPS:
            return None
        parts = dotted_name(node.func)
        if not parts or self.project.resolve(source, parts).qualified not in DEPENDS:
            return None
        dependency = node.args[0] if node.args else None
        for keyword in node.keywords:
            if keyword.arg == "dependency":
                dependency = keyword.value
        if dependency is None:
            return None
        target = dotted_name(dependency)
        if not target:
            return None
        resolved = self.project.resolve(source, target)
        if resolved.function is not None and resolved.source is not None:
            return self.function_kind(resolved.source, resolved.function, hops + 1)
        return None

    def function_kind(
        self,
        source: ModuleSource,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        hops: int = 0,
    ) -> Kind | None:
        """The session kind a dependency function returns or yields."""
        key = id(function)
        if key in self._functions:
            return self._functions[key]
        self._functions[key] = None  # a recursive dependency makes no session
        found = self.annotation_kind(source, function.returns, hops + 1)
        if found is None:
            bindings = self.local_bindings(source, own_nodes(function.body), hops + 1)
            for node in own_nodes(function.body):
                if isinstance(node, (ast.Yield, ast.Return)) and node.value is not None:
                    value = node.value
                    if isinstance(value, ast.Name) and value.id in bindings:
                        found = bindings[value.id]
                    elif isinstance(value, ast.Call):
                        found = self.call_kind(source, value, hops + 1)
                    if found is not None:
                        break
        self._functions[key] = found
        return found

    def call_kind(self, source: ModuleSource, call: ast.Call, hops: int = 0) -> Kind | None:
        """The session kind ``call`` makes: ``Session(engine)``, ``SessionLocal()``, …"""
        if hops > MAX_HOPS:
            return None
        parts = dotted_name(call.func)
        if not parts:
            return None
        resolved = self.project.resolve(source, parts)
        if resolved.qualified is not None:
            return SESSION_CLASSES.get(resolved.qualified)
        if resolved.cls is not None and resolved.source is not None:
            return self.class_kind(resolved.source, resolved.cls, hops + 1)
        if isinstance(resolved.value, ast.Call) and resolved.source is not None:
            return self.factory_kind(resolved.source, resolved.value, hops + 1)
        return None

    def factory_kind(self, source: ModuleSource, call: ast.Call, hops: int = 0) -> Kind | None:
        """``sessionmaker(...)`` → sync (async with ``class_=AsyncSession``),
        ``async_sessionmaker(...)`` → async."""
        parts = dotted_name(call.func)
        if not parts:
            return None
        kind = SESSION_FACTORIES.get(self.project.resolve(source, parts).qualified or "")
        if kind == "sync":
            for keyword in call.keywords:
                if keyword.arg == "class_":
                    return self.annotation_kind(source, keyword.value, hops + 1)
        return kind

    # --- bindings -------------------------------------------------------------------------

    def parameter_bindings(
        self,
        source: ModuleSource,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        wanted: Collection[str] | None = None,
    ) -> Bindings:
        """Parameters that receive a session (by annotation or ``Depends`` default); only
        those named in ``wanted`` are looked at when it is given."""
        found: Bindings = {}
        arguments = function.args
        positional = [*arguments.posonlyargs, *arguments.args]
        defaults: dict[str, ast.expr] = dict(
            zip(
                [a.arg for a in positional][len(positional) - len(arguments.defaults) :],
                arguments.defaults,
                strict=True,
            )
        )
        for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
            if default is not None:
                defaults[argument.arg] = default
        for argument in [*positional, *arguments.kwonlyargs]:
            if wanted is not None and argument.arg not in wanted:
                continue
            kind = self.annotation_kind(source, argument.annotation)
            if kind is None and argument.arg in defaults:
                kind = self.dependency_kind(source, defaults[argument.arg])
            if kind is not None:
                found[argument.arg] = kind
        return found

    def local_bindings(
        self,
        source: ModuleSource,
        nodes: Iterable[ast.AST],
        hops: int = 0,
        wanted: Collection[str] | None = None,
    ) -> Bindings:
        """Names a function's own statements bind to a session (only ``wanted`` ones)."""
        found: Bindings = {}
        for node in nodes:
            if wanted is not None and not _binds_any(node, wanted):
                continue
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if isinstance(item.optional_vars, ast.Name) and isinstance(
                        item.context_expr, ast.Call
                    ):
                        kind = self.call_kind(source, item.context_expr, hops)
                        if kind is not None:
                            found[item.optional_vars.id] = kind
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                kind = self.call_kind(source, node.value, hops)
                if kind is not None:
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            found[target.id] = kind
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                kind = self.annotation_kind(source, node.annotation, hops)
                if kind is not None:
                    found[node.target.id] = kind
        return found

    def class_bindings(self, source: ModuleSource, cls: ast.ClassDef) -> Bindings:
        """``self.<attr>`` receivers of a class: annotated fields, or ``__init__`` storing a
        session parameter."""
        found: Bindings = {}
        for statement in cls.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                kind = self.annotation_kind(source, statement.annotation)
                if kind is not None:
                    found[f"self.{statement.target.id}"] = kind
            elif (
                isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
                and statement.name == "__init__"
            ):
                parameters = self.parameter_bindings(source, statement)
                for node in own_nodes(statement.body):
                    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
                        targets = node.targets
                        kind = parameters.get(node.value.id)
                    elif isinstance(node, ast.AnnAssign):
                        targets = [node.target]
                        kind = self.annotation_kind(source, node.annotation)
                    else:
                        continue
                    for target in targets:
                        key = receiver_key(target)
                        if kind is not None and key is not None and key.startswith("self."):
                            found[key] = kind
        return found


def _binds_any(node: ast.AST, wanted: Collection[str]) -> bool:
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return any(
            isinstance(item.optional_vars, ast.Name) and item.optional_vars.id in wanted
            for item in node.items
        )
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id in wanted for t in node.targets)
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and node.target.id in wanted
    return False


def receiver_key(node: ast.expr) -> str | None:
    """``db`` or ``self.db``: the receivers bindings are keyed by."""
    if isinstance(node, ast.Name):
        return node.id
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
    ):
        return f"self.{node.attr}"
    return None


_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def own_nodes(body: list[ast.stmt]) -> list[ast.AST]:
    """Every node of ``body`` outside nested functions, lambdas and classes."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        found.append(node)
        if isinstance(node, _NESTED):
            continue
        pending.extend(ast.iter_child_nodes(node))
    return found


def method_receivers(nodes: Iterable[ast.AST], methods: Collection[str]) -> set[str]:
    """The receivers (``db``, ``self.db``) of the calls to ``methods`` among ``nodes``."""
    return {
        key
        for node in nodes
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in methods
        and (key := receiver_key(node.func.value)) is not None
    }
