"""Builds the language server: lifecycle handlers, settings, and every feature's dispatchers.

``create_language_server`` is the one place that knows the concrete ``ArchitectServer``
and the list of features; features and dispatchers only see ``FeatureHost`` /
``DispatchHost``. Everything heavy (libcst, jinja2, pydantic, the engines) is imported
lazily, after the ``initialize`` handshake.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

from lsprotocol import types

from fastapi_architect.lsp import code_actions, commands, completion, diagnostics, navigation
from fastapi_architect.lsp.clientcaps import ClientSupport
from fastapi_architect.lsp.features import default_features
from fastapi_architect.lsp.features.base import Feature
from fastapi_architect.lsp.guard import run_guarded
from fastapi_architect.lsp.server import ArchitectServer


def create_language_server(features: Sequence[Feature] | None = None) -> ArchitectServer:
    """Create the server with its lifecycle handlers and every feature's dispatchers."""
    server = ArchitectServer(default_features() if features is None else features)

    @server.feature(types.INITIALIZE)
    def on_initialize(ls: ArchitectServer, params: types.InitializeParams) -> None:
        ls.support = ClientSupport.from_capabilities(params.capabilities)
        # Validated after the handshake: importing pydantic would slow down `initialize`.
        ls._raw_initialization_options = params.initialization_options

    @server.feature(types.SHUTDOWN)
    def on_shutdown(ls: ArchitectServer, params: None) -> None:
        ls.shutdown_requested = True
        for timer in ls.pending_diagnostics.values():
            timer.cancel()
        ls.pending_diagnostics.clear()
        ls.published_diagnostics.cancel_refresh()

    @server.feature(types.INITIALIZED)
    async def on_initialized(ls: ArchitectServer, params: types.InitializedParams) -> None:
        raw = ls._raw_initialization_options
        run_guarded(
            ls,
            "reading initializationOptions",
            None,
            ls.apply_settings,
            raw,
            "initializationOptions",
        )
        # Everything alive now (lsprotocol's type graph, pygls, pydantic) lives as long as the
        # server: keep it out of the cyclic collector so full collections stay short on the
        # lightbulb path.
        gc.freeze()
        await diagnostics.watch_python_files(ls)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def on_did_change_configuration(
        ls: ArchitectServer, params: types.DidChangeConfigurationParams
    ) -> None:
        raw = params.settings
        if not raw and ls.support.configuration:
            # Clients using the pull model send an empty notification: ask for the section.
            from fastapi_architect.lsp.settings import SECTION

            try:
                pulled = await ls.workspace_configuration_async(
                    types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
                )
                raw = pulled[0] if pulled else None
            except Exception as error:
                ls.log(f"workspace/configuration failed: {error!r}", types.MessageType.Warning)
                return
        run_guarded(ls, "reading settings", None, ls.apply_settings, raw, "workspace settings")
        diagnostics.refresh_all(ls)

    diagnostics.register(server)
    code_actions.register(server)
    completion.register(server)
    commands.register(server)
    navigation.register(server)
    return server


def serve(tcp: tuple[str, int] | None = None) -> int:
    """Run the server over stdio, or over TCP when ``tcp`` is ``(host, port)``.

    Returns the process exit status the LSP specification asks for: 0 when the client sent
    ``shutdown`` before ``exit``, 1 otherwise (``exit`` alone, or the connection dropped).
    """
    server = create_language_server()
    if tcp is None:
        server.start_io()
    else:
        server.start_tcp(*tcp)
    return 0 if server.shutdown_requested else 1
