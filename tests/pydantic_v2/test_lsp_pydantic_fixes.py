"""Pydantic V1 → V2 in the editor, over stdio, under the VS Code, Neovim and Emacs capabilities:
diagnostics, the quick fix (lazy or eager), fix-all, and clients that drop diagnostic data."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_steps import (
    PYDANTIC_KINDS,
    client_supports_resolve,
    code_actions,
    edits_for,
    encoding_of,
    fix_all_text,
    lsp_character,
    next_diagnostics,
    open_and_wait,
    position,
    quick_fix_text,
    resolved,
    versioned_edits,
)
from lsprotocol import types
from pygls.uris import to_fs_path
from pytest_lsp import LanguageClient

from fastapi_architect.lsp.features.pydantic_v2 import APPLY_FIXES_COMMAND, FIX_ALL_KIND
from fastapi_architect.packaged_data import data_file
from fastapi_architect.pydantic_v2 import migrate_source
from lsp_support import apply_text_edits, editor

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


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


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
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    smile = diagnostics[1]

    fix, fixed = await quick_fix_text(client, uri, SOURCE, smile, encoding_of(client_name))

    assert fix.title == "Convert @validator to @field_validator"
    assert fix.is_preferred is True
    assert list(fix.diagnostics or []) == [smile]
    assert fixed == SMILE_FIXED


async def test_fix_all_converts_every_validator_in_one_edit(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, _ = await open_and_wait(client, workspace, SOURCE)

    action, fixed = await fix_all_text(client, uri, SOURCE, encoding_of(client_name))

    assert action.title == "Migrate all Pydantic V1 code in this file to V2 (3)"
    assert fixed == migrate_source(SOURCE)
    assert "@validator" not in fixed
    assert "@root_validator" not in fixed
    compile(fixed, "models.py", "exec")


async def test_after_fix_all_no_diagnostics_and_no_fixes_remain(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, _ = await open_and_wait(client, workspace, SOURCE)
    _, fixed = await fix_all_text(client, uri, SOURCE, encoding_of(client_name), only=FIX_ALL_KIND)

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
    crlf = SOURCE.replace("\n", "\r\n")
    uri, diagnostics = await open_and_wait(client, workspace, crlf)
    strip = diagnostics[0]

    _, fixed = await quick_fix_text(
        client, uri, crlf, strip, encoding_of(client_name), only=["quickfix"]
    )

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
