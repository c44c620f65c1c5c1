"""``update_forward_refs(**names)`` → ``model_rebuild(_types_namespace={...})`` (part of PYD014).

V1's ``Model.update_forward_refs(Header=Header)`` resolved the model's string annotations in
its module's globals plus the given names. V2's ``model_rebuild()`` takes no names and raises
``TypeError`` on them; it reads the same two namespaces when the names are passed as
``_types_namespace``. Writing them there (rather than dropping them because the calling module
happens to hold them) keeps the names visibly used, so no import becomes "unused" for ruff.

Besides calls on receivers known to be models (``method_calls``), this module converts the
duck-typed loop real code uses to rebuild every model of a package::

    for _name in __all__:
        _entity = globals()[_name]
        if not hasattr(_entity, "update_forward_refs"):
            continue
        _entity.update_forward_refs(**namespace)

Only V1 models have ``update_forward_refs``; in V2 exactly the models have ``model_rebuild``,
so the guard's name changes with the call.
"""

from __future__ import annotations

import ast

from fastapi_architect.pydantic_v2.conversion import Conversion
from fastapi_architect.pydantic_v2.findings import METHOD_CODE
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.pydantic_v2.type_adapters import enclosing_scopes

V1_NAME = "update_forward_refs"
V2_NAME = "model_rebuild"
GUARD_NAMES = frozenset({V1_NAME, V2_NAME})
EXITS = (ast.Continue, ast.Return, ast.Raise, ast.Break)


def mentions_update_forward_refs(source: str) -> bool:
    """Cheap pre-filter: could ``source`` rebuild a model through a ``hasattr`` guard?"""
    return V1_NAME in source and "hasattr" in source


def rebuild_arguments(src: Source, call: ast.Call) -> list[Replacement]:
    """The edits that turn ``update_forward_refs``'s keywords into ``model_rebuild``'s
    ``_types_namespace``: ``(A=B, **ns)`` → ``(_types_namespace={"A": B, **ns})``, keeping the
    layout of the arguments (none: no edit)."""
    if not call.keywords:
        return []
    opening = src.text.index("(", src.end(call.func))
    closing = src.end(call) - 1
    edits = [
        Replacement(opening, opening + 1, "(_types_namespace={"),
        Replacement(closing, closing + 1, "})"),
    ]
    for keyword in call.keywords:
        if keyword.arg is None and _inlined(src, keyword.value):
            # ``**{"A": B}`` → ``"A": B`` (a spread dict display inside a dict is noise).
            value = keyword.value
            edits.append(Replacement(src.start(keyword), src.start(value) + 1, ""))
            edits.append(Replacement(src.end(value) - 1, src.end(value), ""))
        elif keyword.arg is not None:
            # ``A=B`` → ``"A": B``: the name and ``=`` become a key.
            edits.append(
                Replacement(src.start(keyword), src.start(keyword.value), f'"{keyword.arg}": ')
            )
    return edits


def _inlined(src: Source, value: ast.expr) -> bool:
    """True when ``**value`` is a non-empty dict display without a trailing comma, whose
    items can stand in the enclosing dict as they are."""
    if not isinstance(value, ast.Dict) or not value.values:
        return False
    return not src.text[src.end(value.values[-1]) : src.end(value) - 1].strip()


def rebuild_problem(call: ast.Call) -> str | None:
    """Why ``call`` (an ``update_forward_refs`` call) has no ``model_rebuild`` form, or None."""
    if call.args:
        return "`update_forward_refs()` is called with positional arguments"
    return None


def plan_guarded_rebuilds(src: Source) -> list[Conversion]:
    """A conversion for every ``X.update_forward_refs(...)`` call guarded by
    ``hasattr(X, "update_forward_refs")`` (the receiver is unknown but must be a V1 model)."""
    if not mentions_update_forward_refs(src.text):
        return []
    scopes: dict[int, str] | None = None
    seen: dict[str, int] = {}
    conversions: list[Conversion] = []
    for guard, name, body in _guarded_blocks(src.tree):
        for call in _calls_on(body, name):
            if scopes is None:
                scopes = enclosing_scopes(src.tree)
            base = f"{scopes.get(id(call), '<module>')}:{name}.{V1_NAME}"
            seen[base] = seen.get(base, 0) + 1
            key = base if seen[base] == 1 else f"{base}#{seen[base]}"
            conversions.append(_plan(src, guard, call, name, key))
    return conversions


def _plan(src: Source, guard: ast.Constant, call: ast.Call, name: str, key: str) -> Conversion:
    func = call.func
    assert isinstance(func, ast.Attribute)
    start, end = src.start(func), src.end(call)
    where = f'`{name}.{V1_NAME}()` (behind `hasattr({name}, "{src.segment(guard)[1:-1]}")`)'
    problem = rebuild_problem(call)
    if problem is not None:
        message = f"{where} is deprecated in V2 (`.{V2_NAME}()`); not converted: {problem}."
        return Conversion(METHOD_CODE, key, "", message, start, end, refusal=message)
    message = (
        f"{where} is deprecated in V2, and its keyword arguments raise `TypeError`: "
        f"`.{V2_NAME}(_types_namespace={{...}})`, and the guard asks for `{V2_NAME}`, which "
        "exactly the models have, as only V1 models had `update_forward_refs`."
    )
    attr_start = src.end(func) - len(func.attr)
    edits = [
        Replacement(attr_start, src.end(func), V2_NAME),
        *rebuild_arguments(src, call),
    ]
    if guard.value == V1_NAME:
        edits.append(Replacement(src.start(guard), src.end(guard), f'"{V2_NAME}"'))
    title = f"Use `.{V2_NAME}()`"
    return Conversion(METHOD_CODE, key, title, message, start, end, edits)


def _guarded_blocks(tree: ast.Module) -> list[tuple[ast.Constant, str, list[ast.stmt]]]:
    """``(the guard's attribute name, the guarded variable, the statements it guards)`` for
    ``if hasattr(x, "update_forward_refs"): ...`` and for ``if not hasattr(...): continue``
    followed by the rest of its block."""
    found: list[tuple[ast.Constant, str, list[ast.stmt]]] = []
    for node in ast.walk(tree):
        for block in _blocks(node):
            for index, stmt in enumerate(block):
                if not isinstance(stmt, ast.If):
                    continue
                test, negated = stmt.test, False
                if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
                    test, negated = test.operand, True
                guard = _hasattr(test)
                if guard is None:
                    continue
                name, attr = guard
                if not negated:
                    found.append((attr, name, stmt.body))
                elif stmt.body and isinstance(stmt.body[-1], EXITS) and not stmt.orelse:
                    found.append((attr, name, block[index + 1 :]))
    return found


def _blocks(node: ast.AST) -> list[list[ast.stmt]]:
    return [
        value
        for field in ("body", "orelse", "finalbody")
        if isinstance(value := getattr(node, field, None), list)
        and value
        and isinstance(value[0], ast.stmt)
    ]


def _hasattr(test: ast.expr) -> tuple[str, ast.Constant] | None:
    """``(x, "update_forward_refs")`` of ``hasattr(x, "update_forward_refs")``."""
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "hasattr"
        and len(test.args) == 2
        and not test.keywords
        and isinstance(test.args[0], ast.Name)
        and isinstance(test.args[1], ast.Constant)
        and test.args[1].value in GUARD_NAMES
    ):
        return test.args[0].id, test.args[1]
    return None


def _calls_on(body: list[ast.stmt], name: str) -> list[ast.Call]:
    """``name.update_forward_refs(...)`` calls in ``body`` made before ``name`` is rebound
    (a nested function or class is another scope and is skipped)."""
    calls: list[ast.Call] = []
    for stmt in body:
        if _rebinds(stmt, name):
            break
        for node in _walk_scope(stmt):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == V1_NAME
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == name
            ):
                calls.append(node)
    return sorted(calls, key=lambda c: (c.lineno, c.col_offset))


def _walk_scope(stmt: ast.stmt) -> list[ast.AST]:
    nodes: list[ast.AST] = []
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        nodes.append(node)
        for child in ast.iter_child_nodes(node):
            if not isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
            ):
                stack.append(child)
    return nodes


def _rebinds(stmt: ast.stmt, name: str) -> bool:
    """True when ``stmt`` assigns ``name`` (the guard no longer speaks for it after that)."""
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store)
        for node in _walk_scope(stmt)
    )
