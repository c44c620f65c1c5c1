"""Which snippets fit the word being typed, in which order, and the imports each one needs."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from fastapi_architect.snippets.catalog import Snippet, SnippetContext


def match_prefix(snippet: Snippet, typed: str) -> str | None:
    """The text a client should filter ``snippet`` by when ``typed`` is the word being typed.

    ``typed`` must start one of the prefixes (case-insensitive), or the prefix without its
    ``fa`` namespace (``getdb`` finds ``fagetdb``), or — for a parameter — its text at the
    defaults (``session`` finds ``session: AsyncSessionDep``). ``None`` when nothing matches.
    """
    wanted = typed.lower()
    for prefix in snippet.prefixes:
        if prefix.lower().startswith(wanted):
            return prefix
    for prefix in snippet.prefixes:
        bare = prefix[len(NAMESPACE) :] if prefix.startswith(NAMESPACE) else ""
        if bare and bare.lower().startswith(wanted):
            return bare
    if snippet.context is SnippetContext.PARAMETER:
        parameter = snippet.default_text.strip()
        if parameter.lower().startswith(wanted):
            return parameter
    return None


NAMESPACE = "fa"
"""The prefix namespace of the module-level snippets (``fagetdb`` …)."""

LIBRARY_IMPORTS: Mapping[str, str | None] = {
    "Annotated": "typing",
    "AsyncIterator": "collections.abc",
    "Iterator": "collections.abc",
    "asynccontextmanager": "contextlib",
    "lru_cache": "functools",
    "Depends": "fastapi",
    "FastAPI": "fastapi",
    "APIRouter": "fastapi",
    "HTTPException": "fastapi",
    "Request": "fastapi",
    "status": "fastapi",
    "TestClient": "fastapi.testclient",
    "create_engine": "sqlalchemy",
    "select": "sqlalchemy",
    "Session": "sqlalchemy.orm",
    "sessionmaker": "sqlalchemy.orm",
    "StaticPool": "sqlalchemy.pool",
    "AsyncSession": "sqlalchemy.ext.asyncio",
    "async_sessionmaker": "sqlalchemy.ext.asyncio",
    "create_async_engine": "sqlalchemy.ext.asyncio",
    "BaseSettings": "pydantic_settings",
    "SettingsConfigDict": "pydantic_settings",
    "ASGITransport": "httpx",
    "AsyncClient": "httpx",
    "pytest": None,
}
"""Where the libraries' names the snippets use come from (``None``: ``import name``)."""


LOCAL_NAMES = frozenset({"router"})
"""Names every module defines for itself (an endpoint module's ``router``): never imported."""


def project_names(snippets: Iterable[Snippet]) -> frozenset[str]:
    """Names the snippets need that no library provides: the workspace index looks them up."""
    return frozenset(
        name
        for snippet in snippets
        for name in snippet.needed_names
        if name not in LIBRARY_IMPORTS and name not in LOCAL_NAMES
    )


def needed_imports(snippet: Snippet, project_modules: Mapping[str, str]) -> dict[str, str | None]:
    """Name → module for the names of ``snippet`` that an import can provide.

    Library names come from ``LIBRARY_IMPORTS``, project names from ``project_modules`` (the
    workspace index); names neither knows (and ``LOCAL_NAMES``) are left to the user.
    """
    needed: dict[str, str | None] = {}
    for name in snippet.needed_names:
        if name in LIBRARY_IMPORTS:
            needed[name] = LIBRARY_IMPORTS[name]
        elif name in project_modules and name not in LOCAL_NAMES:
            needed[name] = project_modules[name]
    return needed


def is_async_snippet(snippet: Snippet) -> bool:
    """The snippet uses the async flavour (``AsyncSession``, ``AsyncSessionDep`` …)."""
    return any(name.startswith("Async") for name in snippet.needed_names)


def order_parameters(
    candidates: Sequence[tuple[Snippet, str]], available: Collection[str], in_async_def: bool
) -> list[tuple[Snippet, str]]:
    """Parameter snippets whose names are ``available`` (imported, defined or indexed).

    When none is available (a project without these dependencies yet) all are kept. The
    flavour matching the function (async or not) comes first.
    """
    usable = [
        pair for pair in candidates if all(name in available for name in pair[0].needed_names)
    ] or list(candidates)
    return sorted(usable, key=lambda pair: is_async_snippet(pair[0]) != in_async_def)
