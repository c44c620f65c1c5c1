"""Pydantic V1 → V2 in the editor, over stdio, under the VS Code, Neovim and Emacs capabilities:
diagnostics, the quick fix (lazy or eager), fix-all, and clients that drop diagnostic data."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Union

import pytest
from lsprotocol import types
from pygls.uris import to_fs_path
from pytest_lsp import LanguageClient

from fastapi_architect.lsp.features.pydantic_v2 import APPLY_FIXES_COMMAND, FIX_ALL_KIND
from fastapi_architect.packaged_data import data_file
from fastapi_architect.pydantic_v2 import migrate_source
from lsp_support import (
    apply_text_edits,
    capabilities,
    code_units,
    editor,
    open_document,
    uri_of,
)

SHIPPED_README = data_file("README.md")
"""The README copy the server ships; diagnostics link to its migration section."""


def test_the_linked_readme_section_exists() -> None:
    assert SHIPPED_README is not None
    assert "## Pydantic V1 → V2 migration" in SHIPPED_README.read_text(encoding="utf-8")


# The emoji makes UTF-8, UTF-16 and UTF-32 columns differ on the second decorator's line:
# VS Code negotiates UTF-16, Neovim UTF-8 and Emacs UTF-32.
SOURCE = """from pydantic import BaseModel, root_validator, validator


class Profile(BaseModel):
    name: str
    mood: str = ""

    @validator("name", pre=True)
    def strip(cls, v):
        return v.strip()

    @validator("mood_🙂", check_fields=False)  # emoji field
    def smile(cls, v):
        return v

    @root_validator
    def check(cls, values):
        return values
"""

SMILE_FIXED = SOURCE.replace(
    "from pydantic import BaseModel, root_validator, validator\n",
    "from pydantic import BaseModel, field_validator, root_validator, validator\n",
).replace(
    '    @validator("mood_🙂", check_fields=False)  # emoji field\n',
    '    @field_validator("mood_🙂", check_fields=False)  # emoji field\n    @classmethod\n',
)

BROKEN = """from pydantic import BaseModel, validator


class Profile(BaseModel):
    name: str

    @validator("name"
    def strip(cls, v):
"""

PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
PYDANTIC_KINDS = [types.CodeActionKind.QuickFix, FIX_ALL_KIND]
"""The kinds this feature returns (other features may add their own actions, e.g. extract)."""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


def position(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def encoding_of(client_name: str) -> str:
    """The position encoding the server negotiates with this client (pygls: client's first)."""
    general = capabilities(client_name).general
    for encoding in (general.position_encodings if general else None) or []:
        value = str(getattr(encoding, "value", encoding))
        if value in {"utf-8", "utf-16", "utf-32"}:
            return value
    return "utf-16"


def lsp_character(line: str, code_points: int, encoding: str) -> int:
    return sum(code_units(char, encoding) for char in line[:code_points])


def edits_for(edit: types.WorkspaceEdit, uri: str, versioned: bool) -> list[Any]:
    """The text edits of ``uri`` in ``edit``, checking the shape this client asked for."""
    if versioned:
        assert edit.changes is None
        assert edit.document_changes is not None
        (change,) = edit.document_changes
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == uri
        assert change.text_document.version is not None
        return list(change.edits)
    assert edit.document_changes is None
    assert edit.changes is not None
    return list(edit.changes[uri])


async def next_diagnostics(client: LanguageClient, uri: str) -> types.PublishDiagnosticsParams:
    """Wait for the next ``publishDiagnostics`` of ``uri``."""
    while True:
        params: types.PublishDiagnosticsParams = await asyncio.wait_for(
            client.wait_for_notification(PUBLISH), timeout=30
        )
        if params.uri == uri:
            return params


async def open_and_wait(
    client: LanguageClient, workspace: Path, text: str, name: str = "models.py"
) -> tuple[str, list[types.Diagnostic]]:
    path = workspace / name
    path.write_text(text, encoding="utf-8")
    waiting = asyncio.ensure_future(next_diagnostics(client, uri_of(path)))
    uri = open_document(client, path, text)
    published = await waiting
    return uri, list(published.diagnostics)


def parse_code_actions_with_commands(client: LanguageClient) -> None:
    """lsprotocol's client-side hook parses every object with a ``command`` key as a
    ``Command``, so a ``CodeAction`` carrying a command arrives garbled; tell them apart by
    the key's type, as editors do."""
    converter = client.protocol._converter

    def structure(value: Any, _: Any) -> types.Command | types.CodeAction:
        if isinstance(value.get("command"), str):
            return converter.structure(value, types.Command)
        return converter.structure(value, types.CodeAction)

    # typing.Union, not `|`: the hook must be keyed by the exact type lsprotocol registered.
    result_type = Union[types.Command, types.CodeAction]  # noqa: UP007
    converter.register_structure_hook(result_type, structure)


async def code_actions(
    client: LanguageClient,
    uri: str,
    at: types.Range,
    diagnostics: list[types.Diagnostic],
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    parse_code_actions_with_commands(client)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=at,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )
    return [action for action in result or [] if isinstance(action, types.CodeAction)]


async def resolved(client: LanguageClient, action: types.CodeAction) -> types.CodeAction:
    """The action with its edit: resolved lazily when the client can, else already eager."""
    if client_supports_resolve(client):
        assert action.edit is None, "the edit must be computed lazily for this client"
        assert isinstance(action.data, dict)
        action = await client.code_action_resolve_async(action)
    assert action.edit is not None
    return action


async def fix_all_edit(client: LanguageClient, action: types.CodeAction) -> types.WorkspaceEdit:
    """The fix-all's edit: resolved lazily, or, for clients that cannot resolve, sent by the
    server through ``workspace/applyEdit`` when the action's command runs."""
    if client_supports_resolve(client):
        action = await resolved(client, action)
        assert action.edit is not None
        return action.edit
    assert action.edit is None, "the whole-file fix must not be computed for every lightbulb"
    assert action.command is not None
    assert action.command.command == APPLY_FIXES_COMMAND
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command=action.command.command, arguments=action.command.arguments
        )
    )
    assert result == {"applied": True}
    return editor(client).applied[-1]


def client_supports_resolve(client: LanguageClient) -> bool:
    caps = client.capabilities
    code_action = caps.text_document.code_action if caps and caps.text_document else None
    support = code_action.resolve_support if code_action else None
    return bool(support and "edit" in support.properties)


def versioned_edits(client: LanguageClient) -> bool:
    caps = client.capabilities
    workspace_edit = caps.workspace.workspace_edit if caps and caps.workspace else None
    return bool(workspace_edit and workspace_edit.document_changes)


def decorator_range(line_number: int, encoding: str) -> types.Range:
    line = SOURCE.splitlines()[line_number]
    start = len(line) - len(line.lstrip())
    end = line.index(")") + 1 if "(" in line else len(line)
    return types.Range(
        start=types.Position(line=line_number, character=lsp_character(line, start, encoding)),
        end=types.Position(line=line_number, character=lsp_character(line, end, encoding)),
    )


async def test_validators_are_reported_as_deprecated_warnings_on_their_decorators(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)

    _, diagnostics = await open_and_wait(client, workspace, SOURCE)

    assert [(d.code, d.range) for d in diagnostics] == [
        ("PYD001", decorator_range(7, encoding)),
        ("PYD001", decorator_range(11, encoding)),
        ("PYD002", decorator_range(15, encoding)),
    ]
    for diagnostic in diagnostics:
        assert diagnostic.severity == types.DiagnosticSeverity.Warning
        assert diagnostic.source == "fastapi-architect"
        assert diagnostic.code_description is not None
        readme, _, anchor = diagnostic.code_description.href.partition("#")
        assert anchor == "pydantic-v1--v2-migration"
        assert Path(to_fs_path(readme) or "") == SHIPPED_README
        assert list(diagnostic.tags or []) == [types.DiagnosticTag.Deprecated]
        assert isinstance(diagnostic.data, dict)
        assert diagnostic.message.startswith("Pydantic V1 `@")
    assert [d.data["key"] for d in diagnostics if isinstance(d.data, dict)] == [
        "Profile.strip",
        "Profile.smile",
        "Profile.check",
    ]


async def test_quick_fix_converts_only_its_validator(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    smile = diagnostics[1]

    actions = await code_actions(client, uri, smile.range, [smile])

    quick_fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert [a.title for a in quick_fixes] == ["Convert @validator to @field_validator"]
    (fix,) = quick_fixes
    assert fix.is_preferred is True
    assert list(fix.diagnostics or []) == [smile]
    fix = await resolved(client, fix)
    assert fix.edit is not None
    edits = edits_for(fix.edit, uri, versioned_edits(client))
    assert apply_text_edits(SOURCE, edits, encoding) == SMILE_FIXED


async def test_fix_all_converts_every_validator_in_one_edit(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, _ = await open_and_wait(client, workspace, SOURCE)
    start = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
    )

    actions = await code_actions(client, uri, start, [], only=["source.fixAll"])

    assert [a.kind for a in actions] == [FIX_ALL_KIND]
    edit = await fix_all_edit(client, actions[0])
    fixed = apply_text_edits(SOURCE, edits_for(edit, uri, versioned_edits(client)), encoding)
    assert fixed == migrate_source(SOURCE)
    assert "@validator" not in fixed
    assert "@root_validator" not in fixed
    compile(fixed, "models.py", "exec")


async def test_after_fix_all_no_diagnostics_and_no_fixes_remain(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, _ = await open_and_wait(client, workspace, SOURCE)
    top = types.Range(start=position(0, 0), end=position(0, 0))
    (fix_all,) = await code_actions(client, uri, top, [], only=[FIX_ALL_KIND])
    edit = await fix_all_edit(client, fix_all)
    fixed = apply_text_edits(SOURCE, edits_for(edit, uri, versioned_edits(client)), encoding)

    waiting = asyncio.ensure_future(next_diagnostics(client, uri))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    published = await waiting

    assert published.version == 2
    assert list(published.diagnostics) == []
    everywhere = types.Range(start=position(0, 0), end=position(25, 0))
    assert await code_actions(client, uri, everywhere, [], only=PYDANTIC_KINDS) == []


async def test_quick_fix_is_found_when_the_client_drops_diagnostic_data(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    """Emacs (eglot) does not round-trip ``data``: the finding is recomputed from the range."""
    encoding = encoding_of(client_name)
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    stripped = [
        types.Diagnostic(
            range=d.range, message=d.message, severity=d.severity, code=d.code, source=d.source
        )
        for d in diagnostics
    ]
    whole_file = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=18, character=0)
    )

    actions = await code_actions(client, uri, whole_file, [stripped[2]])

    quick_fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    # The root validator's fix first (it was sent as context), then the others in the range.
    assert [a.title for a in quick_fixes] == [
        "Convert @root_validator to @model_validator",
        "Convert @validator to @field_validator",
        "Convert @validator to @field_validator",
    ]
    root_fix = await resolved(client, quick_fixes[0])
    assert root_fix.edit is not None
    fixed = apply_text_edits(
        SOURCE, edits_for(root_fix.edit, uri, versioned_edits(client)), encoding
    )
    assert '    @model_validator(mode="after")\n    def check(self):\n' in fixed
    assert '    @validator("name", pre=True)\n' in fixed


async def test_quick_fix_is_offered_at_the_cursor_without_context_diagnostics(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, _ = await open_and_wait(client, workspace, SOURCE)
    cursor = decorator_range(7, encoding).start

    actions = await code_actions(
        client, uri, types.Range(start=cursor, end=cursor), [], only=["quickfix"]
    )

    assert [(a.kind, a.title) for a in actions] == [
        (types.CodeActionKind.QuickFix, "Convert @validator to @field_validator")
    ]
    assert actions[0].diagnostics is not None
    assert actions[0].diagnostics[0].code == "PYD001"


async def test_half_typed_file_gives_no_diagnostics_and_no_actions_until_it_parses(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, BROKEN)

    assert diagnostics == []
    everywhere = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=8, character=0)
    )
    assert await code_actions(client, uri, everywhere, [], only=PYDANTIC_KINDS) == []

    waiting = asyncio.ensure_future(next_diagnostics(client, uri))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=SOURCE)],
        )
    )
    published = await waiting
    assert [d.code for d in published.diagnostics] == ["PYD001", "PYD001", "PYD002"]


async def test_stale_quick_fix_resolves_against_the_current_text(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    """A fix offered for version 1 and resolved after an edit elsewhere still converts."""
    if not client_supports_resolve(client):
        pytest.skip("eager clients get the edit with the action")
    encoding = encoding_of(client_name)
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    actions = await code_actions(client, uri, diagnostics[0].range, [diagnostics[0]])
    fix = next(a for a in actions if a.kind == types.CodeActionKind.QuickFix)
    edited = "# a comment added on top\n" + SOURCE
    waiting = asyncio.ensure_future(next_diagnostics(client, uri))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
        )
    )
    await waiting

    fix = await client.code_action_resolve_async(fix)

    assert fix.edit is not None
    edits = edits_for(fix.edit, uri, versioned_edits(client))
    fixed = apply_text_edits(edited, edits, encoding)
    assert fixed.startswith("# a comment added on top\n")
    assert '    @field_validator("name", mode="before")\n    @classmethod\n' in fixed


async def test_apply_fixes_command_converts_the_chosen_validators(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, _ = await open_and_wait(client, workspace, SOURCE)

    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command=APPLY_FIXES_COMMAND, arguments=[{"uri": uri, "keys": ["Profile.smile"]}]
        )
    )

    assert result == {"applied": True}
    edit = editor(client).applied[-1]
    assert apply_text_edits(SOURCE, edits_for(edit, uri, versioned_edits(client)), encoding) == (
        SMILE_FIXED
    )


async def test_apply_fixes_command_rejects_arguments_without_a_uri(
    client: LanguageClient, workspace: Path
) -> None:
    with pytest.raises(Exception, match="expected"):
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=APPLY_FIXES_COMMAND, arguments=[{"keys": None}])
        )
    assert editor(client).applied == []


async def test_quick_fix_keeps_crlf_line_endings(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    crlf = SOURCE.replace("\n", "\r\n")
    uri, diagnostics = await open_and_wait(client, workspace, crlf)
    strip = diagnostics[0]

    actions = await code_actions(client, uri, strip.range, [strip], only=["quickfix"])
    fix = await resolved(client, actions[0])

    assert fix.edit is not None
    fixed = apply_text_edits(crlf, edits_for(fix.edit, uri, versioned_edits(client)), encoding)
    assert '    @field_validator("name", mode="before")\r\n    @classmethod\r\n' in fixed
    assert "\n" not in fixed.replace("\r\n", "")


async def test_installed_packages_opened_in_the_editor_are_not_reported(
    client: LanguageClient, workspace: Path
) -> None:
    """Go-to-definition into a dependency must not fill the problems list with its validators."""
    folder = workspace / ".venv" / "lib" / "python3.11" / "site-packages" / "somelib"
    folder.mkdir(parents=True)

    _, diagnostics = await open_and_wait(client, folder, SOURCE, name="models.py")

    assert diagnostics == []
