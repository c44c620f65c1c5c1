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

from fastapi_architect.astutil import last_name
from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.decorator_args import VALIDATOR_KEYWORDS, read_args
from fastapi_architect.pydantic_v2.field_keyword import (
    NoFieldSpelling,
    has_keyword,
    is_field_call,
    keyword_edits,
)
from fastapi_architect.pydantic_v2.findings import STR_COERCION_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.optional_defaults import is_v2_module
from fastapi_architect.pydantic_v2.plan import Refusal
from fastapi_architect.pydantic_v2.source import Replacement, Source

TITLE = "Keep V1's number-to-text conversion: `coerce_numbers_to_str=True`"
KEYWORD = "coerce_numbers_to_str=True"
NUMBER_CALLS = frozenset({"int", "float", "len", "round", "sum", "abs", "Decimal"})


def plan_str_coercions(
    src: Source, classes: list[ModelClass], names: PydanticNames
) -> list[Conversion]:
    """A conversion for every ``str`` field of a known model that numbers visibly reach."""
    if "str" not in src.text or is_v2_module(names, src.text):
        return []
    conversions: list[Conversion] = []
    for model in classes:
        for name, stmt, why in _reached_fields(src, model, names):
            conversions.append(_plan(src, model, name, stmt, why, names))
    return conversions


def numbers_reach_str_fields(src: Source, model: ModelClass, names: PydanticNames) -> bool:
    """True when PYD031 reports a field of ``model`` (the config conversion then adds the key)."""
    if "str" not in src.text or is_v2_module(names, src.text):
        return False
    return bool(_reached_fields(src, model, names))


def _reached_fields(
    src: Source, model: ModelClass, names: PydanticNames
) -> list[tuple[str, ast.AnnAssign, str]]:
    """``(name, declaration, why)`` of every ``str`` field of ``model`` numbers reach."""
    if not model.known_model or model.node.decorator_list or _coerces(model):
        return []
    returning = _pre_validators_returning_numbers(model, names)
    found: list[tuple[str, ast.AnnAssign, str]] = []
    for name, decl in model.fields.items():
        stmt = decl.stmt
        if not _is_str(stmt.annotation) or has_keyword(stmt, "coerce_numbers_to_str", names):
            continue
        default = _number_default(stmt.value, names)
        if default is not None:
            why = f"its default is the number `{src.segment(default)}`, so numbers reach it"
        elif name in returning:
            why = f"its `pre=True` validator `{returning[name]}` returns a number"
        else:
            continue
        found.append((name, stmt, why))
    return found


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
        config = _model_config_call(stmt)
        if config is None and _assigns_model_config(stmt):
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


def _model_config_call(stmt: ast.stmt) -> ast.Call | None:
    if isinstance(stmt, ast.Assign | ast.AnnAssign) and isinstance(stmt.value, ast.Call):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if any(isinstance(t, ast.Name) and t.id == "model_config" for t in targets):
            return stmt.value
    return None


def _assigns_model_config(stmt: ast.stmt) -> bool:
    targets = (
        stmt.targets
        if isinstance(stmt, ast.Assign)
        else [stmt.target]
        if isinstance(stmt, ast.AnnAssign)
        else []
    )
    return any(isinstance(t, ast.Name) and t.id == "model_config" for t in targets)


def _coerces(model: ModelClass) -> bool:
    """True when the model (or a same-file base) already sets ``coerce_numbers_to_str``."""
    for stmt in model.node.body:
        config = _model_config_call(stmt)
        if config is not None and any(k.arg == "coerce_numbers_to_str" for k in config.keywords):
            return True
    return any(_coerces(base) for base in model.bases_in_file)


def _is_str(annotation: ast.expr) -> bool:
    """``str``, ``Optional[str]``, ``str | None``."""
    if isinstance(annotation, ast.Name):
        return annotation.id == "str"
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = [annotation.left, annotation.right]
        return any(_is_str(s) for s in sides) and any(
            isinstance(s, ast.Constant) and s.value is None for s in sides
        )
    if isinstance(annotation, ast.Subscript) and last_name(annotation.value) == "Optional":
        return _is_str(annotation.slice)
    return False


def _number_default(value: ast.expr | None, names: PydanticNames) -> ast.expr | None:
    """The default when it is a number literal (``0``, ``-1.5``), directly or in ``Field``."""
    if isinstance(value, ast.Call) and is_field_call(value, names):
        call = value
        value = call.args[0] if call.args else None
        for keyword in call.keywords:
            if keyword.arg == "default":
                value = keyword.value
    return value if value is not None and _is_number(value) else None


def _is_number(expr: ast.expr) -> bool:
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub | ast.UAdd):
        expr = expr.operand
    return (
        isinstance(expr, ast.Constant)
        and isinstance(expr.value, int | float)
        and not isinstance(expr.value, bool)
    )


def _pre_validators_returning_numbers(model: ModelClass, names: PydanticNames) -> dict[str, str]:
    """Field name → ``pre=True`` validator of the class that returns a number somewhere."""
    found: dict[str, str] = {}
    for stmt in model.node.body:
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in stmt.decorator_list:
            if names.decorator_kind(decorator) != "validator" or not isinstance(
                decorator, ast.Call
            ):
                continue
            try:
                args = read_args(decorator, VALIDATOR_KEYWORDS)
                pre = args.flag("pre", False)
            except Refusal:
                continue
            fields = args.field_names() or []
            if pre and _returns_number(stmt):
                for field_name in fields:
                    found.setdefault(field_name, stmt.name)
    return found


def _returns_number(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(
        isinstance(node, ast.Return) and node.value is not None and _may_be_number(node.value)
        for node in ast.walk(func)
    )


def _may_be_number(value: ast.expr) -> bool:
    """A number literal, a call that makes a number (``len(v)``), or a conditional of one."""
    if isinstance(value, ast.IfExp):
        return _may_be_number(value.body) or _may_be_number(value.orelse)
    if isinstance(value, ast.Call):
        return last_name(value.func) in NUMBER_CALLS
    return _is_number(value)
