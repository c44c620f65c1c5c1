"""V1 URL types' ``.build(...)`` (PYD026) over stdio: the V1 call is published with a quick fix
sending it to V1's builder, the call that does not say its version is published too (reported
only), and fix-all writes what ``migrate`` writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, fix_all_text, open_and_wait, quick_fix_text
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = """from pydantic import HttpUrl, PostgresDsn


def database_uri(user: str, port: str) -> str:
    return PostgresDsn.build(scheme="postgresql", user=user, host="db", port=port)


HOME = HttpUrl.build(scheme="https", host="example.com")
"""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_url_builds_are_published_with_their_keys(
    client: LanguageClient, workspace: Path
) -> None:
    _, diagnostics = await open_and_wait(client, workspace, SOURCE)
    found = {
        (d.data["key"], d.range.start.line)
        for d in diagnostics
        if isinstance(d.data, dict) and d.code == "PYD026"
    }
    assert found == {
        ("database_uri:PostgresDsn.build", 4),
        ("HttpUrl.build", 7),
    }


async def test_the_v1_call_quick_fix_calls_v1s_builder(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    (diagnostic,) = [d for d in diagnostics if d.code == "PYD026" and d.range.start.line == 4]
    _, fixed = await quick_fix_text(client, uri, SOURCE, diagnostic, encoding_of(client_name))
    assert "from pydantic.v1.networks import PostgresDsn as PostgresDsnV1\n" in fixed
    assert "return PostgresDsnV1.build(" in fixed
    assert 'HOME = HttpUrl.build(scheme="https", host="example.com")' in fixed
    compile(fixed, "models.py", "exec")


async def test_fix_all_converts_url_builds_like_migrate(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, _ = await open_and_wait(client, workspace, SOURCE)
    _, fixed = await fix_all_text(client, uri, SOURCE, encoding_of(client_name))
    assert fixed == migrate_source(SOURCE)
    assert "PostgresDsnV1.build(" in fixed and "HttpUrl.build(" in fixed
