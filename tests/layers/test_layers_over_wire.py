"""Layer diagnostics, the ``diagnostics.rules`` setting and the FA103 quick fix over stdio, in
the VS Code, Neovim and Emacs capability sets."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_support import (
    editor,
    lsp_position,
    open_document,
    run_command,
    structure_code_actions_properly,
    uri_of,
    wait_for_diagnostics,
)

HERE = Path(__file__).parent
VIOLATIONS = HERE / "fixtures" / "violations"
SHOP = HERE.parent / "extract" / "fixtures" / "shop"
ITEMS = "app/api/v1/endpoints/items.py"
SERVICE = "app/services/item_service.py"
USERS = "app/api/v1/endpoints/users.py"


def _copy(fixture: Path, workspace: Path) -> Path:
    shutil.copytree(fixture, workspace, dirs_exist_ok=True)
    return workspace


def _open(client: LanguageClient, path: Path) -> str:
    return open_document(client, path, path.read_text(encoding="utf-8"))


async def _diagnostics(client: LanguageClient, path: Path) -> list[types.Diagnostic]:
    uri = _open(client, path)
    return await wait_for_diagnostics(client, uri, 1)


def _by_code(found: list[types.Diagnostic]) -> list[tuple[str, int]]:
    return sorted(
        (str(d.code), d.range.start.line + 1) for d in found if str(d.code).startswith("FA")
    )


async def test_layer_diagnostics_are_published_with_code_range_and_data(
    client: LanguageClient, workspace: Path
) -> None:
    root = _copy(VIOLATIONS, workspace)
    items = await _diagnostics(client, root / ITEMS)
    assert _by_code(items) == [("FA103", 16), ("FA103", 24), ("FA105", 7), ("FA106", 25)]
    for diagnostic in items:
        assert diagnostic.source == "fastapi-architect"
        assert diagnostic.severity == types.DiagnosticSeverity.Information
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href.endswith("#route-diagnostics")

    service = await _diagnostics(client, root / SERVICE)
    assert _by_code(service) == [("FA104", 14), ("FA105", 6), ("FA107", 16)]
    (fa104,) = [d for d in service if d.code == "FA104"]
    text = (root / SERVICE).read_text(encoding="utf-8")
    statement = 'raise HTTPException(status_code=404, detail="item not found")'
    start = text.index(statement)
    encoding = editor(client).encoding
    assert fa104.range == types.Range(
        start=lsp_position(text, start, encoding),
        end=lsp_position(text, start + len(statement), encoding),
    )
    assert fa104.data == {"status_code": 404, "detail": "item not found"}


async def test_an_unsaved_alias_in_another_buffer_is_what_counts(
    client: LanguageClient, workspace: Path
) -> None:
    root = _copy(VIOLATIONS, workspace)
    deps = root / "app/api/deps.py"
    # In the editor, SessionDep no longer hands out a session (not saved to disk).
    open_document(
        client,
        deps,
        deps.read_text(encoding="utf-8").replace(
            "SessionDep = Annotated[Session, Depends(get_db)]", "SessionDep = int"
        ),
    )
    items = await _diagnostics(client, root / ITEMS)
    assert _by_code(items) == [("FA103", 16), ("FA105", 7)]  # select() is still data access


class TestRuleLevels:
    @pytest.fixture
    def initialization_options(self) -> Any:
        return {
            "fastapiArchitect": {
                "diagnostics": {"rules": {"FA103": "error", "FA105": "off", "FA101": "hint"}}
            }
        }

    async def test_rules_set_severity_or_turn_codes_off_for_every_fa_code(
        self, client: LanguageClient, workspace: Path
    ) -> None:
        root = _copy(VIOLATIONS, workspace)
        items = await _diagnostics(client, root / ITEMS)
        assert [(d.code, d.severity) for d in items] == [
            ("FA103", types.DiagnosticSeverity.Error),
            ("FA103", types.DiagnosticSeverity.Error),
            ("FA106", types.DiagnosticSeverity.Information),
        ]
        users = await _diagnostics(client, root / USERS)  # FA101 comes from the routes feature
        assert [(d.code, d.severity) for d in users] == [("FA101", types.DiagnosticSeverity.Hint)]


async def test_unknown_rule_code_is_refused_with_a_clear_warning(
    client: LanguageClient, workspace: Path
) -> None:
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"fastapiArchitect": {"diagnostics": {"rules": {"FA199": "error"}}}}
        )
    )
    for _ in range(250):
        warnings = [m.message for m in client.messages if m.type == types.MessageType.Warning]
        if warnings:
            break
        await asyncio.sleep(0.02)
    assert len(warnings) == 1
    assert "unknown diagnostic code 'FA199'" in warnings[0]
    assert "FA107" in warnings[0]
    root = _copy(VIOLATIONS, workspace)  # still serving, with the default levels
    items = await _diagnostics(client, root / ITEMS)
    assert {d.severity for d in items} == {types.DiagnosticSeverity.Information}


async def _quick_fixes(
    client: LanguageClient, uri: str, diagnostics: list[types.Diagnostic], where: types.Range
) -> list[types.CodeAction]:
    structure_code_actions_properly(client)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(
                diagnostics=diagnostics, only=[types.CodeActionKind.QuickFix]
            ),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


async def _open_items(
    client: LanguageClient, root: Path
) -> tuple[str, str, list[types.Diagnostic]]:
    """Open the shop's items endpoints and wait for their diagnostics: text, URI, diagnostics."""
    path = root / ITEMS
    text = path.read_text(encoding="utf-8")
    uri = open_document(client, path, text)
    return text, uri, await wait_for_diagnostics(client, uri, 1)


async def test_fa103_quick_fix_extracts_the_endpoint_and_the_finding_goes(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    root = _copy(SHOP, workspace)
    _, uri, found = await _open_items(client, root)
    fa103 = [d for d in found if d.code == "FA103"]
    assert len(fa103) == 4
    first = fa103[0]
    (action,) = await _quick_fixes(client, uri, [first], first.range)
    assert action.title == "Extract 'create_item' to the service layer"
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.is_preferred
    assert action.diagnostics is not None and action.diagnostics[0].code == "FA103"

    if client_name == "vscode":
        assert action.edit is None and action.data  # resolved by the extract feature
        resolved = await client.code_action_resolve_async(action)
        assert resolved.edit is not None
        editor(client).apply(resolved.edit)
    elif action.edit is not None:  # resolved eagerly for a client without resolve support
        editor(client).apply(action.edit)
    else:
        assert action.command is not None
        assert action.command.command == "fastapi-architect.extractService"
        await run_command(client, action.command)

    fixed = editor(client).buffers[uri]
    assert "item_service.create_item(" in fixed
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    after = await wait_for_diagnostics(client, uri, 2)
    assert len([d for d in after if d.code == "FA103"]) == 3
    assert (root / "app/services/item_service.py").is_file()


async def test_no_quick_fix_for_an_endpoint_the_extraction_refuses(
    client: LanguageClient, workspace: Path
) -> None:
    root = _copy(VIOLATIONS, workspace)
    path = root / "app/streaming.py"
    text = (
        "from fastapi import APIRouter\nfrom sqlalchemy import select\n\n"
        "from app.api.deps import SessionDep\nfrom app.db import Item\n\n"
        "router = APIRouter()\n\n\n"
        '@router.get("/stream")\ndef stream(db: SessionDep):\n'
        "    for item in db.scalars(select(Item)):\n        yield item.name\n"
    )
    path.write_text(text, encoding="utf-8")
    uri = open_document(client, path, text)
    found = await wait_for_diagnostics(client, uri, 1)
    (fa103,) = [d for d in found if d.code == "FA103"]
    assert await _quick_fixes(client, uri, [fa103], fa103.range) == []
    assert uri == uri_of(path)


async def test_quick_fix_is_found_when_the_client_sends_no_diagnostics_back(
    client: LanguageClient, workspace: Path
) -> None:
    text, uri, found = await _open_items(client, _copy(SHOP, workspace))
    first = next(d for d in found if d.code == "FA103")
    (action,) = await _quick_fixes(client, uri, [], first.range)
    assert action.title == "Extract 'create_item' to the service layer"
    assert action.diagnostics is not None and action.diagnostics[0].range == first.range
    line = next(n for n, row in enumerate(text.splitlines()) if row.startswith("router ="))
    outside = types.Range(types.Position(line, 0), types.Position(line, 0))
    assert await _quick_fixes(client, uri, [], outside) == []
