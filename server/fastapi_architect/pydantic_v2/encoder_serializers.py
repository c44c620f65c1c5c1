"""The ``@field_serializer`` methods that replace a model's ``json_encoders`` (PYD020), where
they are faithful. Read by the PYD020 fix and by the ``class Config`` conversion (PYD010),
which drops the key and inserts the same methods, so both write the same text."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from fastapi_architect.astutil import last_name
from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Source

KEY = "json_encoders"
NATIVE = frozenset({"str", "int", "float", "bool", "list", "dict", "tuple", "object", "Any"})
"""Types V1's ``json.dumps`` wrote itself (its encoders never ran for them), or catch-alls."""


def encoders_of(model: ModelClass) -> ast.expr | None:
    """The ``json_encoders`` value of ``model``'s own config, if it sets one."""
    for stmt in model.node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for item in stmt.body:
                if (
                    isinstance(item, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == KEY for t in item.targets)
                ) or (
                    isinstance(item, ast.AnnAssign)
                    and isinstance(item.target, ast.Name)
                    and item.target.id == KEY
                    and item.value is not None
                ):
                    return item.value
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        if isinstance(stmt, ast.AnnAssign):
            targets = [stmt.target]
        is_config = any(isinstance(t, ast.Name) and t.id == "model_config" for t in targets)
        value = getattr(stmt, "value", None)
        if is_config and isinstance(value, ast.Call):
            for keyword in value.keywords:
                if keyword.arg == KEY:
                    return keyword.value
    return None


@dataclass
class SerializerFix:
    """The methods that replace the ``json_encoders`` key, inserted at ``at``."""

    at: int
    text: str
    binding: ImportBinding | None
    fields: list[str]
    consumed: dict[str, int]
    """Uses of names the removed dict held that no method keeps (a dropped ``timedelta`` key)."""


class _NoFix(Exception):
    """No faithful serializer replaces the key; the text says why."""


def serializer_fix(src: Source, model: ModelClass, names: PydanticNames) -> SerializerFix | str:
    """The serializer methods for ``model``'s ``json_encoders``, or why there are none."""
    try:
        return _serializer_fix(src, model, names, _model_names(src))
    except _NoFix as reason:
        return str(reason)


def _model_names(src: Source) -> set[str]:
    """Names of the classes of the module (a field typed with one may be a nested model)."""
    return {node.name for node in ast.walk(src.tree) if isinstance(node, ast.ClassDef)} - {"Config"}


def _serializer_fix(
    src: Source, model: ModelClass, names: PydanticNames, models: set[str]
) -> SerializerFix:
    value = encoders_of(model)
    if not isinstance(value, ast.Dict) or any(k is None for k in value.keys):
        raise _NoFix("the encoders are not a plain `{type: encoder}` dict")
    if not model.known_model or model.has_unknown_base or model.external_bases:
        raise _NoFix("the model derives from a base in another file")
    if model.bases_in_file or model.node.keywords or model.node.decorator_list:
        raise _NoFix("the model has a base model in this file")
    if _subclassed(src, model):
        raise _NoFix("the model is subclassed, and subclasses inherit `json_encoders`")
    spelled, binding = _decorator(names)
    taken = {*model.fields, *_class_names(model)}
    config_names = _config_names(model)
    indent = src.indent_of(model.node.body[0].lineno)
    methods: list[str] = []
    covered: list[str] = []
    for key, encoder in zip(value.keys, value.values, strict=True):
        assert key is not None
        type_text = ast.unparse(key)
        if last_name(key) in NATIVE or not isinstance(key, ast.Name | ast.Attribute):
            raise _NoFix(f"`{type_text}` is not a type V1's encoders handled alone")
        fields = _fields_of(model, type_text, models)
        covered.extend(fields)
        if not fields:
            continue
        param, body = _call(src, encoder, config_names | taken)
        name = _free_name(f"serialize_{_snake(last_name(key) or 'value')}", taken)
        taken.add(name)
        listed = ", ".join(f'"{f}"' for f in fields)
        inner = indent + "    "
        methods.append(
            src.newline.join(
                [
                    f'{indent}@{spelled}({listed}, when_used="json-unless-none")',
                    f"{indent}def {name}(self, {param}):",
                    f"{inner}return {body}",
                ]
            )
        )
    if not covered:
        raise _NoFix("no field of the model has an encoded type")
    loads = [n.id for n in ast.walk(value) if isinstance(n, ast.Name)]
    kept = [n for m in methods for n in re.findall(r"\b\w+\b", m.split("return ", 1)[1])]
    consumed: dict[str, int] = {}
    for name in loads:
        if name not in kept:
            consumed[name] = consumed.get(name, 0) + 1
    at = _insertion_point(src, model)
    text = "".join(f"{src.newline}{method}{src.newline}" for method in methods)
    if at > 0 and src.text[at - 1 : at] not in ("\n", "\r"):
        text = src.newline + text
    return SerializerFix(at, text, binding, covered, consumed)


def _fields_of(model: ModelClass, type_text: str, models: set[str]) -> list[str]:
    """The fields annotated ``type_text`` or ``Optional`` of it; refused when the type also
    sits inside another annotation (containers, unions) or a field holds a nested model,
    where V1 encoded it too."""
    found: list[str] = []
    for name, decl in model.fields.items():
        annotation = decl.stmt.annotation
        members = [m for m in optional_members(annotation) if ast.unparse(m) != "None"]
        if len(members) == 1 and ast.unparse(members[0]) == type_text:
            found.append(name)
            continue
        if isinstance(annotation, ast.Constant):
            raise _NoFix(f"`{name}` has a string annotation")
        for node in ast.walk(annotation):
            if not isinstance(node, ast.expr):
                continue
            if ast.unparse(node) == type_text or last_name(node) in ("Any", "object"):
                raise _NoFix(
                    f"`{name}: {ast.unparse(annotation)}` may hold `{type_text}` values "
                    "inside other types, which V1 encoded too"
                )
            if last_name(node) in models:
                raise _NoFix(f"`{name}` holds a nested model, whose fields V1 encoded too")
    return found


def _call(src: Source, encoder: ast.expr, shadowed: set[str]) -> tuple[str, str]:
    """``(parameter, returned expression)`` calling ``encoder`` on the value."""
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
            raise _NoFix("an encoder lambda does not take exactly one argument")
        param = args.args[0].arg
        used = {n.id for n in ast.walk(encoder.body) if isinstance(n, ast.Name)}
        if param == "self" or "self" in used or used & shadowed - {param}:
            raise _NoFix("an encoder lambda reads a name the serializer method would shadow")
        body = src.segment(encoder.body)
        return param, body if "\n" not in body else ast.unparse(encoder.body)
    if isinstance(encoder, ast.Name) and encoder.id not in shadowed | {"value", "self"}:
        return "value", f"{encoder.id}(value)"
    raise _NoFix("an encoder is neither a lambda nor a plain name")


def _subclassed(src: Source, model: ModelClass) -> bool:
    name = model.node.name
    return any(
        isinstance(node, ast.ClassDef)
        and node is not model.node
        and any(last_name(base) == name for base in node.bases)
        for node in ast.walk(src.tree)
    )


def _class_names(model: ModelClass) -> set[str]:
    found: set[str] = set()
    for stmt in model.node.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(stmt.name)
        for node in ast.walk(stmt) if isinstance(stmt, ast.Assign | ast.AnnAssign) else []:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                found.add(node.id)
    return found


def _config_names(model: ModelClass) -> set[str]:
    """Names bound in the model's ``class Config`` (an encoder there reads them)."""
    for stmt in model.node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            return {
                n.id
                for n in ast.walk(stmt)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
            }
    return set()


def _decorator(names: PydanticNames) -> tuple[str, ImportBinding | None]:
    for local, canonical in names.pydantic_from.items():
        if canonical == "field_serializer":
            return local, None
    if "field_serializer" in names.other_bindings:
        raise _NoFix("`field_serializer` is another name in this module")
    if names.star_import:
        return "field_serializer", None
    return "field_serializer", ImportBinding("pydantic", "field_serializer")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _free_name(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    return candidate


def _insertion_point(src: Source, model: ModelClass) -> int:
    """After the class's last statement (and the comments a trailing ``class Config`` holds)."""
    last = model.node.body[-1]
    if isinstance(last, ast.ClassDef) and last.name == "Config":
        return src.line_end(config_last_line(src, last))
    return src.line_end(last.end_lineno or last.lineno)


def optional_members(annotation: ast.expr) -> list[ast.expr]:
    """``X`` for ``X`` / ``Optional[X]`` / ``X | None`` / ``Union[X, None]``; else the whole."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return [*optional_members(annotation.left), *optional_members(annotation.right)]
    if isinstance(annotation, ast.Subscript) and last_name(annotation.value) in (
        "Optional",
        "Union",
    ):
        inner = annotation.slice
        return list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    return [annotation]


def config_last_line(src: Source, config: ast.ClassDef) -> int:
    """The last line of ``config`` including comment lines indented into its body after the
    last statement (``ast`` ends the class at its last statement)."""
    last = config.end_lineno or config.lineno
    header_indent = len(src.indent_of(config.lineno))
    while last < len(src.lines):
        line = src.line_text(last + 1)
        if not line.strip().startswith("#") or len(src.indent_of(last + 1)) <= header_indent:
            break
        last += 1
    return last
