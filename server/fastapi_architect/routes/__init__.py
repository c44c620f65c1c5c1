"""The route index: every path operation of a workspace, its full path and what is wrong with it.

A pure engine: it reads files only through a ``read_text`` callable (the server passes open
buffers first) and returns data. ``scan`` extracts one module's facts, ``index`` links them
across modules (imports, ``include_router`` chains, prefixes) and finds routers never
included and routes shadowed by an earlier one.
"""

from __future__ import annotations

from fastapi_architect.routes.index import RouteIndex
from fastapi_architect.routes.model import ChainLink, Route, RouterDecl, ShadowedRoute, Span

__all__ = ["ChainLink", "Route", "RouteIndex", "RouterDecl", "ShadowedRoute", "Span"]
