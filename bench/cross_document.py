"""Cost of refreshing the other open documents after an edit (the cross-document pass).

A freshly scaffolded service with N of its files open in the server (in process, no client).
Rows: the edited document's own diagnostics; one refresh pass over the other open documents
(warm caches, nothing changed, so nothing is published); the slowest single document of that
pass (what an edit arriving mid-pass waits for at most: the pass yields after each document);
baseline: ``ast.parse`` of the open documents, same run.

    python -m bench cross_document [--open N] [--runs N]
"""

from __future__ import annotations

import argparse
import ast
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from bench.stats import Summary, print_table
from fastapi_architect.lsp import diagnostics
from fastapi_architect.lsp.server import ArchitectServer
from fastapi_architect.lsp.setup import create_language_server
from fastapi_architect.lsp.text_sync import SyncedWorkspace
from fastapi_architect.scaffold.options import ScaffoldOptions
from fastapi_architect.scaffold.project import plan_project


def _uri(path: Path) -> str:
    uri = from_fs_path(str(path))
    assert uri is not None
    return uri


def _server_with_open_files(root: Path, count: int) -> tuple[ArchitectServer, list[Path]]:
    for generated in plan_project(ScaffoldOptions(project_name="shop")).creates:
        path = root / generated.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated.content, encoding="utf-8")
    server = create_language_server()
    folder = types.WorkspaceFolder(uri=_uri(root), name=root.name)
    server.protocol._workspace = SyncedWorkspace(
        folder.uri, types.TextDocumentSyncKind.Incremental, [folder]
    )
    files = sorted(path for path in root.rglob("*.py") if "tests" not in path.parts)[:count]
    for path in files:
        server.workspace.put_text_document(
            types.TextDocumentItem(
                uri=_uri(path), language_id="python", version=1, text=path.read_text("utf-8")
            )
        )
    return server, files


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench cross_document")
    parser.add_argument("--open", type=int, default=diagnostics.MAX_REFRESHED_PER_PASS)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "shop"
        server, files = _server_with_open_files(root, args.open)
        uris = [_uri(path) for path in files]
        sent: list[str] = []
        server.text_document_publish_diagnostics = (  # type: ignore[method-assign]
            lambda params: sent.append(params.uri)
        )
        for uri in uris:  # warm: every document shown once
            diagnostics.publish(server, uri)
        edited = max(uris, key=lambda uri: len(server.workspace.get_text_document(uri).source))
        others = [uri for uri in uris if uri != edited]
        texts = [path.read_text("utf-8") for path in files]

        own, passes, slowest, parses = [], [], [], []
        for run in range(args.runs):
            document = server.workspace.get_text_document(edited)
            server.workspace.update_text_document(
                types.VersionedTextDocumentIdentifier(uri=edited, version=run + 2),
                types.TextDocumentContentChangeWholeDocument(text=document.source + "\n"),
            )
            started = time.perf_counter()
            diagnostics.publish(server, edited)
            own.append(time.perf_counter() - started)

            server.published_diagnostics.generation += 1
            sent.clear()
            steps = []
            for uri in others:
                started = time.perf_counter()
                diagnostics._refresh(server, uri)
                steps.append(time.perf_counter() - started)
            assert not sent, f"a pass with nothing changed published {sent}"
            passes.append(sum(steps))
            slowest.append(max(steps))

            started = time.perf_counter()
            for text in texts:
                ast.parse(text)
            parses.append(time.perf_counter() - started)

    lines = sum(text.count("\n") for text in texts)
    print(f"{len(files)} open documents of a scaffolded service ({lines} lines)")
    baseline = Summary(f"ast.parse of the {len(files)} open documents", parses)
    print_table(
        [
            baseline,
            Summary("the edited document's own diagnostics", own),
            Summary(f"refresh pass over the other {len(others)}", passes),
            Summary("slowest document of a pass", slowest),
        ],
        baseline,
    )
    return 0
