"""``class Config:`` in a model → ``model_config = ConfigDict(...)`` (PYD010).

Pydantic 2 warns about a ``Config`` class and silently ignores its V1 names (``orm_mode``,
``allow_population_by_field_name``, ...), so the models change behaviour. Every key is renamed
to its V2 name, dropped where V2's default already does what it said, or the whole ``Config``
is reported and left intact when a key has no faithful V2 spelling. Comments are carried over.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass, assigns_model_config
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.encoder_serializers import (
    SerializerFix,
    config_last_line,
    encoders_of,
    serializer_fix,
)
from fastapi_architect.pydantic_v2.findings import CONFIG_CODE
from fastapi_architect.pydantic_v2.frozen_config import bundle_relaxing_subclasses, frozen_setting
from fastapi_architect.pydantic_v2.inherited_encoders import merged_encoders
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.settings_sources import (
    SourcesRefused,
    is_customise_sources,
    sources_method,
)
from fastapi_architect.pydantic_v2.source import Replacement, Source

TITLE = "Convert `class Config` to `model_config`"
LINE_LENGTH = 88

RENAMED = {
    "orm_mode": "from_attributes",
    "allow_population_by_field_name": "populate_by_name",
    "anystr_strip_whitespace": "str_strip_whitespace",
    "anystr_lower": "str_to_lower",
    "anystr_upper": "str_to_upper",
    "min_anystr_length": "str_min_length",
    "max_anystr_length": "str_max_length",
    "schema_extra": "json_schema_extra",
    "validate_all": "validate_default",
    "keep_untouched": "ignored_types",
}
"""V1 keys whose V2 name differs, same meaning."""

KEPT = frozenset(
    {
        "title",
        "extra",
        "frozen",
        "validate_assignment",
        "arbitrary_types_allowed",
        "use_enum_values",
        "allow_inf_nan",
        "alias_generator",
        "json_encoders",
        "env_prefix",
        "env_file",
        "env_file_encoding",
        "env_nested_delimiter",
        "secrets_dir",
        "case_sensitive",
        *RENAMED.values(),
    }
)
"""Keys V1 and V2 (or pydantic-settings) share, with the same meaning."""

SETTINGS_KEYS = frozenset(
    {"env_prefix", "env_file", "env_file_encoding", "env_nested_delimiter", "secrets_dir"}
)

DROPPED_WHEN = {
    "underscore_attrs_are_private": (True, "V2 always treats `_name` attributes as private"),
    "smart_union": (True, "V2 unions are smart by default"),
    "copy_on_model_validation": ("none", "V2 never copies model instances it validates"),
    "allow_mutation": (True, "V2 models are mutable by default"),
}
"""Keys dropped when set to the value V2's default already has."""

UNMAPPED = {
    "fields": "declare aliases and exclusions with `Field(...)` on each field",
    "error_msg_templates": "V2 has no message templates: raise custom errors instead",
    "getter_dict": "V2 reads attributes directly with `from_attributes`",
    "json_loads": "V2 parses JSON itself",
    "json_dumps": "V2 serialises JSON itself",
    "underscore_attrs_are_private": "V2 always treats `_name` attributes as private",
    "smart_union": "V2 unions are smart; use `Field(union_mode='left_to_right')` per field",
    "copy_on_model_validation": "V2 never copies model instances it validates",
    "post_init_call": "V2 runs `model_post_init` after validation",
    "allow_mutation": "only a literal `allow_mutation = False` converts (to `frozen=True`)",
}
"""Keys with no faithful V2 config: the reason the ``Config`` stays as it is."""

KNOWN_KEYS = frozenset({*RENAMED, *KEPT, *DROPPED_WHEN, *UNMAPPED})


@dataclass
class _Entry:
    key: str
    value: str
    comments: list[str]
    trailing: str


def plan_configs(
    src: Source,
    classes: list[ModelClass],
    names: PydanticNames,
    models: WorkspaceModels = NO_MODELS,
) -> list[Conversion]:
    """A conversion for every ``class Config`` of a model (or of a likely model) in the file."""
    conversions: list[Conversion] = []
    if "Config" not in src.text:
        return conversions
    referenced = set(CONFIG_REFERENCE.findall(src.text)) if ".Config" in src.text else set()
    planned: list[tuple[ModelClass, ast.ClassDef, Conversion]] = []
    for model in classes:
        if model.node.decorator_list:
            continue  # a Pydantic dataclass takes ``config=``, a nested Config means nothing
        for stmt in model.node.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
                conversion = _plan(src, model, stmt, names, referenced, classes, models)
                if conversion is not None:
                    conversions.append(conversion)
                    planned.append((model, stmt, conversion))
    bundle_relaxing_subclasses(planned, classes)
    return conversions


CONFIG_REFERENCE = re.compile(r"\b(\w+)\.Config\b")
HEADER = re.compile(r"class\s+Config\b[^:#]*:")


def _header_end(src: Source, config: ast.ClassDef) -> int:
    """The offset just past the colon of ``class Config:`` (the end of its line if unusual)."""
    start = src.start(config)
    line_end = src.line_start(config.lineno) + len(src.line_text(config.lineno))
    match = HEADER.match(src.text, start, line_end)
    return match.end() if match else line_end


def _plan(
    src: Source,
    model: ModelClass,
    config: ast.ClassDef,
    names: PydanticNames,
    referenced: set[str],
    classes: list[ModelClass],
    models: WorkspaceModels = NO_MODELS,
) -> Conversion | None:
    key = f"{model.qualname}.Config"
    start, end = src.start(config), _header_end(src, config)
    keys = _assigned_keys(config)
    if not model.known_model and (keys is None or not keys or not keys <= KNOWN_KEYS):
        return None  # a class of another library may have its own ``Config``
    try:
        frozen = frozen_setting(model, config, names, classes)
        overrides: dict[str, tuple[str, str] | None] = {}
        if frozen is not None:
            overrides[frozen.key] = frozen.entry
        encoders = encoders_of(model)
        merged = merged_encoders(src, model, encoders, names) if encoders is not None else None
        if merged is not None:
            overrides["json_encoders"] = ("json_encoders", merged)
        entries, consumed = _entries(src, model, config, names, overrides)
        if frozen is not None and frozen.refusal is not None:
            raise _Refuse(frozen.refusal)
        if model.node.name in referenced:
            raise _Refuse(f"`{model.node.name}.Config` is used elsewhere in this module")
        try:
            sources = sources_method(src, config, names)
        except SourcesRefused as reason:
            raise _Refuse(str(reason)) from None
        settings = model.settings or bool(keys and keys & SETTINGS_KEYS) or sources is not None
        spelled, binding = _config_dict(names, settings)
        coerce = _coerce_numbers_entry(src, model, names, entries)
        serializers = _serializers_replace_encoders(src, model, names, entries, models)
    except _Refuse as reason:
        message = (
            "Pydantic V1 `class Config` is deprecated and V2 ignores its V1 names; "
            f"not converted automatically: {reason}."
        )
        return refused(CONFIG_CODE, key, message, start, end)
    indent = src.indent_of(config.lineno)
    emptied = serializers is not None and not entries
    text = "" if emptied else _render(indent, spelled, entries, src.newline)
    if sources is not None:  # V1's ``customise_sources`` moves onto the settings class
        emptied = not entries
        text = sources.text if emptied else text + src.newline + sources.text
        consumed.update({n: consumed.get(n, 0) + c for n, c in sources.consumed.items()})
    begin = src.line_start(config.lineno)
    finish = src.line_end(_last_line(src, config))
    renamed = sorted({f"`{old}` → `{new}`" for old, new in RENAMED.items() if old in (keys or ())})
    detail = f" ({', '.join(renamed)})" if renamed else ""
    message = (
        "Pydantic V1 `class Config` is deprecated and V2 ignores its V1 names"
        f"{detail}; use `model_config = {spelled}(...)`."
    )
    message += frozen.note if frozen is not None else ""
    message += sources.note if sources is not None else ""
    if merged is not None:
        message += (
            " Its `json_encoders` starts with its bases' encoders: V1 merged them, and V2's"
            " `model_config` would replace them."
        )
    if coerce:
        message += (
            " It gets `coerce_numbers_to_str=True`: numbers reach its `str` fields, and V1 "
            "converted them to text (PYD031)."
        )
    edits = (sources.adapters if sources is not None else []) + _line_edits(
        src, begin, finish, text
    )
    bindings = {binding} if binding is not None and not emptied else set()
    bindings |= sources.bindings if sources is not None else set()
    if serializers is not None:
        message += (
            " `json_encoders` becomes serializer methods (PYD020)."
            if serializers.text
            else " `json_encoders` is dropped (PYD020 says why)."
        )
        added = serializers.text
        if emptied and not src.line_text(config.lineno - 1).strip():
            added = added.removeprefix(src.newline)  # the blank line before `Config` stays
        edits.append(Replacement(serializers.at, serializers.at, added))
        bindings |= serializers.bindings
        for name, count in serializers.consumed.items():
            consumed[name] = consumed.get(name, 0) + count
    elif keys and "json_encoders" in keys:
        message += " `json_encoders` is kept; what changes with it is reported as PYD020."
    return Conversion(
        CONFIG_CODE, key, TITLE, message, start, end, edits, bindings, consumed=consumed
    )


def _serializers_replace_encoders(
    src: Source,
    model: ModelClass,
    names: PydanticNames,
    entries: list[_Entry],
    models: WorkspaceModels = NO_MODELS,
) -> SerializerFix | None:
    """Drop ``json_encoders`` when PYD020 replaces it with serializers (the same edit as that
    fix), carrying its comments to the next entry."""
    at = next((i for i, e in enumerate(entries) if e.key == "json_encoders"), None)
    if at is None:
        return None
    fix = serializer_fix(src, model, names, models)
    if not isinstance(fix, SerializerFix):
        return None
    dropped = entries.pop(at)
    comments = dropped.comments + ([dropped.trailing] if dropped.trailing else [])
    if comments:
        if at < len(entries):
            entries[at].comments[:0] = comments
        else:
            entries.append(_Entry("", "", comments, ""))
    return fix


def _coerce_numbers_entry(
    src: Source, model: ModelClass, names: PydanticNames, entries: list[_Entry]
) -> bool:
    """Add ``coerce_numbers_to_str=True`` when PYD031 finds numbers reaching the model's
    ``str`` fields, so the config conversion and that fix write the same ``model_config``."""
    from fastapi_architect.pydantic_v2.str_fields import numbers_reach_str_fields

    if any(entry.key == "coerce_numbers_to_str" for entry in entries):
        return False
    if not numbers_reach_str_fields(src, model, names):
        return False
    at = len(entries)
    while at > 0 and entries[at - 1].key == "":
        at -= 1  # comments after the last setting stay last
    entries.insert(at, _Entry("coerce_numbers_to_str", "True", [], ""))
    return True


class _Refuse(Exception):
    """The ``Config`` cannot be converted faithfully; the text says why."""


def _assigned_keys(config: ast.ClassDef) -> set[str] | None:
    keys: set[str] = set()
    for stmt in config.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target = stmt.target
        else:
            continue
        if isinstance(target, ast.Name):
            keys.add(target.id)
    return keys


def _is_base_config(base: ast.expr, names: PydanticNames) -> bool:
    """True for Pydantic V1's own ``BaseConfig`` (``BaseConfig`` or ``pydantic.BaseConfig``)."""
    return names.refers_to(base, "BaseConfig")


def _entries(
    src: Source,
    model: ModelClass,
    config: ast.ClassDef,
    names: PydanticNames,
    overrides: dict[str, tuple[str, str] | None] | None = None,
) -> tuple[list[_Entry], dict[str, int]]:
    consumed: dict[str, int] = {}
    if config.keywords or not all(_is_base_config(base, names) for base in config.bases):
        raise _Refuse("it derives from another `Config`; merge the settings by hand")
    for base in config.bases:
        # ``class Config(BaseConfig)``: V1's defaults come after the parent's config in the
        # merged config's MRO, so the base changes nothing and goes with the class.
        if isinstance(base, ast.Name):
            consumed[base.id] = consumed.get(base.id, 0) + 1
    if config.decorator_list:
        raise _Refuse("it is decorated")
    for stmt in model.node.body:
        if assigns_model_config(stmt):
            raise _Refuse("the class already has `model_config`; merge the two by hand")
    entries: list[_Entry] = []
    seen: set[str] = set()
    pending: list[str] = []
    header_comment = _comment_after(src, config.lineno, _header_end(src, config))
    if header_comment:
        pending.append(header_comment)
    previous_end = config.lineno
    for index, stmt in enumerate(config.body):
        pending.extend(_comment_lines(src, previous_end + 1, stmt.lineno - 1))
        previous_end = stmt.end_lineno or stmt.lineno
        if isinstance(stmt, ast.Pass) or is_customise_sources(stmt):
            continue  # ``customise_sources`` is converted by ``settings_sources``
        if (
            index == 0
            and isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            pending.extend(f"# {line.strip()}".rstrip() for line in stmt.value.value.splitlines())
            continue
        target: ast.expr
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        else:
            raise _Refuse("it holds methods, conditionals or other statements than `name = value`")
        if not isinstance(target, ast.Name):
            raise _Refuse("it assigns something other than a plain name")
        if overrides and target.id in overrides:
            entry = overrides[target.id]  # decided with the bases' settings
        else:
            entry = _convert(src, target.id, value, names, consumed)
        trailing = _comment_after(src, previous_end, src.end(stmt))
        if entry is None:
            pending.extend(c for c in [trailing] if c)
            continue
        new_key, text = entry
        if new_key in seen:
            raise _Refuse(f"two of its settings both become `{new_key}`")
        seen.add(new_key)
        entries.append(_Entry(new_key, text, pending, trailing))
        pending = []
    pending.extend(_comment_lines(src, previous_end + 1, _last_line(src, config)))
    if pending:
        entries.append(_Entry("", "", pending, ""))
    return entries, consumed


def _convert(
    src: Source, key: str, value: ast.expr, names: PydanticNames, consumed: dict[str, int]
) -> tuple[str, str] | None:
    """The V2 keyword and value text for one V1 setting; None when V2's default covers it."""
    literal = value.value if isinstance(value, ast.Constant) else ...
    if key in DROPPED_WHEN and literal is not ... and literal == DROPPED_WHEN[key][0]:
        return None
    if key == "allow_mutation" and literal is False:
        return "frozen", "True"
    if key in UNMAPPED:
        raise _Refuse(f"`{key}` has no V2 equivalent here: {UNMAPPED[key]}")
    if key == "extra":
        member = _extra_member(value, names)
        if member is not None:
            local, name = member
            if local is not None:
                consumed[local] = consumed.get(local, 0) + 1
            return "extra", f'"{name}"'
    if key not in KEPT and key not in RENAMED:
        raise _Refuse(f"`{key}` is not a Pydantic V1 setting this migration knows")
    return RENAMED.get(key, key), src.segment(value)


def _extra_member(value: ast.expr, names: PydanticNames) -> tuple[str | None, str] | None:
    """``(local name of Extra or None, member)`` for ``Extra.forbid`` / ``pd.Extra.allow``."""
    if not isinstance(value, ast.Attribute) or value.attr not in ("forbid", "allow", "ignore"):
        return None
    owner = value.value
    if not names.refers_to(owner, "Extra"):
        return None
    return (owner.id if isinstance(owner, ast.Name) else None), value.attr


def _config_dict(names: PydanticNames, settings: bool) -> tuple[str, ImportBinding | None]:
    """How to spell ``ConfigDict`` / ``SettingsConfigDict`` here, and the import it needs."""
    wanted = "SettingsConfigDict" if settings else "ConfigDict"
    for local, canonical in names.pydantic_from.items():
        if canonical == wanted and not settings and names.means(local, wanted):
            return local, None
    if not settings and not names.pydantic_from and not names.model_base_names:
        for alias, module in names.modules.items():
            if module == "pydantic":
                return f"{alias}.ConfigDict", None
    if names.star_import and not settings and names.means(wanted, wanted):
        return wanted, None
    other = names.other_bindings.get(wanted)
    if other is not None and not (settings and other == "imported from pydantic_settings"):
        raise _Refuse(f"it needs `{wanted}`, but `{wanted}` in this module is {other}")
    return wanted, ImportBinding("pydantic_settings" if settings else "pydantic", wanted)


def _line_edits(src: Source, begin: int, finish: int, text: str) -> list[Replacement]:
    """Replace ``src.text[begin:finish]`` (whole lines) by ``text``, leaving the lines that
    stay verbatim (comments, multi-line values) out of the edits."""
    old = src.text[begin:finish].splitlines(keepends=True)
    new = text.splitlines(keepends=True)
    edits: list[Replacement] = []
    offsets = [begin]
    for line in old:
        offsets.append(offsets[-1] + len(line))
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(Replacement(offsets[i1], offsets[i2], "".join(new[j1:j2])))
    return edits


def _last_line(src: Source, config: ast.ClassDef) -> int:
    return config_last_line(src, config)


def _comment_lines(src: Source, first: int, last: int) -> list[str]:
    """The full-line comments between lines ``first`` and ``last`` (1-based, inclusive)."""
    found: list[str] = []
    for lineno in range(first, last + 1):
        stripped = src.line_text(lineno).strip()
        if stripped.startswith("#"):
            found.append(stripped)
    return found


def _comment_after(src: Source, lineno: int, offset: int) -> str:
    """The comment at the end of line ``lineno`` after ``offset``, if any."""
    rest = src.text[offset : src.line_start(lineno) + len(src.line_text(lineno))]
    stripped = rest.strip()
    return stripped if stripped.startswith("#") else ""


def _render(indent: str, spelled: str, entries: list[_Entry], newline: str) -> str:
    """``model_config = ConfigDict(...)`` on one line when it fits and has no comments."""
    pairs = [f"{e.key}={e.value}" for e in entries if e.key]
    one_line = f"{indent}model_config = {spelled}({', '.join(pairs)})"
    simple = all(not e.comments and not e.trailing and e.key for e in entries)
    if simple and len(one_line) <= LINE_LENGTH and "\n" not in one_line:
        return one_line + newline
    inner = indent + "    "
    lines = [f"{indent}model_config = {spelled}("]
    for entry in entries:
        lines.extend(f"{inner}{comment}" for comment in entry.comments)
        if entry.key:
            trailing = f"  {entry.trailing}" if entry.trailing else ""
            lines.append(f"{inner}{entry.key}={entry.value},{trailing}")
    lines.append(f"{indent})")
    return newline.join(lines) + newline
