"""The service function a path operation delegates to, or whether its logic is inline.

``user_service.create_user(...)`` (a function of an imported services module),
``service.create(...)`` where ``service: UserServiceDep`` and
``UserServiceDep = Annotated[UserService, Depends(...)]`` in ``app/api/deps.py``, or a local
``service = UserService(db)``: each names ``app.services.user_service…``. A module belongs to
the services layer when one of its dotted parts is ``services`` or ``service`` or ends in
``_service``/``_services``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Imports = Mapping[str, tuple[str, "str | None"]]
"""Local name → (absolute module, imported attribute or ``None`` for ``import m``)."""

ModuleLookup = Callable[[str], "tuple[ast.Module, Imports] | None"]
"""Dotted module → its tree and imports, ``None`` outside the workspace."""

MAX_ALIAS_HOPS = 4
"""``Dep = Annotated[Service, Depends(...)]`` aliases followed across modules."""


@dataclass(frozen=True)
class ServiceCall:
    """A call from a handler into the services layer."""

    qualified_name: str
    """``app.services.user_service.UserService.create``."""
    line: int
    """0-based line of the call."""


def is_service_module(module: str) -> bool:
    """True when a dotted part of ``module`` names the services layer."""
    return any(
        part in ("services", "service") or part.endswith(("_service", "_services"))
        for part in module.split(".")
    )


def service_call(
    handler: ast.FunctionDef | ast.AsyncFunctionDef, imports: Imports, lookup: ModuleLookup
) -> ServiceCall | None:
    """The first call in ``handler``'s body that reaches the services layer.

    Constructing a service (``UserService(db)``, a capitalised name) is not delegating to it.
    """
    types: dict[str, tuple[str, str]] = {}
    arguments = [*handler.args.posonlyargs, *handler.args.args, *handler.args.kwonlyargs]
    for argument in arguments:
        if argument.annotation is not None:
            found = _type(argument.annotation, imports, lookup, 0)
            if found is not None:
                types[argument.arg] = found
    calls: list[ast.Call] = []
    for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            made = _type(node.value.func, imports, lookup, 0)
            if made is not None:
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        types[target.id] = made
        elif isinstance(node, ast.Call):
            calls.append(node)
    for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)):
        parts = _dotted(call.func)
        if not parts:
            continue
        head, rest = parts[0], parts[1:]
        if head in types:
            module, name = types[head]
            if rest:
                return ServiceCall(".".join((module, name, *rest)), call.lineno - 1)
            continue
        if head in imports:
            module, name = _imported(imports[head], lookup)
            called = [p for p in (name, *rest) if p]
            if is_service_module(module) and called and not called[-1][:1].isupper():
                qualified = ".".join(p for p in (module, name, *rest) if p)
                return ServiceCall(qualified, call.lineno - 1)
    return None


def has_inline_logic(handler: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """True when the body (docstring aside) does more than return a name or a constant."""
    body = handler.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if len(body) > 1:
        return True
    return any(
        isinstance(node, ast.Call) for node in ast.walk(ast.Module(body=body, type_ignores=[]))
    )


def _dotted(node: ast.expr) -> tuple[str, ...]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ()
    parts.append(node.id)
    return tuple(reversed(parts))


def _imported(target: tuple[str, str | None], lookup: ModuleLookup) -> tuple[str, str]:
    """(module, name in it) of an import; a submodule import names no attribute."""
    module, attribute = target
    if attribute is None:
        return module, ""
    if lookup(f"{module}.{attribute}") is not None or is_service_module(attribute):
        return f"{module}.{attribute}", ""
    return module, attribute


def _type(
    node: ast.expr, imports: Imports, lookup: ModuleLookup, hops: int
) -> tuple[str, str] | None:
    """(services module, class) an annotation or constructor names, through aliases."""
    if isinstance(node, ast.Subscript):
        head = _dotted(node.value)
        if head and head[-1] == "Annotated":
            first = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
            return _type(first, imports, lookup, hops)
        return None
    parts = _dotted(node)
    if not parts or parts[0] not in imports:
        return None
    module, name = _imported(imports[parts[0]], lookup)
    names = [p for p in (name, *parts[1:]) if p]
    if not names:
        return None
    if is_service_module(module):
        return module, ".".join(names)
    if hops >= MAX_ALIAS_HOPS or len(names) != 1:
        return None
    found = lookup(module)
    if found is None:
        return None
    tree, their_imports = found
    if names[0] in their_imports:
        return _type(ast.Name(names[0]), their_imports, lookup, hops + 1)
    alias = _alias(tree, names[0])
    return None if alias is None else _type(alias, their_imports, lookup, hops + 1)


def _alias(tree: ast.Module, name: str) -> ast.expr | None:
    """The value of the module-level ``name = ...`` / ``type name = ...`` alias."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                return node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            if isinstance(node.target, ast.Name) and node.target.id == name:
                return node.value
        elif type(node).__name__ == "TypeAlias":  # ``type Dep = ...`` (Python 3.12+)
            target = getattr(node, "name", None)
            if isinstance(target, ast.Name) and target.id == name:
                value: ast.expr = getattr(node, "value")  # noqa: B009
                return value
    return None
