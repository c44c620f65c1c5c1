"""Navigation dispatchers: workspace and document symbols, hover, go to definition, code lenses.

Each asks every feature and merges the answers; document symbols are flattened into
``SymbolInformation`` for clients without hierarchical support.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from lsprotocol import types

from fastapi_architect.lsp.guard import run_guarded

if TYPE_CHECKING:
    from fastapi_architect.lsp.dispatch_host import DispatchHost


def workspace_symbols(server: DispatchHost, query: str) -> list[types.SymbolInformation]:
    """Every feature's workspace symbols for ``query``."""
    found: list[types.SymbolInformation] = []
    for feature in server.features:
        found.extend(
            run_guarded(
                server,
                f"{feature.name} workspace symbols",
                (),
                feature.workspace_symbols,
                server,
                query,
            )
        )
    return found


DocumentSymbols = list[types.DocumentSymbol] | list[types.SymbolInformation]
_NO_SYMBOLS: DocumentSymbols = []


def document_symbols(server: DispatchHost, uri: str) -> DocumentSymbols:
    """Every feature's symbols for ``uri``, flat when the client wants them flat."""
    document = server.documents.get(uri)
    if document is None or not document.analysable:
        return []
    symbols: list[types.DocumentSymbol] = []
    for feature in server.features:
        symbols.extend(
            run_guarded(
                server,
                f"{feature.name} document symbols",
                (),
                feature.document_symbols,
                server,
                document,
            )
        )
    if server.support.hierarchical_document_symbols:
        return symbols
    return list(_flatten(uri, symbols, None))


def _flatten(
    uri: str, symbols: Iterable[types.DocumentSymbol], container: str | None
) -> Iterable[types.SymbolInformation]:
    for symbol in symbols:
        yield types.SymbolInformation(
            name=symbol.name,
            kind=symbol.kind,
            location=types.Location(uri=uri, range=symbol.range),
            container_name=container,
        )
        yield from _flatten(uri, symbol.children or (), symbol.name)


def hover(server: DispatchHost, params: types.HoverParams) -> types.Hover | None:
    """The first feature's hover at ``params.position``."""
    document = server.documents.get(params.text_document.uri)
    if document is None or not document.analysable:
        return None
    for feature in server.features:
        answer = run_guarded(
            server, f"{feature.name} hover", None, feature.hover, server, document, params
        )
        if answer is not None:
            return answer
    return None


Definitions = list[types.Location] | list[types.LocationLink]
_NO_DEFINITIONS: Definitions = []


def definition(server: DispatchHost, params: types.DefinitionParams) -> Definitions:
    """Every feature's definitions at ``params.position``, as ``Location``s unless links fit."""
    document = server.documents.get(params.text_document.uri)
    if document is None or not document.analysable:
        return []
    found: list[types.Location | types.LocationLink] = []
    for feature in server.features:
        found.extend(
            run_guarded(
                server,
                f"{feature.name} definition",
                (),
                feature.definition,
                server,
                document,
                params,
            )
        )
    links = [item for item in found if isinstance(item, types.LocationLink)]
    if server.support.definition_links and len(links) == len(found):
        return links
    return [
        types.Location(uri=item.target_uri, range=item.target_selection_range)
        if isinstance(item, types.LocationLink)
        else item
        for item in found
    ]


def code_lenses(server: DispatchHost, uri: str) -> list[types.CodeLens]:
    """Every feature's code lenses for ``uri``."""
    document = server.documents.get(uri)
    if document is None or not document.analysable:
        return []
    found: list[types.CodeLens] = []
    for feature in server.features:
        found.extend(
            run_guarded(
                server, f"{feature.name} code lenses", (), feature.code_lenses, server, document
            )
        )
    return found


def register(server: DispatchHost) -> None:
    """Register the navigation methods."""

    @server.feature(types.WORKSPACE_SYMBOL, types.WorkspaceSymbolOptions())
    def on_workspace_symbol(
        ls: DispatchHost, params: types.WorkspaceSymbolParams
    ) -> list[types.SymbolInformation]:
        found: list[types.SymbolInformation] = run_guarded(
            ls, "workspace/symbol", [], workspace_symbols, ls, params.query
        )
        return found

    @server.feature(
        types.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
        types.DocumentSymbolOptions(label="FastAPI Architect"),
    )
    def on_document_symbol(ls: DispatchHost, params: types.DocumentSymbolParams) -> DocumentSymbols:
        return run_guarded(
            ls,
            "textDocument/documentSymbol",
            _NO_SYMBOLS,
            document_symbols,
            ls,
            params.text_document.uri,
        )

    @server.feature(types.TEXT_DOCUMENT_HOVER, types.HoverOptions())
    def on_hover(ls: DispatchHost, params: types.HoverParams) -> types.Hover | None:
        answer: types.Hover | None = run_guarded(ls, "textDocument/hover", None, hover, ls, params)
        return answer

    @server.feature(types.TEXT_DOCUMENT_DEFINITION, types.DefinitionOptions())
    def on_definition(ls: DispatchHost, params: types.DefinitionParams) -> Definitions:
        return run_guarded(ls, "textDocument/definition", _NO_DEFINITIONS, definition, ls, params)

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    def on_code_lens(ls: DispatchHost, params: types.CodeLensParams) -> list[types.CodeLens]:
        found: list[types.CodeLens] = run_guarded(
            ls, "textDocument/codeLens", [], code_lenses, ls, params.text_document.uri
        )
        return found
