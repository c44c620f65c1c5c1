"""Models V2 cannot build because a string forward reference names a class their module never
binds (PYD024): the missing ``model_rebuild`` call is added where the project already rebuilds
its other models, or reported with where to add it.

The facts come from ``rebuild_index`` (they span files); this module only places findings and
the edit. V2's ``model_rebuild(_types_namespace=ns)`` resolves in the model's module globals
plus ``ns`` (without ``ns``: plus the calling frame's namespace), so the call names what it
supplies and works wherever it stands after the classes exist.
"""

from __future__ import annotations

import ast

from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import PENDING_REBUILD_CODE
from fastapi_architect.pydantic_v2.model_index import WorkspaceModels
from fastapi_architect.pydantic_v2.rebuild_index import (
    PendingRebuild,
    pending_of,
    rebuild_call,
    site_key,
)
from fastapi_architect.pydantic_v2.source import Replacement, Source


def plan_pending_rebuilds(
    src: Source, classes: list[ModelClass], models: WorkspaceModels
) -> list[Conversion]:
    """A report for each model of the module waiting for a rebuild, and a conversion for each
    imported model whose rebuild belongs after the module's own rebuild calls."""
    defined, to_add = pending_of(models)
    conversions: list[Conversion] = []
    top_level = {m.qualname: m for m in classes if not m.inside_function}
    for pending in defined:
        model = top_level.get(pending.model)
        if model is None:
            continue
        declared = model.fields.get(pending.fields[0]) if pending.fields else None
        node: ast.AST = declared.stmt.annotation if declared is not None else model.node
        message = _what(pending, f"`{pending.model}`") + _where(pending)
        key = f"{pending.model}:forward_refs"
        report = refused(PENDING_REBUILD_CODE, key, message, src.start(node), src.end(node))
        if pending.fixed_in is not None:
            report.title = f"Add `{pending.model}.model_rebuild(...)` to `{pending.site}`"
            report.fixed_in = pending.fixed_in
        conversions.append(report)
    if to_add:
        conversions.extend(_additions(src, to_add))
    return conversions


def _additions(src: Source, to_add: tuple[PendingRebuild, ...]) -> list[Conversion]:
    anchor = _last_rebuild(src.tree)
    bindings = _import_aliases(src.tree)
    if anchor is None:
        return []
    at = src.line_end(anchor.end_lineno or anchor.lineno)
    lead = "" if src.text[:at].endswith("\n") else "\n"
    # One edit adds every call: conversions inserting at one point would collide.
    insert = Replacement(at, at, lead + "".join(p.call() + "\n" for p in to_add))
    conversions: list[Conversion] = []
    for pending in to_add:
        alias = bindings.get(pending.model)
        node: ast.AST = alias if alias is not None else anchor
        message = (
            _what(pending, f"`{pending.model}` (from `{pending.module}`)")
            + " This module imports it and every name, and rebuilds its other models: "
            f"`{pending.call()}` after those calls resolves the names. {_change(pending)}"
        )
        conversions.append(
            Conversion(
                PENDING_REBUILD_CODE,
                site_key(pending.model),
                f"Add `{pending.model}.model_rebuild(_types_namespace={{...}})`",
                message,
                src.start(node),
                src.end(node),
                [insert],
            )
        )
    return conversions


def _what(pending: PendingRebuild, subject: str) -> str:
    names = _listed(pending.names)
    through = f" (through {_listed(pending.aliases)})" if pending.aliases else ""
    fields = _listed(pending.fields)
    return (
        f"{subject} names {names} in string forward references{through} that its "
        f"module never binds: V1 left {fields} unprepared (a value reaching the reference "
        f"raised `ConfigError`), V2 cannot build `{pending.model}` at all (every use raises "
        '"not fully defined").'
    )


def _where(pending: PendingRebuild) -> str:
    if pending.site is not None:
        return (
            f" `{pending.site}` imports both and rebuilds its other models: its PYD024 fix "
            f"(and `migrate`) adds `{pending.call()}` there. {_change(pending)}"
        )
    return (
        f" Call `{pending.call()}` in a module that imports `{pending.model}` and "
        f"{_listed(pending.names)}, after all are defined (for a package, its `__init__.py`); "
        "this module cannot import them without a circular import. " + _change(pending)
    )


def _change(pending: PendingRebuild) -> str:
    return (
        f"Behaviour change: V2 then validates values of {_listed(pending.fields)} that V1 "
        "refused with `ConfigError`."
    )


def _listed(names: tuple[str, ...]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _last_rebuild(tree: ast.Module) -> ast.stmt | None:
    """The last module-level ``X.update_forward_refs(...)`` / ``X.model_rebuild(...)``."""
    found: ast.stmt | None = None
    for stmt in tree.body:
        if rebuild_call(stmt) is not None:
            found = stmt
    return found


def _import_aliases(tree: ast.Module) -> dict[str, ast.alias]:
    """Module-level ``from ... import X`` names, by the name they bind."""
    found: dict[str, ast.alias] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                found[alias.asname or alias.name] = alias
    return found
