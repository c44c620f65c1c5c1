"""Code actions while typing in real files: ``python -m bench keystrokes [--keys N]``.

Starts ``python -m fastapi_architect serve`` with VS Code's capabilities (default settings:
diagnostics debounced) on a workspace made of the repository's fixture projects (the extract
fixtures ``shop``, ``notes`` and ``library``, and the Pydantic fixtures' ``before`` files), plus
the 2,000-line model file of ``bench/corpus.py``. In every file it types a line inside a
function body one character at a time, as an editor sends it: ``didChange`` for the keystroke,
then at once ``textDocument/codeAction`` at the cursor (the light bulb's question), and times
the code action's round trip. Keystrokes are ``--pause`` seconds apart (a fast typist); a
warm-up pass (the engines load lazily) is not counted.

Baseline, in the same run: the same keystrokes in a plain module of ordinary Python (no
FastAPI, no Pydantic) — document sync plus dispatch. Target: p95 <= 5 ms on the real files.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pytest_lsp import client_capabilities

from bench import corpus
from bench.pydantic_lsp import BenchClient, plain_module, uri_of
from bench.stats import Summary, print_table

TARGET_P95_MS = 5.0
REPOSITORY = Path(__file__).resolve().parents[1]
TYPED = "total = 1"


class TypingClient(BenchClient):
    """A bench client whose ``didOpen`` does not wait for diagnostics (debounced here)."""

    async def open(self, path: Path, text: str) -> str:
        uri = uri_of(path)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=text
                )
            )
        )
        return uri


def build_workspace(root: Path) -> list[Path]:
    """Copy the fixture projects into ``root``; the Python files to type into."""
    for app in ("shop", "notes", "library"):
        shutil.copytree(REPOSITORY / "tests" / "extract" / "fixtures" / app, root / app)
    models = root / "models"
    models.mkdir()
    for before in sorted((REPOSITORY / "tests" / "pydantic_v2" / "fixtures").glob("*.before.py")):
        shutil.copy(before, models / before.name.replace(".before", ""))
    (models / "large.py").write_text(corpus.large_module(), encoding="utf-8")
    return sorted(path for path in root.rglob("*.py") if body_line(read(path)) is not None)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def body_line(text: str) -> int | None:
    """The first line indented inside a ``def`` (where a new line is typed above)."""
    lines = text.split("\n")
    for index, line in enumerate(lines[:-1]):
        if line.lstrip().startswith(("def ", "async def ")) and line.rstrip().endswith(":"):
            below = lines[index + 1]
            if below.strip() and below.startswith(" "):
                return index + 1
    return None


async def type_line(
    client: TypingClient, path: Path, keys: int, pause: float, version: int
) -> tuple[list[float], int]:
    """Open ``path``, type ``TYPED`` (up to ``keys`` characters) above its first body line."""
    text = read(path)
    line = body_line(text)
    assert line is not None
    indent = len(text.split("\n")[line]) - len(text.split("\n")[line].lstrip())
    uri = await client.open(path, text)
    samples: list[float] = []
    # A new line first (Enter), then the indentation and each character.
    pieces = ["\n", *(" " * indent + TYPED)[: indent + keys]]
    column = 0
    for piece in pieces:
        version += 1
        at = types.Position(line=line, character=column)
        client.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=at, end=at), text=piece
                    )
                ],
            )
        )
        if piece != "\n":
            column += 1
        cursor = types.Position(line=line, character=column)
        started = time.perf_counter()
        await client.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=cursor, end=cursor),
                context=types.CodeActionContext(
                    diagnostics=[], trigger_kind=types.CodeActionTriggerKind.Automatic
                ),
            )
        )
        samples.append(time.perf_counter() - started)
        await asyncio.sleep(pause)
    client.client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return samples, version


async def measure(root: Path, keys: int, pause: float) -> tuple[list[Summary], int]:
    files = build_workspace(root)
    plain = root / "plain.py"
    plain.write_text(plain_module(300), encoding="utf-8")
    client = TypingClient(client_capabilities("visual-studio-code"), root)
    await client.start()
    try:
        # Warm-up, not counted: the engines are imported lazily on first use.
        for path in [plain, *files[:: max(1, len(files) // 4)]]:
            await type_line(client, path, keys, pause, 1)
        baseline: list[float] = []
        for _ in range(max(1, len(files) // 4)):
            samples, _ = await type_line(client, plain, keys, pause, 1)
            baseline += samples
        real: list[float] = []
        large: list[float] = []
        for path in files:
            samples, _ = await type_line(client, path, keys, pause, 1)
            (large if path.name == "large.py" else real).extend(samples)
    finally:
        await client.stop()
    return [
        Summary("baseline: plain module, keystroke + codeAction", baseline),
        Summary("fixture files (extract apps, Pydantic fixtures)", real),
        Summary("2,000-line model file (bench/corpus.py)", large),
    ], len(files)


def main(argv: list[str]) -> int:
    """Type into every fixture file and print the code actions' round trips."""
    parser = argparse.ArgumentParser(prog="python -m bench keystrokes")
    parser.add_argument("--keys", type=int, default=len(TYPED))
    parser.add_argument("--pause", type=float, default=0.03)
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-keystrokes-") as temp:
        summaries, count = asyncio.run(measure(Path(temp), arguments.keys, arguments.pause))
    print(f"codeAction right after each keystroke, {count} real files, VS Code capabilities:")
    print_table(summaries, summaries[0])
    worst = max(s.percentile(0.95) for s in summaries[1:]) * 1000
    verdict = "met" if worst <= TARGET_P95_MS else "MISSED"
    print(f"\nworst p95 {worst:.1f} ms (target <= {TARGET_P95_MS:.0f} ms: {verdict})")
    return 0
