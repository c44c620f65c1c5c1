"""The client-capability table: what each real client set supports, and empty clients."""

from __future__ import annotations

import pytest
from lsprotocol import types

from fastapi_architect.lsp.clientcaps import ClientSupport
from lsp_support import capabilities


def test_vscode_supports_every_fast_path() -> None:
    support = ClientSupport.from_capabilities(capabilities("vscode"))
    assert support == ClientSupport(
        code_action_resolve_edit=True,
        code_action_disabled=True,
        diagnostic_tags=True,
        document_changes=True,
        create_files=True,
        change_annotations=True,
        apply_edit=True,
        snippets=True,
        work_done_progress=True,
        show_document=True,
        configuration=True,
        hierarchical_document_symbols=True,
        hover_markdown=True,
        definition_links=True,
    )


def test_neovim_lists_resource_operations_without_document_changes_so_cannot_create() -> None:
    support = ClientSupport.from_capabilities(capabilities("neovim"))
    assert support.code_action_resolve_edit
    assert support.snippets
    assert not support.document_changes
    assert not support.create_files
    assert not support.code_action_disabled


def test_emacs_needs_every_fallback_but_progress() -> None:
    support = ClientSupport.from_capabilities(capabilities("emacs"))
    assert not support.code_action_resolve_edit
    assert not support.create_files
    assert not support.snippets
    assert support.work_done_progress
    assert support.document_changes


@pytest.mark.parametrize("caps", [None, types.ClientCapabilities()])
def test_a_client_that_declares_nothing_gets_every_fallback(
    caps: types.ClientCapabilities | None,
) -> None:
    assert ClientSupport.from_capabilities(caps) == ClientSupport()


def test_resolve_support_without_edit_property_does_not_count() -> None:
    caps = types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            code_action=types.CodeActionClientCapabilities(
                resolve_support=types.ClientCodeActionResolveOptions(properties=["command"])
            )
        )
    )
    assert not ClientSupport.from_capabilities(caps).code_action_resolve_edit
