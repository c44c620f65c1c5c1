"""Over the wire: PYD020 on a base model sees its subclasses in other workspace files — on
disk and in open buffers that differ from the disk — and its quick fix writes the inherited
``"*"`` serializer."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_steps import code_actions, next_diagnostics, resolved
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_support import apply_text_edits, editor, open_document, uri_of

BASE = """\
from datetime import datetime
from typing import Optional

from pydantic import BaseModel


class Common(BaseModel):
    created: Optional[datetime] = None

    class Config:
        json_encoders = {datetime: lambda v: v.strftime("%Y")}
"""
CHILD = """\
from datetime import datetime
from typing import List, Optional

from app.base import Common


class Properties(Common):
    updated: Optional[datetime] = None
"""


@pytest.fixture
def initialization_options() -> Any:
    return {"diagnostics": {"debounceMs": 0}}


def package(workspace: Path) -> None:
    (workspace / "app").mkdir(exist_ok=True)
    (workspace / "app" / "__init__.py").write_text("", encoding="utf-8")
    (workspace / "app" / "base.py").write_text(BASE, encoding="utf-8")
    (workspace / "app" / "child.py").write_text(CHILD, encoding="utf-8")


async def diagnostics_of(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    waiting = asyncio.ensure_future(next_diagnostics(client, uri_of(path)))
    open_document(client, path, text)
    return list((await waiting).diagnostics)


async def test_encoders_of_a_base_subclassed_in_another_file_become_an_inherited_serializer(
    client: LanguageClient, workspace: Path
) -> None:
    package(workspace)
    path = workspace / "app" / "base.py"
    (finding,) = [d for d in await diagnostics_of(client, path, BASE) if d.code == "PYD020"]
    assert '`@field_serializer("*", mode="wrap")`' in finding.message
    assert "`child.Properties`" in finding.message

    actions = await code_actions(client, uri_of(path), finding.range, [finding], ["quickfix"])
    (fix,) = [a for a in actions if a.diagnostics and a.diagnostics[0].code == "PYD020"]
    edit = (await resolved(client, fix)).edit
    assert edit is not None
    changes = [c for c in edit.document_changes or [] if isinstance(c, types.TextDocumentEdit)]
    edits = [e for c in changes for e in c.edits] or next(iter((edit.changes or {}).values()))
    fixed = apply_text_edits(BASE, edits, editor(client).encoding)
    assert '@field_serializer("*", mode="wrap", when_used="json-unless-none")' in fixed
    assert "json_encoders" not in fixed
    compile(fixed, "base.py", "exec")


async def test_an_unsaved_subclass_holding_a_list_of_the_type_turns_the_fix_into_a_report(
    client: LanguageClient, workspace: Path
) -> None:
    package(workspace)
    child = workspace / "app" / "child.py"
    unsaved = CHILD.replace("updated: Optional[datetime] = None", "seen: List[datetime] = []")
    await diagnostics_of(client, child, unsaved)  # the disk still has `updated`
    path = workspace / "app" / "base.py"
    (finding,) = [d for d in await diagnostics_of(client, path, BASE) if d.code == "PYD020"]
    assert "`seen` of the subclass `child.Properties` may hold encoded values" in finding.message
    actions = await code_actions(client, uri_of(path), finding.range, [finding], ["quickfix"])
    assert not [a for a in actions if a.diagnostics and a.diagnostics[0].code == "PYD020"]
