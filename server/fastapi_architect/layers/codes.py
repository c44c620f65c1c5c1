"""The FA1xx codes: one registry for the CLI's ``--select``, the settings and the README."""

from __future__ import annotations

UNINCLUDED_ROUTER = "FA101"
SHADOWED_ROUTE = "FA102"
DATA_ACCESS_IN_ENDPOINT = "FA103"
HTTP_EXCEPTION_IN_SERVICE = "FA104"
IMPORT_AGAINST_LAYERS = "FA105"
SYNC_SESSION_IN_ASYNC = "FA106"
ASYNC_SESSION_NOT_AWAITED = "FA107"

CODES: dict[str, str] = {
    UNINCLUDED_ROUTER: "a router that no include_router() reaches",
    SHADOWED_ROUTE: "a route shadowed by one registered earlier",
    DATA_ACCESS_IN_ENDPOINT: "data access (session calls, select/insert/...) in a path operation",
    HTTP_EXCEPTION_IN_SERVICE: "HTTPException raised in the service layer",
    IMPORT_AGAINST_LAYERS: "an import against the layers (services/schemas/models → API, "
    "endpoint → endpoint)",
    SYNC_SESSION_IN_ASYNC: "a synchronous Session used inside an async def",
    ASYNC_SESSION_NOT_AWAITED: "an AsyncSession coroutine method called without await",
}
"""Every FA code with what it reports."""

LAYER_CODES = tuple(code for code in CODES if code not in (UNINCLUDED_ROUTER, SHADOWED_ROUTE))
"""The codes the layers engine computes (FA101/FA102 come from the route index)."""
