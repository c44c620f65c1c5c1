"""``f: Callable[["Foo"], None]`` where ``Foo`` is not defined at run time → ``Any`` (PYD035).

V1 checked only that a ``Callable`` field's value is callable and never resolved the names
quoted inside ``Callable[...]``, so ``"Foo"`` could name a class imported under
``TYPE_CHECKING`` (or nowhere). V2 resolves every forward reference of a field's annotation:
when a quoted name is not bound at module level it refuses to use the model (``A is not fully
defined; you should define Foo, then call A.model_rebuild()``). V2 still checks only that the
value is callable, so ``Any`` in place of the quoted name keeps V1's validation (type checkers
then see ``Any`` there; importing the name at run time is the alternative the message names).

Only module-level models without ``from __future__ import annotations`` are considered (with
it V1 resolved the names too, and failed the same way), and a module that passes names to
``update_forward_refs`` / ``model_rebuild`` or star-imports is left alone (the name may come
from there).
"""

from __future__ import annotations

import ast
import builtins
import re

from fastapi_architect.astutil import last_name
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import CALLABLE_REF_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.pydantic_v2.spelling import Unspellable, typing_spelling

BUILTIN_NAMES = frozenset(dir(builtins))
REBUILD_WITH_NAMES = re.compile(r"\b(?:update_forward_refs|model_rebuild)\(\s*[^)\s]")
TITLE = "Write `Any` for the names V2 cannot resolve inside `Callable[...]`"


def plan_callable_refs(
    src: Source, classes: list[ModelClass], names: PydanticNames
) -> list[Conversion]:
    """A conversion for every model field whose ``Callable[...]`` quotes a name that is not
    bound at run time."""
    if "Callable" not in src.text or REBUILD_WITH_NAMES.search(src.text):
        return []
    if _postponed(src.tree) or _star_import(src.tree):
        return []
    bound: set[str] | None = None
    found: list[tuple[ModelClass, str, ast.AnnAssign, list[tuple[ast.Constant, list[str]]]]] = []
    for model in classes:
        if model.inside_function or not model.known_model:
            continue
        class_names = _class_body_names(model.node)
        for name, decl in model.fields.items():
            annotation = decl.stmt.annotation
            if isinstance(annotation, ast.Constant) or "Callable" not in src.segment(annotation):
                continue
            if bound is None:
                bound = _runtime_names(src.tree)
            known = bound | class_names
            quoted = [
                (node, missing)
                for node in _quoted_in_callables(annotation)
                if (missing := _unbound(str(node.value), known))
            ]
            quoted.sort(key=lambda pair: (pair[0].lineno, pair[0].col_offset))
            if quoted:
                found.append((model, name, decl.stmt, quoted))
    totals: dict[str, int] = {}
    for *_, quoted in found:
        for used, count in _uses(quoted).items():
            totals[used] = totals.get(used, 0) + count
    freed = {
        name
        for name, count in totals.items()
        if len(re.findall(rf"(?<![\w.]){re.escape(name)}\b", src.text)) == count + 1
    }
    conversions = [
        _plan(src, model, name, stmt, quoted, names, freed) for model, name, stmt, quoted in found
    ]
    return conversions


def _postponed(tree: ast.Module) -> bool:
    return any(
        isinstance(stmt, ast.ImportFrom)
        and stmt.module == "__future__"
        and any(alias.name == "annotations" for alias in stmt.names)
        for stmt in tree.body
    )


def _star_import(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names)
        for node in ast.walk(tree)
    )


def _runtime_names(tree: ast.Module) -> set[str]:
    """Names the module binds at run time, at module level (``if TYPE_CHECKING:`` bodies
    excluded, their ``else`` included), plus the builtins."""
    found = set(BUILTIN_NAMES)

    def visit(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.If):
                if not _is_type_checking(stmt.test):
                    visit(stmt.body)
                visit(stmt.orelse)
                continue
            if isinstance(stmt, ast.Try):
                for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse):
                    visit(block)
                visit(stmt.finalbody)
                continue
            if isinstance(stmt, ast.With | ast.For | ast.While):
                visit(stmt.body)
            if isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                found.add(stmt.name)
            elif isinstance(stmt, ast.Import | ast.ImportFrom):
                for alias in stmt.names:
                    found.add(alias.asname or alias.name.split(".")[0])
            else:
                for node in ast.walk(stmt):
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        found.add(node.id)

    visit(tree.body)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return last_name(test) == "TYPE_CHECKING"


def _class_body_names(node: ast.ClassDef) -> set[str]:
    return {node.name} | {
        stmt.name
        for stmt in node.body
        if isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _quoted_in_callables(annotation: ast.expr) -> list[ast.Constant]:
    """String constants anywhere inside the brackets of a ``Callable[...]`` of the annotation."""
    found: list[ast.Constant] = []
    for node in ast.walk(annotation):
        if isinstance(node, ast.Subscript) and last_name(node.value) == "Callable":
            found.extend(
                inner
                for inner in ast.walk(node.slice)
                if isinstance(inner, ast.Constant)
                and isinstance(inner.value, str)
                and inner not in found
            )
    return found


def _unbound(text: str, known: set[str]) -> list[str]:
    """The names a quoted annotation reads that ``known`` lacks ([] when it does not parse:
    V1 and V2 then fail alike)."""
    try:
        expr = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return []
    missing: list[str] = []
    for node in ast.walk(expr):
        if isinstance(node, ast.Name) and node.id not in known and node.id not in missing:
            missing.append(node.id)
    return missing


def _plan(
    src: Source,
    model: ModelClass,
    name: str,
    stmt: ast.AnnAssign,
    quoted: list[tuple[ast.Constant, list[str]]],
    names: PydanticNames,
    freed: set[str],
) -> Conversion:
    """``freed``: names whose every use outside their import the conversions replace (the
    import goes once all of them are applied: ruff would flag it)."""
    key = f"{model.qualname}.{name}:callable"
    start, end = src.start(stmt), src.end(stmt.annotation)
    missing = list(dict.fromkeys(n for _, found in quoted for n in found))
    shown = ", ".join(f"`{n}`" for n in missing)
    change = (
        f"`{name}: {src.segment(stmt.annotation)}`: V1 never resolved the names quoted inside "
        f"`Callable[...]`; V2 does, and {shown} {'is' if len(missing) == 1 else 'are'} not "
        f"defined at run time in this module, so V2 refuses to use `{model.node.name}` "
        f'("`{model.node.name}` is not fully defined")'
    )
    try:
        any_name, binding = typing_spelling(names, "Any", stmt)
    except Unspellable as why:
        return refused(
            CALLABLE_REF_CODE,
            key,
            f"{change}. Not converted: {why}; import {shown} at run time or write "
            "`typing.Any` there.",
            start,
            end,
        )
    edits = [Replacement(src.start(node), src.end(node), any_name) for node, _ in quoted]
    consumed = {used: count for used, count in _uses(quoted).items() if used in freed}
    message = (
        f"{change}. `{any_name}` there keeps V1's validation (V2 only checks that the value is "
        f"callable; type checkers then see `Any`); importing {shown} at run time is the "
        "alternative."
    )
    return Conversion(
        CALLABLE_REF_CODE,
        key,
        TITLE,
        message,
        start,
        end,
        edits,
        add={binding} if binding is not None else set(),
        consumed=consumed,
    )


def _uses(quoted: list[tuple[ast.Constant, list[str]]]) -> dict[str, int]:
    """How often each name occurs in the quoted annotations."""
    uses: dict[str, int] = {}
    for node, _ in quoted:
        try:
            expr = ast.parse(str(node.value).strip(), mode="eval").body
        except SyntaxError:
            continue
        for inner in ast.walk(expr):
            if isinstance(inner, ast.Name):
                uses[inner.id] = uses.get(inner.id, 0) + 1
    return uses
