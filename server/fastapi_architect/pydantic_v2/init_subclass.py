"""A model's ``__init_subclass__`` that reads the subclass's fields → ``__pydantic_init_subclass__``
(PYD036).

V1 collected a subclass's fields before ``type.__new__`` called ``__init_subclass__``; V2 calls
it first and collects them afterwards, so ``cls.__fields__`` / ``cls.model_fields`` there still
hold the parent's fields (ethyca Fides' ``BulkResponse`` check then rejected every subclass at
import). V2 calls ``__pydantic_init_subclass__`` (a classmethod, same keyword arguments) once
the class is complete: the method is renamed, marked ``@classmethod``, and its
``super().__init_subclass__(...)`` calls follow. A method whose class has a base this file
does not show as a model (it may define ``__init_subclass__`` too), or that names
``__init_subclass__`` otherwise, is reported.
"""

from __future__ import annotations

import ast

from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import INIT_SUBCLASS_CODE
from fastapi_architect.pydantic_v2.source import Replacement, Source

HOOK = "__init_subclass__"
V2_HOOK = "__pydantic_init_subclass__"
BUILT_LATER = frozenset(
    {
        "__fields__",
        "model_fields",
        "model_computed_fields",
        "schema",
        "schema_json",
        "model_json_schema",
    }
)
"""What V2 sets on a model only after ``__init_subclass__`` returns (V1 before; not
``__signature__``, which V1 also set afterwards)."""
TITLE = "Use `__pydantic_init_subclass__`"
WHY = (
    "V2 calls `__init_subclass__` before it collects the subclass's fields "
    "(`__fields__` / `model_fields` there hold the parent's), V1 after"
)


def plan_init_subclass(src: Source, classes: list[ModelClass]) -> list[Conversion]:
    """A conversion for every model ``__init_subclass__`` that reads what V2 builds later."""
    if HOOK not in src.text:
        return []
    conversions: list[Conversion] = []
    for model in classes:
        if not model.known_model:
            continue
        for stmt in model.node.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == HOOK and _reads_fields(stmt):
                conversions.append(_plan(src, model, stmt))
    return conversions


def _reads_fields(function: ast.FunctionDef) -> bool:
    return any(
        isinstance(node, ast.Attribute) and node.attr in BUILT_LATER for node in ast.walk(function)
    )


def _plan(src: Source, model: ModelClass, function: ast.FunctionDef) -> Conversion:
    key = f"{model.qualname}.{HOOK}"
    start = src.start(function)
    end = src.offset(function.body[0].lineno, 0) if function.body else src.end(function)
    reason = _problem(model, function)
    if reason is not None:
        message = f"{WHY}; not converted: {reason}. Use `{V2_HOOK}` (a classmethod) by hand."
        return refused(INIT_SUBCLASS_CODE, key, message, start, end)
    name_at = src.text.index(HOOK, start)
    edits = [Replacement(name_at, name_at + len(HOOK), V2_HOOK)]
    if not function.decorator_list:
        indent = src.indent_of(function.lineno)
        edits.append(Replacement(start, start, f"@classmethod{src.newline}{indent}"))
    for node in ast.walk(function):
        if _is_super_hook(node):
            assert isinstance(node, ast.Attribute)
            at = src.end(node) - len(HOOK)
            edits.append(Replacement(at, at + len(HOOK), V2_HOOK))
    message = f"{WHY}: V2 calls `{V2_HOOK}` once the class is complete, as V1 did this hook."
    return Conversion(INIT_SUBCLASS_CODE, key, TITLE, message, start, end, edits)


def _problem(model: ModelClass, function: ast.FunctionDef) -> str | None:
    if model.has_unknown_base or model.external_bases:
        return (
            "a base of the class is not a model of this file, and its own "
            "`__init_subclass__` would then run at another time"
        )
    arguments = function.args
    named = [a.arg for a in [*arguments.posonlyargs, *arguments.args][1:]]
    named.extend(a.arg for a in arguments.kwonlyargs)
    if named or arguments.vararg is not None:
        listed = ", ".join(f"`{name}`" for name in named) or "`*args`"
        return (
            f"it takes class keywords ({listed}), which V2 still passes to "
            "`__init_subclass__`: keep one that accepts them, and read the fields in "
            f"`{V2_HOOK}`"
        )
    decorators = [ast.unparse(d) for d in function.decorator_list]
    if decorators not in ([], ["classmethod"]):
        return f"it is decorated with `{', '.join(decorators)}`"
    uses = [
        node
        for node in ast.walk(function)
        if (isinstance(node, ast.Attribute) and node.attr == HOOK)
        or (isinstance(node, ast.Name) and node.id == HOOK)
    ]
    if any(not _is_super_hook(node) for node in uses):
        return "its body names `__init_subclass__` other than as `super().__init_subclass__`"
    return None


def _is_super_hook(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == HOOK
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "super"
    )
