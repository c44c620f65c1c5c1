"""A subclass's ``json_encoders`` keeps its bases' encoders in V2 (PYD010).

V1 merged ``json_encoders`` through the bases (``inherit_config``: the bases' encoders, then
the class's own on top), so a subclass that adds one encoder still encoded its base's types.
V2 merges ``model_config`` key by key: the subclass's ``json_encoders`` replaces the base's
whole dict. The converted value therefore starts with the bases' encoders, read from their
``model_config`` at run time: ``{**Base.model_config.get("json_encoders", {}), Decimal: str}``.
"""

from __future__ import annotations

import ast

from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.encoder_serializers import KEY, encoders_of
from fastapi_architect.pydantic_v2.model_index import ExternalModel
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Source


def merged_encoders(
    src: Source, model: ModelClass, value: ast.expr, names: PydanticNames
) -> str | None:
    """The V2 text of the ``Config``'s own ``json_encoders`` when a base may set encoders
    too (a same-file base whose hierarchy sets them, a configured base of another workspace
    file); None when no base does (the value stays as written)."""
    sources = [src.segment(base) for base in _encoding_bases(model, names)]
    if not sources:
        return None
    # V1 let the first base win over the later ones, and the class over all of them.
    spread = [f'**{base}.model_config.get("{KEY}", {{}})' for base in reversed(sources)]
    if isinstance(value, ast.Dict) and all(key is not None for key in value.keys):
        pairs = zip(value.keys, value.values, strict=True)
        own = [f"{src.segment(k)}: {src.segment(v)}" for k, v in pairs if k is not None]
    else:
        own = [f"**{src.segment(value)}"]
    return "{" + ", ".join([*spread, *own]) + "}"


def _encoding_bases(model: ModelClass, names: PydanticNames) -> list[ast.expr]:
    """The class's base expressions (``Parent[T]`` as ``Parent``) that may carry encoders."""
    in_file = {parent.node.name: parent for parent in model.bases_in_file}
    found: list[ast.expr] = []
    for base in model.node.bases:
        expr = base.value if isinstance(base, ast.Subscript) else base
        if names.is_model_base(base):
            continue
        if isinstance(expr, ast.Name) and expr.id in in_file:
            if _sets_encoders(in_file[expr.id]):
                found.append(expr)
            continue
        match = _external_for(expr, model.external_bases)
        if match is not None and {"Config", "model_config"} & match.methods:
            found.append(expr)
    return found


def _external_for(expr: ast.expr, externals: list[ExternalModel]) -> ExternalModel | None:
    """The workspace model of another file that the base ``expr`` names (by class name)."""
    name = expr.attr if isinstance(expr, ast.Attribute) else getattr(expr, "id", None)
    for external in externals:
        if external.qualname.rsplit(".", 1)[-1] == name:
            return external
    return None


def _sets_encoders(model: ModelClass, depth: int = 0) -> bool:
    """True when ``model`` or a same-file base sets ``json_encoders`` (or may, through a
    configured base of another file)."""
    if depth > 64:
        return False
    if encoders_of(model) is not None:
        return True
    if any({"Config", "model_config"} & external.methods for external in model.external_bases):
        return True
    return any(_sets_encoders(parent, depth + 1) for parent in model.bases_in_file)
