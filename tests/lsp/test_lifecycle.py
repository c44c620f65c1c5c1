"""The handshake, the advertised capabilities and a clean shutdown, under every client."""

from __future__ import annotations

import asyncio
import sys

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

from lsp_support import CLIENT_SPECS, SERVER_COMMAND, initialize_result


def _server_capabilities(client: LanguageClient) -> types.ServerCapabilities:
    return initialize_result(client).capabilities


async def test_initialize_advertises_incremental_sync(client: LanguageClient) -> None:
    sync = _server_capabilities(client).text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.open_close is True
    assert sync.change == types.TextDocumentSyncKind.Incremental


async def test_initialize_advertises_code_action_kinds_with_resolve(client: LanguageClient) -> None:
    provider = _server_capabilities(client).code_action_provider
    assert isinstance(provider, types.CodeActionOptions)
    assert provider.resolve_provider is True
    assert set(provider.code_action_kinds or []) >= {
        types.CodeActionKind.QuickFix,
        "source.fixAll.fastapi-architect",
        types.CodeActionKind.RefactorExtract,
    }


async def test_initialize_advertises_the_mission_commands(client: LanguageClient) -> None:
    provider = _server_capabilities(client).execute_command_provider
    assert provider is not None
    assert set(provider.commands) >= {
        "fastapi-architect.scaffold",
        "fastapi-architect.addResource",
        "fastapi-architect.migrateWorkspace",
    }


async def test_initialize_advertises_completion(client: LanguageClient) -> None:
    assert _server_capabilities(client).completion_provider is not None


async def test_server_names_itself_with_its_version(client: LanguageClient) -> None:
    from fastapi_architect import __version__

    info = initialize_result(client).server_info
    assert info is not None
    assert info.name == "fastapi-architect"
    assert info.version == __version__


async def test_position_encoding_follows_the_client_preference(
    client: LanguageClient, client_name: str
) -> None:
    encoding = _server_capabilities(client).position_encoding
    offered = client_capabilities(CLIENT_SPECS[client_name]).general
    first_offered = (offered.position_encodings or ["utf-16"])[0] if offered else "utf-16"
    assert encoding == first_offered


async def test_shutdown_then_exit_ends_the_process_with_status_zero() -> None:
    client = make_test_lsp_client()
    await client.start_io(*SERVER_COMMAND)
    await client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("neovim"))
    )
    await client.shutdown_async(None)
    client.exit(None)
    assert client._server is not None
    returncode = await asyncio.wait_for(client._server.wait(), timeout=15)
    await client.stop()
    assert returncode == 0


async def test_exit_without_shutdown_ends_the_process_with_status_one() -> None:
    client = make_test_lsp_client()
    await client.start_io(*SERVER_COMMAND)
    await client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("emacs"))
    )
    client.exit(None)
    assert client._server is not None
    returncode = await asyncio.wait_for(client._server.wait(), timeout=15)
    await client.stop()
    assert returncode == 1


def test_serve_imports_no_heavy_engine_before_the_handshake() -> None:
    """``fastapi-architect serve`` builds only its own parser and the server before initialize."""
    import subprocess

    probe = (
        "import contextlib, io, sys\n"
        "from fastapi_architect import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    cli.main(['serve', '--help'])\n"
        "from fastapi_architect.lsp.setup import create_language_server\n"
        "create_language_server()\n"
        "heavy = [m for m in ('libcst', 'jinja2', 'pydantic') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
