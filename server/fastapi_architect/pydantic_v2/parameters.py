"""V1 validator parameters (``values``, ``field``, ``config``, ``**kwargs``) → V2 ``info``.

V1 passes ``values``, ``field`` and ``config`` by keyword, chosen by parameter name; V2 passes one
``ValidationInfo`` positionally. ``values`` becomes ``info.data`` (the same dict of fields
validated so far), ``field.name`` becomes ``info.field_name``. ``config`` has no faithful V2
reading (``info.config`` is a dict with renamed keys), so a body that reads it is refused.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from fastapi_architect.pydantic_v2.functions import (
    FunctionNode,
    Parameters,
    mentions,
    name_uses,
    parameter_text,
    walk_body,
)
from fastapi_architect.pydantic_v2.plan import Refusal, Spelling
from fastapi_architect.pydantic_v2.source import Replacement, Source

V1_EXTRA_PARAMETERS = ("values", "field", "config")


@dataclass
class SignaturePlan:
    """The edits that turn a V1 field-validator signature and body into V2's."""

    replacements: list[Replacement] = field(default_factory=list)
    class_style: bool = True  # first parameter is ``cls``
    uses_info: bool = False
    info_name: str = "info"
    notes: list[str] = field(default_factory=list)


def _access(
    src: Source,
    node: ast.expr,
    parent: ast.AST | None,
    kind: str,
    info: str,
    class_style: bool,
) -> Replacement:
    """The replacement for one use of ``values`` / ``field`` / ``config`` (or its kwargs form)."""
    if kind == "values":
        return Replacement(src.start(node), src.end(node), f"{info}.data")
    if kind == "field":
        if isinstance(parent, ast.Attribute) and parent.value is node:
            if parent.attr == "name":
                return Replacement(src.start(parent), src.end(parent), f"{info}.field_name")
            if parent.attr == "alias" and class_style:
                return Replacement(
                    src.start(parent),
                    src.end(parent),
                    f"(cls.model_fields[{info}.field_name].alias or {info}.field_name)",
                )
            raise Refusal(
                f"it reads `field.{parent.attr}`: V2 has no ModelField; only `field.name` "
                "(→ `info.field_name`) and `field.alias` have a faithful V2 reading"
            )
        raise Refusal("it uses the V1 `field` object other than `field.name`; V2 has no ModelField")
    raise Refusal(
        "it reads the V1 `config` class; V2 passes `info.config`, a dict whose keys were "
        "renamed, so this reading must be converted by hand"
    )


def plan_signature(
    src: Source, func: FunctionNode, spell: Spelling, allow_field: bool = True
) -> SignaturePlan:
    """Rewrite the parameters of a field validator and the body's uses of them."""
    params = Parameters.of(func)
    if params.vararg is not None:
        raise Refusal(f"it takes `*{params.vararg.arg}`, which V1 validators never receive")
    if not params.positional:
        raise Refusal("it takes no parameter for the value")
    first = params.positional[0].arg
    if first == "self":
        raise Refusal("its first parameter is `self`; V1 rejects that too")
    plan = SignaturePlan(class_style=first == "cls")
    value_index = 1 if plan.class_style else 0
    if len(params.positional) <= value_index:
        raise Refusal("it takes no parameter for the value")
    extras = [*params.positional[value_index + 1 :], *params.keyword_only]
    for extra in extras:
        if extra.arg not in V1_EXTRA_PARAMETERS:
            raise Refusal(
                f"its parameter `{extra.arg}` is not one V1 passes (values, field, config)"
            )
    taken = {p.arg for p in [*params.positional, *params.keyword_only]}
    clash = "info" in taken or mentions(src, func, "info")
    plan.info_name = "validation_info" if clash else "info"
    info = plan.info_name

    for extra in extras:
        uses = name_uses(func, extra.arg) if mentions(src, func, extra.arg) else []
        for node, parent in uses:
            if not isinstance(node.ctx, ast.Load):
                raise Refusal(f"it reassigns `{extra.arg}`")
            if extra.arg == "field" and not allow_field:
                raise Refusal("it reads `field`, which is the item's sub-field under each_item")
            plan.replacements.append(_access(src, node, parent, extra.arg, info, plan.class_style))
            plan.uses_info = True

    if params.kwarg is not None:
        kwargs = params.kwarg.arg
        for node, parent in name_uses(func, kwargs):
            key = _kwargs_key(node, parent)
            if key is None:
                raise Refusal(
                    f"it uses `**{kwargs}` other than `{kwargs}['values']` / "
                    f"`{kwargs}['field']` / `{kwargs}['config']`"
                )
            assert parent is not None
            subscript_parent = _parent_of(func, parent, kwargs)
            plan.replacements.append(
                _access(src, parent, subscript_parent, key, info, plan.class_style)  # type: ignore[arg-type]
            )
            plan.uses_info = True

    if extras or params.kwarg is not None:
        kept = params.positional[: value_index + 1]
        texts = []
        for index, arg in enumerate(kept):
            default = params.defaults.get(arg.arg)
            if plan.uses_info and index == len(kept) - 1:
                default = None  # a parameter without a default follows it now
            texts.append(parameter_text(src, arg, default))
        if plan.uses_info:
            texts.append(f"{info}: {spell.pydantic('ValidationInfo')}")
        start, end = params.span(src)
        plan.replacements.append(Replacement(start, end, ", ".join(texts)))
    return plan


def _kwargs_key(node: ast.Name, parent: ast.AST | None) -> str | None:
    """``"values"`` for ``kwargs["values"]`` (a read), etc.; None for any other use."""
    if (
        isinstance(parent, ast.Subscript)
        and parent.value is node
        and isinstance(parent.ctx, ast.Load)
        and isinstance(parent.slice, ast.Constant)
        and parent.slice.value in V1_EXTRA_PARAMETERS
    ):
        return str(parent.slice.value)
    return None


def _parent_of(func: FunctionNode, child: ast.AST, name: str) -> ast.AST | None:
    """The parent of ``child`` inside ``func``'s body."""
    for node, parent in walk_body(func, name):
        if node is child:
            return parent
    return None
