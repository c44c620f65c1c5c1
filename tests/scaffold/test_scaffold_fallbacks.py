"""The scaffold and addResource commands under every client the fallbacks tell apart, in process.

Who creates the files (the editor through ``CreateFile``, or the server), whether edits to
existing files go through ``workspace/applyEdit``, and whether the new module is shown with
``window/showDocument`` all follow the client's capabilities. The over-the-wire tests in
``test_scaffold_lsp_commands.py`` run the real client profiles.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from lsprotocol import types

from fastapi_architect.lsp.clientcaps import ClientSupport
from fastapi_architect.lsp.features.scaffold import add_resource_command, scaffold_command
from fastapi_architect.plan import write_plan
from fastapi_architect.scaffold import parse_options, plan_project
from host_support import FakeHost, as_host
from lsp_support import uri_of

MATRIX = [
    ClientSupport(
        apply_edit=apply_edit,
        document_changes=create,
        create_files=create,
        change_annotations=create,
        show_document=show,
    )
    for apply_edit, create, show in itertools.product((True, False), repeat=3)
]


def _describe(support: ClientSupport) -> str:
    flags = ("apply_edit", "create_files", "show_document")
    return "+".join(flag for flag in flags if getattr(support, flag)) or "nothing"


def _created_by_editor(host: FakeHost) -> list[str]:
    return [
        change.uri
        for params in host.applied
        for change in params.edit.document_changes or []
        if isinstance(change, types.CreateFile)
    ]


@pytest.mark.parametrize("support", MATRIX, ids=_describe)
async def test_scaffold_lands_the_same_files_whoever_creates_them(
    tmp_path: Path, support: ClientSupport
) -> None:
    host = FakeHost(tmp_path, support)
    options = {"orm": "sync", "docker": "slim"}

    result = await scaffold_command(as_host(host), [{"target": "orders-api", **options}])

    root = tmp_path / "orders-api"
    expected = plan_project(parse_options({"project_name": "orders-api", **options}))
    assert result["root"] == str(root)
    for generated in expected.creates:
        assert (root / generated.path).read_text(encoding="utf-8") == generated.content
    assert os.access(root / "scripts/prestart.sh", os.X_OK)
    by_editor = support.apply_edit and support.create_files
    assert len(_created_by_editor(host)) == (len(expected.creates) if by_editor else 0)
    shown = [uri_of(root / "app/main.py")] if support.show_document else []
    assert host.shown_documents == shown
    assert "created orders-api" in host.shown[-1][1]


@pytest.mark.parametrize("support", MATRIX, ids=_describe)
async def test_add_resource_edits_the_wiring_through_the_editor_when_it_can(
    tmp_path: Path, support: ClientSupport
) -> None:
    root = tmp_path / "shop"
    write_plan(plan_project(parse_options({"project_name": "shop"})), root)
    host = FakeHost(root, support)
    router = root / "app/api/v1/router.py"
    router_uri = host.open(router, router.read_text(encoding="utf-8"), version=4)

    await add_resource_command(as_host(host), [{"name": "order"}])

    assert (root / "app/models/order.py").is_file()
    wiring = 'api_router.include_router(orders.router, prefix="/orders", tags=["orders"])'
    if support.apply_edit:
        assert wiring in host.editor.buffers[router_uri]  # the open buffer, not the disk
        assert wiring not in router.read_text(encoding="utf-8")
    else:
        assert wiring in router.read_text(encoding="utf-8")
    endpoints = uri_of(root / "app/api/v1/endpoints/orders.py")
    assert host.shown_documents == ([endpoints] if support.show_document else [])
