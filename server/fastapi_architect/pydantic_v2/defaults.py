"""``always=True`` → the field gets ``validate_default=True``.

V1 ``always=True`` made the field validate its default (type checks and every validator); V2's
``Field(..., validate_default=True)`` does the same. A required field never uses its default,
so it needs nothing. V1 gave ``Optional[X]`` / ``Any`` fields an implicit ``None`` default that
V2 does not, so such a field becomes ``Field(None, validate_default=True)``.
"""

from __future__ import annotations

import ast

from fastapi_architect.pydantic_v2.analysis import ValidatorSite
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.plan import Refusal, Spelling
from fastapi_architect.pydantic_v2.source import Replacement, Source


def _implicitly_optional(annotation: ast.expr) -> bool:
    """True for annotations V1 gave an implicit ``None`` default (Optional, ``| None``, Any)."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    text = ast.unparse(annotation).replace(" ", "")
    if text in ("Any", "typing.Any", "Optional", "None"):
        return True
    if text.startswith(("Optional[", "typing.Optional[")):
        return True
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return "None" in text.split("|")
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) in (
        "Union",
        "typing.Union",
    ):
        elements = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else []
        return any(ast.unparse(e) in ("None", "NoneType", "type(None)") for e in elements)
    return False


def _defaults_to_none(value: ast.expr | None, names: PydanticNames) -> bool:
    """True for ``= None``, ``= Field(None, ...)`` and ``= Field(default=None, ...)``."""
    if isinstance(value, ast.Constant) and value.value is None:
        return True
    if isinstance(value, ast.Call) and _is_pydantic_field_call(value, names):
        default = value.args[0] if value.args else None
        for keyword in value.keywords:
            if keyword.arg == "default":
                default = keyword.value
        return isinstance(default, ast.Constant) and default.value is None
    return False


def _is_pydantic_field_call(node: ast.expr, names: PydanticNames) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return names.pydantic_from.get(func.id) == "Field"
    if isinstance(func, ast.Attribute) and func.attr == "Field":
        dotted = dotted_name(func.value)
        return dotted is not None and names.resolve_module(dotted) == "pydantic"
    return False


def validate_default_edits(
    src: Source, site: ValidatorSite, field_names: list[str] | None, spell: Spelling
) -> list[Replacement]:
    """Edits that give each validated field ``validate_default=True``; refuse when impossible."""
    if field_names is None:
        raise Refusal("`always=True` needs literal field names to find the fields to change")
    if "*" in field_names:
        raise Refusal(
            '`always=True` with "*": V2 needs `validate_default=True` on every field with a '
            "default, including inherited ones; set it per field by hand"
        )
    replacements: list[Replacement] = []
    for name in field_names:
        decl = site.model.fields.get(name)
        if decl is None:
            raise Refusal(
                f"`always=True` on `{name}`, which is not declared in `{site.model.node.name}` "
                "(inherited or from another file): V2 needs `validate_default=True` where the "
                "field is declared, and changing the base would change its other subclasses"
            )
        stmt = decl.stmt
        value = stmt.value
        if _defaults_to_none(value, spell.names) and not _implicitly_optional(stmt.annotation):
            raise Refusal(
                f"`{name}: {ast.unparse(stmt.annotation)}` defaults to None, which V1 made "
                "implicitly Optional; V2 would reject that default once it is validated, so "
                f"declare it `Optional[{ast.unparse(stmt.annotation)}]` first"
            )
        if value is None:
            if _implicitly_optional(stmt.annotation):
                at = src.end(stmt.annotation)
                field_call = spell.pydantic("Field")
                replacements.append(
                    Replacement(at, at, f" = {field_call}(None, validate_default=True)")
                )
            continue  # required: V1 reported it missing and never ran the validator
        if isinstance(value, ast.Call) and _is_pydantic_field_call(value, spell.names):
            if any(k.arg == "validate_default" for k in value.keywords):
                continue
            if any(k.arg is None for k in value.keywords):
                raise Refusal(f"the `Field(...)` of `{name}` takes `**` arguments")
            arguments: list[ast.expr] = [*value.args, *(k.value for k in value.keywords)]
            if arguments:
                at = max(src.end(a) for a in arguments)
                replacements.append(Replacement(at, at, ", validate_default=True"))
            else:
                at = src.end(value) - 1
                replacements.append(Replacement(at, at, "validate_default=True"))
            continue
        if isinstance(value, ast.Call) and ast.unparse(value.func).endswith("Field"):
            raise Refusal(f"the default of `{name}` is a `Field` that is not Pydantic's")
        field_call = spell.pydantic("Field")
        replacements.append(
            Replacement(
                src.start(value),
                src.end(value),
                f"{field_call}({src.segment(value)}, validate_default=True)",
            )
        )
    return replacements
