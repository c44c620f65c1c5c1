"""Text positions and edits shared by every engine.

Engines speak Python strings: lines are 0-based and columns count code points. The LSP
adapter converts to the client's position encoding (UTF-16 by default) in one place,
``fastapi_architect.lsp.positions``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class TextPosition:
    """A 0-based line and a 0-based column counted in code points."""

    line: int
    column: int


@dataclass(frozen=True)
class TextEdit:
    """Replace the text between ``start`` and ``end`` with ``new_text``."""

    start: TextPosition
    end: TextPosition
    new_text: str


def split_lines(text: str) -> list[str]:
    """Split ``text`` into lines that keep their line endings (``\\n``, ``\\r\\n``, ``\\r``)."""
    lines = text.splitlines(keepends=True)
    # str.splitlines also breaks on form feeds and other separators that Python's
    # tokenizer (and LSP) do not treat as line ends; re-join those pieces.
    merged: list[str] = []
    for piece in lines:
        if merged and not merged[-1].endswith(("\n", "\r")):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def line_starts(text: str) -> list[int]:
    """Return the offset at which each line of ``text`` starts (always at least ``[0]``)."""
    starts = [0]
    offset = 0
    for line in split_lines(text):
        offset += len(line)
        starts.append(offset)
    if len(starts) > 1 and not text.endswith(("\n", "\r")):
        starts.pop()
    return starts


def offset_of(text: str, position: TextPosition, starts: Sequence[int] | None = None) -> int:
    """Convert ``position`` to an offset into ``text``, clamping it to the text."""
    starts = line_starts(text) if starts is None else starts
    if position.line >= len(starts):
        return len(text)
    line_start = starts[position.line]
    line_end = starts[position.line + 1] if position.line + 1 < len(starts) else len(text)
    return min(line_start + max(position.column, 0), line_end)


def position_of(text: str, offset: int, starts: Sequence[int] | None = None) -> TextPosition:
    """Convert an offset into ``text`` to a line/column position."""
    import bisect

    starts = line_starts(text) if starts is None else starts
    offset = max(0, min(offset, len(text)))
    line = bisect.bisect_right(starts, offset) - 1
    return TextPosition(line, offset - starts[line])


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """Apply non-overlapping ``edits`` to ``text`` and return the result.

    Raises ``ValueError`` when two edits overlap.
    """
    starts = line_starts(text)
    spans = sorted(
        (
            (offset_of(text, e.start, starts), offset_of(text, e.end, starts), e.new_text)
            for e in edits
        ),
        key=lambda span: (span[0], span[1]),
    )
    pieces: list[str] = []
    cursor = 0
    for begin, end, new_text in spans:
        if begin < cursor:
            raise ValueError("overlapping edits")
        pieces.append(text[cursor:begin])
        pieces.append(new_text)
        cursor = max(end, begin)
    pieces.append(text[cursor:])
    return "".join(pieces)


def minimal_edits(old: str, new: str) -> list[TextEdit]:
    """Return line-level edits that turn ``old`` into ``new``, touching only changed lines."""
    old_lines = split_lines(old)
    new_lines = split_lines(new)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    edits: list[TextEdit] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(
            TextEdit(
                start=_line_start_position(old_lines, i1),
                end=_line_start_position(old_lines, i2),
                new_text="".join(new_lines[j1:j2]),
            )
        )
    return edits


def _line_start_position(lines: Sequence[str], index: int) -> TextPosition:
    """Position of the start of line ``index``; past the last line means the end of the text."""
    if index < len(lines):
        return TextPosition(index, 0)
    if not lines:
        return TextPosition(0, 0)
    last = lines[-1]
    if last.endswith(("\n", "\r")):
        return TextPosition(len(lines), 0)
    return TextPosition(len(lines) - 1, len(last))
