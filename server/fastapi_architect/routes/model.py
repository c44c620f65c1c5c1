"""The route index's data: spans, one module's facts, and resolved routes."""

from __future__ import annotations

from dataclasses import dataclass, field

HTTP_METHODS = ("get", "post", "put", "delete", "patch", "options", "head", "trace")
"""``APIRouter`` / ``FastAPI`` methods that declare one path operation for one HTTP method."""


@dataclass(frozen=True)
class Span:
    """A source range in code points: 0-based lines, end exclusive."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    ascii: bool = True
    """Both lines are ASCII: the columns are the same in every LSP position encoding."""

    def shifted(self, lines: int) -> Span:
        """The same columns ``lines`` lines further down."""
        return Span(
            self.start_line + lines,
            self.start_column,
            self.end_line + lines,
            self.end_column,
            self.ascii,
        )

    def contains_line(self, line: int) -> bool:
        """True when ``line`` lies within the span."""
        return self.start_line <= line <= self.end_line


@dataclass(frozen=True)
class Prefix:
    """A ``prefix=`` argument: a literal, or an expression to resolve (``settings.API_V1``)."""

    literal: str | None
    reference: tuple[str, ...] = ()
    source: str = ""


EMPTY_PREFIX = Prefix("")


@dataclass(frozen=True)
class RouterDecl:
    """``name = APIRouter(prefix=…)`` or ``name = FastAPI(…)`` in one module."""

    path: str
    module: str
    name: str
    is_app: bool
    prefix: Prefix
    span: Span
    line: int

    @property
    def never_included_message(self) -> str:
        """FA101's text, the same in the editor and on the command line."""
        return (
            f"Router '{self.name}' is never included: no include_router() reaches it, "
            "so its routes are not served."
        )


@dataclass(frozen=True)
class RouteDecl:
    """One path operation as declared: ``@owner.get("/x")`` or ``owner.add_api_route(…)``."""

    file: str
    owner: tuple[str, ...]
    methods: tuple[str, ...]
    path: str
    handler: str
    handler_span: Span
    declaration_span: Span
    """From the first decorator to the end of the handler (the call for ``add_api_route``)."""
    response_model: str | None
    status_code: str | None
    line: int


@dataclass(frozen=True)
class IncludeDecl:
    """``parent.include_router(child, prefix=…)``."""

    parent: tuple[str, ...]
    child: tuple[str, ...]
    prefix: Prefix
    line: int


@dataclass
class ModuleFacts:
    """What one module declares, as far as routes are concerned."""

    path: str
    module: str
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    """Local name → (absolute module, imported attribute or ``None`` for ``import m``)."""
    routers: dict[str, RouterDecl] = field(default_factory=dict)
    routes: list[RouteDecl] = field(default_factory=list)
    includes: list[IncludeDecl] = field(default_factory=list)
    constants: dict[str, str] = field(default_factory=dict)
    """Module-level ``NAME = "text"`` assignments."""
    class_constants: dict[str, str] = field(default_factory=dict)
    """Class-body ``NAME: str = "text"`` fields (settings classes)."""
    syntax_error: bool = False
    complete: bool = True
    """``False``: scanned for imports only (no route marker); constants not collected."""


@dataclass(frozen=True)
class ChainLink:
    """One router on the way from an application to a route."""

    name: str
    path: str
    prefix: str
    """The prefix this step adds: the ``include_router`` prefix plus the router's own."""


@dataclass(frozen=True)
class Route:
    """A path operation with its full path, as the application serves it."""

    method: str
    full_path: str
    handler: str
    path: str
    """The file declaring the handler (relative, POSIX)."""
    handler_span: Span
    declaration_span: Span
    response_model: str | None
    status_code: str | None
    chain: tuple[ChainLink, ...]
    included: bool
    """``False``: its router is never included in an application (``full_path`` is partial)."""

    @property
    def title(self) -> str:
        """``POST /api/v1/users/``."""
        return f"{self.method} {self.full_path}"


@dataclass(frozen=True)
class ShadowedRoute:
    """``route`` never runs: ``by``, registered earlier, matches the same method and path."""

    route: Route
    by: Route

    @property
    def message(self) -> str:
        """FA102's text, the same in the editor and on the command line."""
        by = self.by
        return (
            f"{self.route.title} never runs: {by.title} ({by.handler}, "
            f"{by.path}:{by.handler_span.start_line + 1}) is registered earlier and "
            "matches first. Declare this route before it."
        )
