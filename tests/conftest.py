"""Fixtures shared by every test folder.

``client`` is a pytest-lsp client connected to ``python -m fastapi_architect serve`` over
stdio, initialised with ``workspace`` (a temporary folder) as its root, once per capability
set in ``CLIENT_SPECS`` (VS Code, Neovim, Emacs). Override ``initialization_options`` in a
test module to send settings with ``initialize``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from pytest_lsp import ClientServerConfig, LanguageClient

sys.path.insert(0, str(Path(__file__).parent))

from lsp_support import CLIENT_SPECS, SERVER_COMMAND, editor, initialize_params, make_client


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


@pytest_lsp.fixture(
    params=list(CLIENT_SPECS),
    config=ClientServerConfig(
        server_command=SERVER_COMMAND,
        client_factory=make_client,
        server_env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ),
)
async def client(
    request: pytest.FixtureRequest,
    lsp_client: LanguageClient,
    workspace: Path,
    initialization_options: Any,
) -> AsyncIterator[None]:
    """A server initialised by a client with the capability set ``request.param``."""
    result = await lsp_client.initialize_session(
        initialize_params(request.param, workspace, initialization_options)
    )
    lsp_client.initialize_result = result  # type: ignore[attr-defined]
    editor(lsp_client).encoding = str(result.capabilities.position_encoding or "utf-16")
    yield
    await lsp_client.shutdown_session()
