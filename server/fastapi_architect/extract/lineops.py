"""Whole-line replacements: how the extraction expresses its edits before they become
``TextEdit``s, so the client receives exactly the lines that change (no text diff needed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from fastapi_architect.textedit import TextEdit, TextPosition


class LineOperation(NamedTuple):
    """Replace lines ``start`` (inclusive) to ``end`` (exclusive) with ``text``.

    ``start == end`` inserts before line ``start``; ``start == len(lines)`` appends.
    """

    start: int
    end: int
    text: str


def merged(operations: Iterable[LineOperation]) -> list[LineOperation]:
    """Sort ``operations`` and merge overlapping ones (insertions keep their order)."""
    result: list[LineOperation] = []
    for operation in sorted(operations, key=lambda op: (op.start, op.end != op.start)):
        if result and operation.start < result[-1].end:
            last = result[-1]
            result[-1] = LineOperation(
                last.start, max(last.end, operation.end), last.text + operation.text
            )
        else:
            result.append(operation)
    return result


def apply_line_operations(lines: Sequence[str], operations: Iterable[LineOperation]) -> str:
    """The text after applying ``operations`` to ``lines`` (each line with its ending)."""
    pieces: list[str] = []
    cursor = 0
    for operation in merged(operations):
        pieces.extend(lines[cursor : operation.start])
        pieces.append(operation.text)
        cursor = max(cursor, operation.end)
    pieces.extend(lines[cursor:])
    return "".join(pieces)


def from_text_edits(lines: Sequence[str], edits: Iterable[TextEdit]) -> list[LineOperation]:
    """Whole-line operations doing what ``edits`` (on ``lines``) do."""
    operations: list[LineOperation] = []
    for edit in edits:
        first, last = edit.start.line, edit.end.line
        if edit.start.column == 0 and edit.end.column == 0:
            operations.append(LineOperation(first, last, edit.new_text))
            continue
        head = lines[first][: edit.start.column] if first < len(lines) else ""
        tail = lines[last][edit.end.column :] if last < len(lines) else ""
        operations.append(
            LineOperation(first, min(last + 1, len(lines)), head + edit.new_text + tail)
        )
    return operations


def to_text_edits(operations: Iterable[LineOperation]) -> list[TextEdit]:
    """The ``TextEdit``s of ``operations``: whole-line ranges, minimal by construction."""
    return [
        TextEdit(TextPosition(op.start, 0), TextPosition(op.end, 0), op.text)
        for op in merged(operations)
        if op.text or op.start != op.end
    ]
