"""The domain-package layout: one package per domain, its router next to its service.

``case/views.py`` (or ``router.py``, ``routes.py``, ``api.py``, ``endpoints.py``) beside
``case/service.py``, ``case/models.py`` and ``case/schemas.py`` — the layout of Netflix
Dispatch and of the "FastAPI best practices" guide. Extracted logic goes into the domain's
own service module (created as ``service.py`` when missing); Pydantic models go to its
``schemas.py`` (or to ``models.py`` when that is where the domain keeps them). Only the
router modules are the routing layer: services may import ``models`` and ``schemas``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fastapi_architect.project_files import ProjectFiles, read_text_or_none

ROUTER_STEMS = frozenset({"router", "routers", "views", "routes", "api", "endpoints"})
"""Module names that hold a domain's path operations."""
SERVICE_STEMS = ("service", "services")
SIBLING_STEMS = ("models", "schemas")
"""Modules whose presence next to a router module marks a domain package."""

_PYDANTIC = re.compile(r"\b(?:pydantic|BaseModel|SQLModel)\b")
_ROUTE_DECORATOR = re.compile(
    r"^[ \t]*@[A-Za-z_][\w.]*\.(?:get|post|put|patch|delete|head|options|api_route)\(",
    re.MULTILINE,
)


@dataclass(frozen=True)
class DomainPackage:
    """Where extraction writes for an endpoint module of a domain package."""

    folder: Path
    service: Path
    """The existing sibling ``service.py`` / ``services.py``, else ``service.py`` to create."""
    schemas: Path
    """``schemas.py``; ``models.py`` when it holds the domain's Pydantic models; else a new
    ``schemas.py``."""


def domain_package(
    endpoint_path: Path, import_root: Path, files: ProjectFiles
) -> DomainPackage | None:
    """The domain package of the endpoint module, or ``None`` in any other layout.

    A router module (by name) in a package below the import root is in a domain package when
    a sibling service module exists, or when a ``models.py`` / ``schemas.py`` sibling does and
    the folder has no ``services/`` package of its own."""
    folder = endpoint_path.parent
    if endpoint_path.stem not in ROUTER_STEMS or folder == import_root:
        return None
    if import_root not in folder.parents:
        return None
    service = next(
        (folder / f"{stem}.py" for stem in SERVICE_STEMS if files.is_file(folder / f"{stem}.py")),
        None,
    )
    siblings = [folder / f"{stem}.py" for stem in SIBLING_STEMS]
    if service is None:
        if files.is_dir(folder / "services") or not any(files.is_file(s) for s in siblings):
            return None
        service = folder / "service.py"
    models, schemas = siblings
    if not files.is_file(schemas) and files.is_file(models):
        text = read_text_or_none(files, models)
        if text is not None and _PYDANTIC.search(text):
            schemas = models
    return DomainPackage(folder, service, schemas)


def in_routing_layer(
    module: str, *, package: str, in_domain: bool, import_root: Path, files: ProjectFiles
) -> bool:
    """Whether ``module`` belongs to the routing layer a service must not import.

    In a domain package only modules that declare path operations are (judged by name when
    the module's file cannot be read: ``views``, ``router``, …); elsewhere every module next
    to the endpoint module is."""
    if not in_domain:
        return bool(package) and "." in package and module.startswith(package + ".")
    stem = module.rpartition(".")[2]
    base = import_root.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        text = read_text_or_none(files, path)
        if text is not None:
            return _ROUTE_DECORATOR.search(text) is not None
    return stem in ROUTER_STEMS and files.is_dir(import_root / module.split(".")[0])
