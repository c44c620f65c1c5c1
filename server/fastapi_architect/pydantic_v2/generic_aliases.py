"""Type aliases that take their type variables from a generic model (PYD022, reported).

V1's ``Model[T]`` (``GenericModel``, or ``BaseModel`` with ``Generic[T]``) with a type variable
was a typing alias carrying ``T`` in ``__parameters__``, so an alias built on it took ``T``
too::

    Next = Callable[[Method[T]], Awaitable[Response[T]]]
    Handler = Union[Middleware, Callable[[Next[T]], Awaitable[Response[T]]]]

V2's ``Model[T]`` is a class, and typing does not collect type variables from classes:
``Next`` has no parameters and ``Next[T]`` raises ``TypeError`` on import. Which names are type
variables is not known here (they are often imported), so the alias is reported with the V2
forms that keep ``T``: a ``Protocol[T]`` class, or
``TypeAliasType("Next", ..., type_params=(T,))`` from ``typing_extensions``.
"""

from __future__ import annotations

import ast
from collections.abc import Collection

from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import GENERIC_ALIAS_CODE
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels
from fastapi_architect.pydantic_v2.source import Source


def plan_generic_aliases(
    src: Source, classes: list[ModelClass], workspace: WorkspaceModels = NO_MODELS
) -> list[Conversion]:
    """A report for every module-level alias built on ``Model[...]`` that the module itself
    subscripts (``Alias[T]``), which only works while ``Model[...]`` is a typing alias."""
    models = {model.node.name for model in classes if model.known_model}
    models.update(name for name, _ in workspace.classes if "." not in name)
    if not models:
        return []
    aliases: dict[str, tuple[ast.Assign, list[str]]] = {}
    for stmt in src.tree.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Subscript)
        ):
            used = _subscripted_models(stmt.value, models)
            if used:
                aliases[stmt.targets[0].id] = (stmt, used)
    if not aliases:
        return []
    reported: list[Conversion] = []
    for name in sorted(_subscripted(src.tree, aliases), key=lambda n: aliases[n][0].lineno):
        stmt, used = aliases[name]
        shown = ", ".join(f"`{model}[...]`" for model in used)
        message = (
            f"`{name}` takes its type variables from {shown}, and the module subscripts it "
            f"(`{name}[...]`): V2's `Model[T]` is a class, not the typing alias V1's `BaseModel` "
            f"with `Generic[T]` gave, so `{name}` "
            f"gets no type variables from it and `{name}[...]` raises `TypeError` on import. "
            f"Not converted (which names are type variables is not known here): define "
            f"`{name}` as a `Protocol[T]` class, or as "
            f'`TypeAliasType("{name}", ..., type_params=(T,))` from `typing_extensions`.'
        )
        target = stmt.targets[0]
        reported.append(
            refused(
                GENERIC_ALIAS_CODE,
                f"{name}:generic alias",
                message,
                src.start(target),
                src.end(target),
            )
        )
    return reported


def _subscripted_models(value: ast.expr, models: set[str]) -> list[str]:
    """The models ``value`` subscripts with a name (``Response[T]``), in order."""
    found: list[str] = []
    for node in ast.walk(value):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in models
            and any(isinstance(part, ast.Name) for part in ast.walk(node.slice))
            and node.value.id not in found
        ):
            found.append(node.value.id)
    return found


def _subscripted(tree: ast.Module, aliases: Collection[str]) -> list[str]:
    """The aliases the module subscripts anywhere, in the order of their first subscript."""
    seen: list[str] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and isinstance(node.ctx, ast.Load)
            and node.value.id not in seen
        ):
            seen.append(node.value.id)
    return seen
