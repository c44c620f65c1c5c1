"""The ``fastapi-architect.migrateWorkspace`` command over stdio: closed files rewritten on
disk, open documents edited through ``workspace/applyEdit``, progress, and skipped files.

The fallbacks (no progress support, no applyEdit) run in process: see
``test_pydantic_workspace_fallbacks.py``."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.lsp.features.pydantic_v2 import MIGRATE_WORKSPACE_COMMAND
from fastapi_architect.pydantic_v2 import migrate_source
from fastapi_architect.pydantic_v2.runner import PARALLEL_THRESHOLD
from lsp_support import editor, open_document

USERS = """from pydantic import BaseModel, validator


class User(BaseModel):
    name: str

    @validator("name")
    def strip(cls, v):
        return v.strip()
"""

SPANS = """from pydantic import BaseModel, root_validator


class Span(BaseModel):
    start: int
    end: int

    @root_validator(skip_on_failure=True)
    def ordered(cls, values):
        if values["end"] < values["start"]:
            raise ValueError("end before start")
        return values
"""

BROKEN = "from pydantic import validator\n\ndef half_typed(:\n"


def write_project(root: Path) -> None:
    (root / "app").mkdir()
    (root / "app" / "users.py").write_text(USERS, encoding="utf-8")
    (root / "app" / "spans.py").write_text(SPANS, encoding="utf-8")
    (root / "app" / "broken.py").write_text(BROKEN, encoding="utf-8")
    (root / "app" / "plain.py").write_text("x = 1\n", encoding="utf-8")
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / ".venv" / "lib" / "vendored.py").write_text(USERS, encoding="utf-8")


async def run_command(client: LanguageClient, *arguments: Any) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=MIGRATE_WORKSPACE_COMMAND, arguments=list(arguments))
    )


async def test_workspace_migration_rewrites_closed_files_and_edits_open_ones(
    client: LanguageClient, workspace: Path
) -> None:
    write_project(workspace)
    spans_uri = open_document(client, workspace / "app" / "spans.py", SPANS)

    result = await run_command(client)

    assert result == {"scanned": 4, "changed": 2, "skipped": 1}
    assert (workspace / "app" / "users.py").read_text(encoding="utf-8") == migrate_source(USERS)
    # The open document changed in the editor's buffer, not behind its back on disk.
    assert editor(client).buffers[spans_uri] == migrate_source(SPANS)
    assert (workspace / "app" / "spans.py").read_text(encoding="utf-8") == SPANS
    assert (workspace / "app" / "broken.py").read_text(encoding="utf-8") == BROKEN
    assert (workspace / ".venv" / "lib" / "vendored.py").read_text(encoding="utf-8") == USERS
    (applied,) = editor(client).applied
    assert applied.document_changes or applied.changes


async def test_workspace_migration_reports_progress_and_a_summary(
    client: LanguageClient, workspace: Path
) -> None:
    write_project(workspace)

    await run_command(client)

    (reports,) = client.progress_reports.values()
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    assert reports[-1].message == (
        "4 files scanned, 2 changed, 1 skipped (see the output log); "
        "2 conversions (PYD001: 1, PYD002: 1)"
    )
    percentages = [
        r.percentage for r in reports[1:-1] if isinstance(r, types.WorkDoneProgressReport)
    ]
    assert percentages
    assert percentages[-1] == 100
    assert any("4 files scanned, 2 changed, 1 skipped" in m.message for m in client.messages)
    assert any(
        "broken.py" in m.message and "syntax error" in m.message for m in client.log_messages
    )


async def test_progress_begins_before_the_files_are_known_and_names_them_as_it_goes(
    client: LanguageClient, workspace: Path
) -> None:
    write_project(workspace)

    await run_command(client)

    (reports,) = client.progress_reports.values()
    begin = reports[0]
    assert isinstance(begin, types.WorkDoneProgressBegin)
    assert (begin.title, begin.message, begin.percentage) == (
        "Migrating Pydantic V1 code to V2",
        "listing the Python files",
        0,
    )
    messages = [r.message for r in reports[1:-1] if isinstance(r, types.WorkDoneProgressReport)]
    named = [m for m in messages if m and m.endswith(".py")]
    assert named, messages
    assert all(m.startswith(tuple(f"{n}/4 files: app/" for n in range(5))) for m in named)


async def test_workspace_migration_of_chosen_paths_only(
    client: LanguageClient, workspace: Path
) -> None:
    write_project(workspace)

    result = await run_command(client, {"paths": ["app/users.py"]})

    assert result == {"scanned": 1, "changed": 1, "skipped": 0}
    assert (workspace / "app" / "spans.py").read_text(encoding="utf-8") == SPANS


async def test_paths_outside_the_workspace_are_refused(
    client: LanguageClient, workspace: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.py"
    outside.write_text(USERS, encoding="utf-8")

    with pytest.raises(Exception, match="outside the workspace"):
        await run_command(client, {"paths": [str(outside)]})

    assert outside.read_text(encoding="utf-8") == USERS
    assert any("outside the workspace" in m.message for m in client.messages)


async def test_malformed_arguments_are_refused_with_the_expected_shape(
    client: LanguageClient, workspace: Path
) -> None:
    write_project(workspace)

    with pytest.raises(Exception, match="expected no arguments"):
        await run_command(client, "app/users.py")

    assert (workspace / "app" / "users.py").read_text(encoding="utf-8") == USERS


async def test_empty_options_migrate_the_whole_workspace(
    client: LanguageClient, workspace: Path
) -> None:
    write_project(workspace)

    result = await run_command(client, {})

    assert result == {"scanned": 4, "changed": 2, "skipped": 1}


async def test_large_workspace_is_migrated_over_worker_processes(
    client: LanguageClient, workspace: Path
) -> None:
    count = PARALLEL_THRESHOLD + 8
    for index in range(count):
        (workspace / f"m{index:02}.py").write_text(USERS, encoding="utf-8")
    (workspace / "zz_broken.py").write_text(BROKEN, encoding="utf-8")

    result = await run_command(client)

    assert result == {"scanned": count + 1, "changed": count, "skipped": 1}
    assert all(
        (workspace / f"m{index:02}.py").read_text(encoding="utf-8") == migrate_source(USERS)
        for index in range(count)
    )
    if (os.cpu_count() or 1) > 1:
        assert any("processes" in m.message for m in client.log_messages)


REFUSED = """from pydantic import BaseModel, validator


class Order(BaseModel):
    quantity: int

    @validator("quantity", pre=True)
    def from_text(cls, v):
        return int(v)

    @validator("*", pre=True)
    def strip(cls, v):
        return v.strip() if isinstance(v, str) else v
"""


async def test_findings_left_for_a_manual_conversion_are_counted_by_code_in_the_summary(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "closed.py").write_text(REFUSED, encoding="utf-8")
    (workspace / "opened.py").write_text(REFUSED, encoding="utf-8")
    open_document(client, workspace / "opened.py", REFUSED)

    result = await run_command(client)

    assert result == {"scanned": 2, "changed": 0, "skipped": 0}
    assert editor(client).applied == []
    assert (workspace / "closed.py").read_text(encoding="utf-8") == REFUSED
    assert any(
        "2 files scanned, 0 changed, 0 skipped; 4 findings left for a manual conversion "
        "(PYD001: 4; see the warnings)" in message.message
        for message in client.messages
    )


WHOLE_SURFACE = """from typing import List, Optional

from pydantic import BaseModel, Field


class Event(BaseModel):
    code: str = Field("AAA", regex="[A-Z]+")
    note: Optional[str]
    tags: List[int] = Field(default_factory=list, unique_items=True)

    class Config:
        orm_mode = True
"""


async def test_summary_counts_every_kind_of_conversion_and_finding_left_by_code(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "closed.py").write_text(WHOLE_SURFACE, encoding="utf-8")
    (workspace / "opened.py").write_text(WHOLE_SURFACE, encoding="utf-8")
    opened_uri = open_document(client, workspace / "opened.py", WHOLE_SURFACE)

    result = await run_command(client)

    assert result == {"scanned": 2, "changed": 2, "skipped": 0}
    migrated = migrate_source(WHOLE_SURFACE)
    assert (workspace / "closed.py").read_text(encoding="utf-8") == migrated
    assert editor(client).buffers[opened_uri] == migrated
    summary = (
        "2 files scanned, 2 changed, 0 skipped; 6 conversions (PYD010: 2, PYD011: 2, PYD012: 2); "
        "2 findings left for a manual conversion (PYD011: 2; see the warnings)"
    )
    (reports,) = client.progress_reports.values()
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert reports[0].title == "Migrating Pydantic V1 code to V2"
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    assert reports[-1].message == summary
    assert any(summary in message.message for message in client.messages)
    assert editor(client).labels == ["Migrate Pydantic V1 code to V2"]


async def test_cancelling_the_progress_stops_the_run_and_counts_only_what_was_migrated(
    client: LanguageClient, workspace: Path
) -> None:
    count = PARALLEL_THRESHOLD + 40
    for index in range(count):
        (workspace / f"m{index:02}.py").write_text(USERS, encoding="utf-8")

    first_progress = asyncio.ensure_future(client.wait_for_notification(types.PROGRESS))
    running = asyncio.ensure_future(run_command(client))
    await asyncio.wait_for(first_progress, timeout=30)
    (token,) = client.progress_reports
    begin = client.progress_reports[token][0]
    assert isinstance(begin, types.WorkDoneProgressBegin) and begin.cancellable
    client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    result = await asyncio.wait_for(running, timeout=120)

    migrated = sum(
        (workspace / f"m{index:02}.py").read_text(encoding="utf-8") != USERS
        for index in range(count)
    )
    assert result["cancelled"] == 1
    assert result["scanned"] < count
    assert result["changed"] == migrated
    end = client.progress_reports[token][-1]
    assert isinstance(end, types.WorkDoneProgressEnd)
    assert end.message is not None
    assert end.message.startswith(f"cancelled after {result['scanned']} of {count} files: ")
