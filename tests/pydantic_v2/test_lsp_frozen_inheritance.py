"""Over stdio: the PYD010 quick fix on a base's `class Config` also converts the same-file
subclass whose `allow_mutation = True` reads it, so the editor never holds a converted
`frozen=True` base under a V1 subclass nobody can interpret."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, open_and_wait, quick_fix_text
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = """from pydantic import BaseModel


class TelegramObject(BaseModel):
    class Config:
        allow_mutation = False


class MutableTelegramObject(TelegramObject):
    class Config:
        allow_mutation = True
"""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_base_config_quick_fix_makes_the_mutable_subclass_frozen_false(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    configs = {d.data["key"]: d for d in diagnostics if d.code == "PYD010"}
    assert set(configs) == {"TelegramObject.Config", "MutableTelegramObject.Config"}
    base = configs["TelegramObject.Config"]
    assert "`MutableTelegramObject` is converted with it" in base.message

    _, fixed = await quick_fix_text(client, uri, SOURCE, base, encoding_of(client_name))

    assert fixed == migrate_source(SOURCE)
    assert "class MutableTelegramObject(TelegramObject):\n" in fixed
    assert "    model_config = ConfigDict(frozen=False)\n" in fixed


async def test_subclass_quick_fix_alone_writes_frozen_false(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE, name="child_first.py")
    (child,) = [
        d
        for d in diagnostics
        if d.code == "PYD010" and d.data["key"] == "MutableTelegramObject.Config"
    ]

    _, fixed = await quick_fix_text(client, uri, SOURCE, child, encoding_of(client_name))

    assert "class TelegramObject(BaseModel):\n    class Config:" in fixed  # untouched
    assert "class MutableTelegramObject(TelegramObject):\n" in fixed
    assert "    model_config = ConfigDict(frozen=False)\n" in fixed
