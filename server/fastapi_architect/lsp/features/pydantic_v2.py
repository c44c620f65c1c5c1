"""Pydantic V1 → V2 migration in the editor: diagnostics, quick fixes, fix-all, workspace command.

Findings are computed once per document version (``document.memo``) and shared by the
diagnostics and the code actions, so the lightbulb on every cursor move costs a dictionary
lookup. Quick fixes are lazy: they carry the finding keys in ``data`` and the edit is computed
in ``codeAction/resolve`` (the dispatcher resolves eagerly for clients that cannot; for those
the fix-all carries the ``applyPydanticFixes`` command instead, so the whole file is converted
only when chosen). Clients that drop ``Diagnostic.data`` (Emacs) get the finding recomputed from
the diagnostic's range. ``migrateWorkspace`` migrates every file of the workspace: open
documents through ``workspace/applyEdit``, closed ones on disk via the file runner.
"""

from __future__ import annotations

import asyncio
import functools
import os
import time
import uuid
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from lsprotocol import types

from fastapi_architect.lsp.features.base import CommandHandler, Feature
from fastapi_architect.lsp.guard import UserFacingError
from fastapi_architect.lsp.positions import from_lsp_position, to_lsp_range, to_lsp_text_edit
from fastapi_architect.lsp.readme_links import readme_section

if TYPE_CHECKING:
    from fastapi_architect.lsp.documents import AnalysedDocument
    from fastapi_architect.lsp.host import FeatureHost
    from fastapi_architect.pydantic_v2 import Finding
    from fastapi_architect.pydantic_v2.model_index import WorkspaceModels
    from fastapi_architect.pydantic_v2.runner import Discovery, FileResult, Status
    from fastapi_architect.textedit import TextEdit, TextPosition

SOURCE = "fastapi-architect"
README_SECTION = "pydantic-v1--v2-migration"
"""The README anchor of the migration section (``## Pydantic V1 → V2 migration``)."""
FIX_ALL_KIND = "source.fixAll.fastapi-architect"
MIGRATE_WORKSPACE_COMMAND = "fastapi-architect.migrateWorkspace"
APPLY_FIXES_COMMAND = "fastapi-architect.applyPydanticFixes"
FIX_ALL_TITLE = "Migrate all Pydantic V1 code in this file to V2"
WORKSPACE_EDIT_LABEL = "Migrate Pydantic V1 code to V2"
PROGRESS_TITLE = "Migrating Pydantic V1 code to V2"

PREFILTER_CHUNK = 64
"""Files read per step of the marker pre-filter (one progress report each at most)."""

_FINDINGS_MEMO = "pydantic_v2.findings"
_EDITS_MEMO = "pydantic_v2.edits:"


INSTALLED_CODE_FOLDERS = frozenset(
    {"site-packages", "dist-packages", ".venv", "venv", ".tox", ".nox", "node_modules"}
)
"""Documents under these folders are installed code (opened by go-to-definition): not reported."""


def is_installed_code(path: Path | None) -> bool:
    """True for a file inside a virtualenv or an installed package, which the user cannot fix."""
    return path is not None and not INSTALLED_CODE_FOLDERS.isdisjoint(path.parts)


def workspace_models(server: FeatureHost, document: AnalysedDocument) -> WorkspaceModels:
    """The models of other workspace files the document imports (open buffers over disk),
    resolved on every call: another file can make a class a model without this document
    changing (the index keeps each module's summary by its stamp, so this costs about a
    millisecond); none outside a workspace folder, so a lone file is analysed as it always was."""

    def compute(doc: AnalysedDocument) -> WorkspaceModels:
        from fastapi_architect.lsp.project_view import buffer_files
        from fastapi_architect.project_files import containing_root
        from fastapi_architect.pydantic_v2.model_index import NO_MODELS, may_use_models
        from fastapi_architect.pydantic_v2.runner import model_index

        roots = server.workspace_roots()
        path = doc.path
        if not roots or path is None or is_installed_code(path) or not may_use_models(doc.text):
            return NO_MODELS
        if containing_root(path, roots) is None:
            return NO_MODELS
        tree = doc.python_ast()
        if tree is None:
            return NO_MODELS
        from fastapi_architect.pydantic_v2.rebuild_index import rebuild_index

        files = buffer_files(server)
        models = model_index(tuple(roots)).models_for(path, tree, files, doc.text)
        return rebuild_index(tuple(roots)).with_rebuilds(models, path, tree, files, doc.text)

    return compute(document)


def _memo_key(prefix: str, models: WorkspaceModels) -> str:
    return f"{prefix}@{hash(models):x}" if models else prefix


def document_findings(
    document: AnalysedDocument, models: WorkspaceModels | None = None
) -> tuple[Finding, ...]:
    """The document's findings, computed once per version (and per set of imported
    workspace ``models``); none while it does not parse."""
    from fastapi_architect.pydantic_v2.model_index import NO_MODELS

    imported = models or NO_MODELS

    def compute(doc: AnalysedDocument) -> tuple[Finding, ...]:
        from fastapi_architect.imports import style_for_file
        from fastapi_architect.pydantic_v2 import find_findings, has_v1_markers

        if not (has_v1_markers(doc.text) or imported) or is_installed_code(doc.path):
            return ()
        # One parse per version: the engine reuses the store's tree (other features share it).
        # The style (the project's target Python) is the fix's, so titles name what it writes.
        tree = doc.python_ast()
        if tree is None:
            return ()
        style, _ = style_for_file(doc.path)
        try:
            return tuple(find_findings(doc.text, style, tree, imported))
        except (SyntaxError, ValueError, RecursionError):
            return ()

    return document.memo(_memo_key(_FINDINGS_MEMO, imported), compute)


def _fix_edits(
    document: AnalysedDocument,
    keys: Collection[str] | None,
    models: WorkspaceModels | None = None,
) -> tuple[TextEdit, ...]:
    """The engine's edits for ``keys`` (``None``: every fixable finding), once per version."""
    from fastapi_architect.pydantic_v2.model_index import NO_MODELS

    imported = models or NO_MODELS
    memo_key = _EDITS_MEMO + ("*" if keys is None else "\x1f".join(sorted(keys)))
    memo_key = _memo_key(memo_key, imported)

    def compute(doc: AnalysedDocument) -> tuple[TextEdit, ...]:
        from fastapi_architect.imports import style_for_file
        from fastapi_architect.pydantic_v2 import fix_edits

        style, _ = style_for_file(doc.path)  # the snippet feature logs an unreadable config
        wanted = None if keys is None else set(keys)
        return tuple(fix_edits(doc.text, wanted, style, doc.python_ast(), imported))

    return document.memo(memo_key, compute)


class PydanticMigrationFeature(Feature):
    """Finds Pydantic V1 code (validators, Config, Field, imports, ...) and offers its V2
    conversion."""

    name: ClassVar[str] = "pydantic_v2"
    code_action_kinds: ClassVar[Sequence[str]] = (types.CodeActionKind.QuickFix, FIX_ALL_KIND)

    def commands(self) -> Mapping[str, CommandHandler]:
        return {MIGRATE_WORKSPACE_COMMAND: migrate_workspace, APPLY_FIXES_COMMAND: apply_fixes}

    # --- diagnostics ----------------------------------------------------------------------

    def diagnostics(
        self, server: FeatureHost, document: AnalysedDocument
    ) -> Sequence[types.Diagnostic]:
        encoding = server.position_encoding
        tagged = server.support.diagnostic_tags
        models = workspace_models(server, document)
        return [
            _diagnostic(document, finding, encoding, tagged)
            for finding in document_findings(document, models)
        ]

    # --- code actions ---------------------------------------------------------------------

    def code_actions(
        self,
        server: FeatureHost,
        document: AnalysedDocument,
        params: types.CodeActionParams,
    ) -> Sequence[types.CodeAction]:
        findings = document_findings(document, workspace_models(server, document))
        fixable = [finding for finding in findings if finding.fixable]
        # Findings another file's fix resolves (PYD024) get a quick fix editing that file.
        offerable = [f for f in findings if f.fixable or f.fixed_in is not None]
        if not offerable:
            return ()
        encoding = server.position_encoding
        actions: list[types.CodeAction] = []
        offered: set[str] = set()

        # Fixes for the diagnostics the client sent back (with or without their data).
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != SOURCE or not str(diagnostic.code or "").startswith("PYD"):
                continue
            finding = _finding_for(document, findings, diagnostic, encoding)
            if finding is None or finding not in offerable or finding.key in offered:
                continue
            offered.add(finding.key)
            actions.append(_quick_fix(document, finding, diagnostic))

        # Fixes for findings under the cursor that the client did not send as context.
        start = from_lsp_position(document.lines, params.range.start, encoding)
        end = from_lsp_position(document.lines, params.range.end, encoding)
        tagged = server.support.diagnostic_tags
        for finding in offerable:
            if finding.key in offered or finding.end < start or end < finding.start:
                continue
            offered.add(finding.key)
            diagnostic = _diagnostic(document, finding, encoding, tagged)
            actions.append(_quick_fix(document, finding, diagnostic))

        if fixable:
            actions.append(
                types.CodeAction(
                    title=f"{FIX_ALL_TITLE} ({len(fixable)})",
                    kind=FIX_ALL_KIND,
                    data={"uri": document.uri, "version": document.version, "keys": None},
                )
            )
        return actions

    def resolve_code_action(
        self, server: FeatureHost, action: types.CodeAction
    ) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        keys = data.get("keys")
        if not isinstance(data.get("uri"), str) or not (
            keys is None or (isinstance(keys, list) and all(isinstance(k, str) for k in keys))
        ):
            raise UserFacingError("expected data {'uri': a string, 'keys': a list of keys or null}")
        if (
            data.get("keys") is None
            and not server.support.code_action_resolve_edit
            and server.support.apply_edit
        ):
            # A client that cannot resolve would get the whole file's fix computed on every
            # lightbulb request; a command defers that until fix-all is actually chosen.
            action.command = types.Command(
                title=action.title,
                command=APPLY_FIXES_COMMAND,
                arguments=[{"uri": data.get("uri"), "keys": None}],
            )
            return action
        edit = current_fix(server, data.get("uri"), data.get("keys"))
        if edit is not None:
            action.edit = edit
        return action


def current_fix(server: FeatureHost, uri: Any, requested: Any) -> types.WorkspaceEdit | None:
    """The edit for the findings ``requested`` (keys; ``None``: all) in the current text of
    ``uri``; ``None`` when there is nothing (left) to fix."""
    if not isinstance(uri, str):
        return None
    document = server.documents.get(uri)
    if document is None or not document.analysable:
        return None
    models = workspace_models(server, document)
    findings = document_findings(document, models)
    if isinstance(requested, list) and len(requested) == 1:
        other = next((f for f in findings if f.key == requested[0] and f.fixed_in), None)
        if other is not None:
            return _fix_in_other_file(server, other)
    fixable = {finding.key for finding in findings if finding.fixable}
    keys: list[str] | None = None
    if requested is not None:
        # Keys of findings that an edit since the action was offered removed are dropped.
        keys = [key for key in requested if isinstance(key, str) and key in fixable]
    if not fixable or keys == []:
        return None
    edits = _fix_edits(document, keys, models)
    return _workspace_edit(server, document, edits) if edits else None


def _fix_in_other_file(server: FeatureHost, finding: Finding) -> types.WorkspaceEdit | None:
    """The edit of the finding in another workspace file whose fix resolves ``finding``,
    computed on that file's current text (its buffer when open, else the disk)."""
    from pygls.uris import from_fs_path

    from fastapi_architect.project_files import containing_root

    if finding.fixed_in is None:
        return None
    path, key = Path(finding.fixed_in[0]), finding.fixed_in[1]
    if containing_root(path, server.workspace_roots()) is None:
        return None
    uri = _open_documents(server).get(path.resolve()) or from_fs_path(str(path))
    document = server.documents.get(uri) if uri else None
    if document is None or not document.analysable:
        return None
    models = workspace_models(server, document)
    if key not in {f.key for f in document_findings(document, models) if f.fixable}:
        return None
    edits = _fix_edits(document, [key], models)
    return _workspace_edit(server, document, edits) if edits else None


async def apply_fixes(server: FeatureHost, arguments: Sequence[Any]) -> dict[str, bool]:
    """``fastapi-architect.applyPydanticFixes``: ``[{"uri": ..., "keys": [...] | null}]``.

    Computes the fix on the current text and sends it with ``workspace/applyEdit``; the
    fix-all action carries it for clients that cannot resolve code actions. A file that is not
    open must lie inside a workspace folder (or carry ``confirmedOutsideWorkspace``).
    """
    from fastapi_architect.lsp.boundary import argument_path, check_writable, confirmed_outside

    options = arguments[0] if arguments else None
    if not isinstance(options, dict) or not isinstance(options.get("uri"), str):
        raise UserFacingError('expected [{"uri": "file:///...", "keys": null}]')
    uri = options["uri"]
    if uri not in server.workspace.text_documents:
        # A closed file is written through the editor: the workspace boundary applies.
        path = argument_path(uri, "uri", None)
        check_writable(path, server.workspace_roots(), confirmed_outside(options), "the file")
    edit = current_fix(server, uri, options.get("keys"))
    if edit is None:
        return {"applied": False}
    result = await server.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=FIX_ALL_TITLE)
    )
    if not result.applied:
        raise UserFacingError(
            f"the editor did not apply the fix: {result.failure_reason or 'no reason given'}"
        )
    return {"applied": True}


# --- building LSP values ------------------------------------------------------------------------


def _diagnostic(
    document: AnalysedDocument, finding: Finding, encoding: str, tagged: bool
) -> types.Diagnostic:
    return types.Diagnostic(
        range=to_lsp_range(document.lines, finding.start, finding.end, encoding),
        message=finding.message,
        severity=types.DiagnosticSeverity.Warning,
        code=finding.code,
        code_description=readme_section(README_SECTION),
        source=SOURCE,
        tags=[types.DiagnosticTag.Deprecated] if tagged else None,
        data={"key": finding.key, "fixable": finding.fixable, "version": document.version},
    )


def _quick_fix(
    document: AnalysedDocument, finding: Finding, diagnostic: types.Diagnostic
) -> types.CodeAction:
    return types.CodeAction(
        title=finding.title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=True,
        data={"uri": document.uri, "version": document.version, "keys": [finding.key]},
    )


def _finding_for(
    document: AnalysedDocument,
    findings: Sequence[Finding],
    diagnostic: types.Diagnostic,
    encoding: str,
) -> Finding | None:
    """The finding a diagnostic stands for: by its ``data`` key, else by its range and code."""
    data = diagnostic.data
    if isinstance(data, dict):
        key = data.get("key")
        match = next((finding for finding in findings if finding.key == key), None)
        if match is not None:
            return match
    start = from_lsp_position(document.lines, diagnostic.range.start, encoding)
    same_code = [f for f in findings if diagnostic.code is None or f.code == diagnostic.code]
    exact = next((f for f in same_code if f.start == start), None)
    if exact is not None:
        return exact
    return next((f for f in same_code if _contains(f, start)), None)


def _contains(finding: Finding, position: TextPosition) -> bool:
    return finding.start <= position <= finding.end


def _workspace_edit(
    server: FeatureHost, document: AnalysedDocument, edits: Sequence[TextEdit]
) -> types.WorkspaceEdit:
    encoding = server.position_encoding
    lsp_edits = [to_lsp_text_edit(document.lines, edit, encoding) for edit in edits]
    if server.support.document_changes:
        return types.WorkspaceEdit(
            document_changes=[_text_document_edit(document, lsp_edits)],
        )
    return types.WorkspaceEdit(changes={document.uri: lsp_edits})


def _text_document_edit(
    document: AnalysedDocument, lsp_edits: Sequence[types.TextEdit]
) -> types.TextDocumentEdit:
    return types.TextDocumentEdit(
        text_document=types.OptionalVersionedTextDocumentIdentifier(
            uri=document.uri, version=document.version
        ),
        edits=list(lsp_edits),
    )


# --- the workspace command ----------------------------------------------------------------------


@dataclass
class _Progress:
    """Progress through ``window/workDoneProgress`` when the client has it, else the log.

    ``begin`` goes out before the workspace is listed, so the bar shows at once; ``start``
    sets the number of files once they are known. Reports name the last file settled.
    """

    server: FeatureHost
    title: str
    roots: Sequence[Path] = ()
    total: int = 0
    done: int = 0
    current: str = ""
    token: str | None = None
    _last_sent: float = 0.0
    _last_logged_tenth: int = 0

    async def begin(self) -> None:
        if not self.server.support.work_done_progress:
            return
        token = f"fastapi-architect/migrate/{uuid.uuid4()}"
        try:
            await self.server.work_done_progress.create_async(token)
        except Exception as error:
            self.server.log(f"progress unavailable ({error!r}); logging instead")
            return
        self.token = token
        self.server.work_done_progress.begin(
            token,
            types.WorkDoneProgressBegin(
                title=self.title, message="listing the Python files", percentage=0, cancellable=True
            ),
        )

    @property
    def cancelled(self) -> bool:
        """True once the user cancelled the progress (pygls cancels the token's future)."""
        if self.token is None:
            return False
        tokens = getattr(self.server.work_done_progress, "tokens", None)
        future = tokens.get(self.token) if isinstance(tokens, dict) else None
        return bool(future is not None and future.cancelled())

    def start(self, total: int) -> None:
        """The files are listed: ``total`` of them to settle."""
        self.total = total
        if self.token is None:
            self.server.log(f"{self.title}: {total} files to scan", types.MessageType.Info)

    def advance(self, count: int, last: Path | None = None) -> None:
        self.done += count
        if last is not None:
            self.current = self._display(last)
        if self.token is not None:
            now = time.monotonic()
            if now - self._last_sent >= 0.1 or self.done >= self.total:
                self._last_sent = now
                self.server.work_done_progress.report(
                    self.token,
                    types.WorkDoneProgressReport(
                        message=self._message(), percentage=self._percentage()
                    ),
                )
            return
        tenth = self._percentage() // 10
        if tenth > self._last_logged_tenth:
            self._last_logged_tenth = tenth
            self.server.log(
                f"{self.title}: {self._message()} ({self._percentage()}%)", types.MessageType.Info
            )

    def end(self, summary: str) -> None:
        if self.token is not None:
            self.server.work_done_progress.end(
                self.token, types.WorkDoneProgressEnd(message=summary)
            )
        else:
            self.server.log(f"{self.title}: done: {summary}", types.MessageType.Info)

    def _display(self, path: Path) -> str:
        """``path`` relative to the workspace folder holding it (else as given)."""
        for root in self.roots:
            try:
                return path.relative_to(root).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    def _message(self) -> str:
        counted = f"{self.done}/{self.total} files"
        return f"{counted}: {self.current}" if self.current else counted

    def _percentage(self) -> int:
        return 100 if self.total == 0 else min(100, self.done * 100 // self.total)


@dataclass
class _Tally:
    """Per-file outcomes of the workspace command."""

    scanned: int = 0
    changed: int = 0
    cancelled_at: tuple[int, int] | None = None
    """``(files settled, files found)`` when the user cancelled the run."""
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    converted: Counter[str] = field(default_factory=Counter)
    """Conversions made, by finding code."""
    left: Counter[str] = field(default_factory=Counter)
    """Findings left for a manual conversion, by code."""

    def add(self, result: FileResult) -> None:
        from fastapi_architect.pydantic_v2.runner import Status

        self.scanned += 1
        self.left.update(result.refused_codes)
        if result.status is Status.CHANGED:
            self.changed += 1
            self.converted.update(result.converted_codes)
        elif result.status is Status.SKIPPED:
            self.skipped.append((result.path, result.describe_skip()))

    def summary(self) -> str:
        """``N files scanned, N changed, N skipped; N conversions (PYD001: 2, ...); N findings
        left for a manual conversion (PYD011: 1; see the warnings)``."""
        text = f"{self.scanned} files scanned, {self.changed} changed, {len(self.skipped)} skipped"
        if self.cancelled_at is not None:
            done, total = self.cancelled_at
            text = f"cancelled after {done} of {total} files: {text}"
        if self.skipped:
            text += " (see the output log)"
        if self.converted:
            total = sum(self.converted.values())
            noun = "conversion" if total == 1 else "conversions"
            text += f"; {total} {noun} ({_by_code(self.converted)})"
        if self.left:
            total = sum(self.left.values())
            noun = "finding" if total == 1 else "findings"
            text += (
                f"; {total} {noun} left for a manual conversion "
                f"({_by_code(self.left)}; see the warnings)"
            )
        return text


def _by_code(counts: Counter[str]) -> str:
    return ", ".join(f"{code}: {count}" for code, count in sorted(counts.items()))


async def migrate_workspace(server: FeatureHost, arguments: Sequence[Any]) -> dict[str, int]:
    """``fastapi-architect.migrateWorkspace``: migrate every ``.py`` file of the workspace.

    Open documents are edited through one ``workspace/applyEdit`` (so their buffers and undo
    stay right); closed files are rewritten on disk, across a process pool for large trees.
    """
    from fastapi_architect.project_files import containing_root

    roots = _requested_paths(server, arguments)
    workspace_roots = server.workspace_roots()
    loop = asyncio.get_running_loop()
    # The files are listed (and the engine imported, on a first run) while the progress bar
    # is created: it shows before they are known.
    listing = loop.run_in_executor(None, _find_files, roots)
    progress = _Progress(server, PROGRESS_TITLE, workspace_roots)
    await progress.begin()
    found = await listing
    from fastapi_architect.pydantic_v2 import runner

    files = found.files
    progress.start(len(files))
    open_paths = _open_documents(server)
    tally = _Tally()
    for unreadable in found.skipped:
        tally.add(unreadable)

    opened: list[tuple[Path, str]] = []
    closed: list[Path] = []
    for path in files:
        resolved = path.resolve()
        if containing_root(path, workspace_roots) is None:
            tally.add(runner.FileResult(path, runner.Status.SKIPPED, "outside the workspace"))
            progress.advance(1, path)
        elif resolved in open_paths:
            opened.append((path, open_paths[resolved]))
        else:
            closed.append(path)

    candidates: list[Path] = []
    for index in range(0, len(closed), PREFILTER_CHUNK):
        if progress.cancelled:
            break
        # In chunks, so the progress names files while the markers are searched for.
        chunk = closed[index : index + PREFILTER_CHUNK]
        progress.advance(0, chunk[0])  # the file being read (the first read imports the engine)
        settled, kept = await loop.run_in_executor(
            None, functools.partial(runner.prefilter, chunk, workspace=True)
        )
        for result in settled:
            tally.add(result)
        candidates.extend(kept)
        progress.advance(len(settled), chunk[-1])
    if not progress.cancelled:
        await _migrate_closed_files(server, candidates, tally, progress)
    if not progress.cancelled:
        await _migrate_open_documents(server, opened, tally, progress)
    if progress.cancelled:
        # Files settled so far keep their migration (each is written whole); the rest stay V1.
        tally.cancelled_at = (progress.done, progress.total)

    summary = tally.summary()
    for path, reason in tally.skipped:
        server.log(f"Pydantic V2 migration skipped {path}: {reason}", types.MessageType.Info)
    progress.end(summary)
    server.show_message(f"FastAPI Architect: Pydantic V2 migration: {summary}.")
    outcome = {"scanned": tally.scanned, "changed": tally.changed, "skipped": len(tally.skipped)}
    if tally.cancelled_at is not None:
        outcome["cancelled"] = 1
    return outcome


def _find_files(roots: list[Path]) -> Discovery:
    from fastapi_architect.pydantic_v2 import runner

    return runner.find_files(roots)


def _requested_paths(server: FeatureHost, arguments: Sequence[Any]) -> list[Path]:
    roots = server.workspace_roots()
    if not roots:
        raise UserFacingError("open a workspace folder to migrate it")
    if not arguments:
        return roots
    options = arguments[0]
    requested = options.get("paths") if isinstance(options, dict) else None
    if not isinstance(options, dict) or not isinstance(requested, (list, type(None))):
        raise UserFacingError('expected no arguments or [{"paths": ["file or folder", ...]}]')
    if not requested:
        return roots
    from fastapi_architect.lsp.boundary import argument_path
    from fastapi_architect.project_files import containing_root

    paths: list[Path] = []
    for raw in requested:
        path = argument_path(raw, "paths", base=roots[0])
        if containing_root(path, roots) is None:
            raise UserFacingError(f"{raw} is outside the workspace")
        if not os.path.lexists(path):
            raise UserFacingError(f"{raw} does not exist")
        paths.append(path)
    return paths


def _open_documents(server: FeatureHost) -> dict[Path, str]:
    from pygls.uris import to_fs_path

    found: dict[Path, str] = {}
    for uri in list(server.workspace.text_documents):
        path = to_fs_path(uri)
        if path:
            found[Path(path).resolve()] = uri
    return found


async def _migrate_closed_files(
    server: FeatureHost, candidates: list[Path], tally: _Tally, progress: _Progress
) -> None:
    from fastapi_architect.pydantic_v2 import runner

    if not candidates:
        return
    loop = asyncio.get_running_loop()
    workers = runner.worker_count()
    pool = None
    if workers > 1 and len(candidates) >= runner.PARALLEL_THRESHOLD:
        # The server has threads: fork-free start methods only.
        workers = min(workers, len(candidates))
        pool = runner.make_pool(workers, start_method="forkserver")
        server.log(f"Pydantic V2 migration: {len(candidates)} files over {workers} processes")
    task = runner.Task(write=True, workspace=tuple(server.workspace_roots()))
    executor = pool if pool is not None else ThreadPoolExecutor(max_workers=1)
    try:
        submitted = [
            executor.submit(runner.process_batch, batch, task)
            for batch in runner.batches(candidates, workers)
        ]
        remaining = {asyncio.wrap_future(future, loop=loop) for future in submitted}
        while remaining:
            done, remaining = await asyncio.wait(remaining, return_when=asyncio.FIRST_COMPLETED)
            if progress.cancelled and remaining:
                for batch in submitted:
                    batch.cancel()  # only batches not started yet
                # Batches already running finish their files: they are counted too.
                finished, _ = await asyncio.wait(remaining)
                done |= {batch for batch in finished if not batch.cancelled()}
                remaining = set()
            for completed in done:
                results = completed.result()
                for result in results:
                    tally.add(result)
                progress.advance(len(results), results[-1].path if results else None)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


async def _migrate_open_documents(
    server: FeatureHost, opened: list[tuple[Path, str]], tally: _Tally, progress: _Progress
) -> None:
    from fastapi_architect.pydantic_v2.runner import FileResult, Status

    if not opened:
        return
    loop = asyncio.get_running_loop()
    encoding = server.position_encoding
    planned: list[tuple[Path, AnalysedDocument, list[types.TextEdit]]] = []
    imported: dict[str, WorkspaceModels] = {}
    for path, uri in opened:
        document = server.documents.get(uri)
        if document is not None and document.analysable:
            imported[uri] = models = workspace_models(server, document)
        if document is None or not document.analysable:
            tally.add(FileResult(path, Status.SKIPPED, "unreadable or too large"))
        elif document.python_ast() is None:
            error = document.syntax_error()
            line = f"line {error.lineno}: {error.msg}" if error and error.lineno else None
            tally.add(FileResult(path, Status.SKIPPED, "syntax error", line))
        elif not any(f.fixable for f in document_findings(document, models)):
            tally.add(_result(path, Status.UNCHANGED, document, models))
        elif not server.support.apply_edit:
            tally.add(FileResult(path, Status.SKIPPED, "open in an editor that cannot apply edits"))
        else:
            edits = await loop.run_in_executor(None, _fix_edits, document, None, models)
            lsp_edits = [to_lsp_text_edit(document.lines, edit, encoding) for edit in edits]
            planned.append((path, document, lsp_edits))
        progress.advance(1, path)
    for path, document, document_edits in planned:
        if not document_edits:
            tally.add(_result(path, Status.UNCHANGED, document, imported.get(document.uri)))
    planned = [entry for entry in planned if entry[2]]
    if not planned:
        return
    if server.support.document_changes:
        edit = types.WorkspaceEdit(
            document_changes=[_text_document_edit(doc, edits) for _, doc, edits in planned]
        )
    else:
        edit = types.WorkspaceEdit(changes={doc.uri: edits for _, doc, edits in planned})
    try:
        result = await server.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(edit=edit, label=WORKSPACE_EDIT_LABEL)
        )
        applied, reason = result.applied, result.failure_reason
    except Exception as error:
        applied, reason = False, repr(error)
    for path, document, _ in planned:
        if applied:
            tally.add(_result(path, Status.CHANGED, document, imported.get(document.uri)))
        else:
            tally.add(FileResult(path, Status.SKIPPED, "the editor did not apply the edit", reason))


def _result(
    path: Path, status: Status, document: AnalysedDocument, models: WorkspaceModels | None
) -> FileResult:
    """The outcome for an open document, with the codes of its converted and left findings."""
    from fastapi_architect.pydantic_v2.runner import FileResult, Status

    findings = document_findings(document, models)
    left = tuple(finding.code for finding in findings if not finding.fixable)
    converted = tuple(finding.code for finding in findings if finding.fixable)
    return FileResult(
        path,
        status,
        refused=len(left),
        converted_codes=converted if status is Status.CHANGED else (),
        refused_codes=left,
    )
