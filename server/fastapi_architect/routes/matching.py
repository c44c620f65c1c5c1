"""Which route serves a request: Starlette's path matching, in registration order.

A path parameter ``{name}`` matches one non-empty segment, ``{name:int}`` digits,
``{name:float}``, ``{name:uuid}`` their forms and ``{name:path}`` the rest of the path.
Parts of a request path whose value is not known statically (``f"/users/{user_id}"``) are
``UNKNOWN`` characters: they match any parameter, never literal text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from fastapi_architect.routes.model import Route

UNKNOWN = "\ue000"
"""Stands for a part of a request path only known at run time."""

_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(:[a-zA-Z_][a-zA-Z0-9_]*)?}")
_CONVERTORS = {
    "str": "[^/]+",
    "int": "[0-9]+",
    "float": r"[0-9]+(?:\.[0-9]+)?",
    "uuid": "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
}
_ANY_SEGMENT = f"[^/]*{UNKNOWN}[^/]*"


@functools.lru_cache(maxsize=4096)
def path_pattern(full_path: str) -> re.Pattern[str]:
    """The regular expression Starlette compiles for ``full_path``, also matching ``UNKNOWN``."""
    parts: list[str] = []
    end = 0
    for match in _PARAM.finditer(full_path):
        parts.append(re.escape(full_path[end : match.start()]))
        convertor = (match.group(2) or ":str")[1:]
        if convertor == "path":
            parts.append(".*")
        else:
            parts.append(f"(?:{_CONVERTORS.get(convertor, '[^/]+')}|{_ANY_SEGMENT})")
        end = match.end()
    parts.append(re.escape(full_path[end:]))
    return re.compile("^" + "".join(parts) + "$")


def _serves(route: Route, method: str) -> bool:
    return route.method == method or (method == "HEAD" and route.method == "GET")


def matching_routes(routes: Iterable[Route], method: str, path: str) -> list[Route]:
    """The route each application runs for ``method path`` (first match per application).

    Routes of routers never included are tried only when no application serves the
    request; a path differing only by a trailing slash matches as Starlette's redirect does.
    """
    method = method.upper()
    candidates = list(routes)
    for included in (True, False):
        pool = [route for route in candidates if route.included == included]
        for attempt in _slash_variants(path):
            found = _first_per_application(pool, method, attempt)
            if found:
                return found
    return []


def _slash_variants(path: str) -> list[str]:
    path = path or "/"
    if path == "/":
        return [path]
    return [path, path[:-1] if path.endswith("/") else path + "/"]


def _first_per_application(routes: list[Route], method: str, path: str) -> list[Route]:
    found: dict[tuple[str, str], Route] = {}
    for route in routes:
        application = (route.chain[0].path, route.chain[0].name) if route.chain else ("", "")
        if application in found or not _serves(route, method):
            continue
        if path_pattern(route.full_path).match(path):
            found[application] = route
    return list(found.values())
