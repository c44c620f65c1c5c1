"""What a document already binds (imports anywhere, module-level definitions), read line by
line without parsing it whole, and the import edits a snippet still needs (planned by the import
engine, ``fastapi_architect.imports``)."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi_architect.imports import DEFAULT_STYLE, ImportBinding, ImportStyle, plan_imports
from fastapi_architect.snippets.scan import inside, scan_strings
from fastapi_architect.textedit import TextEdit

_IMPORT_LINE = re.compile(r"^([ \t]*)(?:from[ \t]+[\w.]+[ \t]+import\b|import[ \t]+[\w.])", re.M)
_TOP_LEVEL_DEFINITION = re.compile(
    r"^(?:(?:async[ \t]+)?def[ \t]+(\w+)|class[ \t]+(\w+)|(\w+)[ \t]*(?::[^=\n]*)?=(?!=))", re.M
)


@dataclass(frozen=True)
class DocumentNames:
    """The names a document already imports (anywhere) and defines at module level."""

    imported: frozenset[str]
    defined: frozenset[str]

    @property
    def bound(self) -> frozenset[str]:
        """Every name imported (anywhere) or defined at module level."""
        return self.imported | self.defined


def document_names(text: str) -> DocumentNames:
    """Scan a document's imports and top-level definitions without parsing it whole."""
    strings = scan_strings(text, len(text))
    imported: set[str] = set()
    for match in _IMPORT_LINE.finditer(text):
        if not inside(strings.multiline_strings, match.start()):
            imported.update(_bound_by_import(text, match.start()))
    defined: set[str] = set()
    for match in _TOP_LEVEL_DEFINITION.finditer(text):
        if not inside(strings.multiline_strings, match.start()):
            defined.add(next(group for group in match.groups() if group))
    return DocumentNames(frozenset(imported), frozenset(defined))


def _bound_by_import(text: str, start: int) -> list[str]:
    """The names bound by the import statement at ``start`` (none when it does not parse)."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    depth = text.count("(", start, end) - text.count(")", start, end)
    while (depth > 0 or text[start:end].rstrip("\r").endswith("\\")) and end < len(text):
        next_end = text.find("\n", end + 1)
        next_end = len(text) if next_end < 0 else next_end
        depth += text.count("(", end, next_end) - text.count(")", end, next_end)
        end = next_end
    try:
        tree = ast.parse(text[start:end].strip())
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            names += [alias.asname or alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    return names


def import_edits(
    text: str,
    needed: Mapping[str, str | None],
    names: DocumentNames | None = None,
    style: ImportStyle = DEFAULT_STYLE,
) -> list[TextEdit]:
    """Edits that import each of ``needed`` (name → module; ``None``: ``import name``).

    Names the document already imports or defines are skipped; the rest are placed by the
    import engine as ruff's isort would, in the project's ``style``.
    """
    names = document_names(text) if names is None else names
    bound = names.bound
    wanted = [
        ImportBinding(module, name) if module is not None else ImportBinding(None, name)
        for name, module in needed.items()
        if name not in bound
    ]
    if not wanted:
        return []
    return plan_imports(text, wanted, (), style)
