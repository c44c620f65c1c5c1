"""Which names other modules of the workspace take from the endpoint module.

Tests and other modules import helpers from endpoint modules (``from main import make_token``,
``import main`` then ``main.make_token``); a name the extraction moves must stay importable
from where it was. The workspace's ``.py`` files are scanned through the ``ProjectFiles`` view
(open buffers first); only files mentioning the module's last name component are parsed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi_architect.project_files import (
    ProjectFiles,
    is_skipped_directory_name,
    read_text_or_none,
)
from fastapi_architect.snippets.workspace_index import MAX_FILES, module_name


@dataclass(frozen=True)
class ExternalUse:
    """A file that takes ``name`` from the endpoint module, and how (for messages)."""

    name: str
    path: Path
    how: str


def _python_files(root: Path, files: ProjectFiles, limit: int = MAX_FILES) -> Iterator[Path]:
    pending = [root]
    count = 0
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(files.iterdir(folder))
        except OSError:
            continue
        for child in entries:
            if files.is_dir(child):
                if not child.name.startswith(".") and not is_skipped_directory_name(child.name):
                    pending.append(child)
            elif child.suffix == ".py" and files.is_file(child):
                yield child
                count += 1
                if count >= limit:
                    return


def _resolve(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".") if package else []
    base = parts[: len(parts) - (node.level - 1)] if node.level - 1 <= len(parts) else []
    return ".".join([*base, *([node.module] if node.module else [])])


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


def _uses_in(tree: ast.Module, package: str, module: str) -> dict[str, str]:
    """Names ``tree`` takes from ``module``, each with the statement or expression that does."""
    found: dict[str, str] = {}
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _resolve(node, package)
            for alias in node.names:
                if source == module:
                    found.setdefault(alias.name, f"from {node.module or '.'} import {alias.name}")
                elif f"{source}.{alias.name}" == module:
                    aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == module:
                    aliases.add(alias.asname or alias.name)
    if aliases:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _dotted(node.value) in aliases:
                found.setdefault(node.attr, f"{_dotted(node.value)}.{node.attr}")
    return found


def external_uses(
    module: str, endpoint_path: Path, root: Path, files: ProjectFiles, names: set[str]
) -> list[ExternalUse]:
    """Where other files under ``root`` take one of ``names`` from ``module``."""
    if not names:
        return []
    needle = module.rpartition(".")[2]
    uses: list[ExternalUse] = []
    for path in _python_files(root, files):
        if path.resolve() == endpoint_path:
            continue
        text = read_text_or_none(files, path)
        if text is None or needle not in text:
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            continue
        dotted = module_name(path, root) or ""
        package = dotted if path.name == "__init__.py" else dotted.rpartition(".")[0]
        taken = _uses_in(tree, package, module)
        star = "*" in taken
        for name in sorted(names):
            how = taken.get(name) or (taken["*"] if star and not name.startswith("_") else None)
            if how is not None:
                uses.append(ExternalUse(name, path, how))
    return uses
