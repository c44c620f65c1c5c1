"""The serializer methods that replace a model's ``json_encoders`` (PYD020), where they are
faithful. Read by the PYD020 fix and by the ``class Config`` conversion (PYD010), which drops
the key and inserts the same methods, so both write the same text.

Three shapes, each reproducing V1's ``.json()`` (the encoder ran on every value of its type):
- fields holding only an encoded type (``X`` / ``Optional[X]``), model not subclassed:
  ``@field_serializer("a", "b", when_used="json-unless-none")`` calling the encoder;
- fields that may also hold other types (``Union[X, str]``): one ``mode="wrap"`` method that
  encodes values of the encoded types and hands the others to Pydantic;
- a model with subclasses (this file or other workspace files, found by the model index):
  the same method on ``"*"`` — V2 inherits it, so every subclass's fields are covered, as the
  inherited ``Config`` covered them in V1.
A model allowing extra fields also gets a ``@model_serializer(mode="wrap", when_used="json")``
encoding the extra values (inside lists and dicts too). A subclass whose encoders repeat its
bases' loses the key only: V1 merged the dicts, and V2 inherits what the bases do.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from fastapi_architect.astutil import last_name
from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.encoded_fields import (
    SAFE,
    FieldUse,
    Resolve,
    Unreachable,
    classify,
    local_safe_classes,
)
from fastapi_architect.pydantic_v2.model_index import (
    NO_MODELS,
    RELATED_KEYS,
    ExternalField,
    Origin,
    WorkspaceModels,
    WorkspaceSubclass,
    allows_extra_fields,
    converted_encoders,
    defines_serializers,
    module_bindings,
    own_encoders,
)
from fastapi_architect.pydantic_v2.names import PYDANTIC, PydanticNames, in_packages
from fastapi_architect.pydantic_v2.serializer_methods import (
    EncodedType,
    Unwritable,
    dispatch_method,
    extra_method,
    plain_method,
    walker_method,
)
from fastapi_architect.pydantic_v2.source import Source

KEY = "json_encoders"
NATIVE = frozenset(
    f"builtins.{name}"
    for name in ("str", "int", "float", "bool", "list", "dict", "tuple", "object")
) | {"typing.Any"}
"""Types V1's ``json.dumps`` wrote itself, and catch-alls outside V1's MRO lookup: their
encoders never ran in V1."""
V1_NATIVE_PYDANTIC = frozenset(
    f"pydantic.{name}"
    for name in [
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
        "ConstrainedStr",
        "StrictStr",
        "PaymentCardNumber",
        "ConstrainedInt",
        "StrictInt",
        "PositiveInt",
        "NegativeInt",
        "NonNegativeInt",
        "NonPositiveInt",
        "ConstrainedFloat",
        "StrictFloat",
        "PositiveFloat",
        "NegativeFloat",
        "NonNegativeFloat",
        "NonPositiveFloat",
        "StrictBool",
    ]
)
"""V1 types deriving from ``str`` / ``int`` / ``float``: ``json.dumps`` wrote them itself."""
CONTAINER_KEYS = frozenset(
    {"builtins.set", "builtins.frozenset", "collections.deque", "typing.Set", "typing.FrozenSet"}
)
BUILTIN_NAMES = frozenset(dir(builtins))
PYDANTIC_BASES = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel"})


def encoders_of(model: ModelClass) -> ast.expr | None:
    """The ``json_encoders`` value of ``model``'s own config, if it sets one."""
    return own_encoders(model.node)


@dataclass
class SerializerFix:
    """The methods that replace the ``json_encoders`` key, inserted at ``at`` (none when the
    key only repeats the encoders of the model's bases)."""

    at: int
    text: str
    bindings: set[ImportBinding]
    fields: list[str]
    consumed: dict[str, int]
    """Uses of names the removed dict held that no method keeps (a dropped ``timedelta`` key)."""
    subclasses: list[str] = field(default_factory=list)
    """Subclasses whose fields the ``"*"`` method covers too."""
    extra: bool = False
    """A model serializer encodes extra fields."""
    repeats: str | None = None
    """The base whose encoders the key only repeats."""
    dead: list[str] = field(default_factory=list)
    """Encoded types whose encoder V1 never ran (``json.dumps`` wrote them itself)."""


class _NoFix(Exception):
    """No faithful serializer replaces the key; the text says why."""


def serializer_fix(
    src: Source, model: ModelClass, names: PydanticNames, models: WorkspaceModels = NO_MODELS
) -> SerializerFix | str:
    """The serializer methods for ``model``'s ``json_encoders``, or why there are none."""
    try:
        return _Plan(src, model, names, models).fix()
    except (_NoFix, Unwritable) as reason:
        return str(reason)


@dataclass
class _Subclass:
    """A subclass whose fields the model's serializer must cover."""

    label: str
    fields: list[tuple[str, ast.expr, Resolve]]
    extra: bool
    names: set[str]
    """Names its body (or its chain's) binds: a method of ours must not take one."""


class _Plan:
    def __init__(
        self, src: Source, model: ModelClass, names: PydanticNames, models: WorkspaceModels
    ) -> None:
        self.src, self.model, self.names, self.models = src, model, names, models
        self.resolve = _resolver(src)
        self.safe_local = local_safe_classes(src.tree)
        self.classes = {node.name: node for node in src.tree.body if isinstance(node, ast.ClassDef)}
        self.all_classes = [node for node in ast.walk(src.tree) if isinstance(node, ast.ClassDef)]

    def fix(self) -> SerializerFix:
        value = encoders_of(self.model)
        if not isinstance(value, ast.Dict) or any(k is None for k in value.keys):
            raise _NoFix("the encoders are not a plain `{type: encoder}` dict")
        if not self.model.known_model:
            raise _NoFix("the model derives from a base in another file")
        if any(_config_sets(c.node, "json_dumps") for c in [self.model, *_ancestors(self.model)]):
            raise _NoFix("a custom `json_dumps` decided which values reached the encoders")
        keys, dead = self._keys(value)
        repeated = self._repeated_base(value)
        if repeated is not None:
            return self._drop_only(value, repeated, [])
        if not keys:
            return self._drop_only(value, None, dead)
        if self.model.has_unknown_base or self.model.external_bases:
            raise _NoFix("the model derives from a base in another file")
        if any(encoders_of(base) is not None for base in _ancestors(self.model)):
            raise _NoFix("a base model in this file sets `json_encoders` too")
        if self.model.node.keywords or self.model.node.decorator_list:
            raise _NoFix("the class has keywords or decorators")
        if any(defines_serializers(c.node) for c in [self.model, *_ancestors(self.model)]):
            raise _NoFix("the model already defines serializers")
        if any(
            isinstance(s, ast.AnnAssign) and ast.unparse(s.target) == "__root__"
            for c in [self.model, *_ancestors(self.model)]
            for s in c.node.body
        ):
            raise _NoFix("the model has a custom root type (`__root__`)")
        canonical = {k.canonical for k in keys}
        subclasses = [*self._subclasses_in_file(value), *self._workspace_subclasses()]
        own_fields = self.model.all_fields() or {}
        uses = self._uses(
            [(n, d.stmt.annotation, self.resolve) for n, d in own_fields.items()], canonical
        )
        for subclass in subclasses:
            inherited = self._uses(subclass.fields, canonical)
            for use in inherited:
                if use.deep:
                    raise _NoFix(
                        f"`{use.name}` of the subclass {subclass.label} may hold encoded values "
                        "inside other types, which V1 encoded too"
                    )
            uses += inherited
        extra = self.model.allows_extra() or any(s.extra for s in subclasses)
        if not uses and not extra:
            raise _NoFix("no field of the model has an encoded type")
        fix = self._write(value, keys, uses, subclasses, extra)
        fix.dead = dead
        return fix

    # --- what the encoders are ---------------------------------------------------------------

    def _keys(self, value: ast.Dict) -> tuple[list[EncodedType], list[str]]:
        """The encoded types in the order V1's MRO lookup tried them, and those whose
        encoders never ran in V1."""
        keys: list[EncodedType] = []
        dead: list[str] = []
        native = _native_classes(self.all_classes)
        for key, encoder in zip(value.keys, value.values, strict=True):
            assert key is not None
            dotted = _dotted(key)
            text = ast.unparse(key)
            if dotted is None:
                raise _NoFix(f"`{text}` is not a type V1's encoders handled alone")
            canonical = self.resolve(dotted)
            if (
                canonical in NATIVE
                or canonical in V1_NATIVE_PYDANTIC
                or canonical in native
                or self._nested(canonical) is not None
                or self.models.get(dotted) is not None
            ):
                dead.append(text)  # a model: ``.dict()`` made it a dict before ``json.dumps``
                continue
            if canonical in CONTAINER_KEYS:
                raise _NoFix(
                    f"`{text}` values sit in container annotations, which this conversion "
                    "does not match"
                )
            keys = [k for k in keys if k.canonical != canonical]  # a repeated key: last wins
            keys.append(EncodedType(key, encoder, canonical))
        unknown = [k for k in keys if k.canonical not in SAFE]
        if len(unknown) > 1:
            raise _NoFix(
                "several encoded types may be related classes, and V1 picked the encoder "
                "by the value's class hierarchy"
            )
        # V1 looked the value's class up before its bases: a project class (which may derive
        # from a standard one) first, then a datetime before a date.
        return sorted(
            keys, key=lambda k: (k.canonical in SAFE, k.canonical != "datetime.datetime")
        ), dead

    def _repeated_base(self, value: ast.Dict) -> str | None:
        """The base whose encoders this dict only repeats (V1 merged them), if one does."""
        if self.model.node.name in self.models.repeated_encoders and self.model.external_bases:
            return self.model.external_bases[0].qualname
        mine = _entries(value)
        for base in _ancestors(self.model):
            theirs = encoders_of(base) or converted_encoders(base.node)
            if isinstance(theirs, ast.Dict) and mine and mine <= _entries(theirs):
                return base.qualname
        return None

    def _drop_only(self, value: ast.Dict, base: str | None, dead: list[str]) -> SerializerFix:
        consumed: dict[str, int] = {}
        for node in ast.walk(value):
            if isinstance(node, ast.Name):
                consumed[node.id] = consumed.get(node.id, 0) + 1
        at = _insertion_point(self.src, self.model)
        return SerializerFix(at, "", set(), [], consumed, repeats=base, dead=dead)

    # --- who inherits them --------------------------------------------------------------------

    def _subclasses_in_file(self, value: ast.Dict) -> Iterator[_Subclass]:
        """Classes of this module deriving from the model, at any depth."""
        found = {self.model.node.name}
        extra_of = {self.model.node.name: self.model.allows_extra()}
        mine = _entries(value)
        changed = True
        order: list[ast.ClassDef] = []
        while changed:
            changed = False
            for node in self.all_classes:
                if node.name in found or not any(last_name(b) in found for b in node.bases):
                    continue
                found.add(node.name)
                order.append(node)
                changed = True
        for node in order:
            for base in node.bases:
                name = last_name(base)
                if name not in found and self.resolve(_dotted(base) or "") not in PYDANTIC_BASES:
                    raise _NoFix(
                        f"the subclass `{node.name}` also derives from `{ast.unparse(base)}`, "
                        "whose fields are not known here"
                    )
            if defines_serializers(node):
                raise _NoFix(f"the subclass `{node.name}` defines serializers itself")
            theirs = own_encoders(node)
            same = isinstance(theirs, ast.Dict) and _entries(theirs) <= mine
            if theirs is not None and not same and not self._disjoint(theirs):
                raise _NoFix(f"the subclass `{node.name}` sets other encoders for the same types")
            allows = allows_extra_fields(node)
            parent = next((last_name(b) for b in node.bases if last_name(b) in extra_of), None)
            extra = allows if allows is not None else extra_of.get(parent or "", False)
            extra_of[node.name] = extra
            fields = [
                (stmt.target.id, stmt.annotation, self.resolve)
                for stmt in node.body
                if isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and not stmt.target.id.startswith("_")
                and "ClassVar" not in ast.unparse(stmt.annotation)
            ]
            bound = {
                n.name
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                else ""
                for n in node.body
            } | {name for name, _, _ in fields}
            yield _Subclass(f"`{node.name}`", fields, extra, bound)

    def _disjoint(self, theirs: ast.expr) -> bool:
        """True when a subclass's encoders name none of the model's types (nor a type whose
        values are also instances of one: ``date`` and ``datetime``)."""
        if not isinstance(theirs, ast.Dict):
            return False
        mine = {self.resolve(_dotted(k) or "") for k in _encoded_keys(self.model)}
        related = mine | {RELATED_KEYS[k] for k in mine if k in RELATED_KEYS}
        related |= {sub for sub, parent in RELATED_KEYS.items() if parent in mine}
        return all(
            key is not None and self.resolve(_dotted(key) or "?") not in related
            for key in theirs.keys
        )

    def _workspace_subclasses(self) -> Iterator[_Subclass]:
        """Subclasses in other workspace files (the model index found them)."""
        if self.model.qualname != self.model.node.name:
            return
        if not self.models.subclasses_complete:
            raise _NoFix(
                "the workspace has more Python files than the subclass lookup reads, so "
                "subclasses in other files may be missed"
            )
        own = self.model.all_fields() or {}
        ours = {self.model.node.name, *(base.node.name for base in _ancestors(self.model))}
        subclass: WorkspaceSubclass
        for subclass in self.models.subclasses:
            if subclass.base != self.model.node.name:
                continue
            label = f"`{subclass.model.qualname}`"
            if not subclass.model.complete:
                raise _NoFix(f"the fields of the subclass {label} are not all known")
            if subclass.serializers:
                raise _NoFix(f"the subclass {label} defines serializers itself")
            if subclass.encoders in ("overlap", "unknown"):
                raise _NoFix(f"the subclass {label} sets other encoders for the same types")
            fields: list[tuple[str, ast.expr, Resolve]] = []
            for declared in subclass.model.fields:
                if declared.owner in ours and declared.name in own:
                    continue  # declared here: checked with this module's names
                try:
                    stmt = ast.parse(declared.statement).body[0]
                except (SyntaxError, IndexError, ValueError):
                    raise _NoFix(f"a field of the subclass {label} cannot be read") from None
                if isinstance(stmt, ast.AnnAssign):
                    fields.append((declared.name, stmt.annotation, _origin_resolver(declared)))
            bound = set(subclass.model.methods) | {f.name for f in subclass.model.fields}
            yield _Subclass(label, fields, subclass.extra_allowed, bound)

    # --- which fields hold encoded values -----------------------------------------------------

    def _uses(self, fields: list[tuple[str, ast.expr, Resolve]], keys: set[str]) -> list[FieldUse]:
        found: list[FieldUse] = []
        for name, annotation, resolve in fields:
            try:
                use = classify(
                    name,
                    annotation,
                    frozenset(keys),
                    resolve,
                    self._nested,
                    self.safe_local,
                    self._derived(keys),
                )
            except Unreachable as reason:
                raise _NoFix(str(reason)) from None
            if use is not None:
                found.append(use)
        return found

    def _nested(self, canonical: str, seen: frozenset[str] = frozenset()) -> str | None:
        """``""`` for a model of this module whose values hold no encoded type, a reason for
        one that may, None for anything else."""
        if not canonical.startswith("local:") or canonical in seen:
            return "" if canonical in seen else None
        node = self.classes.get(canonical.removeprefix("local:"))
        if node is None:
            return None
        seen = seen | {canonical}
        model = False
        for base in node.bases:
            resolved = self.resolve(_dotted(base) or "?")
            if resolved in PYDANTIC_BASES:
                model = True
                continue
            inner = self._nested(resolved, seen)
            if inner is None:
                return None if not model else f"its base `{ast.unparse(base)}` is not known here"
            if inner:
                return inner
            model = True
        if not model:
            return None
        if allows_extra_fields(node):
            return "it keeps extra fields, whose values V1 encoded too"
        keys = frozenset(self.resolve(_dotted(k) or "") for k in _encoded_keys(self.model))
        for stmt in node.body:
            if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
                continue
            name = stmt.target.id
            try:
                use = classify(
                    name,
                    stmt.annotation,
                    keys,
                    self.resolve,
                    lambda c: self._nested(c, seen),
                    self.safe_local,
                    self._derived(set(keys)),
                )
            except Unreachable as reason:
                return str(reason)
            if use is not None:
                return f"its field `{name}` holds an encoded type, which V1 encoded too"
        return ""

    def _derived(self, keys: set[str]) -> dict[str, str]:
        """Classes of this module deriving (at any depth here) from an encoded type → that
        type: V1 found their values under its key."""
        found: dict[str, str] = {}
        native = _native_classes(self.all_classes)
        changed = True
        while changed:
            changed = False
            for node in self.classes.values():
                local = f"local:{node.name}"
                if local in found or local in keys or local in native:
                    continue
                for base in node.bases:
                    resolved = self.resolve(_dotted(base) or "?")
                    key = resolved if resolved in keys else found.get(resolved)
                    if key is not None:
                        found[local] = key
                        changed = True
                        break
        return found

    # --- the text -----------------------------------------------------------------------------

    def _write(
        self,
        value: ast.Dict,
        keys: list[EncodedType],
        uses: list[FieldUse],
        subclasses: list[_Subclass],
        extra: bool,
    ) -> SerializerFix:
        src, model = self.src, self.model
        taken = {*model.fields, *_class_names(model)}
        for base in _ancestors(model):
            taken |= {*base.fields, *_class_names(base)}
        for subclass in subclasses:
            taken |= subclass.names
        indent = src.indent_of(model.node.body[0].lineno)
        bindings: set[ImportBinding] = set()
        methods: list[str] = []
        own_fields = model.all_fields() or {}
        own = [u.name for u in uses if u.name in own_fields]
        covered = list(dict.fromkeys(u.name for u in uses))
        deep = [u for u in uses if u.deep]
        uses = [u for u in uses if not u.deep]
        if subclasses or any(u.mixed or len(u.keys) > 1 for u in uses):
            used = {k for u in uses for k in u.keys}
            chosen = keys if subclasses else [k for k in keys if k.canonical in used]
            listed = ['"*"'] if subclasses else [f'"{n}"' for n in covered]
            if chosen:
                spelled = self._decorator("field_serializer", bindings)
                methods.append(dispatch_method(self.src, spelled, listed, chosen, taken, indent))
        else:
            spelled = self._decorator("field_serializer", bindings) if uses else ""
            for key in keys:
                fields = [u.name for u in uses if u.keys == (key.canonical,)]
                if fields:
                    methods.append(plain_method(self.src, spelled, fields, key, taken, indent))
        if deep:
            spelled = self._decorator("field_serializer", bindings)
            used = {k for u in deep for k in u.keys}
            chosen = [k for k in keys if k.canonical in used]
            fields = [u.name for u in deep]
            methods.append(walker_method(self.src, spelled, fields, chosen, taken, indent))
        if extra:
            spelled = self._decorator("model_serializer", bindings)
            methods.append(extra_method(self.src, spelled, keys, taken, indent))
        loads = [n.id for n in ast.walk(value) if isinstance(n, ast.Name)]
        kept = {n for m in methods for n in re.findall(r"\b\w+\b", m.split("):", 1)[1])}
        consumed: dict[str, int] = {}
        for name in loads:
            if name not in kept:
                consumed[name] = consumed.get(name, 0) + 1
        at = _insertion_point(src, model)
        text = "".join(f"{src.newline}{method}{src.newline}" for method in methods)
        if at > 0 and src.text[at - 1 : at] not in ("\n", "\r"):
            text = src.newline + text
        return SerializerFix(
            at,
            text,
            bindings,
            own if subclasses else covered,
            consumed,
            [s.label for s in subclasses],
            extra,
        )

    def _decorator(self, canonical: str, bindings: set[ImportBinding]) -> str:
        at = self.model.node
        for local, name in self.names.pydantic_from.items():
            if name == canonical and self.names.means(local, canonical, at):
                return local
        if self.names.means(canonical, canonical, at):  # ``from pydantic import *``
            return canonical
        if canonical in self.names.other_bindings:
            raise _NoFix(f"`{canonical}` is another name in this module")
        bindings.add(ImportBinding("pydantic", canonical))
        return canonical


def _native_classes(classes: list[ast.ClassDef]) -> set[str]:
    """``local:X`` for the module's classes deriving from ``str`` / ``int`` / ``float``
    (``class Color(str, Enum)``): V1's ``json.dumps`` wrote their values itself."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for node in classes:
            if f"local:{node.name}" in found:
                continue
            bases = {last_name(b) for b in node.bases}
            if bases & {"str", "int", "float"} or any(f"local:{b}" in found for b in bases):
                found.add(f"local:{node.name}")
                changed = True
    return found


def _config_sets(node: ast.ClassDef, name: str) -> bool:
    """True when the class's ``class Config`` assigns ``name``."""
    return any(
        isinstance(stmt, ast.ClassDef)
        and stmt.name == "Config"
        and any(
            isinstance(t, ast.Name) and t.id == name
            for item in stmt.body
            if isinstance(item, ast.Assign | ast.AnnAssign)
            for t in (item.targets if isinstance(item, ast.Assign) else [item.target])
        )
        for stmt in node.body
    )


def _encoded_keys(model: ModelClass) -> list[ast.expr]:
    """The types ``model``'s own ``json_encoders`` dict names."""
    value = encoders_of(model)
    if not isinstance(value, ast.Dict):
        return []
    return [k for k in value.keys if k is not None]


def _entries(value: ast.Dict) -> frozenset[tuple[str, str]]:
    """The ``(type, encoder)`` texts of a dict (same module: the same text means the same)."""
    return frozenset(
        (ast.unparse(k), ast.unparse(v))
        for k, v in zip(value.keys, value.values, strict=True)
        if k is not None
    )


def _ancestors(model: ModelClass) -> Iterator[ModelClass]:
    for base in model.bases_in_file:
        yield base
        yield from _ancestors(base)


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head is not None else None
    return None


def _resolver(src: Source) -> Resolve:
    """Canonical names of the module's (dotted) names: ``datetime.datetime`` for ``dt`` after
    ``from datetime import datetime as dt``; ``local:X`` for its own classes."""
    bindings = module_bindings(src.tree)
    defined: set[str] = set()
    relative: set[str] = set()
    for stmt in src.tree.body:
        if isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            defined.add(stmt.name)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            defined |= {
                n.id
                for n in ast.walk(stmt)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
            }
        elif isinstance(stmt, ast.ImportFrom) and stmt.level:
            relative |= {a.asname or a.name for a in stmt.names}

    def resolve(dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        suffix = f".{rest}" if rest else ""
        origin = bindings.get(head)
        if origin is not None and head not in defined:
            return _pydantic_canonical(_origin_text(origin) + suffix)
        if head in defined or head in relative:
            return f"local:{dotted}"
        if head in BUILTIN_NAMES:
            return f"builtins.{dotted}"
        return f"?{dotted}"

    return resolve


def _origin_text(origin: Origin) -> str:
    return f"{origin.module}.{origin.name}" if origin.name else origin.module or "?"


def _pydantic_canonical(dotted: str) -> str:
    """``pydantic.X`` for a name of a Pydantic submodule (``pydantic.types.condecimal``: the
    same object as ``pydantic.condecimal``); other names as they are."""
    module, _, name = dotted.rpartition(".")
    if module != "pydantic" and in_packages(module, PYDANTIC):
        return f"pydantic.{name}"
    return dotted


def _origin_resolver(declared: ExternalField) -> Resolve:
    """Canonical names read in a field declared in another workspace module."""
    origins = dict(declared.origins)

    def resolve(dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        suffix = f".{rest}" if rest else ""
        origin = origins.get(head)
        if origin is None:
            return f"?{dotted}"
        return _pydantic_canonical(_origin_text(origin) + suffix)

    return resolve


def _class_names(model: ModelClass) -> set[str]:
    found: set[str] = set()
    for stmt in model.node.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(stmt.name)
        for node in ast.walk(stmt) if isinstance(stmt, ast.Assign | ast.AnnAssign) else []:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                found.add(node.id)
    return found


def _insertion_point(src: Source, model: ModelClass) -> int:
    """After the class's last statement (and the comments a trailing ``class Config`` holds)."""
    last = model.node.body[-1]
    if isinstance(last, ast.ClassDef) and last.name == "Config":
        return src.line_end(config_last_line(src, last))
    return src.line_end(last.end_lineno or last.lineno)


def optional_members(annotation: ast.expr) -> list[ast.expr]:
    """``X`` for ``X`` / ``Optional[X]`` / ``X | None`` / ``Union[X, None]``; else the whole."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return [*optional_members(annotation.left), *optional_members(annotation.right)]
    if isinstance(annotation, ast.Subscript) and last_name(annotation.value) in (
        "Optional",
        "Union",
    ):
        inner = annotation.slice
        return list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    return [annotation]


def config_last_line(src: Source, config: ast.ClassDef) -> int:
    """The last line of ``config`` including comment lines indented into its body after the
    last statement (``ast`` ends the class at its last statement)."""
    last = config.end_lineno or config.lineno
    header_indent = len(src.indent_of(config.lineno))
    while last < len(src.lines):
        line = src.line_text(last + 1)
        if not line.strip().startswith("#") or len(src.indent_of(last + 1)) <= header_indent:
            break
        last += 1
    return last
