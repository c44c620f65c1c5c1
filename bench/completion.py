"""Snippet completion latency: ``python -m bench completion [--runs N]``.

Drives the real server over stdio (VS Code capabilities) in a scaffold-like workspace and times
``textDocument/completion`` on a 2,000-line endpoint module, warm (index built, snippets
loaded). The baseline, measured in the same run, is an empty completion request: the same
round trip on a plain-text document, where every feature answers nothing. The budget is
20 ms per request. A second table times the engine alone, against ``ast.parse`` of the file.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.stats import Summary, print_table

BUDGET_SECONDS = 0.020

PROJECT = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/v1/__init__.py": "",
    "app/api/v1/endpoints/__init__.py": "",
    "app/db/__init__.py": "",
    "app/models/__init__.py": "",
    "app/db/session.py": "def get_db():\n    yield None\n",
    "app/api/deps.py": "SessionDep = Annotated[Session, Depends(get_db)]\n",
    "app/models/user.py": "class User:\n    pass\n",
}

HEADER = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"


def endpoint_module(functions: int = 250) -> str:
    """About 2,000 lines of path operations."""
    chunks = [HEADER]
    for i in range(functions):
        chunks.append(
            f'@router.get("/items{i}/{{item_id}}")\n'
            f"def read_item{i}(item_id: int) -> dict[str, int]:\n"
            f'    """Item {i}."""\n'
            f"    value = item_id + {i}\n"
            f"    return {{'id': value}}\n\n\n"
        )
    return "".join(chunks)


def position_of_end(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines) - 1, len(lines[-1])


async def time_requests(runs: int, label: str, request: Callable[[], Awaitable[object]]) -> Summary:
    for _ in range(5):  # warm-up
        await request()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await request()
        samples.append(time.perf_counter() - start)
    return Summary(label, samples)


async def measure_server(runs: int, root: Path) -> list[Summary]:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient
    from pygls.uris import from_fs_path
    from pytest_lsp import client_capabilities

    client = LanguageClient("bench-completion", "1")

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def ignore_diagnostics(_: LanguageClient, __: types.PublishDiagnosticsParams) -> None:
        """Other features publish diagnostics for the opened files; not measured here."""

    await client.start_io(sys.executable, "-m", "fastapi_architect", "serve")
    root_uri = from_fs_path(str(root)) or ""
    await client.initialize_async(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root_uri,
            workspace_folders=[types.WorkspaceFolder(uri=root_uri, name=root.name)],
        )
    )
    client.initialized(types.InitializedParams())

    def open_doc(path: Path, text: str, language: str = "python") -> str:
        uri = from_fs_path(str(path)) or ""
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language, version=1, text=text
                )
            )
        )
        return uri

    def completion(uri: str, line: int, character: int) -> Callable[[], Awaitable[object]]:
        params = types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
        )
        return lambda: client.text_document_completion_async(params)

    module_text = endpoint_module() + "fa"
    param_text = endpoint_module() + '@router.get("/")\ndef read(item_id: int, ses'
    module_uri = open_doc(root / "app/api/v1/endpoints/module.py", module_text)
    param_uri = open_doc(root / "app/api/v1/endpoints/param.py", param_text)
    plain_uri = open_doc(root / "notes.txt", module_text, language="plaintext")

    versions = {"n": 1}
    typing_text = endpoint_module() + '@router.get("/")\ndef read(item_id: int, '
    typing_uri = open_doc(root / "app/api/v1/endpoints/typing.py", typing_text)
    typing_line, typing_column = position_of_end(typing_text)

    async def keystroke_then_complete() -> object:
        # Each keystroke is a new version: nothing cached for the document's text.
        versions["n"] += 1
        word = "s" if versions["n"] % 2 else "se"
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=typing_uri, version=versions["n"]
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=typing_line, character=typing_column),
                            end=types.Position(line=typing_line, character=typing_column + 2),
                        ),
                        text=word,
                    )
                ],
            )
        )
        return await completion(typing_uri, typing_line, typing_column + len(word))()

    # Sanity: the measured requests really return snippets (or nothing, for the baseline).
    line, character = position_of_end(module_text)
    module_items = await completion(module_uri, line, character)()
    line_p, character_p = position_of_end(param_text)
    param_items = await completion(param_uri, line_p, character_p)()
    assert module_items is not None and len(_items(module_items)) > 0, "no module snippets"
    assert param_items is not None and len(_items(param_items)) > 0, "no parameter snippets"

    try:
        return [
            await time_requests(
                runs, "baseline: empty completion (plain text doc)", completion(plain_uri, 0, 2)
            ),
            await time_requests(
                runs, "module level 'fa', 2,000-line file", completion(module_uri, line, character)
            ),
            await time_requests(
                runs,
                "parameter list 'ses', half-typed file",
                completion(param_uri, line_p, character_p),
            ),
            await time_requests(
                runs, "keystroke (didChange) + completion", keystroke_then_complete
            ),
        ]
    finally:
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()


def _items(result: object) -> list[object]:
    items = getattr(result, "items", result)
    return list(items) if isinstance(items, list | tuple) else []


def measure_engine(runs: int) -> list[Summary]:
    from fastapi_architect.snippets.cursor import analyse_cursor
    from fastapi_architect.snippets.document import document_names

    text = endpoint_module() + '@router.get("/")\ndef read(item_id: int, ses'
    complete_text = text + "sion) -> None:\n    pass\n"

    def timed(label: str, call: Callable[[], object]) -> Summary:
        call()
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            call()
            samples.append(time.perf_counter() - start)
        return Summary(label, samples)

    return [
        timed("baseline: ast.parse of the 2,000-line file", lambda: ast.parse(complete_text)),
        timed("analyse_cursor (tokenize from anchor)", lambda: analyse_cursor(text, len(text))),
        timed("document_names (imports, definitions)", lambda: document_names(text)),
    ]


def main(argv: list[str]) -> int:
    """Print completion latencies over stdio and for the engine, with baselines."""
    parser = argparse.ArgumentParser(prog="python -m bench completion")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for relative, text in PROJECT.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        server = asyncio.run(measure_server(args.runs, root))
    print(f"textDocument/completion over stdio, warm ({args.runs} runs each)")
    print_table(server, baseline=server[0])
    print()
    print(f"engine only, in process ({args.runs} runs each)")
    engine = measure_engine(args.runs)
    print_table(engine, baseline=engine[0])
    worst = max(summary.percentile(0.95) for summary in server[1:])
    verdict = "within" if worst <= BUDGET_SECONDS else "OVER"
    worst_ms = worst * 1000
    print(f"\nworst p95 of the snippet requests: {worst_ms:.1f} ms ({verdict} the 20 ms budget)")
    return 0
