"""Route navigation for clients without hierarchical symbols or Markdown, run in process."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from lsprotocol import types

from fastapi_architect.lsp import navigation
from fastapi_architect.lsp.clientcaps import ClientSupport
from fastapi_architect.lsp.dispatch_host import DispatchHost
from fastapi_architect.lsp.features.routes import RoutesFeature
from host_support import FakeHost

MODULE = (
    "from fastapi import FastAPI\n"
    "app = FastAPI()\n\n\n"
    '@app.get("/caf\u00e9", response_model=dict, status_code=200)\n'
    "def caf\u00e9_\U00020000() -> dict[str, str]:\n"
    "    return {}\n"
)


class NavigationHost(FakeHost):
    """``FakeHost`` with the one feature under test, as the navigation dispatchers see it."""

    features = (RoutesFeature(),)


def host_with_module(tmp_path: Path, support: ClientSupport, encoding: str) -> tuple[FakeHost, str]:
    tmp_path.mkdir(exist_ok=True)
    host = NavigationHost(tmp_path, support, encoding=encoding)
    (tmp_path / "main.py").write_text(MODULE, encoding="utf-8")
    uri = host.open(tmp_path / "main.py", MODULE)
    return host, uri


def test_client_without_hierarchical_symbols_gets_flat_symbol_information(
    tmp_path: Path,
) -> None:
    host, uri = host_with_module(tmp_path, ClientSupport(), "utf-16")
    symbols = navigation.document_symbols(cast(DispatchHost, host), uri)
    assert [(type(s), s.name) for s in symbols] == [(types.SymbolInformation, "GET /caf\u00e9")]


def test_client_without_markdown_gets_a_plain_text_route_card(tmp_path: Path) -> None:
    host, uri = host_with_module(tmp_path, ClientSupport(), "utf-16")
    hover = navigation.hover(
        cast(DispatchHost, host),
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(4, 2)),
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.PlainText
    assert hover.contents.value.splitlines() == [
        "GET /caf\u00e9 \u2014 caf\u00e9_\U00020000",
        "Router chain: app (main.py)",
        "Response model: dict",
        "Status code: 200",
    ]


def test_symbol_ranges_count_the_negotiated_units_on_non_ascii_lines(tmp_path: Path) -> None:
    support = ClientSupport(hierarchical_document_symbols=True)
    for encoding, end in (("utf-16", 4 + 5 + 2), ("utf-8", 4 + 6 + 4), ("utf-32", 4 + 5 + 1)):
        host, uri = host_with_module(tmp_path / encoding, support, encoding)
        (symbol,) = navigation.document_symbols(cast(DispatchHost, host), uri)
        assert isinstance(symbol, types.DocumentSymbol)
        assert symbol.selection_range == types.Range(
            types.Position(5, 4), types.Position(5, end)
        ), encoding
        (found,) = navigation.workspace_symbols(cast(DispatchHost, host), "caf\u00e9")
        assert found.location.range == symbol.selection_range, encoding


def test_client_without_definition_links_gets_plain_locations(tmp_path: Path) -> None:
    for support, kind in (
        (ClientSupport(), types.Location),
        (ClientSupport(definition_links=True), types.LocationLink),
    ):
        root = tmp_path / kind.__name__
        host, _ = host_with_module(root, support, "utf-16")
        test = 'def test(client):\n    client.get("/caf\u00e9")\n'
        uri = host.open(root / "test_main.py", test)
        (found,) = navigation.definition(
            cast(DispatchHost, host),
            types.DefinitionParams(types.TextDocumentIdentifier(uri), types.Position(1, 17)),
        )
        assert isinstance(found, kind)
        target = (
            found.target_selection_range if isinstance(found, types.LocationLink) else found.range
        )
        assert target == types.Range(types.Position(5, 4), types.Position(5, 4 + 5 + 2))
