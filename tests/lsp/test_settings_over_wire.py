"""Settings from initializationOptions and didChangeConfiguration: validated, never fatal."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_support import open_document, wait_for_diagnostics


async def _warnings(client: LanguageClient, count: int = 1) -> list[str]:
    for _ in range(200):
        found = [m.message for m in client.messages if m.type == types.MessageType.Warning]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.02)
    return [m.message for m in client.messages if m.type == types.MessageType.Warning]


async def _settle(client: LanguageClient, workspace: Path) -> None:
    """A round trip that proves the server processed everything sent before it."""
    uri = open_document(client, workspace / "probe.py", "x = 1\n")
    await wait_for_diagnostics(client, uri, 1)


class TestInvalidInitializationOptions:
    @pytest.fixture
    def initialization_options(self) -> Any:
        return {"fastapiArchitect": {"diagnostics": {"debounceMs": "soon"}, "logLevel": "loud"}}

    @pytest.mark.fresh_server
    async def test_one_warning_names_every_bad_key(self, client: LanguageClient) -> None:
        warnings = await _warnings(client)
        assert len(warnings) == 1
        assert "diagnostics.debounceMs" in warnings[0]
        assert "logLevel" in warnings[0]
        assert "using the defaults" in warnings[0]

    async def test_server_keeps_serving_with_defaults(
        self, client: LanguageClient, workspace: Path
    ) -> None:
        await _settle(client, workspace)


class TestSettingsOfTheWrongType:
    @pytest.fixture
    def initialization_options(self) -> Any:
        return ["not", "an", "object"]

    @pytest.mark.fresh_server
    async def test_wrong_type_gets_a_warning(self, client: LanguageClient) -> None:
        warnings = await _warnings(client)
        assert warnings and "must be an object" in warnings[0]


class TestValidInitializationOptions:
    @pytest.fixture
    def initialization_options(self) -> Any:
        return {
            "fastapiArchitect": {
                "logLevel": "debug",
                "diagnostics": {"enabled": False, "debounceMs": 10},
                "server": {"command": ["python", "-m", "fastapi_architect", "serve"]},
                "trace": {"server": "verbose"},
            }
        }

    async def test_valid_settings_give_no_warning(
        self, client: LanguageClient, workspace: Path
    ) -> None:
        await _settle(client, workspace)
        assert [m for m in client.messages if m.type == types.MessageType.Warning] == []


async def test_invalid_did_change_configuration_warns_and_keeps_serving(
    client: LanguageClient, workspace: Path
) -> None:
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"completion": {"enabled": "maybe"}})
    )
    warnings = await _warnings(client)
    assert len(warnings) == 1
    assert "completion.enabled" in warnings[0]
    await _settle(client, workspace)


async def test_pull_model_clients_are_asked_for_the_section(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    client.set_configuration({"diagnostics": {"debounceMs": -5}}, section="fastapiArchitect")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    warnings = await _warnings(client)
    # Every capability set we test declares workspace/configuration support.
    assert len(warnings) == 1
    assert "diagnostics.debounceMs" in warnings[0]
    await _settle(client, workspace)
