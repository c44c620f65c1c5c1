"""One parsed Python source: ``ast`` node positions as code-point offsets, and text replacements.

``ast`` reports columns in UTF-8 bytes; editors and ``textedit`` count code points. Every
conversion in this package addresses text through ``Source`` so the two never mix.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from fastapi_architect.project_files import newline_of
from fastapi_architect.textedit import TextEdit, line_starts, position_of, split_lines


@dataclass(frozen=True, order=True)
class Replacement:
    """Replace ``text[start:end]`` (code-point offsets) with ``new_text``."""

    start: int
    end: int
    new_text: str


class Source:
    """A source text with its ``ast`` tree and helpers to address nodes as text."""

    def __init__(self, text: str, tree: ast.Module | None = None) -> None:
        """``tree``: ``ast.parse(text)`` when the caller already has it (never mutated here)."""
        self.text = text
        self.tree = ast.parse(text) if tree is None else tree
        self.lines = split_lines(text)
        self.starts = line_starts(text)
        self.newline = newline_of(text)

    def offset(self, lineno: int, col_byte: int) -> int:
        """Offset of an ``ast`` position (1-based line, UTF-8 byte column)."""
        if lineno - 1 >= len(self.lines):
            return len(self.text)
        line = self.lines[lineno - 1]
        column = col_byte if line.isascii() else len(line.encode()[:col_byte].decode())
        return self.starts[lineno - 1] + column

    def start(self, node: ast.AST) -> int:
        """Offset where ``node`` begins."""
        return self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        """Offset where ``node`` ends."""
        return self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def segment(self, node: ast.AST) -> str:
        """The exact source text of ``node``."""
        return self.text[self.start(node) : self.end(node)]

    def line_start(self, lineno: int) -> int:
        """Offset of the first character of 1-based line ``lineno``."""
        if lineno - 1 >= len(self.starts):
            return len(self.text)
        return self.starts[lineno - 1]

    def line_end(self, lineno: int) -> int:
        """Offset just past the line ending of 1-based line ``lineno``."""
        if lineno >= len(self.starts):
            return len(self.text)
        return self.starts[lineno]

    def line_text(self, lineno: int) -> str:
        """Line ``lineno`` (1-based) without its line ending."""
        if lineno - 1 >= len(self.lines):
            return ""
        return self.lines[lineno - 1].rstrip("\r\n")

    def indent_of(self, lineno: int) -> str:
        """Leading whitespace of line ``lineno``."""
        line = self.line_text(lineno)
        return line[: len(line) - len(line.lstrip())]

    def to_text_edits(self, replacements: Iterable[Replacement]) -> list[TextEdit]:
        """Convert offset replacements into position-based edits, in document order."""
        return [
            TextEdit(
                position_of(self.text, r.start, self.starts),
                position_of(self.text, r.end, self.starts),
                r.new_text,
            )
            for r in sorted(replacements)
        ]

    def apply(self, replacements: Iterable[Replacement]) -> str:
        """Apply non-overlapping replacements and return the new text."""
        pieces: list[str] = []
        cursor = 0
        for r in sorted(replacements):
            if r.start < cursor:
                raise ValueError("overlapping replacements")
            pieces.append(self.text[cursor : r.start])
            pieces.append(r.new_text)
            cursor = r.end
        pieces.append(self.text[cursor:])
        return "".join(pieces)
