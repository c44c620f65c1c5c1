"""The contract between the server's dispatchers and one capability's adapter.

Each capability (Pydantic migration, scaffold, extract, snippets) is one ``Feature``
subclass in its own module. The dispatchers in ``fastapi_architect.lsp`` ask every feature
and merge the answers, so adding a feature never means editing another one. Features never
import each other, and they import their engines lazily, inside the methods.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from lsprotocol import types

if TYPE_CHECKING:
    from fastapi_architect.lsp.documents import AnalysedDocument
    from fastapi_architect.lsp.host import FeatureHost

CommandHandler = Callable[["FeatureHost", Sequence[Any]], Awaitable[Any]]
"""An ``workspace/executeCommand`` handler: receives the server and the command arguments."""


class Feature:
    """One capability's LSP adapter. Override only what the capability provides.

    Every method is called inside the server's guard: an exception is logged and treated
    as an empty answer, so a bug in one feature never silences the others.
    """

    name: ClassVar[str] = "feature"
    """Stable identifier; code actions carry it in ``data["feature"]`` to route resolve."""

    code_action_kinds: ClassVar[Sequence[str]] = ()
    """The code action kinds this feature can return (advertised to the client)."""

    completion_trigger_characters: ClassVar[Sequence[str]] = ()
    """Characters that should trigger completion for this feature."""

    def commands(self) -> Mapping[str, CommandHandler]:
        """Command ids this feature executes, mapped to their handlers."""
        return {}

    def diagnostics(
        self, server: FeatureHost, document: AnalysedDocument
    ) -> Sequence[types.Diagnostic]:
        """Diagnostics for an analysable document."""
        return ()

    def code_actions(
        self,
        server: FeatureHost,
        document: AnalysedDocument,
        params: types.CodeActionParams,
    ) -> Sequence[types.CodeAction]:
        """Code actions at ``params.range``.

        Return actions without ``edit`` and with ``data`` (a dict) to have the edit computed
        by ``resolve_code_action``; the dispatcher resolves them eagerly for clients that
        cannot resolve. Actions with ``disabled`` are dropped for clients that cannot show them.
        """
        return ()

    def resolve_code_action(
        self, server: FeatureHost, action: types.CodeAction
    ) -> types.CodeAction:
        """Fill in ``action.edit`` (called for actions whose ``data["feature"]`` is ours)."""
        return action

    def completions(
        self,
        server: FeatureHost,
        document: AnalysedDocument,
        params: types.CompletionParams,
    ) -> Sequence[types.CompletionItem]:
        """Completion items at ``params.position``."""
        return ()

    def workspace_symbols(
        self, server: FeatureHost, query: str
    ) -> Sequence[types.SymbolInformation]:
        """Workspace symbols matching ``query`` (``workspace/symbol``)."""
        return ()

    def document_symbols(
        self, server: FeatureHost, document: AnalysedDocument
    ) -> Sequence[types.DocumentSymbol]:
        """The document's symbols; the dispatcher flattens them for clients that need it."""
        return ()

    def hover(
        self, server: FeatureHost, document: AnalysedDocument, params: types.HoverParams
    ) -> types.Hover | None:
        """A hover at ``params.position`` (the first feature that answers wins)."""
        return None

    def definition(
        self, server: FeatureHost, document: AnalysedDocument, params: types.DefinitionParams
    ) -> Sequence[types.Location | types.LocationLink]:
        """Where the thing at ``params.position`` is defined (answers of all features merge)."""
        return ()

    def code_lenses(
        self, server: FeatureHost, document: AnalysedDocument
    ) -> Sequence[types.CodeLens]:
        """Code lenses for the document, each with its command (no resolve step)."""
        return ()
