"""A plan computed while a buffer it read changes is recomputed; if the buffers keep
changing, the command is refused and nothing is sent to the editor."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

import pytest

from fastapi_architect.lsp.guard import UserFacingError
from fastapi_architect.lsp.workspace_edits import PLAN_ATTEMPTS, plan_and_apply
from fastapi_architect.plan import ChangePlan, FileEdit
from fastapi_architect.project_files import ProjectFiles
from fastapi_architect.textedit import TextEdit, TextPosition
from lsp_support import uri_of


class Typing:
    """An open document whose text changes ``edits_while_planning`` times during planning."""

    def __init__(self, path: Path, edits_while_planning: int) -> None:
        self.path = path
        self.version = 1
        self.source = "x = 1\n"
        self.left = edits_while_planning

    def type_a_line(self) -> None:
        if self.left > 0:
            self.left -= 1
            self.version += 1
            self.source = f"# edit {self.version}\n" + self.source


def fake_server(document: Typing) -> tuple[Any, list[Any]]:
    sent: list[Any] = []

    async def apply_edit(params: Any) -> Any:
        sent.append(params.edit)
        return SimpleNamespace(applied=True, failure_reason=None)

    server = SimpleNamespace(
        workspace=SimpleNamespace(text_documents={uri_of(document.path): document}),
        settings=SimpleNamespace(analysis=SimpleNamespace(max_file_bytes=1_000_000)),
        support=SimpleNamespace(
            apply_edit=True, create_files=True, change_annotations=False, document_changes=True
        ),
        position_encoding="utf-16",
        workspace_apply_edit_async=apply_edit,
        documents=SimpleNamespace(get=lambda uri: None),
    )
    return server, sent


def planner(document: Typing) -> Any:
    def make_plan(files: ProjectFiles) -> ChangePlan:
        text = files.read_text(document.path)
        document.type_a_line()  # the user types while the plan is computed
        end = TextPosition(len(text.splitlines()), 0)
        return ChangePlan(
            label="append",
            edits=[FileEdit(PurePosixPath(document.path.name), [TextEdit(end, end, "y = 2\n")])],
        )

    return make_plan


async def test_a_plan_is_recomputed_after_the_buffer_changed(tmp_path: Path) -> None:
    document = Typing(tmp_path / "m.py", edits_while_planning=1)
    server, sent = fake_server(document)

    await plan_and_apply(server, tmp_path, planner(document))

    (edit,) = sent
    (change,) = edit.document_changes
    assert change.text_document.version == 2  # computed on the text the editor has now
    assert change.edits[0].range.start.line == 2


async def test_a_buffer_that_keeps_changing_is_refused_and_nothing_is_sent(
    tmp_path: Path,
) -> None:
    document = Typing(tmp_path / "m.py", edits_while_planning=PLAN_ATTEMPTS)
    server, sent = fake_server(document)

    with pytest.raises(UserFacingError, match=r"kept changing .* nothing was applied"):
        await plan_and_apply(server, tmp_path, planner(document))
    assert sent == []
