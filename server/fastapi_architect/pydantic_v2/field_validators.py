"""``@validator`` → ``@field_validator`` (PYD001): decorator, classmethod, signature, fields."""

from __future__ import annotations

import ast

from fastapi_architect.pydantic_v2.analysis import ValidatorSite
from fastapi_architect.pydantic_v2.decorator_args import VALIDATOR_KEYWORDS, read_args
from fastapi_architect.pydantic_v2.defaults import validate_default_edits
from fastapi_architect.pydantic_v2.each_item import annotation_edits
from fastapi_architect.pydantic_v2.functions import (
    DEAD_IN_V1_NOTE,
    Parameters,
    classmethod_above,
    is_classmethod_decorator,
    place_classmethod_below,
    refuse_unconvertible_method,
    trailing_comment,
    whole_line_span,
)
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.parameters import V1_EXTRA_PARAMETERS, plan_signature
from fastapi_architect.pydantic_v2.plan import Plan, Refusal, Spelling
from fastapi_architect.pydantic_v2.root_models import renames_root
from fastapi_architect.pydantic_v2.source import Replacement, Source

TITLE = "Convert @validator to @field_validator"


def quote_char(src: Source, fields: list[ast.expr]) -> str:
    """The quote the decorator's own string arguments use (``"`` by default)."""
    for node in fields:
        text = src.segment(node).lstrip("rRbBuUfF")
        if text.startswith("'"):
            return "'"
        if text.startswith('"'):
            return '"'
    return '"'


def plan_field_validator(
    src: Source,
    site: ValidatorSite,
    names: PydanticNames,
    module_functions: dict[str, ast.AST],
    target: tuple[int, int] | None = None,
    models: WorkspaceModels = NO_MODELS,
) -> Plan:
    """Plan the conversion of one ``@validator`` (or reused ``validator(...)(fn)``);
    ``target``: the oldest Python the project supports, for the annotations it writes;
    ``models``: workspace models of other files, whose fields ``always=True`` may name."""
    spell = Spelling(names, site, target=target)
    plan = Plan(consumed=site.local_name)
    try:
        _plan(src, site, spell, plan, module_functions, models)
    except Refusal as refusal:
        return Plan(
            message=f"Pydantic V1 `@validator` is deprecated; not converted automatically: "
            f"{refusal}.{_breaks_under_v2(site)}",
            refusal=str(refusal),
        )
    plan.imports = spell.imports
    return plan


V2_REJECTS_FIELD_CONFIG = (
    " Pydantic 2 rejects this V1 validator when the class is created (its `field`/`config` "
    "parameters no longer exist), so convert it by hand before upgrading."
)


def _breaks_under_v2(site: ValidatorSite) -> str:
    """A warning when Pydantic 2's own ``@validator`` shim would refuse this function."""
    if site.func is None:
        return ""
    params = Parameters.of(site.func)
    if any(p.arg in ("field", "config") for p in [*params.positional, *params.keyword_only]):
        return V2_REJECTS_FIELD_CONFIG
    return ""


def _plan(
    src: Source,
    site: ValidatorSite,
    spell: Spelling,
    plan: Plan,
    module_functions: dict[str, ast.AST],
    models: WorkspaceModels = NO_MODELS,
) -> None:
    if site.call is None:
        raise Refusal("`@validator` is used without field names")
    args = read_args(site.call, VALIDATOR_KEYWORDS)
    if not args.fields:
        raise Refusal("`@validator()` names no field")
    pre = args.flag("pre", False)
    always = args.flag("always", False)
    each_item = args.flag("each_item", False)
    if "whole" in args.keywords:
        each_item = not args.flag("whole", True)
    field_names = args.field_names()
    q = quote_char(src, args.fields)
    notes: list[str] = []

    if site.func is None:
        _plan_reuse(src, site, spell, plan, module_functions, args.fields, pre, each_item)
    else:
        func = site.func
        others = [d for d in func.decorator_list if spell.names.decorator_kind(d) is not None]
        if len(others) > 1:
            raise Refusal("the function carries more than one V1 validator decorator")
        refuse_unconvertible_method(func, site.decorator)
        signature = plan_signature(src, func, spell, allow_field=not each_item)
        item_edits = None
        if each_item:
            item_edits = annotation_edits(src, site, field_names, pre, signature.uses_info, spell)
        plan.replacements.extend(signature.replacements)
        if item_edits is not None:
            # The method becomes a plain classmethod that the item annotation calls.
            plan.replacements.extend(item_edits)
            span = whole_line_span(src, site.decorator)
            if span is None:
                raise Refusal("the decorator shares its line with other code")
            has_classmethod = any(is_classmethod_decorator(d) for d in func.decorator_list)
            indent = src.indent_of(site.decorator.lineno)
            comment = trailing_comment(src, site.decorator)
            kind = "@classmethod" if signature.class_style else "@staticmethod"
            if has_classmethod:
                new_line = f"{indent}{comment}{src.newline}" if comment else ""
            else:
                suffix = f"  {comment}" if comment else ""
                new_line = f"{indent}{kind}{suffix}{src.newline}"
            plan.replacements.append(Replacement(span[0], span[1], new_line))
            notes.append(
                f"each item is checked by `{'BeforeValidator' if pre else 'AfterValidator'}` "
                "in the field's annotation"
            )
        else:
            new_decorator = _decorator_text(src, spell, args.fields, args.keywords, pre, q)
            plan.replacements.append(
                Replacement(src.start(site.decorator), src.end(site.decorator), new_decorator)
            )
            if signature.class_style:
                try:
                    plan.replacements.extend(place_classmethod_below(src, func, site.decorator))
                except ValueError as error:
                    raise Refusal("`@classmethod` shares its line with other code") from error
        if classmethod_above(func, site.decorator):
            notes.append(DEAD_IN_V1_NOTE)
        if signature.uses_info:
            notes.append(f"`values`/`field` become `{signature.info_name}: ValidationInfo`")
    if always:
        edits = validate_default_edits(src, site, field_names, spell, models, plan.add)
        plan.replacements.extend(edits)
        notes.append("`always=True` becomes `validate_default=True` on the field")
    if pre:
        notes.append('`pre=True` becomes `mode="before"`')
    detail = f" ({'; '.join(notes)})" if notes else ""
    plan.message = f"Pydantic V1 `@validator` is deprecated: convert to `@field_validator`{detail}."


def _decorator_text(
    src: Source,
    spell: Spelling,
    fields: list[ast.expr],
    keywords: dict[str, ast.expr],
    pre: bool,
    q: str,
) -> str:
    root = renames_root(spell.site.model, spell.names)  # ``__root__`` is ``root`` in V2
    if not root and any(getattr(node, "value", None) == "__root__" for node in fields):
        raise Refusal("it validates `__root__` of a class that stays a V1 root model (PYD017)")
    parts = [
        f"{q}root{q}" if root and getattr(node, "value", None) == "__root__" else src.segment(node)
        for node in fields
    ]
    if pre:
        parts.append(f"mode={q}before{q}")
    if "check_fields" in keywords:
        parts.append(f"check_fields={src.segment(keywords['check_fields'])}")
    return f"{spell.pydantic('field_validator')}({', '.join(parts)})"


def _plan_reuse(
    src: Source,
    site: ValidatorSite,
    spell: Spelling,
    plan: Plan,
    module_functions: dict[str, ast.AST],
    fields: list[ast.expr],
    pre: bool,
    each_item: bool,
) -> None:
    """``_n = validator("a", allow_reuse=True)(fn)`` → ``_n = field_validator("a")(fn)``."""
    assert site.reuse is not None
    outer = site.reuse.value
    assert isinstance(outer, ast.Call)
    if each_item:
        raise Refusal("a reused validator with `each_item=True` has no single V2 decorator form")
    if len(outer.args) != 1 or outer.keywords:
        raise Refusal("the reused validator is not applied to exactly one function")
    target = outer.args[0]
    if not isinstance(target, ast.Name):
        raise Refusal("the reused validator wraps an expression, not a function name")
    definition = module_functions.get(target.id)
    if not isinstance(definition, ast.FunctionDef):
        raise Refusal(
            f"`{target.id}` is not defined in this file, so its parameters (which decide how V2 "
            "calls it) cannot be checked"
        )
    params = Parameters.of(definition)
    takes_cls = bool(params.positional) and params.positional[0].arg == "cls"
    extras = params.positional[2 if takes_cls else 1 :] + params.keyword_only
    if params.kwarg is not None or any(p.arg in V1_EXTRA_PARAMETERS for p in extras):
        raise Refusal(
            f"`{target.id}` takes `values`/`field`/`config`; it is shared, so its signature "
            "is not rewritten here"
        )
    if extras or params.vararg is not None:
        raise Refusal(f"`{target.id}` takes parameters V1 never passes")
    q = quote_char(src, fields)
    call = site.call
    assert call is not None
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    text = _decorator_text(src, spell, fields, keywords, pre, q)
    plan.replacements.append(Replacement(src.start(call), src.end(call), text))
