"""``constr`` / ``conint`` / ``confloat`` / ``conlist`` → ``Annotated[...]`` (PYD015).

``name: constr(max_length=8)`` → ``name: Annotated[str, StringConstraints(max_length=8)]``,
``age: conint(ge=0)`` → ``Annotated[int, Field(ge=0)]``, ``tags: conlist(str, min_items=1)`` →
``Annotated[list[str], Field(min_length=1)]``, with V2 argument names (``regex`` → ``pattern``,
anchored as V1 matched; ``min_items`` → ``min_length``). Converted in the field annotations of
known models and in module-level aliases (``Short = constr(max_length=8)``, also under a
module-level ``if`` / ``try`` / ``with``); one conversion per
statement, so nested calls (``conlist(constr(...))``, ``Optional[conint(...)]``) go together.
"""

from __future__ import annotations

import ast

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.compiled_patterns import NOTE, RE_IMPORT
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.field_args import _anchored, _Refuse
from fastapi_architect.pydantic_v2.findings import CONSTRAINED_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.source import Replacement, Source

TITLE = "Use `Annotated[...]` with V2 constraints"

BASE_TYPES = {"constr": "str", "conint": "int", "confloat": "float"}
KEYWORDS: dict[str, dict[str, str]] = {
    "constr": {
        "strip_whitespace": "strip_whitespace",
        "to_upper": "to_upper",
        "to_lower": "to_lower",
        "strict": "strict",
        "min_length": "min_length",
        "max_length": "max_length",
        "regex": "pattern",
    },
    "conint": {k: k for k in ("strict", "gt", "ge", "lt", "le", "multiple_of")},
    "confloat": {k: k for k in ("strict", "gt", "ge", "lt", "le", "multiple_of", "allow_inf_nan")},
    "conlist": {
        "min_items": "min_length",
        "max_items": "max_length",
        "min_length": "min_length",
        "max_length": "max_length",
    },
}
REASONS = {
    "curtail_length": "V2 has no `curtail_length`: truncate in a `field_validator`",
    "unique_items": "V2's `conlist` has no `unique_items`: use a set type or a validator",
}


def plan_constrained_types(
    src: Source, classes: list[ModelClass], names: PydanticNames
) -> list[Conversion]:
    """A conversion for every model field or module-level alias that calls a V1 ``con*``."""
    if not any(name in src.text for name in KEYWORDS):
        return []
    conversions: list[Conversion] = []
    for model in classes:
        if not model.known_model:
            continue
        for name, decl in model.fields.items():
            found = _plan(src, names, decl.stmt.annotation, f"{model.qualname}.{name}:con")
            if found is not None:
                conversions.append(found)
    seen: dict[str, int] = {}
    for stmt in _module_statements(src.tree.body):
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            alias = stmt.targets[0].id
            seen[alias] = seen.get(alias, 0) + 1
            key = f"{alias}:con" + (f"#{seen[alias]}" if seen[alias] > 1 else "")
            found = _plan(src, names, stmt.value, key)
            if found is not None:
                conversions.append(found)
    return conversions


def _module_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """The module's own statements, also inside ``if`` / ``else`` / ``try`` / ``with`` blocks
    (``if TYPE_CHECKING: ... else: Coords = conlist(...)``), not inside functions or classes."""
    found: list[ast.stmt] = []
    for stmt in body:
        found.append(stmt)
        if isinstance(stmt, ast.If):
            found.extend(_module_statements([*stmt.body, *stmt.orelse]))
        elif isinstance(stmt, ast.Try):
            blocks = [*stmt.body, *stmt.orelse, *stmt.finalbody]
            blocks.extend(s for handler in stmt.handlers for s in handler.body)
            found.extend(_module_statements(blocks))
        elif isinstance(stmt, ast.With):
            found.extend(_module_statements(stmt.body))
    return found


def _kind(func: ast.expr, names: PydanticNames) -> str | None:
    """``constr`` / ``conint`` / ... when ``func`` names that Pydantic function."""
    original = names.pydantic_name(func)
    return original if original in KEYWORDS else None


def _outermost(expr: ast.expr, names: PydanticNames) -> list[tuple[ast.Call, str]]:
    """The ``con*`` calls in ``expr`` that no other ``con*`` call contains."""
    if isinstance(expr, ast.Call):
        kind = _kind(expr.func, names)
        if kind is not None:
            return [(expr, kind)]
    found: list[tuple[ast.Call, str]] = []
    for child in ast.iter_child_nodes(expr):
        if isinstance(child, ast.expr):
            found.extend(_outermost(child, names))
    return found


def _plan(src: Source, names: PydanticNames, expr: ast.expr, key: str) -> Conversion | None:
    calls = _outermost(expr, names)
    if not calls:
        return None
    start, end = src.start(expr), src.end(expr)
    used = sorted({kind for _, kind in calls})
    what = ", ".join(f"`{kind}(...)`" for kind in used)
    add: set[ImportBinding] = {ImportBinding("typing", "Annotated")}
    consumed: dict[str, int] = {}
    try:
        replacements = [
            Replacement(src.start(call), src.end(call), _render(src, names, call, kind, add))
            for call, kind in calls
        ]
        _count_uses(expr, names, consumed)
    except _Refuse as reason:
        message = f"{what} is deprecated in V2; not converted: {reason}."
        return refused(CONSTRAINED_CODE, key, message, start, end)
    message = f"{what} is deprecated in V2: use `Annotated[...]` with V2 constraint names."
    if RE_IMPORT in add:
        message += NOTE
    return Conversion(
        CONSTRAINED_CODE, key, TITLE, message, start, end, replacements, add, consumed=consumed
    )


def _count_uses(expr: ast.expr, names: PydanticNames, consumed: dict[str, int]) -> None:
    """Count the names the converted calls read: ``constr``, or ``types`` of ``types.conint``
    (the V2 text spells its own names, so neither is read any more)."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Call) and _kind(node.func, names) is not None:
            local = (dotted_name(node.func) or "").split(".")[0]
            if local:
                consumed[local] = consumed.get(local, 0) + 1


def _render(
    src: Source, names: PydanticNames, call: ast.Call, kind: str, add: set[ImportBinding]
) -> str:
    """The V2 spelling of one ``con*`` call (nested calls in a ``conlist`` item too)."""
    base, arguments = constraint_parts(src, names, call, kind, add)
    if kind == "constr":
        constraint = f"{_pydantic(names, 'StringConstraints', add)}({', '.join(arguments)})"
    else:
        if not arguments:
            return base
        constraint = f"{_pydantic(names, 'Field', add)}({', '.join(arguments)})"
    return f"Annotated[{base}, {constraint}]"


def constraint_parts(
    src: Source, names: PydanticNames, call: ast.Call, kind: str, add: set[ImportBinding]
) -> tuple[str, list[str]]:
    """The V2 base type of one ``con*`` call and its constraints as V2 keyword arguments
    (``("list[Item]", ["max_length=50"])``); raises ``_Refuse`` when V2 has no equivalent."""
    allowed = KEYWORDS[kind]
    if kind == "conlist":
        item, keywords = _conlist_item(call)
        base = f"list[{_render_expr(src, names, item, add)}]"
    else:
        if call.args:
            raise _Refuse(f"`{kind}` takes keyword arguments only")
        base, keywords = BASE_TYPES[kind], list(call.keywords)
    case = sorted(
        k.arg for k in keywords if k.arg in ("to_upper", "to_lower") and not _is_none(k.value)
    )
    if case and any(k.arg == "regex" and not _is_none(k.value) for k in keywords):
        raise _Refuse(
            f"V1 applied `regex` after `{case[0]}`, V2 matches `pattern` before it: "
            "adjust the pattern to accept both cases, then convert"
        )
    arguments: list[str] = []
    given: set[str] = set()
    for keyword in keywords:
        if keyword.arg is None:
            raise _Refuse("`**` arguments may hold V1 argument names")
        if keyword.arg not in allowed:
            raise _Refuse(REASONS.get(keyword.arg, f"`{kind}` has no `{keyword.arg}=` in V2"))
        new = allowed[keyword.arg]
        if new in given:
            raise _Refuse(f"two arguments of `{kind}` become `{new}=`")
        given.add(new)
        if _is_none(keyword.value):
            continue  # V1's default: no constraint
        value = (
            _anchored(src, keyword.value, add)
            if keyword.arg == "regex"
            else src.segment(keyword.value)
        )
        arguments.append(f"{new}={value}")
    return base, arguments


def _pydantic(names: PydanticNames, wanted: str, add: set[ImportBinding]) -> str:
    """``wanted`` from pydantic, imported unless the module binds that name to something else
    (``from sqlmodel import Field``): then the conversion is refused."""
    other = names.other_bindings.get(wanted)
    if other is not None and not names.means(wanted, wanted):
        raise _Refuse(f"it needs Pydantic's `{wanted}`, but `{wanted}` in this module is {other}")
    add.add(ImportBinding("pydantic", wanted))
    return wanted


def _conlist_item(call: ast.Call) -> tuple[ast.expr, list[ast.keyword]]:
    keywords = [k for k in call.keywords if k.arg != "item_type"]
    given = [k.value for k in call.keywords if k.arg == "item_type"]
    items = [*call.args, *given]
    if len(items) != 1 or isinstance(items[0], ast.Starred):
        raise _Refuse("`conlist` needs exactly one item type")
    return items[0], keywords


def _render_expr(src: Source, names: PydanticNames, expr: ast.expr, add: set[ImportBinding]) -> str:
    """``expr``'s source with the ``con*`` calls inside it converted."""
    start = src.start(expr)
    pieces: list[str] = []
    cursor = start
    for call, kind in _outermost(expr, names):
        pieces.append(src.text[cursor : src.start(call)])
        pieces.append(_render(src, names, call, kind, add))
        cursor = src.end(call)
    pieces.append(src.text[cursor : src.end(expr)])
    return "".join(pieces)


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None
