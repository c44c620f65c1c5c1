"""Over the wire: PYD024 in the model's file (a report naming where the call goes) and in the
package ``__init__`` (a quick fix adding the ``model_rebuild`` call), for every client."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_steps import code_actions, encoding_of, next_diagnostics, quick_fix_text, resolved
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.lsp.features.pydantic_v2 import FIX_ALL_KIND
from lsp_support import apply_text_edits, open_document, uri_of

FILES = {
    "callback.py": 'from typing import Dict\n\nCallback = Dict[str, "PathItem"]\n',
    "operation.py": (
        "from typing import Optional\n\nfrom pydantic import BaseModel\n\n"
        "from .callback import Callback\n\n\n"
        "class Operation(BaseModel):\n    callbacks: Optional[Callback] = None\n"
    ),
    "path_item.py": (
        "from pydantic import BaseModel\n\nfrom .operation import Operation\n\n\n"
        "class PathItem(BaseModel):\n    get: Operation\n"
    ),
}
INIT = (
    "from .operation import Operation\nfrom .path_item import PathItem\n\n"
    "PathItem.update_forward_refs()\n"
)


@pytest.fixture
def initialization_options() -> Any:
    return {"diagnostics": {"debounceMs": 0}}


async def _open(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    waiting = asyncio.ensure_future(next_diagnostics(client, uri_of(path)))
    open_document(client, path, text)
    return [d for d in (await waiting).diagnostics if d.code == "PYD024"]


def _write(workspace: Path) -> Path:
    folder = workspace / "api"
    folder.mkdir()
    for name, text in {**FILES, "__init__.py": INIT}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _edits_of(edit: types.WorkspaceEdit, uri: str) -> tuple[list[types.TextEdit], int | None]:
    """The edits ``edit`` makes to ``uri`` (its only document) and the version they carry."""
    if edit.document_changes is not None:
        (change,) = edit.document_changes
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == uri
        return [
            e for e in change.edits if isinstance(e, types.TextEdit)
        ], change.text_document.version
    assert edit.changes is not None and list(edit.changes) == [uri]
    return list(edit.changes[uri]), None


FIXED_INIT = INIT + 'Operation.model_rebuild(_types_namespace={"PathItem": PathItem})\n'


@pytest.mark.parametrize("init_open", [False, True], ids=["init-closed", "init-open-unsaved"])
async def test_the_model_files_quick_fix_edits_the_init_where_the_call_belongs(
    client: LanguageClient, workspace: Path, client_name: str, init_open: bool
) -> None:
    folder = _write(workspace)
    init = folder / "__init__.py"
    buffer = "# edited, not saved\n" + INIT
    if init_open:
        await _open(client, init, buffer)
    operation = folder / "operation.py"
    (report,) = await _open(client, operation, FILES["operation.py"])
    actions = await code_actions(client, uri_of(operation), report.range, [report])
    (fix,) = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert fix.title == "Add `Operation.model_rebuild(...)` to `api/__init__.py`"
    assert not [a for a in actions if a.kind == FIX_ALL_KIND]  # nothing to fix in this file
    fix = await resolved(client, fix)
    assert fix.edit is not None
    edits, version = _edits_of(fix.edit, uri_of(init))
    if fix.edit.document_changes is not None:
        assert version == (1 if init_open else None)
    before = buffer if init_open else INIT
    after = apply_text_edits(before, edits, encoding_of(client_name))
    assert after == ("# edited, not saved\n" + FIXED_INIT if init_open else FIXED_INIT)


async def test_init_gets_the_rebuild_call_and_the_model_file_says_where(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    folder = _write(workspace)
    (report,) = await _open(client, folder / "operation.py", FILES["operation.py"])
    assert report.range.start.line == 8
    assert "api/__init__.py" in report.message and "`PathItem`" in report.message

    init = folder / "__init__.py"
    (finding,) = await _open(client, init, INIT)
    assert finding.range.start.line == 0
    encoding = encoding_of(client_name)
    fix, text = await quick_fix_text(client, uri_of(init), INIT, finding, encoding)
    assert fix.title == "Add `Operation.model_rebuild(_types_namespace={...})`"
    assert text == FIXED_INIT
