"""``parse_obj_as`` / ``parse_raw_as`` / ``parse_file_as`` / ``schema_of`` / ``schema_json_of``
→ ``TypeAdapter`` (PYD018).

``parse_obj_as(T, x)`` → ``TypeAdapter(T).validate_python(x)``, ``parse_raw_as(T, x)`` →
``TypeAdapter(T).validate_json(x)``, ``parse_file_as(T, p)`` →
``TypeAdapter(T).validate_json(pathlib.Path(p).read_bytes())``, ``schema_of(T)`` →
``TypeAdapter(T).json_schema()`` and ``schema_json_of(T, ...)`` →
``json.dumps(TypeAdapter(T).json_schema(), ...)``: what Pydantic 2's own deprecated shims run.
Arguments V2 has no place for (``type_name=``, ``proto=``, ``content_type=``, ...) are
reported. The V1 import goes once no use is left.
"""

from __future__ import annotations

import ast

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import TYPE_ADAPTER_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.source import Replacement, Source

HELPERS = ("parse_obj_as", "parse_raw_as", "parse_file_as", "schema_of", "schema_json_of")
PARSERS = ("parse_obj_as", "parse_raw_as", "parse_file_as")
SCHEMA_KEYWORDS = frozenset({"by_alias", "ref_template"})
"""``schema_of`` keywords ``TypeAdapter.json_schema()`` takes as they are."""


def enclosing_scopes(tree: ast.Module) -> dict[int, str]:
    """``id`` of every call node → the qualified name of the function or class around it."""
    scopes: dict[int, str] = {}

    def visit(node: ast.AST, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = child.name if scope == "<module>" else f"{scope}.{child.name}"
            if isinstance(child, ast.Call):
                scopes[id(child)] = scope
            visit(child, inner)

    visit(tree, "<module>")
    return scopes


def plan_type_adapters(src: Source, names: PydanticNames) -> list[Conversion]:
    """A conversion for every call of a V1 parsing / schema helper."""
    if not any(helper in src.text for helper in HELPERS):
        return []
    conversions: list[Conversion] = []
    seen: dict[str, int] = {}
    scopes: dict[int, str] | None = None
    for node in ast.walk(src.tree):
        if not isinstance(node, ast.Call):
            continue
        helper, prefix = _helper_of(node.func, names)
        if helper is None:
            continue
        if scopes is None:
            scopes = enclosing_scopes(src.tree)
        base = f"{scopes.get(id(node), '<module>')}:{helper}"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}#{seen[base]}"
        conversions.append(_plan(src, names, node, helper, prefix, key))
    conversions.sort(key=lambda c: c.start)
    return conversions


def _helper_of(func: ast.expr, names: PydanticNames) -> tuple[str | None, str | None]:
    """The helper ``func`` names, and the name of the ``pydantic`` package it was spelled
    through (``pd`` of ``pd.parse_obj_as``, ``pydantic`` of ``pydantic.tools.parse_obj_as``):
    ``pydantic`` has ``TypeAdapter``, ``pydantic.tools`` has not."""
    helper = names.pydantic_name(func)
    if helper not in HELPERS:
        return None, None
    head = func
    while isinstance(head, ast.Attribute):
        head = head.value
    if head is not func and isinstance(head, ast.Name) and names.modules_of(head) == {"pydantic"}:
        return helper, head.id
    return helper, None


def _plan(
    src: Source,
    names: PydanticNames,
    call: ast.Call,
    helper: str,
    prefix: str | None,
    key: str,
) -> Conversion:
    start, end = src.start(call), src.end(call)
    gone = "removed from" if helper in ("parse_raw_as", "parse_file_as") else "deprecated in"
    what = f"`{helper}` is {gone} Pydantic V2"
    try:
        text, add = _replacement_text(src, names, call, helper, prefix)
    except ValueError as reason:
        message = f"{what}; not converted automatically: {reason}."
        return refused(TYPE_ADAPTER_CODE, key, message, start, end)
    # ``parse_obj_as`` / ``tools`` of ``tools.parse_obj_as``: its import may go with this use
    local = None if prefix is not None else (dotted_name(call.func) or "").split(".")[0] or None
    message = f"{what}: use `{_shape(helper)}`."
    if helper in PARSERS:
        message += " V2 error locations no longer start with `__root__`."
    if helper == "parse_file_as":
        message += " V1 read `.pkl` files with pickle when allowed; this reads JSON."
    else:
        message += " V2 generates JSON Schema 2020-12 (`$defs`), which differs from V1's in detail."
    return Conversion(
        TYPE_ADAPTER_CODE,
        key,
        f"Use `{_shape(helper)}`",
        message,
        start,
        end,
        [Replacement(start, end, text)],
        add,
        consumed={local: 1} if local else {},
    )


def _shape(helper: str) -> str:
    return {
        "parse_obj_as": "TypeAdapter(T).validate_python(data)",
        "parse_raw_as": "TypeAdapter(T).validate_json(data)",
        "parse_file_as": "TypeAdapter(T).validate_json(pathlib.Path(path).read_bytes())",
        "schema_of": "TypeAdapter(T).json_schema()",
        "schema_json_of": "json.dumps(TypeAdapter(T).json_schema())",
    }[helper]


def _replacement_text(
    src: Source, names: PydanticNames, call: ast.Call, helper: str, prefix: str | None
) -> tuple[str, set[ImportBinding]]:
    """The V2 expression replacing ``call`` and the imports it needs; ValueError says why not."""
    if prefix is None and names.imported_in_function(call.func):
        raise ValueError(
            "it is imported inside the function, where the conversion cannot drop the import; "
            "move that import to the top of the module, then convert"
        )
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        raise ValueError("its arguments are unpacked with `*` / `**`, so they cannot be mapped")
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    positional = list(call.args)
    type_ = positional.pop(0) if positional else keywords.pop("type_", None)
    if type_ is None:
        raise ValueError("the type argument is missing")
    add: set[ImportBinding] = set()
    if prefix is not None:
        adapter = f"{prefix}.TypeAdapter"
    else:
        other = names.other_bindings.get("TypeAdapter")
        if other is not None:
            raise ValueError(f"`TypeAdapter` in this module is {other}")
        adapter = next(
            (local for local, name in names.pydantic_from.items() if name == "TypeAdapter"),
            "TypeAdapter",
        )
        add.add(ImportBinding("pydantic", "TypeAdapter"))
    made = f"{adapter}({src.segment(type_)})"
    if helper in PARSERS:
        data_name = {"parse_obj_as": "obj", "parse_raw_as": "b", "parse_file_as": "path"}[helper]
        data = positional.pop(0) if positional else keywords.pop(data_name, None)
        if data is None:
            raise ValueError("the data argument is missing")
        if positional or keywords:
            extra = ", ".join(sorted(k for k in keywords)) or "extra positional arguments"
            raise ValueError(f"V2 has no equivalent of `{extra}` here")
        if helper == "parse_obj_as":
            return f"{made}.validate_python({src.segment(data)})", add
        if helper == "parse_raw_as":
            return f"{made}.validate_json({src.segment(data)})", add
        other = names.other_bindings.get("pathlib")
        if other is not None:
            raise ValueError(f"`pathlib` in this module is {other}")
        add.add(ImportBinding(None, "pathlib"))
        return f"{made}.validate_json(pathlib.Path({src.segment(data)}).read_bytes())", add
    title = positional.pop(0) if positional else keywords.pop("title", None)
    if positional:
        raise ValueError("it is called with positional arguments V2 has no place for")
    passed = [f"{k}={src.segment(v)}" for k, v in keywords.items() if k in SCHEMA_KEYWORDS]
    dumps = [f"{k}={src.segment(v)}" for k, v in keywords.items() if k not in SCHEMA_KEYWORDS]
    if "schema_generator" in keywords:
        raise ValueError("V1 schema generators do not work with V2")
    if dumps and helper == "schema_of":
        raise ValueError(f"`TypeAdapter.json_schema()` takes no `{dumps[0].split('=')[0]}=`")
    schema = f"{made}.json_schema({', '.join(passed)})"
    if title is not None:
        schema = f'{{**{schema}, "title": {src.segment(title)}}}'
    if helper == "schema_of":
        return schema, add
    other = names.other_bindings.get("json")
    if other is not None:
        raise ValueError(f"`json` in this module is {other}")
    add.add(ImportBinding(None, "json"))
    return f"json.dumps({', '.join([schema, *dumps])})", add
