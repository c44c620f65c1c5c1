"""Which layer a module belongs to, read from its path (the scaffold's and domain layouts).

The most specific part decides: ``app/api/v1/endpoints/users.py`` is API (``endpoints``),
``app/services/user_service.py`` services, ``dispatch/incident/views.py`` API,
``dispatch/incident/service.py`` services, ``polar/user/schemas.py`` schemas.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

Layer = Literal["api", "services", "schemas", "models"]

_API = frozenset({"api", "apis", "endpoints", "routers", "router", "routes", "views"})
_SERVICES = frozenset({"services", "service"})
_SCHEMAS = frozenset({"schemas", "schema"})
_MODELS = frozenset(
    {"models", "model", "db", "database", "crud", "repository", "repositories", "orm"}
)


def part_layer(part: str) -> Layer | None:
    """The layer one path or module part names, if any."""
    lowered = part.lower()
    if lowered in _API:
        return "api"
    if lowered in _SERVICES or lowered.endswith(("_service", "_services")):
        return "services"
    if lowered in _SCHEMAS or lowered.endswith(("_schema", "_schemas")):
        return "schemas"
    if lowered in _MODELS or lowered.endswith(("_models", "_repository", "_crud")):
        return "models"
    return None


OUTSIDE_LAYERS = frozenset(
    {"tests", "test", "cli", "commands", "scripts", "migrations", "alembic", "docs", "examples"}
)
"""Folders whose modules belong to no layer (tools around the application)."""

ROUTING_PARTS = frozenset({"endpoints", "routers", "router", "routes", "views"})
"""Parts that name routing modules for sure (``api`` alone may be a whole application)."""


def deciding_part(
    parts: Sequence[str],
    *,
    tools_count: bool = False,
    package: Sequence[str] | None = None,
) -> str | None:
    """The most specific part of a module that names a layer (``None``: no layer). Modules
    under tool folders (``cli``, ``scripts``, ``tests``, …) have none unless ``tools_count``;
    ``package`` (the folders of the module's package chain) limits where tool folders count,
    so a project kept under someone's ``tests/`` folder is still layered."""
    folders = parts[:-1] if package is None else package
    if not tools_count and any(part.lower() in OUTSIDE_LAYERS for part in folders):
        return None
    for part in reversed(parts):
        if part != "__init__" and part_layer(part) is not None:
            return part
    return None


def layer_of(
    parts: Sequence[str], *, tools_count: bool = False, package: Sequence[str] | None = None
) -> Layer | None:
    """The layer of a module given its parts (folders and stem, or dotted name)."""
    part = deciding_part(parts, tools_count=tools_count, package=package)
    return None if part is None else part_layer(part)


def under_api(parts: Sequence[str]) -> bool:
    """True when any folder of the module (not only the most specific) is an API one."""
    return any(part_layer(part) == "api" for part in parts)


def module_parts(relative_path: str) -> tuple[str, ...]:
    """``app/api/v1/endpoints/users.py`` → ``("app", "api", "v1", "endpoints", "users")``."""
    stem = relative_path[:-3] if relative_path.endswith(".py") else relative_path
    return tuple(part for part in stem.split("/") if part and part != "__init__")
