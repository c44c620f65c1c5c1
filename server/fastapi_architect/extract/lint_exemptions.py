"""The ruff rules a project exempts its endpoint module from, carried to the moved code.

A project that ignores a rule for one file (``per-file-ignores``, e.g. ``B904`` for a tutorial
that shows ``raise`` without ``from``) made that decision for the code in that file; the code
moved out keeps it: a module the extraction creates starts with ``# ruff: noqa: B904``
for the rules its own path is not exempted from already.
"""

from __future__ import annotations

import fnmatch
import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from fastapi_architect.imports.style import project_style


def _per_file_ignores(config: Path, data: Mapping[str, Any]) -> Mapping[str, Any]:
    ruff: Any = data.get("tool", {}).get("ruff", {}) if config.name == "pyproject.toml" else data
    if not isinstance(ruff, Mapping):
        return {}
    lint = ruff.get("lint", {})
    table = lint.get("per-file-ignores") if isinstance(lint, Mapping) else None
    table = table if isinstance(table, Mapping) else ruff.get("per-file-ignores", {})
    return table if isinstance(table, Mapping) else {}


def _exempted(path: Path, folder: Path, table: Mapping[str, Any]) -> set[str]:
    """The codes ``table`` (patterns relative to ``folder``) exempts ``path`` from."""
    try:
        relative = path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return set()
    codes: set[str] = set()
    for pattern, listed in table.items():
        if not isinstance(pattern, str) or pattern.startswith("!") or not isinstance(listed, list):
            continue
        if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(path.name, pattern):
            codes.update(code for code in listed if isinstance(code, str))
    return codes


def carried_exemptions(
    endpoint: Path, target: Path, root: Path, read_text: Callable[[Path], str | None]
) -> list[str]:
    """Rule codes the project exempts ``endpoint`` from but not ``target`` (sorted)."""
    loaded = project_style(endpoint.parent, root, read_text)
    if loaded.config is None:
        return []
    text = read_text(loaded.config)
    if text is None:
        return []
    try:
        data = importlib.import_module("tomllib").loads(text)
    except (ValueError, ModuleNotFoundError):  # malformed, or Python 3.10 (no TOML reader)
        return []
    table = _per_file_ignores(loaded.config, data)
    if not table:
        return []
    folder = loaded.config.parent
    return sorted(_exempted(endpoint, folder, table) - _exempted(target, folder, table))


def exemption_line(codes: list[str]) -> str:
    """The file-level directive for ``codes`` (empty when there are none)."""
    return f"# ruff: noqa: {', '.join(codes)}\n" if codes else ""
