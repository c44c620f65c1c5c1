"""Re-scanning a module after an edit: only the top-level statements the edit touched.

The last version that parsed is kept as its top-level statements (line ranges and facts).
A new version is compared with it line by line; the statements before the first changed
line and after the last one keep their facts (moved when lines were added or removed), and
only the lines between (whole statements) are parsed and scanned. A top-level statement
starts on a fresh logical line, so when those lines parse on their own the module is the
old statements before, the new ones, and the old ones after; when they do not (a half-typed
line, an unclosed string), the whole module is parsed as before, so the facts are always the
ones a full scan finds.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from fastapi_architect.routes.model import ModuleFacts
from fastapi_architect.routes.scan import (
    Partial,
    Scanner,
    merge,
    module_name,
    parsed,
    scans_imports_only,
    unparsable,
)

_OTHER_LINE_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")
"""Characters that end a line for ``str.splitlines`` (``\r`` for ``ast`` too) besides ``\n``."""

_NON_ASCII_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


def _spliceable(text: str) -> bool:
    """True when ``ast`` numbers the lines of ``text`` as ``str.split("\\n")`` does and its
    grammar does not depend on a ``__future__`` import."""
    if any(mark in text for mark in _OTHER_LINE_BREAKS) or "barry_as_FLUFL" in text:
        return False
    return text.isascii() or _NON_ASCII_LINE_BREAKS.search(text) is None


@dataclass(frozen=True)
class Statement:
    """One top-level statement: its lines ``[start, end)`` (decorators included), its facts."""

    start: int
    end: int
    facts: Partial

    def shifted(self, lines: int) -> Statement:
        return Statement(self.start + lines, self.end + lines, self.facts.shifted(lines))


@dataclass(frozen=True)
class ScanState:
    """What the last version of a module that parsed leaves for scanning the next one."""

    lines: list[str] | None
    """The text split at ``\n``; ``None`` when it cannot be re-scanned in part."""
    imports_only: bool
    statements: tuple[Statement, ...]


def rescan(
    path: str,
    text: str,
    previous: ScanState | None,
    *,
    full: bool = False,
    tree_of: Callable[[], ast.Module | None] | None = None,
) -> tuple[ModuleFacts, ScanState | None]:
    """The facts of ``text`` (as ``scan_module`` finds them) and the state for the next edit.

    ``previous`` is the state an earlier call returned for this module. While ``text`` does
    not parse, the state of the last version that did is returned again.
    """
    imports_only = scans_imports_only(text, full=full)
    if imports_only and "import" not in text:
        return ModuleFacts(path=path, module=module_name(path), complete=False), None
    lines = text.split("\n") if _spliceable(text) else None
    statements = None
    if previous is not None and previous.imports_only == imports_only and lines is not None:
        statements = _splice(path, lines, previous)
    if statements is None:
        tree = parsed(text, tree_of)
        if tree is None:
            return unparsable(path, imports_only), previous
        scanner = Scanner(path, text.splitlines() if lines is None else lines, imports_only)
        statements = tuple(_statement(scanner, node) for node in tree.body)
    state = ScanState(lines, imports_only, statements)
    facts = merge(path, (s.facts for s in statements), complete=not imports_only)
    return facts, state


def _statement(scanner: Scanner, node: ast.stmt) -> Statement:
    decorators = getattr(node, "decorator_list", None)
    first = decorators[0] if decorators else node
    end = node.end_lineno if node.end_lineno is not None else node.lineno
    return Statement(first.lineno - 1, end, scanner.scan([node]))


def _splice(path: str, new: list[str], previous: ScanState) -> tuple[Statement, ...] | None:
    """The statements of the text whose lines are ``new``, re-scanning only the changed ones;
    ``None``: parse it all."""
    old = previous.lines
    if old is None:
        return None
    statements = previous.statements
    common = min(len(old), len(new))
    first = 0  # the first changed line
    while first < common and old[first] == new[first]:
        first += 1
    if first == len(old) == len(new):
        return statements
    same_tail = 0
    while same_tail < common - first and old[-1 - same_tail] == new[-1 - same_tail]:
        same_tail += 1
    unchanged_from = len(old) - same_tail  # in the old text
    moved = len(new) - len(old)

    before = 0  # statements entirely above the first changed line, ending a line of their own
    while before < len(statements) and statements[before].end <= first:
        before += 1
    while 0 < before < len(statements) and statements[before].start < statements[before - 1].end:
        before -= 1
    after = len(statements)  # statements entirely below the last changed line
    while after > before and statements[after - 1].start >= unchanged_from:
        after -= 1
    while before < after < len(statements) and statements[after].start < statements[after - 1].end:
        after += 1
    start = statements[before - 1].end if before else 0
    if start and old[start - 1].rstrip().endswith("\\"):
        return None
    stop = (statements[after].start if after < len(statements) else len(old)) + moved
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse("\n".join(new[start:stop]))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if start:
        ast.increment_lineno(tree, start)
    scanner = Scanner(path, new, previous.imports_only)
    changed = tuple(_statement(scanner, node) for node in tree.body)
    kept = statements[after:]
    if moved:
        kept = tuple(statement.shifted(moved) for statement in kept)
    return statements[:before] + changed + kept
