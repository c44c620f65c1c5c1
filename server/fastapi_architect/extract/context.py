"""What every step of the extraction shares: the endpoint module, the refusal error."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from fastapi_architect.extract.layout import Layout
from fastapi_architect.extract.names import ModuleSymbols
from fastapi_architect.imports import ImportStyle
from fastapi_architect.project_files import ProjectFiles, read_text_or_none


class ExtractRefusal(Exception):
    """The endpoint cannot be extracted; the message is the reason, meant for the user."""


def parse_or_refuse(text: str, where: str) -> ast.Module:
    """Parse ``text``, turning a syntax error into a refusal that names ``where``."""
    try:
        return ast.parse(text)
    except SyntaxError as error:
        raise ExtractRefusal(
            f"{where} does not parse (line {error.lineno}: {error.msg}); fix it first"
        ) from error
    except (ValueError, RecursionError) as error:
        raise ExtractRefusal(f"{where} cannot be parsed: {error}") from error


@dataclass
class EndpointModule:
    """The endpoint module being refactored, parsed once, with its layout and symbols."""

    text: str
    tree: ast.Module
    path: Path
    layout: Layout
    package: str
    symbols: ModuleSymbols
    files: ProjectFiles
    """The project's files (in the editor: open buffers first)."""
    lines: list[str]
    import_style: ImportStyle
    """The project's isort style; modules the plan creates count as first party."""

    def read_text(self, path: Path) -> str | None:
        """The current text of another module, or ``None`` when it cannot be read."""
        return read_text_or_none(self.files, path)


def package_of(layout: Layout, path: Path) -> str:
    """The package relative imports of the module at ``path`` resolve in."""
    module = layout.endpoint_module
    if path.name == "__init__.py":
        return module
    return module.rpartition(".")[0]
