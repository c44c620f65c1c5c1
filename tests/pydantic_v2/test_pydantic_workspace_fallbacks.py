"""``migrateWorkspace`` under every client the fallbacks tell apart, in process.

Progress goes to ``window/workDoneProgress`` or to the log; open documents are edited through
``workspace/applyEdit`` (as ``documentChanges`` or a ``changes`` map) or left alone when the
client cannot apply edits. The over-the-wire tests in ``test_lsp_pydantic_workspace.py`` run
the real client profiles.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from test_lsp_pydantic_workspace import SPANS, USERS, write_project

from fastapi_architect.lsp.clientcaps import ClientSupport
from fastapi_architect.lsp.features.pydantic_v2 import migrate_workspace
from fastapi_architect.pydantic_v2 import migrate_source
from host_support import FakeHost, as_host

TITLE = "Migrating Pydantic V1 code to V2"

MATRIX = [
    ClientSupport(
        work_done_progress=progress, apply_edit=apply_edit, document_changes=document_changes
    )
    for progress, apply_edit, document_changes in itertools.product((True, False), repeat=3)
]


def _describe(support: ClientSupport) -> str:
    flags = ("work_done_progress", "apply_edit", "document_changes")
    return "+".join(flag for flag in flags if getattr(support, flag)) or "nothing"


@pytest.mark.parametrize("support", MATRIX, ids=_describe)
async def test_open_documents_change_in_the_buffer_or_are_skipped_with_a_reason(
    tmp_path: Path, support: ClientSupport
) -> None:
    write_project(tmp_path)
    host = FakeHost(tmp_path, support)
    spans_uri = host.open(tmp_path / "app" / "spans.py", SPANS)

    result = await migrate_workspace(as_host(host), [])

    assert (tmp_path / "app" / "users.py").read_text(encoding="utf-8") == migrate_source(USERS)
    assert (tmp_path / "app" / "spans.py").read_text(encoding="utf-8") == SPANS  # never on disk
    if support.apply_edit:
        assert result == {"scanned": 4, "changed": 2, "skipped": 1}
        assert host.editor.buffers[spans_uri] == migrate_source(SPANS)
        (params,) = host.applied
        if support.document_changes:
            assert params.edit.document_changes and params.edit.changes is None
        else:
            assert params.edit.changes and params.edit.document_changes is None
    else:
        assert result == {"scanned": 4, "changed": 1, "skipped": 2}
        assert host.applied == []
        assert host.editor.buffers[spans_uri] == SPANS
        assert any("spans.py: open in an editor that cannot apply edits" in m for m in host.logged)


@pytest.mark.parametrize("support", MATRIX, ids=_describe)
async def test_progress_goes_to_the_progress_bar_or_to_the_log(
    tmp_path: Path, support: ClientSupport
) -> None:
    write_project(tmp_path)
    host = FakeHost(tmp_path, support)

    await migrate_workspace(as_host(host), [])

    summary = (
        "4 files scanned, 2 changed, 1 skipped (see the output log); "
        "2 conversions (PYD001: 1, PYD002: 1)"
    )
    events = host.work_done_progress.events
    started = any(f"{TITLE}: 4 files to scan" in m for m in host.logged)
    finished = any(f"{TITLE}: done: {summary}" in m for m in host.logged)
    if support.work_done_progress:
        assert events[:2] == [("create", None), ("begin", TITLE)]
        assert events[-1] == ("end", summary)
        assert [kind for kind, _ in events[2:-1]] == ["report"] * (len(events) - 3)
        assert not started and not finished
    else:
        assert events == []
        assert started and finished
    assert host.shown[-1][1] == f"FastAPI Architect: Pydantic V2 migration: {summary}."
