"""A resource's models move to the schemas layer together, or not at all.

When the extraction moves a Pydantic model of the endpoint module into the schemas module
(the request model ``ItemCreate`` the service takes), the other models the endpoint declares
and the module defines — ``response_model=ItemRead``, its return annotation, its other
parameters' models — move with it, so a resource's request and response models never end up
split between the endpoint module and the schemas module. The endpoint module imports them
back. When one of them cannot move, the extraction is refused with the reason.
"""

from __future__ import annotations

import ast

from fastapi_architect.extract.context import EndpointModule, ExtractRefusal
from fastapi_architect.extract.dependencies import MODEL_BASES, Placement, collect_definitions
from fastapi_architect.extract.endpoints import Endpoint
from fastapi_architect.extract.names import loaded_names


def _declared_names(endpoint: Endpoint) -> set[str]:
    """Names in the endpoint's ``response_model``, return annotation and parameter types."""
    node = endpoint.node
    keywords = endpoint.decorator.keywords
    found: list[ast.AST] = [k.value for k in keywords if k.arg == "response_model"]
    if node.returns is not None:
        found.append(node.returns)
    args = node.args
    found += [
        arg.annotation
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs)
        if arg.annotation is not None
    ]
    return loaded_names(found)


def _class_node(name: str, ctx: EndpointModule) -> ast.stmt | None:
    """The top-level class ``name``; also one bound in a way that cannot move (inside an
    ``if``, twice), so that its pairing is refused rather than silently skipped."""
    node = ctx.symbols.definitions.get(name)
    if node is not None or name not in ctx.symbols.unmovable:
        return node
    return next(
        (
            found
            for statement in ctx.tree.body
            if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
            for found in ast.walk(statement)
            if isinstance(found, ast.ClassDef) and found.name == name
        ),
        None,
    )


def _is_local_model(name: str, ctx: EndpointModule, seen: set[str]) -> bool:
    """A class of the endpoint module deriving (through its other classes) from a model."""
    node = _class_node(name, ctx)
    if not isinstance(node, ast.ClassDef) or name in seen:
        return False
    seen.add(name)
    for base in node.bases:
        target = base.value if isinstance(base, ast.Subscript) else base
        base_name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
        binding = ctx.symbols.imports.get(base_name)
        if (
            base_name in MODEL_BASES
            or (binding is not None and "schemas" in (binding.module or "").split("."))
            or _is_local_model(base_name, ctx, seen)
        ):
            return True
    return False


def with_paired_models(
    roots: set[str], ctx: EndpointModule, endpoint: Endpoint, placement: Placement
) -> Placement:
    """``placement`` plus the endpoint's other models, when a model moves to the schemas."""
    if not placement.schema_defs:
        return placement
    placed = {*placement.schema_defs, *placement.service_defs}
    paired = {
        name for name in _declared_names(endpoint) - placed if _is_local_model(name, ctx, set())
    }
    if not paired:
        return placement
    try:
        return collect_definitions(roots | paired, ctx, endpoint)
    except ExtractRefusal as error:
        moving = ", ".join(f"`{name}`" for name in placement.schema_defs)
        models = ", ".join(f"`{name}`" for name in sorted(paired))
        raise ExtractRefusal(
            f"{moving} would move to the schemas module without {models}, which the endpoint "
            f"declares with it; they move together or not at all, and {models} cannot: {error}"
        ) from error
