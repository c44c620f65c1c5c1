"""Over stdio: an ``EmailStr("...")`` default gets a PYD027 diagnostic whose quick fix writes
the string V1 built, and an ``isinstance(v, EmailStr)`` check is reported without a fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, open_and_wait, quick_fix_text
from pytest_lsp import LanguageClient

SOURCE = """from pydantic import BaseModel, EmailStr


class AttentiveSchema(BaseModel):
    recipient_email_address: EmailStr = EmailStr("privacy@attentive.com")


def is_email(value):
    return isinstance(value, EmailStr)
"""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_called_email_str_quick_fix_writes_the_string_and_check_is_reported(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    found = {d.data["key"]: d for d in diagnostics if d.code == "PYD027"}
    assert set(found) == {"AttentiveSchema:EmailStr()", "is_email:isinstance EmailStr"}
    assert found["AttentiveSchema:EmailStr()"].range.start.line == 4
    assert "never a value's type" in found["is_email:isinstance EmailStr"].message

    _, fixed = await quick_fix_text(
        client, uri, SOURCE, found["AttentiveSchema:EmailStr()"], encoding_of(client_name)
    )

    assert '    recipient_email_address: EmailStr = "privacy@attentive.com"\n' in fixed
    assert "return isinstance(value, EmailStr)\n" in fixed
