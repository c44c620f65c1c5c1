"""Byte-level protocol abuse and the transports other than stdio."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from pathlib import Path

from bench.rpc import RawConnection

from lsp_support import SERVER_COMMAND

INITIALIZE = {"processId": None, "rootUri": None, "capabilities": {}}


def _initialized_connection() -> RawConnection:
    connection = RawConnection(SERVER_COMMAND)
    connection.request(1, "initialize", INITIALIZE)
    assert "result" in connection.read_response(1)
    connection.notify("initialized", {})
    return connection


def test_malformed_json_is_reported_and_the_server_keeps_serving() -> None:
    connection = _initialized_connection()
    connection.send_bytes(b"{this is not json")
    connection.send_bytes(b'{"jsonrpc": "2.0", "id": 7, "method": ')
    connection.request(2, "shutdown")
    assert connection.read_response(2) == {"jsonrpc": "2.0", "id": 2, "result": None}
    connection.notify("exit")
    assert connection.close() == 0


def test_message_of_the_wrong_shape_is_answered_with_an_error() -> None:
    connection = _initialized_connection()
    connection.request(2, "textDocument/codeAction", {"textDocument": 42})
    response = connection.read_response(2)
    assert response["error"]["code"] == -32602
    assert "textDocument/codeAction" in response["error"]["message"]
    connection.request(3, "shutdown")
    assert "result" in connection.read_response(3)
    connection.notify("exit")
    assert connection.close() == 0


def test_unknown_notification_is_ignored() -> None:
    connection = _initialized_connection()
    connection.notify("$/somethingNew", {"x": 1})
    connection.notify("custom/unknown", None)
    connection.request(2, "shutdown")
    assert "result" in connection.read_response(2)
    connection.notify("exit")
    assert connection.close() == 0


def test_client_vanishing_ends_the_server() -> None:
    connection = _initialized_connection()
    # The server must end on its own, not hang; without `shutdown` its status is 1.
    assert connection.close(timeout=15) == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_tcp_transport_answers_initialize(tmp_path: Path) -> None:
    port = _free_port()
    log_file = tmp_path / "server.log"
    server = subprocess.Popen(
        [
            *SERVER_COMMAND,
            "--tcp",
            f"127.0.0.1:{port}",
            "--log-file",
            str(log_file),
            "--log-level",
            "info",
        ],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with connection:
            connection.sendall(
                _frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": INITIALIZE})
            )
            received = b""
            while b'"id": 1' not in received and b'"id":1' not in received:
                chunk = connection.recv(65536)
                assert chunk, "connection closed before the initialize result"
                received += chunk
            assert b'"capabilities"' in received
    finally:
        server.terminate()
        server.wait(10)
    assert "Starting TCP server" in log_file.read_text(encoding="utf-8")


def test_log_file_in_a_missing_folder_is_a_one_line_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [*SERVER_COMMAND, "--log-file", str(tmp_path / "no" / "such" / "dir" / "x.log")],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "cannot open log file" in result.stderr
