"""What the dispatchers need from the server: a ``FeatureHost`` that also holds the features.

The dispatchers (``code_actions``, ``completion``, ``commands``, ``diagnostics``) register
handlers, ask every feature and publish the merged answer; they are typed against this
protocol, never against the concrete server, so no module of ``lsp/`` imports ``server``
except ``setup``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from fastapi_architect.lsp.host import FeatureHost

if TYPE_CHECKING:
    from lsprotocol import types

    from fastapi_architect.lsp.features.base import Feature
    from fastapi_architect.lsp.published_diagnostics import PublishedState

F = TypeVar("F", bound=Callable[..., Any])


class DispatchHost(FeatureHost, Protocol):
    """The server as a dispatcher sees it."""

    @property
    def features(self) -> tuple[Feature, ...]:
        """Every feature, in dispatch order."""
        ...

    @property
    def pending_diagnostics(self) -> dict[str, asyncio.TimerHandle]:
        """Debounced diagnostics runs, per URI."""
        ...

    @property
    def published_diagnostics(self) -> PublishedState:
        """What each open document last showed, and the pending refresh of the others."""
        ...

    @property
    def client_capabilities(self) -> types.ClientCapabilities:
        """What the client declared in ``initialize``."""
        ...

    async def client_register_capability_async(self, params: types.RegistrationParams) -> None:
        """Send ``client/registerCapability``."""
        ...

    def text_document_publish_diagnostics(self, params: types.PublishDiagnosticsParams) -> None:
        """Send ``textDocument/publishDiagnostics``."""
        ...

    def feature(self, feature_name: str, options: Any | None = None) -> Callable[[F], F]:
        """Register an LSP method handler (pygls' decorator)."""
        ...

    def command(self, command_name: str) -> Callable[[F], F]:
        """Register a ``workspace/executeCommand`` handler (pygls' decorator)."""
        ...
