"""JSON-RPC and LSP base-protocol rules, checked byte for byte over stdio.

Every test talks to ``fastapi-architect serve`` through hand-framed bytes; reads time out,
so a server that stops answering fails the test instead of hanging it.
"""

from __future__ import annotations

import json

from bench.lsp_peer import LspPeer

from lsp_support import SERVER_COMMAND

SHUTDOWN = {"jsonrpc": "2.0", "id": 900, "method": "shutdown"}


def _ready() -> LspPeer:
    peer = LspPeer(SERVER_COMMAND)
    peer.initialize({})
    return peer


def _body(message: dict[str, object]) -> bytes:
    return json.dumps(message).encode()


def _still_serving(peer: LspPeer) -> None:
    """The server answers a well-framed request, then ends cleanly."""
    peer.send(SHUTDOWN)
    assert peer.response(900, timeout=20) == {"jsonrpc": "2.0", "id": 900, "result": None}
    peer.notify("exit")
    assert peer.process.wait(20) == 0


def test_request_before_initialize_is_refused_as_server_not_initialized() -> None:
    peer = LspPeer(SERVER_COMMAND)
    peer.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": "file:///a.py", "languageId": "python", "version": 1, "text": ""}},
    )
    peer.request(
        "textDocument/hover",
        {"textDocument": {"uri": "file:///a.py"}, "position": {"line": 0, "character": 0}},
        request_id=1,
    )
    assert peer.response(1)["error"]["code"] == -32002
    assert "capabilities" in peer.call(
        "initialize", {"processId": None, "rootUri": None, "capabilities": {}}
    )
    peer.notify("initialized", {})
    _still_serving(peer)


def test_second_initialize_is_an_invalid_request() -> None:
    peer = _ready()
    peer.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}}, 5)
    assert peer.response(5)["error"]["code"] == -32600
    _still_serving(peer)


def test_requests_after_shutdown_are_answered_invalid_request() -> None:
    peer = _ready()
    assert peer.call("shutdown") is None
    peer.request(
        "textDocument/hover",
        {"textDocument": {"uri": "file:///a.py"}, "position": {"line": 0, "character": 0}},
        request_id=7,
    )
    assert peer.response(7)["error"]["code"] == -32600
    peer.request("shutdown", None, request_id=8)
    assert peer.response(8)["error"]["code"] == -32600
    peer.notify("exit")
    assert peer.process.wait(20) == 0


def test_malformed_json_gets_a_parse_error_with_a_null_id() -> None:
    peer = _ready()
    peer.send_bytes(b'{"jsonrpc": "2.0", "id": 3, "method": ')
    error = peer.response(None)["error"]
    assert error["code"] == -32700
    _still_serving(peer)


def test_a_body_that_is_not_a_message_object_is_an_invalid_request() -> None:
    peer = _ready()
    peer.send_bytes(b"[1, 2]")
    assert peer.response(None)["error"]["code"] == -32600
    peer.send_bytes(_body({"jsonrpc": "1.0", "id": 4, "method": "shutdown"}))
    assert peer.response(4)["error"]["code"] == -32600
    _still_serving(peer)


def test_notification_method_sent_with_an_id_is_answered_method_not_found() -> None:
    peer = _ready()
    peer.send(
        {
            "jsonrpc": "2.0",
            "id": 11,
            "method": "textDocument/didOpen",
            "params": {
                "textDocument": {
                    "uri": "file:///a.py",
                    "languageId": "python",
                    "version": 1,
                    "text": "x = 1\n",
                }
            },
        }
    )
    error = peer.response(11)["error"]
    assert error["code"] == -32601
    assert "notification" in error["message"]
    _still_serving(peer)


def test_lower_case_header_name_is_accepted() -> None:
    peer = _ready()
    body = _body(
        {
            "jsonrpc": "2.0",
            "id": 12,
            "method": "workspace/executeCommand",
            "params": {"command": "no.such.command"},
        }
    )
    peer.send_raw(b"content-length: %d\r\n\r\n" % len(body) + body)
    assert peer.response(12)["error"]["code"] == -32602
    _still_serving(peer)


def test_header_lines_ending_in_lf_alone_are_accepted() -> None:
    peer = _ready()
    body = _body(
        {
            "jsonrpc": "2.0",
            "id": 13,
            "method": "workspace/executeCommand",
            "params": {"command": "no.such.command"},
        }
    )
    peer.send_raw(
        b"Content-Length: %d\nContent-Type: application/vscode-jsonrpc\n\n" % len(body) + body
    )
    assert peer.response(13)["error"]["code"] == -32602
    _still_serving(peer)


def test_content_length_shorter_than_the_body_is_reported_and_skipped() -> None:
    peer = _ready()
    body = _body(
        {
            "jsonrpc": "2.0",
            "id": 14,
            "method": "workspace/executeCommand",
            "params": {"command": "no.such.command"},
        }
    )
    peer.send_raw(b"Content-Length: %d\r\n\r\n" % (len(body) - 9) + body)
    assert peer.response(None)["error"]["code"] == -32700
    _still_serving(peer)


def test_content_length_longer_than_the_body_is_reported_and_the_next_message_served() -> None:
    peer = _ready()
    body = _body(
        {
            "jsonrpc": "2.0",
            "id": 15,
            "method": "workspace/executeCommand",
            "params": {"command": "no.such.command"},
        }
    )
    peer.send_raw(b"Content-Length: %d\r\n\r\n" % (len(body) + 500) + body)
    peer.send(SHUTDOWN)
    assert peer.response(None)["error"]["code"] == -32700
    assert peer.response(900)["result"] is None
    peer.notify("exit")
    assert peer.process.wait(20) == 0


def test_negative_content_length_is_reported_and_the_next_message_served() -> None:
    peer = _ready()
    body = _body({"jsonrpc": "2.0", "id": 16, "method": "shutdown"})
    peer.send_raw(b"Content-Length: -5\r\n\r\n" + body)
    assert peer.response(None)["error"]["code"] == -32700
    _still_serving(peer)


def test_garbage_between_messages_is_skipped() -> None:
    peer = _ready()
    peer.send_raw(b"hello there\r\n\r\n{}{}")
    _still_serving(peer)


def test_message_shaped_object_inside_params_is_data_not_a_message() -> None:
    peer = _ready()
    nested = {"jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": {}}
    peer.request(
        "workspace/executeCommand",
        {"command": "no.such.command", "arguments": [nested]},
        request_id=17,
    )
    answer = peer.response(17)
    assert answer["error"]["code"] == -32602
    assert "no.such.command" in answer["error"]["message"]
    peer.send(SHUTDOWN)
    while (message := peer.next_message()).get("id") != 900:
        assert message.get("id") != 99, "the nested object was answered as a request"
    peer.notify("exit")
    assert peer.process.wait(20) == 0


def test_messages_in_one_write_run_in_order_so_initialized_settings_survive_shutdown() -> None:
    peer = LspPeer(SERVER_COMMAND)
    settings = {"diagnostics": {"debounceMs": "fast"}}
    params = {"processId": None, "rootUri": None, "capabilities": {}}
    peer.request("initialize", {**params, "initializationOptions": settings}, request_id=1)
    assert "capabilities" in peer.response(1)["result"]
    frames = b"".join(
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        for body in (
            _body({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            _body(SHUTDOWN),
        )
    )
    peer.send_raw(frames)
    seen: list[dict[str, object]] = []
    while True:
        message = peer.next_message(timeout=20)
        seen.append(message)
        if message.get("id") == 900:
            break
    warnings = [m for m in seen if m.get("method") == "window/showMessage"]
    assert any("debounceMs" in json.dumps(m) for m in warnings), seen
    peer.notify("exit")
    assert peer.process.wait(20) == 0
