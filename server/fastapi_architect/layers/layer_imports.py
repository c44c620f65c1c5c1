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
from fastapi_architect.layers.project import ImportRef

_LOWER_LAYERS = {"services": "Service", "schemas": "Schema", "models": "Model/db"}


def _targets(module: CheckedModule, statement: ast.Import | ast.ImportFrom) -> list[Path]:
    """The project files ``statement`` imports (outside the project: none)."""
    found: list[Path] = []
    for alias in statement.names:
        if isinstance(statement, ast.Import):
            ref = ImportRef(alias.name, None, 0, statement, False)
        else:
            if alias.name == "*":
                ref = ImportRef(statement.module or "", None, statement.level, statement, False)
            else:
                ref = ImportRef(
                    statement.module or "", alias.name, statement.level, statement, False
                )
        if ref.attr is None:
            target = module.project.find_module(module.source.path, ref.module, ref.level)
        else:
            target = module.project.import_target(module.source, ref)
        if target is not None and target != module.source.path and target not in found:
            found.append(target)
    return found


def _relative(module: CheckedModule, path: Path) -> str | None:
    root = module.project.root
    if root is None:
        return None
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def _dotted(relative: str) -> str:
    return ".".join(module_parts(relative))


def _api_layer(module: CheckedModule, target: Path, relative: str) -> bool:
    """True when ``target`` is HTTP-facing: it declares routes, sits in a routing package or
    module (``endpoints``, ``routers``, ``views``, …), or is an ``api`` module that imports
    FastAPI or Starlette. A package merely named ``api`` that holds a whole application's
    utilities is not the API layer."""
    parts = module_parts(relative)
    part = deciding_part(parts)
    if part is None or layer_of(parts) != "api":
        return False
    source = module.project.source(target)
    if source is None:
        return False
    if part.lower() in ROUTING_PARTS or endpoints_of(source):
        return True
    return any(
        ref.module.split(".")[0] in ("fastapi", "starlette") and not ref.type_checking
        for ref in source.imports.values()
    )


def check_layer_imports(module: CheckedModule) -> list[LayerFinding]:
    """FA105 on each import statement that points up the layers or across endpoints."""
    lower = module.layer in _LOWER_LAYERS and not module.under_api
    endpoint_module = (
        bool(module.endpoints)
        and module.layer == "api"
        and "include_router" not in module.source.text
    )
    if not lower and not endpoint_module:
        return []
    found: list[LayerFinding] = []
    for statement, type_checking in module.source.import_statements:
        if type_checking:
            continue
        for target in _targets(module, statement):
            relative = _relative(module, target)
            if relative is None or not _api_layer(module, target, relative):
                continue
            if lower:
                message = (
                    f"{_LOWER_LAYERS[str(module.layer)]} module imports the API layer "
                    f"({_dotted(relative)}): dependencies point api → services → models. "
                    "Move what both need below the API layer."
                )
            else:
                target_source = module.project.source(target)
                if target_source is None or not endpoints_of(target_source):
                    continue
                message = (
                    f"Endpoint module imports another endpoint module ({_dotted(relative)}): "
                    "move what both need into a service, schema or dependency module."
                )
            start, end = module.span(statement)
            found.append(LayerFinding(IMPORT_AGAINST_LAYERS, message, start, end))
            break
    return found
