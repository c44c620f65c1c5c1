"""``json_encoders`` in a model's config → serializer methods where they reproduce V1's
``.json()``, otherwise kept and reported with what changes in V2 (PYD020).

V2 still honours ``json_encoders`` (deprecated, with a warning at class creation), and
``class Config`` → ``model_config`` (PYD010) keeps it, but it works differently: it applies to
``model_dump(mode="json")`` too, no longer to the fields of nested models or to extra fields,
which V1's ``.json()`` encoded with the outer model's encoders. ``encoder_serializers`` writes
the replacement (field serializers; one ``"*"`` method for a model with subclasses, in this
file or, through the workspace index, in others; a model serializer for extra fields) when
every field holds an encoded type only at its top; the ``class Config`` conversion (PYD010)
drops the key in the same edit. Otherwise the report says which field or subclass is out of
reach and what to write instead.
"""

from __future__ import annotations

import ast

from fastapi_architect.astutil import last_name
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.config_class import plan_configs
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.encoder_serializers import (
    KEY,
    SerializerFix,
    encoders_of,
    optional_members,
    serializer_fix,
)
from fastapi_architect.pydantic_v2.findings import JSON_ENCODERS_CODE
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source

TITLE = "Replace `json_encoders` with `@field_serializer` methods"


def plan_json_encoders(
    src: Source,
    classes: list[ModelClass],
    names: PydanticNames,
    models: WorkspaceModels = NO_MODELS,
) -> list[Conversion]:
    """A fix (or a report) for every model whose own config sets ``json_encoders``."""
    if KEY not in src.text:
        return []
    by_name = {model.node.name: model for model in classes if model.known_model}
    conversions: list[Conversion] = []
    for model in classes:
        if not model.known_model:
            continue
        value = encoders_of(model)
        if value is None:
            continue
        fix = serializer_fix(src, model, names, models)
        if isinstance(fix, SerializerFix):
            conversions.append(_fixed(src, model, names, value, fix, models))
        else:
            conversions.append(_report(src, model, value, by_name, fix))
    return conversions


def _fixed(
    src: Source,
    model: ModelClass,
    names: PydanticNames,
    value: ast.expr,
    fix: SerializerFix,
    models: WorkspaceModels,
) -> Conversion:
    key = f"{model.qualname}.{KEY}"
    start, end = src.start(value), src.end(value)
    message = fixed_message(model.qualname, fix)
    config = _config_conversion(src, model, names, models)
    if config is not None:
        return Conversion(
            JSON_ENCODERS_CODE,
            key,
            TITLE,
            message,
            start,
            end,
            list(config.replacements),
            set(config.add),
            set(config.remove),
            dict(config.consumed),
        )
    if any(isinstance(s, ast.ClassDef) and s.name == "Config" for s in model.node.body):
        return _report(src, model, value, {}, "its `class Config` cannot be converted (PYD010)")
    removal = _keyword_removal(src, model)
    if removal is None:
        return _report(src, model, value, {}, "`model_config` is not a plain `ConfigDict(...)`")
    return Conversion(
        JSON_ENCODERS_CODE,
        key,
        TITLE,
        message,
        start,
        end,
        [removal, Replacement(fix.at, fix.at, fix.text)],
        set(fix.bindings),
        consumed=dict(fix.consumed),
    )


def _config_conversion(
    src: Source, model: ModelClass, names: PydanticNames, models: WorkspaceModels
) -> Conversion | None:
    """The fixable PYD010 conversion of the model's ``class Config`` (it drops the key)."""
    for conversion in plan_configs(src, [model], names, models):
        if conversion.key == f"{model.qualname}.Config" and conversion.fixable:
            return conversion
    return None


def fixed_message(qualname: str, fix: SerializerFix) -> str:
    """What the PYD020 fix writes instead of the key, and what stays as in V2's encoders."""
    start = f"`json_encoders` in the config of `{qualname}` is deprecated in Pydantic V2; "
    if fix.repeats is not None:
        return (
            start + f"it only repeats the encoders of its base `{fix.repeats}` (V1 merged "
            "them), so the key is dropped and the model keeps what the base does."
        )
    dead = ", ".join(f"`{d}`" for d in fix.dead)
    never = (
        f"V1 never ran the encoders for {dead}: its `json.dumps` wrote those values itself "
        "(V2 would run them)"
    )
    if fix.dead and not (fix.subclasses or fix.fields or fix.extra):
        return start + never + ", so the key is dropped."
    if fix.subclasses:
        message = (
            start + 'a `@field_serializer("*", mode="wrap")` method calls the same encoders '
            "on the values of their types in JSON output for every field of the model and of "
            f"its subclasses ({', '.join(fix.subclasses)}), which V2 lets inherit the method "
            "as V1 let them inherit `Config`"
        )
    elif fix.fields:
        fields = ", ".join(f"`{f}`" for f in fix.fields)
        message = (
            start + f"`@field_serializer` methods for {fields} call the same encoders in "
            "JSON output, as V1's `.json()` did"
        )
    else:
        message = start + "no field holds an encoded type"
    if fix.dead:
        message += f"; {never}, so they are dropped"
    if fix.extra:
        message += (
            "; a `@model_serializer` does the same for extra fields (inside lists and dicts too)"
        )
    return message + (
        ". As with V2's `json_encoders`, they also apply where the model is nested in "
        "another model (V1's `.json()` of that model used its own encoders)."
    )


def _keyword_removal(src: Source, model: ModelClass) -> Replacement | None:
    """The edit deleting ``json_encoders=...`` from ``model_config = ConfigDict(...)``."""
    from fastapi_architect.pydantic_v2.analysis import model_config_call

    for stmt in model.node.body:
        call = model_config_call(stmt)
        if call is None or call.args or any(k.arg is None for k in call.keywords):
            continue
        keywords = call.keywords
        for index, keyword in enumerate(keywords):
            if keyword.arg != KEY:
                continue
            if len(keywords) == 1:
                return Replacement(src.start(keyword), src.end(keyword), "")
            if index + 1 < len(keywords):
                return Replacement(src.start(keyword), src.start(keywords[index + 1]), "")
            return Replacement(src.end(keywords[index - 1]), src.end(keyword), "")
    return None


def _report(
    src: Source, model: ModelClass, value: ast.expr, models: dict[str, ModelClass], why: str
) -> Conversion:
    key = f"{model.qualname}.{KEY}"
    types = (
        [ast.unparse(k) for k in value.keys if k is not None] if isinstance(value, ast.Dict) else []
    )
    direct: list[str] = []
    nested: list[str] = []
    for name, decl in model.fields.items():
        members = [m for m in optional_members(decl.stmt.annotation) if ast.unparse(m) != "None"]
        if len(members) == 1 and ast.unparse(members[0]) in types:
            direct.append(name)
        elif any(
            last_name(n) in models
            for n in ast.walk(decl.stmt.annotation)
            if isinstance(n, ast.expr)
        ):
            nested.append(name)
    message = (
        f"`json_encoders` in the config of `{model.qualname}` is deprecated in Pydantic V2 and "
        'kept as it is; V2 also applies it to `model_dump(mode="json")`'
    )
    if nested:
        listed = ", ".join(f"`{n}`" for n in nested)
        message += (
            f", but no longer to the fields of nested models ({listed}), "
            "which V1's `.json()` encoded with these encoders"
        )
    if direct:
        fields = ", ".join(f'"{n}"' for n in direct)
        message += (
            f'; replace it with `@field_serializer({fields}, when_used="json-unless-none")` '
            "methods that call the encoders"
        )
    else:
        message += "; replace it with `@field_serializer` / `@model_serializer` methods"
    message += f". Not converted automatically: {why}."
    return refused(JSON_ENCODERS_CODE, key, message, src.start(value), src.end(value))
