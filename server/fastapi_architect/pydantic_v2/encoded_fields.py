"""Which fields hold values of the types a model's ``json_encoders`` names, and how (PYD020).

V1's ``.json()`` ran an encoder on every value of its type anywhere in ``.dict()``'s output
(its class's MRO looked up in the dict), nested models and containers included. A field
serializer sees only the field's own value, so a conversion is faithful only when each
field holds an encoded type at its top (``X``, ``Optional[X]``, ``Union[X, str]``) and
nowhere else: not inside a container, a nested model, ``Any`` or a type this module cannot
see into. ``classify`` tells which, with the reason when a field is out of reach.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from fastapi_architect.astutil import last_name

SAFE = frozenset(
    {
        "builtins.str",
        "builtins.int",
        "builtins.float",
        "builtins.bool",
        "builtins.bytes",
        "decimal.Decimal",
        "uuid.UUID",
        "pathlib.Path",
        "datetime.date",
        "datetime.datetime",
        "datetime.time",
        "datetime.timedelta",
        "typing.Literal",
        "typing_extensions.Literal",
        *(
            f"pydantic.{name}"
            for name in [
                "StrictStr",
                "StrictInt",
                "StrictFloat",
                "StrictBool",
                "StrictBytes",
                "AnyUrl",
                "AnyHttpUrl",
                "HttpUrl",
                "EmailStr",
                "NameEmail",
                "PositiveInt",
                "NegativeInt",
                "NonNegativeInt",
                "NonPositiveInt",
                "PositiveFloat",
                "NegativeFloat",
                "NonNegativeFloat",
                "NonPositiveFloat",
                "UUID1",
                "UUID3",
                "UUID4",
                "UUID5",
                "SecretStr",
                "SecretBytes",
                "FilePath",
                "DirectoryPath",
                "ConstrainedStr",
                "ConstrainedInt",
                "ConstrainedFloat",
                "constr",
                "conint",
                "confloat",
                "conbytes",
                "condecimal",
            ]
        ),
    }
)
"""Types whose values are never an instance of another type an encoder could name (unless
that very type is a key; ``datetime`` under a ``date`` key is handled apart)."""
CONTAINERS = (
    frozenset(
        f"typing.{name}"
        for name in [
            "List",
            "Dict",
            "Set",
            "FrozenSet",
            "Tuple",
            "Sequence",
            "Mapping",
            "MutableMapping",
            "MutableSequence",
            "Iterable",
            "Collection",
            "Deque",
            "DefaultDict",
            "OrderedDict",
            "Annotated",
        ]
    )
    | frozenset(
        {"builtins.list", "builtins.dict", "builtins.set", "builtins.frozenset", "builtins.tuple"}
    )
    | frozenset({"pydantic.conlist", "pydantic.conset", "pydantic.confrozenset"})
)
"""Generic types and constrained containers: safe when every argument is."""
UNIONS = frozenset({"typing.Optional", "typing.Union"})
PLAIN = frozenset({"builtins.str", "builtins.int", "builtins.float", "builtins.bool"})
"""Values ``json.dumps`` writes itself, as Pydantic does."""
SEQUENCES = frozenset(
    {"typing.List", "typing.Set", "typing.FrozenSet", "typing.Tuple", "typing.Sequence"}
) | frozenset({"builtins.list", "builtins.set", "builtins.frozenset", "builtins.tuple"})
MAPPINGS = frozenset({"typing.Dict", "typing.Mapping", "builtins.dict"})
ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
SUBCLASS_KEYS = {
    "datetime.datetime": "datetime.date",
    "pydantic.condecimal": "decimal.Decimal",
    "pydantic.conbytes": "builtins.bytes",
    "pydantic.StrictBytes": "builtins.bytes",
    "pydantic.UUID1": "uuid.UUID",
    "pydantic.UUID3": "uuid.UUID",
    "pydantic.UUID4": "uuid.UUID",
    "pydantic.UUID5": "uuid.UUID",
    "pydantic.FilePath": "pathlib.Path",
    "pydantic.DirectoryPath": "pathlib.Path",
}
"""A member type whose values V1 found under the key of a base class when its own is absent
(V1's constrained and special types derive from the standard ones)."""


@dataclass(frozen=True)
class FieldUse:
    """A field whose top-level value may be of an encoded type: the keys it may match, and
    whether it may also hold values of other (never encoded) types."""

    name: str
    keys: tuple[str, ...]
    mixed: bool
    deep: bool = False
    """Encoded values may also sit inside lists, tuples, sets or dict values of plain
    elements (``List[datetime]``, ``Dict[str, Optional[datetime]]``)."""


class Unreachable(Exception):
    """The field holds an encoded type where a field serializer cannot reach it."""


Resolve = Callable[[str], str]
"""Canonical name (``datetime.datetime``) of a dotted name read in the declaring module."""
NestedCheck = Callable[[str], str | None]
"""For a canonical name: ``""`` when it is a model whose fields hold no encoded type, a
reason when it is a model that may, None when it is no model."""


def classify(
    name: str,
    annotation: ast.expr,
    keys: frozenset[str],
    resolve: Resolve,
    nested: NestedCheck,
    safe_local: frozenset[str] = frozenset(),
    derived: Mapping[str, str] | None = None,
) -> FieldUse | None:
    """``FieldUse`` for a field holding an encoded type at its top, None for a field that never
    holds one; raises ``Unreachable`` when one may sit deeper or the type cannot be seen.
    ``derived``: classes of the module deriving from an encoded type → that type."""
    checker = _Checker(keys, resolve, nested, safe_local, derived or {})
    found: list[str] = []
    mixed = deep = False
    for member in _members(annotation, resolve):
        if isinstance(member, ast.Constant) and member.value is None:
            continue
        key = checker.key_of(member)
        if key is not None:
            if key not in found:
                found.append(key)
            continue
        inside = checker.walkable(member)
        if inside:
            found.extend(k for k in inside if k not in found)
            deep = True
            continue
        checker.require_safe(member, name)
        mixed = True
    if not found:
        return None
    return FieldUse(name, tuple(found), mixed, deep)


def _members(annotation: ast.expr, resolve: Resolve) -> list[ast.expr]:
    """The alternatives of a top-level ``Optional`` / ``Union`` / ``|`` (nested ones too)."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return [*_members(annotation.left, resolve), *_members(annotation.right, resolve)]
    if isinstance(annotation, ast.Subscript):
        dotted = _dotted(annotation.value)
        if dotted is not None and resolve(dotted) in UNIONS:
            inner = annotation.slice
            elements = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            return [m for element in elements for m in _members(element, resolve)]
    return [annotation]


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head is not None else None
    return None


@dataclass
class _Checker:
    keys: frozenset[str]
    resolve: Resolve
    nested: NestedCheck
    safe_local: frozenset[str]
    derived: Mapping[str, str]

    def key_of(self, member: ast.expr) -> str | None:
        """The key whose encoder V1 ran on values of ``member`` (its class or a base)."""
        dotted = _dotted(member.func if isinstance(member, ast.Call) else member)
        if dotted is None:
            return None
        canonical = self.resolve(dotted)
        if isinstance(member, ast.Call):
            parent = SUBCLASS_KEYS.get(canonical)
            return parent if parent in self.keys else None
        if canonical in self.keys:
            return canonical
        if canonical in self.derived:
            return self.derived[canonical]
        parent = SUBCLASS_KEYS.get(canonical)
        return parent if parent in self.keys else None

    def walkable(self, node: ast.expr) -> list[str] | None:
        """The encoded types inside ``node`` when it is built only of lists, tuples, sets,
        ``str`` / ``int`` keyed dicts, ``Optional`` / ``Union``, plain ``str`` / ``int`` /
        ``float`` / ``bool`` and encoded types, which a walk over the value encodes exactly;
        None for anything else."""
        if isinstance(node, ast.Constant):
            return [] if node.value is None or node.value is Ellipsis else None
        key = self.key_of(node)
        if key is not None:
            return [key]
        dotted = _dotted(node.value if isinstance(node, ast.Subscript) else node)
        canonical = self.resolve(dotted) if dotted is not None else ""
        if not isinstance(node, ast.Subscript):
            return [] if canonical in PLAIN else None
        inner = node.slice
        args = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        if canonical in ANNOTATED:
            return self.walkable(args[0])
        if canonical in MAPPINGS:
            if len(args) != 2 or self.walkable(args[0]) != [] or not _plain_key(args[0], self):
                return None
            args = args[1:]
        elif canonical not in SEQUENCES and canonical not in UNIONS:
            return None
        found: list[str] = []
        for arg in args:
            inside = self.walkable(arg)
            if inside is None:
                return None
            found.extend(k for k in inside if k not in found)
        return found

    def require_safe(self, node: ast.expr, field: str) -> None:
        """Raise ``Unreachable`` unless no value of ``node`` can hold an encoded type."""
        shown = ast.unparse(node)
        if isinstance(node, ast.Constant):
            if node.value is None or node.value is Ellipsis:
                return
            raise Unreachable(f"`{field}` has a string annotation (`{shown}`)")
        if self.key_of(node) is not None:
            raise Unreachable(
                f"`{field}` may hold encoded values inside other types (`{shown}`), "
                "which V1 encoded too"
            )
        if isinstance(node, ast.Subscript | ast.Call):
            outer = node.value if isinstance(node, ast.Subscript) else node.func
            dotted = _dotted(outer)
            canonical = self.resolve(dotted) if dotted is not None else ""
            if isinstance(node, ast.Call) and canonical in SAFE:
                return
            if canonical in {"typing.Literal", "typing_extensions.Literal"}:
                return
            if canonical in CONTAINERS or canonical in UNIONS:
                if isinstance(node, ast.Subscript):
                    inner = node.slice
                    args = inner.elts if isinstance(inner, ast.Tuple) else [inner]
                    if canonical == "typing.Annotated":
                        args = args[:1]
                else:
                    args = list(node.args[:1]) + [
                        k.value for k in node.keywords if k.arg == "item_type"
                    ]
                for arg in args:
                    self.require_safe(arg, field)
                return
            raise Unreachable(f"`{field}`: `{shown}` is a type V1's encoders may have reached into")
        dotted = _dotted(node)
        if dotted is None:
            raise Unreachable(f"`{field}`: `{shown}` is not a type this check can read")
        canonical = self.resolve(dotted)
        if canonical in SAFE or dotted in self.safe_local:
            return
        if canonical in {"typing.Any", "builtins.object"}:
            raise Unreachable(
                f"`{field}` may hold encoded values (`{shown}`), which V1 encoded too"
            )
        reason = self.nested(canonical)
        if reason == "":
            return
        if reason is not None:
            raise Unreachable(f"`{field}` holds the nested model `{shown}`: {reason}")
        raise Unreachable(
            f"`{field}`: `{shown}` is a type V1's encoders may have reached into "
            "(not known to hold no encoded value)"
        )


def _plain_key(node: ast.expr, checker: _Checker) -> bool:
    """True for a dict key type ``str`` / ``int`` (both JSON writers make them strings)."""
    dotted = _dotted(node)
    return dotted is not None and checker.resolve(dotted) in {"builtins.str", "builtins.int"}


def local_safe_classes(tree: ast.Module) -> frozenset[str]:
    """Classes of the module deriving from ``str``, ``int`` or an ``...Enum`` (V1's
    ``json.dumps`` wrote ``str`` / ``int`` subclasses itself; enum members are values)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = [last_name(b) or "" for b in node.bases]
            if any(b in ("str", "int") or b.endswith("Enum") for b in bases):
                found.add(node.name)
    return frozenset(found)
