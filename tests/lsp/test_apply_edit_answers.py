"""The server never waits forever on the editor's answer to ``workspace/applyEdit``.

An editor that answers with ``result: null`` (the LSP wants ``{"applied": ...}``) or with an
error gets its command answered, saying the edit was not applied — over hand-framed stdio.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.lsp_peer import LspPeer

from lsp_support import SERVER_COMMAND, uri_of

V1_MODEL = """\
from pydantic import BaseModel, validator


class User(BaseModel):
    name: str

    @validator("name")
    def strip(cls, value):
        return value.strip()
"""

CAPABILITIES = {"workspace": {"applyEdit": True, "workspaceEdit": {"documentChanges": True}}}


def _peer_with_open_model(workspace: Path, answer: Any) -> tuple[LspPeer, str]:
    peer = LspPeer(SERVER_COMMAND, on_server_request=answer)
    peer.initialize(CAPABILITIES, root_uri=uri_of(workspace))
    path = workspace / "models.py"
    path.write_text(V1_MODEL, encoding="utf-8")
    uri = uri_of(path)
    peer.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": V1_MODEL}},
    )
    return peer, uri


def _execute(peer: LspPeer, command: str, argument: dict[str, Any]) -> dict[str, Any]:
    request_id = peer.request(
        "workspace/executeCommand", {"command": command, "arguments": [argument]}
    )
    return peer.response(request_id, timeout=30)


def test_fix_all_answers_not_applied_when_the_editor_answers_null(tmp_path: Path) -> None:
    peer, uri = _peer_with_open_model(tmp_path, lambda method, params: None)
    try:
        answer = _execute(peer, "fastapi-architect.applyPydanticFixes", {"uri": uri, "keys": None})
        assert "did not apply" in answer["error"]["message"]
    finally:
        assert peer.close() == 0


def test_migrate_workspace_reports_the_file_skipped_when_the_editor_answers_null(
    tmp_path: Path,
) -> None:
    peer, _ = _peer_with_open_model(tmp_path, lambda method, params: None)
    try:
        answer = _execute(peer, "fastapi-architect.migrateWorkspace", {})
        assert "result" in answer, answer
        assert "models.py" not in str(answer["result"].get("changed", []))
        assert (tmp_path / "models.py").read_text(encoding="utf-8") == V1_MODEL
    finally:
        assert peer.close() == 0
