"""The ``extract.serviceModule`` setting changes the target module the action names."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_support import open_document

FIXTURE = Path(__file__).parent / "fixtures" / "shop"


@pytest.fixture
def initialization_options() -> Any:
    """Name services after the endpoint module, without the ``_service`` suffix."""
    return {"fastapiArchitect": {"extract": {"serviceModule": "{name}"}}}


async def test_service_module_setting_renames_the_target(
    client: LanguageClient, workspace: Path
) -> None:
    shutil.copytree(FIXTURE, workspace, dirs_exist_ok=True)
    path = workspace / "app/api/v1/endpoints/items.py"
    text = path.read_text()
    uri = open_document(client, path, text)
    line = next(n for n, body in enumerate(text.splitlines()) if "db.get(Item, item_id)" in body)
    position = types.Position(line=line, character=4)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=position, end=position),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [action.title for action in result or []]
    assert "Extract endpoint logic to app/services/items.py" in titles
