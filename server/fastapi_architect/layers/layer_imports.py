"""FA105: imports that run against the layers.

The services, schemas and models/db layers must not import the API layer (``api``,
``endpoints``, ``routers`` packages; a domain package's ``router.py``/``views.py``), and an
endpoint module must not import another endpoint module — except the aggregation module that
includes the routers (``api/v1/api.py``, ``main.py``: it calls ``include_router``). Imports
under ``if TYPE_CHECKING:`` do not run and are not reported.
"""

from __future__ import annotations

import ast
from pathlib import Path

from fastapi_architect.layers.codes import IMPORT_AGAINST_LAYERS
from fastapi_architect.layers.layout import ROUTING_PARTS, deciding_part, layer_of, module_parts
from fastapi_architect.layers.model import LayerFinding
from fastapi_architect.layers.module import CheckedModule, endpoints_of

_LOWER_LAYERS = {"services": "Service", "schemas": "Schema", "models": "Model/db"}


def _targets(
    module: CheckedModule, statement: ast.Import | ast.ImportFrom
) -> list[tuple[Path, str]]:
    """The project files ``statement`` imports, each with the module name as written
    (``app.api.deps``, ``.views``); modules outside the project are left out."""
    project, importer = module.project, module.source.path
    found: list[tuple[Path, str]] = []
    for alias in statement.names:
        if isinstance(statement, ast.Import):
            target, name = project.find_module(importer, alias.name, 0), alias.name
        else:
            base = "." * statement.level + (statement.module or "")
            written = statement.module or ""
            if alias.name == "*":
                package = project.find_module(importer, written, statement.level)
                target = None
            else:
                package, target = project.from_import(
                    importer, written, statement.level, alias.name
                )
            if target is not None:
                name = f"{base}.{alias.name}" if statement.module else base + alias.name
            else:
                target, name = package, base
        if target is not None and target != importer and all(target != t for t, _ in found):
            found.append((target, name))
    return found


def _relative(module: CheckedModule, path: Path) -> str | None:
    root = module.project.root
    if root is None:
        return None
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def _api_layer(module: CheckedModule, target: Path, relative: str) -> bool:
    """True when ``target`` is HTTP-facing: it declares routes, sits in a routing package or
    module (``endpoints``, ``routers``, ``views``, …), or is an ``api`` module that imports
    FastAPI or Starlette for more than its exceptions and status codes (``Depends``,
    ``Request``, ``APIRouter``: dependencies, exception handlers). A package merely named
    ``api`` that holds a whole application's utilities and exceptions is not the API layer."""
    parts = module_parts(relative)
    part = deciding_part(parts, tools_count=True)
    if part is None or layer_of(parts, tools_count=True) != "api":
        return False
    if part.lower() not in ROUTING_PARTS and not module.project.might_serve_http(target):
        return False
    source = module.project.source(target)
    if source is None:
        return False
    if part.lower() in ROUTING_PARTS or endpoints_of(source):
        return True
    return any(
        not ref.type_checking
        and ref.module.split(".")[0] in ("fastapi", "starlette")
        and (ref.attr or "") not in _NOT_HTTP_FACING
        and ".status" not in f".{ref.module}"
        and ".exceptions" not in f".{ref.module}"
        for ref in source.imports.values()
    )


_NOT_HTTP_FACING = frozenset({"HTTPException", "status", "exceptions", "WebSocketException"})
"""Imported from FastAPI by exception modules, which are not the API layer by that alone."""


def check_layer_imports(module: CheckedModule) -> list[LayerFinding]:
    """FA105 on each import statement that points up the layers or across endpoints."""
    lower = module.layer in _LOWER_LAYERS and not module.under_api
    # A module that declares routes is an endpoint module wherever it lives (``cli/endpoints.py``).
    endpoint_module = (
        bool(module.endpoints)
        and layer_of(module.parts, tools_count=True) == "api"
        and "include_router" not in module.source.text
    )
    if not lower and not endpoint_module:
        return []
    found: list[LayerFinding] = []
    for statement, type_checking in module.source.import_statements:
        if type_checking:
            continue
        for target, name in _targets(module, statement):
            relative = _relative(module, target)
            if relative is None or not _api_layer(module, target, relative):
                continue
            if lower:
                message = (
                    f"{_LOWER_LAYERS[str(module.layer)]} module imports the API layer "
                    f"({name}): dependencies point api → services → models. "
                    "Move what both need below the API layer."
                )
            else:
                target_source = module.project.source(target)
                if target_source is None or not endpoints_of(target_source):
                    continue
                message = (
                    f"Endpoint module imports another endpoint module ({name}): "
                    "move what both need into a service, schema or dependency module."
                )
            start, end = module.span(statement)
            found.append(LayerFinding(IMPORT_AGAINST_LAYERS, message, start, end))
            break
    return found
