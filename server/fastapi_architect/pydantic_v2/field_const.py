"""``x: T = Field(default, const=True)`` → ``x: Literal[default] = default`` (part of PYD011).

V1 coerced the input to ``T`` and then required it to equal the default (``None`` included,
so ``Optional`` adds nothing), and used the default when the field was missing. V2's
``Literal[default]`` accepts the same values of ``T`` at the same location, and the default
stays. Converted for ``str``, ``int``, ``bool`` and ``float`` defaults of those annotations,
``Enum.MEMBER`` defaults of an annotation naming that enum, and ``None``; anything else is
reported. ``Literal`` does not coerce: V1 also took inputs that coerce to the default (``"1"``
for an ``int`` const, ``"true"`` for a ``bool`` one), V2 rejects them; a ``str`` default that
a number coerces to, or a module that strips or re-cases strings in its config, is reported.
"""

from __future__ import annotations

import ast
import re

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.source import Replacement, Source

LITERAL_IMPORT = ImportBinding("typing", "Literal")
SCALARS = {"str": (str,), "int": (int,), "bool": (bool,), "float": (float,)}
NUMBER = re.compile(r"^\s*[-+]?(\d[\d_]*\.?\d*([eE][-+]?\d+)?|\.\d+|inf|nan)\s*$", re.I)
STRING_CONFIG = re.compile(
    r"\b(anystr_strip_whitespace|anystr_lower|anystr_upper|to_lower|to_upper)\b"
)


class ConstRefused(Exception):
    """``const=True`` that has no faithful ``Literal``; the text says why."""


def const_edits(
    src: Source, stmt: ast.stmt | None, call: ast.Call, keyword: ast.keyword, names: PydanticNames
) -> tuple[list[Replacement], set[ImportBinding]]:
    """The edits that turn ``const`` into a ``Literal`` annotation, and the import they need.

    ``const=False`` (V1 ignored it) is only removed. Raises ``ConstRefused``.
    """
    value = keyword.value
    if not isinstance(value, ast.Constant) or not isinstance(value.value, bool):
        raise ConstRefused("only a literal `const=True/False` converts")
    if not value.value:
        return [_remove(src, call, keyword)], set()
    if (
        not isinstance(stmt, ast.AnnAssign)
        or stmt.value is not call
        or not isinstance(stmt.target, ast.Name)
        or stmt.target.id == "__root__"
    ):
        raise ConstRefused(
            "V2 has no `const`: annotate the field with `Literal[<default>]` and drop `const`"
        )
    if "Literal" in names.other_bindings:
        raise ConstRefused("`Literal` is another name in this module; annotate the field by hand")
    default = _default(call)
    if default is None:
        raise ConstRefused("`const=True` without a default: annotate with `Literal[...]` by hand")
    _check_literal(src, _unwrap_optional(stmt.annotation, names), default)
    literal = f"Literal[{src.segment(default)}]"
    edits = [Replacement(src.start(stmt.annotation), src.end(stmt.annotation), literal)]
    rest = [k for k in call.keywords if k is not keyword]
    if call.args and not rest and len(call.args) == 1:
        edits.append(Replacement(src.start(call), src.end(call), src.segment(default)))
    else:
        edits.append(_remove(src, call, keyword))
    return edits, {LITERAL_IMPORT}


def _default(call: ast.Call) -> ast.expr | None:
    if call.args:
        default: ast.expr | None = call.args[0]
    else:
        default = next((k.value for k in call.keywords if k.arg == "default"), None)
    if default is None or (isinstance(default, ast.Constant) and default.value is Ellipsis):
        return None
    return default


def _unwrap_optional(annotation: ast.expr, names: PydanticNames) -> ast.expr | None:
    """``X`` of ``Optional[X]`` / ``Union[X, None]`` / ``X | None`` (V1 const rejected ``None``
    unless it was the default); ``annotation`` itself when it is no such union."""
    members: list[ast.expr] | None = None
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        members = [annotation.left, annotation.right]
    elif isinstance(annotation, ast.Subscript):
        head = _typing_name(annotation.value, names)
        inner = annotation.slice
        if head == "Optional":
            return inner
        if head == "Union":
            members = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    if members is None:
        return annotation
    kept = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
    return kept[0] if len(kept) == 1 else None


def _typing_name(expr: ast.expr, names: PydanticNames) -> str | None:
    if isinstance(expr, ast.Name):
        return names.typing_from.get(expr.id)
    if (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id in names.typing_modules
    ):
        return expr.attr
    return None


def _check_literal(src: Source, annotation: ast.expr | None, default: ast.expr) -> None:
    """Raise unless ``Literal[default]`` accepts what V1's const on ``annotation`` accepted."""
    if isinstance(default, ast.Constant) and default.value is None:
        return  # only ``None`` was accepted
    type_name = dotted_name(annotation) if annotation is not None else None
    if type_name is None:
        raise ConstRefused("the annotation is not a plain type: annotate with `Literal[...]`")
    constant = _constant(default)
    if type_name in SCALARS:
        if constant is None or type(constant) not in SCALARS[type_name]:
            raise ConstRefused(
                f"the default is not a `{type_name}` literal, so `Literal[...]` is not "
                "certain to accept the same values"
            )
        if isinstance(constant, str):
            if NUMBER.match(constant):
                raise ConstRefused(
                    "V1 also accepted a number that converts to this string; `Literal` does not"
                )
            if STRING_CONFIG.search(src.text):
                raise ConstRefused(
                    "the module's config strips or re-cases strings before V1 compared them"
                )
        return
    member = dotted_name(default)
    if member is not None and member.rpartition(".")[0] == type_name:
        return  # ``Color.RED`` for a field annotated ``Color``
    raise ConstRefused(
        f"the default is not a literal value of `{type_name}`: annotate with `Literal[...]`"
    )


def _constant(expr: ast.expr) -> object | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str | int | float):
        return expr.value
    if (
        isinstance(expr, ast.UnaryOp)
        and isinstance(expr.op, ast.USub)
        and isinstance(expr.operand, ast.Constant)
        and type(expr.operand.value) in (int, float)
    ):
        return expr.operand.value
    return None


def _remove(src: Source, call: ast.Call, keyword: ast.keyword) -> Replacement:
    from fastapi_architect.pydantic_v2.field_args import delete_argument

    return delete_argument(src, call, keyword)
