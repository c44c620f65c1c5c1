"""``always=True`` → the field gets ``validate_default=True``.

V1 ``always=True`` made the field validate its default (type checks and every validator); V2's
``Field(..., validate_default=True)`` does the same. A required field never uses its default,
so it needs nothing. V1 gave ``Optional[X]`` / ``Any`` fields an implicit ``None`` default that
V2 does not, so such a field becomes ``Field(None, validate_default=True)``.
"""

from __future__ import annotations

import ast

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import FieldDecl, ModelClass, ValidatorSite
from fastapi_architect.pydantic_v2.external_fields import (
    external_field,
    module_bound_names,
    redeclaration,
)
from fastapi_architect.pydantic_v2.field_args import statement_edits
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels
from fastapi_architect.pydantic_v2.moved_names import ALIAS_TYPES, alias_type, bound_operands
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.plan import Refusal, Spelling
from fastapi_architect.pydantic_v2.source import Replacement, Source


def _implicitly_optional(annotation: ast.expr, names: PydanticNames | None = None) -> bool:
    """True for annotations V1 gave an implicit ``None`` default (Optional, ``| None``, Any,
    Pydantic's ``NoneStr`` / ``NoneBytes`` / ``NoneStrBytes``)."""
    if names is not None and names.pydantic_name(annotation) in (
        "NoneStr",
        "NoneBytes",
        "NoneStrBytes",
    ):
        return True
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
    return isinstance(node, ast.Call) and names.refers_to(node.func, "Field")


def validate_default_edits(
    src: Source,
    site: ValidatorSite,
    field_names: list[str] | None,
    spell: Spelling,
    models: WorkspaceModels = NO_MODELS,
    adds: set[ImportBinding] | None = None,
) -> list[Replacement]:
    """Edits that give each validated field ``validate_default=True``; refuse when impossible.

    A field inherited from a model of another workspace file (``models``) is re-declared the
    same way; the imports its copy needs are added to ``adds``.

    A field inherited from a model in the same file is re-declared in the subclass (same
    annotation and default, plus ``validate_default=True``): V1's ``always=True`` in a subclass
    only changed the subclass, and V2 keeps an inherited field's position when it is re-declared.
    All such fields of a class go into one block at the top of its body, computed from every
    ``always=True`` validator of the class, so fixing validators one by one or together writes
    the same block (an unconverted V1 ``always=True`` validator validates the default anyway).
    """
    if field_names is None:
        raise Refusal("`always=True` needs literal field names to find the fields to change")
    if "*" in field_names:
        raise Refusal(
            '`always=True` with "*": V2 needs `validate_default=True` on every field with a '
            "default, including inherited ones; set it per field by hand"
        )
    replacements: list[Replacement] = []
    inherited_here = False
    for name in field_names:
        decl = site.model.fields.get(name)
        if decl is not None:
            replacements.extend(_field_edits(src, name, decl.stmt, spell))
            continue
        owner, inherited = _inherited(site.model, name)
        external = external_field(site.model, name) if inherited is None and models else None
        if external is not None:
            _external_copy(src, site.model, name, spell, models)  # refuses what cannot be copied
            inherited_here = True
            continue
        if inherited is None or owner is None:
            raise Refusal(
                f"`always=True` on `{name}`, which is not declared in `{site.model.node.name}` "
                "nor in a base model in this file: V2 needs `validate_default=True` where the "
                "field is declared, and changing a base in another file would change its other "
                "subclasses"
            )
        _check_portable(name, inherited.stmt, owner)
        _field_edits(src, name, inherited.stmt, spell)  # refuses what cannot be re-declared
        inherited_here = True
    if inherited_here:
        block = _redeclaration_block(src, site.model, spell, models, adds)
        if block:
            at, indent = _class_body_start(src, site.model.node)
            text = "".join(f"{indent}{line}{src.newline}" for line in block)
            replacements.append(Replacement(at, at, text))
    return replacements


def _redeclaration_block(
    src: Source,
    model: ModelClass,
    spell: Spelling,
    models: WorkspaceModels = NO_MODELS,
    adds: set[ImportBinding] | None = None,
) -> list[str]:
    """Re-declarations of every inherited field an ``always=True`` validator of ``model`` names
    (fields of workspace bases in other files first)."""
    wanted: dict[str, tuple[int, str]] = {}
    for stmt in model.node.body:
        for name in _always_targets(stmt, spell.names):
            if name in model.fields or name in wanted:
                continue
            owner, inherited = _inherited(model, name)
            if (inherited is None or owner is None) and models:
                try:
                    text, bindings = _external_copy(src, model, name, spell, models)
                except Refusal:
                    continue
                found = external_field(model, name)
                if text and found is not None:
                    owner_fields = found[0].fields
                    wanted[name] = (owner_fields.index(found[1]) - len(owner_fields), text)
                    if adds is not None:
                        adds.update(bindings)
                continue
            if inherited is None or owner is None:
                continue
            try:
                _check_portable(name, inherited.stmt, owner)
                edits = _field_edits(src, name, inherited.stmt, spell)
            except Refusal:
                continue
            if edits:
                # The copy is V2 code: its ``Field`` arguments get their V2 names too, and
                # V1 aliases (``NoneStr``) are spelled out so it does not need their import.
                edits += statement_edits(src, inherited.stmt, spell.names, owner.settings)
                edits += _annotation_edits(src, inherited.stmt, spell)
                wanted[name] = (inherited.stmt.lineno, _apply_within(src, inherited.stmt, edits))
    return [text for _, text in sorted(wanted.values())]


def _external_copy(
    src: Source, model: ModelClass, name: str, spell: Spelling, models: WorkspaceModels
) -> tuple[str, set[ImportBinding]]:
    """The re-declaration of ``name`` from a workspace base in another file ("" when the
    field is required and needs none) and the imports it adds; raises Refusal."""
    found = external_field(model, name)
    if found is None:
        return "", set()
    owner, declared = found

    def render(copy: Source, stmt: ast.AnnAssign, copy_spell: Spelling) -> str:
        edits = _field_edits(copy, name, stmt, copy_spell)
        if not edits:
            return ""
        edits += statement_edits(copy, stmt, copy_spell.names, owner.settings)
        edits += _annotation_edits(copy, stmt, copy_spell)
        return _apply_within(copy, stmt, edits)

    bound = module_bound_names(src.tree.body)
    return redeclaration(declared, owner, spell, models, bound, render)


def _annotation_edits(src: Source, stmt: ast.AnnAssign, spell: Spelling) -> list[Replacement]:
    """Edits of the copied annotation: V1 aliases spelled out and, when the project targets
    Python >= 3.10, a plain ``Optional[X]`` / ``Union[X, Y]`` written ``X | None`` / ``X | Y``."""
    edits = _alias_edits(src, stmt.annotation, spell)
    if spell.pep585:
        edits += _builtin_generic_edits(src, stmt.annotation, spell.names)
    if not spell.pep604:
        return edits
    elements = _plain_union(stmt.annotation, spell.names)
    if elements is None:
        return edits
    parts: list[str] = []
    for element in elements:
        if not hasattr(element, "lineno"):
            parts.append("None")  # the ``None`` of ``Optional[X]``
            continue
        alias = spell.names.pydantic_name(element) if isinstance(element, ast.Name) else None
        if alias in ALIAS_TYPES:
            parts += alias_type(alias, spell.typing, pep604=True).split(" | ")
            continue
        inside = [e for e in edits if src.start(element) <= e.start and e.end <= src.end(element)]
        parts.append(_apply_span(src, src.start(element), src.end(element), inside))
    annotation = stmt.annotation
    text = " | ".join(dict.fromkeys(parts))  # ``Optional[Optional[X]]``: one ``None``
    return [Replacement(src.start(annotation), src.end(annotation), text)]


BUILTIN_GENERICS = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
}
"""``typing`` aliases whose builtin takes ``[...]`` from Python 3.9 on (PEP 585)."""


def _builtin_generic_edits(
    src: Source, annotation: ast.expr, names: PydanticNames
) -> list[Replacement]:
    """``List[str]`` → ``list[str]`` inside a copied annotation (the target is >= 3.9), unless
    the module binds the builtin's name to something else."""
    edits: list[Replacement] = []
    for node in ast.walk(annotation):
        if not isinstance(node, ast.Subscript):
            continue
        head = dotted_name(node.value)
        if head is None:
            continue
        module, _, name = head.rpartition(".")
        canonical = (
            (name if module in names.typing_modules else None)
            if module
            else names.typing_from.get(name)
        )
        builtin = BUILTIN_GENERICS.get(canonical or "")
        if builtin is not None and builtin not in names.other_bindings:
            edits.append(Replacement(src.start(node.value), src.end(node.value), builtin))
    return edits


def _plain_union(annotation: ast.expr, names: PydanticNames) -> list[ast.expr] | None:
    """The members of ``Optional[X]`` (``X``, ``None``) or ``Union[X, Y, ...]`` when each is a
    name, a dotted name, a subscript or ``None`` (``|`` would fail on a quoted name at run
    time); ``None`` for any other annotation."""
    if not isinstance(annotation, ast.Subscript):
        return None
    head = dotted_name(annotation.value)
    if head is None:
        return None
    module, _, name = head.rpartition(".")
    if module:
        canonical = name if module in names.typing_modules else None
    else:
        canonical = names.typing_from.get(name)
    inner = annotation.slice
    members = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    if canonical == "Optional" and len(members) == 1:
        members.append(ast.Constant(None))
    elif canonical != "Union" or len(members) < 2:
        return None
    flat: list[ast.expr] = []
    for member in members:
        nested = _plain_union(member, names)
        if nested is not None:
            flat.extend(nested)  # ``Optional[Union[str, bytes]]`` → ``str | bytes | None``
        elif (isinstance(member, ast.Constant) and member.value is None) or isinstance(
            member, ast.Name | ast.Attribute | ast.Subscript
        ):
            flat.append(member)
        else:
            return None
    return flat


def _apply_span(src: Source, start: int, end: int, edits: list[Replacement]) -> str:
    """The text from ``start`` to ``end`` with ``edits`` (all inside it) applied."""
    pieces: list[str] = []
    cursor = start
    for edit in sorted(edits):
        pieces += [src.text[cursor : edit.start], edit.new_text]
        cursor = edit.end
    pieces.append(src.text[cursor:end])
    return "".join(pieces)


def _alias_edits(src: Source, annotation: ast.expr, spell: Spelling) -> list[Replacement]:
    """``NoneStr`` → ``Optional[str]`` (``str | None`` when ``spell.pep604``) and the other V1
    aliases inside ``annotation``."""
    edits: list[Replacement] = []
    bound = bound_operands(annotation) if spell.pep604 else set()
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name):
            canonical = spell.names.pydantic_name(node)
            if canonical in ALIAS_TYPES:
                spelled = alias_type(canonical, spell.typing, spell.pep604)
                if id(node) in bound:
                    spelled = f"({spelled})"
                edits.append(Replacement(src.start(node), src.end(node), spelled))
    return edits


def _always_targets(stmt: ast.stmt, names: PydanticNames) -> list[str]:
    """Literal field names of a V1 ``@validator(..., always=True)`` on ``stmt``, if any."""
    calls: list[ast.expr] = []
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
        calls = list(stmt.decorator_list)
    elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
        calls = [stmt.value.func]
    found: list[str] = []
    for call in calls:
        if not isinstance(call, ast.Call) or names.decorator_kind(call) != "validator":
            continue
        always = any(
            k.arg == "always" and isinstance(k.value, ast.Constant) and k.value.value is True
            for k in call.keywords
        )
        if always:
            found.extend(
                a.value
                for a in call.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value != "*"
            )
    return found


def _apply_within(src: Source, stmt: ast.AnnAssign, edits: list[Replacement]) -> str:
    """The text of ``stmt`` with ``edits`` (all inside it) applied."""
    return _apply_span(src, src.start(stmt), src.end(stmt), edits)


def _inherited(model: ModelClass, name: str) -> tuple[ModelClass | None, FieldDecl | None]:
    """The same-file base model declaring ``name`` (nearest first) and its declaration."""
    for base in model.bases_in_file:
        if name in base.fields:
            return base, base.fields[name]
        owner, found = _inherited(base, name)
        if found is not None:
            return owner, found
    return None, None


def _check_portable(name: str, stmt: ast.AnnAssign, owner: ModelClass) -> None:
    """Refuse when the declaration names something only the base class body defines."""
    local: set[str] = set()
    for node in owner.node.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            local.add(node.name)
        elif isinstance(node, ast.Assign):
            local.update(t.id for t in node.targets if isinstance(t, ast.Name))
    used = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)} - {name}
    if used & local:
        raise Refusal(
            f"`{name}` is declared in `{owner.node.name}` with names from that class's body "
            f"({', '.join(sorted(used & local))}), so it cannot be re-declared in the subclass"
        )


def _class_body_start(src: Source, node: ast.ClassDef) -> tuple[int, str]:
    """Where a new first statement of the class body goes (after a docstring), and its indent."""
    first = node.body[0]
    line = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", []))])
    indent = src.indent_of(line)
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return src.line_end(first.end_lineno or first.lineno), indent
    return src.line_start(line), indent


BUILTIN_TYPES = frozenset(
    {"str", "int", "float", "bool", "bytes", "list", "dict", "set", "tuple", "frozenset"}
)


def _may_be_alias(annotation: ast.expr) -> bool:
    """True for a bare name (``GroupToken``, ``types.NoneStr``) that may alias an Optional."""
    if isinstance(annotation, ast.Name):
        return annotation.id not in BUILTIN_TYPES
    return isinstance(annotation, ast.Attribute)


def _field_edits(src: Source, name: str, stmt: ast.AnnAssign, spell: Spelling) -> list[Replacement]:
    """Edits inside one field declaration that add ``validate_default=True`` (with the
    ``union_mode`` PYD030 would add, so the two fixes of one field never collide)."""
    from fastapi_architect.pydantic_v2.union_modes import UNION_KEYWORD, needs_union_mode

    keyword = "validate_default=True"
    if needs_union_mode(src, stmt, spell.names):
        keyword += f", {UNION_KEYWORD}"
    value = stmt.value
    if _defaults_to_none(value, spell.names) and not _implicitly_optional(
        stmt.annotation, spell.names
    ):
        annotation = ast.unparse(stmt.annotation)
        if _may_be_alias(stmt.annotation):
            raise Refusal(
                f"`{name}: {annotation}` defaults to None and this file cannot see whether "
                f"`{annotation}` includes None; V2 validates that default, so spell the type "
                f"out here (`Optional[...]`) when `{annotation}` is an Optional alias, or "
                f"declare `Optional[{annotation}]` when it is not"
            )
        raise Refusal(
            f"`{name}: {annotation}` defaults to None, which V1 made "
            "implicitly Optional; V2 would reject that default once it is validated, so "
            f"declare it `Optional[{annotation}]` first"
        )
    if value is None:
        if _implicitly_optional(stmt.annotation, spell.names):
            at = src.end(stmt.annotation)
            field_call = spell.pydantic("Field")
            return [Replacement(at, at, f" = {field_call}(None, {keyword})")]
        return []  # required: V1 reported it missing and never ran the validator
    if isinstance(value, ast.Call) and _is_pydantic_field_call(value, spell.names):
        if any(k.arg == "validate_default" for k in value.keywords):
            return []
        if not value.args and [k.arg for k in value.keywords] == ["union_mode"]:
            return []  # PYD030's ``Field(union_mode=...)`` of a required field: still required
        if any(k.arg is None for k in value.keywords):
            raise Refusal(f"the `Field(...)` of `{name}` takes `**` arguments")
        arguments: list[ast.expr] = [*value.args, *(k.value for k in value.keywords)]
        if arguments:
            at = max(src.end(a) for a in arguments)
            return [Replacement(at, at, f", {keyword}")]
        at = src.end(value) - 1
        return [Replacement(at, at, keyword)]
    if isinstance(value, ast.Call) and ast.unparse(value.func).endswith("Field"):
        raise Refusal(f"the default of `{name}` is a `Field` that is not Pydantic's")
    field_call = spell.pydantic("Field")
    return [
        Replacement(
            src.start(value),
            src.end(value),
            f"{field_call}({src.segment(value)}, {keyword})",
        )
    ]
