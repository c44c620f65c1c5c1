"""A minimal JSON-RPC-over-stdio peer for timing and for byte-level protocol tests.

It frames messages by hand (no pygls on the client side), so a benchmark measures the
server alone and a test can send bytes no real client library would produce.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
from collections.abc import Sequence
from typing import IO, Any


def read_framed_message(stream: IO[bytes]) -> dict[str, Any]:
    """Read one Content-Length framed JSON-RPC message (raises EOFError at end of output)."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("the server closed its output")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length is None:
        raise ValueError("message without Content-Length")
    message: dict[str, Any] = json.loads(stream.read(length))
    return message


class RawConnection:
    """A server process spoken to with hand-framed JSON-RPC messages."""

    def __init__(self, command: Sequence[str], cwd: str | None = None) -> None:
        self.process = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._stdin: IO[bytes] = self.process.stdin
        self._stdout: IO[bytes] = self.process.stdout

    def send_bytes(self, body: bytes) -> None:
        """Send ``body`` framed with a correct Content-Length header."""
        self._stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self._stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        """Send one JSON-RPC message."""
        self.send_bytes(json.dumps(message).encode("utf-8"))

    def request(self, request_id: int, method: str, params: Any = None) -> None:
        """Send a request (the answer is read with ``read_response``)."""
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})

    def notify(self, method: str, params: Any = None) -> None:
        """Send a notification."""
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def read_message(self) -> dict[str, Any]:
        """Read the next message from the server (raises EOFError when it is gone)."""
        return read_framed_message(self._stdout)

    def read_response(self, request_id: int) -> dict[str, Any]:
        """Read messages until the response to ``request_id`` arrives."""
        while True:
            message = self.read_message()
            if message.get("id") == request_id and "method" not in message:
                return message

    def close(self, timeout: float = 10) -> int:
        """Close stdin and wait for the process; returns its exit status."""
        with contextlib.suppress(BrokenPipeError):
            self._stdin.close()
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
