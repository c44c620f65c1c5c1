"""The text of the serializer methods that replace ``json_encoders`` (PYD020): one
``@field_serializer`` per encoded type, one ``mode="wrap"`` dispatch over several types (on
listed fields or ``"*"``), and the ``@model_serializer`` that encodes extra fields. Each
encoder is inlined: a lambda's body (its argument renamed when several differ), or
``name(value)``."""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass

from fastapi_architect.astutil import last_name
from fastapi_architect.pydantic_v2.source import Source

LINE_LENGTH = 88
JSON_UNLESS_NONE = 'when_used="json-unless-none"'


class Unwritable(Exception):
    """The encoders cannot be inlined into a method faithfully; the text says why."""


@dataclass
class EncodedType:
    """One ``{type: encoder}`` item: the type as written, its encoder, its canonical name."""

    node: ast.expr
    encoder: ast.expr
    canonical: str


def plain_method(
    src: Source, spelled: str, fields: list[str], key: EncodedType, taken: set[str], indent: str
) -> str:
    """``@field_serializer("a", "b", when_used="json-unless-none")`` calling one encoder."""
    param, body = encoder_call(src, key.encoder, taken)
    name = free_name(f"serialize_{_snake(last_name(key.node) or 'value')}", taken)
    return src.newline.join(
        [
            *_decorator(indent, spelled, [*(f'"{f}"' for f in fields), JSON_UNLESS_NONE]),
            f"{indent}def {name}(self, {param}):",
            f"{indent}    return {body}",
        ]
    )


def dispatch_method(
    src: Source,
    spelled: str,
    listed: list[str],
    keys: list[EncodedType],
    taken: set[str],
    indent: str,
) -> str:
    """A ``mode="wrap"`` field serializer on ``listed`` (field names or ``"*"``): values of an
    encoded type go through its encoder, the others through Pydantic's own serializer."""
    param, branches = _branches(src, keys, taken, {"handler"})
    only = last_name(keys[0].node) if len(keys) == 1 else "json_types"
    name = free_name(f"serialize_{_snake(only or 'value')}", taken)
    inner = indent + "    "
    lines = [
        *_decorator(indent, spelled, [*listed, 'mode="wrap"', JSON_UNLESS_NONE]),
        f"{indent}def {name}(self, {param}, handler):",
        *(f"{inner}{line}" for line in branches),
        f"{inner}return handler({param})",
    ]
    return src.newline.join(lines)


def extra_method(
    src: Source, spelled: str, keys: list[EncodedType], taken: set[str], indent: str
) -> str:
    """A JSON-only model serializer encoding the values of extra fields (inside lists and
    dicts too), as V1's ``json.dumps(default=...)`` reached them."""
    param, branches = _branches(src, keys, taken, {"handler", "data", "key", "item", "encode"})
    name = free_name("serialize_extra_fields", taken)
    i1, i2, i3 = indent + "    ", indent + "        ", indent + "            "
    lines = [
        f'{indent}@{spelled}(mode="wrap", when_used="json")',
        f"{indent}def {name}(self, handler):",
        f"{i1}def encode({param}):",
        *(f"{i2}{line}" for line in branches),
        f"{i2}if isinstance({param}, dict):",
        f"{i3}return {{key: encode(item) for key, item in {param}.items()}}",
        f"{i2}if isinstance({param}, (list, tuple, set, frozenset)):",
        f"{i3}return [encode(item) for item in {param}]",
        f"{i2}return {param}",
        "",
        f"{i1}data = handler(self)",
        f"{i1}for key, {param} in (self.__pydantic_extra__ or {{}}).items():",
        f"{i2}if key in data:",
        f"{i3}data[key] = encode({param})",
        f"{i1}return data",
    ]
    return src.newline.join(lines)


def walker_method(
    src: Source,
    spelled: str,
    fields: list[str],
    keys: list[EncodedType],
    taken: set[str],
    indent: str,
) -> str:
    """A JSON field serializer walking the lists, tuples, sets and dict values of ``fields``
    and encoding every value of an encoded type in them, as V1's ``json.dumps`` did."""
    param, branches = _branches(src, keys, taken, {"value", "key", "item", "encode"})
    only = last_name(keys[0].node) if len(keys) == 1 else "json_types"
    name = free_name(f"serialize_{_snake(only or 'value')}_items", taken)
    i1, i2, i3 = indent + "    ", indent + "        ", indent + "            "
    lines = [
        *_decorator(indent, spelled, [*(f'"{f}"' for f in fields), JSON_UNLESS_NONE]),
        f"{indent}def {name}(self, value):",
        f"{i1}def encode({param}):",
        *(f"{i2}{line}" for line in branches),
        f"{i2}if isinstance({param}, dict):",
        f"{i3}return {{key: encode(item) for key, item in {param}.items()}}",
        f"{i2}if isinstance({param}, (list, tuple, set, frozenset)):",
        f"{i3}return [encode(item) for item in {param}]",
        f"{i2}return {param}",
        "",
        f"{i1}return encode(value)",
    ]
    return src.newline.join(lines)


def _decorator(indent: str, spelled: str, arguments: list[str]) -> list[str]:
    """``@name(a, b)`` on one line, or one argument a line when it would pass 88 columns."""
    line = f"{indent}@{spelled}({', '.join(arguments)})"
    if len(line) <= LINE_LENGTH:
        return [line]
    return [f"{indent}@{spelled}(", *(f"{indent}    {a}," for a in arguments), f"{indent})"]


def _branches(
    src: Source, keys: list[EncodedType], taken: set[str], reserved: set[str]
) -> tuple[str, list[str]]:
    """The parameter name and the ``if isinstance(...): return ...`` lines for ``keys``."""
    lambdas = [
        k.encoder.args.args[0].arg
        for k in keys
        if isinstance(k.encoder, ast.Lambda) and len(k.encoder.args.args) == 1
    ]
    param = lambdas[0] if lambdas else "value"
    if param in reserved | {"self"}:
        raise Unwritable(f"an encoder lambda's argument is named `{param}`")
    lines: list[str] = []
    for key in keys:
        used, body = encoder_call(src, key.encoder, taken | reserved, param)
        if used != param:
            body = _renamed(key.encoder, used, param)
        lines += [f"if isinstance({param}, {ast.unparse(key.node)}):", f"    return {body}"]
    return param, lines


def _renamed(encoder: ast.expr, old: str, new: str) -> str:
    """The body of lambda ``encoder`` reading its argument ``old`` as ``new``; refused when
    ``new`` is read there too or an inner scope binds either name."""
    assert isinstance(encoder, ast.Lambda)
    body = encoder.body
    scopes = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.NamedExpr)
    read = {n.id for n in ast.walk(body) if isinstance(n, ast.Name)}
    if new in read or any(isinstance(n, scopes) for n in ast.walk(body)):
        raise Unwritable("the encoder lambdas name their argument differently")

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.Name:
            return ast.Name(new, node.ctx) if node.id == old else node

    return ast.unparse(Rename().visit(copy.deepcopy(body)))


def encoder_call(
    src: Source, encoder: ast.expr, shadowed: set[str], param: str | None = None
) -> tuple[str, str]:
    """``(parameter, returned expression)`` calling ``encoder`` on the value (named ``param``
    when given)."""
    if isinstance(encoder, ast.Lambda):
        args = encoder.args
        if (
            len(args.args) != 1
            or args.posonlyargs
            or args.kwonlyargs
            or args.vararg
            or args.kwarg
            or args.defaults
        ):
            raise Unwritable("an encoder lambda does not take exactly one argument")
        own = args.args[0].arg
        used = {n.id for n in ast.walk(encoder.body) if isinstance(n, ast.Name)}
        if own == "self" or "self" in used or used & shadowed - {own}:
            raise Unwritable("an encoder lambda reads a name the serializer method would shadow")
        body = src.segment(encoder.body)
        return own, body if "\n" not in body else ast.unparse(encoder.body)
    name = param or "value"
    if isinstance(encoder, ast.Name) and encoder.id not in shadowed | {name, "self"}:
        return name, f"{encoder.id}({name})"
    raise Unwritable("an encoder is neither a lambda nor a plain name")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def free_name(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    taken.add(candidate)
    return candidate
