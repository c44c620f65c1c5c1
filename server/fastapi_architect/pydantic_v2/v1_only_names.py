"""V1-only names that V2 removed, where a faithful edit exists (PYD013).

``from pydantic.fields import ModelField`` used only in annotations (``def validate(cls, v,
field: ModelField)``) → imported from ``pydantic.v1.fields``: the annotation still names V1's
class and the module imports again (the custom type itself is PYD021's). ``class Name(
ConstrainedStr): max_length = 8`` whose body is only V1's constraint attributes, used only as a
type or called as a constructor → ``Name = Annotated[str, StringConstraints(max_length=8)]``
(``ConstrainedInt`` / ``ConstrainedFloat`` → ``Annotated[int | float, Field(...)]``): exactly
what ``constr(max_length=8)`` built in V1. Other uses stay reported by ``moved_names``.
"""

from __future__ import annotations

import ast
import io
import tokenize

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.constrained_types import _render
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.field_args import _Refuse
from fastapi_architect.pydantic_v2.findings import MOVED_NAME_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source

V1_FIELDS = "pydantic.v1.fields"
CONSTRAINED_CLASSES = {"ConstrainedStr": "constr", "ConstrainedInt": "conint"}
CONSTRAINED_CLASSES["ConstrainedFloat"] = "confloat"
"""V1 base classes → the ``con*`` function whose attributes and V2 spelling they share."""
V1_ONLY_MODULES = ("pydantic", "pydantic.types", "pydantic.fields")
"""Where the names reported through a module (``pydantic.ConstrainedStr``) were read from."""


def plan_attribute_reports(
    src: Source, names: PydanticNames, hints: dict[str, str]
) -> list[Conversion]:
    """A report for every V1-only name read through a Pydantic module (``pydantic.ConstrainedStr``,
    ``pydantic.fields.ModelField``; ``hints``: name → what to use), once per name; under V2 the
    read fails when the module runs."""
    wanted = [name for name in hints if name == "ModelField" or name in CONSTRAINED_CLASSES]
    wanted += [name for name in hints if name.startswith(("SHAPE_", "Undefined"))]
    if not any(f".{name}" in src.text for name in wanted):
        return []
    uses: dict[str, list[ast.Attribute]] = {}
    for node in ast.walk(src.tree):
        if isinstance(node, ast.Attribute) and node.attr in wanted:
            modules = names.modules_of(node.value)
            if modules and modules <= set(V1_ONLY_MODULES):
                uses.setdefault(f"{ast.unparse(node.value)}.{node.attr}", []).append(node)
    conversions: list[Conversion] = []
    for spelled, nodes in sorted(uses.items()):
        first = min(nodes, key=lambda n: (n.lineno, n.col_offset))
        count = f" ({len(nodes)} uses)" if len(nodes) > 1 else ""
        message = f"`{spelled}` does not exist in Pydantic V2{count}: {hints[first.attr]}."
        key = f"use:{spelled}"
        conversions.append(refused(MOVED_NAME_CODE, key, message, src.start(first), src.end(first)))
    return conversions


def annotation_nodes(tree: ast.AST) -> set[int]:
    """``id`` of every node inside an annotation (parameters, returns, annotated assignments)."""
    roots: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            roots.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            roots.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            roots.append(node.annotation)
    return {id(inner) for root in roots for inner in ast.walk(root)}


def plan_model_field(
    src: Source, module: str, alias: ast.alias, key: str, hint: str
) -> Conversion | None:
    """``ModelField`` imported from ``pydantic.fields`` and named only in annotations → imported
    from ``pydantic.v1.fields``; None when it is used otherwise (then it stays reported)."""
    if module != "pydantic.fields" or alias.name != "ModelField":
        return None
    local = alias.asname or alias.name
    inside = annotation_nodes(src.tree)
    uses = [n for n in ast.walk(src.tree) if isinstance(n, ast.Name) and n.id == local]
    if any(id(node) not in inside for node in uses):
        return None
    message = (
        f"`{module}.{alias.name}` does not exist in Pydantic V2: {hint}. Here it only "
        f"annotates, so it is imported from `{V1_FIELDS}` (V1's class, shipped in Pydantic 2) "
        "and the module imports again; V2 never passes a `ModelField` to validators, so the "
        "V1 custom types and validators that take `field` still need converting (PYD021)."
    )
    return Conversion(
        MOVED_NAME_CODE,
        key,
        f"Import `ModelField` from `{V1_FIELDS}`",
        message,
        src.start(alias),
        src.end(alias),
        [],
        {ImportBinding(V1_FIELDS, alias.name, alias.asname)},
        remove={local},
    )


def plan_constrained_classes(
    src: Source, names: PydanticNames, module: str, alias: ast.alias, key: str
) -> Conversion | None:
    """``ConstrainedStr`` imported from ``pydantic``: every class deriving from it becomes an
    ``Annotated`` alias and the import goes; None when the name is not one of these bases,
    a refusal (saying why) when some use cannot convert faithfully."""
    if module not in ("pydantic", "pydantic.types") or alias.name not in CONSTRAINED_CLASSES:
        return None
    kind = CONSTRAINED_CLASSES[alias.name]
    local = alias.asname or alias.name
    start, end = src.start(alias), src.end(alias)
    prefix = f"`{module}.{alias.name}` does not exist in Pydantic V2"
    classes = [
        node
        for node in src.tree.body
        if isinstance(node, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id == local for b in node.bases)
    ]
    bases = {id(b) for node in classes for b in node.bases}
    others = [
        n
        for n in ast.walk(src.tree)
        if isinstance(n, ast.Name) and n.id == local and id(n) not in bases
    ]
    if not classes or others:
        return None  # nothing to convert, or V1's class itself is used: stays reported
    add: set[ImportBinding] = {ImportBinding("typing", "Annotated")}
    replacements: list[Replacement] = []
    try:
        for node in classes:
            replacements.append(_alias_for(src, names, node, kind, add))
    except _Refuse as reason:
        message = f"{prefix}; not converted automatically: {reason}."
        return refused(MOVED_NAME_CODE, key, message, start, end)
    spelled = ", ".join(f"`{node.name}`" for node in classes)
    become = (
        "become `Annotated[...]` aliases"
        if len(classes) > 1
        else "becomes an `Annotated[...]` alias"
    )
    message = f"{prefix}: {spelled} {become} with V2 constraint names (what `{kind}(...)` builds)."

    title = f"Turn {spelled} into `Annotated[...]`"
    return Conversion(
        MOVED_NAME_CODE, key, title, message, start, end, replacements, add, remove={local}
    )


def _alias_for(
    src: Source, names: PydanticNames, node: ast.ClassDef, kind: str, add: set[ImportBinding]
) -> Replacement:
    """``class X(ConstrainedStr): ...`` → ``X = Annotated[...]`` (its docstring kept after it as
    the alias's docstring, its comments above it); raises ``_Refuse`` otherwise."""
    if node.decorator_list or node.keywords or len(node.bases) != 1:
        raise _Refuse(f"`{node.name}` has decorators, keywords or other bases")
    body = list(node.body)
    doc = ast.get_docstring(node, clean=False)
    if doc is not None:
        body = body[1:]
    keywords: list[ast.keyword] = []
    for stmt in body:
        if isinstance(stmt, ast.Pass):
            continue
        if (
            not isinstance(stmt, ast.Assign)
            or len(stmt.targets) != 1
            or not isinstance(stmt.targets[0], ast.Name)
        ):
            raise _Refuse(f"`{node.name}` declares more than V1's constraint attributes")
        value = stmt.value
        if isinstance(value, ast.Constant) and value.value is False and kind == "constr":
            continue  # V1's default for the flags: no constraint
        keywords.append(ast.keyword(arg=stmt.targets[0].id, value=value))
    _check_uses(src.tree, node.name)
    call = ast.Call(func=ast.Name(id=kind), args=[], keywords=keywords)
    text = f"{node.name} = {_render(src, names, call, kind, add)}"
    if doc is not None:
        text += "\n" + src.segment(node.body[0])
    comments = _comments(src.segment(node))
    if comments:
        text = "\n".join(comments) + "\n" + text
    return Replacement(src.start(node), src.end(node), text)


def _check_uses(tree: ast.Module, name: str) -> None:
    """Raise ``_Refuse`` unless ``name`` is only used as a type (in annotations or type
    arguments) or called: ``Annotated[str, ...](value)`` builds ``str(value)`` as V1's
    ``X(value)`` built an equal, unvalidated ``str``."""
    allowed = annotation_nodes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            allowed.update(id(inner) for inner in ast.walk(node.slice))
        elif isinstance(node, ast.Call):
            allowed.add(id(node.func))
        elif isinstance(node, ast.ClassDef):
            allowed.difference_update(id(b) for b in node.bases)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and id(node) not in allowed:
            raise _Refuse(
                f"`{node.id}` is used other than as a type (line {node.lineno}: "
                "`isinstance`, a base class or an attribute read need V1's class)"
            )
        if isinstance(node, ast.ClassDef) and any(
            isinstance(b, ast.Name) and b.id == name for b in node.bases
        ):
            raise _Refuse(f"`{node.name}` derives from `{name}`")


def _comments(text: str) -> list[str]:
    """The comments in a class's source, in order."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    return [tok.string for tok in tokens if tok.type == tokenize.COMMENT]
