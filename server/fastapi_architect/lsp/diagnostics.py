"""Diagnostics dispatcher: document sync events → every feature's diagnostics, debounced."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs
from lsprotocol import types

from fastapi_architect.lsp.guard import run_guarded

if TYPE_CHECKING:
    from fastapi_architect.lsp.dispatch_host import DispatchHost


def collect(server: DispatchHost, uri: str) -> tuple[int | None, list[types.Diagnostic]] | None:
    """Every feature's diagnostics for ``uri`` (``None`` when the document cannot be read)."""
    document = server.documents.get(uri)
    if document is None:
        return None
    if not document.analysable or not server.settings.diagnostics.enabled:
        return document.version, []
    found: list[types.Diagnostic] = []
    for feature in server.features:
        found.extend(
            run_guarded(
                server,
                f"{feature.name} diagnostics for {uri}",
                (),
                feature.diagnostics,
                server,
                document,
            )
        )
    return document.version, apply_rule_levels(found, server.settings.diagnostics.rules)


SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
"""``diagnostics.rules`` levels → LSP severities (``off`` drops the diagnostic)."""


def apply_rule_levels(
    found: list[types.Diagnostic], rules: Mapping[str, str]
) -> list[types.Diagnostic]:
    """Each diagnostic with the severity its code is set to in ``rules``; ``off`` ones dropped."""
    if not rules:
        return found
    kept: list[types.Diagnostic] = []
    for diagnostic in found:
        level = rules.get(str(diagnostic.code)) if diagnostic.code is not None else None
        if level == "off":
            continue
        if level is not None:  # a copy: features may cache their diagnostics
            diagnostic = attrs.evolve(diagnostic, severity=SEVERITIES[level])
        kept.append(diagnostic)
    return kept


def publish(server: DispatchHost, uri: str) -> None:
    """Compute and publish the diagnostics of ``uri`` now."""
    server.pending_diagnostics.pop(uri, None)
    result = run_guarded(server, f"diagnostics for {uri}", None, collect, server, uri)
    if result is None:
        return
    version, found = result
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=found)
    )


def schedule(server: DispatchHost, uri: str) -> None:
    """Publish the diagnostics of ``uri`` once edits pause for the configured debounce."""
    pending = server.pending_diagnostics
    previous = pending.pop(uri, None)
    if previous is not None:
        previous.cancel()
    delay = server.settings.diagnostics.debounce_ms / 1000
    pending[uri] = asyncio.get_running_loop().call_later(delay, publish, server, uri)


def clear(server: DispatchHost, uri: str) -> None:
    """Cancel pending work for ``uri`` and clear its diagnostics in the client."""
    previous = server.pending_diagnostics.pop(uri, None)
    if previous is not None:
        previous.cancel()
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
    )


def refresh_all(server: DispatchHost) -> None:
    """Re-publish diagnostics of every open document (after a settings change)."""
    for uri in list(server.workspace.text_documents):
        publish(server, uri)


def register(server: DispatchHost) -> None:
    """Hook the document sync notifications to the diagnostics of every feature."""

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DispatchHost, params: types.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DispatchHost, params: types.DidChangeTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DispatchHost, params: types.DidSaveTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DispatchHost, params: types.DidCloseTextDocumentParams) -> None:
        ls.documents.forget(params.text_document.uri)
        clear(ls, params.text_document.uri)
