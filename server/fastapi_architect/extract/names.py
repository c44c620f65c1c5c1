"""Which names a piece of code reads, which it binds, and where a module defines its names."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from fastapi_architect.imports import ImportBinding, bindings_of

BUILTINS = frozenset(dir(builtins)) | {"__name__", "__file__", "__doc__", "__spec__"}

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_APP_FACTORIES = frozenset({"APIRouter", "FastAPI"})
_TYPE_ALIAS: tuple[type[ast.AST], ...] = tuple(
    kind for kind in [getattr(ast, "TypeAlias", None)] if kind is not None
)
"""``type X = ...`` statements (Python 3.12+)."""


def loaded_names(nodes: Iterable[ast.AST]) -> set[str]:
    """Every name read anywhere under ``nodes`` (including nested functions)."""
    found: set[str] = set()
    for root in nodes:
        for node in ast.walk(root):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                found.add(node.id)
    return found


def bound_names(nodes: Iterable[ast.AST]) -> set[str]:
    """Every name bound anywhere under ``nodes``: assignments, defs, imports, parameters."""
    found: set[str] = set()
    for root in nodes:
        for node in ast.walk(root):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                found.add(node.id)
            elif isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
                found.add(node.name)
            elif isinstance(node, ast.arg):
                found.add(node.arg)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                found.update(binding.bound for binding in bindings_of(node, ""))
            elif (isinstance(node, ast.ExceptHandler) and node.name) or (
                isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name
            ):
                found.add(node.name)
    return found


def free_names(nodes: Iterable[ast.AST]) -> set[str]:
    """Names read under ``nodes`` that they do not bind themselves and are not builtins."""
    nodes = list(nodes)
    return loaded_names(nodes) - bound_names(nodes) - BUILTINS


def definition_free_names(node: ast.stmt) -> set[str]:
    """Names a top-level definition needs from its module (its own name excluded)."""
    if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
        outer: list[ast.AST] = [*node.decorator_list]
        if isinstance(node, ast.ClassDef):
            outer += [*node.bases, *(k.value for k in node.keywords)]
            inner: list[ast.AST] = list(node.body)
        else:
            args = node.args
            outer += [d for d in (*args.defaults, *args.kw_defaults) if d is not None]
            outer += [
                a.annotation
                for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg)
                if a is not None and a.annotation is not None
            ]
            if node.returns is not None:
                outer.append(node.returns)
            inner = [node]
        return (loaded_names(outer) - BUILTINS) | (free_names(inner) - {node.name})
    if isinstance(node, ast.Assign):
        return loaded_names([node.value]) - BUILTINS
    if isinstance(node, ast.AnnAssign):
        parts: list[ast.AST] = [node.annotation]
        if node.value is not None:
            parts.append(node.value)
        return loaded_names(parts) - BUILTINS
    if isinstance(node, _TYPE_ALIAS):
        alias_value: ast.expr = cast(Any, node).value
        return loaded_names([alias_value]) - BUILTINS
    return free_names([node])


@dataclass
class ModuleSymbols:
    """What a module's top level binds, and how."""

    imports: dict[str, ImportBinding] = field(default_factory=dict)
    definitions: dict[str, ast.stmt] = field(default_factory=dict)
    """Names bound by exactly one movable top-level statement (def, class, simple assignment)."""
    unmovable: dict[str, str] = field(default_factory=dict)
    """Names bound in ways the refactoring cannot move, with the reason."""
    app_objects: set[str] = field(default_factory=set)
    """Names bound to ``APIRouter(...)`` / ``FastAPI(...)``."""
    future_annotations: bool = False
    relative: set[ImportBinding] = field(default_factory=set)
    """Imports written relatively (``from . import crud``), resolved to absolute modules."""
    rebound: dict[str, str] = field(default_factory=dict)
    """Top-level names rebound after their definition, with how (``by `bump` (global
    statement)``); moving one would leave the service a stale copy."""

    def all_names(self) -> set[str]:
        """Every name the module binds at its top level."""
        return set(self.imports) | set(self.definitions) | set(self.unmovable)


def _single_target(node: ast.stmt) -> str | None:
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, _TYPE_ALIAS):
        name = getattr(node, "name", None)
        return name.id if isinstance(name, ast.Name) else None
    if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
        return node.name
    return None


def _is_app_factory(value: ast.expr | None) -> bool:
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Name):
        return func.id in _APP_FACTORIES
    return isinstance(func, ast.Attribute) and func.attr in _APP_FACTORIES


def _scope_bindings(statement: ast.stmt) -> set[str]:
    """Names a (compound) statement binds in the scope it runs in, not in nested scopes."""
    found: set[str] = set()
    pending: list[ast.AST] = [statement]
    while pending:
        node = pending.pop()
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            found.add(node.name)
            continue
        if isinstance(
            node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
        ):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            found.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update(binding.bound for binding in bindings_of(node, ""))
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            found.add(node.name)
        pending.extend(ast.iter_child_nodes(node))
    return found


def _rebinding_kind(node: ast.stmt) -> str:
    if isinstance(node, ast.AugAssign):
        return "augmented assignment at module level"
    if isinstance(node, ast.Delete):
        return "`del` at module level"
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        return "assignment at module level"
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return "an import at module level"
    if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
        return "a definition at module level"
    return f"a top-level `{type(node).__name__.lower()}` statement"


def _global_statements(tree: ast.Module) -> dict[str, str]:
    """Names declared ``global`` inside a function, with the innermost function declaring it."""
    found: dict[str, str] = {}
    pending: list[tuple[ast.AST, str | None]] = [(tree, None)]
    while pending:
        node, owner = pending.pop()
        if isinstance(node, ast.Global) and owner is not None:
            for name in node.names:
                found.setdefault(name, owner)
            continue
        if isinstance(node, _FUNCTIONS):
            owner = node.name
        elif isinstance(node, ast.Lambda):
            owner = "a lambda"
        elif isinstance(node, ast.expr) and not isinstance(node, ast.Lambda):
            continue  # expressions hold no statements (lambdas hold no `global` either)
        pending.extend((child, owner) for child in ast.iter_child_nodes(node))
    return found


def module_symbols(tree: ast.Module, package: str, source: str | None = None) -> ModuleSymbols:
    """Index the top-level bindings of ``tree`` (relative imports resolved inside ``package``).

    With the module's ``source``, the search for ``global`` statements is skipped when the
    word does not occur in it."""
    symbols = ModuleSymbols()
    seen: dict[str, int] = {}

    def note(name: str, node: ast.stmt) -> None:
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 2:
            symbols.rebound.setdefault(name, f"by {_rebinding_kind(node)}")

    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                symbols.future_annotations |= any(a.name == "annotations" for a in node.names)
                continue
            for binding in bindings_of(node, package):
                earlier = symbols.imports.get(binding.bound)
                if earlier is not None and earlier.module is None and binding.module is None:
                    continue  # `import os` and `import os.path` both bind `os`: harmless
                note(binding.bound, node)
                symbols.imports[binding.bound] = binding
                if isinstance(node, ast.ImportFrom) and node.level:
                    symbols.relative.add(binding)
            continue
        target = _single_target(node)
        if target is not None:
            note(target, node)
            symbols.definitions[target] = node
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and _is_app_factory(node.value):
                symbols.app_objects.add(target)
            continue
        for name in _scope_bindings(node):
            note(name, node)
            symbols.unmovable[name] = (
                f"`{name}` is bound by a top-level `{type(node).__name__.lower()}` statement"
            )
    for name, count in seen.items():
        if count > 1:
            symbols.definitions.pop(name, None)
            symbols.imports.pop(name, None)
            symbols.unmovable[name] = f"`{name}` is bound more than once at the module's top level"
    scan = source is None or "global" in source
    for name, owner in (_global_statements(tree) if scan else {}).items():
        symbols.rebound[name] = f"by `{owner}` (global statement)"
    return symbols


def lookup_bindings(trees: Iterable[ast.AST]) -> set[str]:
    """Names bound in any scope a name lookup can see (module, functions, comprehensions);
    class-body attributes are left out, as lookups inside methods skip them."""
    found: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Module):
                for statement in node.body:
                    found |= _scope_bindings(statement)
            elif isinstance(node, (*_FUNCTIONS, ast.Lambda)):
                found |= {arg.arg for arg in ast.walk(node.args) if isinstance(arg, ast.arg)}
                if isinstance(node, _FUNCTIONS):
                    for statement in node.body:
                        found |= _scope_bindings(statement)
            elif isinstance(node, ast.comprehension):
                found |= bound_names([node.target])
    return found


def bound_names_at_top(statement: ast.stmt) -> set[str]:
    """Names a top-level statement binds in its module (``__future__`` imports excluded)."""
    if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
        return set()
    return _scope_bindings(statement)
