"""Editor latency of the Pydantic V1 → V2 feature, over a real stdio connection.

``python -m bench pydantic_lsp [--repeat 50]`` starts ``python -m fastapi_architect serve``,
opens a 2,000+ line model file (from ``bench/corpus.py``) and measures request → response
round trips as an editor sees them:

- ``textDocument/codeAction`` at a validator, warm (same version): target p95 <= 30 ms;
- ``codeAction/resolve`` of that quick fix, first after a change and warm;
- ``didChange`` → ``publishDiagnostics`` for the new version (debounce set to 0): <= 60 ms;
  and its p95 against ``ast.parse`` of the same text, timed in the same loop: <= 3x;
- the same code action request for an Emacs-like client (no resolve support: the edit is
  computed in ``textDocument/codeAction``), first after a change and warm.

Baseline, in the same run: ``textDocument/codeAction`` on a file of the same size without
Pydantic (the protocol round trip plus dispatch). A second table times the engine calls
in-process against ``ast.parse`` of the same file.

The model file also imports a model base and a settings base from another module of the
workspace (``app_base.py``) and subclasses them, so every diagnostics run resolves those imports
through the workspace model index (``pydantic_v2.model_index``) as in a real project.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import itertools
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import BaseLanguageClient
from pygls.uris import from_fs_path
from pytest_lsp import client_capabilities

from bench import corpus
from bench.stats import Summary, print_table

CODE_ACTION_P95_TARGET_MS = 30.0
DIAGNOSTICS_TARGET_MS = 60.0
DIAGNOSTICS_PARSE_RATIO_TARGET = 3.0
PARSE_LABEL = "ast.parse of the edited text (bench process)"


class BenchClient:
    """A stdio client that records when each document version's diagnostics arrive."""

    def __init__(self, capabilities: types.ClientCapabilities, root: Path) -> None:
        self.client = BaseLanguageClient("fastapi-architect-bench", "1")
        self.capabilities = capabilities
        self.root = root
        self.published: dict[tuple[str, int | None], asyncio.Future[float]] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: types.PublishDiagnosticsParams) -> None:
            future = self._future(params.uri, params.version)
            if not future.done():
                future.set_result(time.perf_counter())

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams) -> None:
            return None

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def on_show(params: types.ShowMessageParams) -> None:
            return None

    def _future(self, uri: str, version: int | None) -> asyncio.Future[float]:
        key = (uri, version)
        if key not in self.published:
            self.published[key] = asyncio.get_running_loop().create_future()
        return self.published[key]

    async def start(self) -> None:
        await self.client.start_io(sys.executable, "-m", "fastapi_architect", "serve")
        root_uri = uri_of(self.root)
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=self.capabilities,
                root_uri=root_uri,
                workspace_folders=[types.WorkspaceFolder(uri=root_uri, name="bench")],
                initialization_options={"diagnostics": {"debounceMs": 0}},
            )
        )
        self.client.initialized(types.InitializedParams())

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    async def open(self, path: Path, text: str) -> str:
        uri = uri_of(path)
        waiting = self._future(uri, 1)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=text
                )
            )
        )
        await asyncio.wait_for(waiting, timeout=60)
        return uri

    async def change(self, uri: str, version: int, text: str) -> float:
        """Insert ``text`` at the top; seconds until that version's diagnostics arrive."""
        waiting = self._future(uri, version)
        started = time.perf_counter()
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=0, character=0),
                            end=types.Position(line=0, character=0),
                        ),
                        text=text,
                    )
                ],
            )
        )
        arrived = await asyncio.wait_for(waiting, timeout=60)
        return arrived - started

    async def code_actions(
        self, uri: str, line: int, diagnostics: list[types.Diagnostic]
    ) -> tuple[float, list[types.CodeAction]]:
        position = types.Position(line=line, character=4)
        started = time.perf_counter()
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=position, end=position),
                context=types.CodeActionContext(diagnostics=diagnostics),
            )
        )
        elapsed = time.perf_counter() - started
        return elapsed, [a for a in result or [] if isinstance(a, types.CodeAction)]

    async def resolve(self, action: types.CodeAction) -> float:
        started = time.perf_counter()
        resolved = await self.client.code_action_resolve_async(action)
        elapsed = time.perf_counter() - started
        if resolved.edit is None:
            raise RuntimeError(f"resolve returned no edit for {action.title!r}")
        return elapsed


def uri_of(path: Path) -> str:
    uri = from_fs_path(str(path))
    if uri is None:
        raise ValueError(path)
    return uri


def validator_line(text: str) -> int:
    """A line holding a convertible ``@validator`` decorator near the middle of ``text``."""
    lines = text.splitlines()
    middle = len(lines) // 2
    candidates = [
        index
        for index, line in enumerate(lines)
        if line.startswith('    @validator("name")') or line.startswith('    @validator("end")')
    ]
    return min(candidates, key=lambda index: abs(index - middle))


WORKSPACE_BASE = """from pydantic import BaseModel, BaseSettings


class AppModel(BaseModel):
    class Config:
        orm_mode = True


class AppSettings(BaseSettings):
    debug: bool = False
"""

WORKSPACE_USES = """

class ProjectSettings(AppSettings):
    class Config:
        env_prefix = "APP_"


class Account(AppModel):
    name: str


def load_account(data: dict) -> Account:
    return Account.parse_obj(data)
"""


def with_workspace_models(text: str) -> str:
    """``text`` importing ``app_base`` (a model and a settings base of another workspace file)
    and subclassing both, so diagnostics go through the workspace model index."""
    return "from app_base import AppModel, AppSettings\n" + text + WORKSPACE_USES


def plain_module(lines: int) -> str:
    """A module of ``lines`` lines of ordinary Python without Pydantic."""
    parts = ['"""Plain module of the same size (baseline)."""\n']
    index = 0
    while sum(part.count("\n") for part in parts) < lines:
        parts.append(f"\n\ndef helper_{index}(value):\n    total = value * 2\n    return total\n")
        index += 1
    return "".join(parts)


async def measure_editor(root: Path, repeat: int) -> list[Summary]:
    """The over-the-wire timings (see the module docstring)."""
    text = with_workspace_models(corpus.large_module())
    line = validator_line(text)
    models = root / "models.py"
    plain = root / "plain.py"
    (root / "app_base.py").write_text(WORKSPACE_BASE, encoding="utf-8")
    models.write_text(text, encoding="utf-8")
    plain_text = plain_module(text.count("\n"))
    plain.write_text(plain_text, encoding="utf-8")
    summaries: list[Summary] = []

    vscode = BenchClient(client_capabilities("visual-studio-code"), root)
    await vscode.start()
    try:
        plain_uri = await vscode.open(plain, plain_text)
        uri = await vscode.open(models, text)
        # The diagnostics at the validator, as the editor would send them back.
        _, actions = await vscode.code_actions(uri, line, [])
        quick_fix = next(a for a in actions if a.kind == types.CodeActionKind.QuickFix)
        context = list(quick_fix.diagnostics or [])

        baseline = [(await vscode.code_actions(plain_uri, line, []))[0] for _ in range(repeat)]
        summaries.append(Summary("baseline: codeAction, file without Pydantic", baseline))
        warm = [(await vscode.code_actions(uri, line, context))[0] for _ in range(repeat)]
        summaries.append(Summary("codeAction at a validator, warm (VS Code)", warm))

        first_resolve: list[float] = []
        warm_resolve: list[float] = []
        after_change: list[float] = []
        parses: list[float] = []
        version = 1
        for _ in range(repeat):
            version += 1
            edited = "# edited\n" * (version - 1) + text
            started = time.perf_counter()
            ast.parse(edited)
            parses.append(time.perf_counter() - started)
            after_change.append(await vscode.change(uri, version, "# edited\n"))
            line += 1
            _, actions = await vscode.code_actions(uri, line, [])
            quick_fix = next(a for a in actions if a.kind == types.CodeActionKind.QuickFix)
            first_resolve.append(await vscode.resolve(quick_fix))
            warm_resolve.append(await vscode.resolve(quick_fix))
        summaries.append(Summary("didChange -> publishDiagnostics (debounce 0)", after_change))
        summaries.append(Summary(PARSE_LABEL, parses))
        summaries.append(Summary("codeAction/resolve, first after a change", first_resolve))
        summaries.append(Summary("codeAction/resolve, warm", warm_resolve))
    finally:
        await vscode.stop()

    emacs = BenchClient(client_capabilities("emacs"), root)
    await emacs.start()
    try:
        line = validator_line(text)
        uri = await emacs.open(models, text)
        first: list[float] = []
        warm_eager: list[float] = []
        version = 1
        for _ in range(repeat):
            version += 1
            await emacs.change(uri, version, "# edited\n")
            line += 1
            first.append((await emacs.code_actions(uri, line, []))[0])
            warm_eager.append((await emacs.code_actions(uri, line, []))[0])
        summaries.append(Summary("codeAction eager (Emacs), first after change", first))
        summaries.append(Summary("codeAction eager (Emacs), warm", warm_eager))
    finally:
        await emacs.stop()
    return summaries


def time_calls(
    label: str, call: Callable[[str], Any], texts: Iterator[str], repeat: int
) -> Summary:
    """Time ``call`` on a new text each run (the engine caches results per text)."""
    samples = []
    for _ in range(repeat):
        text = next(texts)
        started = time.perf_counter()
        call(text)
        samples.append(time.perf_counter() - started)
    return Summary(label, samples)


BEYOND_VALIDATORS = """    note: Optional[str]
    code: str = Field("AAA", regex="[A-Z]+", nullable=True)

    class Config:
        orm_mode = True
        allow_population_by_field_name = True  # snake_case too
        anystr_strip_whitespace = True
"""


def with_config_and_fields(text: str) -> str:
    """``text`` with a ``class Config``, an Optional field and a V1 ``Field`` in every model."""
    return re.sub(
        r"^(class \w+\((?:\w+\.)?BaseModel\):\n    \"\"\"[^\n]*\"\"\"\n\n)",
        lambda match: match.group(1) + BEYOND_VALIDATORS + "\n",
        text,
        flags=re.M,
    )


def measure_engine(repeat: int) -> list[Summary]:
    """In-process engine costs on the same file (a fresh edit each run), against ``ast.parse``.

    The last rows use the same file with a ``class Config``, an Optional field and a V1
    ``Field`` added to every model (PYD010-PYD012 next to the validators).
    """
    from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source
    from fastapi_architect.pydantic_v2.model_index import ModelIndex

    text = corpus.large_module()
    key = next(f.key for f in find_findings(text) if f.fixable)
    texts = (f"# edit {number}\n{text}" for number in itertools.count())
    wider = with_config_and_fields(text)
    wider_texts = (f"# edit {number}\n{wider}" for number in itertools.count())
    workspace = with_workspace_models(text)
    workspace_texts = (f"# edit {number}\n{workspace}" for number in itertools.count())
    with tempfile.TemporaryDirectory(prefix="bench-model-index-") as temp:
        root = Path(temp)
        (root / "app_base.py").write_text(WORKSPACE_BASE, encoding="utf-8")
        path = root / "models.py"
        index = ModelIndex([root])
        tree = ast.parse(workspace)

        def with_index(source: str) -> object:
            tree = ast.parse(source)
            return find_findings(source, tree=tree, models=index.models_for(path, tree))

        index_rows = [
            time_calls("ast.parse, + workspace imports", ast.parse, workspace_texts, repeat),
            time_calls(
                "model index: models_for (warm, tree given)",
                lambda t: index.models_for(path, tree),
                workspace_texts,
                repeat,
            ),
            time_calls("parse + index + find_findings", with_index, workspace_texts, repeat),
        ]
    return [
        time_calls("baseline: ast.parse", ast.parse, texts, repeat),
        time_calls("find_findings", find_findings, texts, repeat),
        time_calls("fix_edits (one validator)", lambda t: fix_edits(t, {key}), texts, repeat),
        time_calls("fix_edits (all: fix-all)", fix_edits, texts, repeat),
        time_calls("migrate_source", migrate_source, texts, repeat),
        time_calls("ast.parse, + Config/Field/Optional", ast.parse, wider_texts, repeat),
        time_calls("find_findings, + Config/Field/Optional", find_findings, wider_texts, repeat),
        time_calls("migrate_source, + Config/Field/Optional", migrate_source, wider_texts, repeat),
        *index_rows,
    ]


def main(argv: list[str]) -> int:
    """Run both measurements and print their tables and the verdicts."""
    parser = argparse.ArgumentParser(prog="python -m bench pydantic_lsp")
    parser.add_argument("--repeat", type=int, default=50)
    arguments = parser.parse_args(argv)
    text = corpus.large_module()
    print(
        f"model file: {text.count(chr(10))} lines, {text.count('@validator(')} @validator, "
        f"{text.count('@root_validator')} @root_validator"
    )
    print("\nover a real stdio connection to `python -m fastapi_architect serve`:")
    with tempfile.TemporaryDirectory(prefix="bench-pydantic-lsp-") as temp:
        editor = asyncio.run(measure_editor(Path(temp), arguments.repeat))
    print_table(editor, editor[0])
    warm = next(s for s in editor if s.label.startswith("codeAction at a validator"))
    change = next(s for s in editor if s.label.startswith("didChange"))
    warm_p95 = warm.percentile(0.95) * 1000
    change_median = change.median * 1000
    print(
        f"\nwarm codeAction p95 {warm_p95:.1f} ms (target <= {CODE_ACTION_P95_TARGET_MS:.0f}: "
        f"{'met' if warm_p95 <= CODE_ACTION_P95_TARGET_MS else 'MISSED'}); "
        f"diagnostics after a change median {change_median:.1f} ms, "
        f"p95 {change.percentile(0.95) * 1000:.1f} ms (target <= {DIAGNOSTICS_TARGET_MS:.0f}: "
        f"{'met' if change_median <= DIAGNOSTICS_TARGET_MS else 'MISSED'})"
    )
    parse = next(s for s in editor if s.label == PARSE_LABEL)
    ratio = change.percentile(0.95) / parse.percentile(0.95)
    print(
        f"diagnostics after a change p95 = {ratio:.2f} x ast.parse p95 of the same text "
        f"(target <= {DIAGNOSTICS_PARSE_RATIO_TARGET:.0f}: "
        f"{'met' if ratio <= DIAGNOSTICS_PARSE_RATIO_TARGET else 'MISSED'}); medians "
        f"{change.median / parse.median:.2f} x"
    )
    print("\nengine, in-process, same file:")
    engine = measure_engine(max(5, arguments.repeat // 5))
    print_table(engine, engine[0])
    return 0
