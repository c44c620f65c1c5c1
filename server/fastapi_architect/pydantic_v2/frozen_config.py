"""What V1's ``allow_mutation`` / ``frozen`` in a ``class Config`` become in V2 (PYD010).

V1 resolved each Config key on its own through the bases (the nearest class setting it wins)
and refused assignment when ``not allow_mutation or frozen``. V2 has one key, ``frozen``,
merged through the bases' ``model_config``. So a subclass's ``allow_mutation = True`` under a
base whose ``allow_mutation = False`` became ``frozen=True`` must be written ``frozen=False``,
while under a base with V1 ``frozen = True`` it changed nothing and must stay dropped (the
same holds for ``frozen = False`` under ``allow_mutation = False``). The answer comes from the
bases this file can read: their V1 ``Config``, their ``model_config`` (a converted
``frozen=True`` may come from either V1 key, so a subclass relaxing it is reported), and for
bases of other workspace files whether their hierarchy configures anything at all.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from fastapi_architect.pydantic_v2.analysis import ModelClass, assigns_model_config
from fastapi_architect.pydantic_v2.conversion import Conversion
from fastapi_architect.pydantic_v2.model_index import ExternalModel
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name

FROZEN_KEYS = ("allow_mutation", "frozen")
MIXIN_BASES = frozenset({"object", "Generic", "ABC"})


@dataclass(frozen=True)
class Unknown:
    """A value this file cannot know; ``reason`` says why (for the report)."""

    reason: str


Flag = bool | None | Unknown
"""A setting's value: set to a literal, unset (``None``: V1's / V2's default), or unknown."""


@dataclass(frozen=True)
class _State:
    """What a class hands its subclasses: V1's two keys and V2's merged ``frozen``."""

    allow_mutation: Flag = None
    frozen: Flag = None
    v2_frozen: Flag = None


UNSET = _State()


@dataclass(frozen=True)
class FrozenSetting:
    """The V2 text for a ``Config``'s own ``allow_mutation`` / ``frozen`` line.

    ``entry`` is ``("frozen", "True")`` to write, or None to drop the line (V2 inherits the
    right value); ``refusal`` says why the ``Config`` cannot be converted faithfully.
    """

    key: str
    entry: tuple[str, str] | None = None
    refusal: str | None = None
    note: str = ""


def frozen_setting(
    model: ModelClass, config: ast.ClassDef, names: PydanticNames, classes: list[ModelClass]
) -> FrozenSetting | None:
    """The conversion of the ``Config``'s one literal ``allow_mutation`` / ``frozen`` when the
    bases decide it; None when the plain key-by-key conversion is already faithful (both keys,
    or neither, or a value that is not a literal)."""
    own = _config_values(config)
    if len(own) != 1:
        return None
    (key, value), *_ = own.items()
    if not isinstance(value, bool):
        return None
    relaxes = (key == "allow_mutation" and value) or (key == "frozen" and not value)
    if not relaxes:
        return None  # ``allow_mutation = False`` / ``frozen = True``: frozen whatever the bases say
    inherited = _bases_state(model, names, _Scope(_by_name(classes)))
    if key == "allow_mutation":
        immutable = _immutable(True, inherited.frozen)
    else:
        immutable = _immutable(inherited.allow_mutation, False)
    if isinstance(immutable, Unknown):
        return FrozenSetting(key, refusal=_ambiguity(key, model, immutable))
    v2_inherited = False if inherited.v2_frozen is None else inherited.v2_frozen
    if v2_inherited == immutable:
        if key == "frozen" and not immutable:
            return FrozenSetting(key, entry=("frozen", "False"))
        note = "" if not immutable else _kept_frozen_note(key, model)
        return FrozenSetting(key, note=note)
    return FrozenSetting(key, entry=("frozen", str(immutable)), note=_written_note(key, immutable))


def relaxes_frozen(config: ast.ClassDef) -> bool:
    """True when the ``Config`` sets ``allow_mutation = True`` or ``frozen = False``: its
    conversion reads its bases' V1 settings."""
    own = _config_values(config)
    return own.get("allow_mutation") is True or own.get("frozen") is False


def _ambiguity(key: str, model: ModelClass, unknown: Unknown) -> str:
    written = "`allow_mutation = True`" if key == "allow_mutation" else "`frozen = False`"
    return (
        f"V1 kept `{model.node.name}` mutable with {written} only when no base said "
        f"{'`frozen = True`' if key == 'allow_mutation' else '`allow_mutation = False`'}, "
        f"and {unknown.reason}; write `frozen=False` in `model_config` if V1 let its "
        "instances change, or leave `frozen` out if V1 refused assignment"
    )


def _kept_frozen_note(key: str, model: ModelClass) -> str:
    written = "`allow_mutation = True`" if key == "allow_mutation" else "`frozen = False`"
    return (
        f" {written} is dropped: a base keeps `{model.node.name}` frozen, in V1 as in V2 "
        "(V1 refused assignment anyway)."
    )


def _written_note(key: str, immutable: bool) -> str:
    written = "`allow_mutation = True`" if key == "allow_mutation" else "`frozen = False`"
    if immutable:
        return (
            f" {written} becomes `frozen=True`: its bases' V1 settings kept it immutable, "
            "and V2 would let it change."
        )
    return (
        f" {written} becomes `frozen=False`: a base's `allow_mutation = False` turns into "
        "`frozen=True`, which V2 merges into subclasses, and V1 let these instances change."
    )


def _immutable(allow_mutation: Flag, frozen: Flag) -> bool | Unknown:
    """V1's ``not allow_mutation or frozen`` with unset keys at V1's defaults."""
    if allow_mutation is False or frozen is True:
        return True
    if isinstance(allow_mutation, Unknown):
        return allow_mutation
    if isinstance(frozen, Unknown):
        return frozen
    return False


@dataclass
class _Scope:
    """The file's top-level classes by name, and the states worked out so far."""

    classes: dict[str, ModelClass]
    memo: dict[int, _State] = field(default_factory=dict)


def _by_name(classes: list[ModelClass]) -> dict[str, ModelClass]:
    return {m.node.name: m for m in classes if m.qualname == m.node.name}


def _in_file_base(
    base: ast.expr, model: ModelClass, classes: dict[str, ModelClass]
) -> ModelClass | None:
    """The class of this file that ``base`` (``Parent`` or ``Parent[T]``) names, if any."""
    expr = base.value if isinstance(base, ast.Subscript) else base
    if not isinstance(expr, ast.Name):
        return None
    for parent in model.bases_in_file:
        if parent.node.name == expr.id:
            return parent
    found = classes.get(expr.id)  # ``Parent[T]``: the analysis leaves it out of bases_in_file
    if found is None or found is model or found.node.lineno >= model.node.lineno:
        return None
    return found


def _bases_state(model: ModelClass, names: PydanticNames, scope: _Scope, depth: int = 0) -> _State:
    """The settings ``model`` inherits: its bases' states merged."""
    states: list[_State] = []
    unresolved: list[str] = []
    direct_pydantic = False
    for base in model.node.bases:
        expr = base.value if isinstance(base, ast.Subscript) else base
        dotted = dotted_name(expr) or "?"
        parent = _in_file_base(base, model, scope.classes)
        if names.is_model_base(base):
            direct_pydantic = True
        elif parent is not None:
            states.append(_class_state(parent, names, scope, depth + 1))
        elif dotted.rsplit(".", 1)[-1] not in MIXIN_BASES:
            unresolved.append(dotted)
    states.extend(_external_state(external) for external in model.external_bases)
    unseen = len(unresolved) - len(model.external_bases)
    if unseen > 0 and not direct_pydantic:
        # A class that also lists Pydantic's base itself takes the others as mixins: only
        # models carry a config. Otherwise an unreadable base may be a frozen model.
        names_seen = ", ".join(f"`{n}`" for n in unresolved)
        states.append(_all_unknown(f"its base {names_seen} is not a model this file can read"))
    return _merge(states)


def _class_state(model: ModelClass, names: PydanticNames, scope: _Scope, depth: int) -> _State:
    """What a class of this file hands its subclasses (its own settings over its bases')."""
    cached = scope.memo.get(id(model))
    if cached is not None:
        return cached
    if depth > 64:
        return _all_unknown(f"the bases of `{model.node.name}` nest too deep")
    inherited = _bases_state(model, names, scope, depth)
    own = _own_values(model.node)
    v2 = _model_config_frozen(model.node)
    if v2 is True:
        state = _all_unknown(
            f"its base `{model.node.name}` already has `model_config` with `frozen=True`, "
            "which V1's `allow_mutation = False` and `frozen = True` both become"
        )
    elif v2 is False:
        state = _State(True, False, False)
    elif isinstance(v2, Unknown):
        state = _all_unknown(v2.reason)
    else:
        allow_mutation = own.get("allow_mutation", inherited.allow_mutation)
        frozen = own.get("frozen", inherited.frozen)
        if "allow_mutation" in own or "frozen" in own:
            state = _State(allow_mutation, frozen, _immutable(allow_mutation, frozen))
        else:
            state = _State(allow_mutation, frozen, inherited.v2_frozen)
    scope.memo[id(model)] = state
    return state


def _external_state(external: ExternalModel) -> _State:
    """A base of another workspace file: the index tells whether its hierarchy configures
    anything, not the values."""
    label = external.qualname
    if {"Config", "model_config"} & external.methods:
        return _all_unknown(
            f"its base `{label}` (another file) configures itself, which this file cannot read"
        )
    if not external.complete:
        return _all_unknown(f"its base `{label}` derives from a class outside the workspace")
    return UNSET


def _all_unknown(reason: str) -> _State:
    unknown = Unknown(reason)
    return _State(unknown, unknown, unknown)


def _merge(states: list[_State]) -> _State:
    """Several bases: a key is known when every base that sets it agrees (V1 took the first
    base's value, V2 the last's)."""
    return _State(
        _merged([s.allow_mutation for s in states]),
        _merged([s.frozen for s in states]),
        _merged([s.v2_frozen for s in states]),
    )


def _merged(values: list[Flag]) -> Flag:
    found: Flag = None
    for value in values:
        if isinstance(value, Unknown):
            return value
        if value is None:
            continue
        if found is not None and found != value:
            return Unknown("its bases disagree about it")
        found = value
    return found


def _literal(value: ast.expr) -> Flag:
    if isinstance(value, ast.Constant) and isinstance(value.value, bool):
        return value.value
    return Unknown("a base sets it to a value that is not `True` or `False`")


def _config_values(config: ast.ClassDef) -> dict[str, Flag]:
    """The ``Config``'s own ``allow_mutation`` / ``frozen`` settings."""
    found: dict[str, Flag] = {}
    for stmt in config.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in FROZEN_KEYS:
            found[target.id] = _literal(value)
    return found


def _own_values(node: ast.ClassDef) -> dict[str, Flag]:
    """A class's V1 settings of the two keys: its ``Config`` and its class keywords."""
    found: dict[str, Flag] = {}
    for stmt in node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            found.update(_config_values(stmt))
    for keyword in node.keywords:
        if keyword.arg in FROZEN_KEYS:
            found[keyword.arg] = _literal(keyword.value)
    return found


def _model_config_frozen(node: ast.ClassDef) -> Flag:
    """``frozen`` in the class's ``model_config`` (None: no ``model_config`` or no ``frozen``)."""
    found: Flag = None
    for stmt in node.body:
        if not assigns_model_config(stmt):
            continue
        value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
        found = _frozen_in(value, node.name)
    return found


def _frozen_in(value: ast.expr | None, owner: str) -> Flag:
    unreadable = Unknown(f"the `model_config` of its base `{owner}` cannot be read here")
    if isinstance(value, ast.Call):
        pairs = [(k.arg, k.value) for k in value.keywords]
    elif isinstance(value, ast.Dict):
        pairs = [
            (k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else None, v)
            for k, v in zip(value.keys, value.values, strict=True)
        ]
    else:
        return unreadable
    result: Flag = None
    for name, item in pairs:
        if name is None:
            return unreadable  # ``**other`` or a computed key
        if name == "frozen":
            result = _literal(item)
            if isinstance(result, Unknown):
                return unreadable
    return result


def bundle_relaxing_subclasses(
    planned: list[tuple[ModelClass, ast.ClassDef, Conversion]], classes: list[ModelClass]
) -> None:
    """A base's fix also converts the same-file subclasses whose ``allow_mutation = True`` /
    ``frozen = False`` reads its V1 settings: once the base says ``frozen=True`` nobody can tell
    which V1 key it came from, so fixing one class at a time, in any order, ends the same."""
    by_name = _by_name(classes)
    for base, base_config, fix in planned:
        if not fix.fixable or not _config_values(base_config):
            continue
        for model, config, other in planned:
            if other is fix or not other.fixable or not relaxes_frozen(config):
                continue
            if not _descends(model, base, by_name):
                continue
            fix.replacements = [
                *fix.replacements,
                *(r for r in other.replacements if r not in fix.replacements),
            ]
            fix.add |= other.add
            for name, count in other.consumed.items():
                fix.consumed[name] = fix.consumed.get(name, 0) + count
            fix.message += (
                f" The `Config` of subclass `{model.qualname}` is converted with it: its "
                "mutability is read from this `Config`'s V1 settings."
            )


def _descends(
    model: ModelClass, base: ModelClass, classes: dict[str, ModelClass], depth: int = 0
) -> bool:
    if depth > 64:
        return False
    for expr in model.node.bases:
        parent = _in_file_base(expr, model, classes)
        if parent is not None and (parent is base or _descends(parent, base, classes, depth + 1)):
            return True
    return False
