"""Diagnostics dispatcher: document sync events → every feature's diagnostics, debounced.

The changed document is published after the configured debounce. Several diagnostics read
other files (the route index, the modules a document imports), so every change another
document may read also starts a *refresh pass* over the other open documents after twice
that debounce: a burst of keystrokes makes one pass, a new change cancels a pending or
running pass, and a document is re-published only when its diagnostics differ from what
the client last received.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
from lsprotocol import types

from fastapi_architect.lsp.guard import run_guarded
from fastapi_architect.lsp.published_diagnostics import Published, PublishedState

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


REFRESH_DEBOUNCE_FACTOR = 2
"""The refresh pass over the other open documents waits this many debounces."""

MAX_REFRESHED_PER_PASS = 32
"""Documents one refresh pass recomputes; the rest follow in a pass one debounce later."""


def publish(server: DispatchHost, uri: str) -> None:
    """Compute and publish the diagnostics of ``uri`` now."""
    server.pending_diagnostics.pop(uri, None)
    generation = server.published_diagnostics.generation
    result = run_guarded(server, f"diagnostics for {uri}", None, collect, server, uri)
    if result is None:
        return
    version, found = result
    _send(server, uri, version, found, generation)


def _send(
    server: DispatchHost,
    uri: str,
    version: int | None,
    found: list[types.Diagnostic],
    generation: int,
) -> None:
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=found)
    )
    if uri in server.workspace.text_documents:  # remembered while open only
        server.published_diagnostics.published[uri] = Published(generation, found)


def changed(server: DispatchHost) -> None:
    """Something other documents may read changed: refresh them once changes pause."""
    state = server.published_diagnostics
    state.generation += 1
    state.cancel_refresh()
    if server.settings.diagnostics.enabled:
        delay = REFRESH_DEBOUNCE_FACTOR * server.settings.diagnostics.debounce_ms / 1000
        state.refresh = asyncio.get_running_loop().create_task(_refresh_after(server, delay))


async def _refresh_after(server: DispatchHost, delay: float) -> None:
    """Recompute the open documents computed before the last change; publish what differs.

    Documents with their own publish pending are left to it. The pass yields to the event
    loop after each document, so an edit (and its own publish) never waits for the pass; a
    change during the pass cancels it and starts a new one.
    """
    await asyncio.sleep(delay)
    state = server.published_diagnostics
    generation = state.generation
    stale = [
        uri
        for uri in reversed(list(server.workspace.text_documents))  # recently opened first
        if uri not in server.pending_diagnostics and _computed_before(state, uri, generation)
    ]
    for count, uri in enumerate(stale):
        if count == MAX_REFRESHED_PER_PASS:
            more = server.settings.diagnostics.debounce_ms / 1000
            state.refresh = asyncio.get_running_loop().create_task(_refresh_after(server, more))
            return
        if state.generation != generation:
            return
        run_guarded(server, f"refreshing diagnostics of {uri}", None, _refresh, server, uri)
        await asyncio.sleep(0)
    if state.refresh is asyncio.current_task():
        state.refresh = None


def _computed_before(state: PublishedState, uri: str, generation: int) -> bool:
    published = state.published.get(uri)
    return published is None or published.generation < generation


def _refresh(server: DispatchHost, uri: str) -> None:
    """Recompute an open document; publish only when it differs from what the client has."""
    state = server.published_diagnostics
    generation = state.generation
    if uri not in server.workspace.text_documents or uri in server.pending_diagnostics:
        return  # closed meanwhile, or its own publish comes
    result = collect(server, uri)
    opened = server.workspace.text_documents.get(uri)
    if result is None or opened is None or result[0] != opened.version:
        return  # never a stale version
    version, found = result
    previous = state.published.get(uri)
    if found == (previous.diagnostics if previous is not None else []):
        state.published[uri] = Published(generation, found)
        return
    _send(server, uri, version, found, generation)


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
    server.published_diagnostics.published.pop(uri, None)
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
        if _differs_from_disk(ls, params.text_document.uri, params.text_document.text):
            changed(ls)  # others read this buffer now, not the file

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DispatchHost, params: types.DidChangeTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri)
        changed(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DispatchHost, params: types.DidSaveTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri)
        changed(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DispatchHost, params: types.DidCloseTextDocumentParams) -> None:
        ls.documents.forget(params.text_document.uri)
        clear(ls, params.text_document.uri)
        changed(ls)  # others read the file on disk now, not the closed buffer

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(
        ls: DispatchHost, params: types.DidChangeWatchedFilesParams
    ) -> None:
        changed(ls)


def _differs_from_disk(server: DispatchHost, uri: str, text: str) -> bool:
    """True when an opened buffer is not what other documents read before: an unsaved file,
    or one whose text differs from the file on disk."""
    from pygls.uris import to_fs_path

    from fastapi_architect.project_files import read_text_safely

    fs_path = to_fs_path(uri)
    if not fs_path or not fs_path.endswith(".py"):
        return False
    try:
        return read_text_safely(Path(fs_path), server.settings.analysis.max_file_bytes) != text
    except (OSError, UnicodeDecodeError, ValueError):
        return True


WATCHER_ID = "fastapi-architect.python-files"
"""The id of the ``workspace/didChangeWatchedFiles`` registration."""


def can_watch_files(capabilities: types.ClientCapabilities) -> bool:
    """True when the client lets the server register a file watcher."""
    workspace = capabilities.workspace
    watched = workspace.did_change_watched_files if workspace is not None else None
    return bool(watched is not None and watched.dynamic_registration)


async def watch_python_files(server: DispatchHost) -> None:
    """Ask the client to report changes to ``**/*.py`` on disk (when it can register them)."""
    if not can_watch_files(server.client_capabilities):
        return
    registration = types.Registration(
        id=WATCHER_ID,
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern="**/*.py")]
        ),
    )
    try:
        await server.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )
    except Exception as error:  # the client refused: open documents refresh on edits only
        server.log(f"watching Python files is unavailable: {error}", types.MessageType.Info)
