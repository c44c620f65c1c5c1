"""Find path operation functions in a module and decide whether one can be extracted.

This is the cheap part of the refactoring, run on every cursor move: it needs only the
module's ``ast`` tree (shared with the other features) and looks at one function at most.
"""

from __future__ import annotations

import ast
import bisect
import builtins
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi_architect.extract.class_views import class_view_methods, self_uses

HTTP_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "trace", "api_route"}
)
"""Decorator attribute names that make a function a path operation."""

NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
"""Nodes whose bodies run in their own scope (their ``yield``/``await`` are not ours)."""


@dataclass(frozen=True)
class Endpoint:
    """A module-level path operation function."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    decorator: ast.Call
    """The ``@router.<method>(...)`` decorator that makes it a path operation."""
    first_line: int
    """0-based line of the first decorator."""
    last_line: int
    """0-based last line of the function."""
    owner: ast.ClassDef | None = None
    """The ``@cbv(router)`` class when the path operation is a method of a class-based view."""

    @property
    def name(self) -> str:
        """The function's name."""
        return self.node.name

    @property
    def method(self) -> str:
        """The HTTP method of the decorator (``api_route`` for the generic one)."""
        func = self.decorator.func
        assert isinstance(func, ast.Attribute)
        return func.attr

    @property
    def route(self) -> str | None:
        """The path given to the decorator, when it is a string literal."""
        args = self.decorator.args
        if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            return args[0].value
        for keyword in self.decorator.keywords:
            if (
                keyword.arg == "path"
                and isinstance(keyword.value, ast.Constant)
                and isinstance(keyword.value.value, str)
            ):
                return keyword.value.value
        return None


@dataclass(frozen=True)
class EndpointIndex:
    """Every endpoint of a module, ordered by position, for O(log n) lookups."""

    endpoints: Sequence[Endpoint]
    starts: Sequence[int]

    def at(self, line: int) -> Endpoint | None:
        """The endpoint whose decorators or body contain 0-based ``line``, if any."""
        index = bisect.bisect_right(self.starts, line) - 1
        if index < 0:
            return None
        endpoint = self.endpoints[index]
        return endpoint if line <= endpoint.last_line else None


def path_operation_decorator(node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.Call | None:
    """The ``@<router or app>.<method>(...)`` decorator of ``node``, if it has one."""
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in HTTP_METHODS
        ):
            return decorator
    return None


def index_endpoints(tree: ast.Module) -> EndpointIndex:
    """Index the module-level path operation functions of ``tree``, and the path operation
    methods of its class-based views."""
    found: list[Endpoint] = []
    candidates: list[tuple[ast.ClassDef | None, ast.stmt]] = [(None, s) for s in tree.body]
    candidates += class_view_methods(tree)
    for owner, statement in candidates:
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorator = path_operation_decorator(statement)
        if decorator is None:
            continue
        first = min([statement.lineno, *(d.lineno for d in statement.decorator_list)]) - 1
        last = (statement.end_lineno or statement.lineno) - 1
        found.append(Endpoint(statement, decorator, first, last, owner))
    found.sort(key=lambda endpoint: endpoint.first_line)
    return EndpointIndex(tuple(found), tuple(e.first_line for e in found))


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def own_scope_nodes(
    nodes: Sequence[ast.AST], *, skip_comprehensions: bool = False
) -> list[ast.AST]:
    """Every node under ``nodes`` that runs in the function's own scope (not nested defs)."""
    result: list[ast.AST] = []
    pending = list(nodes)
    while pending:
        node = pending.pop()
        result.append(node)
        if isinstance(node, NESTED_SCOPES) or (
            skip_comprehensions and isinstance(node, _COMPREHENSIONS)
        ):
            continue
        pending.extend(ast.iter_child_nodes(node))
    return result


def body_statements(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt]:
    """The statements of ``node`` after its docstring."""
    body = list(node.body)
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    return body


def parameter_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """All parameter names of ``node`` in order."""
    args = node.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    if args.vararg:
        names.append(args.vararg.arg)
    if args.kwarg:
        names.append(args.kwarg.arg)
    return names


def _rebound_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        return [node.id]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        return [node.name]
    if isinstance(node, ast.MatchMapping) and node.rest:
        return [node.rest]
    return []


def refusal_reason(endpoint: Endpoint, lines: Sequence[str] | None = None) -> str | None:
    """Why ``endpoint`` cannot be extracted, or ``None`` when it can.

    Looks only at the endpoint itself, so it stays cheap; cross-file problems (a name that
    cannot be moved, an existing definition in the target module) surface when planning.
    """
    node = endpoint.node
    body = body_statements(node)
    if not body:
        return f"`{node.name}` has no logic to extract (only a docstring)"
    if all(
        isinstance(s, ast.Pass)
        or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and s.value.value is ...)
        for s in body
    ):
        return f"`{node.name}` has no logic to extract (its body is only `pass` or `...`)"
    if _shares_first_line(body[0], node, lines):
        return (
            f"`{node.name}` starts its logic on the line of its signature or docstring; "
            "put it on its own lines"
        )
    if node.args.vararg or node.args.kwarg:
        return f"`{node.name}` takes *args/**kwargs, which cannot be passed on by keyword"
    own_scope = own_scope_nodes(body)
    params = set(parameter_names(node))
    for child in own_scope:
        if isinstance(child, (ast.Yield, ast.YieldFrom)):
            return f"`{node.name}` is a generator (it uses `yield`); generators are not extracted"
        if isinstance(child, ast.Global):
            return f"`{node.name}` declares `global {', '.join(child.names)}`"
        if isinstance(child, ast.Nonlocal):
            return f"`{node.name}` declares `nonlocal {', '.join(child.names)}`"
    for child in own_scope_nodes(body, skip_comprehensions=True):
        for name in _rebound_names(child):
            if name in params:
                return (
                    f"`{node.name}` reassigns its parameter `{name}`; assign to a new local "
                    "name first so the service's argument keeps the caller's value"
                )
    for child in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(child, ast.Nonlocal | ast.Global):
            return f"a function inside `{node.name}` declares `global`/`nonlocal`"
    if _already_delegates(body):
        return f"`{node.name}` already delegates to a single call; nothing left to extract"
    if endpoint.owner is not None:
        uses = self_uses(endpoint.owner, node, body)
        if isinstance(uses, str):
            return uses
    return None


def _shares_first_line(
    first: ast.stmt, node: ast.FunctionDef | ast.AsyncFunctionDef, lines: Sequence[str] | None
) -> bool:
    """True when the body's first statement does not start its own line."""
    if lines is None or not 0 < first.lineno <= len(lines):
        return first.lineno <= signature_last_line(node)
    before = lines[first.lineno - 1].encode("utf-8")[: first.col_offset]
    return bool(before.decode("utf-8", errors="ignore").strip())


def _already_delegates(body: Sequence[ast.stmt]) -> bool:
    """True when the body is one ``[return] [await] module.function(name=name, ...)``, or
    ``function(name=name, ...)`` with a function imported by name (``from .service import
    create``: lower-case, not a builtin — ``JSONResponse(content=content)`` is logic)."""
    if len(body) != 1:
        return False
    statement = body[0]
    value: ast.expr | None
    if isinstance(statement, (ast.Return, ast.Expr)):
        value = statement.value
    else:
        return False
    if isinstance(value, ast.Await):
        value = value.value
    if not isinstance(value, ast.Call) or value.args:
        return False
    func = value.func
    by_name = (
        isinstance(func, ast.Name) and func.id[:1].islower() and not hasattr(builtins, func.id)
    )
    if not by_name and not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
        return False  # `return JSONResponse(content=content)` is logic, not delegation
    return all(
        keyword.arg is not None
        and (
            (isinstance(keyword.value, ast.Name) and keyword.value.id == keyword.arg)
            or (  # a class-based view passing its dependency: `session=self.session`
                isinstance(keyword.value, ast.Attribute)
                and isinstance(keyword.value.value, ast.Name)
                and keyword.value.attr == keyword.arg
            )
        )
        for keyword in value.keywords
    )


def signature_last_line(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """1-based line where the signature's closing ``:`` can be at the earliest."""
    candidates = [node.lineno]
    if node.returns is not None:
        candidates.append(node.returns.end_lineno or node.lineno)
    for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
        candidates.append(arg.end_lineno or arg.lineno)
    for default in (*node.args.defaults, *node.args.kw_defaults):
        if default is not None:
            candidates.append(default.end_lineno or default.lineno)
    return max(candidates)
