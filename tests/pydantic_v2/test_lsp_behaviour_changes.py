"""Over stdio: unions V2 resolves differently (PYD030) and numbers reaching ``str`` fields
(PYD031) are published with their quick fixes, and fix-all includes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import (
    code_actions,
    edits_for,
    encoding_of,
    fix_all_edit,
    open_and_wait,
    resolved,
    versioned_edits,
)
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.lsp.features.pydantic_v2 import FIX_ALL_KIND
from fastapi_architect.pydantic_v2 import migrate_source
from lsp_support import apply_text_edits, editor

SOURCE = """from typing import Union

from pydantic import AnyHttpUrl, BaseModel


class Link(BaseModel):
    url: Union[AnyHttpUrl, None, str]
    code: str = 0
    amount: Union[int, float] = 0
"""


@pytest.fixture
def initialization_options() -> Any:
    return {"diagnostics": {"debounceMs": 0}}


async def test_union_and_number_findings_are_published_with_their_quick_fixes(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    by_key = {d.data["key"]: d for d in diagnostics if isinstance(d.data, dict)}
    assert {k: d.code for k, d in by_key.items() if d.code in ("PYD030", "PYD031")} == {
        "Link.url:union": "PYD030",
        "Link.amount:union": "PYD030",
        "Link.code:str": "PYD031",
    }
    assert by_key["Link.amount:union"].data["fixable"] is False

    union = by_key["Link.url:union"]
    actions = await code_actions(client, uri, union.range, [union])
    (fix,) = [
        a
        for a in actions
        if a.kind == types.CodeActionKind.QuickFix
        and a.diagnostics
        and a.diagnostics[0].code == "PYD030"
    ]
    fix = await resolved(client, fix)
    assert fix.edit is not None
    fixed = apply_text_edits(SOURCE, edits_for(fix.edit, uri, versioned_edits(client)), encoding)
    assert '    url: Union[AnyHttpUrl, None, str] = Field(None, union_mode="left_to_right")\n' in (
        fixed
    )
    assert "from pydantic import AnyHttpUrl, BaseModel, Field\n" in fixed

    start = types.Range(start=types.Position(line=0, character=0), end=union.range.start)
    (action,) = await code_actions(client, uri, start, [], only=[FIX_ALL_KIND])
    edit = await fix_all_edit(client, action)
    if editor(client).applied[-1:] != [edit]:
        editor(client).apply(edit)
    assert editor(client).buffers[uri] == migrate_source(SOURCE)
    assert "model_config = ConfigDict(coerce_numbers_to_str=True)" in editor(client).buffers[uri]
