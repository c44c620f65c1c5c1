"""Extract over the wire against buffers that differ from the disk.

The endpoint module has unsaved lines (at the top, or in the middle), and the service module
exists only as an unsaved editor buffer: the refactoring edits those buffers — it keeps the
user's lines, extends the unsaved service module instead of creating it over the buffer, and
every edit names the version of the buffer it was computed from.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from test_extract_lsp import _actions, _line

from lsp_support import editor, open_document, run_command, uri_of

FIXTURE = Path(__file__).parent / "fixtures" / "shop"
ITEMS = "app/api/v1/endpoints/items.py"
SERVICE = "app/services/item_service.py"
TOP_LINES = "# Unsaved: a note the user is typing\nimport json\nDEBUG_PAYLOADS = json.dumps({})\n"
MIDDLE_LINES = (
    "\n\n# Unsaved: a helper the user just wrote\n"
    "def _unsaved_helper() -> int:\n    return 41 + 1\n"
)
UNSAVED_SERVICE = '"""Item services (not saved yet)."""\n\nDEFAULT_PAGE = 1\n'
SERVICE_IMPORT = "from app.services import item_service"


def top(text: str) -> str:
    return TOP_LINES + text


def middle(text: str) -> str:
    anchor = "\n\n@router.post("
    return text.replace(anchor, MIDDLE_LINES + anchor, 1)


@pytest.mark.parametrize("unsaved", [top, middle], ids=["top", "middle"])
async def test_extract_edits_the_unsaved_buffers(
    client: LanguageClient, workspace: Path, client_name: str, unsaved: object
) -> None:
    assert callable(unsaved)
    shutil.copytree(FIXTURE, workspace, dirs_exist_ok=True)
    items_path = workspace / ITEMS
    on_disk = items_path.read_text(encoding="utf-8")
    text = unsaved(on_disk)
    uri = open_document(client, items_path, text, version=5)
    service_uri = open_document(client, workspace / SERVICE, UNSAVED_SERVICE, version=3)

    (action,) = await _actions(client, uri, _line(text, "duplicate = db.scalar"))
    if client_name == "vscode":
        resolved = await client.code_action_resolve_async(action)
        assert resolved.edit is not None
        changes = resolved.edit.document_changes or []
        created = [c.uri for c in changes if isinstance(c, types.CreateFile)]
        assert service_uri not in created  # the unsaved module is extended, not created over
        versions = {
            c.text_document.uri: c.text_document.version
            for c in changes
            if isinstance(c, types.TextDocumentEdit)
        }
        assert versions[uri] == 5 and versions[service_uri] == 3
        editor(client).apply(resolved.edit)
    else:
        assert action.command is not None
        await run_command(client, action.command)

    buffer = editor(client).buffers[uri]
    compile(buffer, ITEMS, "exec")
    kept = (TOP_LINES if unsaved is top else MIDDLE_LINES).strip("\n").splitlines()
    lines = buffer.splitlines()
    assert all(line in lines for line in kept), "the user's unsaved lines were lost"
    positions = [lines.index(line) for line in kept if line]
    assert positions == sorted(positions)
    assert buffer.count(SERVICE_IMPORT) == 1
    assert "    return item_service.create_item(payload=payload, db=db)\n" in buffer
    service = editor(client).buffers[service_uri]
    compile(service, SERVICE, "exec")
    assert service.startswith('"""Item services (not saved yet)."""\n')
    assert "\nDEFAULT_PAGE = 1\n" in service
    assert "def create_item(" in service
    assert not (workspace / SERVICE).exists() or (workspace / SERVICE).read_text() == ""
    assert items_path.read_text(encoding="utf-8") == on_disk
    assert uri_of(workspace / SERVICE) == service_uri
