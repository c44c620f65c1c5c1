"""Fuzz the server as an editor would: random edits, code actions, completions, cancels.

``python -m bench fuzz [--seconds S] [--seed N]`` runs seeded sessions, each bounded in time,
against the real server (``bench.probe_server``: the shipped server plus one test-only
request) over stdio, one session per position encoding. Documents are real files of this
repository (the server's own modules, the extract and Pydantic fixtures). Each step is one
of: an incremental change (random damage: the ``str.splitlines`` separators, astral
characters, CR/LF/CRLF mixes, code fragments), a full change, code actions at a random range
with every resolvable one resolved, a completion, or a request cancelled at once.

After every step it checks that the server's copy of the document equals the client's
(read with the probe request: comparing through features alone would miss drift in text no
feature looks at, and running the server in this process would share its memory and event
loop; the probe ships nowhere, ``bench/`` is not in the wheel), that every edit the server
returns names the version it was computed from and applies, that a fix applied to code that
compiled still compiles, that every request gets an answer, and it samples RSS and the sizes
of the server's tables. ``tests/lsp/test_fuzz_short.py`` runs a short seeded session.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import editor_model
from bench.lsp_peer import LspPeer

ROOT = Path(__file__).resolve().parent.parent
PROBE = "$/fastapiArchitect/probe"
BASELINE_FLAGS = ("--pygls-text", "--pygls-futures")
CANCELLED = -32800
FRAGMENTS = [
    *editor_model.SEPARATORS,
    "\r\n",
    "\r",
    "\n",
    "😀",
    "𝔘𝔫",
    "é",
    "    ",
    "\f\n",
    "\r\n\r\n",
    "@validator('name')\n",
    "    @validator('email', pre=True)\n    def check(cls, v):\n        return v\n",
    "class Config:\n        orm_mode = True\n",
    "def f(:\n",
    "session: Session = Depends(get_session)",
    "return x\n",
    '"""',
    "#",
]


def corpus() -> list[Path]:
    """Real files to edit: fixtures with Pydantic V1 code and FastAPI apps, and our modules."""
    fixtures = sorted((ROOT / "tests" / "pydantic_v2" / "fixtures").glob("*.before.py"))
    apps = sorted((ROOT / "tests" / "extract" / "fixtures").rglob("*.py"))
    modules = sorted((ROOT / "server" / "fastapi_architect").rglob("*.py"))
    return [path for path in [*fixtures, *apps, *modules] if path.stat().st_size < 60_000]


def capabilities(encoding: str) -> dict[str, Any]:
    """VS Code's client capabilities (as pytest-lsp ships them) offering ``encoding``."""
    from pygls.protocol import default_converter
    from pytest_lsp import client_capabilities

    caps: dict[str, Any] = default_converter().unstructure(
        client_capabilities("visual-studio-code")
    )
    caps.setdefault("general", {})["positionEncodings"] = [encoding]
    return caps


def _answer_server_request(method: str, params: Any) -> Any:
    if method == "workspace/configuration":
        return [None for _ in (params or {}).get("items", [])]
    if method == "workspace/applyEdit":
        return {"applied": False, "failureReason": "the fuzzer does not apply server edits"}
    return None


def _compiles(text: str) -> bool:
    try:
        compile(text, "<fuzz>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@dataclass
class Report:
    """What one session did and what it found."""

    encoding: str
    steps: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)
    largest_tables: Counter[str] = field(default_factory=Counter)


class Session:
    """One server, a few open documents, and a random stream of editor actions."""

    def __init__(
        self,
        seed: int,
        encoding: str,
        files: list[Path],
        open_count: int = 4,
        server_flags: tuple[str, ...] = (),
    ) -> None:
        self.rng = random.Random(seed)
        self.encoding = encoding
        self.report = Report(encoding)
        self.peer = LspPeer(
            [sys.executable, "-m", "bench.probe_server", *server_flags],
            on_server_request=_answer_server_request,
        )
        # A short debounce, so diagnostics (and their quick fixes) come between bursts of edits.
        result = self.peer.initialize(
            capabilities(encoding), ROOT.as_uri(), {"diagnostics": {"debounceMs": 10}}
        )
        assert result["capabilities"]["positionEncoding"] == encoding
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        """The last diagnostics the server published, per URI."""
        self.originals: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        # Always one file with Pydantic V1 validators and one FastAPI app module, so every
        # session has quick fixes and extractions to resolve; the rest at random.
        pydantic = [p for p in files if p.name.endswith(".before.py")] or files
        apps = [p for p in files if "@router." in p.read_text(encoding="utf-8")] or files
        chosen = {self.rng.choice(pydantic), self.rng.choice(apps)}
        others = [p for p in files if p not in chosen]
        chosen.update(self.rng.sample(others, max(open_count - len(chosen), 0)))
        for path in sorted(chosen):
            uri = path.as_uri()
            text = path.read_text(encoding="utf-8")
            self.originals[uri] = self.texts[uri] = text
            self.versions[uri] = 1
            self.peer.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
            )

    # --- the driver -----------------------------------------------------------------------

    def run(self, seconds: float, max_steps: int | None = None) -> Report:
        """Take random steps for ``seconds`` (or ``max_steps``), checking after each."""
        deadline = time.monotonic() + seconds
        actions = [
            (self.incremental_change, 10),
            (self.full_change, 1),
            (self.code_actions, 4),
            (self.completion, 2),
            (self.cancelled_request, 2),
            (self.pause, 1),
        ]
        steps = 0
        while time.monotonic() < deadline and (max_steps is None or steps < max_steps):
            uri = self.rng.choice(sorted(self.texts))
            action = self.rng.choices([a for a, _ in actions], [w for _, w in actions])[0]
            action(uri)
            self.check_copy(uri)
            steps += 1
        self.drain()
        return self.report

    def close(self) -> None:
        """Shut the server down; a non-zero status is a failure."""
        status = self.peer.close()
        if status != 0:
            self.fail(f"server exit status {status}")

    def fail(self, message: str) -> None:
        self.report.failures.append(message)

    # --- steps ----------------------------------------------------------------------------

    def _random_position(self, text: str) -> dict[str, int]:
        lines = editor_model.lines_of(text)
        line = self.rng.randrange(len(lines))
        width = sum(editor_model.units(c, self.encoding) for c in lines[line].rstrip("\r\n"))
        return {"line": line, "character": self.rng.randrange(width + 1)}

    def _random_range(self, text: str, span: int = 3) -> dict[str, Any]:
        start = self._random_position(text)
        if self.rng.random() < 0.5:
            return {"start": start, "end": dict(start)}
        first = editor_model.offset_at(text, start["line"], start["character"], self.encoding)
        last = min(len(text), first + self.rng.randrange(span * 40))
        return {"start": start, "end": editor_model.position_at(text, last, self.encoding)}

    def _send_changes(self, uri: str, changes: list[dict[str, Any]]) -> None:
        text = self.texts[uri]
        for change in changes:
            text = editor_model.apply_change(text, change, self.encoding)
        self.texts[uri] = text
        self.versions[uri] += 1
        self.peer.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": self.versions[uri]},
                "contentChanges": changes,
            },
        )

    def incremental_change(self, uri: str) -> None:
        self.report.steps["incremental change"] += 1
        changes = []
        text = self.texts[uri]
        for _ in range(self.rng.choice([1, 1, 1, 2, 3])):
            pieces = self.rng.randrange(4)
            new_text = "".join(self.rng.choice(FRAGMENTS) for _ in range(pieces))
            change = {"range": self._random_range(text), "text": new_text}
            text = editor_model.apply_change(text, change, self.encoding)
            changes.append(change)
        self._send_changes(uri, changes)

    def full_change(self, uri: str) -> None:
        self.report.steps["full change"] += 1
        original = self.originals[uri]
        choice = self.rng.randrange(3)
        if choice == 0:
            text = original
        elif choice == 1:
            text = original.replace("\n", self.rng.choice(["\r\n", "\r"]))
        else:
            text = self.rng.choice(list(self.originals.values()))
        self._send_changes(uri, [{"text": text}])

    def code_actions(self, uri: str) -> None:
        self.report.steps["code action request"] += 1
        text = self.texts[uri]
        self.drain()
        known = self.diagnostics.get(uri, [])
        if known and self.rng.random() < 0.5:
            # The lightbulb on a published diagnostic, as an editor asks for it.
            diagnostic = self.rng.choice(known)
            action_range, context = diagnostic["range"], [diagnostic]
        else:
            action_range, context = self._action_range(text), []
        answer = self._request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": action_range,
                "context": {"diagnostics": context, "triggerKind": 1},
            },
        )
        for action in answer or []:
            if "command" in action and "title" in action and "kind" not in action:
                continue  # a bare Command
            if "edit" not in action and "data" in action and "disabled" not in action:
                self.report.steps["code action resolve"] += 1
                action = self._request("codeAction/resolve", action)
                if action is None:
                    continue
            if "edit" in action:
                self.check_edit(uri, text, action["edit"], action.get("title", "?"))

    def _action_range(self, text: str) -> dict[str, Any]:
        """Half the time a range on or just after a validator or an endpoint, where fixes are."""
        anchors = [m.start() for m in re.finditer(r"@validator|@root_validator|@router\.", text)]
        if not anchors or self.rng.random() < 0.5:
            return self._random_range(text, span=20)
        offset = min(len(text), self.rng.choice(anchors) + self.rng.randrange(120))
        start = editor_model.position_at(text, offset, self.encoding)
        return {"start": start, "end": dict(start)}

    def pause(self, uri: str) -> None:
        """Stop typing for a moment: the server publishes diagnostics."""
        self.report.steps["pause"] += 1
        time.sleep(0.03)
        self.drain()

    def completion(self, uri: str) -> None:
        self.report.steps["completion"] += 1
        self._request(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": self._random_position(self.texts[uri])},
        )

    def cancelled_request(self, uri: str) -> None:
        self.report.steps["cancelled request"] += 1
        request_id = self.peer.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": self._random_range(self.texts[uri], span=20),
                "context": {"diagnostics": []},
            },
        )
        self.peer.notify("$/cancelRequest", {"id": request_id})
        answer = self._await(request_id, "cancelled codeAction")
        if answer is not None and "error" in answer and answer["error"]["code"] != CANCELLED:
            self.fail(f"cancelled codeAction answered {answer['error']}")

    # --- checks ---------------------------------------------------------------------------

    def _await(self, request_id: int, what: str) -> dict[str, Any] | None:
        try:
            answer = self.peer.response(request_id, timeout=60)
        except TimeoutError:
            self.fail(f"{what}: no answer within 60 s")
            return None
        return answer

    def _request(self, method: str, params: Any) -> Any:
        answer = self._await(self.peer.request(method, params), method)
        if answer is None:
            return None
        if "error" in answer:
            self.fail(f"{method} failed: {answer['error'].get('message')}")
            return None
        return answer.get("result")

    def check_copy(self, uri: str) -> None:
        """The server's copy of ``uri`` equals the client's; record RSS and table sizes."""
        state = self._request(PROBE, {"uri": uri})
        if state is None:
            return
        if state["text"] != self.texts[uri] or state["version"] != self.versions[uri]:
            self.fail(f"{uri} v{self.versions[uri]}: the server's copy differs from the client's")
            self.texts[uri] = state["text"]  # resynchronise so later steps stay meaningful
        self.report.rss_kib.append(state["rss_kib"])
        for name in ("request_futures", "result_types", "progress_tokens"):
            self.report.largest_tables[name] = max(self.report.largest_tables[name], state[name])
        self.report.tables = {k: v for k, v in state.items() if isinstance(v, int)}

    def check_edit(self, uri: str, text: str, edit: dict[str, Any], title: str) -> None:
        """Every document edit names the client's version and applies; fixes keep code compiling."""
        for change in edit.get("documentChanges", []):
            if "textDocument" not in change:
                continue  # a resource operation (create file)
            target = change["textDocument"]["uri"]
            version = change["textDocument"].get("version")
            if target in self.versions and version != self.versions[target]:
                self.fail(
                    f"{title!r}: edit names v{version}, the client has {self.versions[target]}"
                )
                continue
            if target not in self.versions:
                if version is not None:
                    self.fail(f"{title!r}: edit for a closed file names version {version}")
                continue
            self._apply_fix(target, change["edits"], title)
        for target, edits in (edit.get("changes") or {}).items():
            if target in self.texts:
                self._apply_fix(target, edits, title)

    def _apply_fix(self, uri: str, edits: list[dict[str, Any]], title: str) -> None:
        before = self.texts[uri]
        for each in edits:
            for end in ("start", "end"):
                position = each["range"][end]
                if position["line"] > len(editor_model.lines_of(before)):
                    self.fail(f"{title!r}: edit beyond the end of {uri}")
                    return
        after = editor_model.apply_edits(before, edits, self.encoding)
        self.report.steps["fix checked"] += 1
        if _compiles(before) and not _compiles(after):
            self.fail(f"{title!r} on {uri}: the fixed code does not compile")
        if self.rng.random() < 0.5:
            # Apply it like an editor: the edits as incremental changes, last first.
            ordered = sorted(
                edits,
                key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                reverse=True,
            )
            self.report.steps["fix applied"] += 1
            self._send_changes(uri, [{"range": e["range"], "text": e["newText"]} for e in ordered])
            if self.texts[uri] != after:
                self.fail(f"{title!r}: its edits overlap or are out of order")

    def drain(self) -> None:
        """Read what the server sent on its own (diagnostics), checking their versions."""
        while not self.peer.messages.empty():
            message = self.peer.messages.get_nowait()
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics":
                uri, version = params.get("uri"), params.get("version")
                self.diagnostics[uri] = params.get("diagnostics") or []
                if version is not None and uri in self.versions and version > self.versions[uri]:
                    self.fail(f"diagnostics for {uri} name a future version {version}")


def run(
    seed: int,
    seconds: float,
    encodings: list[str],
    max_steps: int | None = None,
    server_flags: tuple[str, ...] = (),
) -> list[Report]:
    """One session per encoding, ``seconds`` (or ``max_steps``) each, seeded with ``seed``."""
    files = corpus()
    reports = []
    for index, encoding in enumerate(encodings):
        session = Session(seed * 10 + index, encoding, files, server_flags=server_flags)
        try:
            report = session.run(seconds, max_steps)
        finally:
            session.close()
        reports.append(report)
    return reports


def main(argv: list[str]) -> int:
    """Run the long fuzz and print what it did and found."""
    parser = argparse.ArgumentParser(prog="python -m bench fuzz")
    parser.add_argument("--seconds", type=float, default=60, help="per position encoding")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    encodings = ["utf-16", "utf-8", "utf-32"]
    reports = run(args.seed, args.seconds, encodings)
    baseline = run(args.seed, min(args.seconds, 10), ["utf-16"], server_flags=BASELINE_FLAGS)[0]
    print(
        f"baseline, pygls 2.1.1's document sync and futures ({' '.join(BASELINE_FLAGS)}), "
        f"same seed, 10 s: {sum(baseline.steps.values()):,} steps, "
        f"{len(baseline.failures):,} failures, largest tables {dict(baseline.largest_tables)}"
    )
    failures = 0
    for report in reports:
        rss = report.rss_kib
        quarter = max(len(rss) // 4, 1)
        early, late = sorted(rss[:quarter])[quarter // 2], sorted(rss[-quarter:])[quarter // 2]
        print(f"\n### {report.encoding}: {sum(report.steps.values()):,} steps, seed {args.seed}")
        for name, count in sorted(report.steps.items()):
            print(f"  {name:<22}{count:>8,}")
        print(f"  RSS median first/last quarter: {early / 1024:.1f} MB -> {late / 1024:.1f} MB")
        print(f"  largest tables seen: {dict(report.largest_tables)}")
        print(f"  failures: {len(report.failures)}")
        for failure in report.failures[:20]:
            print(f"    - {failure}")
        failures += len(report.failures)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
