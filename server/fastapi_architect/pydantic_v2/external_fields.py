"""``always=True`` on a field declared in a base model of another workspace file.

V2 needs ``validate_default=True`` where the field is declared; changing the base would change
its other subclasses, so the field is re-declared in the subclass instead (the base's
annotation and default, plus ``validate_default=True``), exactly as for a base in the same
file. The copy must mean the same in the subclass's module: every name it reads is imported
there the same way, or added as an import when the module does not bind that name at all.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.model_index import (
    BUILTIN_NAMES,
    ExternalField,
    ExternalModel,
    Origin,
    WorkspaceModels,
)
from fastapi_architect.pydantic_v2.names import TYPING_NAMES, read_names
from fastapi_architect.pydantic_v2.plan import Refusal, Spelling
from fastapi_architect.pydantic_v2.source import Source

EditStatement = Callable[[Source, ast.AnnAssign, Spelling], str]
"""Renders a copied declaration with the V2 edits of a same-file re-declaration applied."""


def external_field(model: ModelClass, name: str) -> tuple[ExternalModel, ExternalField] | None:
    """The declaration of ``name`` in a workspace base of ``model`` (or of a same-file base),
    nearest first; None when no workspace base declares it."""
    for base in model.bases_in_file:
        if name in base.fields:
            return None  # declared in this file: the same-file path handles it
        found = external_field(base, name)
        if found is not None:
            return found
    for external in model.external_bases:
        declared = external.field(name)
        if declared is not None:
            return external, declared
    return None


def module_bound_names(body: list[ast.stmt]) -> set[str]:
    """Every name the module binds at its top level (imports, definitions, assignments)."""
    bound: set[str] = set()
    for stmt in body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).split(".")[0] for a in stmt.names)
        elif isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            bound.add(stmt.name)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.For | ast.With):
            for node in ast.walk(stmt):
                if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                    bound.add(node.id)
        if isinstance(stmt, ast.If | ast.Try):
            for block in (stmt.body, stmt.orelse, getattr(stmt, "finalbody", [])):
                bound |= module_bound_names(block)
            for handler in getattr(stmt, "handlers", []):
                bound |= module_bound_names(handler.body)
    return bound


def redeclaration(
    declared: ExternalField,
    owner: ExternalModel,
    spell: Spelling,
    models: WorkspaceModels,
    bound: set[str],
    edit: EditStatement,
) -> tuple[str, set[ImportBinding]]:
    """The subclass's copy of ``declared`` with ``validate_default=True`` and the imports it
    needs; raises Refusal when the copy would not mean the same in this module.

    ``edit(src, stmt, spell)`` returns the copied statement's text with the V2 edits of a
    same-file re-declaration applied (``validate_default``, ``Field`` renames, aliases).
    """
    if not owner.complete:
        raise Refusal(
            f"`{declared.name}` is inherited from `{owner.qualname}`, whose bases are not all "
            "in the workspace, so another base might declare it too"
        )
    needed: dict[str, Origin] = {}
    for used, origin in declared.origins:
        if origin is None:
            raise Refusal(
                f"`{declared.name}` is declared in `{owner.qualname}` with `{used}`, which "
                "that module defines itself or imports relatively; re-declare it by hand"
            )
        needed[used] = origin
    lines = [_import_line(used, origin) for used, origin in needed.items()]
    text = "\n".join([*lines, _dedent(declared.statement)]) + "\n"
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        raise Refusal(f"the declaration of `{declared.name}` could not be copied") from error
    statement = tree.body[-1]
    if not isinstance(statement, ast.AnnAssign):
        raise Refusal(f"the declaration of `{declared.name}` could not be copied")
    copy_names = read_names(tree)
    copy_spell = Spelling(copy_names, spell.site, target=spell.target)
    rendered = edit(Source(text, tree), statement, copy_spell)
    if not rendered:
        return "", set()  # required: V1 never validated a default, nothing to re-declare
    adds: set[ImportBinding] = set()
    for name in copy_spell.imports:  # new names the edits wrote: Pydantic's or typing's
        module = "typing" if name in TYPING_NAMES else "pydantic"
        needed.setdefault(name, Origin(module, name))
    for used in _read(rendered):
        origin = needed.get(used)
        if origin is None:
            if used in BUILTIN_NAMES and used not in bound:
                continue
            raise Refusal(f"the copy of `{declared.name}` reads `{used}`, unknown here")
        if origin.module == "builtins":
            if used in bound:
                raise Refusal(f"`{used}` means something else in this module")
            continue
        here = models.origin(used)
        if here == origin:
            continue
        if used in bound:
            raise Refusal(
                f"the copy of `{declared.name}` needs `{used}` from `{origin.module}`, but "
                f"`{used}` in this module is something else"
            )
        if not origin.name:
            raise Refusal(
                f"the copy of `{declared.name}` reads the module `{origin.module}`; import it "
                "in this module as the base's module does, then convert"
            )
        adds.add(_binding(used, origin))
    return rendered, adds


def _import_line(used: str, origin: Origin) -> str:
    if origin.module == "builtins":
        return ""
    if not origin.name:
        return f"import {origin.module}" + (f" as {used}" if used != origin.module else "")
    return f"from {origin.module} import {origin.name}" + (
        f" as {used}" if used != origin.name else ""
    )


def _binding(used: str, origin: Origin) -> ImportBinding:
    """The ``from`` import that binds ``used`` to ``origin`` in the subclass's module."""
    return ImportBinding(origin.module, origin.name, used if used != origin.name else None)


def _read(statement: str) -> list[str]:
    tree = ast.parse(statement)
    stmt = tree.body[0]
    assert isinstance(stmt, ast.AnnAssign)
    found: dict[str, None] = {}
    for part in (stmt.annotation, stmt.value):
        if part is not None:
            for node in ast.walk(part):
                if isinstance(node, ast.Name):
                    found.setdefault(node.id)
    return list(found)


def _dedent(statement: str) -> str:
    """The statement as written in the class body, continuation lines kept as they are."""
    return statement.strip()
