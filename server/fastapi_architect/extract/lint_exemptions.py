"""The ruff rules a project exempts its endpoint module from, carried to the moved code.

A project that ignores a rule for one file (``per-file-ignores``, e.g. ``B904`` for a tutorial
that shows ``raise`` without ``from``) made that decision for the code in that file; the code
moved out keeps it: the module the extraction creates gets its own line in the same
``per-file-ignores`` table (a file-level ``# ruff: noqa`` would be reported as unused, RUF100,
wherever the moved code does not trip the rule).
"""

from __future__ import annotations

import fnmatch
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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


_TABLE_HEADERS = {
    "pyproject.toml": ("[tool.ruff.lint.per-file-ignores]", "[tool.ruff.per-file-ignores]"),
    "ruff.toml": ("[lint.per-file-ignores]", "[per-file-ignores]"),
}


@dataclass(frozen=True)
class ConfigLine:
    """A line to insert into the project's ruff configuration."""

    config: Path
    line: int
    """0-based line to insert before (just below the ``per-file-ignores`` header)."""
    text: str


def carried_exemption(
    endpoint: Path, created: Path, root: Path, read_text: Callable[[Path], str | None]
) -> ConfigLine | None:
    """The ``per-file-ignores`` entry giving ``created`` the exemptions ``endpoint`` has and
    it lacks; None when there are none, or the table is not a plain TOML table to extend."""
    loaded = project_style(endpoint.parent, root, read_text)
    if loaded.config is None:
        return None
    text = read_text(loaded.config)
    if text is None:
        return None
    try:
        data = importlib.import_module("tomllib").loads(text)
    except (ValueError, ModuleNotFoundError):  # malformed, or Python 3.10 (no TOML reader)
        return None
    table = _per_file_ignores(loaded.config, data)
    folder = loaded.config.parent
    codes = sorted(_exempted(endpoint, folder, table) - _exempted(created, folder, table))
    headers = _TABLE_HEADERS.get(loaded.config.name.lstrip("."), ())
    if not codes:
        return None
    for number, line in enumerate(text.splitlines()):
        if line.strip() in headers:
            relative = created.resolve().relative_to(folder.resolve()).as_posix()
            listed = ", ".join(f'"{code}"' for code in codes)
            return ConfigLine(loaded.config, number + 1, f'"{relative}" = [{listed}]\n')
    return None
