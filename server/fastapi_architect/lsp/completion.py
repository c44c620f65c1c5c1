"""Completion dispatcher: asks every feature and merges the items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from fastapi_architect.lsp.guard import run_guarded

if TYPE_CHECKING:
    from fastapi_architect.lsp.dispatch_host import DispatchHost


def collect(server: DispatchHost, params: types.CompletionParams) -> list[types.CompletionItem]:
    """Every feature's completion items at ``params.position``."""
    if not server.settings.completion.enabled:
        return []
    document = server.documents.get(params.text_document.uri)
    if document is None or not document.analysable:
        return []
    items: list[types.CompletionItem] = []
    for feature in server.features:
        items.extend(
            run_guarded(
                server,
                f"{feature.name} completions",
                (),
                feature.completions,
                server,
                document,
                params,
            )
        )
    return items


def register(server: DispatchHost) -> None:
    """Register ``textDocument/completion`` with every feature's trigger characters."""
    triggers = sorted({c for f in server.features for c in f.completion_trigger_characters})

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=triggers or None, resolve_provider=False),
    )
    def completion(ls: DispatchHost, params: types.CompletionParams) -> types.CompletionList:
        items: list[types.CompletionItem] = run_guarded(
            ls, "textDocument/completion", [], collect, ls, params
        )
        return types.CompletionList(is_incomplete=False, items=items)
