"""Fields declared with a model that subclasses extend dump every field in V1 (PYD033).

V1's ``.dict()`` / ``.json()`` dumped a nested model by its own class: a ``Photo`` kept in a
field declared ``results: List[Result]`` was written with all of ``Photo``'s fields. V2 dumps it
by the declared class, so only ``Result``'s fields are written and the subclass's data is lost
without an error. ``SerializeAsAny[Result]`` restores V1's output (validation and the JSON
schema are unchanged; an instance of ``Result`` itself dumps the same either way).

A field is converted when its type names a model that a class of the same file subclasses, or a
model that declares no field of its own nor in a workspace base (a base such as
``InlineQueryResult`` is only ever filled with subclasses): those are the fields whose dumps V2
changes in practice. Annotations with calls (``conlist(...)``) are left to their own
conversions; string annotations are reported.
"""

from __future__ import annotations

import ast
from collections.abc import Collection

from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import SERIALIZE_AS_ANY_CODE
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, ExternalModel, WorkspaceModels
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.optional_defaults import is_v2_module
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.pydantic_v2.spelling import Unspellable, pydantic_spelling

WRAPPER = "SerializeAsAny"
NOT_TYPES = frozenset({"Literal", "Type", "type", "ClassVar", WRAPPER})
"""Subscripts whose arguments are not instances of a model to dump."""


def plan_serialize_as_any(
    src: Source,
    classes: list[ModelClass],
    names: PydanticNames,
    workspace: WorkspaceModels = NO_MODELS,
) -> list[Conversion]:
    """A conversion for every model field whose declared model V2 would dump without the
    fields of the subclass instance it holds."""
    if names.uses_v1_namespace or is_v2_module(names, src.text):
        return []
    local = {m.node.name: m for m in classes if m.known_model and not m.inside_function}
    subclassed = {base.node.name for m in classes for base in m.bases_in_file}
    subclassed |= {  # `class IntPage(Page[int])`: a subclass of `Page` in V1 and V2 alike
        base.value.id
        for m in classes
        for base in m.node.bases
        if isinstance(base, ast.Subscript) and isinstance(base.value, ast.Name)
    }
    conversions: list[Conversion] = []
    for model in classes:
        if not model.known_model or model.node.decorator_list:
            continue
        for name, decl in model.fields.items():
            annotation = decl.stmt.annotation
            quoted = _quoted(annotation)
            found: list[tuple[ast.expr, str]] = []
            for ref in _instance_refs(quoted if quoted is not None else annotation, local):
                reason = _polymorphic(ref, local, subclassed, workspace)
                if reason is not None:
                    found.append((ref, reason))
            if found and not any(isinstance(node, ast.Call) for node in ast.walk(annotation)):
                conversions.append(
                    _plan(src, model, name, decl.stmt, found, names, quoted is not None)
                )
    return conversions


def _quoted(annotation: ast.expr) -> ast.expr | None:
    """The parsed type of a string annotation (``"List[Base]"``), else None."""
    if not (isinstance(annotation, ast.Constant) and isinstance(annotation.value, str)):
        return None
    try:
        return ast.parse(annotation.value.strip(), mode="eval").body
    except SyntaxError:
        return None


def _instance_refs(annotation: ast.expr, local: Collection[str]) -> list[ast.expr]:
    """The names in ``annotation`` that stand for an instance of a type (not subscript bases,
    nor ``Literal`` / ``Type`` / ``ClassVar`` arguments, nor ``Annotated`` metadata); a
    subscript of a model of this file (``Page[str]``) stands for one as a whole."""
    found: list[ast.expr] = []

    def visit(node: ast.expr) -> None:
        if isinstance(node, ast.Name | ast.Attribute) or (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in local
        ):
            found.append(node)
        elif isinstance(node, ast.Subscript):
            head = dotted_name(node.value) or ""
            short = head.rsplit(".", 1)[-1]
            if short in NOT_TYPES:
                return
            args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if short == "Annotated":
                args = args[:1]
            for arg in args:
                visit(arg)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            visit(node.left)
            visit(node.right)
        elif isinstance(node, ast.List | ast.Tuple):
            for element in node.elts:
                visit(element)

    visit(annotation)
    return found


def _polymorphic(
    ref: ast.expr,
    local: dict[str, ModelClass],
    subclassed: set[str],
    workspace: WorkspaceModels,
) -> str | None:
    """Why the model ``ref`` names is filled with subclass instances, or None."""
    if isinstance(ref, ast.Subscript):
        ref = ref.value  # `Page[str]`: what holds `Page`'s subclasses holds its own too
    dotted = dotted_name(ref)
    if dotted is None:
        return None
    if isinstance(ref, ast.Name) and ref.id in local:
        model = local[ref.id]
        if ref.id in subclassed:
            return f"`{ref.id}` is subclassed in this file"
        if _declares_no_fields(model):
            return f"`{ref.id}` declares no field, so it holds subclass instances"
        return None
    external = workspace.get(dotted)
    if external is not None and _external_is_empty(external):
        return f"`{dotted}` declares no field, so it holds subclass instances"
    return None


def _declares_no_fields(model: ModelClass) -> bool:
    """True when neither ``model`` nor a workspace base of it declares a field (a base
    outside the workspace, such as a mixin, is not looked into)."""
    if model.fields:
        return False
    if not all(_declares_no_fields(parent) for parent in model.bases_in_file):
        return False
    return all(_external_is_empty(external) for external in model.external_bases)


def _external_is_empty(model: ExternalModel) -> bool:
    return not model.fields


def _plan(
    src: Source,
    model: ModelClass,
    name: str,
    stmt: ast.AnnAssign,
    found: list[tuple[ast.expr, str]],
    names: PydanticNames,
    quoted: bool,
) -> Conversion:
    key = f"{model.qualname}.{name}:serialize_as_any"
    start, end = src.start(stmt), src.end(stmt.annotation)
    models = ", ".join(f"`{ast.unparse(r)}`" for r, _ in found)
    message = (
        f"`{name}: {src.segment(stmt.annotation)}`: V1 dumped a subclass instance held here "
        f"with all its fields, V2 dumps only the fields of {models} ({found[0][1]}), so "
        f"`model_dump()` / `model_dump_json()` silently lose the subclass's data. "
        f"`{WRAPPER}[...]` keeps V1's output; validation and the JSON schema are unchanged."
    )
    if quoted:
        hint = f"write `{WRAPPER}[...]` inside the string annotation by hand"
        return refused(SERIALIZE_AS_ANY_CODE, key, f"{message} Not converted: {hint}.", start, end)
    try:
        wrapper, binding = pydantic_spelling(names, WRAPPER, stmt)
    except Unspellable as clash:
        return refused(SERIALIZE_AS_ANY_CODE, key, f"{message} Not converted: {clash}.", start, end)
    edits: list[Replacement] = []
    for ref, _ in found:
        if isinstance(ref, ast.Subscript):
            # Two insertions, so an edit inside the subscript (`Page[int]` → `Page`) still applies.
            edits += [
                Replacement(src.start(ref), src.start(ref), f"{wrapper}["),
                Replacement(src.end(ref), src.end(ref), "]"),
            ]
        else:
            edits.append(
                Replacement(src.start(ref), src.end(ref), f"{wrapper}[{src.segment(ref)}]")
            )
    title = f"Dump subclasses whole: `{WRAPPER}[...]`"
    adds = {binding} if binding is not None else set()
    return Conversion(SERIALIZE_AS_ANY_CODE, key, title, message, start, end, edits, add=adds)
