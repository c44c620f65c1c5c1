"""Imports of names V2 moved or removed (PYD013).

``BaseSettings`` → ``pydantic_settings``, ``validate_arguments`` → ``validate_call``,
``PyObject`` → ``ImportString``, ``pydantic.error_wrappers.ValidationError`` →
``pydantic.ValidationError``, ``pydantic.datetime_parse`` → ``pydantic.v1.datetime_parse`` (V1's
code, shipped in pydantic 2); ``as`` aliases are kept. Standard-library names V1's
``pydantic.schema`` merely re-exported (``from pydantic.schema import datetime, Optional``)
come from their own modules. Names V2 removed without a drop-in replacement (``NoneStr``,
``ErrorWrapper``, ``pydantic.typing``, ``pydantic.schema.field_schema``, ...) are reported
with what to use instead; ``pydantic.schema``'s ``schema`` / ``model_schema`` / constants are
converted by PYD023 (``schema_functions``). Under Pydantic 2 every one of these imports fails.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import MOVED_NAME_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames, top_level_imports
from fastapi_architect.pydantic_v2.schema_functions import CONVERTED as SCHEMA_CONVERTED
from fastapi_architect.pydantic_v2.schema_functions import SCHEMA_MODULE
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.pydantic_v2.v1_errors import plan_v1_errors
from fastapi_architect.pydantic_v2.v1_only_names import (
    plan_attribute_reports,
    plan_constrained_classes,
    plan_model_field,
)
from fastapi_architect.pydantic_v2.validator_registry import plan_validator_registry

MOVED: dict[tuple[str, str], tuple[str, str]] = {
    ("pydantic", "BaseSettings"): ("pydantic_settings", "BaseSettings"),
    ("pydantic.env_settings", "BaseSettings"): ("pydantic_settings", "BaseSettings"),
    ("pydantic", "validate_arguments"): ("pydantic", "validate_call"),
    ("pydantic.decorator", "validate_arguments"): ("pydantic", "validate_call"),
    ("pydantic", "PyObject"): ("pydantic", "ImportString"),
    ("pydantic.types", "PyObject"): ("pydantic", "ImportString"),
    ("pydantic.error_wrappers", "ValidationError"): ("pydantic", "ValidationError"),
}
"""``(module, name)`` → its V2 home, drop-in compatible."""

SCHEMA_REEXPORTS: dict[str, tuple[str, ...]] = {
    "datetime": ("date", "datetime", "time", "timedelta"),
    "decimal": ("Decimal",),
    "enum": ("Enum",),
    "ipaddress": (
        "IPv4Address",
        "IPv4Interface",
        "IPv4Network",
        "IPv6Address",
        "IPv6Interface",
        "IPv6Network",
    ),
    "pathlib": ("Path",),
    "typing": (
        "TYPE_CHECKING",
        "Any",
        "Callable",
        "Dict",
        "ForwardRef",
        "FrozenSet",
        "Generic",
        "Iterable",
        "List",
        "Optional",
        "Pattern",
        "Sequence",
        "Set",
        "Tuple",
        "Type",
        "TypeVar",
        "Union",
        "cast",
    ),
    "uuid": ("UUID",),
    "typing_extensions": ("Annotated", "Literal"),
    "collections": ("defaultdict",),
    "dataclasses": ("is_dataclass",),
}
"""Names V1's ``pydantic/schema.py`` imported from other libraries, which editors' automatic
imports picked up from it (``from pydantic.schema import datetime``): the same objects."""
for _module, _names in SCHEMA_REEXPORTS.items():
    for _name in _names:
        MOVED[(SCHEMA_MODULE, _name)] = (_module, _name)

SCHEMA_HINTS: dict[str, str] = {
    "get_model_name_map": "V2 names the definitions itself: read them from the keys of "
    "`$defs` in `pydantic.json_schema.models_json_schema(...)[1]`, or from the `$ref` its first "
    "result maps each `(Model, mode)` to (V2 spells names of same-named models apart otherwise)",
    "model_process_schema": "use `pydantic.json_schema.models_json_schema([(Model, "
    "'validation')], ref_template=...)`: its second result holds the model and the models it "
    "uses under `$defs`",
    "model_type_schema": "use `Model.model_json_schema()` (`properties` / `required`)",
    "field_schema": "V2 has no `ModelField`: take the field's schema from "
    "`Model.model_json_schema()['properties'][name]`, or `TypeAdapter(annotation).json_schema()`",
    "field_type_schema": "V2 has no `ModelField`: use `TypeAdapter(annotation).json_schema()`",
    "field_singleton_schema": "V2 has no `ModelField`: use `TypeAdapter(annotation).json_schema()`",
    "get_field_info_schema": "V2 has no `ModelField`: a field's title / description / "
    "examples are in `Model.model_json_schema()['properties'][name]`",
    "enum_process_schema": "use `TypeAdapter(EnumClass).json_schema()`",
    "get_annotation_from_field_info": "V2 applies `Field` constraints itself: annotate with "
    "`Annotated[T, Field(...)]`",
    "get_annotation_with_constraints": "V2 applies `Field` constraints itself: annotate with "
    "`Annotated[T, Field(...)]`",
    "get_model": "V2 dataclasses have no `__pydantic_model__`: pass the class itself to "
    "`pydantic.json_schema.model_json_schema`",
    "encode_default": "use `pydantic_core.to_jsonable_python(value)`",
    "TypeModelOrEnum": "spell it `Union[Type[BaseModel], Type[Enum]]`",
    "TypeModelSet": "spell it `Set[Union[Type[BaseModel], Type[Enum]]]`",
    "get_schema_ref": 'build the reference as `{"$ref": ref_template.format(model=name)}`',
    "get_long_model_name": 'spell it `f"{model.__module__}__{model.__qualname__}"'
    '.replace(".", "__")` (what V1 computed)',
}
for _name in (
    "get_flat_models_from_model",
    "get_flat_models_from_field",
    "get_flat_models_from_fields",
    "get_flat_models_from_models",
):
    SCHEMA_HINTS[_name] = (
        "V2 collects the nested models itself: `pydantic.json_schema.models_json_schema` puts "
        "every model the given ones use under `$defs`"
    )
"""What to use instead of the other ``pydantic.schema`` names real code imports."""

REMOVED_NAMES: dict[str, str] = {
    "NoneStr": "use `Optional[str]`",
    "NoneBytes": "use `Optional[bytes]`",
    "StrBytes": "use `Union[str, bytes]`",
    "NoneStrBytes": "use `Optional[Union[str, bytes]]`",
    "Required": "use `...` as the default, or no default",
    "ErrorWrapper": "raise `ValueError` / `PydanticCustomError` in validators, or build "
    "errors with `ValidationError.from_exception_data`",
    "parse_raw_as": "use `TypeAdapter(T).validate_json(data)`",
    "parse_file_as": "read the file and use `TypeAdapter(T).validate_json(data)`",
    "stricturl": "use `Annotated[AnyUrl, UrlConstraints(...)]`",
    "validate_model": "use `Model.model_validate(data)`",
    "ModelField": "use `Model.model_fields` (`FieldInfo`)",
    "GenericModel": "derive from `BaseModel` and `Generic[...]`",
}
for _kind in ("Bytes", "Date", "Decimal", "Float", "FrozenSet", "Int", "List", "Set", "Str"):
    REMOVED_NAMES[f"Constrained{_kind}"] = "use `Annotated[..., Field(...)]` constraints"
REMOVED_NAMES["Undefined"] = "V2's `FieldInfo.default` is `pydantic_core.PydanticUndefined`"
REMOVED_NAMES["UndefinedType"] = "use `pydantic_core.PydanticUndefinedType`"
for _kind in ("SINGLETON", "LIST", "SET", "MAPPING", "TUPLE", "TUPLE_ELLIPSIS", "SEQUENCE"):
    REMOVED_NAMES[f"SHAPE_{_kind}"] = "V2 fields have no shape: read the annotation with "
    REMOVED_NAMES[f"SHAPE_{_kind}"] += "`typing.get_origin` / `typing.get_args`"
for _kind in ("FROZENSET", "ITERABLE", "GENERIC", "DEQUE", "DICT", "DEFAULTDICT", "COUNTER"):
    REMOVED_NAMES[f"SHAPE_{_kind}"] = REMOVED_NAMES["SHAPE_LIST"]

DATETIME_PARSE_HINT = (
    "`TypeAdapter(datetime / date / time / timedelta).validate_python(x)` parses other inputs "
    "than V1 did: `parse_datetime` rejected a date-only `'2032-04-23'` (str or bytes) and a "
    "`date`, and took `True`, `1e20` and `'infinity'`; `parse_date` took unix timestamps (int, "
    "float, numeric strings, milliseconds); `parse_time` took numeric strings (`'3600'`) and "
    "gave naive times for numbers (V2 adds UTC); `parse_duration` read numeric strings as "
    "seconds and `'10:20'` as 10 min 20 s (V2: 10 h 20 min)"
)
"""Measured by ``tests/pydantic_v2/test_behaviour_datetime_parse.py`` (V1's functions against
``TypeAdapter`` over ISO strings, dates, timestamps, durations and invalid inputs)."""

V1_DATETIME_PARSE = "pydantic.v1.datetime_parse"
DATETIME_PARSE_FIX = (
    "`pydantic.datetime_parse` does not exist in Pydantic V2: import it from "
    f"`{V1_DATETIME_PARSE}`, which is V1's own code shipped inside Pydantic 2 (it imports "
    "without a model and parses exactly as before). " + DATETIME_PARSE_HINT + "."
)
"""PYD013's message for every ``pydantic.datetime_parse`` import (converted, not reported)."""

REMOVED_MODULES: dict[str, str] = {
    "pydantic.typing": "use `typing` / `typing_extensions`",
    "pydantic.error_wrappers": "V2 has no error wrappers",
    "pydantic.env_settings": "install `pydantic-settings` and import from `pydantic_settings`",
    "pydantic.utils": "the V1 helpers live in `pydantic.v1.utils`",
    "pydantic.schema": "V1's schema generator is gone: use `Model.model_json_schema()`, or "
    "`pydantic.json_schema.models_json_schema` for several models (definitions under `$defs`), "
    "or `TypeAdapter(T).json_schema()` for a type",
}
TITLE = "Import the V2 name"

ALIAS_TYPES: dict[str, str] = {
    "NoneStr": "Optional[str]",
    "NoneBytes": "Optional[bytes]",
    "StrBytes": "Union[str, bytes]",
    "NoneStrBytes": "Optional[Union[str, bytes]]",
}
"""V1 type aliases V2 removed, spelled with ``typing`` (``Optional`` / ``Union`` as imported)."""

PEP604_ALIAS_TYPES: dict[str, str] = {
    "NoneStr": "str | None",
    "NoneBytes": "bytes | None",
    "StrBytes": "str | bytes",
    "NoneStrBytes": "str | bytes | None",
}
"""The same types written with ``|``, for projects that target Python 3.10 or later (Pydantic
evaluates annotations at run time, so older targets need ``Optional`` / ``Union``)."""


def alias_type(alias: str, spell: Callable[[str], str], pep604: bool = False) -> str:
    """``ALIAS_TYPES[alias]`` with ``Optional`` / ``Union`` spelled by ``spell``, or its ``|``
    form when ``pep604`` (which needs no import)."""
    if pep604:
        return PEP604_ALIAS_TYPES[alias]
    return re.sub(r"\b(Optional|Union)\b", lambda m: spell(m.group(1)), ALIAS_TYPES[alias])


def bound_operands(tree: ast.AST) -> set[int]:
    """``id`` of every node an ``X | Y`` put in its place would need parentheses around
    (``NoneStr.__args__``, ``StrBytes[...]``, ``-NoneStr``, ``NoneStr + x``)."""
    bound: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Subscript):
            bound.add(id(node.value))
        elif isinstance(node, ast.Call):
            bound.add(id(node.func))
        elif isinstance(node, ast.BinOp) and not isinstance(node.op, ast.BitOr):
            bound.update((id(node.left), id(node.right)))
        elif isinstance(node, ast.UnaryOp):
            bound.add(id(node.operand))
    return bound


def plan_moved_names(src: Source, names: PydanticNames, pep604: bool = False) -> list[Conversion]:
    """A conversion for every ``from pydantic... import`` of a name V2 moved or removed
    (``pep604``: ``NoneStr`` becomes ``str | None``, not ``Optional[str]``)."""
    conversions: list[Conversion] = []
    seen: dict[str, int] = {}
    conversions.extend(_attribute_uses(src, names))
    conversions.extend(_datetime_parse_imports(src, names))
    conversions.extend(plan_v1_errors(src))
    conversions.extend(plan_validator_registry(src))
    conversions.extend(plan_attribute_reports(src, names, REMOVED_NAMES))
    for stmt in top_level_imports(src.tree.body):
        if not isinstance(stmt, ast.ImportFrom) or stmt.level or not stmt.module:
            continue
        module = stmt.module
        if module != "pydantic" and not module.startswith("pydantic."):
            continue
        if module == "pydantic.v1" or module.startswith("pydantic.v1."):
            continue
        if module == "pydantic.datetime_parse":
            whole = _datetime_parse_from(src, stmt, seen)
            if whole is not None:
                conversions.append(whole)
                continue
        for alias in stmt.names:
            base = f"import:{module}.{alias.name}"
            if alias.asname:
                base += f" as {alias.asname}"
            seen[base] = seen.get(base, 0) + 1
            key = base if seen[base] == 1 else f"{base}#{seen[base]}"
            conversion = _plan(src, names, module, alias, key, pep604)
            if conversion is not None:
                conversions.append(conversion)
    return conversions


def _plan(
    src: Source, names: PydanticNames, module: str, alias: ast.alias, key: str, pep604: bool
) -> Conversion | None:
    start, end = src.start(alias), src.end(alias)
    local = alias.asname or alias.name
    target = MOVED.get((module, alias.name))
    if module == "pydantic.datetime_parse":
        target = (V1_DATETIME_PARSE, alias.name)
    elif (module, alias.name) == ("pydantic", "datetime_parse"):
        target = ("pydantic.v1", "datetime_parse")
    if alias.name in ALIAS_TYPES and module in ("pydantic", "pydantic.types"):
        return _plan_alias(src, names, module, alias, key, pep604)
    if module == SCHEMA_MODULE and alias.name in SCHEMA_CONVERTED:
        return None  # PYD023 converts these
    if target is None:
        hint = SCHEMA_HINTS.get(alias.name) if module == SCHEMA_MODULE else None
        if hint is None and module.startswith("pydantic"):
            hint = REMOVED_NAMES.get(alias.name)
        if hint is None and module in REMOVED_MODULES:
            hint = REMOVED_MODULES[module]
        if hint is None:
            return None
        converted = plan_model_field(src, module, alias, key, hint) or plan_constrained_classes(
            src, names, module, alias, key
        )
        if converted is not None:
            return converted
        message = f"`{module}.{alias.name}` does not exist in Pydantic V2: {hint}."
        return refused(MOVED_NAME_CODE, key, message, start, end)
    new_module, new_name = target
    replacements: list[Replacement] = []
    asname = alias.asname
    if alias.asname is None and new_name != alias.name:
        other = names.other_bindings.get(new_name)
        if other is not None:
            message = (
                f"`{alias.name}` is `{new_name}` in Pydantic V2, but `{new_name}` in this "
                f"module is {other}; rename by hand."
            )
            return refused(MOVED_NAME_CODE, key, message, start, end)
        for node in ast.walk(src.tree):
            if isinstance(node, ast.Name) and node.id == alias.name:
                replacements.append(Replacement(src.start(node), src.end(node), new_name))
    where = f"`{new_module}`" + (
        " (install `pydantic-settings`)" if new_module == "pydantic_settings" else ""
    )
    message = (
        f"`{module}.{alias.name}` is `{new_module}.{new_name}` in Pydantic V2: "
        f"import it from {where}."
    )
    if module == SCHEMA_MODULE:
        message = (
            f"`{module}.{alias.name}` fails to import under Pydantic V2: it is "
            f"`{new_module}.{new_name}`, which V1's `{module}` only re-exported; import it "
            f"from `{new_module}`."
        )
    if new_module.startswith("pydantic.v1"):
        message = DATETIME_PARSE_FIX
    title = f"Import `{new_name}` from `{new_module}`"
    return Conversion(
        MOVED_NAME_CODE,
        key,
        title,
        message,
        start,
        end,
        replacements,
        {ImportBinding(new_module, new_name, asname)},
        remove={local},
    )


def _plan_alias(
    src: Source, names: PydanticNames, module: str, alias: ast.alias, key: str, pep604: bool
) -> Conversion:
    """``NoneStr`` → ``Optional[str]`` (``str | None`` when ``pep604``) at every use, and the
    import goes."""
    start, end = src.start(alias), src.end(alias)
    local = alias.asname or alias.name
    wanted = (PEP604_ALIAS_TYPES if pep604 else ALIAS_TYPES)[alias.name]
    prefix = f"`{module}.{alias.name}` does not exist in Pydantic V2: use `{wanted}`"
    add: set[ImportBinding] = set()

    def spell(name: str) -> str:
        for bound, canonical in names.typing_from.items():
            if canonical == name:
                return bound
        other = names.other_bindings.get(name)
        if other is not None:
            raise ValueError(f"`{name}` in this module is {other}")
        add.add(ImportBinding("typing", name))
        return name

    try:
        spelled = alias_type(alias.name, spell, pep604)
    except ValueError as error:
        return refused(
            MOVED_NAME_CODE, key, f"{prefix}; not converted automatically: {error}.", start, end
        )
    replacements: list[Replacement] = []
    bound = bound_operands(src.tree) if pep604 else set()
    for node in ast.walk(src.tree):
        if isinstance(node, ast.Name) and node.id == local:
            text = f"({spelled})" if id(node) in bound else spelled
            replacements.append(Replacement(src.start(node), src.end(node), text))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.search(rf"\b{re.escape(local)}\b", node.value)
        ):
            reason = f"`{local}` is also named inside a string (a quoted annotation?)"
            return refused(
                MOVED_NAME_CODE,
                key,
                f"{prefix}; not converted automatically: {reason}.",
                start,
                end,
            )
    return Conversion(
        MOVED_NAME_CODE,
        key,
        f"Replace `{local}` with `{spelled}`",
        f"{prefix}.",
        start,
        end,
        replacements,
        add,
        remove={local},
    )


def _attribute_uses(src: Source, names: PydanticNames) -> list[Conversion]:
    """``pydantic.validate_arguments`` / ``pd.PyObject`` / ``pydantic.BaseSettings`` uses: one
    conversion per name for the whole module, reported on its first use; ``pydantic.NoneStr``
    and the other removed aliases are reported."""
    wanted = {name for module, name in MOVED if module == "pydantic"} | set(ALIAS_TYPES)
    if not any(f".{name}" in src.text for name in wanted):
        return []  # the tree walk below is the costly part: skip it when no name can match
    uses: dict[tuple[str, str], list[ast.Attribute]] = {}
    for node in ast.walk(src.tree):
        if isinstance(node, ast.Attribute) and moved_attribute(node, names) is not None:
            uses.setdefault((ast.unparse(node.value), node.attr), []).append(node)
    conversions: list[Conversion] = []
    for (owner, name), nodes in sorted(uses.items()):
        nodes.sort(key=lambda n: (n.lineno, n.col_offset))
        first = nodes[0]
        key = f"use:{owner}.{name}"
        count = f" ({len(nodes)} uses)" if len(nodes) > 1 else ""
        if name in ALIAS_TYPES or names.modules_of(first.value) != {"pydantic"}:
            hint = REMOVED_NAMES.get(name) or "use `{}.{}`".format(*MOVED[("pydantic", name)])
            message = f"`{owner}.{name}` does not exist in Pydantic V2{count}: {hint}."
            conversions.append(
                refused(MOVED_NAME_CODE, key, message, src.start(first), src.end(first))
            )
            continue
        new_module, new_name = MOVED[("pydantic", name)]
        message = f"`pydantic.{name}` is `{new_module}.{new_name}` in Pydantic V2{count}."
        add: set[ImportBinding] = set()
        if new_module == "pydantic":
            spelled = f"{owner}.{new_name}"
        else:
            other = names.other_bindings.get(new_module)
            if other is not None:
                reason = f"`{new_module}` in this module is {other}"
                conversions.append(
                    refused(
                        MOVED_NAME_CODE,
                        key,
                        f"{message[:-1]}; not converted automatically: {reason}.",
                        src.start(first),
                        src.end(first),
                    )
                )
                continue
            spelled = f"{new_module}.{new_name}"
            add.add(ImportBinding(None, new_module))
        conversions.append(
            Conversion(
                MOVED_NAME_CODE,
                key,
                f"Use `{spelled}`",
                message,
                src.start(first),
                src.end(first),
                [Replacement(src.start(n), src.end(n), spelled) for n in nodes],
                add,
            )
        )
    return conversions


def moved_attribute(node: ast.expr, names: PydanticNames) -> str | None:
    """The V1 name ``node`` reads when it is an attribute of a Pydantic module
    (``pydantic.PyObject``, ``pd.NoneStr``, ``types.NoneStr`` after ``from pydantic import
    types``) that V2 moved or removed, else None."""
    if not isinstance(node, ast.Attribute):
        return None
    if ("pydantic", node.attr) not in MOVED and node.attr not in ALIAS_TYPES:
        return None
    return node.attr if names.refers_to(node, node.attr) else None


def _datetime_parse_imports(src: Source, names: PydanticNames) -> list[Conversion]:
    """``import pydantic.datetime_parse [as dp]`` → ``import pydantic.v1.datetime_parse [as
    dp]``; without ``as``, every ``pydantic.datetime_parse`` use is rewritten with it."""
    if "datetime_parse" not in src.text:
        return []
    conversions: list[Conversion] = []
    for stmt in top_level_imports(src.tree.body):
        if not isinstance(stmt, ast.Import):
            continue
        for alias in stmt.names:
            if alias.name != "pydantic.datetime_parse":
                continue
            start, end = src.start(alias), src.end(alias)
            key = "import:pydantic.datetime_parse" + (f" as {alias.asname}" if alias.asname else "")
            spelled = V1_DATETIME_PARSE + (f" as {alias.asname}" if alias.asname else "")
            replacements = [Replacement(start, end, spelled)]
            if alias.asname is None:
                replacements.extend(
                    Replacement(src.start(node), src.end(node), V1_DATETIME_PARSE)
                    for node in ast.walk(src.tree)
                    if isinstance(node, ast.Attribute)
                    and node.attr == "datetime_parse"
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "pydantic"
                )
            title = f"Import `{V1_DATETIME_PARSE}`"
            conversions.append(
                Conversion(
                    MOVED_NAME_CODE, key, title, DATETIME_PARSE_FIX, start, end, replacements
                )
            )
    if not conversions and names.modules.get("pydantic") == "pydantic":
        conversions.extend(_datetime_parse_attributes(src))
    return conversions


def _datetime_parse_attributes(src: Source) -> list[Conversion]:
    """``import pydantic`` and ``pydantic.datetime_parse.parse_date(...)``: the uses read
    ``pydantic.v1.datetime_parse`` and that module is imported."""
    uses = [
        node
        for node in ast.walk(src.tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "datetime_parse"
        and isinstance(node.value, ast.Name)
        and node.value.id == "pydantic"
    ]
    if not uses:
        return []
    uses.sort(key=lambda n: (n.lineno, n.col_offset))
    first = uses[0]
    return [
        Conversion(
            MOVED_NAME_CODE,
            "use:pydantic.datetime_parse",
            f"Use `{V1_DATETIME_PARSE}`",
            DATETIME_PARSE_FIX,
            src.start(first),
            src.end(first),
            [Replacement(src.start(n), src.end(n), V1_DATETIME_PARSE) for n in uses],
            {ImportBinding(None, V1_DATETIME_PARSE)},
        )
    ]


def _datetime_parse_from(
    src: Source, stmt: ast.ImportFrom, seen: dict[str, int]
) -> Conversion | None:
    """``from pydantic.datetime_parse import ...`` → ``from pydantic.v1.datetime_parse import
    ...``, edited in place (the statement keeps its position among the imports); None when the
    module name is not spelled plainly."""
    match = re.match(r"from\s+(pydantic\.datetime_parse)\b", src.segment(stmt))
    if match is None:
        return None
    base = "import:pydantic.datetime_parse"
    seen[base] = seen.get(base, 0) + 1
    key = base if seen[base] == 1 else f"{base}#{seen[base]}"
    start = src.start(stmt) + match.start(1)
    end = src.start(stmt) + match.end(1)
    title = f"Import from `{V1_DATETIME_PARSE}`"
    replacement = Replacement(start, end, V1_DATETIME_PARSE)
    return Conversion(MOVED_NAME_CODE, key, title, DATETIME_PARSE_FIX, start, end, [replacement])
