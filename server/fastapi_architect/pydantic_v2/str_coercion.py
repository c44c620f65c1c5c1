"""Numbers given to a ``str`` field (PYD031): V1 converted them to text, V2 rejects them.

Found where the code shows numbers reach a ``str`` field: its default is a number
(``code: str = 0``), or a ``pre=True`` validator of the field returns one (V1 then converted
the returned number; a V2 ``mode="before"`` validator's number is refused). The fix sets
``coerce_numbers_to_str=True`` in the model's ``model_config`` (a new ``ConfigDict(...)`` at the
end of the class, or a keyword of an existing one); when the class still has a V1
``class Config`` (or class keywords) the field's own ``Field(...)`` gets it instead, so the
config conversion (PYD010) stays whole.
"""

from __future__ import annotations

import ast

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import (
    ModelClass,
    assigns_model_config,
    model_config_call,
)
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.field_keyword import (
    NoFieldSpelling,
    keyword_edits,
)
from fastapi_architect.pydantic_v2.findings import STR_COERCION_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.optional_defaults import is_v2_module
from fastapi_architect.pydantic_v2.plan import Refusal
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.pydantic_v2.str_fields import reached_fields

TITLE = "Keep V1's number-to-text conversion: `coerce_numbers_to_str=True`"
KEYWORD = "coerce_numbers_to_str=True"


def plan_str_coercions(
    src: Source, classes: list[ModelClass], names: PydanticNames
) -> list[Conversion]:
    """A conversion for every ``str`` field of a known model that numbers visibly reach."""
    if "str" not in src.text or is_v2_module(names, src.text):
        return []
    conversions: list[Conversion] = []
    for model in classes:
        for name, stmt, why in reached_fields(src, model, names):
            conversions.append(_plan(src, model, name, stmt, why, names))
    return conversions


def _plan(
    src: Source, model: ModelClass, name: str, stmt: ast.AnnAssign, why: str, names: PydanticNames
) -> Conversion:
    key = f"{model.qualname}.{name}:str"
    start, end = src.start(stmt), src.end(stmt.annotation)
    message = (
        f"`{name}: {src.segment(stmt.annotation)}`: {why}; V1 converted numbers given to a "
        "`str` field to text, V2 rejects them"
    )
    config = _v1_config_conversion(src, model, names)
    if config is not None:
        return Conversion(
            STR_COERCION_CODE,
            key,
            TITLE,
            f"{message}; the converted `class Config` gets `coerce_numbers_to_str=True`, "
            "which keeps V1's conversion.",
            start,
            end,
            list(config.replacements),
            set(config.add),
            set(config.remove),
            dict(config.consumed),
        )
    try:
        edits, binding = _config_edits(src, model, names)
        where = "in `model_config`"
        if edits is None:
            edits, binding = keyword_edits(src, stmt, KEYWORD, names, False)
            where = "on the field"
    except (NoFieldSpelling, Refusal) as reason:
        return refused(STR_COERCION_CODE, key, f"{message}. Not converted: {reason}.", start, end)
    return Conversion(
        STR_COERCION_CODE,
        key,
        TITLE,
        f"{message}; `coerce_numbers_to_str=True` {where} keeps V1's conversion.",
        start,
        end,
        edits,
        add={binding} if binding is not None else set(),
    )


def _v1_config_conversion(
    src: Source, model: ModelClass, names: PydanticNames
) -> Conversion | None:
    """The fixable PYD010 conversion of the model's V1 ``class Config`` (which adds the key),
    or None when the class has none or it cannot be converted."""
    from fastapi_architect.pydantic_v2.config_class import plan_configs

    if not any(isinstance(s, ast.ClassDef) and s.name == "Config" for s in model.node.body):
        return None
    for conversion in plan_configs(src, [model], names):
        if conversion.key == f"{model.qualname}.Config" and conversion.fixable:
            return conversion
    return None


def _config_edits(
    src: Source, model: ModelClass, names: PydanticNames
) -> tuple[list[Replacement] | None, ImportBinding | None]:
    """The model-level fix, or ``(None, None)`` when the field must carry it."""
    node = model.node
    if node.keywords or model.settings:
        return None, None
    for stmt in node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            return None, None
        config = model_config_call(stmt)
        if config is None and assigns_model_config(stmt):
            raise Refusal("`model_config` is not a `ConfigDict(...)` call")
        if config is not None:
            if any(k.arg is None for k in config.keywords) or config.args:
                raise Refusal("`model_config` is built with `**` or positional arguments")
            arguments = [k.value for k in config.keywords]
            if arguments:
                at = src.end(arguments[-1])
                return [Replacement(at, at, f", {KEYWORD}")], None
            at = src.end(config) - 1
            return [Replacement(at, at, KEYWORD)], None
    spelled, binding = _config_dict(names)
    last = node.body[-1]
    at = src.line_end(last.end_lineno or last.lineno)
    indent = src.indent_of(node.body[0].lineno)
    line = f"{src.newline}{indent}model_config = {spelled}({KEYWORD}){src.newline}"
    if at > 0 and src.text[at - 1 : at] not in ("\n", "\r"):
        line = src.newline + line.lstrip("\r\n")
    return [Replacement(at, at, line)], binding


def _config_dict(names: PydanticNames) -> tuple[str, ImportBinding | None]:
    for local, canonical in names.pydantic_from.items():
        if canonical == "ConfigDict":
            return local, None
    for alias, module in names.modules.items():
        if module == "pydantic" and not names.pydantic_from:
            return f"{alias}.ConfigDict", None
    if "ConfigDict" in names.other_bindings:
        raise Refusal(f"`ConfigDict` in this module is {names.other_bindings['ConfigDict']}")
    return "ConfigDict", ImportBinding("pydantic", "ConfigDict")
