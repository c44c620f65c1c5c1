"""addResource edits what the user sees: an open ``router.py`` with unsaved lines.

The engine reads the project through the server's view of project files (open buffers
first), and the edits carry the version of the buffer they were computed from; a buffer
changed while the plan is computed gets a fresh plan, never a stale edit.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.plan import write_plan
from fastapi_architect.scaffold import parse_options, plan_project
from lsp_support import editor, open_document

ADD_RESOURCE = "fastapi-architect.addResource"
ROUTER = "app/api/v1/router.py"
ENDPOINTS_IMPORT = "from app.api.v1.endpoints import "
ORDERS_LINE = 'api_router.include_router(orders.router, prefix="/orders", tags=["orders"])'
TOP_LINES = (
    "# Unsaved: a note the user is typing\nimport logging\nlogger = logging.getLogger(__name__)\n"
)
MIDDLE_LINES = (
    "# Unsaved: health checks are served by main.py\n"
    'API_VERSION = "v1"\n'
    'logger_name = f"api.{API_VERSION}"\n'
)


def scaffolded(workspace: Path) -> Path:
    root = workspace / "shop"
    write_plan(plan_project(parse_options({"project_name": "shop"})), root)
    return root


async def add_order(client: LanguageClient) -> object:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=ADD_RESOURCE, arguments=[{"name": "order"}])
    )


def assert_wired(buffer: str, unsaved: str) -> None:
    """The result compiles, keeps the user's lines, imports once, wires after the router."""
    compile(buffer, ROUTER, "exec")
    assert unsaved in buffer
    lines = buffer.splitlines()
    imports = [line for line in lines if line.startswith(ENDPOINTS_IMPORT)]
    assert imports == [ENDPOINTS_IMPORT + "login, orders, predict, users"]
    assert lines.count(ORDERS_LINE) == 1
    assert lines.index(ORDERS_LINE) > lines.index("api_router = APIRouter()")
    assert buffer.count("from fastapi import APIRouter\n") == 1


async def test_unsaved_lines_at_the_top_are_kept_and_the_wiring_lands_right(
    client: LanguageClient, workspace: Path
) -> None:
    root = scaffolded(workspace)
    on_disk = (root / ROUTER).read_text(encoding="utf-8")
    uri = open_document(client, root / ROUTER, TOP_LINES + on_disk, version=4)

    await add_order(client)

    assert_wired(editor(client).buffers[uri], TOP_LINES)
    assert (root / ROUTER).read_text(encoding="utf-8") == on_disk  # the buffer, not the disk
    versions = [
        change.text_document.version
        for edit in editor(client).applied
        for change in edit.document_changes or []
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri
    ]
    assert versions in ([], [4])  # [] for clients that take plain ``changes``


async def test_unsaved_lines_in_the_middle_are_kept_and_the_wiring_lands_right(
    client: LanguageClient, workspace: Path
) -> None:
    root = scaffolded(workspace)
    on_disk = (root / ROUTER).read_text(encoding="utf-8")
    marker = "api_router = APIRouter()\n"
    text = on_disk.replace(marker, marker + MIDDLE_LINES)
    uri = open_document(client, root / ROUTER, text, version=2)

    await add_order(client)

    buffer = editor(client).buffers[uri]
    assert_wired(buffer, MIDDLE_LINES)
    assert (root / ROUTER).read_text(encoding="utf-8") == on_disk


async def test_a_buffer_edited_while_the_resource_is_planned_gets_a_fresh_plan(
    client: LanguageClient, workspace: Path
) -> None:
    root = scaffolded(workspace)
    on_disk = (root / ROUTER).read_text(encoding="utf-8")
    uri = open_document(client, root / ROUTER, on_disk, version=1)

    running = asyncio.ensure_future(add_order(client))
    edited = TOP_LINES + on_disk
    editor(client).buffers[uri] = edited
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
        )
    )
    await running

    assert_wired(editor(client).buffers[uri], TOP_LINES)
    for edit in editor(client).applied:
        for change in edit.document_changes or []:
            if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
                assert change.text_document.version == 2
