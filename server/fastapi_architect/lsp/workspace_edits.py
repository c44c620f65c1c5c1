"""Turn an engine's ``ChangePlan`` into one ``WorkspaceEdit``, or write it for the client.

Clients with ``documentChanges`` + ``CreateFile`` get a single ``workspace/applyEdit`` with a
change annotation (VS Code previews it). Clients without resource operations get the new
files written directly (inside the workspace only) and the edits to existing files sent as a
``workspace/applyEdit`` when possible, so open buffers stay in sync.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import from_fs_path

from fastapi_architect.lsp.guard import UserFacingError
from fastapi_architect.lsp.positions import to_lsp_text_edit
from fastapi_architect.plan import ChangePlan, FileEdit, PlanError, resolve_inside, write_plan
from fastapi_architect.textedit import split_lines

if TYPE_CHECKING:
    from fastapi_architect.lsp.host import FeatureHost
    from fastapi_architect.project_files import BufferFiles, ProjectFiles

PLAN_ATTEMPTS = 3
"""How often a plan is recomputed when a file it read changes while it is being computed."""

ANNOTATION_ID = "fastapi-architect"


def path_uri(path: Path) -> str:
    """The ``file://`` URI of a local path."""
    uri: str | None = from_fs_path(str(path))
    if uri is None:
        raise UserFacingError(f"cannot express {path} as a URI")
    return uri


def _inside(root: Path, relative: PurePosixPath) -> Path:
    try:
        return resolve_inside(root, relative)
    except PlanError as error:
        raise UserFacingError(str(error)) from error


def _computed_from(
    server: FeatureHost, path: Path, view: BufferFiles | None
) -> tuple[str, int | None, list[str]]:
    """``(uri, version, lines)`` of the text the plan's edits to ``path`` were computed on."""
    read = view.reads.get(path) if view is not None else None
    if read is not None:
        uri = read.buffer.uri if read.buffer is not None else path_uri(path)
        version = read.buffer.version if read.buffer is not None else None
        return uri, version, split_lines(read.text)
    uri = path_uri(path)
    document = server.documents.get(uri)
    if document is None:
        raise UserFacingError(f"cannot read {path}")
    return uri, document.version, document.lines


def _text_document_edits(
    server: FeatureHost,
    root: Path,
    edits: Sequence[FileEdit],
    annotate: bool,
    view: BufferFiles | None = None,
) -> list[types.TextDocumentEdit]:
    encoding = server.position_encoding
    result: list[types.TextDocumentEdit] = []
    for change in edits:
        path = _inside(root, change.path)
        uri, version, lines = _computed_from(server, path, view)
        lsp_edits: list[types.TextEdit | types.AnnotatedTextEdit] = []
        for edit in change.edits:
            plain = to_lsp_text_edit(lines, edit, encoding)
            lsp_edits.append(
                types.AnnotatedTextEdit(
                    range=plain.range, new_text=plain.new_text, annotation_id=ANNOTATION_ID
                )
                if annotate
                else plain
            )
        result.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=version
                ),
                edits=lsp_edits,
            )
        )
    return result


def plan_to_workspace_edit(
    server: FeatureHost, plan: ChangePlan, root: Path, view: BufferFiles | None = None
) -> types.WorkspaceEdit:
    """One ``WorkspaceEdit`` with ``CreateFile`` + ``TextDocumentEdit``s for ``plan``.

    Edits to existing files carry the version of the buffer ``view`` read them from.
    """
    annotate = server.support.change_annotations
    changes: list[
        types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile
    ] = []
    for generated in plan.creates:
        uri = path_uri(_inside(root, generated.path))
        changes.append(
            types.CreateFile(
                uri=uri,
                options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False),
                annotation_id=ANNOTATION_ID if annotate else None,
            )
        )
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[
                    types.TextEdit(
                        range=types.Range(
                            start=types.Position(line=0, character=0),
                            end=types.Position(line=0, character=0),
                        ),
                        new_text=generated.content,
                    )
                ],
            )
        )
    changes.extend(_text_document_edits(server, root, plan.edits, annotate, view))
    return types.WorkspaceEdit(
        document_changes=changes,
        change_annotations=(
            {ANNOTATION_ID: types.ChangeAnnotation(label=plan.label, needs_confirmation=False)}
            if annotate
            else None
        ),
    )


async def plan_and_apply(
    server: FeatureHost, root: Path, make_plan: Callable[[ProjectFiles], ChangePlan]
) -> tuple[ChangePlan, list[Path]]:
    """Compute ``make_plan`` (in a worker thread) on the editor's buffers and apply it.

    When a file the plan read changes while it is computed, the plan is recomputed; after
    ``PLAN_ATTEMPTS`` tries the command is refused — a stale edit is never sent.
    """
    from fastapi_architect.lsp.project_view import buffer_files, moved_on

    for _ in range(PLAN_ATTEMPTS):
        view = buffer_files(server)
        plan = await asyncio.to_thread(make_plan, view)
        if not moved_on(server, view):
            return plan, await apply_plan(server, plan, root, view)
    raise UserFacingError(
        "the files kept changing while the change was computed; nothing was applied, try again"
    )


async def apply_plan(
    server: FeatureHost, plan: ChangePlan, root: Path, view: BufferFiles | None = None
) -> list[Path]:
    """Apply ``plan`` under ``root`` the best way this client allows; return touched paths.

    ``view`` is what the plan was computed from: its edits carry those buffers' versions.
    """
    support = server.support
    paths = [_inside(root, path) for path in plan.paths()]
    if support.apply_edit and support.create_files:
        edit = plan_to_workspace_edit(server, plan, root, view)
        result = await server.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(edit=edit, label=plan.label)
        )
        if not result.applied:
            raise UserFacingError(
                f"the editor did not apply the change: {result.failure_reason or 'no reason given'}"
            )
        return paths

    # No resource operations: write new files ourselves, send edits to existing files.
    try:
        write_plan(ChangePlan(label=plan.label, creates=plan.creates), root)
    except PlanError as error:
        raise UserFacingError(str(error)) from error
    if plan.edits:
        if support.apply_edit:
            edit = _edits_only(server, plan, root, view)
            result = await server.workspace_apply_edit_async(
                types.ApplyWorkspaceEditParams(edit=edit, label=plan.label)
            )
            if not result.applied:
                raise UserFacingError(
                    "new files were written but the editor did not apply the edits: "
                    f"{result.failure_reason or 'no reason given'}"
                )
        else:
            try:
                write_plan(ChangePlan(label=plan.label, edits=plan.edits), root)
            except PlanError as error:
                raise UserFacingError(str(error)) from error
    return paths


def _edits_only(
    server: FeatureHost, plan: ChangePlan, root: Path, view: BufferFiles | None
) -> types.WorkspaceEdit:
    if server.support.document_changes:
        return types.WorkspaceEdit(
            document_changes=list(
                _text_document_edits(server, root, plan.edits, annotate=False, view=view)
            )
        )
    encoding = server.position_encoding
    changes: dict[str, list[types.TextEdit]] = {}
    for change in plan.edits:
        path = _inside(root, change.path)
        uri, _, lines = _computed_from(server, path, view)
        changes[uri] = [to_lsp_text_edit(lines, edit, encoding) for edit in change.edits]
    return types.WorkspaceEdit(changes=changes)
