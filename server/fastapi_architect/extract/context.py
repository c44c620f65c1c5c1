"""What every step of the extraction shares: the endpoint module, the refusal error."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi_architect.extract.layout import Layout
from fastapi_architect.extract.names import ModuleSymbols
from fastapi_architect.imports import ImportStyle
from fastapi_architect.plan import read_text_exact

ReadText = Callable[[Path], "str | None"]
"""Reads a module's current text (an open editor buffer or the file); ``None`` if missing."""


class ExtractRefusal(Exception):
    """The endpoint cannot be extracted; the message is the reason, meant for the user."""


def read_from_disk(path: Path) -> str | None:
    """The default ``ReadText``: the file's exact text, or ``None`` when it cannot be read."""
    try:
        return read_text_exact(path)
    except (OSError, UnicodeDecodeError):
        return None


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
    read_text: ReadText
    lines: list[str]
    import_style: ImportStyle
    """The project's isort style; modules the plan creates count as first party."""


def package_of(layout: Layout, path: Path) -> str:
    """The package relative imports of the module at ``path`` resolve in."""
    module = layout.endpoint_module
    if path.name == "__init__.py":
        return module
    return module.rpartition(".")[0]
