"""What V1 code reads from ``Model.__fields__[name]`` said the V2 way (part of PYD014).

V1's ``__fields__`` values are ``ModelField`` objects; V2's ``model_fields`` values are
``FieldInfo`` objects with other attributes. A read is converted only where the V2 spelling gives
the same value: ``.required`` → ``.is_required()``, ``.has_alias`` → ``.alias is not None``,
``.alias`` → ``.alias or "name"`` (V1 gave the field name when there was no alias, V2 gives
None; only where the name is known), ``.field_info.description`` / ``.title`` → ``.description``
/ ``.title``, ``.default_factory`` as it is, ``.default`` where the field's declaration shows a
plain default (V2 gives ``PydanticUndefined`` where V1 gave None), ``.outer_type_`` / ``.type_``
→ ``.annotation`` where this file declares the field as a plain builtin class. Every other read
(``.outer_type_``, ``.type_``, ``.allow_none``, ...) is reported with the V2 spelling.

The field object is followed through ``X.__fields__[k]``, ``X.__fields__.get(k)``, a name it
is assigned to (``f = ...``, ``if f := ...``) and ``for k, f in X.__fields__.items()`` /
``.values()``; a name bound twice, or a field object passed anywhere else, is reported.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from fastapi_architect.astutil import last_name
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.names import PydanticNames, read_names
from fastapi_architect.pydantic_v2.source import Replacement, Source

SAME_NAME = frozenset({"default_factory"})
"""``ModelField`` attributes ``FieldInfo`` has with the same value."""
FIELD_INFO_SAME = frozenset({"description", "title"})
"""``field.field_info.X`` that V2 reads as ``field.X``."""
NO_COUNTERPART = (
    "V2's `FieldInfo` has no `.{attr}`: inspect `.annotation` with `typing.get_origin` / "
    "`typing.get_args`"
)
V2_SPELLING: dict[str, str] = {
    "alias": "V2's `.alias` is None for a field without an alias (V1 gave the field name): "
    "write `.alias or name`",
    "outer_type_": "V2 has `.annotation`, which keeps `Optional[...]` and constraints "
    "(V1's `.outer_type_` dropped `Optional`)",
    "type_": "V2 has `.annotation`, the whole declared type (V1's `.type_` was the item type: "
    "`int` for `List[int]`)",
    "default": "V2's `.default` is `PydanticUndefined` for a required field or one with a "
    "`default_factory` (V1 gave None)",
    "get_default": "V2's `.get_default(call_default_factory=True)` returns `PydanticUndefined` "
    "for a required field (V1 gave None)",
    "name": "V2's `FieldInfo` has no name: use the `model_fields` key",
    "allow_none": "V2 has no `.allow_none`: test whether `None` is in "
    "`typing.get_args(field.annotation)`",
    "field_info": "V2's `model_fields[name]` is the `FieldInfo` itself: drop `.field_info`",
    "validators": "V2 keeps validators in `Model.__pydantic_decorators__`, not on the field",
    "pre_validators": "V2 keeps validators in `Model.__pydantic_decorators__`, not on the field",
    "post_validators": "V2 keeps validators in `Model.__pydantic_decorators__`, not on the field",
    "class_validators": "V2 keeps validators in `Model.__pydantic_decorators__`, not on the field",
    "validate_always": "V2 has `.validate_default` (None unless the field sets it)",
    "model_config": "V2 keeps the config on the model: `Model.model_config`",
}
BUILTIN_TYPES = frozenset(
    {"int", "str", "float", "bool", "bytes", "complex", "dict", "list", "set", "frozenset", "tuple"}
)
PLAIN_FIELD_KEYWORDS = frozenset(
    {"default", "default_factory", "alias", "title", "description", "example", "examples"}
)
"""``Field`` arguments that leave V1's ``outer_type_`` the declared class (no constraint)."""
TRUTH_TESTS = (ast.If, ast.While, ast.IfExp, ast.Assert)
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)


@dataclass
class FieldReads:
    """The edits that say a ``__fields__`` value's reads the V2 way, and what they convert."""

    edits: list[Replacement] = field(default_factory=list)
    converted: list[str] = field(default_factory=list)
    """What each converted read became (``.required`` → ``.is_required()``), or kept."""


class Refusal(Exception):
    """A read of the field object that has no faithful V2 spelling; the text says why."""


def parent_map(tree: ast.AST) -> dict[int, ast.AST]:
    """Each node's parent, by ``id``."""
    return {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def field_value_reads(
    src: Source,
    fields_node: ast.Attribute,
    parents: dict[int, ast.AST],
    model: ModelClass,
    exact_class: bool,
) -> FieldReads | str:
    """The V2 spelling of every read of the field objects ``fields_node`` (``X.__fields__``)
    hands out, or the reason one of them has none. ``exact_class``: ``X`` is the model class
    itself (not a subclass it may stand for), so its declarations tell the defaults."""
    reads = FieldReads()
    follower = _Follower(src, parents, model if exact_class else None, reads)
    try:
        follower.from_mapping(fields_node)
    except Refusal as refusal:
        return str(refusal)
    return reads


@dataclass
class _Follower:
    src: Source
    parents: dict[int, ast.AST]
    model: ModelClass | None
    reads: FieldReads
    names: PydanticNames | None = None

    def from_mapping(self, node: ast.Attribute) -> None:
        parent = self.parents.get(id(node))
        if isinstance(parent, ast.Subscript) and parent.value is node:
            if not isinstance(parent.ctx, ast.Load):
                raise Refusal("`__fields__` is written to")
            self.value(parent, _direct_key(parent.slice))
            return
        call = self.parents.get(id(parent)) if isinstance(parent, ast.Attribute) else None
        if not (isinstance(parent, ast.Attribute) and isinstance(call, ast.Call)):
            raise Refusal("the `__fields__` mapping is passed on, so its uses are unknown")
        if call.func is not parent or call.keywords:
            raise Refusal("the `__fields__` mapping is passed on, so its uses are unknown")
        if parent.attr == "get" and len(call.args) == 1:
            self.value(call, _direct_key(call.args[0]))
            return
        loop = self.parents.get(id(call))
        if parent.attr in ("items", "values") and not call.args and _iterates(loop, call):
            target = loop.target  # type: ignore[union-attr]
            if parent.attr == "values" and isinstance(target, ast.Name):
                self.name(target, None)
                return
            if (
                parent.attr == "items"
                and isinstance(target, ast.Tuple)
                and len(target.elts) == 2
                and all(isinstance(e, ast.Name) for e in target.elts)
            ):
                key, value = target.elts
                assert isinstance(key, ast.Name) and isinstance(value, ast.Name)
                self.name(value, key)
                return
        raise Refusal(f"`__fields__.{parent.attr}()` is used in a way not followed here")

    def value(self, expr: ast.expr, key: ast.expr | None) -> None:
        """``expr`` evaluates to one field object (or None, for ``.get``)."""
        holder = self.parents.get(id(expr))
        if isinstance(holder, ast.Attribute) and holder.value is expr:
            self.attribute(expr, holder, key)
            return
        if isinstance(holder, ast.NamedExpr) and holder.value is expr:
            self.name(holder.target, key)
            return
        if (
            isinstance(holder, ast.Assign)
            and holder.value is expr
            and len(holder.targets) == 1
            and isinstance(holder.targets[0], ast.Name)
        ):
            self.name(holder.targets[0], key)
            return
        raise Refusal("the field object is passed on, so its uses are unknown")

    def name(self, target: ast.Name, key: ast.expr | None) -> None:
        """Every read of the variable ``target`` binds, in its function."""
        scope = self._scope_of(target)
        for node in ast.walk(scope):
            if isinstance(node, ast.arg) and node.arg == target.id:
                raise Refusal(f"`{target.id}` is also a parameter name in this function")
            if not isinstance(node, ast.Name) or node.id != target.id or node is target:
                continue
            if not isinstance(node.ctx, ast.Load):
                raise Refusal(f"`{target.id}` is bound more than once, so its value is unknown")
            holder = self.parents.get(id(node))
            if isinstance(holder, ast.Attribute) and holder.value is node:
                self.attribute(node, holder, _stable_key(key, scope))
            elif not self._only_tested(node, holder):
                raise Refusal(f"`{target.id}` is passed on, so its uses are unknown")

    def _only_tested(self, node: ast.expr, holder: ast.AST | None) -> bool:
        """True when the field object is only tested for truth or for ``None`` (a boolean
        operation counts when it is itself only tested: ``x = f or g`` passes ``f`` on)."""
        if isinstance(holder, ast.UnaryOp) and isinstance(holder.op, ast.Not):
            return True
        if isinstance(holder, ast.Compare):
            others = [holder.left, *holder.comparators]
            return all(isinstance(op, ast.Is | ast.IsNot) for op in holder.ops) and all(
                other is node or (isinstance(other, ast.Constant) and other.value is None)
                for other in others
            )
        if isinstance(holder, ast.BoolOp):
            return self._only_tested(holder, self.parents.get(id(holder)))
        return isinstance(holder, TRUTH_TESTS) and getattr(holder, "test", None) is node

    def _scope_of(self, node: ast.AST) -> ast.AST:
        current: ast.AST | None = node
        while current is not None and not isinstance(current, SCOPES):
            current = self.parents.get(id(current))
        return current if current is not None else node

    def attribute(self, value: ast.expr, read: ast.Attribute, key: ast.expr | None) -> None:
        """``value.attr``: a read of one V1 ``ModelField`` attribute."""
        attr = read.attr
        if not isinstance(read.ctx, ast.Load):
            raise Refusal(f"`.{attr}` of a field is written to")
        start, end = self.src.end(read) - len(attr), self.src.end(read)
        said = f"`.{attr}`"
        if attr == "required":
            self.reads.edits.append(Replacement(start, end, "is_required()"))
            said += " → `.is_required()`"
        elif attr == "has_alias":
            self._wrap(value, start, end, "alias is not None)")
            said += " → `.alias is not None`"
        elif attr == "alias" and key is not None:
            self._wrap(value, start, end, f"alias or {self.src.segment(key)})")
            said += f" → `.alias or {self.src.segment(key)}`"
        elif attr == "field_info":
            outer = self.parents.get(id(read))
            if not (
                isinstance(outer, ast.Attribute)
                and outer.value is read
                and outer.attr in FIELD_INFO_SAME
                and isinstance(outer.ctx, ast.Load)
            ):
                raise Refusal(f"`.field_info`: {V2_SPELLING['field_info']}")
            self.reads.edits.append(Replacement(self.src.end(value), end, ""))
            said = f"`.field_info.{outer.attr}` → `.{outer.attr}`"
        elif attr == "default" and self._plain_default(key):
            pass  # the same value in both
        elif attr in ("outer_type_", "type_") and self._plain_type(key):
            self.reads.edits.append(Replacement(start, end, "annotation"))
            said += " → `.annotation`"
        elif attr not in SAME_NAME:
            reason = V2_SPELLING.get(attr, NO_COUNTERPART.format(attr=attr))
            raise Refusal(f"`.{attr}`: {reason}")
        self.reads.converted.append(said)

    def _wrap(self, value: ast.expr, start: int, end: int, text: str) -> None:
        at = self.src.start(value)
        self.reads.edits.extend([Replacement(at, at, "("), Replacement(start, end, text)])

    def _plain_type(self, key: ast.expr | None) -> bool:
        """True when the field ``key`` names is declared in this file as a plain builtin
        class, so ``.outer_type_`` / ``.type_`` equal V2's ``.annotation``."""
        if self.model is None or not isinstance(key, ast.Constant):
            return False
        fields = self.model.all_fields()
        decl = fields.get(key.value) if fields is not None and isinstance(key.value, str) else None
        if decl is None:
            return False
        if self.names is None:
            self.names = read_names(self.src.tree)
        return _declared_builtin(decl.stmt, self.names)

    def _plain_default(self, key: ast.expr | None) -> bool:
        """True when the field ``key`` names is declared with a default value (not required,
        no factory), so V1's and V2's ``.default`` are the same object."""
        if self.model is None or not isinstance(key, ast.Constant):
            return False
        statement = _declaration(self.model, key.value) if isinstance(key.value, str) else None
        return statement is not None and _has_plain_default(statement)


def _declared_builtin(stmt: ast.AnnAssign, names: PydanticNames) -> bool:
    """True when ``stmt`` declares a builtin class (``x: int``, ``x: str = Field("a")``) with no
    constraint and the module does not rebind that name: V1's ``outer_type_`` / ``type_`` and
    V2's ``annotation`` are then that class (``Optional``, containers and constraints differ)."""
    annotation = stmt.annotation
    if not isinstance(annotation, ast.Name) or annotation.id not in BUILTIN_TYPES:
        return False
    if names.tree is None or annotation.id in _module_bindings(names.tree):
        return False
    value = stmt.value
    if isinstance(value, ast.Call) and names.refers_to(value.func, "Field"):
        return all(k.arg in PLAIN_FIELD_KEYWORDS for k in value.keywords)
    return not isinstance(value, ast.Call)


def _module_bindings(tree: ast.Module) -> set[str]:
    """Names the module's top-level statements bind."""
    bound: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(stmt.name)
        elif isinstance(stmt, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).split(".")[0] for a in stmt.names)
        else:
            bound.update(
                n.id
                for n in ast.walk(stmt)
                if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)
            )
    return bound


def _iterates(loop: ast.AST | None, call: ast.Call) -> bool:
    return isinstance(loop, ast.For | ast.AsyncFor | ast.comprehension) and loop.iter is call


def _direct_key(key: ast.expr) -> ast.expr | None:
    """``key`` when writing it twice reads the same value: a string or a name."""
    literal = isinstance(key, ast.Constant) and isinstance(key.value, str)
    return key if literal or isinstance(key, ast.Name) else None


def _stable_key(key: ast.expr | None, scope: ast.AST) -> ast.expr | None:
    """``key`` when it names the field wherever the variable is read: a string, or a name
    bound once in the function (the ``for name, f in ...items()`` target)."""
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key
    if not isinstance(key, ast.Name):
        return None
    stores = [
        n
        for n in ast.walk(scope)
        if (isinstance(n, ast.Name) and n.id == key.id and not isinstance(n.ctx, ast.Load))
        or (isinstance(n, ast.arg) and n.arg == key.id)
    ]
    return key if stores == [key] else None


def _declaration(model: ModelClass, name: str) -> ast.AnnAssign | None:
    """The statement that declares field ``name`` for ``model`` (this file or a workspace
    file), when it is known."""
    fields = model.all_fields()
    if fields is not None and name in fields:
        return fields[name].stmt
    for external in model.external_bases:
        declared = external.field(name)
        if declared is not None:
            try:
                stmt = ast.parse(declared.statement.strip()).body[0]
            except (SyntaxError, IndexError):
                return None
            return stmt if isinstance(stmt, ast.AnnAssign) else None
    return None


def _has_plain_default(stmt: ast.AnnAssign) -> bool:
    value = stmt.value
    if value is None:
        return False
    if not (isinstance(value, ast.Call) and last_name(value.func) == "Field"):
        return not (isinstance(value, ast.Constant) and value.value is Ellipsis)
    if any(k.arg == "default_factory" or k.arg is None for k in value.keywords):
        return False
    given = [k.value for k in value.keywords if k.arg == "default"] or value.args[:1]
    return bool(given) and not (isinstance(given[0], ast.Constant) and given[0].value is Ellipsis)
