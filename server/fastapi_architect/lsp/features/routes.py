"""Routes: path operations as symbols, a route card on hover, FA101/FA102 diagnostics,
go to definition from a test-client call to the handler that serves it, and a code lens
above each endpoint naming the service it delegates to (or offering the extraction).

One ``RouteIndex`` per workspace folder, kept current on every request: open buffers are
stamped with their version, files on disk with ``(mtime, size)``, and only files whose stamp
changed are read again. The list of files is walked again only when a folder changed.
"""

from __future__ import annotations

import ast
import os
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from fastapi_architect.lsp.features.base import Feature
from fastapi_architect.lsp.positions import from_lsp_position, to_lsp_range
from fastapi_architect.lsp.readme_links import readme_section
from fastapi_architect.textedit import TextPosition

if TYPE_CHECKING:
    import ast

    from fastapi_architect.lsp.documents import AnalysedDocument
    from fastapi_architect.lsp.host import FeatureHost
    from fastapi_architect.routes import Route, RouteIndex, Span

README_SECTION = "route-diagnostics"
"""The README anchor the FA1xx diagnostics link to."""

EXTRACT_COMMAND = "fastapi-architect.extractService"
"""The extract feature's command (arguments ``[{"uri", "line"}]``), offered by a lens."""

SERVICE_LENS_COMMAND = ""
"""Service lenses are labels: an empty command id makes clients show them unclickable."""

MAX_WORKSPACE_SYMBOLS = 1_000
"""Answers to ``workspace/symbol`` stop here (the client filters further as the user types)."""


class RoutesFeature(Feature):
    """Workspace symbols, document symbols and hover for FastAPI path operations."""

    name = "routes"

    def __init__(self) -> None:
        self._indexes: dict[Path, RouteIndex] = {}
        self._listings: dict[Path, PythonFiles] = {}

    # --- LSP ------------------------------------------------------------------------------

    def diagnostics(
        self, server: FeatureHost, document: AnalysedDocument
    ) -> Sequence[types.Diagnostic]:
        """FA101 on routers never included, FA102 on routes an earlier route shadows."""
        located = self._locate(server, document.uri)
        if located is None:
            return []
        index, relative = located
        encoding = server.position_encoding
        found = [
            _diagnostic(
                _span_range(document.lines, router.span, encoding),
                "FA101",
                router.never_included_message,
            )
            for router in index.routers_never_included_in(relative)
        ]
        seen: set[tuple[str, int]] = set()
        for shadowed in index.shadowed_routes_in(relative):
            route = shadowed.route
            if (route.method, route.handler_span.start_line) in seen:
                continue
            seen.add((route.method, route.handler_span.start_line))
            found.append(
                _diagnostic(
                    _span_range(document.lines, route.handler_span, encoding),
                    "FA102",
                    shadowed.message,
                )
            )
        return found

    def workspace_symbols(
        self, server: FeatureHost, query: str
    ) -> Sequence[types.SymbolInformation]:
        """Routes whose method, path or handler contain every word of ``query``."""
        found: list[types.SymbolInformation] = []
        for root, index in self._current_indexes(server):
            for route in index.search(query):
                if len(found) >= MAX_WORKSPACE_SYMBOLS:
                    return found
                uri = _uri(root / route.path)
                found.append(
                    types.SymbolInformation(
                        name=route.title,
                        kind=types.SymbolKind.Method,
                        location=types.Location(
                            uri=uri, range=_range(server, uri, route.handler_span)
                        ),
                        container_name=_container(route),
                    )
                )
        return found

    def document_symbols(
        self, server: FeatureHost, document: AnalysedDocument
    ) -> Sequence[types.DocumentSymbol]:
        """One symbol per route declared in the document, spanning decorators and handler."""
        located = self._locate(server, document.uri)
        if located is None:
            return []
        index, relative = located
        encoding = server.position_encoding
        return [
            types.DocumentSymbol(
                name=route.title,
                kind=types.SymbolKind.Method,
                range=_span_range(document.lines, route.declaration_span, encoding),
                selection_range=_span_range(document.lines, route.handler_span, encoding),
                detail=_container(route),
            )
            for route in index.routes_in(relative)
        ]

    def hover(
        self, server: FeatureHost, document: AnalysedDocument, params: types.HoverParams
    ) -> types.Hover | None:
        """The route card of the path operation whose decorators or ``def`` line is hovered."""
        located = self._locate(server, document.uri)
        if located is None:
            return None
        index, relative = located
        routes = index.routes_at(relative, params.position.line)
        if not routes:
            return None
        markdown = server.support.hover_markdown
        shadowed = {s.route: s.by for s in index.shadowed_routes_in(relative)}
        cards = [_card(route, shadowed.get(route), markdown) for route in routes]
        first = routes[0]
        span_end = first.handler_span
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText,
                value=("\n\n---\n\n" if markdown else "\n\n").join(cards),
            ),
            range=to_lsp_range(
                document.lines,
                TextPosition(
                    first.declaration_span.start_line, first.declaration_span.start_column
                ),
                TextPosition(span_end.end_line, span_end.end_column),
                server.position_encoding,
            ),
        )

    def definition(
        self, server: FeatureHost, document: AnalysedDocument, params: types.DefinitionParams
    ) -> Sequence[types.LocationLink]:
        """The handler each application runs for the test-client request under the cursor."""
        from fastapi_architect.routes.clients import client_call_at
        from fastapi_architect.routes.matching import matching_routes

        if "client" not in document.text.lower():
            return []
        tree = document.python_ast()
        if tree is None:
            return []
        lines = [line.rstrip("\r\n") for line in document.lines]
        encoding = server.position_encoding
        where = from_lsp_position(document.lines, params.position, encoding)
        call = client_call_at(tree, lines, where.line, where.column)
        if call is None:
            return []
        origin = _span_range(document.lines, call.span, encoding)
        links: list[types.LocationLink] = []
        for root, index in self._current_indexes(server):
            for route in matching_routes(index.routes(), call.method, call.path):
                uri = _uri(root / route.path)
                links.append(
                    types.LocationLink(
                        target_uri=uri,
                        target_range=_range(server, uri, route.declaration_span),
                        target_selection_range=_range(server, uri, route.handler_span),
                        origin_selection_range=origin,
                    )
                )
        return links

    def code_lenses(
        self, server: FeatureHost, document: AnalysedDocument
    ) -> Sequence[types.CodeLens]:
        """Above each endpoint: ``→ app.services.….function``, or "Extract to service"."""
        from fastapi_architect.routes.delegation import has_inline_logic, service_call

        located = self._locate(server, document.uri)
        if located is None:
            return []
        index, relative = located
        routes = index.routes_in(relative)
        tree = document.python_ast() if routes else None
        if tree is None:
            return []
        handlers = {
            node.lineno - 1: node
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        imports = index.imports_of(relative)
        lenses: list[types.CodeLens] = []
        seen: set[int] = set()
        for route in routes:
            line = route.handler_span.start_line
            handler = handlers.get(line)
            if handler is None or line in seen:
                continue
            seen.add(line)
            where = _span_range(
                document.lines,
                replace(
                    route.declaration_span,
                    end_line=route.handler_span.end_line,
                    end_column=route.handler_span.end_column,
                ),
                server.position_encoding,
            )
            call = service_call(handler, imports, index.module)
            if call is not None:
                title = f"\u2192 {call.qualified_name}"
                command = types.Command(title=title, command=SERVICE_LENS_COMMAND)
            elif has_inline_logic(handler) and _extractable(document, line):
                arguments = {"uri": document.uri, "line": line}
                command = types.Command(
                    title="Extract to service", command=EXTRACT_COMMAND, arguments=[arguments]
                )
            else:
                continue
            lenses.append(types.CodeLens(range=where, command=command))
        return lenses

    # --- the indexes ----------------------------------------------------------------------

    def _current_indexes(self, server: FeatureHost) -> list[tuple[Path, RouteIndex]]:
        from fastapi_architect.routes import RouteIndex

        roots = server.workspace_roots()
        for stale in [root for root in self._indexes if root not in roots]:
            del self._indexes[stale]
            self._listings.pop(stale, None)
        current: list[tuple[Path, RouteIndex]] = []
        for root in roots:
            index = self._indexes.get(root)
            if index is None:
                reader = _Reader(server, root)
                index = RouteIndex(reader, reader.tree_of)
                self._indexes[root] = index
                self._listings[root] = PythonFiles(root)
            index.sync(_stamps(server, root, self._listings[root]))
            current.append((root, index))
        return current

    def _locate(self, server: FeatureHost, uri: str) -> tuple[RouteIndex, str] | None:
        fs_path = to_fs_path(uri)
        if not fs_path or not fs_path.endswith(".py"):
            return None
        path = Path(fs_path)
        for root, index in self._current_indexes(server):
            if path.is_relative_to(root):
                return index, path.relative_to(root).as_posix()
        return None


class _Reader:
    """``read_text`` for the engine: the open buffer first, else the file on disk."""

    def __init__(self, server: FeatureHost, root: Path) -> None:
        self.server = server
        self.root = root

    def __call__(self, relative: str) -> str | None:
        path = self.root / relative
        opened = self.server.workspace.text_documents.get(_uri(path))
        if opened is not None:
            source: str = opened.source
            return source
        from fastapi_architect.project_files import is_inside, read_text_safely

        try:
            if path.is_symlink() and not is_inside(path, self.root):
                return None
            return read_text_safely(path, self.server.settings.analysis.max_file_bytes)
        except (OSError, UnicodeDecodeError, ValueError):
            return None

    def tree_of(self, relative: str, text: str) -> ast.Module | None:
        """The document store's tree of an open buffer holding ``text`` (one parse per version);
        raises its ``SyntaxError`` when that buffer does not parse (no second parse here)."""
        uri = _uri(self.root / relative)
        if uri not in self.server.workspace.text_documents:
            return None
        document = self.server.documents.get(uri)
        if document is None or not document.analysable or document.text != text:
            return None
        tree = document.python_ast()
        if tree is None:
            raise document.syntax_error() or SyntaxError("the document does not parse")
        return tree


def _stamps(server: FeatureHost, root: Path, listing: PythonFiles) -> dict[str, Any]:
    """Relative path → version of the open buffer, else ``(mtime, size)`` on disk."""
    opened: dict[str, Any] = {}
    for uri, document in server.workspace.text_documents.items():
        fs_path = to_fs_path(uri)
        if fs_path and fs_path.endswith(".py") and Path(fs_path).is_relative_to(root):
            opened[Path(fs_path).relative_to(root).as_posix()] = ("open", document.version)
    stamps: dict[str, Any] = {}
    for relative, absolute in listing.current():
        if relative in opened:
            continue
        try:
            status = absolute.stat()
        except OSError:
            continue
        stamps[relative] = (status.st_mtime_ns, status.st_size)
    stamps.update(opened)
    return stamps


RECENT_NS = 2_000_000_000
"""A folder changed less than this long before it was listed may change again within its
timestamp's resolution (file systems keep coarse times): it is listed again next time."""


class PythonFiles:
    """The ``.py`` files of a workspace folder (as ``python_files`` walks them), listed
    again only when a folder's mtime changed: adding, removing or renaming a file changes
    its folder's. Each answer costs a ``stat`` per folder instead of a walk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._folders: dict[Path, int] = {}
        self._files: list[tuple[str, Path]] = []
        self._trusted = False

    def current(self) -> list[tuple[str, Path]]:
        """(relative POSIX path, absolute path) of every file, in ``python_files`` order."""
        if not self._trusted or not self._unchanged():
            self._list()
        return self._files

    def _unchanged(self) -> bool:
        try:
            return all(f.stat().st_mtime_ns == mtime for f, mtime in self._folders.items())
        except OSError:
            return False

    def _list(self) -> None:
        from fastapi_architect.project_files import is_skipped_directory_name
        from fastapi_architect.snippets.workspace_index import MAX_FILES

        now = time.time_ns()
        self._folders, self._files, self._trusted = {}, [], True
        prefix = len(str(self.root)) + 1
        pending = [self.root]
        while pending:
            folder = pending.pop()
            try:
                mtime = folder.stat().st_mtime_ns
                with os.scandir(folder) as entries:
                    listed = sorted(entries, key=lambda entry: entry.name)
            except OSError:
                self._trusted = False  # unreadable now, perhaps not next time
                continue
            self._folders[folder] = mtime
            if now - mtime < RECENT_NS:
                self._trusted = False
            for entry in listed:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        name = entry.name
                        if not name.startswith(".") and not (
                            name == "env" or is_skipped_directory_name(name)
                        ):
                            pending.append(Path(entry.path))
                    elif entry.name.endswith(".py") and entry.is_file():
                        relative = entry.path[prefix:].replace(os.sep, "/")
                        self._files.append((relative, Path(entry.path)))
                        if len(self._files) >= MAX_FILES:
                            return
                except OSError:
                    continue


def _extractable(document: AnalysedDocument, line: int) -> bool:
    """True when the extraction would accept the endpoint at ``line`` (its own rules)."""
    from fastapi_architect.extract.endpoints import index_endpoints, refusal_reason

    tree = document.python_ast()
    if tree is None:
        return False
    endpoint = document.memo("routes.endpoints", lambda _: index_endpoints(tree)).at(line)
    return endpoint is not None and refusal_reason(endpoint, document.lines) is None


def _uri(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


def _span_range(lines: Sequence[str], span: Span, encoding: str) -> types.Range:
    return to_lsp_range(
        lines,
        TextPosition(span.start_line, span.start_column),
        TextPosition(span.end_line, span.end_column),
        encoding,
    )


def _range(server: FeatureHost, uri: str, span: Span) -> types.Range:
    """``span`` in the client's units; reads the file only when a line is not ASCII."""
    if span.ascii:
        return types.Range(
            start=types.Position(line=span.start_line, character=span.start_column),
            end=types.Position(line=span.end_line, character=span.end_column),
        )
    document = server.documents.get(uri)
    lines = document.lines if document is not None else []
    return _span_range(lines, span, server.position_encoding)


def _diagnostic(where: types.Range, code: str, message: str) -> types.Diagnostic:
    return types.Diagnostic(
        range=where,
        message=message,
        severity=types.DiagnosticSeverity.Information,
        code=code,
        code_description=readme_section(README_SECTION),
        source="fastapi-architect",
    )


def _container(route: Route) -> str:
    return route.handler if route.included else f"{route.handler} (router never included)"


def _card(route: Route, shadowed_by: Route | None, markdown: bool) -> str:
    """The route card: full path, router chain, response model, status code."""

    def code(text: str) -> str:
        return f"`{text}`" if markdown else text

    chain = " → ".join(
        f"{code(link.name)}{' ' + code(link.prefix) if link.prefix else ''} ({link.path})"
        for link in route.chain
    )
    title = f"**{route.title}**" if markdown else route.title
    lines = [f"{title} — {code(route.handler)}", f"Router chain: {chain}"]
    if route.response_model:
        lines.append(f"Response model: {code(route.response_model)}")
    if route.status_code:
        lines.append(f"Status code: {code(route.status_code)}")
    if not route.included:
        lines.append("This router is never included in an application: the path is partial.")
    if shadowed_by is not None:
        lines.append(
            f"Never runs: {code(shadowed_by.title)} ({shadowed_by.handler}, "
            f"{shadowed_by.path}:{shadowed_by.handler_span.start_line + 1}) matches first."
        )
    separator = "  \n" if markdown else "\n"
    return separator.join(lines)
