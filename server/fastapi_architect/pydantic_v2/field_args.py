"""``Field(...)`` arguments V2 renamed or removed (PYD011).

``regex`` → ``pattern`` (anchored at the start: V1 matched with ``re.match``, V2 searches),
``min_items`` / ``max_items`` → ``min_length`` / ``max_length``, ``allow_mutation=False`` →
``frozen=True``, ``example`` → ``examples=[...]``, and extra keyword arguments (``nullable=``,
...), which V1 copied into the JSON schema, → ``json_schema_extra={...}``. ``const=True``
with a string or enum-member default → the annotation ``Literal[default]`` (V1 accepted only
the default too; an unannotated field gets the annotation, which V2 requires; with an enum
member, a matching string input is stored as the member, which equals it and dumps alike).
``const=True`` with a name default (``Field(STAC_VERSION, const=True)``) on a ``str`` field → a
``field_validator`` that checks the validated value as V1 did, with V1's message. Other
``const``, ``unique_items``, ``include`` and a non-literal ``regex`` are reported.
"""

from __future__ import annotations

import ast
import re

from fastapi_architect.astutil import assignment_targets, last_name
from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.compiled_patterns import NOTE, RE_IMPORT, check_python_pattern
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import FIELD_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.regex_dialect import (
    UnsupportedPattern,
    anchored_at_start,
    match_start,
    python_literal,
    v2_pattern,
)
from fastapi_architect.pydantic_v2.source import Replacement, Source

TITLE = "Rename V1 `Field` arguments to V2"

V1_ARGS = frozenset(
    {
        "default",
        "default_factory",
        "alias",
        "title",
        "description",
        "exclude",
        "include",
        "const",
        "gt",
        "ge",
        "lt",
        "le",
        "multiple_of",
        "allow_inf_nan",
        "max_digits",
        "decimal_places",
        "min_items",
        "max_items",
        "unique_items",
        "min_length",
        "max_length",
        "allow_mutation",
        "regex",
        "discriminator",
        "repr",
    }
)
V2_ONLY_ARGS = frozenset(
    {
        "alias_priority",
        "validation_alias",
        "serialization_alias",
        "field_title_generator",
        "examples",
        "deprecated",
        "json_schema_extra",
        "frozen",
        "validate_default",
        "init",
        "init_var",
        "kw_only",
        "pattern",
        "strict",
        "coerce_numbers_to_str",
        "union_mode",
        "fail_fast",
    }
)
RENAMED = {"min_items": "min_length", "max_items": "max_length"}
REPORTED = {
    "unique_items": (
        "V2 has no `unique_items` and accepts duplicates: a `set[...]` annotation drops "
        "duplicates instead of rejecting them, loses the order and needs hashable items; to keep "
        "V1's rejection, keep the `list` and add a `field_validator` that raises `ValueError` "
        "when `len(set(v)) != len(v)`"
    ),
    "include": "V2's `Field` has no `include`: pass `include=` to `model_dump()`",
}
INLINE_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")
LITERAL = re.compile(r"^([rRuU]*)('''|\"\"\"|'|\")(.*)\2$", re.S)


class _Refuse(Exception):
    """A ``Field`` call that cannot be converted faithfully; the text says why."""


def plan_fields(src: Source, classes: list[ModelClass], names: PydanticNames) -> list[Conversion]:
    """A conversion for every ``Field(...)`` call in a class body that uses V1 arguments."""
    conversions: list[Conversion] = []
    if "Field" not in src.text:
        return conversions
    for model in classes:
        for stmt in model.node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                target = stmt.target.id if stmt.target.id != "__root__" else "root"  # as in V2
            elif isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
                target = stmt.targets[0].id
            else:
                continue
            lines = src.lines[stmt.lineno - 1 : stmt.end_lineno or stmt.lineno]
            if not any("Field" in line for line in lines):
                continue  # cheaper than walking every field declaration
            count = 0
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call) and _is_field(node.func, names):
                    count += 1
                    key = f"{model.qualname}.{target}:Field" + (f"#{count}" if count > 1 else "")
                    field_stmt = stmt if node is stmt.value else None
                    conversion = _plan(
                        src,
                        node,
                        key,
                        model.settings,
                        field_stmt,
                        _changes_strings(model),
                        model.node,
                        _validated_in_bases(model),
                    )
                    if conversion is not None:
                        conversions.append(conversion)
    return conversions


def statement_edits(
    src: Source, stmt: ast.stmt, names: PydanticNames, settings: bool
) -> list[Replacement]:
    """The Field-argument edits inside ``stmt`` (for a field re-declared from its text)."""
    edits: list[Replacement] = []
    for node in ast.walk(stmt):
        if isinstance(node, ast.Call) and _is_field(node.func, names):
            conversion = _plan(src, node, "", settings)
            # (a pattern kept on Python's ``re`` needs an import these edits cannot add)
            if conversion is not None and conversion.fixable and RE_IMPORT not in conversion.add:
                edits.extend(conversion.replacements)
    return edits


def _is_field(func: ast.expr, names: PydanticNames) -> bool:
    return names.refers_to(func, "Field")


def _plan(
    src: Source,
    call: ast.Call,
    key: str,
    settings: bool,
    field_stmt: ast.AnnAssign | ast.Assign | None = None,
    changes_strings: bool = False,
    class_node: ast.ClassDef | None = None,
    validated_in_bases: frozenset[str] = frozenset(),
) -> Conversion | None:
    keywords = [k for k in call.keywords if k.arg is not None]
    old = [
        k
        for k in keywords
        if k.arg in RENAMED
        or k.arg in REPORTED
        or k.arg in ("regex", "allow_mutation", "example", "const")
        or (k.arg not in V1_ARGS and k.arg not in V2_ONLY_ARGS)
    ]
    if not old:
        return None
    start, end = src.start(old[0]), src.end(old[-1])
    names = ", ".join(f"`{k.arg}`" for k in old)
    const = _Const(changes_strings, class_node)
    const.validated_in_bases = validated_in_bases
    try:
        replacements = _replacements(src, call, old, settings, field_stmt, const)
    except _Refuse as reason:
        message = f"Pydantic V1 `Field` arguments ({names}); not converted automatically: {reason}."
        return refused(FIELD_CODE, key, message, start, end)
    note = const.note + (NOTE if RE_IMPORT in const.imports else "")
    message = f"Pydantic V2 renamed or removed these `Field` arguments: {names}.{note}"
    if const.start is not None:
        # Starts at the annotation it rewrites: planned before a conversion of that
        # annotation (``constr(...)``), which it replaces.
        start = const.start
    conversion = Conversion(FIELD_CODE, key, TITLE, message, start, end, replacements)
    if const.start is not None:
        conversion.add.add(ImportBinding("typing", "Literal"))
        conversion.consumed = const.consumed
    conversion.add.update(const.imports)
    return conversion


class _Const:
    """What a ``const=True`` conversion did besides its edits: where its annotation starts and
    which names the annotation it replaced used."""

    def __init__(
        self, changes_strings: bool = False, class_node: ast.ClassDef | None = None
    ) -> None:
        self.start: int | None = None
        self.class_node = class_node
        self.note = ""
        self.validated_in_bases: frozenset[str] = frozenset()
        """Fields a same-file base validates (``"*"``: every field)."""
        """The model class (for a ``const`` that becomes a validator in its body)."""
        self.consumed: dict[str, int] = {}
        self.imports: set[ImportBinding] = set()
        self.changes_strings = changes_strings
        """The model's config strips or re-cases strings before V1 compared them."""


STRING_CHANGING_CONFIG = frozenset(
    {
        "anystr_strip_whitespace",
        "anystr_lower",
        "anystr_upper",
        "str_strip_whitespace",
        "str_to_lower",
        "str_to_upper",
    }
)
STRING_CHANGING_CONSTR = frozenset({"strip_whitespace", "to_lower", "to_upper", "curtail_length"})


def _changes_strings(model: ModelClass) -> bool:
    """True when the model's config (or a same-file base's) strips or re-cases strings:
    V1 compared a ``const`` after that change, ``Literal`` compares the raw input."""
    for stmt in model.node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in ast.walk(stmt):
                if isinstance(inner, ast.Name) and inner.id in STRING_CHANGING_CONFIG:
                    return True
        elif (
            isinstance(stmt, ast.Assign | ast.AnnAssign)
            and isinstance(stmt.value, ast.Call)
            and any(k.arg in STRING_CHANGING_CONFIG for k in stmt.value.keywords)
        ):
            return True
    return any(_changes_strings(base) for base in model.bases_in_file)


def _numeric_text(text: str) -> bool:
    """``"1"``, ``"2.5"``: V1's ``str`` took the number too (``str(1) == "1"``)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _const_type_refusal(annotation: ast.expr | None, default: ast.expr) -> str | None:
    """Why ``Literal[default]`` would accept or reject other inputs than V1's ``const`` on a
    field annotated ``annotation`` did, or None when it is faithful."""
    if isinstance(default, ast.Constant) and isinstance(default.value, str):
        if _numeric_text(default.value):
            return (
                f"V1's `str` also took the number {default.value} for this `const`, "
                "`Literal[...]` does not; annotate the field by hand"
            )
        allowed = {"str"}
    else:
        allowed = {"str", last_name(_root_name(default)) or "str"}
    if annotation is None or _may_be_none(annotation):
        return None  # an optional field has its own refusal
    if isinstance(annotation, ast.Name) and annotation.id in allowed:
        return None
    if isinstance(annotation, ast.Call) and last_name(annotation.func) == "constr":
        if any(k.arg in STRING_CHANGING_CONSTR for k in annotation.keywords):
            return (
                "the `constr(...)` changes the string before V1 compared it with the "
                "`const`; `Literal[...]` compares the raw input — annotate the field by hand"
            )
        return None
    return (
        "V1 converted the input to the field's annotated type before comparing it with the "
        "`const`; `Literal[...]` compares the raw input — annotate the field by hand"
    )


def _root_name(node: ast.expr) -> ast.expr:
    """``Color`` for ``Color.RED``, ``models.Color`` for ``models.Color.RED``."""
    return node.value if isinstance(node, ast.Attribute) else node


def _const_edits(
    src: Source,
    call: ast.Call,
    keyword: ast.keyword,
    field_stmt: ast.AnnAssign | ast.Assign | None,
    const: _Const,
) -> list[Replacement]:
    """``x: str = Field("a", const=True)`` → ``x: Literal["a"] = Field("a")``."""
    value = keyword.value
    if not isinstance(value, ast.Constant) or not isinstance(value.value, bool):
        raise _Refuse("only a literal `const=True/False` converts")
    if not value.value:
        return [_delete(src, call, keyword)]
    if field_stmt is None:
        raise _Refuse("V2 has no `const`: annotate the field with `Literal[...]` instead")
    given = {k.arg: k.value for k in call.keywords}
    default = given.get("default", call.args[0] if call.args else None)
    if default is None or "default_factory" in given:
        raise _Refuse("`const` without a default: annotate the field with `Literal[...]`")
    if isinstance(default, ast.Name):
        return _name_const_edits(src, call, keyword, field_stmt, const, default)
    if isinstance(default, ast.Constant) and isinstance(default.value, bool):
        return _bool_const_edits(src, call, keyword, field_stmt, const, default.value)
    if not _literal_value(default):
        raise _Refuse(
            "V2 has no `const`, and `Literal[...]` needs a string or an enum member; annotate "
            "the field by hand (V1 coerced the input to the field type before comparing)"
        )
    if const.changes_strings:
        raise _Refuse(
            "the model's config strips or re-cases strings before V1 compared them with the "
            "`const`; `Literal[...]` compares the raw input — annotate the field by hand"
        )
    annotation_given = field_stmt.annotation if isinstance(field_stmt, ast.AnnAssign) else None
    why_not = _const_type_refusal(annotation_given, default)
    if why_not is not None:
        raise _Refuse(why_not)
    literal = f"Literal[{src.segment(default)}]"
    edits = [_delete(src, call, keyword)]
    if isinstance(field_stmt, ast.AnnAssign):
        annotation = field_stmt.annotation
        if _may_be_none(annotation):
            raise _Refuse("the field also accepts `None`, which `Literal[...]` would reject")
        const.start = src.start(annotation)
        for node in ast.walk(annotation):
            if isinstance(node, ast.Name):
                const.consumed[node.id] = const.consumed.get(node.id, 0) + 1
        edits.append(Replacement(src.start(annotation), src.end(annotation), literal))
    else:
        if len(field_stmt.targets) != 1:
            raise _Refuse("V2 has no `const`: annotate the field with `Literal[...]` instead")
        target = field_stmt.targets[0]
        const.start = src.start(target)
        edits.append(Replacement(src.end(target), src.end(target), f": {literal}"))
    return edits


NAME_CONST_CHECK = """\
{indent}@field_validator("{field}")
{indent}@classmethod
{indent}def {method}(cls, {param}: str) -> str:
{indent}    if {param} != {name}:
{indent}        raise ValueError(f"unexpected value; permitted: {{{name}!r}}")
{indent}    return {param}
"""
"""V1's ``const`` check (a post-validator, after the type's own validation) with V1's message."""


def _name_const_edits(
    src: Source,
    call: ast.Call,
    keyword: ast.keyword,
    field_stmt: ast.AnnAssign | ast.Assign,
    const: _Const,
    default: ast.Name,
) -> list[Replacement]:
    """``x: str = Field(NAME, const=True)`` → ``x: str = Field(NAME)`` and a ``field_validator``
    after it that rejects any other value with V1's message, at the field's location.
    ``Literal[NAME]`` runs under pydantic 2 but mypy rejects it (``valid-type``, even for a
    ``Final`` name), and ``Literal[<its value>]`` would go stale when ``NAME`` changes."""
    why = (
        f"V2 has no `const`; `Literal[{default.id}]` is rejected by mypy and "
        f"`Literal[<its value>]` would go stale, so a `field_validator` keeps V1's check"
    )
    if not isinstance(field_stmt, ast.AnnAssign) or not isinstance(field_stmt.target, ast.Name):
        raise _Refuse(f"{why}, which needs the field annotated `str`: annotate it by hand")
    annotation = field_stmt.annotation
    str_like = (isinstance(annotation, ast.Name) and annotation.id == "str") or (
        isinstance(annotation, ast.Call)
        and last_name(annotation.func) == "constr"
        and not any(k.arg in STRING_CHANGING_CONSTR for k in annotation.keywords)
    )
    if not str_like:
        raise _Refuse(
            f"{why}, but the value of `{default.id}` is unknown here and the field is not "
            "annotated `str` (V1 converted the input to the annotated type before comparing): "
            "convert it by hand"
        )
    if const.changes_strings:
        raise _Refuse(
            "the model's config strips or re-cases strings before V1 compared them with the "
            "`const`: convert it by hand"
        )
    if const.class_node is None:
        raise _Refuse(f"{why}: convert it by hand")
    bound = _class_namespace(const.class_node)
    if default.id in bound:
        raise _Refuse(f"{why}, but `{default.id}` is a class attribute: convert it by hand")
    field = field_stmt.target.id
    if {field, "*"} & const.validated_in_bases:
        raise _Refuse(
            f"{why}, but a base class validates `{field}` too: V1 checked the `const` before "
            "that validator, V2 runs the base's validators first — convert it by hand"
        )
    method = f"check_{field}_const"
    while method in bound:
        method += "_"
    end_line = field_stmt.end_lineno or field_stmt.lineno
    at = src.line_end(end_line)
    text = NAME_CONST_CHECK.format(
        indent=src.indent_of(field_stmt.lineno),
        field=field,
        method=method,
        param="given" if default.id == "value" else "value",
        name=default.id,
    )
    head = "\n" if at == 0 or src.text[at - 1] == "\n" else "\n\n"
    tail = "\n" if src.line_text(end_line + 1).strip() else ""
    const.imports.add(ImportBinding("pydantic", "field_validator"))
    const.note = (
        f" `const=True` with the name `{default.id}` becomes a `field_validator` that rejects "
        f"other values with V1's message at the field's location (`Literal[{default.id}]` is "
        f"rejected by mypy and `Literal[<its value>]` would go stale)."
    )
    return [_delete(src, call, keyword), Replacement(at, at, head + text + tail)]


def _validated_in_bases(model: ModelClass) -> frozenset[str]:
    """The field names (and ``"*"``) the validators of ``model``'s same-file bases name."""
    named: set[str] = set()
    for base in model.bases_in_file:
        named |= _validated_in_bases(base)
        for stmt in base.node.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in stmt.decorator_list:
                    if isinstance(decorator, ast.Call):
                        named.update(
                            arg.value
                            for arg in decorator.args
                            if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                        )
    return frozenset(named)


def _class_namespace(node: ast.ClassDef) -> set[str]:
    """Every name the class body binds (methods, fields, attributes, nested classes)."""
    bound: set[str] = set()
    for stmt in node.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(stmt.name)
        for target in assignment_targets(stmt):
            bound.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return bound


BOOL_CONST = "Annotated[Literal[{}], BeforeValidator(TypeAdapter(bool).validate_python)]"
"""V1 read the input as a ``bool`` (``"yes"``, ``1``, ...) before comparing it with the const."""
BOOL_CONST_IMPORTS = frozenset(
    {
        ImportBinding("typing", "Annotated"),
        ImportBinding("pydantic", "BeforeValidator"),
        ImportBinding("pydantic", "TypeAdapter"),
    }
)


def _bool_const_edits(
    src: Source,
    call: ast.Call,
    keyword: ast.keyword,
    field_stmt: ast.AnnAssign | ast.Assign,
    const: _Const,
    value: bool,
) -> list[Replacement]:
    """``x: bool = Field(True, const=True)`` → ``x: Annotated[Literal[True], BeforeValidator(
    TypeAdapter(bool).validate_python)] = Field(True)``: V2's lax ``bool`` reads the same
    inputs as V1's, then ``Literal`` keeps V1's check."""
    annotation = field_stmt.annotation if isinstance(field_stmt, ast.AnnAssign) else None
    if annotation is not None and not (
        isinstance(annotation, ast.Name) and annotation.id == "bool"
    ):
        raise _Refuse("a `bool` const on a field not annotated `bool`: annotate it by hand")
    if isinstance(field_stmt, ast.Assign) and len(field_stmt.targets) != 1:
        raise _Refuse("V2 has no `const`: annotate the field with `Literal[...]` instead")
    literal = BOOL_CONST.format(value)
    const.imports.update(BOOL_CONST_IMPORTS)
    edits = [_delete(src, call, keyword)]
    if annotation is not None:
        const.start = src.start(annotation)
        edits.append(Replacement(src.start(annotation), src.end(annotation), literal))
    elif isinstance(field_stmt, ast.Assign):
        target = field_stmt.targets[0]
        const.start = src.start(target)
        edits.append(Replacement(src.end(target), src.end(target), f": {literal}"))
    return edits


def _literal_value(default: ast.expr) -> bool:
    """A string, or a dotted name such as ``Color.RED`` (an enum member)."""
    if isinstance(default, ast.Constant):
        return isinstance(default.value, str)
    node = default
    if not isinstance(node, ast.Attribute):
        return False
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _may_be_none(annotation: ast.expr) -> bool:
    for node in ast.walk(annotation):
        if isinstance(node, ast.Constant) and (node.value is None or node.value == "None"):
            return True
        if isinstance(node, ast.Name | ast.Attribute) and (
            (node.id if isinstance(node, ast.Name) else node.attr)
            in ("Optional", "Any", "NoneType", "object")
        ):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return True  # a string annotation: its meaning is not checked here
    return False


def _replacements(
    src: Source,
    call: ast.Call,
    old: list[ast.keyword],
    settings: bool,
    field_stmt: ast.AnnAssign | ast.Assign | None = None,
    const: _Const | None = None,
) -> list[Replacement]:
    if any(k.arg is None for k in call.keywords):
        raise _Refuse("`**` arguments may hold more V1 arguments")
    given = {k.arg for k in call.keywords}
    edits: list[Replacement] = []
    extras: list[ast.keyword] = []
    for keyword in old:
        name = keyword.arg
        assert name is not None
        value = keyword.value
        if name == "const":
            edits.extend(_const_edits(src, call, keyword, field_stmt, const or _Const()))
            continue
        if name in REPORTED:
            raise _Refuse(REPORTED[name])
        if name in RENAMED:
            if RENAMED[name] in given:
                raise _Refuse(f"both `{name}` and `{RENAMED[name]}` are given")
            edits.append(_replace(src, keyword, f"{RENAMED[name]}={src.segment(value)}"))
        elif name == "regex":
            if "pattern" in given:
                raise _Refuse("both `regex` and `pattern` are given")
            imports = const.imports if const is not None else set()
            edits.append(_replace(src, keyword, f"pattern={_anchored(src, value, imports)}"))
        elif name == "allow_mutation":
            if not isinstance(value, ast.Constant) or not isinstance(value.value, bool):
                raise _Refuse("only a literal `allow_mutation=True/False` converts")
            if "frozen" in given:
                raise _Refuse("both `allow_mutation` and `frozen` are given")
            if value.value:
                edits.append(_delete(src, call, keyword))
            else:
                edits.append(_replace(src, keyword, "frozen=True"))
        elif name == "example":
            if "examples" in given:
                raise _Refuse("both `example` and `examples` are given")
            edits.append(_replace(src, keyword, f"examples=[{src.segment(value)}]"))
        else:
            if settings and name == "env":
                raise _Refuse(
                    "settings `env=` becomes `validation_alias=` (case rules differ): "
                    "convert it by hand"
                )
            extras.append(keyword)
    if extras:
        if "json_schema_extra" in given:
            raise _Refuse("extra arguments next to an existing `json_schema_extra`")
        items = ", ".join(f'"{k.arg}": {src.segment(k.value)}' for k in extras)
        edits.append(_replace(src, extras[0], f"json_schema_extra={{{items}}}"))
        edits.extend(_delete(src, call, k) for k in extras[1:])
    return edits


def _replace(src: Source, keyword: ast.keyword, text: str) -> Replacement:
    return Replacement(src.start(keyword), src.end(keyword), text)


def _delete(src: Source, call: ast.Call, keyword: ast.keyword) -> Replacement:
    """Remove ``keyword`` with the comma that separates it from its neighbour."""
    arguments: list[ast.expr | ast.keyword] = [*call.args, *call.keywords]
    arguments.sort(key=lambda n: (n.lineno, n.col_offset))
    index = next(i for i, node in enumerate(arguments) if node is keyword)
    if index > 0:
        return Replacement(src.end(arguments[index - 1]), src.end(keyword), "")
    if index + 1 < len(arguments):
        return Replacement(src.start(keyword), src.start(arguments[index + 1]), "")
    return Replacement(src.start(keyword), src.end(keyword), "")


def _anchored(src: Source, value: ast.expr, add: set[ImportBinding]) -> str:
    """The pattern as V2 must spell it to match like V1's ``re.match`` (anchored at the start):
    in the Rust dialect, or as ``re.compile(...)`` (adding ``re`` to ``add``) when that dialect
    cannot express it."""
    if not isinstance(value, ast.Constant) or not isinstance(value.value, str):
        raise _Refuse("`regex` is not a string literal, so it cannot be anchored as V1 did")
    pattern = value.value
    segment = src.segment(value)
    try:
        wanted = v2_pattern(pattern)
    except UnsupportedPattern as reason:
        try:
            check_python_pattern(src.tree, pattern)
        except UnsupportedPattern as why_not:
            raise _Refuse(f"{reason}; {why_not}") from None
        add.add(RE_IMPORT)
        return f"re.compile({_anchor(pattern, segment)})"
    if wanted != pattern:
        literal = LITERAL.match(segment)
        raw = literal is not None and "r" in literal.group(1).lower()
        if literal is not None and raw and v2_pattern(literal.group(3)) == wanted:
            segment = f"{literal.group(1)}{literal.group(2)}{wanted}{literal.group(2)}"
        else:
            segment = python_literal(wanted)
        pattern = wanted
    return _anchor(pattern, segment)


def _anchor(pattern: str, segment: str) -> str:
    """The literal ``segment`` (spelling ``pattern``) anchored at the start of the string."""
    if anchored_at_start(pattern):
        return segment
    match = LITERAL.match(segment)
    flags = INLINE_FLAGS.match(pattern)
    head = flags.group(0) if flags else ""
    if "x" in head:  # verbose: a trailing ``# comment`` would swallow the closing ``)``
        return repr(f"{head}{match_start(head)}(?:{pattern[len(head) :]}\n)")
    if match is None or ("\n" in segment and match.group(2) in ("'", '"')):
        return repr(f"{head}{match_start(head)}(?:{pattern[len(head) :]})")
    prefix, quote, body = match.groups()
    flags = INLINE_FLAGS.match(body)
    head = flags.group(0) if flags else ""
    return f"{prefix}{quote}{head}{match_start(head)}(?:{body[len(head) :]}){quote}"
