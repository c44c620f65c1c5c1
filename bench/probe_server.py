"""The real language server plus one request that shows its internal state.

``python -m bench.probe_server [--pygls-futures] [--pygls-text]`` serves over stdio exactly
what ``fastapi-architect serve`` serves, plus ``$/fastapiArchitect/probe``: for a URI it
returns the server's copy of the document and its version, and the sizes of the tables
that must stay bounded. It lives in ``bench/``, which the wheel does not ship, so no user
ever runs a server with this backdoor; tests and benchmarks use it to compare the server's
text with the client's after every step without reaching into another process.

``--pygls-futures`` and ``--pygls-text`` switch back to pygls 2.1.1's own handler
book-keeping and document sync, the baselines the benchmarks measure against.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pygls.protocol import LanguageServerProtocol

from fastapi_architect.lsp.protocol import ArchitectProtocol
from fastapi_architect.lsp.setup import create_language_server

PROBE = "$/fastapiArchitect/probe"


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main(argv: list[str]) -> int:
    """Serve over stdio until ``exit`` or end of input."""
    server = create_language_server()
    protocol: Any = server.protocol
    if "--pygls-futures" in argv or "--pygls-text" in argv:
        overrides: dict[str, Any] = {}
        if "--pygls-futures" in argv:
            overrides["_execute_handler"] = LanguageServerProtocol._execute_handler
        if "--pygls-text" in argv:
            overrides["_adopt_workspace"] = lambda self: None
        protocol.__class__ = type("BaselineProtocol", (ArchitectProtocol,), overrides)

    @server.feature(PROBE)
    def probe(ls: Any, params: Any) -> dict[str, Any]:
        uri = params.get("uri") if isinstance(params, dict) else getattr(params, "uri", None)
        document = ls.workspace.text_documents.get(uri) if uri else None
        return {
            "text": None if document is None else document.source,
            "version": None if document is None else document.version,
            "request_futures": len(protocol._request_futures),
            "result_types": len(protocol._result_types),
            "progress_tokens": len(protocol.progress.tokens),
            "analysed_documents": len(ls.documents._documents),
            "pending_diagnostics": len(ls.pending_diagnostics),
            "rss_kib": _rss_kib(),
        }

    server.start_io()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
