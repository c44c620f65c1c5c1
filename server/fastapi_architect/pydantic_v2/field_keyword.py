"""Give one field a ``Field(...)`` keyword: merged into its ``Field(...)`` call (the default's
or the one inside ``Annotated[...]``), or a new ``Field(...)`` that keeps the default.

Shared by the V2 behaviour fixes (``union_mode=``, ``coerce_numbers_to_str=``).
"""

from __future__ import annotations

import ast

from fastapi_architect.astutil import last_name
from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source


class NoFieldSpelling(Exception):
    """``Field`` cannot be named in this module without shadowing something else."""


def field_spelling(
    names: PydanticNames, at: ast.stmt | None = None
) -> tuple[str, ImportBinding | None]:
    """How the module names ``pydantic.Field`` at ``at``, and the import that spelling needs."""
    for local, canonical in names.pydantic_from.items():
        if canonical == "Field" and names.means(local, "Field", at):
            return local, None
    for alias, module in names.modules.items():
        if module == "pydantic" and not names.pydantic_from:
            return f"{alias}.Field", None
    if names.star_import and names.means("Field", "Field", at):
        return "Field", None
    if "Field" in names.other_bindings:
        raise NoFieldSpelling(f"`Field` in this module is {names.other_bindings['Field']}")
    return "Field", ImportBinding("pydantic", "Field")


def is_field_call(node: ast.expr | None, names: PydanticNames) -> bool:
    """True for a call of Pydantic's ``Field``."""
    return isinstance(node, ast.Call) and names.refers_to(node.func, "Field")


def has_keyword(stmt: ast.AnnAssign, keyword: str, names: PydanticNames) -> bool:
    """True when a ``Field(...)`` of the declaration already passes ``keyword``."""
    calls = _field_calls(stmt, names)
    return any(k.arg == keyword for call in calls for k in call.keywords)


def _field_calls(stmt: ast.AnnAssign, names: PydanticNames) -> list[ast.Call]:
    calls: list[ast.Call] = []
    if is_field_call(stmt.value, names):
        assert isinstance(stmt.value, ast.Call)
        calls.append(stmt.value)
    annotated = _annotated(stmt.annotation)
    if annotated is not None:
        calls += [m for m in annotated[1:] if isinstance(m, ast.Call) and is_field_call(m, names)]
    return calls


def _annotated(annotation: ast.expr) -> list[ast.expr] | None:
    """The elements of ``Annotated[T, ...]`` (type first), or None."""
    if isinstance(annotation, ast.Subscript) and last_name(annotation.value) == "Annotated":
        inner = annotation.slice
        return list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    return None


def keyword_edits(
    src: Source,
    stmt: ast.AnnAssign,
    keyword: str,
    names: PydanticNames,
    implicit_none: bool,
) -> tuple[list[Replacement], ImportBinding | None]:
    """Edits passing ``keyword`` (``name=value`` text) to the field's ``Field``.

    ``implicit_none``: V1 gave the field a ``None`` default (Optional without a default), which
    the new ``Field(None, ...)`` keeps. Raises NoFieldSpelling when ``Field`` cannot be named.
    """
    annotated = _annotated(stmt.annotation)
    if annotated is not None:
        for meta in annotated[1:]:
            if isinstance(meta, ast.Call) and is_field_call(meta, names):
                return [_append(src, meta, keyword)], None
    if is_field_call(stmt.value, names):
        assert isinstance(stmt.value, ast.Call)
        return [_append(src, stmt.value, keyword)], None
    spelled, binding = field_spelling(names, stmt)
    if annotated is not None and len(annotated) > 1:
        at = src.end(annotated[-1])
        return [Replacement(at, at, f", {spelled}({keyword})")], binding
    if stmt.value is None:
        default = "None, " if implicit_none else ""
        at = src.end(stmt.annotation)
        return [Replacement(at, at, f" = {spelled}({default}{keyword})")], binding
    value = stmt.value
    text = f"{spelled}({src.segment(value)}, {keyword})"
    return [Replacement(src.start(value), src.end(value), text)], binding


def _append(src: Source, call: ast.Call, keyword: str) -> Replacement:
    arguments: list[ast.expr] = [*call.args, *(k.value for k in call.keywords)]
    if arguments:
        at = max(src.end(a) for a in arguments)
        return Replacement(at, at, f", {keyword}")
    at = src.end(call) - 1
    return Replacement(at, at, keyword)
