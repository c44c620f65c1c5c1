"""Which names other modules of the workspace take from the endpoint module.

Tests and other modules import helpers from endpoint modules (``from main import make_token``,
``import main`` then ``main.make_token``); a name the extraction moves must stay importable
from where it was. The workspace's ``.py`` files are scanned through the ``ProjectFiles`` view
(open buffers first); only files mentioning the module's last name component are parsed.
"""

from __future__ import annotations

import ast
import re
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
    rebinds: bool = False
    """The file assigns the name in the endpoint module (a test patching it)."""


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


def _dynamic_import(node: ast.AST, module: str) -> bool | None:
    """For ``importlib.import_module(...)``: True when it imports ``module`` (a literal,
    or an f-string such as ``f"pkg.{name}"`` that can spell it); None for other nodes."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    name = _dotted(node.func)
    if name not in {"importlib.import_module", "import_module"}:
        return None
    argument = node.args[0]
    if isinstance(argument, ast.Constant):
        return argument.value == module
    if isinstance(argument, ast.JoinedStr):
        pattern = "".join(
            re.escape(str(part.value)) if isinstance(part, ast.Constant) else r"[\w.]+"
            for part in argument.values
        )
        return re.fullmatch(pattern, module) is not None
    return False


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _setattr_target(node: ast.Call) -> tuple[ast.expr, str] | None:
    """``(obj, "name")`` of ``setattr(obj, "name", v)`` / ``monkeypatch.setattr(obj, ...)``."""
    if _called(node) != "setattr" or len(node.args) < 2:
        return None
    name = node.args[1]
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        return node.args[0], name.value
    return None


def _uses_in(tree: ast.Module, package: str, module: str) -> dict[str, tuple[str, bool]]:
    """Names ``tree`` takes from ``module``: the statement or expression that does, and
    whether it rebinds the name there (``module.name = ...``, ``setattr``, monkeypatching)."""
    found: dict[str, tuple[str, bool]] = {}
    aliases: set[str] = set()
    anywhere = False
    """The module is imported by a computed name: any ``x.name`` may be a use of it."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _resolve(node, package)
            for alias in node.names:
                if source == module:
                    found.setdefault(
                        alias.name, (f"from {node.module or '.'} import {alias.name}", False)
                    )
                elif f"{source}.{alias.name}" == module:
                    aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == module:
                    aliases.add(alias.asname or alias.name)
        elif _dynamic_import(node, module):
            anywhere = True
        elif isinstance(node, ast.Call) and _called(node) == "setattr" and node.args:
            first = node.args[0]  # monkeypatch.setattr("pkg.module.name", value)
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                owner, _, name = first.value.rpartition(".")
                if owner == module:
                    found[name] = (f"setattr({first.value!r}, ...)", True)
    if not aliases and not anywhere:
        return found

    def alias_of(node: ast.expr) -> str | None:
        dotted = _dotted(node)
        if dotted in aliases or (anywhere and isinstance(node, ast.Name)):
            return dotted
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and (base := alias_of(node.value)) is not None:
            how = f"{base}.{node.attr}"
            if isinstance(node.ctx, ast.Store):
                found[node.attr] = (f"{how} = ...", True)
            else:
                found.setdefault(node.attr, (how, False))
        elif isinstance(node, ast.Call) and (target := _setattr_target(node)) is not None:
            base = alias_of(target[0])
            if base is not None:
                found[target[1]] = (f"setattr({base}, {target[1]!r}, ...)", True)
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
            use = taken.get(name) or (taken["*"] if star and not name.startswith("_") else None)
            if use is not None:
                uses.append(ExternalUse(name, path, *use))
    return uses
