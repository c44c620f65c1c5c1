"""An editor's view of a document, written the obvious way, to check the server against.

Lines end only at ``\\n``, ``\\r\\n`` and ``\\r``; columns count code units of the negotiated
position encoding. Slow and simple on purpose: it is the reference, not the fast path.
"""

from __future__ import annotations

import re
from typing import Any

SEPARATORS = "\f\v\x1c\x1d\x1e\x85\u2028\u2029"
"""Characters ``str.splitlines`` ends lines at and LSP does not."""


def units(char: str, encoding: str) -> int:
    """Code units of ``char`` in ``encoding`` (``utf-8``, ``utf-16`` or ``utf-32``)."""
    if encoding == "utf-32":
        return 1
    if encoding == "utf-8":
        return len(char.encode("utf-8", "surrogatepass"))
    return 2 if ord(char) >= 0x10000 else 1


def lines_of(text: str) -> list[str]:
    """The LSP lines of ``text``, each with its ending; a final break opens an empty line."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text) + (
        [""] if text == "" or text.endswith(("\n", "\r")) else []
    )


def offset_at(text: str, line: int, character: int, encoding: str) -> int:
    """Offset of an LSP position in ``text``, clamped to its line's content and the text."""
    lines = lines_of(text)
    if line >= len(lines):
        return len(text)
    offset = sum(len(each) for each in lines[:line])
    counted = 0
    for char in lines[line].rstrip("\r\n"):
        if counted >= character:
            break
        counted += units(char, encoding)
        if counted > character:  # the position falls inside this character
            break
        offset += 1
    return offset


def position_at(text: str, offset: int, encoding: str) -> dict[str, int]:
    """The LSP position of ``offset`` in ``text``."""
    lines = lines_of(text)
    line, start = 0, 0
    while line < len(lines) - 1 and start + len(lines[line]) <= offset:
        start += len(lines[line])
        line += 1
    return {"line": line, "character": sum(units(c, encoding) for c in text[start:offset])}


def apply_change(text: str, change: dict[str, Any], encoding: str) -> str:
    """Apply one ``TextDocumentContentChangeEvent`` (full or ranged) to ``text``."""
    if "range" not in change:
        return str(change["text"])
    start = change["range"]["start"]
    end = change["range"]["end"]
    first = offset_at(text, start["line"], start["character"], encoding)
    last = offset_at(text, end["line"], end["character"], encoding)
    first, last = min(first, last), max(first, last)
    return text[:first] + change["text"] + text[last:]


def apply_edits(text: str, edits: list[dict[str, Any]], encoding: str) -> str:
    """Apply LSP ``TextEdit``s (all relative to ``text``) as an editor does."""
    spans = sorted(
        (
            (
                offset_at(
                    text, e["range"]["start"]["line"], e["range"]["start"]["character"], encoding
                ),
                offset_at(
                    text, e["range"]["end"]["line"], e["range"]["end"]["character"], encoding
                ),
                index,
                e["newText"],
            )
            for index, e in enumerate(edits)
        ),
        reverse=True,
    )
    for first, last, _, new_text in spans:
        text = text[:first] + new_text + text[last:]
    return text
