"""What a name is bound to at one point of a module, read from the tree as Python scopes it.

Module-level names follow the statements in order: an import or definition replaces what came
before, and after an ``if`` / ``try`` / loop the name may hold what either branch bound (a
branch that binds nothing leaves the earlier binding possible; a name bound in no branch before
is unbound there, which code that runs cannot see). Code inside a function runs later, so it
sees the module's final bindings, unless the function (or one around it) binds the name itself.
A class statement reads its bases and body where it stands: ``class BaseModel(BaseModel)``
derives from the imported class, later uses mean the new one.

Star imports bind the names ``star_names`` gives for their module; a star import from another
module is assumed to bind none of the names asked about.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

Position = tuple[int, int]
State = dict[str, frozenset["Binding"]]


@dataclass(frozen=True)
class Binding:
    """One thing a name may be bound to.

    ``from``: ``from module import name``; ``module``: ``import module`` (``module`` is the
    dotted module the name stands for); ``other``: anything else (``what`` says what).
    ``in_function``: an import inside a function, which a module-level import edit cannot
    remove."""

    kind: str
    module: str = ""
    name: str = ""
    what: str = ""
    in_function: bool = False


UNBOUND: frozenset[Binding] = frozenset()
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _start(node: ast.stmt | ast.expr) -> Position:
    return node.lineno, node.col_offset


def _end(node: ast.stmt | ast.expr) -> Position:
    return node.end_lineno or node.lineno, node.end_col_offset or 0


class ModuleBindings:
    """The bindings of a module's names at every point, built once per tree."""

    def __init__(self, tree: ast.Module, star_names: Callable[[str], frozenset[str]]) -> None:
        self._star_names = star_names
        self._timelines: dict[str, tuple[list[Position], list[frozenset[Binding]]]] = {}
        self._definitions: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef] = []
        self._functions: _Functions | None = None
        self._locals: dict[int, dict[str, frozenset[Binding]]] = {}
        self._nested: dict[int, _Functions] = {}
        self._answers: dict[tuple[str, Position], frozenset[Binding]] = {}
        self._run(tree.body, {})

    def at(self, name: str, node: ast.expr | ast.stmt | None) -> frozenset[Binding]:
        """What ``name`` may be bound to where ``node`` is read (empty: unbound); ``None``:
        once the module has run, as a function called later sees it."""
        if node is None:
            found = self._timelines.get(name)
            return found[1][-1] if found else UNBOUND
        position = _start(node)
        known = self._answers.get((name, position))
        if known is None:
            known = self._answers[name, position] = self._lookup(name, position)
        return known

    def _lookup(self, name: str, position: Position) -> frozenset[Binding]:
        chain = self._enclosing_functions(position)
        for function in reversed(chain):
            local = self._local_bindings(function).get(name)
            if local is not None:
                return local
        timeline = self._timelines.get(name)
        if timeline is None:
            return UNBOUND
        positions, values = timeline
        if chain:
            return values[-1]
        index = bisect_right(positions, position)
        return values[index - 1] if index else UNBOUND

    # --- module level, in statement order ------------------------------------------------

    def _record(self, name: str, position: Position, value: frozenset[Binding]) -> None:
        positions, values = self._timelines.setdefault(name, ([], []))
        if (values[-1] if values else UNBOUND) != value:
            positions.append(position)
            values.append(value)

    def _reset(self, state: State, position: Position) -> None:
        """Code from ``position`` on sees ``state`` (a branch that starts from the state before
        the one just read, or the merged state after a compound statement)."""
        for name in [*self._timelines, *state]:
            self._record(name, position, state.get(name, UNBOUND))

    def _branch(self, body: list[ast.stmt], state: State) -> State:
        if body:
            self._reset(state, _start(body[0]))
        return self._run(body, dict(state))

    def _run(self, body: list[ast.stmt], state: State) -> State:
        for stmt in body:
            if isinstance(stmt, ast.If):
                state = _merge(self._branch(stmt.body, state), self._branch(stmt.orelse, state))
            elif isinstance(stmt, ast.Try):
                done = self._branch(stmt.body, state)
                failed = _merge(state, done)  # the body may stop anywhere
                outcomes = [self._branch(stmt.orelse, done)]
                for handler in stmt.handlers:
                    start = dict(failed)
                    if handler.name:
                        start[handler.name] = frozenset({Binding("other", what="an exception")})
                    outcomes.append(self._branch(handler.body, start))
                state = _merge(*outcomes)
                if stmt.finalbody:
                    state = self._branch(stmt.finalbody, state)
            elif isinstance(stmt, ast.For | ast.AsyncFor | ast.While):
                start = dict(state)
                if not isinstance(stmt, ast.While):
                    for name in _target_names(stmt.target):
                        start[name] = frozenset({Binding("other", what="a loop variable")})
                looped = self._branch(stmt.body, start)
                state = self._branch(stmt.orelse, _merge(state, looped))
            elif isinstance(stmt, ast.With | ast.AsyncWith):
                for item in stmt.items:
                    for name in _target_names(item.optional_vars):
                        state[name] = frozenset({Binding("other", what="bound by `with`")})
                state = self._branch(stmt.body, state)
            elif isinstance(stmt, ast.Match):
                outcomes = [state]
                for case in stmt.cases:
                    outcomes.append(self._branch(case.body, state))
                state = _merge(*outcomes)
            else:
                if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    self._definitions.append(stmt)
                for name, binding in _statement_bindings(stmt, self._star_names):
                    state[name] = binding
                    self._record(name, _end(stmt), binding)
                continue
            self._reset(state, _end(stmt))
        return state

    # --- functions: run later, may bind the name themselves --------------------------------

    def _enclosing_functions(
        self, position: Position
    ) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        """The functions whose body holds ``position``, outermost first."""
        chain: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        if self._functions is None:
            found: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
            for node in self._definitions:
                if isinstance(node, ast.ClassDef):
                    found.extend(_methods(node))
                else:
                    found.append(node)
            self._functions = _Functions(found)
        candidates = self._functions
        while True:
            inside = candidates.containing(position)
            if inside is None:
                return chain
            chain.append(inside)
            candidates = self._nested_functions(inside)

    def _nested_functions(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> _Functions:
        """The functions defined in ``function`` (directly, or in classes there)."""
        known = self._nested.get(id(function))
        if known is None:
            found: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
            stack: list[ast.AST] = list(function.body)
            while stack:
                node = stack.pop()
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    found.append(node)
                    continue
                stack.extend(ast.iter_child_nodes(node))
            known = self._nested[id(function)] = _Functions(found)
        return known

    def _local_bindings(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> dict[str, frozenset[Binding]]:
        found = self._locals.get(id(function))
        if found is None:
            found = _function_locals(function, self._star_names)
            self._locals[id(function)] = found
        return found


def _merge(*states: State) -> State:
    merged: State = {}
    for state in states:
        for name, value in state.items():
            merged[name] = merged.get(name, UNBOUND) | value
    return merged


class _Functions:
    """Functions whose bodies do not overlap (one nesting level), found by position."""

    def __init__(self, functions: list[ast.FunctionDef | ast.AsyncFunctionDef]) -> None:
        self._functions = sorted(functions, key=lambda f: _start(f.body[0]))
        self._starts = [_start(f.body[0]) for f in self._functions]

    def containing(self, position: Position) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function whose body holds ``position`` (not its decorators or defaults)."""
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and position < _end(self._functions[index]):
            return self._functions[index]
        return None


def _methods(node: ast.ClassDef) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Functions defined in a class body (also in nested classes and branches there)."""
    stack: list[ast.AST] = list(node.body)
    while stack:
        child = stack.pop()
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield child
        elif isinstance(child, ast.stmt):
            stack.extend(c for c in ast.iter_child_nodes(child) if isinstance(c, ast.stmt))
            if isinstance(child, ast.Try):
                stack.extend(s for h in child.handlers for s in h.body)
            elif isinstance(child, ast.Match):
                stack.extend(s for case in child.cases for s in case.body)


def _target_names(target: ast.expr | None) -> Iterator[str]:
    if target is None:
        return
    for node in ast.walk(target):
        if isinstance(node, ast.Name):
            yield node.id


def _statement_bindings(
    stmt: ast.stmt, star_names: Callable[[str], frozenset[str]]
) -> Iterator[tuple[str, frozenset[Binding]]]:
    """The names one simple statement binds, and to what."""
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            if alias.asname:
                yield alias.asname, frozenset({Binding("module", alias.name)})
            else:
                head = alias.name.split(".")[0]
                yield head, frozenset({Binding("module", head)})
    elif isinstance(stmt, ast.ImportFrom):
        module = "." * stmt.level + (stmt.module or "")
        for alias in stmt.names:
            if alias.name == "*":
                for name in sorted(star_names(module)):
                    yield name, frozenset({Binding("from", module, name)})
            else:
                yield alias.asname or alias.name, frozenset({Binding("from", module, alias.name)})
    elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        yield stmt.name, frozenset({Binding("other", what="defined in this module")})
    elif isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
        if isinstance(stmt, ast.AnnAssign) and stmt.value is None:
            return  # ``x: int`` binds nothing at module level
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            for name in _target_names(target):
                yield name, frozenset({Binding("other", what="assigned in this module")})
    elif isinstance(stmt, ast.Delete):
        for target in stmt.targets:
            for name in _target_names(target):
                yield name, UNBOUND


def _function_locals(
    function: ast.FunctionDef | ast.AsyncFunctionDef, star_names: Callable[[str], frozenset[str]]
) -> dict[str, frozenset[Binding]]:
    """Every name the function binds in its own scope, with all it may be bound to there."""
    found: dict[str, frozenset[Binding]] = {}
    declared: set[str] = set()

    def add(name: str, value: frozenset[Binding]) -> None:
        found[name] = found.get(name, UNBOUND) | value

    parameter = frozenset({Binding("other", what="a parameter")})
    arguments = function.args
    for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
        add(arg.arg, parameter)
    for extra in (arguments.vararg, arguments.kwarg):
        if extra is not None:
            add(extra.arg, parameter)
    local = frozenset({Binding("other", what="a local variable")})
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Global | ast.Nonlocal):
            declared.update(node.names)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for name, value in _statement_bindings(node, star_names):
                add(name, frozenset(replace(b, in_function=True) for b in value))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            add(node.name, frozenset({Binding("other", what="defined in this function")}))
            stack.extend(node.decorator_list)
            if not isinstance(node, ast.ClassDef):
                stack.extend(node.args.defaults)
                stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        elif isinstance(node, (ast.Lambda, *COMPREHENSIONS)):
            continue
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            add(node.id, local)
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            add(node.name, local)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            add(node.rest, local)
        stack.extend(ast.iter_child_nodes(node))
    for name in declared:
        found.pop(name, None)
    return found
