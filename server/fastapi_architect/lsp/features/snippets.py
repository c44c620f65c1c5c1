"""Depends snippets as completion items, in the form each client can insert.

The engine (``fastapi_architect.snippets``) reads the same ``snippets/`` file the VS Code client
contributes; its ``cursor`` module tells where the cursor is; ``workspace_index`` says which module
defines ``SessionDep``. This adapter only turns those answers into LSP completion items:
``InsertTextFormat.Snippet`` for clients with snippet support, plain text at the defaults for the
others, with the missing imports as ``additionalTextEdits``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from lsprotocol import types

from fastapi_architect.lsp.features.base import Feature
from fastapi_architect.lsp.positions import from_lsp_position, to_lsp_position, to_lsp_text_edit
from fastapi_architect.textedit import TextEdit, offset_of, position_of

if TYPE_CHECKING:
    from fastapi_architect.imports import ImportStyle, StyleCache
    from fastapi_architect.lsp.documents import AnalysedDocument
    from fastapi_architect.lsp.host import FeatureHost
    from fastapi_architect.snippets.catalog import Snippet
    from fastapi_architect.snippets.cursor import CursorAnalysis
    from fastapi_architect.snippets.document import DocumentNames
    from fastapi_architect.snippets.workspace_index import WorkspaceIndex

PYTHON_SUFFIXES = frozenset({".py", ".pyi"})


class SnippetsFeature(Feature):
    """Serves the snippets of ``snippets/`` as context-aware completion items."""

    name: ClassVar[str] = "snippets"

    def __init__(self) -> None:
        self._index: WorkspaceIndex | None = None
        self._reported_load_error = False
        self._styles: StyleCache | None = None

    # --- the request ----------------------------------------------------------------------

    def completions(
        self,
        server: FeatureHost,
        document: AnalysedDocument,
        params: types.CompletionParams,
    ) -> Sequence[types.CompletionItem]:
        """Snippets matching the typed word that fit where the cursor is."""
        if not _is_python(server, document):
            return ()
        from fastapi_architect.snippets.catalog import SnippetContext
        from fastapi_architect.snippets.cursor import CursorContext, analyse_cursor
        from fastapi_architect.snippets.selection import match_prefix

        encoding = server.position_encoding
        cursor_position = from_lsp_position(document.lines, params.position, encoding)
        offset = offset_of(document.text, cursor_position, document.line_starts)
        cursor = analyse_cursor(document.text, offset, document.line_starts)
        if cursor.context is CursorContext.OTHER:
            return ()
        if cursor.context is CursorContext.PARAMETER and not cursor.accepts_dependencies:
            return ()
        if cursor.context is CursorContext.MODULE and not server.settings.completion.definitions:
            return ()
        wanted = (
            SnippetContext.MODULE
            if cursor.context is CursorContext.MODULE
            else SnippetContext.PARAMETER
        )
        matching: list[tuple[Snippet, str]] = []
        for snippet in self._snippets(server):
            if snippet.context is wanted:
                filter_text = match_prefix(snippet, cursor.word)
                if filter_text is not None:
                    matching.append((snippet, filter_text))
        if not matching:
            return ()

        from fastapi_architect.snippets.document import document_names

        names = document.memo("snippets.document_names", lambda d: document_names(d.text))
        modules = self._project_modules(server, document)
        if wanted is SnippetContext.PARAMETER:
            from fastapi_architect.snippets.selection import order_parameters

            in_async_def = cursor.function is not None and cursor.function.is_async
            matching = order_parameters(matching, names.bound | modules.keys(), in_async_def)
        return [
            self._item(server, document, cursor, offset, snippet, filter_text, names, modules, i)
            for i, (snippet, filter_text) in enumerate(matching)
        ]

    # --- pieces ---------------------------------------------------------------------------

    def _snippets(self, server: FeatureHost) -> Sequence[Snippet]:
        from fastapi_architect.snippets.catalog import SnippetFileError, load_snippets

        try:
            return load_snippets()
        except SnippetFileError as error:
            if not self._reported_load_error:
                self._reported_load_error = True
                server.show_message(
                    f"FastAPI Architect: snippets unavailable: {error}", types.MessageType.Error
                )
            return ()

    def _project_modules(self, server: FeatureHost, document: AnalysedDocument) -> dict[str, str]:
        """Name → module from the workspace index and the open buffers, minus the document's own."""
        from fastapi_architect.lsp.project_view import open_buffers
        from fastapi_architect.snippets.selection import project_names
        from fastapi_architect.snippets.workspace_index import WorkspaceIndex, module_name

        roots = tuple(server.workspace_roots())
        if not roots:
            return {}
        if self._index is None or self._index.roots != roots:
            self._index = WorkspaceIndex(roots, project_names(self._snippets(server)))
        buffers = {path: buffer.text for path, buffer in open_buffers(server).items()}
        modules = dict(self._index.modules(buffers))
        if document.path is not None:
            for root in roots:
                own = module_name(document.path, root)
                if own is not None:
                    modules = {name: m for name, m in modules.items() if m != own}
        return modules

    def _item(
        self,
        server: FeatureHost,
        document: AnalysedDocument,
        cursor: CursorAnalysis,
        offset: int,
        snippet: Snippet,
        filter_text: str,
        names: DocumentNames,
        modules: dict[str, str],
        rank: int,
    ) -> types.CompletionItem:
        from fastapi_architect.snippets.catalog import SnippetContext
        from fastapi_architect.snippets.document import import_edits
        from fastapi_architect.snippets.rendering import (
            escape_snippet_text,
            expand,
            render,
            snippet_variables,
        )
        from fastapi_architect.snippets.selection import needed_imports

        text = document.text
        roots = server.workspace_roots()
        variables = snippet_variables(document.path, _root_of(document.path, roots))
        as_snippet = server.support.snippets
        if as_snippet:
            new_text = render(snippet.nodes, variables)
        else:
            new_text = expand(snippet.nodes, variables)

        needed = needed_imports(snippet, modules)
        start = position_of(text, cursor.word_start, document.line_starts)
        end = position_of(text, offset, document.line_starts)
        extra: list[TextEdit] = []
        style = self._import_style(server, document.path, roots, modules)
        for edit in import_edits(text, needed, names, style):
            if edit.start < start or edit.start > end:
                extra.append(edit)
            elif edit.start == start and edit.new_text.endswith("\n"):
                # An import line where the word starts: part of the main edit (no overlap).
                prefix = escape_snippet_text(edit.new_text) if as_snippet else edit.new_text
                new_text = prefix + "\n" + new_text
        encoding = server.position_encoding
        lines = document.lines
        is_parameter = snippet.context is SnippetContext.PARAMETER
        label = snippet.default_text.strip() if is_parameter else snippet.prefix
        return types.CompletionItem(
            label=label,
            kind=types.CompletionItemKind.Snippet,
            detail=snippet.name,
            # Plain text: every client renders it (Emacs' set has no markdown support).
            documentation=f"{snippet.description}\n\n{snippet.default_text.rstrip()}",
            filter_text=filter_text,
            sort_text=f"{rank:03d}",
            insert_text_format=(
                types.InsertTextFormat.Snippet if as_snippet else types.InsertTextFormat.PlainText
            ),
            text_edit=types.TextEdit(
                range=types.Range(
                    start=to_lsp_position(lines, start, encoding),
                    end=to_lsp_position(lines, end, encoding),
                ),
                new_text=new_text,
            ),
            additional_text_edits=[to_lsp_text_edit(lines, e, encoding) for e in extra] or None,
        )

    def _import_style(
        self,
        server: FeatureHost,
        path: Path | None,
        roots: Sequence[Path],
        modules: dict[str, str],
    ) -> ImportStyle:
        """The project's isort style; modules the index found count as first party."""
        from dataclasses import replace

        from fastapi_architect.imports import DEFAULT_STYLE, StyleCache, find_project_root

        root = _root_of(path, roots)
        if root is None:
            return DEFAULT_STYLE
        if self._styles is None:
            self._styles = StyleCache()
        project = find_project_root(path, root) if path is not None else root
        style, warning = self._styles.style(project)
        if warning is not None:
            server.log(warning, types.MessageType.Warning)
        return replace(style, first_party_modules=frozenset(modules.values()))


def _is_python(server: FeatureHost, document: AnalysedDocument) -> bool:
    opened = server.workspace.text_documents.get(document.uri)  # None when read from disk
    language: object = getattr(opened, "language_id", None)
    if isinstance(language, str) and language:
        return language == "python"
    return document.path is not None and document.path.suffix in PYTHON_SUFFIXES


def _root_of(path: Path | None, roots: Sequence[Path]) -> Path | None:
    if path is None:
        return roots[0] if roots else None
    for root in roots:
        if path.is_relative_to(root):
            return root
    return roots[0] if roots else None
