"""Which ``str`` fields numbers visibly reach (a number default, a ``pre=True`` validator
returning one): V1 turned those numbers into text, V2 rejects them. Read by the PYD031 fix
and by the ``class Config`` conversion, which adds ``coerce_numbers_to_str`` for them."""

from __future__ import annotations

import ast

from fastapi_architect.astutil import last_name
from fastapi_architect.pydantic_v2.analysis import ModelClass, model_config_call
from fastapi_architect.pydantic_v2.decorator_args import VALIDATOR_KEYWORDS, read_args
from fastapi_architect.pydantic_v2.field_keyword import has_keyword, is_field_call
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.optional_defaults import is_v2_module
from fastapi_architect.pydantic_v2.plan import Refusal
from fastapi_architect.pydantic_v2.source import Source

NUMBER_CALLS = frozenset({"int", "float", "len", "round", "sum", "abs", "Decimal"})


def numbers_reach_str_fields(src: Source, model: ModelClass, names: PydanticNames) -> bool:
    """True when PYD031 reports a field of ``model`` (the config conversion then adds the key)."""
    if "str" not in src.text or is_v2_module(names, src.text):
        return False
    return bool(reached_fields(src, model, names))


def reached_fields(
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


def _coerces(model: ModelClass) -> bool:
    """True when the model (or a same-file base) already sets ``coerce_numbers_to_str``."""
    for stmt in model.node.body:
        config = model_config_call(stmt)
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
