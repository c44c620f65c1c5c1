"""The workspace boundary over the wire: every command writes inside a workspace folder,
unless the user chose the place in the client's dialog (``confirmedOutsideWorkspace``).
Refusals are answered with InvalidParams and a clear message, logged without a traceback."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from fastapi_architect.plan import write_plan
from fastapi_architect.scaffold import parse_options, plan_project
from lsp_support import uri_of

SCAFFOLD = "fastapi-architect.scaffold"
ADD_RESOURCE = "fastapi-architect.addResource"
APPLY_FIXES = "fastapi-architect.applyPydanticFixes"
INVALID_PARAMS = -32602
V1_MODEL = (
    "from pydantic import BaseModel, validator\n\n\nclass M(BaseModel):\n    x: int\n\n"
    '    @validator("x")\n    def check(cls, v):\n        return v\n'
)


async def logs_after(client: LanguageClient, count: int) -> list[types.LogMessageParams]:
    """The log messages sent after the first ``count`` (waits briefly for at least one)."""
    for _ in range(500):
        if len(client.log_messages) > count:
            break
        await asyncio.sleep(0.02)
    assert len(client.log_messages) > count, "the refusal was not logged"
    return list(client.log_messages[count:])


async def refusal(client: LanguageClient, command: str, argument: object) -> str:
    """Run a command that must be refused; check the error's code and the logs; return it."""
    logged = len(client.log_messages)
    with pytest.raises(JsonRpcException) as raised:
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=command, arguments=[argument])
        )
    assert raised.value.code == INVALID_PARAMS, raised.value
    for message in await logs_after(client, logged):
        assert "Traceback" not in message.message
        assert "protocol error" not in message.message
        assert message.type != types.MessageType.Error, message.message
    return str(raised.value)


def scaffolded(root: Path) -> Path:
    write_plan(plan_project(parse_options({"project_name": root.name})), root)
    return root


async def test_a_target_outside_the_workspace_is_refused_without_confirmation(
    client: LanguageClient, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere" / "svc"
    message = await refusal(client, SCAFFOLD, {"target": str(target)})
    assert "outside the workspace folders" in message
    assert not target.exists()


async def test_tilde_is_not_expanded(client: LanguageClient, workspace: Path) -> None:
    name = f"fa-tilde-{uuid.uuid4().hex}"
    home_target = Path.home() / name
    try:
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command=SCAFFOLD, arguments=[{"target": f"~/{name}", "inference": False}]
            )
        )
    finally:
        written_to_home = home_target.exists()
        shutil.rmtree(home_target, ignore_errors=True)
    assert not written_to_home
    assert isinstance(result, dict)
    assert result["root"] == str(workspace / "~" / name)
    assert (workspace / "~" / name / "app/main.py").is_file()


async def test_a_file_uri_target_is_a_uri_not_a_folder_name(
    client: LanguageClient, workspace: Path
) -> None:
    target = workspace / "from-uri"
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command=SCAFFOLD, arguments=[{"target": uri_of(target), "inference": False}]
        )
    )
    assert isinstance(result, dict) and result["root"] == str(target)
    assert (target / "app/main.py").is_file()
    assert not (workspace / "file:").exists()


async def test_a_symlink_leaving_the_workspace_is_refused(
    client: LanguageClient, workspace: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (workspace / "link").symlink_to(outside)
    message = await refusal(client, SCAFFOLD, {"target": "link/svc"})
    assert "outside the workspace folders" in message
    assert list(outside.iterdir()) == []


async def test_add_resource_outside_the_workspace_is_refused_and_writes_nothing(
    client: LanguageClient, tmp_path: Path
) -> None:
    root = scaffolded(tmp_path / "other")
    router_before = (root / "app/api/v1/router.py").read_text(encoding="utf-8")
    message = await refusal(client, ADD_RESOURCE, {"name": "order", "projectRoot": str(root)})
    assert "outside the workspace folders" in message
    assert not (root / "app/models/order.py").exists()
    assert (root / "app/api/v1/router.py").read_text(encoding="utf-8") == router_before


async def test_a_router_symlinked_outside_the_workspace_is_refused_as_bad_input(
    client: LanguageClient, workspace: Path, tmp_path: Path
) -> None:
    root = scaffolded(workspace / "shop")
    outside = tmp_path / "outside_router.py"
    router = root / "app/api/v1/router.py"
    outside.write_text(router.read_text(encoding="utf-8"), encoding="utf-8")
    router.unlink()
    router.symlink_to(outside)
    before = outside.read_text(encoding="utf-8")

    message = await refusal(client, ADD_RESOURCE, {"name": "order"})

    assert "refusing to write outside" in message
    assert outside.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("command", "argument", "expected"),
    [
        (SCAFFOLD, {"target": "svc\x00x"}, "NUL"),
        (ADD_RESOURCE, {"name": "ord\x00er"}, "NUL"),
        (ADD_RESOURCE, {"name": "order", "projectRoot": "sh\x00op"}, "NUL"),
        (SCAFFOLD, {"target": "svc", "confirmedOutsideWorkspace": "yes"}, "true or false"),
        (SCAFFOLD, {"target": "https://example.com/svc"}, "file: URI"),
    ],
)
async def test_bad_paths_and_names_are_invalid_params(
    client: LanguageClient, workspace: Path, command: str, argument: object, expected: str
) -> None:
    scaffolded(workspace / "shop")
    message = await refusal(client, command, argument)
    assert expected in message


async def test_apply_fixes_refuses_a_closed_file_outside_the_workspace(
    client: LanguageClient, tmp_path: Path
) -> None:
    outside = tmp_path / "outside_models.py"
    outside.write_text(V1_MODEL, encoding="utf-8")
    message = await refusal(client, APPLY_FIXES, {"uri": uri_of(outside), "keys": None})
    assert "outside the workspace folders" in message
    assert outside.read_text(encoding="utf-8") == V1_MODEL


@pytest.mark.parametrize(
    "data",
    [
        "not an object",
        {"feature": "no-such-feature"},
        {"feature": "extract", "uri": 5, "line": "x"},
        {"feature": "pydantic_v2", "uri": ["x"], "keys": 3},
    ],
)
async def test_malformed_resolve_data_is_invalid_params(
    client: LanguageClient, data: object
) -> None:
    logged = len(client.log_messages)
    with pytest.raises(JsonRpcException) as raised:
        await client.code_action_resolve_async(
            types.CodeAction(title="forged", kind=types.CodeActionKind.QuickFix, data=data)
        )
    assert raised.value.code == INVALID_PARAMS
    for message in await logs_after(client, logged):
        assert "Traceback" not in message.message
        assert message.type != types.MessageType.Error, message.message
