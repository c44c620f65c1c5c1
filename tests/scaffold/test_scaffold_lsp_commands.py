"""The scaffold and addResource commands over stdio, under every client's capabilities.

VS Code creates the files itself (``CreateFile`` in one ``workspace/applyEdit``); Neovim's and
Emacs' capability sets lack ``documentChanges`` resource operations, so the server writes the
new files and only sends edits to existing files.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from fastapi_architect.plan import write_plan
from fastapi_architect.scaffold import parse_options, plan_project
from lsp_support import capabilities, editor, uri_of

SCAFFOLD = "fastapi-architect.scaffold"
ADD_RESOURCE = "fastapi-architect.addResource"


async def execute(client: LanguageClient, command: str, argument: object) -> object:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=[argument])
    )


def supports_show_document(client_name: str) -> bool:
    window = capabilities(client_name).window
    return bool(window and window.show_document and window.show_document.support)


def creates_via_editor(client_name: str) -> bool:
    workspace_caps = capabilities(client_name).workspace
    edit = workspace_caps.workspace_edit if workspace_caps else None
    return bool(
        edit
        and edit.document_changes
        and edit.resource_operations
        and types.ResourceOperationKind.Create in edit.resource_operations
    )


async def error_of(client: LanguageClient, command: str, argument: object) -> str:
    """Run a command that must fail; return the message shown to the user."""
    count = len(client.messages)
    with pytest.raises(JsonRpcException) as raised:
        await execute(client, command, argument)
    if len(client.messages) == count:
        await client.wait_for_notification(types.WINDOW_SHOW_MESSAGE)
    shown = client.messages[-1]
    assert shown.type == types.MessageType.Warning  # a refusal, not a failure of the server
    assert shown.message.removeprefix("FastAPI Architect: ") in str(raised.value)
    return shown.message


async def test_scaffold_writes_the_rendered_service_and_shows_main(
    client: LanguageClient, client_name: str, workspace: Path
) -> None:
    result = await execute(
        client, SCAFFOLD, {"target": "orders-api", "orm": "async", "docker": "slim"}
    )

    root = workspace / "orders-api"
    expected = plan_project(
        parse_options({"project_name": "orders-api", "orm": "async", "docker": "slim"})
    )
    assert isinstance(result, dict)
    assert result["root"] == str(root)
    assert sorted(result["files"]) == sorted(str(f.path) for f in expected.creates)
    for generated in expected.creates:
        assert (root / generated.path).read_text(encoding="utf-8") == generated.content
    assert os.access(root / "scripts/prestart.sh", os.X_OK)

    created_by_editor = [
        change
        for edit in editor(client).applied
        for change in edit.document_changes or []
        if isinstance(change, types.CreateFile)
    ]
    assert len(created_by_editor) == (
        len(expected.creates) if creates_via_editor(client_name) else 0
    )
    if created_by_editor:
        (edit,) = editor(client).applied
        annotations = edit.change_annotations or {}
        assert [a.label for a in annotations.values()] == ["Scaffold FastAPI service orders-api"]
    shown = [params.uri for params in client.shown_documents]
    assert shown == ([uri_of(root / "app/main.py")] if supports_show_document(client_name) else [])


async def test_scaffold_accepts_a_target_outside_the_workspace_the_user_confirmed(
    client: LanguageClient, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere" / "svc"
    result = await execute(
        client,
        SCAFFOLD,
        {"target": str(target), "inference": False, "confirmedOutsideWorkspace": True},
    )
    assert isinstance(result, dict)
    assert result["root"] == str(target)
    assert (target / "app/main.py").is_file()
    assert not (target / "app/ml").exists()


async def test_add_resource_creates_files_and_edits_the_wiring(
    client: LanguageClient, client_name: str, workspace: Path
) -> None:
    root = workspace / "shop"
    write_plan(plan_project(parse_options({"project_name": "shop"})), root)

    result = await execute(client, ADD_RESOURCE, {"name": "order"})

    assert isinstance(result, dict)
    files = set(result["files"])
    assert {"app/models/order.py", "app/api/v1/endpoints/orders.py", "tests/test_orders.py"} <= (
        files
    )
    assert {"app/api/v1/router.py", "app/models/__init__.py", "app/api/deps.py"} <= files
    assert (root / "app/services/order_service.py").is_file()
    router = (root / "app/api/v1/router.py").read_text(encoding="utf-8")
    assert "from app.api.v1.endpoints import login, orders, predict, users\n" in router
    assert 'api_router.include_router(orders.router, prefix="/orders", tags=["orders"])' in router
    models = (root / "app/models/__init__.py").read_text(encoding="utf-8")
    assert "from app.models.order import Order\n" in models
    assert "OrderServiceDep = Annotated[" in (root / "app/api/deps.py").read_text(encoding="utf-8")
    for path in files:
        if PurePosixPath(path).suffix == ".py":
            compile((root / path).read_text(encoding="utf-8"), path, "exec")
    if supports_show_document(client_name):
        assert client.shown_documents[-1].uri == uri_of(root / "app/api/v1/endpoints/orders.py")


async def test_add_resource_with_explicit_project_root(
    client: LanguageClient, tmp_path: Path
) -> None:
    root = tmp_path / "outside"
    write_plan(plan_project(parse_options({"project_name": "outside", "orm": "async"})), root)
    await execute(
        client,
        ADD_RESOURCE,
        {"name": "invoice", "projectRoot": str(root), "confirmedOutsideWorkspace": True},
    )
    service = (root / "app/services/invoice_service.py").read_text(encoding="utf-8")
    assert "async def create(" in service


async def test_non_empty_target_is_refused_listing_its_content(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "busy").mkdir()
    (workspace / "busy" / "notes.txt").write_text("keep me", encoding="utf-8")
    message = await error_of(client, SCAFFOLD, {"target": "busy"})
    assert "is not empty (notes.txt)" in message
    assert sorted(p.name for p in (workspace / "busy").iterdir()) == ["notes.txt"]


async def test_relative_target_outside_the_workspace_is_refused(
    client: LanguageClient, workspace: Path
) -> None:
    message = await error_of(client, SCAFFOLD, {"target": "../escape"})
    assert "outside the workspace" in message
    assert not (workspace.parent / "escape").exists()


async def test_bad_options_get_one_clear_message(client: LanguageClient, workspace: Path) -> None:
    message = await error_of(client, SCAFFOLD, {"target": "svc", "orm": "threads"})
    assert "orm" in message
    assert "'sync' or 'async'" in message
    assert not (workspace / "svc").exists()


async def test_bad_resource_name_and_existing_files_are_refused(
    client: LanguageClient, workspace: Path
) -> None:
    write_plan(plan_project(parse_options({"project_name": "shop"})), workspace / "shop")
    before = (workspace / "shop/app/api/v1/router.py").read_text(encoding="utf-8")

    message = await error_of(client, ADD_RESOURCE, {"name": "Order"})
    assert "invalid resource name 'Order'" in message
    message = await error_of(client, ADD_RESOURCE, {"name": "user"})
    assert "would overwrite existing files: app/api/v1/endpoints/users.py" in message
    assert (workspace / "shop/app/api/v1/router.py").read_text(encoding="utf-8") == before


async def test_add_resource_without_a_project_says_so(client: LanguageClient) -> None:
    message = await error_of(client, ADD_RESOURCE, {"name": "order"})
    assert "no scaffolded project" in message


async def test_add_resource_requires_a_user_unless_public_is_true(
    client: LanguageClient, workspace: Path
) -> None:
    root = workspace / "shop"
    write_plan(plan_project(parse_options({"project_name": "shop"})), root)
    await execute(client, ADD_RESOURCE, {"name": "order"})
    await execute(client, ADD_RESOURCE, {"name": "tag", "public": True})
    orders = (root / "app/api/v1/endpoints/orders.py").read_text(encoding="utf-8")
    tags = (root / "app/api/v1/endpoints/tags.py").read_text(encoding="utf-8")
    assert "router = APIRouter(dependencies=[Depends(get_current_user)])" in orders
    assert "get_current_user" not in tags
    assert "router = APIRouter()\n" in tags


async def test_add_resource_refuses_a_public_that_is_not_a_boolean(
    client: LanguageClient, workspace: Path
) -> None:
    write_plan(plan_project(parse_options({"project_name": "shop"})), workspace / "shop")
    message = await error_of(client, ADD_RESOURCE, {"name": "order", "public": "yes"})
    assert "'public' must be true or false" in message
    assert not (workspace / "shop/app/api/v1/endpoints/orders.py").exists()
