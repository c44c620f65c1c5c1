"""Which uses of a name read the module's own binding of it, and which are locals that shadow it.

``from pydantic.schema import schema`` and, in a test function, ``schema = Schema(...)``:
the function's ``schema`` is a local variable (Python decides per scope, for the whole
function), so only the other reads are calls of the imported function. Class bodies, lambdas
and comprehensions are scopes too; defaults, decorators and annotations of a function run in
the scope around it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Container, Iterator, Sequence
from dataclasses import dataclass, field

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass
class ModuleReads:
    """For each name asked about: the loads that read the module binding, the rest."""

    reads: dict[str, list[ast.Name]] = field(default_factory=dict)
    """``ast.Name`` loads resolving to the module-level binding, in document order."""
    others: dict[str, int] = field(default_factory=dict)
    """How many other ``ast.Name`` nodes spell the name (locals, parameters, targets)."""
    rebound: set[str] = field(default_factory=set)
    """Names bound at module level by anything but one import (an assignment, a ``def``, a
    second import, a ``global`` statement)."""
    stores: dict[str, int] = field(default_factory=dict)
    """How many module-level targets assign (or delete) the name."""
    declared_global: set[str] = field(default_factory=set)
    """Names a function declares ``global``."""
    calls: dict[int, ast.Call] = field(default_factory=dict)
    """``id`` of a read that is called → the call."""


def module_reads(
    tree: ast.Module, names: Collection[str], lines: Sequence[str] | None = None
) -> ModuleReads:
    """Sort every ``ast.Name`` of ``names`` in ``tree`` into module reads and the others
    (``lines``: the source's lines, to skip the top-level statements that never spell them)."""
    wanted = frozenset(names)
    found = ModuleReads({name: [] for name in wanted}, dict.fromkeys(wanted, 0))
    found.stores = dict.fromkeys(wanted, 0)
    body = tree.body if lines is None else [s for s in tree.body if _spells(s, lines, wanted)]
    _Visitor(wanted, found).visit_body(body, ())
    imports: dict[str, int] = dict.fromkeys(wanted, 0)
    for node in _own_nodes(body):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                local = (alias.asname or alias.name).split(".")[0]
                if local in imports:
                    imports[local] += 1
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and (
            node.name in wanted
        ):
            found.rebound.add(node.name)
    found.rebound.update(name for name, count in imports.items() if count > 1)
    for name in wanted:
        found.reads[name].sort(key=lambda node: (node.lineno, node.col_offset))
    return found


class _Bindings:
    """A scope's local names, found on the first question (most scopes never get one)."""

    def __init__(self, find: Callable[[], frozenset[str]]) -> None:
        self._find = find
        self._names: frozenset[str] | None = None

    def __contains__(self, name: object) -> bool:
        if self._names is None:
            self._names = self._find()
        return name in self._names


def _called_name(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else None


def _spells(stmt: ast.stmt, lines: Sequence[str], wanted: frozenset[str]) -> bool:
    """True when the text of ``stmt`` (decorators included) contains one of ``wanted``."""
    first = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", []))])
    text = "".join(lines[first - 1 : stmt.end_lineno or stmt.lineno])
    return any(name in text for name in wanted)


class _Visitor:
    def __init__(self, wanted: frozenset[str], found: ModuleReads) -> None:
        self.wanted = wanted
        self.found = found

    def visit_body(self, nodes: list[ast.stmt], scopes: tuple[Container[str], ...]) -> None:
        for node in nodes:
            self.visit(node, scopes)

    def visit(
        self, node: ast.AST, scopes: tuple[Container[str], ...], in_class: bool = False
    ) -> None:
        """Visit ``node`` read in the function scopes ``scopes`` (innermost last); ``in_class``:
        directly in a class body, whose own bindings are the last of ``scopes``."""
        if isinstance(node, ast.Name):
            self._name(node, scopes)
            return
        if isinstance(node, ast.Call) and _called_name(node) in self.wanted:
            self.found.calls[id(node.func)] = node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            outer = scopes[:-1] if in_class else scopes
            for expr in _evaluated_outside(node):
                self.visit(expr, scopes, in_class)
            self.visit_body(node.body, (*outer, _Bindings(lambda: _bound_in(node))))
        elif isinstance(node, ast.Lambda):
            outer = scopes[:-1] if in_class else scopes
            for expr in _evaluated_outside(node):
                self.visit(expr, scopes, in_class)
            self.visit(node.body, (*outer, _Bindings(lambda: _bound_in(node))))
        elif isinstance(node, ast.ClassDef):
            for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
                self.visit(expr, scopes, in_class)
            outer = scopes[:-1] if in_class else scopes
            own = _Bindings(lambda: frozenset(_bindings(node.body)[0]))
            for stmt in node.body:
                self.visit(stmt, (*outer, own), in_class=True)
        elif isinstance(node, _COMPREHENSIONS):
            self._comprehension(node, scopes, in_class)
        else:
            if isinstance(node, ast.Global) and not scopes:
                return
            if isinstance(node, ast.Global):
                declared = {n for n in node.names if n in self.wanted}
                self.found.rebound.update(declared)
                self.found.declared_global.update(declared)
            for child in ast.iter_child_nodes(node):
                self.visit(child, scopes, in_class)

    def _comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp,
        scopes: tuple[Container[str], ...],
        in_class: bool,
    ) -> None:
        first, *rest = node.generators
        self.visit(first.iter, scopes, in_class)  # runs in the enclosing scope
        outer = scopes[:-1] if in_class else scopes
        targets = frozenset(
            n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)
        )
        inner = (*outer, targets)
        for generator in node.generators:
            self.visit(generator.target, inner)
            for condition in generator.ifs:
                self.visit(condition, inner)
        for generator in rest:
            self.visit(generator.iter, inner)
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for part in parts:
            self.visit(part, inner)

    def _name(self, node: ast.Name, scopes: tuple[Container[str], ...]) -> None:
        if node.id not in self.wanted:
            return
        if not scopes:  # module level
            if isinstance(node.ctx, ast.Load):
                self.found.reads[node.id].append(node)
            else:
                self.found.rebound.add(node.id)
                self.found.stores[node.id] += 1
                self.found.others[node.id] += 1
            return
        if isinstance(node.ctx, ast.Load) and not any(node.id in scope for scope in scopes):
            self.found.reads[node.id].append(node)
        else:
            self.found.others[node.id] += 1


def _evaluated_outside(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[ast.expr]:
    """What a ``def`` / ``lambda`` evaluates in the scope around it."""
    args = node.args
    found: list[ast.expr] = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
    if isinstance(node, ast.Lambda):
        return found
    found.extend(node.decorator_list)
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
        if arg is not None and arg.annotation is not None:
            found.append(arg.annotation)
    if node.returns is not None:
        found.append(node.returns)
    return found


def _bound_in(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> frozenset[str]:
    """The names local to a function: its parameters and what its body binds (minus
    ``global`` names)."""
    args = node.args
    params = {
        a.arg
        for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        if a is not None
    }
    if isinstance(node, ast.Lambda):
        return frozenset(params)
    bound, declared_global = _bindings(node.body)
    return frozenset((params | bound) - declared_global)


def _bindings(body: list[ast.stmt]) -> tuple[set[str], set[str]]:
    """Names a block binds in its own scope (not inside nested functions, classes or
    comprehensions, whose names are their own), and the names it declares ``global``."""
    bound: set[str] = set()
    declared: set[str] = set()
    for node in _own_nodes(body):
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif isinstance(node, ast.Nonlocal):
            bound.update(node.names)  # an enclosing function's variable, not the module's
        elif isinstance(node, ast.Global):
            declared.update(node.names)
    return bound, declared


def _own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of ``body`` in its own scope, and the nested scopes' defining nodes."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if isinstance(node, (*_FUNCTIONS, *_COMPREHENSIONS)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
