"""``json_encoders`` in a model's config → reported with what changes in V2 (PYD020).

V2 still honours ``json_encoders`` (deprecated), and ``class Config`` → ``model_config``
(PYD010) keeps it, but it works differently: it applies to ``model_dump(mode="json")`` too,
and no longer to the fields of nested models, which V1's ``.json()`` encoded with the outer
model's encoders. The report names the fields a ``@field_serializer`` would cover and the
nested models that lose the encoding. It has no automatic fix: the serializer replaces the
config key, which ``class Config`` → ``model_config`` rewrites in the same pass.
"""

from __future__ import annotations

import ast

from fastapi_architect.astutil import last_name
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import JSON_ENCODERS_CODE
from fastapi_architect.pydantic_v2.source import Source

KEY = "json_encoders"


def _encoders(model: ModelClass) -> ast.expr | None:
    """The ``json_encoders`` value of ``model``'s own config, if it sets one."""
    for stmt in model.node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for item in stmt.body:
                if (
                    isinstance(item, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == KEY for t in item.targets)
                ) or (
                    isinstance(item, ast.AnnAssign)
                    and isinstance(item.target, ast.Name)
                    and item.target.id == KEY
                    and item.value is not None
                ):
                    return item.value
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        if isinstance(stmt, ast.AnnAssign):
            targets = [stmt.target]
        is_config = any(isinstance(t, ast.Name) and t.id == "model_config" for t in targets)
        value = getattr(stmt, "value", None)
        if is_config and isinstance(value, ast.Call):
            for keyword in value.keywords:
                if keyword.arg == KEY:
                    return keyword.value
    return None


def plan_json_encoders(src: Source, classes: list[ModelClass]) -> list[Conversion]:
    """A report for every model whose own config sets ``json_encoders``."""
    if KEY not in src.text:
        return []
    models = {model.node.name: model for model in classes if model.known_model}
    conversions: list[Conversion] = []
    for model in classes:
        if not model.known_model:
            continue
        value = _encoders(model)
        if value is None:
            continue
        conversions.append(_report(src, model, value, models))
    return conversions


def _members(annotation: ast.expr) -> list[ast.expr]:
    """``X`` for ``X`` / ``Optional[X]`` / ``X | None`` / ``Union[X, None]``; else the whole."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return [*_members(annotation.left), *_members(annotation.right)]
    if isinstance(annotation, ast.Subscript) and last_name(annotation.value) in (
        "Optional",
        "Union",
    ):
        inner = annotation.slice
        return list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    return [annotation]


def _report(
    src: Source, model: ModelClass, value: ast.expr, models: dict[str, ModelClass]
) -> Conversion:
    key = f"{model.qualname}.{KEY}"
    types = (
        [ast.unparse(k) for k in value.keys if k is not None] if isinstance(value, ast.Dict) else []
    )
    direct: list[str] = []
    nested: list[str] = []
    for name, decl in model.fields.items():
        members = [m for m in _members(decl.stmt.annotation) if ast.unparse(m) != "None"]
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
    return refused(JSON_ENCODERS_CODE, key, message + ".", src.start(value), src.end(value))
