"""The server's handshake and the capabilities it advertises, under every client."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient


async def test_initialize_advertises_code_actions_commands_and_completion(
    client: LanguageClient,
) -> None:
    result = await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities())
    )
    assert result
