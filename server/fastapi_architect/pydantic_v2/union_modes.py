"""Unions whose members overlap pick differently in V2 (PYD030): ``union_mode="left_to_right"``.

V1 tried a union's members left to right and kept the first that accepted the input, converting
it: ``Union[int, str]`` turned ``"1"`` into ``1``, ``Union[AnyHttpUrl, None, str]`` turned every
URL string into an ``AnyHttpUrl``. V2's smart mode first looks for a member of exactly the
input's type, so both now stay strings and a validator's ``isinstance`` check changes.

A union is reported when an earlier member converted inputs whose type is exactly a later
member's. ``Field(union_mode="left_to_right")`` restores V1's choice where V2's lax conversion of
the earlier member accepts the same inputs V1's did; otherwise (``Union[int, float]``: V1
truncated ``1.5`` to ``1``, V2's ``int`` refuses it; ``Union[str, int]``: V2's ``str`` no longer
converts numbers) the union is reported with the reason and left alone.
"""

from __future__ import annotations

import ast

from fastapi_architect.astutil import last_name
from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.class_keyword_config import sets_smart_union
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.field_keyword import (
    NoFieldSpelling,
    field_spelling,
    has_keyword,
    keyword_edits,
)
from fastapi_architect.pydantic_v2.findings import UNION_MODE_CODE
from fastapi_architect.pydantic_v2.moved_names import ALIAS_TYPES
from fastapi_architect.pydantic_v2.names import PydanticNames, top_level_imports
from fastapi_architect.pydantic_v2.optional_defaults import is_v2_module
from fastapi_architect.pydantic_v2.source import Replacement, Source

TITLE = 'Keep V1\'s union choice: `Field(union_mode="left_to_right")`'
UNION_KEYWORD = 'union_mode="left_to_right"'

STR_LIKE = frozenset(
    {
        "AnyUrl",
        "AnyHttpUrl",
        "HttpUrl",
        "FileUrl",
        "PostgresDsn",
        "RedisDsn",
        "AmqpDsn",
        "KafkaDsn",
        "MongoDsn",
        "CockroachDsn",
        "EmailStr",
        "NameEmail",
        "UUID",
        "UUID1",
        "UUID3",
        "UUID4",
        "UUID5",
        "Path",
        "FilePath",
        "DirectoryPath",
        "IPv4Address",
        "IPv6Address",
        "IPvAnyAddress",
        "IPv4Network",
        "IPv6Network",
        "IPvAnyNetwork",
        "IPv4Interface",
        "IPv6Interface",
        "IPvAnyInterface",
        "SecretStr",
        "Json",
    }
)
"""Types V1 built from a string (and only from a string)."""
KINDS = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "Decimal": "Decimal",
    "bytes": "bytes",
    "datetime": "datetime",
    "date": "datetime",
    "time": "datetime",
    "timedelta": "datetime",
    **dict.fromkeys(STR_LIKE, "str-like"),
}
V1_CONVERTS = {
    "str": frozenset({"int", "float", "Decimal", "bool", "bytes"}),
    "int": frozenset({"str", "float", "bool", "Decimal", "bytes"}),
    "float": frozenset({"int", "str", "bool", "Decimal", "bytes"}),
    "Decimal": frozenset({"int", "float", "str"}),
    "bool": frozenset({"int", "str", "bytes"}),
    "bytes": frozenset({"str", "int", "float", "Decimal"}),
    "datetime": frozenset({"str", "int", "float"}),
    "str-like": frozenset({"str"}),
}
"""Exact input types (as kinds) each kind of member converted in V1."""
UNFAITHFUL = {
    ("int", "float"): "V1 truncated a float such as `1.5` to the `int` `1`; V2's `int` refuses "
    "it, so no union mode restores that",
    ("int", "Decimal"): "V1 truncated a `Decimal` such as `1.5` to `1`; V2's `int` refuses it",
    ("int", "bytes"): "V1's `int` read bytes, V2's does not",
    ("str", "int"): "V2's `str` no longer converts numbers; `union_mode` alone does not restore "
    "V1 (add `coerce_numbers_to_str=True` too, after checking `bool` inputs)",
    ("str", "float"): "V2's `str` no longer converts numbers; `union_mode` alone does not "
    "restore V1 (add `coerce_numbers_to_str=True` too)",
    ("str", "Decimal"): "V2's `str` no longer converts numbers",
    ("str", "bool"): "V1 turned `True` into the string `'True'`; V2 never does",
    ("datetime", "str"): "V2 also reads date-only strings such as `2020-01-01` as a "
    "`datetime`, which V1 refused (and then kept the string)",
    ("bytes", "int"): "V2's `bytes` no longer converts numbers",
    ("bytes", "float"): "V2's `bytes` no longer converts numbers",
    ("bytes", "Decimal"): "V2's `bytes` no longer converts numbers",
}
"""Overlaps where V2's left-to-right mode still picks differently from V1, and why."""


def plan_union_modes(
    src: Source, classes: list[ModelClass], names: PydanticNames
) -> list[Conversion]:
    """A conversion for every field of a known model whose union V2 resolves differently."""
    if "Union" not in src.text and "|" not in src.text and "StrBytes" not in src.text:
        return []
    if is_v2_module(names, src.text):
        return []
    aliases = _alias_imports(src.tree)
    conversions: list[Conversion] = []
    for model in classes:
        if not model.known_model or model.node.decorator_list:
            continue
        if sets_smart_union(model):
            continue  # V1's smart union already chose as V2's default mode does
        for name, decl in model.fields.items():
            found = _overlapping(decl.stmt, names, aliases)
            if found is not None:
                typed, overlaps, optional = found
                conversions.append(
                    _plan(src, model, name, decl.stmt, typed, overlaps, optional, names)
                )
            for index, (node, typed, overlaps) in enumerate(_nested(decl.stmt, aliases), 1):
                conversions.append(
                    _plan_nested(src, model, name, index, node, typed, overlaps, names)
                )
    return conversions


def _plan_nested(
    src: Source,
    model: ModelClass,
    name: str,
    index: int,
    node: ast.expr,
    members: list[ast.expr],
    overlaps: list[tuple[int, int]],
    names: PydanticNames,
) -> Conversion:
    """A union inside another type (``List[Union[int, str]]``): it becomes
    ``Annotated[Union[int, str], Field(union_mode="left_to_right")]`` in place."""
    key = f"{model.qualname}.{name}:union[{index}]"
    start, end = src.start(node), src.end(node)
    earlier, later = (ast.unparse(members[i]) for i in overlaps[0])
    change = (
        f"`{src.segment(node)}` in `{name}`: V1 kept the first member that accepted an input, "
        f"so an input of type `{later}` became `{earlier}`; V2's smart mode keeps the member "
        "of the input's own type"
    )
    pairs = [(_kind(members[i]), _kind(members[j])) for i, j in overlaps]
    reasons = [UNFAITHFUL[pair] for pair in pairs if pair in UNFAITHFUL]
    if reasons:
        message = f"{change}. Not converted: {reasons[0]}; decide which member should win."
        return refused(UNION_MODE_CODE, key, message, start, end)
    try:
        field, field_import = field_spelling(names)
        annotated, annotated_import = _annotated_spelling(names)
    except NoFieldSpelling as reason:
        return refused(UNION_MODE_CODE, key, f"{change}. Not converted: {reason}.", start, end)
    edits = [
        Replacement(start, start, f"{annotated}["),
        Replacement(end, end, f", {field}({UNION_KEYWORD})]"),
    ]
    adds = {b for b in (field_import, annotated_import) if b is not None}
    return Conversion(
        UNION_MODE_CODE,
        key,
        TITLE,
        f'{change}: `Annotated[..., Field(union_mode="left_to_right")]` keeps V1\'s choice.',
        start,
        end,
        edits,
        add=adds,
    )


def _annotated_spelling(names: PydanticNames) -> tuple[str, ImportBinding | None]:
    for local, canonical in names.typing_from.items():
        if canonical == "Annotated":
            return local, None
    if names.typing_modules:
        return f"{names.typing_modules[0]}.Annotated", None
    if "Annotated" in names.other_bindings:
        raise NoFieldSpelling(f"`Annotated` in this module is {names.other_bindings['Annotated']}")
    return "Annotated", ImportBinding("typing", "Annotated")


def _nested(
    stmt: ast.AnnAssign, aliases: dict[str, str]
) -> list[tuple[ast.expr, list[ast.expr], list[tuple[int, int]]]]:
    """Unions inside another type of the annotation (not the field's own union), with their
    members and overlapping pairs, outermost first."""
    annotation = stmt.annotation
    if isinstance(annotation, ast.Subscript) and last_name(annotation.value) == "Annotated":
        inner = annotation.slice
        annotation = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
    found: list[tuple[ast.expr, list[ast.expr], list[tuple[int, int]]]] = []

    def visit(node: ast.expr, top: bool) -> None:
        if isinstance(node, ast.Subscript) and last_name(node.value) == "Annotated":
            inner = node.slice
            elements = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
            chosen = any(  # ``Annotated[Union[...], Field(union_mode=...)]``: already decided
                isinstance(m, ast.Call) and any(k.arg == "union_mode" for k in m.keywords)
                for m in elements[1:]
            )
            visit(elements[0], chosen)
            return
        members = _members(node)
        if members is not None:
            typed = [m for m in members if not _is_none(m)]
            overlaps = _overlaps([KINDS.get(last_name(m) or "") for m in typed])
            if overlaps and not top:
                found.append((node, typed, overlaps))
            for member in members:  # flattened: none is a union itself
                if hasattr(member, "lineno"):  # not the ``None`` that ``Optional`` implies
                    visit(member, False)
            return
        if isinstance(node, ast.Subscript) and last_name(node.value) != "Literal":
            inner = node.slice
            for element in inner.elts if isinstance(inner, ast.Tuple) else [inner]:
                visit(element, False)

    if not (isinstance(annotation, ast.Name) and annotation.id in aliases):
        visit(annotation, True)
    return found


def needs_union_mode(src: Source, stmt: ast.AnnAssign, names: PydanticNames) -> bool:
    """True when PYD030 converts this field (its union overlaps, and the fix is faithful)."""
    if is_v2_module(names, src.text):
        return False
    found = _overlapping(stmt, names, _alias_imports(src.tree))
    if found is None:
        return False
    typed, overlaps, _ = found
    pairs = [(_kind(typed[i]), _kind(typed[j])) for i, j in overlaps]
    return not any(pair in UNFAITHFUL for pair in pairs)


def _overlapping(
    stmt: ast.AnnAssign, names: PydanticNames, aliases: dict[str, str]
) -> tuple[list[ast.expr], list[tuple[int, int]], bool] | None:
    """The union's members (``None`` left out), its overlapping pairs, and whether ``None`` is
    a member; None when no members overlap."""
    members = _top_union(stmt.annotation, aliases)
    if members is None or has_keyword(stmt, "union_mode", names):
        return None
    typed = [m for m in members if not _is_none(m)]
    overlaps = _overlaps([KINDS.get(last_name(m) or "") for m in typed])
    return (typed, overlaps, len(typed) < len(members)) if overlaps else None


def _plan(
    src: Source,
    model: ModelClass,
    name: str,
    stmt: ast.AnnAssign,
    members: list[ast.expr],
    overlaps: list[tuple[int, int]],
    optional: bool,
    names: PydanticNames,
) -> Conversion:
    key = f"{model.qualname}.{name}:union"
    start, end = src.start(stmt), src.end(stmt.annotation)
    earlier, later = (ast.unparse(members[i]) for i in overlaps[0])
    union = src.segment(stmt.annotation)
    change = (
        f"`{name}: {union}`: V1 kept the first member that accepted an input, so an input of "
        f"type `{later}` became `{earlier}`; V2's smart mode keeps the member of the input's "
        "own type"
    )
    pairs = [(_kind(members[i]), _kind(members[j])) for i, j in overlaps]
    reasons = [UNFAITHFUL[pair] for pair in pairs if pair in UNFAITHFUL]
    if reasons:
        return refused(
            UNION_MODE_CODE,
            key,
            f"{change}. Not converted: {reasons[0]}; decide which member should win and "
            "reorder the union or convert in a validator.",
            start,
            end,
        )
    implicit_none = stmt.value is None and optional
    try:
        edits, binding = keyword_edits(src, stmt, UNION_KEYWORD, names, implicit_none)
    except NoFieldSpelling as reason:
        return refused(UNION_MODE_CODE, key, f"{change}. Not converted: {reason}.", start, end)
    return Conversion(
        UNION_MODE_CODE,
        key,
        TITLE,
        f'{change}: `Field(union_mode="left_to_right")` keeps V1\'s choice.',
        start,
        end,
        edits,
        add={binding} if binding is not None else set(),
    )


def _kind(member: ast.expr) -> str:
    return KINDS.get(last_name(member) or "", "")


def _overlaps(kinds: list[str | None]) -> list[tuple[int, int]]:
    """Index pairs (earlier, later) of members where V1 converted the later one's exact type."""
    found: list[tuple[int, int]] = []
    for index, earlier in enumerate(kinds):
        if earlier is None:
            continue
        for offset, later in enumerate(kinds[index + 1 :], start=index + 1):
            if later is not None and later != earlier and later in V1_CONVERTS[earlier]:
                found.append((index, offset))
    return found


def _alias_imports(tree: ast.Module) -> dict[str, str]:
    """Local names of V1's union aliases (``from pydantic.types import StrBytes``)."""
    found: dict[str, str] = {}
    for stmt in top_level_imports(tree.body):
        if isinstance(stmt, ast.ImportFrom) and (stmt.module or "").startswith("pydantic"):
            for alias in stmt.names:
                if alias.name in ALIAS_TYPES:
                    found[alias.asname or alias.name] = alias.name
    return found


def _top_union(annotation: ast.expr, aliases: dict[str, str]) -> list[ast.expr] | None:
    """The flattened members of a field's own union (``Optional``/``Union``/``|``, V1's
    ``StrBytes`` aliases, inside ``Annotated[...]`` too); None when it is not a union."""
    if isinstance(annotation, ast.Subscript) and last_name(annotation.value) == "Annotated":
        inner = annotation.slice
        first = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
        return _top_union(first, aliases)
    if isinstance(annotation, ast.Name) and annotation.id in aliases:
        annotation = ast.parse(ALIAS_TYPES[aliases[annotation.id]], mode="eval").body
    members = _members(annotation)
    return members if members is not None and len(members) > 1 else None


def _members(annotation: ast.expr) -> list[ast.expr] | None:
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return [
            *(_members(annotation.left) or [annotation.left]),
            *(_members(annotation.right) or [annotation.right]),
        ]
    if isinstance(annotation, ast.Subscript):
        head = last_name(annotation.value)
        inner = annotation.slice
        elements = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        if head == "Optional" and len(elements) == 1:
            return [*(_members(elements[0]) or [elements[0]]), ast.Constant(None)]
        if head == "Union":
            flat: list[ast.expr] = []
            for element in elements:
                flat += _members(element) or [element]
            return flat
    return None


def _is_none(expr: ast.expr) -> bool:
    if isinstance(expr, ast.Constant):
        return expr.value is None
    return last_name(expr) == "NoneType"
