"""Layer diagnostics FA103–FA107 and the FA103 quick fix (extract the endpoint to a service).

The engine (``fastapi_architect.layers``) reads the document's tree and the modules it
imports through the editor's buffers; this adapter turns findings into diagnostics and offers,
for FA103, the extract feature's own action: ``data`` names the ``extract`` feature, so
``codeAction/resolve`` computes the same multi-file edit, and clients that cannot create files
get the ``fastapi-architect.extractService`` command instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from lsprotocol import types

from fastapi_architect.lsp.features.base import Feature
from fastapi_architect.lsp.located_actions import offer_at
from fastapi_architect.lsp.positions import to_lsp_range
from fastapi_architect.lsp.readme_links import readme_section

if TYPE_CHECKING:
    from fastapi_architect.layers import LayerFinding
    from fastapi_architect.layers.project import ParseCache
    from fastapi_architect.lsp.documents import AnalysedDocument
    from fastapi_architect.lsp.host import FeatureHost

README_SECTION = "route-diagnostics"
"""The README section with the FA code table."""

SOURCE = "fastapi-architect"
DATA_ACCESS = "FA103"
EXTRACT_FEATURE = "extract"
"""The feature whose ``codeAction/resolve`` computes the extraction's edit."""
EXTRACT_COMMAND = "fastapi-architect.extractService"
"""The extract feature's command (``[{"uri", "line"}]``), for clients that cannot create files."""


class LayersFeature(Feature):
    """Diagnostics where a module breaks the api → services → models layers."""

    name: ClassVar[str] = "layers"
    code_action_kinds: ClassVar[Sequence[str]] = (types.CodeActionKind.QuickFix,)

    def __init__(self) -> None:
        self._parsed: ParseCache | None = None
        """Imported modules parsed once per text, across keystrokes and documents (made on
        first use: the engine is imported lazily)."""

    def diagnostics(
        self, server: FeatureHost, document: AnalysedDocument
    ) -> Sequence[types.Diagnostic]:
        """FA103–FA107 for the document, with the data their fixes need."""
        encoding = server.position_encoding
        return [
            types.Diagnostic(
                range=to_lsp_range(document.lines, finding.start, finding.end, encoding),
                message=finding.message,
                severity=types.DiagnosticSeverity.Information,
                code=finding.code,
                code_description=readme_section(README_SECTION),
                source=SOURCE,
                data=dict(finding.data),
            )
            for finding in _findings(server, document, self._parse_cache())
        ]

    def _parse_cache(self) -> ParseCache:
        if self._parsed is None:
            from fastapi_architect.layers.project import ParseCache

            self._parsed = ParseCache()
        return self._parsed

    def code_actions(
        self,
        server: FeatureHost,
        document: AnalysedDocument,
        params: types.CodeActionParams,
    ) -> Sequence[types.CodeAction]:
        """For each FA103 in the request: extract that endpoint to the service layer."""
        from fastapi_architect.extract.endpoints import index_endpoints, refusal_reason

        tree = document.python_ast()
        if tree is None:
            return ()
        index = document.memo("layers.endpoints", lambda _: index_endpoints(tree))
        diagnostics = [
            d for d in params.context.diagnostics if d.code == DATA_ACCESS and d.source == SOURCE
        ]
        wanted = params.range
        if not diagnostics and index.at(wanted.start.line) is not None:
            # The client sent no diagnostics back: recompute this version's, once.
            computed = document.memo(
                "layers.diagnostics", lambda _: self.diagnostics(server, document)
            )
            diagnostics = [
                d
                for d in computed
                if d.code == DATA_ACCESS
                and d.range.start.line <= wanted.end.line
                and wanted.start.line <= d.range.end.line
            ]
        actions: list[types.CodeAction] = []
        for diagnostic in diagnostics:
            endpoint = index.at(diagnostic.range.start.line)
            if endpoint is None or refusal_reason(endpoint, document.lines) is not None:
                continue
            action = types.CodeAction(
                title=f"Extract '{endpoint.name}' to the service layer",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=True,
            )
            line = endpoint.first_line
            actions.append(
                offer_at(action, server, document, line, EXTRACT_COMMAND, EXTRACT_FEATURE)
            )
        return actions


def _findings(
    server: FeatureHost, document: AnalysedDocument, parsed: ParseCache
) -> list[LayerFinding]:
    """The engine's findings for the document, read against the editor's buffers."""
    if document.path is None or document.path.suffix != ".py":
        return []
    tree = document.python_ast()
    if tree is None:
        return []
    from fastapi_architect.layers import LayerProject, check_module
    from fastapi_architect.lsp.project_view import buffer_files
    from fastapi_architect.project_files import containing_root

    path = document.path
    root = containing_root(path, server.workspace_roots())
    project = LayerProject(buffer_files(server), root, parsed)
    return check_module(project, path, document.text, tree=tree)
