"""``__root__`` models → ``RootModel`` (PYD017), and the uses of their root.

``class Tags(BaseModel): __root__: List[str]`` → ``class Tags(RootModel): root: List[str]``.
Where the receiver is known to be such a model (``receivers``): ``t.__root__`` → ``t.root``,
``t.dict()["__root__"]`` → ``t.model_dump()``, ``Tags(__root__=x)`` → ``Tags(x)``.
``.parse_obj()`` / ``.json()`` convert as on any model (PYD014): V2 gives the same results.
A plain ``t.dict()`` becomes ``{"__root__": t.model_dump()}``: V1 returned that shape, V2's
``model_dump()`` returns the value.
Root models with validators, ``extra`` in their config or a base other than ``BaseModel`` are
reported with the reason.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from fastapi_architect.astutil import last_name
from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import ROOT_MODEL_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.optional_defaults import defaults_to_none
from fastapi_architect.pydantic_v2.receivers import Occurrence, Scope, ScopeCollector
from fastapi_architect.pydantic_v2.source import Replacement, Source

ROOT = "__root__"
TITLE = "Derive from `RootModel` (V2 root models)"


def root_field(node: ast.ClassDef) -> ast.AnnAssign | None:
    """The ``__root__: T`` declaration of a class body, if it has one."""
    for stmt in node.body:
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.target.id == ROOT
        ):
            return stmt
    return None


def is_root_model(model: ModelClass) -> bool:
    """True when ``model`` or a same-file base declares ``__root__`` or derives from
    ``RootModel`` (converted already)."""
    return (
        root_field(model.node) is not None
        or any(_names_root_model(base) for base in model.node.bases)
        or any(is_root_model(base) for base in model.bases_in_file)
    )


def _names_root_model(base: ast.expr) -> bool:
    head = base.value if isinstance(base, ast.Subscript) else base
    return (isinstance(head, ast.Name) and head.id == "RootModel") or (
        isinstance(head, ast.Attribute) and head.attr == "RootModel"
    )


@dataclass
class _Call:
    """A call with its scope: ``Tags(__root__=x)`` candidates."""

    node: ast.Call
    scope: Scope


class _Collector(ScopeCollector):
    """The scopes of a module, its ``__root__`` / ``dict`` reads and its ``X(__root__=...)``
    / ``X(**...)`` calls."""

    def __init__(self, models: dict[int, ModelClass]) -> None:
        super().__init__(models, frozenset({ROOT, "root", "dict", "model_dump"}))
        self.calls: list[_Call] = []

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name):
            self.calls.append(_Call(node, self.scope))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == ROOT and not isinstance(node.ctx, ast.Load):  # ``t.__root__ = v``
            self.occurrences.append(Occurrence(node, self.scope, None, None))
        super().visit_Attribute(node)


def plan_root_models(
    src: Source,
    classes: list[ModelClass],
    names: PydanticNames,
    refused_validators: Callable[[ModelClass], list[str]],
) -> list[Conversion]:
    """A conversion for every ``__root__`` model of the file and every use of its root
    (``refused_validators``: the keys of a model's V1 validators that do not convert)."""
    if ROOT not in src.text:
        return []
    roots = [m for m in classes if m.known_model and root_field(m.node) is not None]
    conversions = [_plan_class(src, model, names, refused_validators) for model in roots]
    if not any(m.known_model and is_root_model(m) for m in classes):
        return conversions  # a ``RootModel`` converted already still has uses to follow
    models = {id(m.node): m for m in classes if m.known_model and not m.node.decorator_list}
    collector = _Collector(models)
    collector.visit(src.tree)
    seen: dict[str, int] = {}
    parents: dict[int, ast.AST] | None = None

    def key_of(base: str) -> str:
        seen[base] = seen.get(base, 0) + 1
        return base if seen[base] == 1 else f"{base}#{seen[base]}"

    for occurrence in collector.occurrences:
        node = occurrence.node
        kind = occurrence.scope.expr_kind(node.value)
        known = kind is not None and kind[0] == "instance" and is_root_model(kind[1])
        receiver = src.segment(node.value) if isinstance(node.value, ast.Name) else "<expr>"
        scope = occurrence.scope.qualname
        # Numbered over V1 and V2 spellings alike (``.root`` / ``.model_dump()`` on a known
        # root model): converting one occurrence leaves the keys of the others as they were.
        if node.attr == "root" and known:
            key_of(f"{scope}:{receiver}.__root__")
        elif node.attr == "model_dump" and known:
            key_of(f"{scope}:{receiver}.dict")
        elif node.attr == ROOT:
            key = key_of(f"{scope}:{receiver}.__root__")
            conversions.append(_plan_root_read(src, node, known, key))
        elif node.attr == "dict" and known and isinstance(occurrence.parent, ast.Call):
            if parents is None:
                parents = {
                    id(child): outer
                    for outer in ast.walk(src.tree)
                    for child in ast.iter_child_nodes(outer)
                }
            key = key_of(f"{scope}:{receiver}.dict")
            conversions.append(
                _plan_dict(src, occurrence.parent, parents.get(id(occurrence.parent)), key)
            )
    for site in collector.calls:
        call = site.node
        assert isinstance(call.func, ast.Name)
        kind = site.scope.lookup(call.func.id)
        if kind is None or kind[0] != "class" or not is_root_model(kind[1]):
            continue
        key = key_of(f"{site.scope.qualname}:{kind[1].qualname}()")  # every call: stable keys
        conversion = _plan_construction(src, call, kind[1], key)
        if conversion is not None:
            conversions.append(conversion)
    return conversions


def _plan_class(
    src: Source,
    model: ModelClass,
    names: PydanticNames,
    refused_validators: Callable[[ModelClass], list[str]],
) -> Conversion:
    node = model.node
    field = root_field(node)
    assert field is not None
    key = f"{model.qualname}:__root__"
    start, end = src.start(field), src.end(field.target)
    message = (
        f"`{model.qualname}` is a custom root model: Pydantic V2 rejects `__root__` fields; "
        "derive from `RootModel` and name the field `root`."
    )
    reason = _refusal(model, names)
    based = _root_model_base(model, names)
    if reason is None and based is None:
        reason = "it does not derive from `BaseModel` alone"
    if reason is None:
        stuck = refused_validators(model)
        if stuck:
            reason = f"its validator `{stuck[0]}` is not converted, and V2 would not run it"
    if reason is not None or based is None:
        return refused(
            ROOT_MODEL_CODE, key, f"{message[:-1]}; not converted: {reason}.", start, end
        )
    base, root_model, add = based
    local = base.id if isinstance(base, ast.Name) else None
    default: list[Replacement] = []
    if field.value is None and defaults_to_none(field.annotation, names):
        at = src.end(field)  # V1's implicit default, as PYD012 writes it: same edit
        default.append(Replacement(at, at, " = None"))
    if any(names.decorator_kind(d) for s in node.body for d in getattr(s, "decorator_list", [])):
        message += ' Its `@validator("__root__")` becomes `@field_validator("root")`.'
    return Conversion(
        ROOT_MODEL_CODE,
        key,
        TITLE,
        message,
        start,
        end,
        [
            Replacement(src.start(base), src.end(base), root_model),
            Replacement(src.start(field.target), src.end(field.target), "root"),
            *default,
        ],
        add,
        consumed={local: 1} if local else {},
    )


def _root_model_spelling(
    base: ast.expr, names: PydanticNames
) -> tuple[str, set[ImportBinding]] | None:
    """``RootModel`` spelled like ``base`` (``pydantic.RootModel``), with its import."""
    if not names.refers_to(base, "BaseModel"):
        return None
    if isinstance(base, ast.Name):
        if "RootModel" in names.other_bindings:
            return None
        return "RootModel", {ImportBinding("pydantic", "RootModel")}
    if isinstance(base, ast.Attribute) and names.modules_of(base.value) == {"pydantic"}:
        return f"{dotted_name(base.value)}.RootModel", set()
    return None


ROOT_VALIDATOR_KEYWORDS = frozenset({"pre", "allow_reuse", "check_fields"})
"""``@validator("__root__", ...)`` keywords whose V2 form validates ``root`` the same way."""


def renames_root(model: ModelClass, names: PydanticNames) -> bool:
    """True when ``model`` is or becomes a ``RootModel``: its validators then name ``root``."""
    if any(_names_root_model(base) for base in model.node.bases):
        return True
    return (
        root_field(model.node) is not None
        and _refusal(model, names) is None
        and _root_model_base(model, names) is not None
    )


def _root_model_base(
    model: ModelClass, names: PydanticNames
) -> tuple[ast.expr, str, set[ImportBinding]] | None:
    base = next((b for b in model.node.bases if names.is_model_base(b)), None)
    if base is None or len(model.node.bases) != 1:
        return None
    spelled = _root_model_spelling(base, names)
    return None if spelled is None else (base, *spelled)


def _refusal(model: ModelClass, names: PydanticNames) -> str | None:
    """Why the class cannot become a ``RootModel`` by renaming alone, or None."""
    node = model.node
    if node.decorator_list:
        return "it is decorated"
    if node.keywords:
        return "its class statement takes keyword arguments"
    for stmt in node.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in stmt.decorator_list:
                reason = _validator_problem(decorator, names)
                if reason is not None:
                    return f"`{stmt.name}` {reason}"
        elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            if isinstance(stmt.value.func, ast.Call) and _is_validator(stmt.value.func, names):
                return "it reuses a validator on the root; rename the field by hand"
        elif isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for item in stmt.body:
                targets = item.targets if isinstance(item, ast.Assign) else []
                if any(isinstance(t, ast.Name) and t.id == "extra" for t in targets):
                    return "its config sets `extra`, which V2 root models do not support"
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            if name != ROOT and not name.startswith("_") and "ClassVar" not in ast.dump(stmt):
                return f"it also declares `{name}`"
    return None


def _validator_problem(decorator: ast.expr, names: PydanticNames) -> str | None:
    """Why a validator of a root model keeps it from converting, or None."""
    kind = names.decorator_kind(decorator)
    if kind is None:
        if not _is_validator(decorator, names):
            return None
        converted = (  # ``@field_validator("root")``, converted from ``"__root__"`` already
            isinstance(decorator, ast.Call)
            and decorator.args
            and all(isinstance(a, ast.Constant) and a.value == "root" for a in decorator.args)
            and last_name(decorator.func) == "field_validator"
        )
        return None if converted else "is a V2 validator on a V1 root model; convert by hand"
    if kind == "root_validator":
        return (
            "is a `@root_validator`: V1 passed it `{'__root__': value}`, a V2 model validator "
            "gets the value itself, so rewrite it by hand"
        )
    if not isinstance(decorator, ast.Call) or not decorator.args:
        return "is a `@validator` without field names"
    if not all(isinstance(a, ast.Constant) and a.value == ROOT for a in decorator.args):
        return "validates fields other than `__root__`"
    extra = [k.arg for k in decorator.keywords if k.arg not in ROOT_VALIDATOR_KEYWORDS]
    if extra:
        return f"validates the root with `{extra[0]}=`; convert it by hand"
    return None


def _is_validator(expr: ast.expr, names: PydanticNames) -> bool:
    if names.decorator_kind(expr) is not None:
        return True
    target = expr.func if isinstance(expr, ast.Call) else expr
    name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
    return name in ("field_validator", "model_validator")


def _plan_root_read(src: Source, node: ast.Attribute, known: bool, key: str) -> Conversion:
    start, end = src.start(node), src.end(node)
    receiver = src.segment(node.value)
    message = f"`{receiver}.__root__` is `{receiver}.root` in Pydantic V2 root models."
    if not known:
        why = f"`{receiver}` is not known to be a root model of this file"
        return refused(ROOT_MODEL_CODE, key, f"{message[:-1]}; not converted: {why}.", start, end)
    at = end - len(ROOT)
    return Conversion(
        ROOT_MODEL_CODE, key, "Use `.root`", message, start, end, [Replacement(at, end, "root")]
    )


DUMP_KEYWORDS = frozenset(
    {"include", "exclude", "by_alias", "exclude_unset", "exclude_defaults", "exclude_none"}
)
"""``.dict()`` keywords ``.model_dump()`` takes with the same meaning."""


def _plan_dict(src: Source, call: ast.AST, subscript: ast.AST | None, key: str) -> Conversion:
    assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
    start, end = src.start(call), src.end(call)
    receiver = src.segment(call.func.value)
    arguments = src.text[src.end(call.func) : end]  # ``(exclude_none=True)``
    unknown = [k.arg for k in call.keywords if k.arg not in DUMP_KEYWORDS]
    if call.args or unknown:
        what = "positional arguments" if call.args else f"`{unknown[0] or '**'}=`"
        message = (
            f"`{receiver}.dict()` on a root model returned `{{'__root__': value}}` in V1; V2's "
            f"`model_dump()` returns the value itself; not converted: it passes {what}, which "
            "`model_dump()` does not take the same way."
        )
        return refused(ROOT_MODEL_CODE, key, message, start, end)
    if (
        isinstance(subscript, ast.Subscript)
        and subscript.value is call
        and isinstance(subscript.slice, ast.Constant)
        and subscript.slice.value == ROOT
    ):
        message = (
            f'`{receiver}.dict()["__root__"]` is `{receiver}.model_dump()` in Pydantic V2 '
            "(a root model dumps its value)."
        )
        return Conversion(
            ROOT_MODEL_CODE,
            key,
            "Use `.model_dump()`",
            message,
            start,
            end,
            [Replacement(start, src.end(subscript), f"{receiver}.model_dump{arguments}")],
        )
    message = (
        f"`{receiver}.dict()` on a root model returned `{{'__root__': value}}` in V1; V2's "
        f'`model_dump()` returns the value itself: `{{"__root__": {receiver}.model_dump()}}` '
        "keeps the V1 shape (drop the wrapper where callers want the value)."
    )
    wrapped = f'{{"__root__": {receiver}.model_dump{arguments}}}'
    return Conversion(
        ROOT_MODEL_CODE,
        key,
        'Use `.model_dump()` wrapped in `{"__root__": ...}`',
        message,
        start,
        end,
        [Replacement(start, end, wrapped)],
    )


def _plan_construction(
    src: Source, call: ast.Call, model: ModelClass, key: str
) -> Conversion | None:
    start, end = src.start(call), src.end(call)
    name = src.segment(call.func)
    root = [k for k in call.keywords if k.arg == ROOT]
    unpacked = [k for k in call.keywords if k.arg is None]
    if not root and not unpacked:
        return None
    if root and len(call.keywords) == 1 and not call.args:
        value = src.segment(root[0].value)
        message = f"`{name}(__root__=...)` is `{name}(...)` in Pydantic V2 root models."
        return Conversion(
            ROOT_MODEL_CODE,
            key,
            "Pass the root value positionally",
            message,
            start,
            end,
            [Replacement(src.start(root[0]), src.end(root[0]), value)],
        )
    message = (
        f"`{name}(...)` builds the root model `{model.qualname}` from keyword arguments; V2 "
        "root models take the value positionally; not converted: pass the `__root__` value "
        f"as `{name}(value)` by hand."
    )
    return refused(ROOT_MODEL_CODE, key, message, start, end)
