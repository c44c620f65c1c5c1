"""Base-protocol framing that recovers from bad frames, for stdio and TCP.

pygls 2.1.1 accepts exactly ``Content-Length: N\\r\\n`` and reads headers line by line: a
lower-case header name, LF-only header lines, or a wrong or negative length leave it
reading bodies as headers, deaf for good. Here header names are case-insensitive, lines
may end in ``\\n`` alone, and a broken frame is reported (``ParseError``, id ``null``) and
skipped up to the next ``Content-Length`` header. Valid JSON cannot hold
``Content-Length: N`` followed by a raw line break (a string cannot contain a raw line
break), so that pattern marks the start of a frame even inside a mis-sized body.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

logger = logging.getLogger(__name__)

_LINE = re.compile(rb"([^\n]*)\n")
_LENGTH_HEADER = re.compile(rb"content-length[ \t]*:[ \t]*(-?\d+)[ \t]*\r?\n", re.IGNORECASE)
_HEADER = re.compile(rb"([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:(.*)")
_OVERLAP = 64
"""Bytes kept back when scanning for a header that may straddle two reads."""
READ_SIZE = 65536
PARSE_ERROR = -32700


@dataclass(frozen=True)
class BadFrame:
    """Bytes that were skipped because they did not form a frame, and why."""

    reason: str


class MessageFramer:
    """Turns a byte stream into message bodies, resynchronising after bad frames."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._length: int | None = None
        """Length of the body being read; ``None`` while reading headers."""
        self._skipping = False
        """True while skipping a body whose length is unknown."""
        self._headers_seen = False
        self._declared: int | None = None
        self._invalid_length = False
        self._scanned = 0
        """How far the body being read has been searched for a next header."""

    def feed(self, data: bytes) -> list[bytes | BadFrame]:
        """Add ``data``; return the bodies (and bad frames) it completes, in order."""
        self._buffer += data
        out: list[bytes | BadFrame] = []
        while True:
            if self._length is not None:
                step = self._read_body(self._length)
            elif self._skipping:
                step = self._skip_body()
            else:
                step = self._read_header()
            if step is None:
                return out
            if step is not True:
                out.append(step)  # type: ignore[arg-type]

    def _next_header(self, start: int) -> re.Match[bytes] | None:
        return _LENGTH_HEADER.search(self._buffer, max(start - _OVERLAP, 0))

    def _read_body(self, length: int) -> bytes | BadFrame | bool | None:
        if len(self._buffer) >= length:
            body = bytes(self._buffer[:length])
            del self._buffer[:length]
            self._length, self._scanned = None, 0
            return body
        found = self._next_header(self._scanned)
        self._scanned = len(self._buffer)
        if found is None:
            return None
        del self._buffer[: found.start()]
        self._length, self._scanned = None, 0
        return BadFrame("Content-Length longer than the body that followed")

    def _skip_body(self) -> bool | None:
        found = self._next_header(self._scanned)
        if found is None:
            self._scanned = len(self._buffer)
            if len(self._buffer) > _OVERLAP:
                del self._buffer[: len(self._buffer) - _OVERLAP]
                self._scanned = _OVERLAP
            return None
        del self._buffer[: found.start()]
        self._skipping, self._scanned = False, 0
        return True

    def _read_header(self) -> bytes | BadFrame | bool | None:
        line = _LINE.match(self._buffer)
        if line is None:
            return None
        content = line.group(1).rstrip(b"\r")
        if not content:
            del self._buffer[: line.end()]
            return self._end_of_headers()
        glued = _LENGTH_HEADER.search(self._buffer, 0, line.end())
        if glued is not None and glued.start() > 0:
            # Garbage (say, the tail of a body sent with a short length) before a header.
            del self._buffer[: glued.start()]
            self._forget_headers()
            return BadFrame("bytes that are not a header before Content-Length")
        header = _HEADER.fullmatch(content)
        del self._buffer[: line.end()]
        if header is None:
            self._forget_headers()
            return BadFrame("a line that is not a header")
        self._headers_seen = True
        if header.group(1).lower() == b"content-length":
            value = header.group(2).strip()
            self._declared = int(value) if value.isdigit() else None
            self._invalid_length = self._declared is None
        return True

    def _end_of_headers(self) -> BadFrame | bool:
        if not self._headers_seen:
            return True  # a stray blank line between messages
        declared, invalid = self._declared, self._invalid_length
        self._forget_headers()
        if declared is None:
            self._skipping = True
            return BadFrame("invalid Content-Length" if invalid else "no Content-Length header")
        self._length = declared
        return True

    def _forget_headers(self) -> None:
        self._headers_seen, self._declared, self._invalid_length = False, None, False


async def pump(
    read: Callable[[], Awaitable[bytes]],
    on_body: Callable[[bytes], None],
    on_bad_frame: Callable[[str], None],
    stopped: Callable[[], bool],
) -> None:
    """Read chunks until end of input and hand each framed body or bad frame on."""
    framer = MessageFramer()
    while not stopped():
        data = await read()
        if not data:
            return
        for item in framer.feed(data):
            if isinstance(item, BadFrame):
                logger.warning("bad frame skipped: %s", item.reason)
                on_bad_frame(item.reason)
            else:
                try:
                    on_body(item)
                except Exception:
                    logger.exception("unable to handle a message")
            # Let the handler just scheduled take its first step before the next message is
            # dispatched, as pygls' own reader does: ``initialized`` applies the settings
            # before a ``shutdown`` read in the same chunk can cancel it.
            await asyncio.sleep(0)


class FramedLanguageServer(LanguageServer):
    """pygls' language server, reading stdio and TCP through ``MessageFramer``."""

    def _pump(self, read: Callable[[], Awaitable[bytes]]) -> Awaitable[None]:
        protocol: Any = self.protocol  # an ArchitectProtocol: it has handle_body / send_error
        stop = self._stop_event
        return pump(
            read,
            protocol.handle_body,
            lambda reason: protocol.send_error(None, PARSE_ERROR, f"Parse error: {reason}"),
            lambda: stop is not None and stop.is_set(),
        )

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve over stdio until end of input or ``exit``."""
        logger.info("Starting async IO server")
        self._stop_event = threading.Event()
        source = stdin or sys.stdin.buffer
        read_some = getattr(source, "read1", None) or (lambda size: source.read(1))
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))

        async def serve() -> None:
            loop = asyncio.get_running_loop()
            await self._pump(lambda: loop.run_in_executor(self.thread_pool, read_some, READ_SIZE))

        try:
            asyncio.run(serve())
        except BrokenPipeError:
            logger.error("Connection to the client is lost! Shutting down the server.")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]

    def start_tcp(self, host: str, port: int) -> None:
        """Serve one client at a time over TCP on ``host:port``."""
        logger.info("Starting TCP server on %s:%s", host, port)
        self._stop_event = threading.Event()

        async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            logger.debug("Connected to client")
            self.protocol.set_writer(writer)
            await self._pump(lambda: reader.read(READ_SIZE))
            logger.debug("Main loop finished")
            self.shutdown()  # type: ignore[no-untyped-call]

        async def serve() -> None:
            self._server = await asyncio.start_server(on_connection, host, port)
            addresses = ", ".join(str(sock.getsockname()) for sock in self._server.sockets)
            logger.info("Serving on %s", addresses)
            async with self._server:
                await self._server.serve_forever()

        try:
            asyncio.run(serve())
        except asyncio.CancelledError:
            logger.debug("Server was cancelled")
