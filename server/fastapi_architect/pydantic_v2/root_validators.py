"""``@root_validator`` → ``@model_validator`` (PYD002).

``pre=True`` becomes ``mode="before"``: a classmethod receiving the raw input, body unchanged.
Every other form becomes ``mode="after"``: an instance method receiving the validated model.
``values["x"]`` / ``values.get("x")`` become ``self.x``, ``values["x"] = e`` becomes
``self.x = e`` and ``return values`` becomes ``return self``. A body that uses ``values`` in
any other way keeps working on ``values = self.__dict__`` — the model's own field dict, which
is what V1 built the instance from.
"""

from __future__ import annotations

import ast
import keyword

from fastapi_architect.pydantic_v2.analysis import ValidatorSite
from fastapi_architect.pydantic_v2.decorator_args import ROOT_KEYWORDS, read_args
from fastapi_architect.pydantic_v2.field_validators import quote_char
from fastapi_architect.pydantic_v2.functions import (
    DEAD_IN_V1_NOTE,
    FunctionNode,
    Parameters,
    classmethod_above,
    first_body_insertion,
    mentions,
    place_classmethod_below,
    refuse_unconvertible_method,
    remove_classmethod,
    walk_body,
)
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.plan import Plan, Refusal, Spelling
from fastapi_architect.pydantic_v2.source import Replacement, Source

TITLE = "Convert @root_validator to @model_validator"

AFTER_FIELD_ERRORS_NOTE = (
    "V1 also ran this validator after a field failed (no `skip_on_failure=True`); V2 skips it "
    "then, so such input is still rejected but only the field errors are reported"
)


def plan_root_validator(src: Source, site: ValidatorSite, names: PydanticNames) -> Plan:
    """Plan the conversion of one ``@root_validator``."""
    spell = Spelling(names, site)
    plan = Plan(consumed=site.local_name)
    try:
        _plan(src, site, spell, plan)
    except Refusal as refusal:
        return Plan(
            message="Pydantic V1 `@root_validator` is deprecated; not converted "
            f"automatically: {refusal}.{_breaks_under_v2(site)}",
            refusal=str(refusal),
        )
    plan.imports = spell.imports
    return plan


def _breaks_under_v2(site: ValidatorSite) -> str:
    """A warning when Pydantic 2's own ``@root_validator`` shim would refuse this form."""
    try:
        args = read_args(site.call, ROOT_KEYWORDS)
        post_without_skip = not args.flag("pre", False) and not args.flag("skip_on_failure", False)
    except Refusal:
        return ""
    if post_without_skip:
        return (
            " Pydantic 2 rejects `@root_validator` without `skip_on_failure=True` when the class"
            " is created, so convert it by hand before upgrading."
        )
    return ""


def _plan(src: Source, site: ValidatorSite, spell: Spelling, plan: Plan) -> None:
    args = read_args(site.call, ROOT_KEYWORDS)
    if site.func is None:
        _plan_reuse(src, site, spell, plan, args.flag("pre", False))
        return
    func = site.func
    if args.fields:
        raise Refusal("`@root_validator` takes no positional arguments")
    pre = args.flag("pre", False)
    skip_on_failure = args.flag("skip_on_failure", False)
    refuse_unconvertible_method(func, site.decorator)
    params = Parameters.of(func)
    if (
        len(params.positional) != 2
        or params.keyword_only
        or params.vararg is not None
        or params.kwarg is not None
    ):
        raise Refusal("its signature is not `(cls, values)`")
    dead = f" Note: {DEAD_IN_V1_NOTE}." if classmethod_above(func, site.decorator) else ""
    q = quote_char(src, [])
    model_validator = spell.pydantic("model_validator")
    if pre:
        text = f"{model_validator}(mode={q}before{q})"
        plan.replacements.append(
            Replacement(src.start(site.decorator), src.end(site.decorator), text)
        )
        try:
            plan.replacements.extend(place_classmethod_below(src, func, site.decorator))
        except ValueError as error:
            raise Refusal("`@classmethod` shares its line with other code") from error
        data = params.positional[1]
        if data.annotation is None:
            at = src.end(data)
            plan.replacements.append(Replacement(at, at, f": {spell.typing('Any')}"))
        plan.message = (
            "Pydantic V1 `@root_validator(pre=True)` is deprecated: convert to "
            '`@model_validator(mode="before")` (a classmethod receiving the raw input).' + dead
        )
        return

    text = f"{model_validator}(mode={q}after{q})"
    plan.replacements.append(Replacement(src.start(site.decorator), src.end(site.decorator), text))
    try:
        plan.replacements.extend(remove_classmethod(src, func))
    except ValueError as error:
        raise Refusal("`@classmethod` shares its line with other code") from error
    plan.replacements.extend(_after_body(src, site, func, params))
    start, end = params.span(src)
    plan.replacements.append(Replacement(start, end, "self"))
    if func.returns is not None:
        plan.replacements.append(
            Replacement(src.start(func.returns), src.end(func.returns), f'"{site.model.node.name}"')
        )
    note = "" if skip_on_failure else f" Note: {AFTER_FIELD_ERRORS_NOTE}."
    plan.message = (
        "Pydantic V1 `@root_validator` is deprecated: convert to "
        f'`@model_validator(mode="after")` (an instance method returning `self`).{note}{dead}'
    )


def _plan_reuse(src: Source, site: ValidatorSite, spell: Spelling, plan: Plan, pre: bool) -> None:
    """``root_validator(pre=True)(fn)`` → ``model_validator(mode="before")(classmethod(fn))``.

    V1 always called a root validator as ``fn(cls, values)``; a before-model-validator given a
    classmethod is called exactly so. A reused post root validator would need ``fn``'s body
    rewritten for ``self``, and ``fn`` may be shared, so it is refused.
    """
    if not pre:
        raise Refusal(
            "it is a reused post `root_validator(...)(fn)`: V2 would call `fn` with the model "
            "instead of `(cls, values)`, and `fn` may be shared, so its body cannot be rewritten"
        )
    assert site.reuse is not None and site.call is not None
    outer = site.reuse.value
    assert isinstance(outer, ast.Call)
    if len(outer.args) != 1 or outer.keywords or not isinstance(outer.args[0], ast.Name):
        raise Refusal("the reused root validator is not applied to one function name")
    target = outer.args[0]
    text = f'{spell.pydantic("model_validator")}(mode="before")'
    plan.replacements.append(Replacement(src.start(site.call), src.end(site.call), text))
    plan.replacements.append(
        Replacement(src.start(target), src.end(target), f"classmethod({target.id})")
    )
    plan.message = (
        "Pydantic V1 `root_validator(pre=True)` is deprecated: convert to "
        '`model_validator(mode="before")` applied to `classmethod(...)`.'
    )


def _after_body(
    src: Source, site: ValidatorSite, func: FunctionNode, params: Parameters
) -> list[Replacement]:
    """Rewrite the body of a post root validator to work on ``self``."""
    cls_name = params.positional[0].arg
    values = params.positional[1].arg
    if mentions(src, func, "self") and any(
        isinstance(node, ast.Name) and node.id == "self" for node in ast.walk(func)
    ):
        raise Refusal("its body already uses the name `self`")
    nodes = list(walk_body(func, values))
    parents = {id(node): parent for node, parent in nodes}
    returns = [
        node
        for node, _ in nodes
        if isinstance(node, ast.Return) and not _inside_nested_scope(node, parents)
    ]
    if not returns:
        raise Refusal(f"it never returns `{values}`")
    replacements: list[Replacement] = []
    for ret in returns:
        if isinstance(ret.value, ast.Name) and ret.value.id == values:
            continue
        merged = _merged_return(src, ret, values, site)
        if merged is None:
            raise Refusal(
                f"it returns something other than `{values}` (or `{{**{values}, ...}}` with "
                "field keys); a V2 after-validator must return `self`, so where the returned "
                "dict goes needs a decision by hand"
            )
        replacements.extend(merged)
    direct: list[Replacement] = []
    simple = True
    blocks_setattr = site.model.blocks_setattr()
    for node, parent in nodes:
        if isinstance(node, ast.Name) and node.id == cls_name:
            if not isinstance(node.ctx, ast.Load):
                raise Refusal(f"it reassigns `{cls_name}`")
            replacements.append(Replacement(src.start(node), src.end(node), "type(self)"))
            continue
        if not (isinstance(node, ast.Name) and node.id == values):
            continue
        if not isinstance(node.ctx, ast.Load):
            raise Refusal(f"it reassigns `{values}`")
        if isinstance(parent, ast.Return):
            replacements.append(Replacement(src.start(node), src.end(node), "self"))
            continue
        attribute = _field_access(node, parent, parents, site)
        if attribute is None:
            simple = False
            continue
        target, field_name, is_store = attribute
        if is_store and blocks_setattr:
            simple = False
            continue
        direct.append(Replacement(src.start(target), src.end(target), f"self.{field_name}"))
    if simple:
        return replacements + direct
    if site.model.allows_extra():
        raise Refusal(
            "the model allows extra fields, which V1 kept in `values` but V2 keeps outside "
            "`self.__dict__`, and the body uses `values` beyond reading and writing fields"
        )
    insertion = first_body_insertion(src, func)
    if insertion is None:
        raise Refusal("its body starts on the `def` line")
    at, indent = insertion
    replacements.append(Replacement(at, at, f"{indent}{values} = self.__dict__{src.newline}"))
    return replacements


def _merged_return(
    src: Source, ret: ast.Return, values: str, site: ValidatorSite
) -> list[Replacement] | None:
    """``return {**values, "f": e}`` → ``self.__dict__.update({**values, "f": e})`` + ``return``.

    V1 made the returned dict the model's field dict; with every old key kept (``**values``)
    and only field keys added, updating the model's ``__dict__`` is the same. None otherwise.
    """
    value = ret.value
    if not (
        isinstance(value, ast.Dict)
        and value.keys
        and value.keys[0] is None
        and isinstance(value.values[0], ast.Name)
        and value.values[0].id == values
    ):
        return None
    for key in value.keys[1:]:
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
        if site.model.field_in_hierarchy(key.value) is not True:
            return None
    if src.text[src.line_start(ret.lineno) : src.start(ret)].strip():
        return None  # shares its line (``if x: return {...}``): no room for a second statement
    if src.text[src.start(ret) : src.start(value)].strip() != "return":
        return None
    indent = src.indent_of(ret.lineno)
    return [
        Replacement(src.start(ret), src.start(value), "self.__dict__.update("),
        Replacement(src.end(ret), src.end(ret), f"){src.newline}{indent}return self"),
    ]


def _inside_nested_scope(node: ast.AST, parents: dict[int, ast.AST | None]) -> bool:
    parent = parents.get(id(node))
    while parent is not None:
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return True
        parent = parents.get(id(parent))
    return False


def _field_access(
    node: ast.Name,
    parent: ast.AST | None,
    parents: dict[int, ast.AST | None],
    site: ValidatorSite,
) -> tuple[ast.expr, str, bool] | None:
    """``(expression to replace, field, is_store)`` for ``values["f"]`` / ``values.get("f")``."""
    if (
        isinstance(parent, ast.Subscript)
        and parent.value is node
        and isinstance(parent.slice, ast.Constant)
        and isinstance(parent.slice.value, str)
        and _is_field(parent.slice.value, site)
        and not isinstance(parent.ctx, ast.Del)
    ):
        return parent, parent.slice.value, isinstance(parent.ctx, ast.Store)
    if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr == "get":
        call = parents.get(id(parent))
        if (
            isinstance(call, ast.Call)
            and call.func is parent
            and 1 <= len(call.args) <= 2
            and not call.keywords
            and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, str)
            and _is_field(call.args[0].value, site)
        ):
            return call, call.args[0].value, False
    return None


def _is_field(name: str, site: ValidatorSite) -> bool:
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and site.model.field_in_hierarchy(name) is True
    )
