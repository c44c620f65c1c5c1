"""``x: Optional[int]`` without a default in a model → ``x: Optional[int] = None`` (PYD012).

V1 gave fields annotated ``Optional[...]`` (``Union[..., None]``, ``X | None``, ``Any``, the
V1 ``NoneStr`` aliases, also as strings) the default ``None``; V2 makes them required. Only
classes known to be models are changed (a base in another file may be anything), and modules
that already use V2-only names are taken for V2 code, whose required Optional fields are meant.
A field whose name the class body reads later (``datetime: Optional[str]`` above
``def f(self) -> datetime``) gets ``Annotated[..., Field(default=None)]`` instead: ``= None``
would bind the name in the class body and change what the later read means.
"""

from __future__ import annotations

import ast
import re

from fastapi_architect.astutil import last_name
from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import OPTIONAL_DEFAULT_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source

TITLE = "Add `= None` (the V1 default of this field)"

V2_ONLY_NAMES = frozenset(
    {
        "computed_field",
        "field_serializer",
        "model_serializer",
        "AliasChoices",
        "AliasPath",
        "PlainSerializer",
        "WrapSerializer",
        "PlainValidator",
        "WrapValidator",
        "WithJsonSchema",
        "SkipValidation",
        "InstanceOf",
    }
)
"""Pydantic names only V2 has and the migration never writes (it writes ``TypeAdapter``,
``RootModel`` and ``SerializeAsAny``): the module is V2 code."""

NONE_ALIASES = frozenset({"NoneStr", "NoneBytes", "NoneStrBytes"})


V2_METHOD_CALL = re.compile(
    r"\.model_(?:dump|dump_json|validate|validate_json|validate_strings|copy|json_schema"
    r"|rebuild|construct|fields|computed_fields)\b"
)
"""A V2 model method in use: V2 code, unless V1 constructs are left beside it."""

V1_CONSTRUCTS = re.compile(
    r"^[ \t]+class[ \t]+Config\b|\b__root__\b|\bGenericModel\b"
    r"|\.(?:dict|parse_obj|parse_raw|from_orm|update_forward_refs)\(",
    re.M,
)
"""V1 spellings that mark a half-migrated module: its Optional fields still follow V1."""


def is_v2_module(names: PydanticNames, text: str) -> bool:
    """True when the module is V2 code, whose Optional fields without a default are meant
    to be required.

    A name only Pydantic 2 has (and this engine never writes) decides alone. A V2 method
    call decides only when no V1 construct is left in the module (a V1 validator import,
    ``class Config``, ``__root__``, ``GenericModel``, ``.dict()`` / ``.parse_obj()`` ...):
    a half-migrated module still has V1 models. What the migration itself writes
    (``model_config``, ``field_validator``, ``pydantic_settings``) never decides, so
    converting the other findings first does not hide these.
    """
    if not V2_ONLY_NAMES.isdisjoint(names.pydantic_from.values()):
        return True
    if V2_METHOD_CALL.search(text) is None:
        return False
    return not names.decorators and V1_CONSTRUCTS.search(text) is None


def plan_optional_defaults(
    src: Source, classes: list[ModelClass], names: PydanticNames
) -> list[Conversion]:
    """A conversion for every field of a known model that V1 made optional without a default."""
    if is_v2_module(names, src.text):
        return []
    conversions: list[Conversion] = []
    for model in classes:
        if not model.known_model or model.node.decorator_list:
            continue  # Pydantic dataclasses followed the dataclass rules in V1 too
        if any(last_name(base) == "RootModel" for base in model.node.bases):
            continue  # V2 code (a converted ``__root__`` got its ``= None`` with PYD017)
        read_later = _class_scope_reads(model.node)
        for name, decl in model.fields.items():
            stmt = decl.stmt
            if stmt.value is not None or not _defaults_to_none(stmt.annotation, names):
                continue
            if _annotated_default(stmt.annotation):
                continue
            at = src.end(stmt)
            message = (
                f"`{name}` has no default: Pydantic V1 gave `{src.segment(stmt.annotation)}` "
                "the default `None`, V2 makes the field required."
            )
            conversion = Conversion(
                OPTIONAL_DEFAULT_CODE,
                f"{model.qualname}.{name}:None",
                TITLE,
                message,
                src.start(stmt),
                at,
                [Replacement(at, at, " = None")],
            )
            if any(line > stmt.lineno for line in read_later.get(name, ())):
                taken = [n for n in ("Annotated", "Field") if n in names.other_bindings]
                if taken:
                    conversions.append(
                        refused(
                            OPTIONAL_DEFAULT_CODE,
                            conversion.key,
                            f"{message} Not converted: `= None` would rebind `{name}`, which "
                            f"the class body reads later, and `{taken[0]}` here is "
                            f"{names.other_bindings[taken[0]]}; give the default by hand.",
                            conversion.start,
                            conversion.end,
                        )
                    )
                    continue
                annotation = stmt.annotation
                conversion.replacements = [
                    Replacement(
                        src.start(annotation),
                        src.end(annotation),
                        f"Annotated[{src.segment(annotation)}, Field(default=None)]",
                    )
                ]
                conversion.add = {
                    ImportBinding("typing", "Annotated"),
                    ImportBinding("pydantic", "Field"),
                }
            conversions.append(conversion)
    return conversions


def defaults_to_none(annotation: ast.expr, names: PydanticNames) -> bool:
    """True when V1 gave a field annotated ``annotation`` the default ``None``."""
    return _defaults_to_none(annotation, names)


def _annotated_default(annotation: ast.expr) -> bool:
    """True for ``Annotated[..., Field(default=...)]`` (a default given in the annotation)."""
    if not isinstance(annotation, ast.Subscript) or last_name(annotation.value) != "Annotated":
        return False
    members = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else []
    return any(
        isinstance(m, ast.Call)
        and last_name(m.func) == "Field"
        and (bool(m.args) or any(k.arg in ("default", "default_factory") for k in m.keywords))
        for m in members[1:]
    )


def _class_scope_reads(node: ast.ClassDef) -> dict[str, list[int]]:
    """Lines where the class body reads each name in the class scope itself (field
    annotations and defaults, decorators, method signatures; not method bodies)."""
    reads: dict[str, list[int]] = {}
    for stmt in node.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            args = stmt.args
            roots: list[ast.AST] = [
                *stmt.decorator_list,
                *args.defaults,
                *(d for d in args.kw_defaults if d is not None),
                *(
                    a.annotation
                    for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]
                    if a.annotation is not None
                ),
                *(a.annotation for a in (args.vararg, args.kwarg) if a and a.annotation),
                *([stmt.returns] if stmt.returns is not None else []),
            ]
        elif isinstance(stmt, ast.ClassDef):
            roots = [*stmt.decorator_list, *stmt.bases, *stmt.keywords]
        else:
            roots = [stmt]
        for root in roots:
            for sub in ast.walk(root):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                    reads.setdefault(sub.id, []).append(sub.lineno)
    return reads


def _defaults_to_none(annotation: ast.expr, names: PydanticNames) -> bool:
    if isinstance(annotation, ast.Constant):
        if annotation.value is None:
            return False
        if not isinstance(annotation.value, str):
            return False
        try:
            parsed = ast.parse(annotation.value.strip(), mode="eval").body
        except SyntaxError:
            return False
        for node in ast.walk(parsed):  # its names are read where the string is written
            ast.copy_location(node, annotation)
        return _defaults_to_none(parsed, names)
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return (
            _is_none(annotation.left)
            or _is_none(annotation.right)
            or (
                _defaults_to_none(annotation.left, names)
                or _defaults_to_none(annotation.right, names)
            )
        )
    head = last_name(annotation.value if isinstance(annotation, ast.Subscript) else annotation)
    if isinstance(annotation, ast.Subscript):
        members = (
            list(annotation.slice.elts)
            if isinstance(annotation.slice, ast.Tuple)
            else [annotation.slice]
        )
        if head == "Optional":
            return True
        if head == "Union":
            return any(_is_none(m) or _defaults_to_none(m, names) for m in members)
        if head == "Annotated" and members:
            return _defaults_to_none(members[0], names)
        return False
    if head == "Any":
        return True
    return names.pydantic_name(annotation) in NONE_ALIASES


def _is_none(expr: ast.expr) -> bool:
    if isinstance(expr, ast.Constant):
        return expr.value is None or expr.value == "None"
    return last_name(expr) == "NoneType"
