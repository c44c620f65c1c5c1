"""A JSON-RPC peer over stdio with a reader thread: answers the server's requests itself.

Tests and benchmarks that send thousands of messages need reads that time out (a deaf
server must fail a test, not hang it) and a client that answers ``workspace/applyEdit``,
``workspace/configuration`` and progress requests like an editor would.
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import threading
from collections.abc import Callable, Sequence
from typing import IO, Any

from bench.rpc import read_framed_message

ServerRequestHandler = Callable[[str, Any], Any]


class LspPeer:
    """A server process spoken to with hand-framed JSON-RPC over its stdio."""

    def __init__(
        self,
        command: Sequence[str],
        cwd: str | None = None,
        on_server_request: ServerRequestHandler | None = None,
    ) -> None:
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
        self._on_server_request = on_server_request or (lambda method, params: None)
        self._write_lock = threading.Lock()
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        """Responses and notifications from the server, in arrival order."""
        self._reader = threading.Thread(target=self._read_forever, daemon=True)
        self._reader.start()
        self._next_id = 0

    # --- sending --------------------------------------------------------------------------

    def send_raw(self, data: bytes) -> None:
        """Write ``data`` as is: no framing added."""
        with self._write_lock:
            self._stdin.write(data)
            self._stdin.flush()

    def send_bytes(self, body: bytes) -> None:
        """Send ``body`` framed with a correct Content-Length header."""
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send(self, message: dict[str, Any]) -> None:
        """Send one JSON-RPC message."""
        self.send_bytes(json.dumps(message).encode("utf-8"))

    def request(self, method: str, params: Any = None, request_id: int | None = None) -> int:
        """Send a request; returns its id (read the answer with ``response``)."""
        if request_id is None:
            self._next_id += 1
            request_id = self._next_id
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return request_id

    def notify(self, method: str, params: Any = None) -> None:
        """Send a notification."""
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def call(self, method: str, params: Any = None, timeout: float = 30) -> Any:
        """Send a request and return its result (raises ``RuntimeError`` on an error)."""
        answer = self.response(self.request(method, params), timeout)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result")

    # --- receiving ------------------------------------------------------------------------

    def next_message(self, timeout: float = 30) -> dict[str, Any]:
        """The next response or notification (raises ``TimeoutError`` when none comes)."""
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no message from the server within {timeout} s") from None

    def response(self, request_id: int | str | None, timeout: float = 30) -> dict[str, Any]:
        """Skip messages until the response with ``request_id`` (``None``: an id-less error)."""
        while True:
            message = self.next_message(timeout)
            if "method" not in message and message.get("id") == request_id:
                return message

    def _read_forever(self) -> None:
        while True:
            try:
                message = self._read_message()
            except (EOFError, ValueError, OSError):
                return
            if "method" in message and "id" in message:
                result = self._on_server_request(message["method"], message.get("params"))
                with contextlib.suppress(OSError):
                    self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            else:
                self.messages.put(message)

    def _read_message(self) -> dict[str, Any]:
        return read_framed_message(self._stdout)

    # --- lifecycle ------------------------------------------------------------------------

    def initialize(
        self,
        capabilities: dict[str, Any],
        root_uri: str | None = None,
        initialization_options: Any = None,
    ) -> Any:
        """The ``initialize`` / ``initialized`` handshake; returns the initialize result."""
        params = {"processId": None, "rootUri": root_uri, "capabilities": capabilities}
        if initialization_options is not None:
            params["initializationOptions"] = initialization_options
        result = self.call("initialize", params)
        self.notify("initialized", {})
        return result

    def close(self, timeout: float = 15) -> int:
        """``shutdown``, ``exit`` if still possible, then wait; returns the exit status."""
        with contextlib.suppress(OSError, TimeoutError, RuntimeError):
            self.call("shutdown", timeout=timeout)
            self.notify("exit")
        with contextlib.suppress(OSError):
            self._stdin.close()
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
