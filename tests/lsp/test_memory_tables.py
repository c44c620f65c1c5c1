"""The protocol keeps nothing per handled message: its tables stay bounded while typing.

pygls 2.1.1 left one future per notification in ``_request_futures`` for good (20,000
didChange: 20,003 entries, +41 MB). ``bench.probe_server`` reports the table sizes.
"""

from __future__ import annotations

import sys

from bench.lsp_peer import LspPeer

PROBE = "$/fastapiArchitect/probe"


def test_tables_do_not_grow_with_notifications_and_requests() -> None:
    peer = LspPeer([sys.executable, "-m", "bench.probe_server"])
    uri = "file:///typing/app.py"
    try:
        peer.initialize({})
        peer.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "x = 1\n"}},
        )
        at = {"line": 0, "character": 0}
        for version in range(2, 3_002):
            peer.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": at, "end": at}, "text": "#"}],
                },
            )
            if version % 100 == 0:
                peer.call(
                    "textDocument/codeAction",
                    {
                        "textDocument": {"uri": uri},
                        "range": {"start": at, "end": at},
                        "context": {"diagnostics": []},
                    },
                )
                peer.notify("$/setTrace", {"value": "off"})
        state = peer.call(PROBE, {"uri": uri})
        assert state["version"] == 3_001
        assert state["request_futures"] <= 2
        assert state["result_types"] <= 2
        assert state["progress_tokens"] == 0
        assert state["analysed_documents"] <= 1
    finally:
        assert peer.close() == 0
