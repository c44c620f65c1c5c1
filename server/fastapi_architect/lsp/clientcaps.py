"""What the connected client supports, read once from its capabilities.

Every fallback decision in the server asks this table, never the raw capabilities, so a
reader finds "what do we do for clients without X?" in one place (see DESIGN.md):

- no ``codeAction.resolveSupport`` (``edit``): compute the edit in ``textDocument/codeAction``.
- ``publishDiagnostics.dataSupport`` needs no flag: fixes are always recomputed from the
  document and the diagnostic's range, never read back from ``data``.
- no ``workspaceEdit.resourceOperations: create``: write new files directly (workspace only).
- no ``completionItem.snippetSupport``: plain text with placeholders at their defaults.
- no ``window.workDoneProgress``: report progress with ``window/logMessage``.
- no ``documentSymbol.hierarchicalDocumentSymbolSupport``: flat ``SymbolInformation``.
- no ``markdown`` in ``hover.contentFormat``: plain-text hovers.
- no ``definition.linkSupport``: plain ``Location``s (no origin range to underline).
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types


@dataclass(frozen=True)
class ClientSupport:
    """The client features the server's fallbacks depend on."""

    code_action_resolve_edit: bool = False
    """``codeAction/resolve`` may fill in ``edit`` lazily."""
    code_action_disabled: bool = False
    """The client shows ``disabled`` code actions with their reason."""
    diagnostic_tags: bool = False
    """The client renders ``DiagnosticTag.Deprecated``."""
    document_changes: bool = False
    """Workspace edits may use versioned ``documentChanges``."""
    create_files: bool = False
    """Workspace edits may contain ``CreateFile`` operations."""
    change_annotations: bool = False
    """Workspace edits may carry change annotations (VS Code shows a preview)."""
    apply_edit: bool = False
    """The client answers ``workspace/applyEdit``."""
    snippets: bool = False
    """Completion items may use ``InsertTextFormat.Snippet``."""
    work_done_progress: bool = False
    """The server may create ``window/workDoneProgress`` tokens."""
    show_document: bool = False
    """The client answers ``window/showDocument``."""
    configuration: bool = False
    """The client answers ``workspace/configuration`` requests."""
    hierarchical_document_symbols: bool = False
    """Document symbols may be ``DocumentSymbol`` trees (else flat ``SymbolInformation``)."""
    hover_markdown: bool = False
    """Hover contents may be Markdown."""
    definition_links: bool = False
    """``textDocument/definition`` may answer ``LocationLink``s."""

    @classmethod
    def from_capabilities(cls, caps: types.ClientCapabilities | None) -> ClientSupport:
        """Read the table from the ``initialize`` request's capabilities."""
        if caps is None:
            return cls()
        text = caps.text_document
        workspace = caps.workspace
        window = caps.window

        code_action = text.code_action if text else None
        resolve = code_action.resolve_support if code_action else None
        diagnostics = text.publish_diagnostics if text else None
        completion = text.completion if text else None
        completion_item = completion.completion_item if completion else None
        workspace_edit = workspace.workspace_edit if workspace else None
        resource_operations = (workspace_edit.resource_operations or []) if workspace_edit else []
        document_changes = bool(workspace_edit and workspace_edit.document_changes)
        document_symbol = text.document_symbol if text else None
        hover = text.hover if text else None
        definition = text.definition if text else None

        return cls(
            code_action_resolve_edit=bool(resolve and "edit" in resolve.properties),
            code_action_disabled=bool(code_action and code_action.disabled_support),
            diagnostic_tags=bool(diagnostics and diagnostics.tag_support),
            document_changes=document_changes,
            create_files=document_changes
            and types.ResourceOperationKind.Create in resource_operations,
            change_annotations=bool(workspace_edit and workspace_edit.change_annotation_support),
            apply_edit=bool(workspace and workspace.apply_edit),
            snippets=bool(completion_item and completion_item.snippet_support),
            work_done_progress=bool(window and window.work_done_progress),
            show_document=bool(window and window.show_document and window.show_document.support),
            configuration=bool(workspace and workspace.configuration),
            hierarchical_document_symbols=bool(
                document_symbol and document_symbol.hierarchical_document_symbol_support
            ),
            hover_markdown=bool(
                hover and types.MarkupKind.Markdown in (hover.content_format or [])
            ),
            definition_links=bool(definition and definition.link_support),
        )
