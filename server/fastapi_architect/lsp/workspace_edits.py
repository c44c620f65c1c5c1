"""Turn an engine's ``ChangePlan`` into one ``WorkspaceEdit``, or write it for the client.

Clients with ``documentChanges`` + ``CreateFile`` get a single ``workspace/applyEdit`` with a
change annotation (VS Code previews it). Clients without resource operations get the new
files written directly (inside the workspace only) and the edits to existing files sent as a
``workspace/applyEdit`` when possible, so open buffers stay in sync.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import from_fs_path

from fastapi_architect.lsp.guard import UserFacingError
from fastapi_architect.lsp.positions import to_lsp_text_edit
from fastapi_architect.plan import ChangePlan, FileEdit, PlanError, resolve_inside, write_plan
from fastapi_architect.textedit import split_lines

if TYPE_CHECKING:
    from fastapi_architect.lsp.host import FeatureHost

ANNOTATION_ID = "fastapi-architect"


def path_uri(path: Path) -> str:
    """The ``file://`` URI of a local path."""
    uri: str | None = from_fs_path(str(path))
    if uri is None:
        raise UserFacingError(f"cannot express {path} as a URI")
    return uri


def _text_document_edits(
    server: FeatureHost, root: Path, edits: Sequence[FileEdit], annotate: bool
) -> list[types.TextDocumentEdit]:
    encoding = server.position_encoding
    result: list[types.TextDocumentEdit] = []
    for change in edits:
        path = resolve_inside(root, change.path)
        uri = path_uri(path)
        document = server.documents.get(uri)
        if document is None:
            raise UserFacingError(f"cannot read {path}")
        lsp_edits: list[types.TextEdit | types.AnnotatedTextEdit] = []
        for edit in change.edits:
            plain = to_lsp_text_edit(document.lines, edit, encoding)
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
                    uri=uri, version=document.version
                ),
                edits=lsp_edits,
            )
        )
    return result


def plan_to_workspace_edit(
    server: FeatureHost, plan: ChangePlan, root: Path
) -> types.WorkspaceEdit:
    """One ``WorkspaceEdit`` with ``CreateFile`` + ``TextDocumentEdit``s for ``plan``."""
    annotate = server.support.change_annotations
    changes: list[
        types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile
    ] = []
    for generated in plan.creates:
        uri = path_uri(resolve_inside(root, generated.path))
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
    changes.extend(_text_document_edits(server, root, plan.edits, annotate))
    return types.WorkspaceEdit(
        document_changes=changes,
        change_annotations=(
            {ANNOTATION_ID: types.ChangeAnnotation(label=plan.label, needs_confirmation=False)}
            if annotate
            else None
        ),
    )


async def apply_plan(server: FeatureHost, plan: ChangePlan, root: Path) -> list[Path]:
    """Apply ``plan`` under ``root`` the best way this client allows; return touched paths."""
    support = server.support
    paths = [resolve_inside(root, path) for path in plan.paths()]
    if support.apply_edit and support.create_files:
        edit = plan_to_workspace_edit(server, plan, root)
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
            edit = _edits_only(server, plan, root)
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


def _edits_only(server: FeatureHost, plan: ChangePlan, root: Path) -> types.WorkspaceEdit:
    if server.support.document_changes:
        return types.WorkspaceEdit(
            document_changes=list(_text_document_edits(server, root, plan.edits, annotate=False))
        )
    encoding = server.position_encoding
    changes: dict[str, list[types.TextEdit]] = {}
    for change in plan.edits:
        path = resolve_inside(root, change.path)
        uri = path_uri(path)
        document = server.documents.get(uri)
        lines = document.lines if document is not None else split_lines("")
        changes[uri] = [to_lsp_text_edit(lines, edit, encoding) for edit in change.edits]
    return types.WorkspaceEdit(changes=changes)
