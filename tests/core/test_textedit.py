"""Text edits: applying them, and computing minimal line edits between two texts."""

from __future__ import annotations

import random

import pytest

from fastapi_architect.textedit import (
    TextEdit,
    TextPosition,
    apply_edits,
    line_starts,
    minimal_edits,
    offset_of,
    position_of,
    split_lines,
)


def test_split_lines_keeps_crlf_and_does_not_split_on_form_feed() -> None:
    assert split_lines("a\r\nb\x0cc\nd") == ["a\r\n", "b\x0cc\n", "d"]


def test_line_starts_and_offsets_round_trip() -> None:
    text = "ab\r\ncd\nef"
    assert line_starts(text) == [0, 4, 7]
    for offset in range(len(text) + 1):
        assert offset_of(text, position_of(text, offset)) == offset


def test_edits_apply_from_the_end_regardless_of_order() -> None:
    text = "one\ntwo\nthree\n"
    edits = [
        TextEdit(TextPosition(2, 0), TextPosition(2, 5), "3"),
        TextEdit(TextPosition(0, 0), TextPosition(0, 3), "1"),
    ]
    assert apply_edits(text, edits) == "1\ntwo\n3\n"


def test_overlapping_edits_are_refused() -> None:
    edits = [
        TextEdit(TextPosition(0, 0), TextPosition(0, 3), "x"),
        TextEdit(TextPosition(0, 2), TextPosition(0, 4), "y"),
    ]
    with pytest.raises(ValueError, match="overlapping"):
        apply_edits("abcdef", edits)


def test_minimal_edits_touch_only_changed_lines_and_keep_crlf() -> None:
    old = "a = 1\r\nb = 2\r\nc = 3\r\n"
    new = "a = 1\r\nb = 20\r\nc = 3\r\n"
    edits = minimal_edits(old, new)
    assert edits == [TextEdit(TextPosition(1, 0), TextPosition(2, 0), "b = 20\r\n")]
    assert apply_edits(old, edits) == new


def test_minimal_edits_handle_a_missing_final_newline() -> None:
    old = "x = 1\ny = 2"
    new = "x = 1\ny = 3\nz = 4"
    assert apply_edits(old, minimal_edits(old, new)) == new


def test_minimal_edits_round_trip_on_random_texts() -> None:
    rng = random.Random(20261127)
    pieces = ["a\n", "b\r\n", "c", "\n", "def f():\n", "    pass\n", "é😋\n", ""]
    for _ in range(300):
        old = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        new = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert apply_edits(old, minimal_edits(old, new)) == new


def test_identical_texts_need_no_edit() -> None:
    assert minimal_edits("same\n", "same\n") == []
