"""Other open documents' diagnostics follow changes elsewhere, over stdio, in the VS Code,
Neovim and Emacs capability sets.

FA101 (a router never included) in ``orders.py`` depends on ``main.py``: editing ``main.py``,
or changing it on disk, refreshes ``orders.py`` without touching it, and a document is
re-published only when its diagnostics differ from what the client last received.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.lsp import diagnostics
from fastapi_architect.lsp.published_diagnostics import PublishedState
from fastapi_architect.lsp.settings import parse_settings
from lsp_support import capabilities, open_document, uri_of, wait_for_diagnostics

DEBOUNCE_MS = 20

ORDERS = """from fastapi import APIRouter

router = APIRouter(prefix="/orders")


@router.get("/")
def list_orders() -> list[int]:
    return []
"""

USERS = ORDERS.replace("orders", "users")

INCLUDE_ORDERS = "app.include_router(orders.router)\n"
INCLUDE_USERS = "app.include_router(users.router)\n"


def main_text(*includes: str) -> str:
    return "from fastapi import FastAPI\n\nimport orders\nimport users\n\napp = FastAPI()\n" + (
        "".join(includes)
    )


@pytest.fixture
def initialization_options() -> Any:
    return {"fastapiArchitect": {"diagnostics": {"debounceMs": DEBOUNCE_MS}}}


def publications(client: LanguageClient) -> list[types.PublishDiagnosticsParams]:
    found: list[types.PublishDiagnosticsParams] = client.publications  # type: ignore[attr-defined]
    return found


def codes(params: types.PublishDiagnosticsParams) -> list[str]:
    return sorted(str(d.code) for d in params.diagnostics)


async def next_publication(
    client: LanguageClient,
    uri: str,
    after: int,
    accept: Callable[[types.PublishDiagnosticsParams], bool] = lambda _: True,
    timeout: float = 15.0,
) -> types.PublishDiagnosticsParams:
    """The first publication for ``uri`` past index ``after`` that ``accept`` takes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for params in publications(client)[after:]:
            if params.uri == uri and accept(params):
                return params
        await asyncio.sleep(0.01)
    raise AssertionError(f"no matching diagnostics for {uri} within {timeout}s")


def replace_all(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def open_project(
    client: LanguageClient, workspace: Path, main: str, *, users_open: bool = False
) -> tuple[str, str, str]:
    """Write and open main.py and orders.py (users.py open too when asked; opened first)."""
    (workspace / "main.py").write_text(main, encoding="utf-8")
    (workspace / "orders.py").write_text(ORDERS, encoding="utf-8")
    (workspace / "users.py").write_text(USERS, encoding="utf-8")
    users = uri_of(workspace / "users.py")
    if users_open:
        open_document(client, workspace / "users.py", USERS)
        await wait_for_diagnostics(client, users, 1)
    main_uri = open_document(client, workspace / "main.py", main)
    await wait_for_diagnostics(client, main_uri, 1)
    orders = open_document(client, workspace / "orders.py", ORDERS)
    await wait_for_diagnostics(client, orders, 1)
    return main_uri, orders, users


async def test_removing_the_include_shows_fa101_in_the_open_router_module(
    client: LanguageClient, workspace: Path
) -> None:
    main, orders, _ = await open_project(client, workspace, main_text(INCLUDE_ORDERS))
    assert "FA101" not in codes(publications(client)[-1])

    start = len(publications(client))
    replace_all(client, main, 2, main_text())
    shown = await next_publication(client, orders, start)
    assert codes(shown) == ["FA101"]
    assert shown.version == 1  # computed on the version the client has

    start = len(publications(client))
    replace_all(client, main, 3, main_text(INCLUDE_ORDERS))
    cleared = await next_publication(client, orders, start)
    assert codes(cleared) == []


async def test_an_edit_that_changes_nothing_elsewhere_publishes_nothing_for_them(
    client: LanguageClient, workspace: Path
) -> None:
    main, orders, users = await open_project(
        client, workspace, main_text(INCLUDE_ORDERS), users_open=True
    )
    start = len(publications(client))
    # Including users.router clears users.py's FA101 and changes nothing for orders.py. The
    # pass refreshes recently opened documents first, so orders.py (opened last) was already
    # recomputed when users.py's publication arrives.
    replace_all(client, main, 2, main_text(INCLUDE_ORDERS, INCLUDE_USERS))
    await next_publication(client, users, start, lambda p: codes(p) == [])
    later = [p.uri for p in publications(client)[start:]]
    assert orders not in later
    assert later.count(users) == 1
    assert later.count(main) == 1  # the edited document's own publication


async def test_a_burst_of_edits_makes_one_refresh(client: LanguageClient, workspace: Path) -> None:
    main, orders, _ = await open_project(client, workspace, main_text(INCLUDE_ORDERS))
    start = len(publications(client))
    text = main_text()
    for version in range(2, 12):
        text += f"# {version}\n"
        replace_all(client, main, version, text)
    await next_publication(client, orders, start)
    await wait_for_diagnostics(client, main, 11)
    # A round trip after twice the refresh delay: nothing more arrives for orders.py.
    await asyncio.sleep(4 * DEBOUNCE_MS / 1000)
    await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="orders"))
    assert [p.uri for p in publications(client)[start:]].count(orders) == 1


async def test_a_change_on_disk_updates_open_documents(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "main.py").write_text(main_text(INCLUDE_ORDERS), encoding="utf-8")
    (workspace / "orders.py").write_text(ORDERS, encoding="utf-8")
    orders = open_document(client, workspace / "orders.py", ORDERS)
    assert "FA101" not in [str(d.code) for d in await wait_for_diagnostics(client, orders, 1)]

    start = len(publications(client))
    (workspace / "main.py").write_text(main_text(), encoding="utf-8")  # git checkout, say
    changed = types.FileEvent(uri=uri_of(workspace / "main.py"), type=types.FileChangeType.Changed)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[changed]))
    shown = await next_publication(client, orders, start)
    assert codes(shown) == ["FA101"]


async def test_opening_a_buffer_that_differs_from_the_disk_updates_open_documents(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "main.py").write_text(main_text(INCLUDE_ORDERS), encoding="utf-8")
    (workspace / "orders.py").write_text(ORDERS, encoding="utf-8")
    orders = open_document(client, workspace / "orders.py", ORDERS)
    assert "FA101" not in [str(d.code) for d in await wait_for_diagnostics(client, orders, 1)]

    start = len(publications(client))
    open_document(client, workspace / "main.py", main_text())  # unsaved: no include
    shown = await next_publication(client, orders, start)
    assert codes(shown) == ["FA101"]


async def test_closing_a_document_stops_its_publications(
    client: LanguageClient, workspace: Path
) -> None:
    main, orders, users = await open_project(
        client, workspace, main_text(INCLUDE_ORDERS, INCLUDE_USERS), users_open=True
    )
    start = len(publications(client))
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(orders))
    )
    # Both routers lose their include: only users.py, still open, hears of it.
    replace_all(client, main, 2, main_text())
    await next_publication(client, users, start, lambda p: codes(p) == ["FA101"])
    await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="orders"))
    # One publication, the close clearing the document; none after it.
    assert [codes(p) for p in publications(client)[start:] if p.uri == orders] == [[]]


def test_python_files_are_watched_when_the_client_can_register_watchers(
    client: LanguageClient, client_name: str
) -> None:
    registered = [
        r
        for r in client.registrations  # type: ignore[attr-defined]
        if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    ]
    workspace_caps = capabilities(client_name).workspace
    watched = workspace_caps.did_change_watched_files if workspace_caps else None
    if watched is not None and watched.dynamic_registration:
        assert len(registered) == 1
        # The client receives the options as JSON (LSPAny).
        assert registered[0].register_options == {"watchers": [{"globPattern": "**/*.py"}]}
    else:
        assert registered == []


class TestDiagnosticsDisabled:
    @pytest.fixture
    def initialization_options(self) -> Any:
        return {"fastapiArchitect": {"diagnostics": {"enabled": False, "debounceMs": 0}}}

    async def test_nothing_is_published_for_other_documents(
        self, client: LanguageClient, workspace: Path
    ) -> None:
        main, orders, _ = await open_project(client, workspace, main_text(INCLUDE_ORDERS))
        start = len(publications(client))
        replace_all(client, main, 2, main_text())
        await wait_for_diagnostics(client, main, 2)
        await asyncio.sleep(0.2)  # well past the refresh delay (2 × 0 ms)
        await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="orders"))
        later = [p.uri for p in publications(client)[start:]]
        assert orders not in later
        assert later == [main]
        assert list(publications(client)[-1].diagnostics) == []


class TestRuleLevels:
    @pytest.fixture
    def initialization_options(self) -> Any:
        return {
            "fastapiArchitect": {
                "diagnostics": {"debounceMs": DEBOUNCE_MS, "rules": {"FA101": "warning"}}
            }
        }

    async def test_refreshed_documents_carry_the_configured_severity(
        self, client: LanguageClient, workspace: Path
    ) -> None:
        main, orders, _ = await open_project(client, workspace, main_text(INCLUDE_ORDERS))
        start = len(publications(client))
        replace_all(client, main, 2, main_text())
        shown = await next_publication(client, orders, start)
        assert [(d.code, d.severity) for d in shown.diagnostics] == [
            ("FA101", types.DiagnosticSeverity.Warning)
        ]


class FakeServer:
    """Just what the refresh pass reads; ``collect`` answers from ``findings``."""

    def __init__(self, count: int) -> None:
        self.settings = parse_settings({"diagnostics": {"debounceMs": 0}})
        self.pending_diagnostics: dict[str, asyncio.TimerHandle] = {}
        self.published_diagnostics = PublishedState()
        self.workspace = SimpleNamespace(
            text_documents={f"file:///d{i}.py": SimpleNamespace(version=1) for i in range(count)}
        )
        finding = types.Diagnostic(
            range=types.Range(types.Position(0, 0), types.Position(0, 1)), message="x"
        )
        self.findings = {uri: [finding] for uri in self.workspace.text_documents}
        self.sent: list[str] = []
        self.on_send: Callable[[], object] = lambda: None
        """Called after each publication (a test changes something mid-pass)."""

    def text_document_publish_diagnostics(self, params: types.PublishDiagnosticsParams) -> None:
        self.sent.append(params.uri)
        self.on_send()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], FakeServer]:
    def collect(server: Any, uri: str) -> tuple[int, list[types.Diagnostic]]:
        return 1, list(server.findings[uri])

    monkeypatch.setattr(diagnostics, "collect", collect)
    return FakeServer


async def finish_passes(server: FakeServer) -> None:
    while (task := server.published_diagnostics.refresh) is not None and not task.done():
        await asyncio.wait([task])  # a cancelled pass ends here too


async def test_a_pass_refreshes_at_most_its_bound_and_the_rest_follow_in_the_next(
    fake: Callable[[int], FakeServer],
) -> None:
    server = fake(diagnostics.MAX_REFRESHED_PER_PASS + 8)
    # The rest wait one debounce: the first pass's count is read before they start.
    server.settings = parse_settings({"diagnostics": {"debounceMs": 50}})
    diagnostics.changed(server)  # type: ignore[arg-type]
    first = server.published_diagnostics.refresh
    assert first is not None
    await asyncio.wait([first])
    assert len(server.sent) == diagnostics.MAX_REFRESHED_PER_PASS
    assert server.sent[0] == list(server.workspace.text_documents)[-1]  # recently opened first
    await finish_passes(server)
    assert sorted(server.sent) == sorted(server.workspace.text_documents)


async def test_a_change_during_a_pass_cancels_it_and_nothing_shown_is_sent_again(
    fake: Callable[[int], FakeServer],
) -> None:
    server = fake(20)
    diagnostics.changed(server)  # type: ignore[arg-type]
    first = server.published_diagnostics.refresh

    def edit_after_the_fifth() -> None:
        if len(server.sent) == 5:
            diagnostics.changed(server)  # type: ignore[arg-type]

    server.on_send = edit_after_the_fifth
    await finish_passes(server)
    assert first is not None and first.cancelled()
    assert server.published_diagnostics.generation == 2
    assert sorted(server.sent) == sorted(server.workspace.text_documents)  # each exactly once


async def test_closed_and_newer_documents_are_not_published_by_a_pass(
    fake: Callable[[int], FakeServer],
) -> None:
    server = fake(3)
    closed, newer, kept = list(server.workspace.text_documents)
    diagnostics.changed(server)  # type: ignore[arg-type]
    del server.workspace.text_documents[closed]
    server.workspace.text_documents[newer].version = 2  # collect answers version 1
    await finish_passes(server)
    assert server.sent == [kept]
    assert set(server.published_diagnostics.published) == {kept}


PLAIN = "class Thing:\n    def dict(self):\n        return {}\n"
MODEL = "from pydantic import BaseModel\n\n\nclass Thing(BaseModel):\n    x: int = 0\n"
USER = """\
from app.thing import Thing


def dump(thing: Thing) -> dict:
    return thing.dict()
"""


async def test_a_class_becoming_a_model_in_another_file_gives_the_open_user_its_pyd_findings(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "app").mkdir()
    (workspace / "app" / "__init__.py").write_text("", encoding="utf-8")
    (workspace / "app" / "thing.py").write_text(PLAIN, encoding="utf-8")
    (workspace / "app" / "user.py").write_text(USER, encoding="utf-8")
    thing = open_document(client, workspace / "app" / "thing.py", PLAIN)
    await wait_for_diagnostics(client, thing, 1)
    user = open_document(client, workspace / "app" / "user.py", USER)
    assert "PYD014" not in [str(d.code) for d in await wait_for_diagnostics(client, user, 1)]

    start = len(publications(client))
    replace_all(client, thing, 2, MODEL)
    shown = await next_publication(client, user, start)
    assert "PYD014" in codes(shown)
    assert shown.version == 1
