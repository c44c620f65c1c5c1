"""Fixtures shared by every test folder.

``client`` is a pytest-lsp client connected to ``python -m fastapi_architect serve`` over
stdio, once per capability set in ``CLIENT_SPECS`` (VS Code, Neovim, Emacs). Starting a
server costs about a second, so servers are shared: one per test session (per xdist worker)
for each capability set and set of ``initialization_options``. Each test still gets a fresh
``workspace`` folder — the client swaps the server's workspace folder with
``workspace/didChangeWorkspaceFolders``, as an editor does when a folder is added — and its
documents are closed when the test ends. A test that changes the server's settings gets a
fresh server afterwards. Override ``initialization_options`` in a test module or class to
send settings with ``initialize``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

sys.path.insert(0, str(Path(__file__).parent))

from lsp_support import (
    CLIENT_SPECS,
    SERVER_COMMAND,
    editor,
    initialize_params,
    make_client,
    uri_of,
)

SERVER_CONFIG = ClientServerConfig(
    server_command=SERVER_COMMAND,
    client_factory=make_client,
    server_env={**os.environ, "PYTHONUNBUFFERED": "1"},
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty workspace folder for the server under test."""
    root = tmp_path / "workspace"
    root.mkdir()
    return root


@pytest.fixture
def initialization_options() -> Any:
    """Settings sent with ``initialize`` (none by default)."""
    return None


@pytest.fixture
def client_name(request: pytest.FixtureRequest) -> str:
    """The capability set the current ``client`` was initialised with."""
    name: str = request.node.callspec.params["client"]
    return name


class SharedServer:
    """One running server and what its client did during the current test."""

    def __init__(self, key: str, client: LanguageClient, folder: types.WorkspaceFolder) -> None:
        self.key = key
        """The pool's key: capability set and ``initialization_options``."""
        self.client = client
        self.folder = folder
        """The workspace folder the server currently has."""
        self.opened: set[str] = set()
        """URIs the current test opened and has not closed."""
        self.settings_changed = False
        """The current test sent ``workspace/didChangeConfiguration``: do not reuse."""
        _track_state_changes(self)

    def use_folder(self, root: Path) -> None:
        """Make ``root`` the server's only workspace folder."""
        folder = types.WorkspaceFolder(uri=uri_of(root), name=root.name)
        self.client.workspace_did_change_workspace_folders(
            types.DidChangeWorkspaceFoldersParams(
                event=types.WorkspaceFoldersChangeEvent(added=[folder], removed=[self.folder])
            )
        )
        self.folder = folder

    async def end_test(self) -> bool:
        """Close the test's documents and forget its traces; ``False`` when unusable now."""
        client = self.client
        for uri in sorted(self.opened):
            client.text_document_did_close(
                types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri))
            )
        self.opened.clear()
        if self.settings_changed or client.error is not None or client.stopped:
            return False
        try:  # a round trip: the server has processed everything the test sent
            await asyncio.wait_for(
                client.text_document_code_action_async(
                    types.CodeActionParams(
                        text_document=types.TextDocumentIdentifier(self.folder.uri + "/-.py"),
                        range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                        context=types.CodeActionContext(diagnostics=[]),
                    )
                ),
                timeout=30,
            )
        except Exception:
            return False
        client.diagnostics.clear()
        client.messages.clear()
        client.log_messages.clear()
        client._last_log_index = 0
        client._setup_log_index = 0
        client.shown_documents.clear()
        client.progress_reports.clear()
        client.published_versions.clear()  # type: ignore[attr-defined]
        client.publications.clear()  # type: ignore[attr-defined]
        editor(client).reset()
        return True


def _track_state_changes(shared: SharedServer) -> None:
    """Record which documents the test opens and whether it changes the server's settings."""
    client = shared.client
    did_open: Callable[[types.DidOpenTextDocumentParams], None] = client.text_document_did_open
    did_close: Callable[[types.DidCloseTextDocumentParams], None] = client.text_document_did_close
    did_change_configuration = client.workspace_did_change_configuration

    def open_(params: types.DidOpenTextDocumentParams) -> None:
        shared.opened.add(params.text_document.uri)
        did_open(params)

    def close_(params: types.DidCloseTextDocumentParams) -> None:
        shared.opened.discard(params.text_document.uri)
        did_close(params)

    def change_configuration(params: types.DidChangeConfigurationParams) -> None:
        shared.settings_changed = True
        did_change_configuration(params)

    client.text_document_did_open = open_  # type: ignore[method-assign]
    client.text_document_did_close = close_  # type: ignore[method-assign]
    client.workspace_did_change_configuration = change_configuration  # type: ignore[method-assign]


class ServerPool:
    """Running servers, keyed by capability set and ``initialization_options``."""

    def __init__(self) -> None:
        self.idle: dict[str, SharedServer] = {}

    async def acquire(self, name: str, options: Any, root: Path, fresh: bool) -> SharedServer:
        """A server for ``name`` with ``options`` whose only workspace folder is ``root``.

        ``fresh``: a newly started one, whose every message since ``initialize`` the test sees.
        """
        key = json.dumps([name, options], sort_keys=True)
        shared = None if fresh else self.idle.pop(key, None)
        if shared is None:
            shared = await self._start(key, name, options, root)
        else:
            shared.use_folder(root)
        return shared

    async def release(self, shared: SharedServer) -> None:
        """Reuse ``shared`` for a later test, or stop it if the test left it changed."""
        if await shared.end_test() and shared.key not in self.idle:
            self.idle[shared.key] = shared
        else:
            await _stop(shared.client)

    async def close(self) -> None:
        """Shut every idle server down."""
        for shared in self.idle.values():
            await _stop(shared.client)
        self.idle.clear()

    async def _start(self, key: str, name: str, options: Any, root: Path) -> SharedServer:
        client = await SERVER_CONFIG.start()
        assert isinstance(client, LanguageClient)
        result = await client.initialize_session(initialize_params(name, root, options))
        client.initialize_result = result  # type: ignore[attr-defined]
        editor(client).encoding = str(result.capabilities.position_encoding or "utf-16")
        return SharedServer(key, client, types.WorkspaceFolder(uri=uri_of(root), name=root.name))


async def _stop(client: LanguageClient) -> None:
    try:
        if not client.stopped and client.error is None:
            await asyncio.wait_for(client.shutdown_session(), timeout=30)
        else:
            await client.stop()
    except Exception:
        await client.stop()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def server_pool() -> AsyncIterator[ServerPool]:
    """The session's shared servers (one pool per xdist worker)."""
    pool = ServerPool()
    yield pool
    await pool.close()


@pytest_asyncio.fixture(params=list(CLIENT_SPECS), loop_scope="session")
async def client(
    request: pytest.FixtureRequest,
    server_pool: ServerPool,
    workspace: Path,
    initialization_options: Any,
) -> AsyncIterator[LanguageClient]:
    """A server initialised by a client with the capability set ``request.param``.

    Mark a test ``fresh_server`` when it asserts on what the server said at start-up.
    """
    fresh = request.node.get_closest_marker("fresh_server") is not None
    shared = await server_pool.acquire(request.param, initialization_options, workspace, fresh)
    yield shared.client
    await server_pool.release(shared)
