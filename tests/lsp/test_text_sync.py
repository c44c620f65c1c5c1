"""The server's copy of a document equals the editor's after any incremental change.

LSP ends lines only at ``\\n``, ``\\r\\n`` and ``\\r``; pygls 2.1.1 also ends them at form
feeds and the other ``str.splitlines`` separators, so its copy drifted. The stdio tests read
the server's copy through ``bench.probe_server`` (a test-only request, never shipped).
"""

from __future__ import annotations

import random
import sys

import pytest
from bench import editor_model
from bench.lsp_peer import LspPeer
from lsprotocol import types

from fastapi_architect.lsp.text_sync import LspText, lsp_line_starts

PROBE_SERVER = [sys.executable, "-m", "bench.probe_server"]
ENCODINGS = ["utf-8", "utf-16", "utf-32"]
FORM_FEED_DOCUMENT = (
    "from fastapi import APIRouter\f\n\nrouter = APIRouter()\n\n\n"
    '@router.get("/a")\ndef read_a():\n    total = 1\n    return total\n'
)
ALPHABET = ["a", "b", " ", "\n", "\r", "\r\n", "é", "€", "😀", "𝔘", *editor_model.SEPARATORS]


def _random_text(rng: random.Random, size: int, alphabet: list[str] = ALPHABET) -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


def _random_change(
    rng: random.Random, text: str, encoding: str, alphabet: list[str] = ALPHABET
) -> dict[str, object]:
    lines = editor_model.lines_of(text)
    positions = []
    for _ in range(2):
        line = rng.randrange(len(lines) + 1)
        width = sum(editor_model.units(c, encoding) for c in ([*lines, ""])[line])
        positions.append({"line": line, "character": rng.randrange(width + 3)})
    positions.sort(key=lambda p: (p["line"], p["character"]))
    return {
        "range": {"start": positions[0], "end": positions[1]},
        "text": _random_text(rng, rng.randrange(4), alphabet),
    }


def _lsp_range(change: dict[str, object]) -> types.Range:
    span = change["range"]
    assert isinstance(span, dict)
    return types.Range(start=types.Position(**span["start"]), end=types.Position(**span["end"]))


@pytest.mark.parametrize("astral", [True, False], ids=["astral", "bmp-only"])
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_random_changes_match_the_editor_and_keep_line_starts_exact(
    encoding: str, astral: bool
) -> None:
    rng = random.Random(f"text-sync-{encoding}-{astral}")
    alphabet = ALPHABET if astral else [c for c in ALPHABET if ord(c[0]) < 0x10000]
    for _ in range(200):
        editor = _random_text(rng, rng.randrange(30), alphabet)
        server = LspText(editor)
        for _ in range(15):
            change = _random_change(rng, editor, encoding, alphabet)
            editor = editor_model.apply_change(editor, change, encoding)
            server.replace(_lsp_range(change), str(change["text"]), encoding)
            assert server.text == editor
            assert server.starts == lsp_line_starts(editor)


def test_form_feed_does_not_end_a_line() -> None:
    server = LspText(FORM_FEED_DOCUMENT)
    end_of_return = types.Position(line=8, character=16)
    server.replace(types.Range(start=end_of_return, end=end_of_return), " + 41", "utf-16")
    assert "    total = 1\n    return total + 41\n" in server.text


def test_position_inside_a_surrogate_pair_stops_before_the_character() -> None:
    server = LspText("a😀b")
    inside = types.Position(line=0, character=2)
    server.replace(types.Range(start=inside, end=inside), "|", "utf-16")
    assert server.text == "a|😀b"


def _probe_session(encoding: str) -> LspPeer:
    peer = LspPeer(PROBE_SERVER)
    result = peer.initialize({"general": {"positionEncodings": [encoding]}})
    assert result["capabilities"]["positionEncoding"] == encoding
    return peer


def _server_text(peer: LspPeer, uri: str) -> str:
    text: str = peer.call("$/fastapiArchitect/probe", {"uri": uri})["text"]
    return text


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_insert_after_a_form_feed_lands_where_the_editor_put_it(encoding: str) -> None:
    peer = _probe_session(encoding)
    uri = "file:///fuzz/app.py"
    try:
        peer.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "python",
                    "version": 1,
                    "text": FORM_FEED_DOCUMENT,
                }
            },
        )
        at = {"line": 8, "character": 16}
        change = {"range": {"start": at, "end": at}, "text": " + 41"}
        peer.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]},
        )
        expected = editor_model.apply_change(FORM_FEED_DOCUMENT, change, encoding)
        assert "return total + 41" in expected
        assert _server_text(peer, uri) == expected
    finally:
        assert peer.close() == 0


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_separator_and_astral_characters_keep_the_copies_equal(encoding: str) -> None:
    rng = random.Random(f"wire-{encoding}")
    peer = _probe_session(encoding)
    uri = "file:///fuzz/separators.py"
    editor = "x = 1\n" + "".join(f"a{sep}😀b\r\n" for sep in editor_model.SEPARATORS) + "end\r"
    try:
        peer.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": editor}},
        )
        for version in range(2, 60):
            changes = [_random_change(rng, editor, encoding) for _ in range(rng.randrange(1, 3))]
            for change in changes:
                editor = editor_model.apply_change(editor, change, encoding)
            peer.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes},
            )
            assert _server_text(peer, uri) == editor, f"after version {version}"
    finally:
        assert peer.close() == 0
