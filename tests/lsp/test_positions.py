"""Engine positions (code points) ⇄ LSP positions in UTF-8, UTF-16 and UTF-32."""

from __future__ import annotations

import pytest
from lsprotocol import types

from fastapi_architect.lsp.positions import from_lsp_position, to_lsp_position
from fastapi_architect.textedit import TextPosition, split_lines

TEXT = 'name = "😋é"  # x\r\nnext\n'
LINES = split_lines(TEXT)
CLOSING_QUOTE = TextPosition(0, 10)  # n a m e ␠ = ␠ " 😋 é → the closing quote is column 10


@pytest.mark.parametrize(("encoding", "character"), [("utf-32", 10), ("utf-16", 11), ("utf-8", 14)])
def test_astral_and_accented_characters_count_per_encoding(encoding: str, character: int) -> None:
    assert to_lsp_position(LINES, CLOSING_QUOTE, encoding) == types.Position(
        line=0, character=character
    )
    assert (
        from_lsp_position(LINES, types.Position(line=0, character=character), encoding)
        == CLOSING_QUOTE
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_positions_past_the_line_end_clamp_before_the_line_ending(encoding: str) -> None:
    position = from_lsp_position(LINES, types.Position(line=0, character=999), encoding)
    assert position == TextPosition(0, len('name = "😋é"  # x'))


def test_position_past_the_last_line_stays_on_that_line() -> None:
    assert to_lsp_position(LINES, TextPosition(2, 0), "utf-16") == types.Position(
        line=2, character=0
    )
    assert from_lsp_position(LINES, types.Position(line=7, character=3), "utf-16") == (
        TextPosition(7, 0)
    )


@pytest.mark.parametrize(("encoding", "character"), [("utf-32", 10), ("utf-16", 11), ("utf-8", 14)])
def test_the_fake_editor_applies_edits_in_the_negotiated_encoding(
    encoding: str, character: int
) -> None:
    from lsp_support import apply_text_edits

    quote = types.Position(line=0, character=character)
    edit = types.TextEdit(range=types.Range(start=quote, end=quote), new_text="!")
    assert apply_text_edits(TEXT, [edit], encoding).startswith('name = "😋é!"')


@pytest.mark.parametrize(
    ("negotiated", "expected"),
    [
        (types.PositionEncodingKind.Utf8, "utf-8"),
        (types.PositionEncodingKind.Utf16, "utf-16"),
        (types.PositionEncodingKind.Utf32, "utf-32"),
        ("utf-8", "utf-8"),
        (None, "utf-16"),
    ],
)
def test_the_server_reports_the_negotiated_encoding_by_its_wire_value(
    negotiated: object, expected: str
) -> None:
    from pygls.workspace import Workspace

    from fastapi_architect.lsp.setup import create_language_server

    server = create_language_server([])
    server.protocol._workspace = Workspace(None, position_encoding=negotiated)  # type: ignore[arg-type]
    # str() of lsprotocol's enum is "PositionEncodingKind.Utf8" on Python 3.11: never use it.
    assert server.position_encoding == expected
