"""The framer splits a byte stream into bodies however the bytes arrive, and resyncs."""

from __future__ import annotations

from fastapi_architect.lsp.transport import BadFrame, MessageFramer


def _frame(body: bytes, header: bytes = b"Content-Length") -> bytes:
    return header + b": %d\r\n\r\n" % len(body) + body


def _feed_in_pieces(data: bytes, size: int) -> list[bytes | BadFrame]:
    framer = MessageFramer()
    out: list[bytes | BadFrame] = []
    for start in range(0, len(data), size):
        out += framer.feed(data[start : start + size])
    return out


def test_bodies_come_out_whole_whatever_the_read_sizes() -> None:
    bodies = [b'{"a": 1}', b"{}", b'{"text": "Content-Length: 5"}', b"x" * 70_000]
    stream = b"".join(_frame(body) for body in bodies)
    for size in (1, 3, 64, 65536, len(stream)):
        assert _feed_in_pieces(stream, size) == bodies


def test_header_names_are_case_insensitive_and_other_headers_ignored() -> None:
    stream = (
        b"CONTENT-TYPE: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 2\r\n\r\n{}"
    )
    assert MessageFramer().feed(stream) == [b"{}"]


def test_too_long_length_is_reported_once_the_next_header_shows() -> None:
    stream = b"Content-Length: 999\r\n\r\n{}" + _frame(b"[1]")
    out = _feed_in_pieces(stream, 5)
    assert len(out) == 2 and isinstance(out[0], BadFrame) and out[1] == b"[1]"


def test_invalid_length_skips_its_body_up_to_the_next_frame() -> None:
    for value in (b"-5", b"abc", b""):
        stream = b"Content-Length: " + value + b'\r\n\r\n{"x": 1}' + _frame(b"[2]")
        out = _feed_in_pieces(stream, 7)
        assert isinstance(out[0], BadFrame) and out[-1] == b"[2]", value


def test_headers_without_length_are_a_bad_frame() -> None:
    stream = b"Content-Type: x\r\n\r\n{}" + _frame(b"[3]")
    out = MessageFramer().feed(stream)
    assert isinstance(out[0], BadFrame) and out[-1] == b"[3]"


def test_bytes_glued_before_a_header_are_skipped() -> None:
    stream = b'1}"' + _frame(b"[4]")
    out = MessageFramer().feed(stream)
    assert isinstance(out[0], BadFrame) and out[-1] == b"[4]"


def test_stray_blank_lines_between_messages_are_ignored() -> None:
    stream = b"\r\n\n" + _frame(b"[5]") + b"\r\n" + _frame(b"[6]")
    assert MessageFramer().feed(stream) == [b"[5]", b"[6]"]
