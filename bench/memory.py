"""Memory over a long typing session: RSS and the server's tables after many didChange.

``python -m bench memory [--changes N]`` (default 100,000) types into a real file: each
didChange inserts or deletes one character, so the document keeps its size and any growth
is the server's. It runs the server as shipped and, as the same-run baseline, with pygls
2.1.1's own handler book-keeping (``bench.probe_server --pygls-futures``), and prints RSS
before and after, its growth, and the size of every table that must stay bounded.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from bench.lsp_peer import LspPeer

PROBE = "$/fastapiArchitect/probe"
SOURCE = Path(__file__).resolve().parent.parent / "server" / "fastapi_architect" / "cli.py"
TABLES = (
    "request_futures",
    "result_types",
    "progress_tokens",
    "analysed_documents",
    "pending_diagnostics",
)


def _type_session(flags: list[str], changes: int) -> tuple[dict[str, Any], dict[str, Any], float]:
    """Open a file, type ``changes`` edits; return the probe before, after and the rate."""
    peer = LspPeer([sys.executable, "-m", "bench.probe_server", *flags])
    try:
        peer.initialize({})
        uri = SOURCE.as_uri()
        text = SOURCE.read_text(encoding="utf-8")
        peer.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
        )
        version = 1

        def type_some(count: int) -> None:
            nonlocal version
            for index in range(count):
                version += 1
                at = {"line": 3 + (index // 2) % 40, "character": 0}
                if index % 2 == 0:
                    change = {"range": {"start": at, "end": at}, "text": "x"}
                else:
                    end = {"line": at["line"], "character": 1}
                    change = {"range": {"start": at, "end": end}, "text": ""}
                peer.notify(
                    "textDocument/didChange",
                    {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
                )

        type_some(2_000)  # warm up: caches, code paths, allocator arenas
        time.sleep(1.0)
        before = peer.call(PROBE, {"uri": uri}, timeout=120)
        started = time.perf_counter()
        type_some(changes)
        after = peer.call(PROBE, {"uri": uri}, timeout=600)
        rate = changes / (time.perf_counter() - started)
        time.sleep(1.0)  # let the debounced diagnostics run finish
        after = peer.call(PROBE, {"uri": uri}, timeout=120)
        assert after["text"] == text, "the server's copy drifted from the client's"
        return before, after, rate
    finally:
        peer.close()


def main(argv: list[str]) -> int:
    """Run the shipped server and the pygls baseline; print RSS and table sizes."""
    parser = argparse.ArgumentParser(prog="python -m bench memory")
    parser.add_argument("--changes", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(f"{args.changes:,} didChange on {SOURCE.name} (each inserts or deletes one char)")
    print(
        f"{'server':<24}{'RSS before':>12}{'RSS after':>12}{'growth':>10}{'changes/s':>11}  "
        "tables after"
    )
    growth: dict[str, float] = {}
    for label, flags in (("shipped", []), ("pygls 2.1.1 futures", ["--pygls-futures"])):
        before, after, rate = _type_session(flags, args.changes)
        growth[label] = (after["rss_kib"] - before["rss_kib"]) / 1024
        tables = ", ".join(f"{name}={after[name]}" for name in TABLES)
        print(
            f"{label:<24}{before['rss_kib'] / 1024:>10.1f}MB{after['rss_kib'] / 1024:>10.1f}MB"
            f"{growth[label]:>8.1f}MB{rate:>11,.0f}  {tables}"
        )
    print(f"growth saved by the fix: {growth['pygls 2.1.1 futures'] - growth['shipped']:.1f} MB")
    return 0 if growth["shipped"] <= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
