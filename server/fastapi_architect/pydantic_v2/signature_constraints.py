"""``con*`` calls in function signatures → V2 constraints (PYD015).

Python evaluates parameter and return annotations when it defines a function, so a FastAPI
endpoint's ``items: conlist(Item, max_items=50)`` raises ``TypeError`` at import under V2.
Such an annotation becomes ``Annotated[list[Item], Field(max_length=50)]``, as a field would.
When the default is a FastAPI parameter (``= Body(...)``, ``= Query(5)``, ...), FastAPI
ignores the constraints inside ``Annotated`` (measured with FastAPI 0.111 and 0.165): the
constraints go into that call instead (``items: list[Item] = Body(..., max_length=50)``), and
a ``con*`` nested in such a parameter's annotation is reported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.constrained_types import _kind, _plan, constraint_parts
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.field_args import _Refuse
from fastapi_architect.pydantic_v2.findings import CONSTRAINED_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames, top_level_imports
from fastapi_architect.pydantic_v2.source import Replacement, Source

FASTAPI_PARAMS = frozenset({"Body", "Query", "Path", "Header", "Cookie", "Form", "File"})
FASTAPI_MODULES = frozenset({"fastapi", "fastapi.params", "fastapi.param_functions"})
PARAM_KEYWORDS = frozenset(
    {"min_length", "max_length", "pattern", "strict", "gt", "ge", "lt", "le", "multiple_of"}
    | {"allow_inf_nan"}
)
"""The constraints FastAPI's parameter functions take (``strip_whitespace`` is not one)."""
TITLE = "Move the constraints into the FastAPI parameter"
CON_NAMES = ("constr", "conint", "confloat", "conlist")


def plan_signature_constraints(src: Source, names: PydanticNames) -> list[Conversion]:
    """A conversion for every parameter or return annotation that calls a V1 ``con*``."""
    if not any(name in src.text for name in CON_NAMES):
        return []
    params = _fastapi_params(src)
    seen: dict[str, int] = {}
    conversions: list[Conversion] = []
    for base_key, annotation, default in _signature_annotations(src.tree):
        seen[base_key] = seen.get(base_key, 0) + 1
        key = base_key + (f"#{seen[base_key]}" if seen[base_key] > 1 else "")
        param = _param_call(default, params)
        if param is None:
            found = _plan(src, names, annotation, key)
        else:
            found = _plan_param(src, names, annotation, param, key)
        if found is not None:
            conversions.append(found)
    return conversions


def _signature_annotations(
    node: ast.AST, scope: str = ""
) -> Iterator[tuple[str, ast.expr, ast.expr | None]]:
    """``(key, annotation, default)`` of every parameter and return annotation of every
    function, keyed ``f(x):con`` / ``Class.method(->):con``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{scope}{child.name}"
            arguments = child.args
            positional = [*arguments.posonlyargs, *arguments.args]
            defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
            defaults.extend(arguments.defaults)
            pairs = [*zip(positional, defaults, strict=True)]
            pairs.extend(zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True))
            pairs.extend((a, None) for a in (arguments.vararg, arguments.kwarg) if a is not None)
            for argument, default in pairs:
                if argument.annotation is not None:
                    yield f"{name}({argument.arg}):con", argument.annotation, default
            if child.returns is not None:
                yield f"{name}(->):con", child.returns, None
            yield from _signature_annotations(child, f"{name}.")
        elif isinstance(child, ast.ClassDef):
            yield from _signature_annotations(child, f"{scope}{child.name}.")
        elif isinstance(child, ast.stmt):
            yield from _signature_annotations(child, scope)


def _fastapi_params(src: Source) -> tuple[dict[str, str], set[str]]:
    """Local names of FastAPI's parameter functions, and local names of the modules that
    hold them (``fastapi.Query(...)``)."""
    functions: dict[str, str] = {}
    modules: set[str] = set()
    for stmt in top_level_imports(src.tree.body):
        if isinstance(stmt, ast.ImportFrom) and stmt.module in FASTAPI_MODULES and not stmt.level:
            for alias in stmt.names:
                if alias.name in FASTAPI_PARAMS:
                    functions[alias.asname or alias.name] = alias.name
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name in FASTAPI_MODULES:
                    modules.add(alias.asname or alias.name)
    return functions, modules


def _param_call(
    default: ast.expr | None, params: tuple[dict[str, str], set[str]]
) -> ast.Call | None:
    """``default`` when it calls one of FastAPI's parameter functions."""
    if not isinstance(default, ast.Call):
        return None
    functions, modules = params
    func = default.func
    if isinstance(func, ast.Name) and func.id in functions:
        return default
    if isinstance(func, ast.Attribute) and func.attr in FASTAPI_PARAMS:
        owner = ast.unparse(func.value)
        if owner in modules:
            return default
    return None


def _plan_param(
    src: Source, names: PydanticNames, annotation: ast.expr, param: ast.Call, key: str
) -> Conversion | None:
    kind = _kind(annotation.func, names) if isinstance(annotation, ast.Call) else None
    start, end = src.start(annotation), src.end(param)
    called = src.segment(param.func)
    if kind is None or not isinstance(annotation, ast.Call):
        nested = [n for n in ast.walk(annotation) if isinstance(n, ast.Call)]
        kinds = sorted({k for n in nested if (k := _kind(n.func, names)) is not None})
        if not kinds:
            return None
        what = ", ".join(f"`{k}(...)`" for k in kinds)
        message = (
            f"{what} is deprecated in V2; not converted: the parameter's default is "
            f"`{called}(...)`, and FastAPI ignores constraints inside `Annotated` then; move "
            f"the constraints into `{called}(...)` by hand (V2 names: `pattern`, "
            "`min_length`, `max_length`)"
        ) + "."
        return refused(CONSTRAINED_CODE, key, message, start, end)
    add: set[ImportBinding] = set()
    what = f"`{kind}(...)`"
    try:
        inner = [n for n in ast.walk(annotation) if isinstance(n, ast.Call) and n is not annotation]
        if any(_kind(n.func, names) for n in inner):
            raise _Refuse("it holds another constrained type, which FastAPI would not check")
        base, arguments = constraint_parts(src, names, annotation, kind, add)
        given = {k.arg for k in param.keywords}
        for argument in arguments:
            name = argument.split("=", 1)[0]
            if name not in PARAM_KEYWORDS:
                raise _Refuse(f"`{called}(...)` takes no `{name}=`")
            if name in given:
                raise _Refuse(f"`{called}(...)` already sets `{name}=`")
        if None in given:
            raise _Refuse(f"`{called}(...)` takes `**` arguments")
    except _Refuse as reason:
        message = f"{what} is deprecated in V2; not converted: {reason}."
        return refused(CONSTRAINED_CODE, key, message, start, end)
    closing = src.end(param) - 1
    inside = src.text[src.start(param) : closing].rstrip()
    separator = "" if inside.endswith(("(", ",")) else ", "
    if inside.endswith(",") and arguments:
        separator = " "
    edits = [Replacement(src.start(annotation), src.end(annotation), base)]
    if arguments:
        at = src.start(param) + len(inside)
        edits.append(Replacement(at, at, separator + ", ".join(arguments)))
    consumed = {annotation.func.id: 1} if isinstance(annotation.func, ast.Name) else {}
    message = (
        f"{what} is deprecated in V2, and FastAPI ignores constraints inside `Annotated` "
        f"when the default is `{called}(...)`: the constraints move into `{called}(...)`."
    )
    return Conversion(
        CONSTRAINED_CODE, key, TITLE, message, start, end, edits, add, consumed=consumed
    )
