"""The service function's name, and how the endpoint calls it.

The endpoint module's own imports decide the call: through the service module when it
imports that (``from . import service`` → ``service.create(...)``, ``from app.case import
service as case_service`` → ``case_service.create(...)``), by name when it imports the
service's functions by name (``from .service import create`` → ``create(...)``) and the name is
free in the module, else through the module. In a domain package (``case/views.py`` next to
``case/service.py``) the function drops the domain from the endpoint's name, as such service
modules are written (``create_case`` → ``create``). A function of the service module that is
already exactly the one the extraction would write is called, not duplicated.
"""

from __future__ import annotations

import ast
import keyword
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi_architect.extract.chunks import to_lf
from fastapi_architect.extract.context import EndpointModule, ExtractRefusal
from fastapi_architect.extract.endpoints import Endpoint, parameter_names
from fastapi_architect.extract.layout import singular
from fastapi_architect.extract.names import BUILTINS, bound_names
from fastapi_architect.extract.targets import TargetModule


@dataclass(frozen=True)
class ServiceFunction:
    """The function the endpoint will call."""

    name: str
    direct: bool
    """Called by its bare name (imported from the service module by name)."""
    reused: bool
    """An identical function already in the service module: nothing is appended."""


def imports_service_names(ctx: EndpointModule, endpoint: Endpoint) -> bool:
    """True when the module imports names from the service module but not the module itself."""
    target = ctx.layout.service.module
    package, _, stem = target.rpartition(".")
    params = set(parameter_names(endpoint.node))
    by_name = False
    for binding in ctx.symbols.imports.values():
        if binding.bound in params:
            continue
        if (binding.module == package and binding.name == stem) or (
            binding.module is None and binding.name == target and binding.asname
        ):
            return False
        by_name |= binding.module == target
    return by_name


def _without_domain(name: str, domain: str) -> str | None:
    """``create_case`` → ``create`` in the ``case`` domain, ``get_incident_costs`` → ``get``
    in ``incident_cost`` (``None`` when nothing is left or nothing matched)."""
    parts = name.split("_")
    head, _, last = domain.rpartition("_")
    prefix = head.split("_") if head else []
    forms = {(*prefix, word) for word in (last, singular(last), last + "s")}
    for size in {len(form) for form in forms}:
        for start in range(len(parts) - size + 1):
            if tuple(parts[start : start + size]) in forms:
                kept = parts[:start] + parts[start + size :]
                return "_".join(kept) if kept and all(kept) else None
    return None


def _usable(name: str, taken: set[str]) -> bool:
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and name not in BUILTINS
        and name not in taken
    )


def _identical(service: TargetModule, render: Callable[[str], str]) -> str | None:
    """The name of a function of the service module whose text is what ``render`` gives."""
    if service.tree is None or service.text is None:
        return None
    for node in service.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.decorator_list:
            wanted = render(node.name).rstrip("\n")
            segment = ast.get_source_segment(service.text, node)
            if segment is not None and to_lf(segment) == wanted:
                return node.name
    return None


def choose_function(
    ctx: EndpointModule,
    endpoint: Endpoint,
    service: TargetModule,
    taken: set[str],
    render: Callable[[str], str],
) -> ServiceFunction:
    """Name the service function: free in the service module (``taken``) and, when called
    by name, in the endpoint module; or an identical existing one."""
    node = endpoint.node
    direct = imports_service_names(ctx, endpoint)
    params = set(parameter_names(node))
    in_module = ctx.symbols.all_names() | params
    existing = _identical(service, render)
    if existing is not None:
        imported = ctx.symbols.imports.get(existing)
        by_name = existing not in params and (
            existing not in in_module
            or (imported is not None and imported.module == ctx.layout.service.module)
        )
        return ServiceFunction(existing, direct and by_name, reused=True)
    candidates = [node.name]
    if ctx.layout.domain is not None:
        stripped = _without_domain(node.name, ctx.layout.domain.name)
        if stripped is not None:
            candidates.insert(0, stripped)
    if direct:
        for candidate in candidates:
            if _usable(candidate, taken | in_module):
                return ServiceFunction(candidate, direct=True, reused=False)
    for candidate in candidates:
        if _usable(candidate, taken):
            return ServiceFunction(candidate, direct=False, reused=False)
    base = candidates[0]
    number = 2
    while not _usable(f"{base}_{number}", taken):
        number += 1
    return ServiceFunction(f"{base}_{number}", direct=False, reused=False)


def service_module_reads(
    ctx: EndpointModule, body: Sequence[ast.stmt], free: set[str], service: TargetModule
) -> tuple[set[str], list[ast.Attribute]]:
    """The names the endpoint module imports the service module under that the body reads
    (``service`` in ``service.get(...)``, among its ``free`` names), and those reads: inside
    the service module ``service.get`` is plain ``get``."""
    target = ctx.layout.service.module
    package, _, stem = target.rpartition(".")
    aliases = {
        binding.bound
        for binding in ctx.symbols.imports.values()
        if (binding.module == package and binding.name == stem)
        or (binding.module is None and binding.name == target and binding.asname)
    } & free
    if not aliases:
        return set(), []
    parents: dict[int, ast.AST] = {}
    local = bound_names(body)
    for statement in body:
        for node in ast.walk(statement):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
    reads: list[ast.Attribute] = []
    where = service.target.path.name
    for statement in body:
        for node in ast.walk(statement):
            if not isinstance(node, ast.Name) or node.id not in aliases:
                continue
            parent = parents.get(id(node))
            if not isinstance(parent, ast.Attribute) or not isinstance(parent.ctx, ast.Load):
                raise ExtractRefusal(
                    f"the logic uses the service module `{node.id}` itself, not one of its "
                    f"names; inside {where} it has no name"
                )
            name = parent.attr
            if name not in service.names():
                raise ExtractRefusal(f"`{node.id}.{name}` is not defined in {where}")
            if name in local or parent.lineno != parent.end_lineno:
                raise ExtractRefusal(
                    f"`{node.id}.{name}` would read `{name}` inside {where}, but the logic "
                    "binds that name itself (or splits the read over lines); rename it first"
                )
            reads.append(parent)
    return aliases, reads
