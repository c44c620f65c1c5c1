"""Unions of sibling models took an instance of their base in V1 (PYD032).

V1 validated a model field given anything but a dict or an instance of the field's class as
``cls(**dict(value))`` (``cls.from_orm(value)`` with ``orm_mode``): a ``Member`` passed where
``Union[Owner, Admin]`` (two subclasses of ``Member``) is expected became an ``Owner`` or an
``Admin``. V2 rejects it ("Input should be a valid dictionary or instance of Owner").

A field whose type is a union of two or more models of this file with a common model base of
this file, none of them reading attributes (``orm_mode`` / ``from_attributes``: V2 reads the
instance's attributes there, as V1's ``from_orm`` did), gets on that base a
``@model_validator(mode="before")`` that does what V1 did: anything but a dict or an instance
of the class becomes ``dict(value)``, and is left as it is when ``dict()`` refuses it. V2 runs
it after its own instance check, so dicts, instances of the class and of its subclasses are
validated exactly as before; it is defined last, so it runs before the class's other
``mode="before"`` validators, which then see a dict as V1's ``pre`` root validators did.
"""

from __future__ import annotations

import ast

from fastapi_architect.astutil import last_name
from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass, reads_attributes
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import MODEL_INPUT_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.optional_defaults import is_v2_module
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.pydantic_v2.spelling import (
    Unspellable,
    pydantic_spelling,
    typing_spelling,
)

METHOD = "_v1_dict_input"
CONTAINERS = frozenset(
    {"Optional", "List", "list", "Sequence", "Set", "set", "FrozenSet", "frozenset", "Annotated"}
)
"""Wrappers a union of models may sit in (``Annotated``: its first argument)."""
TITLE = "Accept other models' instances as V1 did: `dict(value)`"


class _Unspellable(Exception):
    """A name the validator needs is bound to something else in the module."""


def plan_model_inputs(
    src: Source, classes: list[ModelClass], names: PydanticNames
) -> list[Conversion]:
    """A conversion for every base model of this file whose subclasses form a field's union."""
    if names.uses_v1_namespace or is_v2_module(names, src.text):
        return []
    local = {m.node.name: m for m in classes if m.known_model and not m.inside_function}
    uses: dict[int, tuple[ModelClass, list[str]]] = {}
    for model in classes:
        if not model.known_model or model.node.decorator_list:
            continue
        for name, decl in model.fields.items():
            refs = _union_members(decl.stmt.annotation)
            members = [local.get(r.id) if isinstance(r, ast.Name) else None for r in refs]
            known = [m for m in members if m is not None]
            if not known or len(known) < len(members):
                continue
            base = _common_base(known)
            if base is None or _defines(base, METHOD):
                continue
            if any(reads_attributes(m) is not False for m in known):
                continue
            uses.setdefault(id(base.node), (base, []))[1].append(
                f"`{model.qualname}.{name}: {src.segment(decl.stmt.annotation)}`"
            )
    return [_plan(src, base, fields, names, classes) for base, fields in uses.values()]


def _union_members(annotation: ast.expr) -> list[ast.expr]:
    """The members of the union a field holds (``Union[A, B]``, ``A | B``, also inside
    ``Optional`` / ``List`` / ``Annotated``), ``None`` left out; empty for any other type."""
    node = annotation
    while isinstance(node, ast.Subscript):
        head = (dotted_name(node.value) or "").rsplit(".", 1)[-1]
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Union":
            return [a for a in args if not _is_none(a)]
        if head not in CONTAINERS:
            return []
        node = args[0]
    members: list[ast.expr] = []
    pending = [node]
    while pending:
        current = pending.pop(0)
        if isinstance(current, ast.BinOp) and isinstance(current.op, ast.BitOr):
            pending[:0] = [current.left, current.right]
        elif not _is_none(current):
            members.append(current)
    return members if len(members) > 1 else []


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _ancestors(model: ModelClass) -> list[ModelClass]:
    """``model``'s same-file model bases, nearest first (``model`` itself not included)."""
    found: list[ModelClass] = []
    queue = list(model.bases_in_file)
    while queue:
        base = queue.pop(0)
        if base not in found:
            found.append(base)
            queue.extend(base.bases_in_file)
    return found


def _common_base(members: list[ModelClass]) -> ModelClass | None:
    """The nearest same-file model every member derives from (a member itself excluded)."""
    first, *others = members
    for candidate in _ancestors(first):
        if candidate.known_model and all(candidate in _ancestors(m) for m in others):
            return candidate
    return None


def _plan(
    src: Source,
    base: ModelClass,
    fields: list[str],
    names: PydanticNames,
    classes: list[ModelClass],
) -> Conversion:
    node = base.node
    key = f"{base.qualname}:{METHOD}"
    start = src.start(node)
    end = start + len(f"class {node.name}")
    where = ", ".join(fields)
    message = (
        f"{where} expects subclasses of `{base.qualname}`: V1 validated an instance of "
        f"`{base.qualname}` (or of any other model) given there as `dict(value)`, V2 rejects "
        f'it. A `mode="before"` model validator on `{base.qualname}` turning such inputs into '
        "`dict(value)` keeps V1's result; dicts and instances of the class validate as before."
    )
    # A subclass's own ``mode="before"`` validators run before the inherited one; V1 gave
    # its ``pre`` root validators the dict, so it converts first with a validator of its own.
    owners = [base] + [
        c for c in classes if base in _ancestors(c) and _validates_before(c.node) and c.known_model
    ]
    if any(o.node.body[0].lineno == o.node.lineno for o in owners):
        reason = "a class body is on its header line"
        return refused(MODEL_INPUT_CODE, key, f"{message} Not converted: {reason}.", start, end)
    try:
        spelled = _spellings(names, node)
    except _Unspellable as reason:
        return refused(MODEL_INPUT_CODE, key, f"{message} Not converted: {reason}.", start, end)
    edits = [
        _validator(
            src, owner.node, METHOD if owner is base else f"{METHOD}_{owner.node.name}", spelled
        )
        for owner in owners
    ]
    return Conversion(MODEL_INPUT_CODE, key, TITLE, message, start, end, edits, add=spelled[2])


def _validates_before(node: ast.ClassDef) -> bool:
    """True when the class body declares a V1 ``pre`` root validator or a V2 ``before`` /
    ``wrap`` model validator."""
    for stmt in node.body:
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in stmt.decorator_list:
            if not isinstance(decorator, ast.Call):
                continue
            kind = last_name(decorator.func)
            for keyword in decorator.keywords:
                value = keyword.value
                if (
                    kind == "root_validator"
                    and keyword.arg == "pre"
                    and isinstance(value, ast.Constant)
                    and value.value is True
                ):
                    return True
                if (
                    kind == "model_validator"
                    and keyword.arg == "mode"
                    and isinstance(value, ast.Constant)
                    and value.value in ("before", "wrap")
                ):
                    return True
    return False


def _validator(
    src: Source, node: ast.ClassDef, method: str, spelled: tuple[str, str, set[ImportBinding]]
) -> Replacement:
    """The validator appended to the body of ``node``."""
    decorator, any_type, _ = spelled
    indent = src.indent_of(node.body[0].lineno)
    body = [
        "",
        f'@{decorator}(mode="before")',
        "@classmethod",
        f"def {method}(cls, data: {any_type}) -> {any_type}:",
        '    """V1 validated any input but a dict or an instance as ``dict(input)``."""',
        "    if isinstance(data, (dict, cls)):",
        "        return data",
        "    try:",
        "        return dict(data)",
        "    except (TypeError, ValueError):",
        "        return data",
    ]
    last = node.body[-1]
    at = src.line_end(last.end_lineno or last.lineno)
    lead = "" if src.text[:at].endswith(("\n", "\r")) else src.newline
    text = lead + "".join((indent + line if line else "") + src.newline for line in body)
    return Replacement(at, at, text)


def _defines(model: ModelClass, name: str) -> bool:
    """True when ``model`` or a same-file base defines ``name`` (already converted)."""
    for stmt in model.node.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name == name:
            return True
    return any(_defines(base, name) for base in model.bases_in_file)


def _spellings(names: PydanticNames, at: ast.stmt) -> tuple[str, str, set[ImportBinding]]:
    """How the module writes ``model_validator`` (in the class ``at``) and ``Any``, and the
    imports that needs."""
    adds: set[ImportBinding] = set()
    try:
        decorator, binding = pydantic_spelling(names, "model_validator", at)
    except Unspellable as reason:
        raise _Unspellable(str(reason)) from None
    if binding is not None:
        adds.add(binding)
    try:
        any_type, binding = typing_spelling(names, "Any", at)
    except Unspellable as reason:
        raise _Unspellable(str(reason)) from None
    if binding is not None:
        adds.add(binding)
    return decorator, any_type, adds
