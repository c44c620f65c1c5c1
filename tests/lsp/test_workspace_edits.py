"""Multi-file plans reach the files whatever the client supports: the fallback matrix, in process.

Every combination of the capabilities ``apply_plan`` depends on (``workspace/applyEdit``,
``documentChanges``, ``CreateFile``, change annotations) runs against ``FakeHost``; the
over-the-wire tests (scaffold, extract) cover the three real client profiles.
"""

from __future__ import annotations

import itertools
from pathlib import Path, PurePosixPath

import pytest
from lsprotocol import types

from fastapi_architect.lsp.clientcaps import ClientSupport
from fastapi_architect.lsp.guard import UserFacingError
from fastapi_architect.lsp.workspace_edits import apply_plan
from fastapi_architect.plan import ChangePlan, FileEdit, GeneratedFile
from fastapi_architect.textedit import TextEdit, TextPosition
from host_support import FakeHost, as_host
from lsp_support import uri_of

MAIN = "from app.api import router\n\napp = make_app()\n"
NEW = "def make_app() -> object:\n    return object()\n"
PLAN = ChangePlan(
    label="Add the app factory",
    creates=(GeneratedFile(PurePosixPath("app/factory.py"), NEW),),
    edits=(
        FileEdit(
            PurePosixPath("app/main.py"),
            (
                TextEdit(
                    TextPosition(0, 0), TextPosition(0, 0), "from app.factory import make_app\n"
                ),
            ),
        ),
    ),
)
EDITED_MAIN = "from app.factory import make_app\n" + MAIN

SUPPORT_MATRIX = [
    ClientSupport(
        apply_edit=apply_edit,
        document_changes=document_changes,
        create_files=create_files,
        change_annotations=annotations,
    )
    for apply_edit, (document_changes, create_files), annotations in itertools.product(
        (True, False), ((False, False), (True, False), (True, True)), (True, False)
    )
]


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app/main.py").write_text(MAIN, encoding="utf-8")
    return root


def _describe(support: ClientSupport) -> str:
    flags = ("apply_edit", "document_changes", "create_files", "change_annotations")
    return "+".join(flag for flag in flags if getattr(support, flag)) or "nothing"


@pytest.mark.parametrize("support", SUPPORT_MATRIX, ids=_describe)
async def test_every_client_ends_with_the_new_file_and_the_edited_one(
    tmp_path: Path, support: ClientSupport
) -> None:
    root = _project(tmp_path)
    host = FakeHost(root, support)

    touched = await apply_plan(as_host(host), PLAN, root)

    assert touched == [root / "app/factory.py", root / "app/main.py"]
    assert (root / "app/factory.py").read_text(encoding="utf-8") == NEW
    assert (root / "app/main.py").read_text(encoding="utf-8") == EDITED_MAIN


@pytest.mark.parametrize("support", SUPPORT_MATRIX, ids=_describe)
async def test_the_editor_gets_what_it_can_apply_and_the_server_writes_the_rest(
    tmp_path: Path, support: ClientSupport
) -> None:
    root = _project(tmp_path)
    host = FakeHost(root, support)

    await apply_plan(as_host(host), PLAN, root)

    if not support.apply_edit:
        assert host.applied == []  # the server wrote both files itself
        return
    (params,) = host.applied
    assert params.label == "Add the app factory"
    edit = params.edit
    created = [c for c in edit.document_changes or [] if isinstance(c, types.CreateFile)]
    assert [c.uri for c in created] == (
        [uri_of(root / "app/factory.py")] if support.create_files else []
    )
    if support.document_changes:
        assert edit.changes is None
        edited = [
            c.text_document.uri
            for c in edit.document_changes or []
            if isinstance(c, types.TextDocumentEdit)
        ]
        assert uri_of(root / "app/main.py") in edited
    else:
        assert edit.document_changes is None
        assert list(edit.changes or {}) == [uri_of(root / "app/main.py")]
    annotated = bool(edit.change_annotations)
    assert annotated == (support.create_files and support.change_annotations)


async def test_open_buffers_are_edited_at_their_version_not_on_disk(tmp_path: Path) -> None:
    root = _project(tmp_path)
    host = FakeHost(root, ClientSupport(apply_edit=True, document_changes=True, create_files=True))
    unsaved = "# unsaved\n" + MAIN
    uri = host.open(root / "app/main.py", unsaved, version=7)

    await apply_plan(as_host(host), PLAN, root)

    (params,) = host.applied
    [main_edit] = [
        c
        for c in params.edit.document_changes or []
        if isinstance(c, types.TextDocumentEdit) and c.text_document.uri == uri
    ]
    assert main_edit.text_document.version == 7
    assert host.editor.buffers[uri] == "from app.factory import make_app\n" + unsaved
    assert (root / "app/main.py").read_text(encoding="utf-8") == MAIN  # disk untouched


@pytest.mark.parametrize(
    "support",
    [
        ClientSupport(apply_edit=True, document_changes=True, create_files=True),
        ClientSupport(apply_edit=True, document_changes=True),
        ClientSupport(apply_edit=True),
    ],
    ids=_describe,
)
async def test_an_edit_the_editor_refuses_is_reported_with_its_reason(
    tmp_path: Path, support: ClientSupport
) -> None:
    root = _project(tmp_path)
    host = FakeHost(root, support, editor_applies=False)

    with pytest.raises(UserFacingError, match=r"did not apply .*user declined"):
        await apply_plan(as_host(host), PLAN, root)

    assert (root / "app/main.py").read_text(encoding="utf-8") == MAIN
