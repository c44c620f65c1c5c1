"""Time per incremental didChange: pygls 2.1.1's document sync against ours, same run.

``python -m bench text_sync [--repeat N]`` applies one-character inserts to three documents
(a 10 MB single line, a 2,000-line module, a 200,000-line file) in pygls' ``TextDocument``
and in our ``LspTextDocument``, in process, and prints the median time per edit and the
ratio. Edits land near the end, where pygls' per-character column loop costs the most.
It then times didChange on the 10 MB line over stdio, the shipped server against
``bench.probe_server --pygls-text`` (pygls' own sync).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from statistics import median

from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument

from fastapi_architect.lsp.text_sync import LspTextDocument

DOCUMENTS = {
    "10 MB single line": "x = '" + "a" * 10_000_000 + "'\n",
    "2,000-line module": "".join(f"value_{n} = compute({n}, 'é')\n" for n in range(2_000)),
    "200,000-line file": "".join(f"v{n} = {n}\n" for n in range(200_000)),
}


def _insert_near_end(text: str) -> types.TextDocumentContentChangePartial:
    lines = text.split("\n")
    line = len(lines) - 2
    at = types.Position(line=line, character=max(len(lines[line]) - 2, 0))
    return types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text="b")


def _time_edits(
    document: TextDocument, change: types.TextDocumentContentChangePartial, repeat: int
) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        document.apply_change(change)
        times.append(time.perf_counter() - started)
    return times


def _wire_seconds_per_edit(flags: list[str], edits: int) -> float:
    """Seconds per didChange on the 10 MB line, as the server's answer time shows it."""
    from bench.lsp_peer import LspPeer

    peer = LspPeer([sys.executable, "-m", "bench.probe_server", *flags])
    try:
        peer.initialize({})
        uri = "file:///bench/long_line.py"
        text = DOCUMENTS["10 MB single line"]
        peer.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
        )
        peer.call("$/fastapiArchitect/probe", {}, timeout=120)
        at = _insert_near_end(text).range.start.character
        position = {"line": 0, "character": at}
        wire_change = {"range": {"start": position, "end": position}, "text": "b"}
        started = time.perf_counter()
        for version in range(2, 2 + edits):
            peer.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [wire_change]},
            )
        peer.call("$/fastapiArchitect/probe", {}, timeout=600)  # answered once all are applied
        return (time.perf_counter() - started) / edits
    finally:
        peer.close()


def main(argv: list[str]) -> int:
    """Print the median per-edit time of pygls' sync and ours on each document."""
    parser = argparse.ArgumentParser(prog="python -m bench text_sync")
    parser.add_argument("--repeat", type=int, default=5, help="edits per document and side")
    args = parser.parse_args(argv)
    codec = PositionCodec(types.PositionEncodingKind.Utf16)
    makers: dict[str, Callable[[str], TextDocument]] = {
        "pygls 2.1.1": lambda text: TextDocument("file:///bench.py", text, position_codec=codec),
        "ours": lambda text: LspTextDocument("file:///bench.py", text, position_codec=codec),
    }
    print(f"median time per incremental edit (UTF-16), {args.repeat} edits each")
    print(f"{'document':<22}{'pygls 2.1.1':>14}{'ours':>12}{'ratio':>10}")
    for name, text in DOCUMENTS.items():
        change = _insert_near_end(text)
        medians = {
            side: median(_time_edits(make(text), change, args.repeat))
            for side, make in makers.items()
        }
        ratio = medians["pygls 2.1.1"] / medians["ours"]
        print(
            f"{name:<22}{medians['pygls 2.1.1'] * 1000:>12.1f}ms"
            f"{medians['ours'] * 1000:>10.2f}ms{ratio:>9.0f}x"
        )
    pygls_wire = _wire_seconds_per_edit(["--pygls-text"], args.repeat)
    ours_wire = _wire_seconds_per_edit([], args.repeat * 20)
    print(
        f"over stdio, 10 MB line, server time per didChange: pygls 2.1.1 "
        f"{pygls_wire * 1000:.0f} ms, ours {ours_wire * 1000:.1f} ms "
        f"({pygls_wire / ours_wire:.0f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
