"""Check one module against the layers: FA103–FA107, in source order."""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from pathlib import Path

from fastapi_architect.layers.async_sessions import check_async_sessions
from fastapi_architect.layers.codes import (
    ASYNC_SESSION_NOT_AWAITED,
    DATA_ACCESS_IN_ENDPOINT,
    HTTP_EXCEPTION_IN_SERVICE,
    IMPORT_AGAINST_LAYERS,
    LAYER_CODES,
    SYNC_SESSION_IN_ASYNC,
)
from fastapi_architect.layers.data_access import check_data_access
from fastapi_architect.layers.http_errors import check_http_errors
from fastapi_architect.layers.layer_imports import check_layer_imports
from fastapi_architect.layers.model import LayerFinding
from fastapi_architect.layers.module import CheckedModule
from fastapi_architect.layers.project import LayerProject
from fastapi_architect.layers.sessions import SessionTypes

Rule = Callable[[CheckedModule], list[LayerFinding]]

RULES: tuple[tuple[frozenset[str], Rule], ...] = (
    (frozenset({DATA_ACCESS_IN_ENDPOINT}), check_data_access),
    (frozenset({HTTP_EXCEPTION_IN_SERVICE}), check_http_errors),
    (frozenset({IMPORT_AGAINST_LAYERS}), check_layer_imports),
    (frozenset({SYNC_SESSION_IN_ASYNC, ASYNC_SESSION_NOT_AWAITED}), check_async_sessions),
)
"""Each rule with the codes it can report."""


def check_module(
    project: LayerProject,
    path: Path,
    text: str,
    *,
    tree: ast.Module | None = None,
    codes: Collection[str] | None = None,
) -> list[LayerFinding]:
    """The layer findings of the module at ``path`` (``codes``: only these; default all).

    ``path`` decides the module's layer relative to ``project.root`` (or its own folder
    names when there is no root). A module that does not parse has no findings.
    """
    wanted = set(LAYER_CODES if codes is None else codes)
    source = project.source(path, text, tree)
    if source is None or not wanted & set(LAYER_CODES):
        return []
    relative = path.name
    if project.root is not None:
        try:
            relative = path.relative_to(project.root).as_posix()
        except ValueError:
            relative = path.name
    module = CheckedModule(source, relative, project, SessionTypes(project))
    found: list[LayerFinding] = []
    for rule_codes, rule in RULES:
        if rule_codes & wanted:
            found.extend(f for f in rule(module) if f.code in wanted)
    found.sort(key=lambda f: (f.start.line, f.start.column, f.code))
    return found
