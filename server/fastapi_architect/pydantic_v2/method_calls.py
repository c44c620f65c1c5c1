"""V1 model methods → their V2 names, only on receivers known to be models (PYD014).

``user.dict()`` → ``user.model_dump()``, ``User.parse_obj(d)`` → ``User.model_validate(d)``,
``User.__fields__`` → ``User.model_fields``, ... where ``receivers`` proves the receiver is a
model class or instance of this file. ``response.json()`` or ``data.copy()`` are never touched.
Arguments V2 dropped (``.json(encoder=...)``, ``.copy(include=...)``, ...) are reported, as is
``.from_orm()`` on a model whose config does not visibly set ``orm_mode`` / ``from_attributes``.
"""

from __future__ import annotations

import ast
import re

from fastapi_architect.pydantic_v2.analysis import ModelClass, reads_attributes
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.field_reads import FieldReads, field_value_reads, parent_map
from fastapi_architect.pydantic_v2.findings import METHOD_CODE
from fastapi_architect.pydantic_v2.forward_refs import rebuild_arguments, rebuild_problem
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels
from fastapi_architect.pydantic_v2.names import dotted_name
from fastapi_architect.pydantic_v2.receivers import Occurrence, collect
from fastapi_architect.pydantic_v2.root_models import is_root_model
from fastapi_architect.pydantic_v2.source import Replacement, Source

INSTANCE_METHODS = {"dict": "model_dump", "json": "model_dump_json", "copy": "model_copy"}
CLASS_METHODS = {
    "parse_obj": "model_validate",
    "parse_raw": "model_validate_json",
    "from_orm": "model_validate",
    "schema": "model_json_schema",
    "update_forward_refs": "model_rebuild",
    "construct": "model_construct",
}
REPORTED_CLASS_METHODS = {
    "parse_file": "V2 has no `parse_file`: read the file and call `.model_validate_json(text)`",
    "schema_json": "V2 has no `schema_json`: use `json.dumps(Model.model_json_schema())`",
}
FIELDS = "__fields__"
SKIP_DEFAULTS = "skip_defaults"

DUMP_KEYWORDS = frozenset(
    {"include", "exclude", "by_alias", "exclude_unset", "exclude_defaults", "exclude_none"}
)
ALLOWED_KEYWORDS: dict[str, frozenset[str]] = {
    "dict": DUMP_KEYWORDS,
    "json": DUMP_KEYWORDS | {"indent"},
    "copy": frozenset({"update", "deep"}),
    "parse_obj": frozenset(),
    "parse_raw": frozenset(),
    "from_orm": frozenset(),
    "schema": frozenset({"by_alias", "ref_template"}),
    "construct": frozenset({"_fields_set"}),
}
POSITIONAL_LIMIT = {"parse_obj": 1, "parse_raw": 1, "from_orm": 1}
KEYWORD_REASONS = {
    "skip_defaults": "`skip_defaults` is gone in V2: use `exclude_unset`",
    "encoder": "`encoder=` is gone in V2: use a `@field_serializer` / `@model_serializer`",
    "models_as_dict": "`models_as_dict=` is gone in V2: serialise nested models with a "
    "`@model_serializer`",
    "include": "`model_copy()` takes no `include=`",
    "exclude": "`model_copy()` takes no `exclude=`",
}
KEYS_ONLY_CALLS = frozenset({"list", "set", "sorted", "len", "tuple", "frozenset"})
V2_NAMES = frozenset(
    {*INSTANCE_METHODS.values(), *CLASS_METHODS.values(), "model_fields", "model_validate"}
)
V1_TO_KEY = {v2: v1 for v1, v2 in {**INSTANCE_METHODS, **CLASS_METHODS}.items()}
ATTRS = frozenset({*INSTANCE_METHODS, *CLASS_METHODS, *REPORTED_CLASS_METHODS, FIELDS, *V2_NAMES})
MENTIONS = re.compile(r"\.\s*(?:" + "|".join(sorted(ATTRS - V2_NAMES)) + r")\b")
"""A V1 spelling anywhere in the text: without one there is nothing to convert."""


def plan_method_calls(
    src: Source, classes: list[ModelClass], workspace: WorkspaceModels = NO_MODELS
) -> list[Conversion]:
    """A conversion for every V1 method call or ``__fields__`` read on a known model (of this
    file, or of the ``workspace`` when imported)."""
    known = workspace or any(model.known_model for model in classes)
    if not known or not MENTIONS.search(src.text):
        return []
    seen: dict[str, int] = {}
    conversions: list[Conversion] = []
    parents: dict[int, ast.AST] | None = None
    for occurrence in collect(src.tree, classes, ATTRS, workspace):
        node = occurrence.node
        kind = occurrence.scope.expr_kind(node.value)
        if kind is None:
            continue
        role, model = kind
        v1 = _v1_name(node.attr, role)
        if v1 is None:
            continue
        # Numbered per receiver over V1 and V2 spellings alike: converting one occurrence
        # leaves the keys of the others as they were.
        receiver = f"{occurrence.scope.qualname}:{_receiver_text(node.value, model)}"
        seen[receiver] = seen.get(receiver, 0) + 1
        if node.attr in V2_NAMES:
            continue
        if v1 == "dict" and is_root_model(model):
            continue  # the root model's own conversion (PYD017) decides: V2 dumps the value
        count = seen[receiver]
        key = f"{receiver}.{v1}" + (f"#{count}" if count > 1 else "")
        parent = occurrence.parent
        if v1 == FIELDS:
            if not _keys_only(occurrence):
                parents = parent_map(src.tree) if parents is None else parents
                values = field_value_reads(src, node, parents, model, _names_the_class(node, model))
            else:
                values = FieldReads()
            conversions.append(_plan_fields(src, occurrence, key, role, values))
            continue
        call = parent if isinstance(parent, ast.Call) and parent.func is node else None
        if call is None:
            continue  # a bound method passed around: its callers are unknown
        conversions.append(_plan_call(src, node, call, key, model))
    return conversions


def _v1_name(attr: str, role: str) -> str | None:
    """The V1 name the occurrence counts under, or None when it is not a V1/V2 model method
    for that kind of receiver."""
    name = V1_TO_KEY.get(attr, attr)
    if attr == "model_fields" or attr == FIELDS:
        return FIELDS
    if role == "instance" and name in INSTANCE_METHODS:
        return name
    if role == "class" and (name in CLASS_METHODS or name in REPORTED_CLASS_METHODS):
        return name
    return None


def _receiver_text(expr: ast.expr, model: ModelClass) -> str:
    """A name for the receiver in keys: the variable, or ``User()`` for an expression that
    makes an instance (whatever method makes it, so converting that method keeps the key)."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        dotted = dotted_name(expr)
        if dotted is not None:
            return dotted  # ``schemas.User``, a model read through its module
    return f"{model.qualname}()"


def _attr_span(src: Source, node: ast.Attribute) -> tuple[int, int]:
    end = src.end(node)
    return end - len(node.attr), end


def _plan_call(
    src: Source,
    node: ast.Attribute,
    call: ast.Call,
    key: str,
    model: ModelClass,
) -> Conversion:
    v1 = node.attr
    start, end = src.start(node), src.end(node)
    where = f"`.{v1}()` on `{model.qualname}`"
    if v1 in REPORTED_CLASS_METHODS:
        return refused(METHOD_CODE, key, f"{where}: {REPORTED_CLASS_METHODS[v1]}.", start, end)
    v2 = INSTANCE_METHODS.get(v1) or CLASS_METHODS[v1]
    rebuild = v1 == "update_forward_refs"
    reason = rebuild_problem(call) if rebuild else _argument_problem(v1, call)
    owner = _overrider(model, v1)
    if owner is not None:
        reason = f"`{owner}` defines its own `{v1}`, which the V2 name would bypass"
    if reason is None and v1 == "from_orm":
        reason = _orm_problem(model)
    if reason is not None:
        message = f"{where} is deprecated in V2 (`.{v2}()`); not converted: {reason}."
        return refused(METHOD_CODE, key, message, start, end)
    message = f"{where} is deprecated in V2: `.{v2}()`."
    if v1 == "json":
        message += _json_differences(call)
    if v1 == "schema":
        message += " V2 generates JSON Schema 2020-12, which differs from V1's in detail."
    at, stop = _attr_span(src, node)
    title = f"Use `.{v2}()`"
    edits = [Replacement(at, stop, v2)]
    skip = _skip_defaults(v1, call)
    if skip is not None:
        # V1 warned and read ``skip_defaults`` as ``exclude_unset``; V2 raises ``TypeError``.
        message += " `skip_defaults=` was V1's old name of `exclude_unset=`."
        at = src.start(skip)
        edits.append(Replacement(at, at + len(SKIP_DEFAULTS), "exclude_unset"))
    if rebuild and call.keywords:
        # V2 raises ``TypeError`` on the names; it reads them from ``_types_namespace``.
        message += " Its names go in `_types_namespace={...}`, where V2 reads them."
        edits.extend(rebuild_arguments(src, call))
    return Conversion(METHOD_CODE, key, title, message, start, end, edits)


JSON_VALUE_DIFFERENCES = (
    ' V2 does not escape non-ASCII characters (V1 `"\\u00e9"`, V2 `"é"`) and writes some'
    " values differently: UTC datetimes end in `Z` (V1 `+00:00`), `timedelta` is an ISO 8601"
    " duration (V1 seconds), `Decimal` a string (V1 a number), small floats `0.00001`"
    " (V1 `1e-05`), infinity and NaN `null` (V1 `Infinity` / `NaN`)."
)


def _json_differences(call: ast.Call) -> str:
    """How the text of ``.model_dump_json(...)`` differs from V1's ``.json(...)``."""
    if any(k.arg == "indent" and _indent_value(k.value) is not None for k in call.keywords):
        layout = " With `indent=` the layout is V1's, byte for byte."
    else:
        layout = " V2 writes it without spaces after `,` / `:`."
    return layout + JSON_VALUE_DIFFERENCES


def _indent_value(expr: ast.expr) -> int | None:
    """The indentation an ``indent=`` literal asks for (None: a literal ``None``)."""
    if isinstance(expr, ast.Constant) and type(expr.value) is int and expr.value >= 0:
        return expr.value
    return None


def _overrider(model: ModelClass, name: str) -> str | None:
    """The class (``model`` or a same-file base) that defines ``name`` itself, if any."""
    for stmt in model.node.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name == name:
            return model.qualname
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return model.qualname
    for base in model.bases_in_file:
        found = _overrider(base, name)
        if found is not None:
            return found
    for external in model.external_bases:
        if name in external.methods:
            return external.qualname
    return None


def _argument_problem(v1: str, call: ast.Call) -> str | None:
    limit = POSITIONAL_LIMIT.get(v1, 0)
    if len(call.args) > limit or any(isinstance(a, ast.Starred) for a in call.args):
        return f"`.{v1}()` is called with positional arguments V2 does not take"
    if v1 in POSITIONAL_LIMIT and len(call.args) < limit and not call.keywords:
        return f"`.{v1}()` is called without its argument"
    allowed = ALLOWED_KEYWORDS[v1]
    for keyword in call.keywords:
        if keyword.arg is None:
            if v1 == "construct":
                continue  # ``**values`` are field values in both
            return f"`**{ast.unparse(keyword.value)}` may pass arguments V2 does not take"
        if keyword.arg == "indent" and v1 == "json" and not _is_indent_literal(keyword.value):
            return (
                "V1 passed `indent=` to `json.dumps`, which also takes a string or a negative"
                " number; V2's `indent` takes a non-negative `int` only: write one"
            )
        if keyword.arg in allowed or (v1 == "construct" and not keyword.arg.startswith("_")):
            continue
        if _skip_defaults(v1, call) is keyword:
            continue
        if v1 in ("parse_obj", "parse_raw", "from_orm") and keyword.arg == "obj" and not call.args:
            continue
        if v1 == "parse_raw" and keyword.arg == "b" and not call.args:
            return "`.model_validate_json()` names its argument `json_data`, not `b`"
        return KEYWORD_REASONS.get(keyword.arg, f"V2 takes no `{keyword.arg}=` here")
    return None


def _skip_defaults(v1: str, call: ast.Call) -> ast.keyword | None:
    """The ``skip_defaults=`` of a ``.dict()`` / ``.json()`` call that V1 read as
    ``exclude_unset=`` (none when the call also passes ``exclude_unset=`` or ``**options``)."""
    if v1 not in ("dict", "json"):
        return None
    found = [k for k in call.keywords if k.arg == SKIP_DEFAULTS]
    others = {k.arg for k in call.keywords}
    return found[0] if found and not others & {"exclude_unset", None} else None


def _is_indent_literal(expr: ast.expr) -> bool:
    """``indent=2`` or ``indent=None``: a value V2's ``indent`` takes as V1's did."""
    none = isinstance(expr, ast.Constant) and expr.value is None
    return none or _indent_value(expr) is not None


def _orm_problem(model: ModelClass) -> str | None:
    """Why ``Model.model_validate(orm_object)`` might not read attributes, or None."""
    found = reads_attributes(model)
    if found:
        return None
    if found is None:
        return (
            "the config of a base class in another file is not visible; when it sets "
            "`orm_mode = True`, use `.model_validate()`, otherwise pass `from_attributes=True`"
        )
    return (
        "the model's config sets neither `orm_mode` nor `from_attributes`, so V1 refused "
        "`from_orm` here; add `from_attributes=True` to the config or the call"
    )


def _plan_fields(
    src: Source,
    occurrence: Occurrence,
    key: str,
    role: str,
    reads: FieldReads | str,
) -> Conversion:
    """``reads``: how the field values it hands out are read the V2 way, or why they cannot be."""
    node = occurrence.node
    start, end = src.start(node), src.end(node)
    if isinstance(reads, str):
        message = (
            "`__fields__` is deprecated in V2 (`model_fields`); not converted: its values "
            f"are `FieldInfo` in V2, not `ModelField`: {reads}."
        )
        return refused(METHOD_CODE, key, message, start, end)
    if reads.converted:
        said = ", ".join(dict.fromkeys(reads.converted))
        message = (
            "`__fields__` is deprecated in V2: `model_fields`; its `FieldInfo` values give the "
            f"same answers read the V2 way ({said})."
        )
    else:
        message = "`__fields__` is deprecated in V2: `model_fields` (used here for its names only)."
    if role == "class":
        at, stop = _attr_span(src, node)
        replacement = Replacement(at, stop, "model_fields")
    else:
        receiver = src.segment(node.value)
        replacement = Replacement(start, end, f"type({receiver}).model_fields")
        message += " V2.11 deprecates reading it on an instance, so it is read on the class."
    edits = [replacement, *reads.edits]
    return Conversion(METHOD_CODE, key, "Use `model_fields`", message, start, end, edits)


def _names_the_class(node: ast.Attribute, model: ModelClass) -> bool:
    """True when ``X.__fields__`` reads it on the model class by its own name (not on a
    subclass that an annotation or ``cls`` may stand for)."""
    return isinstance(node.value, ast.Name) and node.value.id == model.node.name


def _keys_only(occurrence: Occurrence) -> bool:
    """True when ``X.__fields__`` is only used for its field names."""
    node, parent = occurrence.node, occurrence.parent
    if isinstance(parent, ast.Attribute) and parent.attr == "keys":
        grand = occurrence.grandparent
        return isinstance(grand, ast.Call) and grand.func is parent and not grand.args
    if isinstance(parent, ast.Compare):
        return node in parent.comparators and all(
            isinstance(op, ast.In | ast.NotIn) for op in parent.ops
        )
    if isinstance(parent, ast.For | ast.AsyncFor | ast.comprehension):
        return parent.iter is node
    if isinstance(parent, ast.Call):
        return (
            isinstance(parent.func, ast.Name)
            and parent.func.id in KEYS_ONLY_CALLS
            and parent.args == [node]
            and not parent.keywords
        )
    return False
