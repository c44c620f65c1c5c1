"""``class Page(GenericModel, Generic[T])`` → ``class Page(BaseModel, Generic[T])`` (PYD016).

V2 has no ``GenericModel``: a generic model is a ``BaseModel`` that also derives from
``Generic[...]``, and ``Page[int]`` parametrises it as before. The base is renamed where the
class names it directly; the ``pydantic.generics`` import goes once nothing uses it.
"""

from __future__ import annotations

import ast

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import GENERIC_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source

TITLE = "Derive from `BaseModel` (V2 generic models)"


def plan_generic_models(
    src: Source, classes: list[ModelClass], names: PydanticNames
) -> list[Conversion]:
    """A conversion for every class that derives from V1's ``GenericModel``."""
    if "GenericModel" not in src.text:
        return []
    conversions: list[Conversion] = []
    seen: dict[str, int] = {}
    for model in classes:
        node, qualname = model.node, model.qualname
        for base in node.bases:
            local = _generic_model(base, names)
            if local is None:
                continue
            seen[qualname] = seen.get(qualname, 0) + 1
            key = f"{qualname}:GenericModel" + (f"#{seen[qualname]}" if seen[qualname] > 1 else "")
            conversions.append(_plan(src, names, node, base, local, key))
    return conversions


def _generic_model(base: ast.expr, names: PydanticNames) -> str | None:
    """The spelling of ``GenericModel`` when ``base`` names Pydantic's V1 generic model."""
    if not names.refers_to(base, "GenericModel"):
        return None
    return base.id if isinstance(base, ast.Name) else ast.unparse(base)


def _plan(
    src: Source,
    names: PydanticNames,
    node: ast.ClassDef,
    base: ast.expr,
    local: str,
    key: str,
) -> Conversion:
    start, end = src.start(base), src.end(base)
    message = (
        f"`{local}` does not exist in Pydantic V2: `{node.name}` derives from `BaseModel` and "
        "`Generic[...]`."
    )
    if not isinstance(base, ast.Name):
        why = "the base is spelled through a module; use `BaseModel` from `pydantic`"
        return refused(GENERIC_CODE, key, f"{message[:-1]}; not converted: {why}.", start, end)
    if "BaseModel" in names.other_bindings:
        why = "`BaseModel` names something else in this module"
        return refused(GENERIC_CODE, key, f"{message[:-1]}; not converted: {why}.", start, end)
    if not any(_is_generic(b) for b in node.bases) and _uses_type_vars(node):
        why = "the class has no `Generic[...]` base to carry its type parameters"
        return refused(GENERIC_CODE, key, f"{message[:-1]}; not converted: {why}.", start, end)
    return Conversion(
        GENERIC_CODE,
        key,
        TITLE,
        message,
        start,
        end,
        [Replacement(start, end, "BaseModel")],
        {ImportBinding("pydantic", "BaseModel")},
        consumed={local: 1},
    )


def _is_generic(base: ast.expr) -> bool:
    head = base.value if isinstance(base, ast.Subscript) else base
    return (isinstance(head, ast.Name) and head.id == "Generic") or (
        isinstance(head, ast.Attribute) and head.attr == "Generic"
    )


def _uses_type_vars(node: ast.ClassDef) -> bool:
    """True when the class was parametrised some other way (``class X(GenericModel[T])``)."""
    return any(isinstance(b, ast.Subscript) for b in node.bases) or bool(
        getattr(node, "type_params", [])
    )
