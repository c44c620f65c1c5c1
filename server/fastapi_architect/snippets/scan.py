"""Strings and comments of a Python document, found without parsing it (it rarely parses while
the user types)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_STRING_OR_COMMENT = re.compile(r"[#'\"]")


@dataclass(frozen=True)
class StringScan:
    """The multi-line strings before a limit, and whether the limit is in a string/comment."""

    multiline_strings: list[tuple[int, int]] = field(default_factory=list)
    """``(start, end)`` of every string literal spanning more than one line."""
    unfinished: bool = False
    """The scan limit lies inside a string or a comment."""


def _closing(text: str, start: int, quote: str, limit: int) -> int:
    """Offset just after the quote closing a string whose body starts at ``start`` (-1: none)."""
    single_line = len(quote) == 1
    position = start
    while True:
        found = text.find(quote, position, limit)
        if single_line:
            newline = text.find("\n", position, found if found >= 0 else limit)
            if newline >= 0 and not _escaped(text, newline):
                return newline  # an unterminated one-line string ends at the line's end
        if found < 0:
            return -1
        if _escaped(text, found):
            position = found + 1
            continue
        return found + len(quote)


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def scan_strings(text: str, limit: int) -> StringScan:
    """Find multi-line strings before ``limit`` and whether ``limit`` is in a string/comment."""
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        match = _STRING_OR_COMMENT.search(text, position, limit)
        if match is None:
            return StringScan(spans, unfinished=False)
        start = match.start()
        char = text[start]
        if char == "#":
            newline = text.find("\n", start, limit)
            if newline < 0:
                return StringScan(spans, unfinished=True)
            position = newline + 1
            continue
        quote = char * 3 if text.startswith(char * 3, start) else char
        end = _closing(text, start + len(quote), quote, limit)
        if end < 0:
            return StringScan(spans, unfinished=True)
        if "\n" in text[start:end] and len(quote) == 3:
            spans.append((start, end))
        position = end


def inside(spans: Sequence[tuple[int, int]], offset: int) -> bool:
    """``offset`` lies strictly inside one of ``spans``."""
    return any(start < offset < end for start, end in spans)
