"""The one place where engine positions (code points) meet LSP positions (client units).

LSP counts columns in the negotiated position encoding: UTF-16 code units unless the client
offered UTF-8 or UTF-32 and the server picked it. Engines count code points.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from fastapi_architect.textedit import TextEdit, TextPosition

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def _units(char: str, encoding: str) -> int:
    code_point = ord(char)
    if encoding == UTF32:
        return 1
    if encoding == UTF8:
        if code_point < 0x80:
            return 1
        if code_point < 0x800:
            return 2
        if code_point < 0x10000:
            return 3
        return 4
    return 2 if code_point >= 0x10000 else 1


def _line_body(lines: Sequence[str], line: int) -> str:
    if 0 <= line < len(lines):
        return lines[line].rstrip("\r\n")
    return ""


def to_lsp_position(lines: Sequence[str], position: TextPosition, encoding: str) -> types.Position:
    """Convert a code-point position into the client's units."""
    if position.line >= len(lines):
        return types.Position(line=position.line, character=0)
    body = _line_body(lines, position.line)
    prefix = body[: position.column]
    if encoding == UTF32:
        return types.Position(line=position.line, character=len(prefix))
    return types.Position(
        line=position.line, character=sum(_units(char, encoding) for char in prefix)
    )


def from_lsp_position(
    lines: Sequence[str], position: types.Position, encoding: str
) -> TextPosition:
    """Convert a client position into code points, clamping it to the line's end."""
    body = _line_body(lines, position.line)
    if encoding == UTF32:
        return TextPosition(position.line, min(position.character, len(body)))
    units = 0
    for column, char in enumerate(body):
        if units >= position.character:
            return TextPosition(position.line, column)
        units += _units(char, encoding)
    return TextPosition(position.line, len(body))


def to_lsp_range(
    lines: Sequence[str], start: TextPosition, end: TextPosition, encoding: str
) -> types.Range:
    """Convert a code-point span into an LSP range."""
    return types.Range(
        start=to_lsp_position(lines, start, encoding),
        end=to_lsp_position(lines, end, encoding),
    )


def to_lsp_text_edit(lines: Sequence[str], edit: TextEdit, encoding: str) -> types.TextEdit:
    """Convert an engine edit on a document with ``lines`` into an LSP ``TextEdit``."""
    return types.TextEdit(
        range=to_lsp_range(lines, edit.start, edit.end, encoding), new_text=edit.new_text
    )
