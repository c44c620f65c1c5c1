"""Run the Pydantic V1 → V2 engine over files and folders: discovery, one result per file, pools.

The CLI (``migrate`` / ``check``) and the server's workspace command share this module. Each
file gets a ``FileResult`` — changed, unchanged, or skipped with a reason — and a file that
cannot be read or parsed never stops the others. Files without V1 markers are settled with a
substring test, without parsing. Large trees are spread over a process pool on every core.
"""

from __future__ import annotations

import ast
import difflib
import enum
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi_architect.plan import write_text_exact
from fastapi_architect.project_files import (
    DISK,
    ProjectFiles,
    SkippedFile,
    describe_read_error,
    is_skipped_directory_name,
)
from fastapi_architect.textedit import apply_edits, split_lines

if TYPE_CHECKING:
    from fastapi_architect.imports import ImportStyle
    from fastapi_architect.pydantic_v2 import Finding
    from fastapi_architect.pydantic_v2.model_index import ModelIndex, WorkspaceModels

PYTHON_SUFFIX = ".py"

PARALLEL_THRESHOLD = 24
"""Files (after the marker pre-filter) from which a process pool beats one process."""

BOM = "\ufeff"


class Status(enum.Enum):
    """What happened to one file."""

    CHANGED = "changed"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Task:
    """What to do with each file: write the migration, produce a diff, or list findings."""

    write: bool = False
    diff: bool = False
    findings: bool = False
    codes: frozenset[str] | None = None
    """Only the findings with these codes are listed or converted (None: every code)."""
    workspace: tuple[Path, ...] = ()
    """Folders whose models the files may import (``model_index``); empty: each file alone."""


def workspace_of(paths: Iterable[Path], files: ProjectFiles = DISK) -> tuple[Path, ...]:
    """The folders among the paths given on the command line: the workspace they import from."""
    return tuple(path for path in paths if files.is_dir(path))


_indexes: dict[tuple[Path, ...], ModelIndex] = {}


def model_index(roots: tuple[Path, ...]) -> ModelIndex:
    """This process's model index over ``roots`` (summaries reused across files and runs)."""
    from fastapi_architect.pydantic_v2.model_index import ModelIndex

    index = _indexes.get(roots)
    if index is None:
        _indexes.clear()  # one workspace at a time keeps memory bounded
        index = _indexes[roots] = ModelIndex(roots)
    return index


@dataclass(frozen=True)
class FileResult:
    """The outcome for one file. ``reason`` says why it was skipped (a short category) and
    ``detail`` adds the specifics (line and message of a syntax error, the OS error)."""

    path: Path
    status: Status
    reason: str | None = None
    detail: str | None = None
    diff: str | None = None
    findings: tuple[Finding, ...] = ()
    refused: int = 0
    """V1 constructs the migration left in place (each finding says why)."""
    converted_codes: tuple[str, ...] = ()
    """The code of every finding the migration converted (of a changed file)."""
    refused_codes: tuple[str, ...] = ()
    """The code of every finding left in place (``refused`` of them)."""

    def describe_skip(self) -> str:
        """``reason (detail)`` for a skipped file."""
        if self.detail:
            return f"{self.reason} ({self.detail})"
        return self.reason or "skipped"


@dataclass
class RunReport:
    """Every file's result, in path order, with the counts the summary line needs."""

    results: list[FileResult] = field(default_factory=list)

    @property
    def scanned(self) -> int:
        return len(self.results)

    @property
    def changed(self) -> list[FileResult]:
        return [r for r in self.results if r.status is Status.CHANGED]

    @property
    def skipped(self) -> list[FileResult]:
        return [r for r in self.results if r.status is Status.SKIPPED]

    @property
    def refused(self) -> int:
        """V1 validators left for a manual conversion, over every file."""
        return sum(result.refused for result in self.results)

    def skip_counts(self) -> dict[str, int]:
        """How many files were skipped for each reason, most frequent first."""
        counts: dict[str, int] = {}
        for result in self.skipped:
            key = result.reason or "skipped"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


# --- discovery ------------------------------------------------------------------------------


def is_skipped_directory(path: Path, files: ProjectFiles = DISK) -> bool:
    """True for folders a recursive scan must not enter (see ``project_files``)."""
    if is_skipped_directory_name(path.name):
        return True
    # A virtualenv or conda environment under any name.
    return files.is_file(path / "pyvenv.cfg") or files.is_dir(path / "conda-meta")


@dataclass(frozen=True)
class Discovery:
    """The Python files found, and the folders that could not be listed (as skipped results)."""

    files: list[Path]
    skipped: list[FileResult]


def discover(paths: Iterable[Path], files: ProjectFiles = DISK) -> list[Path]:
    """The Python files under ``paths``, sorted and without duplicates (see ``find_files``)."""
    return find_files(paths, files).files


def find_files(paths: Iterable[Path], files: ProjectFiles = DISK) -> Discovery:
    """The Python files under ``paths``, and every folder that could not be read.

    A file named explicitly is always included; folders are walked without following
    symlinks, skipping ``project_files.SKIPPED_DIRECTORY_NAMES``, ``*.egg-info`` and
    virtualenvs. A path given explicitly is entered even if its own name is a skipped one. An
    unreadable folder becomes a skipped result and the walk goes on with the others.
    """
    found: dict[Path, Path] = {}
    skipped: list[FileResult] = []
    for root in paths:
        if not files.is_dir(root):
            if files.exists(root):  # a file, or a special file that reading will skip
                found.setdefault(_identity(root), root)
            continue
        # Folders entered are never symlinks, so a file's real path is its folder's real
        # path plus its name; only symlinked files need resolving to find duplicates.
        pending = [(root, _identity(root))]
        while pending:
            folder, real_folder = pending.pop()
            try:
                entries = files.iterdir(folder)
            except OSError as error:
                skipped.append(
                    FileResult(
                        folder, Status.SKIPPED, "unreadable folder", describe_read_error(error)
                    )
                )
                continue
            folders: list[tuple[Path, Path]] = []
            for entry in entries:
                if files.is_dir(entry):
                    if not _is_link(entry) and not is_skipped_directory(entry, files):
                        folders.append((entry, real_folder / entry.name))
                elif entry.name.endswith(PYTHON_SUFFIX):
                    real = _identity(entry) if _is_link(entry) else real_folder / entry.name
                    found.setdefault(real, entry)
            pending.extend(reversed(folders))
    return Discovery(sorted(found.values()), skipped)


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except OSError:
        return True  # cannot tell: do not follow


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


# --- one file -------------------------------------------------------------------------------


def read_source(path: Path, files: ProjectFiles = DISK) -> str | FileResult:
    """The text of ``path``, or the ``FileResult`` explaining why it cannot be processed.

    Special files (FIFOs, devices, sockets) and files over the size limit are never opened.
    """
    try:
        return files.read_text(path)
    except UnicodeDecodeError as error:
        return FileResult(path, Status.SKIPPED, "not UTF-8", f"byte {error.start}")
    except SkippedFile as error:
        return FileResult(path, Status.SKIPPED, error.category, error.reason)
    except (OSError, ValueError) as error:
        return FileResult(path, Status.SKIPPED, "unreadable", describe_read_error(error))


def process_text(path: Path, text: str, task: Task) -> FileResult:
    """Run ``task`` on ``text`` (the content of ``path``); never raises for one bad file."""
    from fastapi_architect.imports import style_for_file
    from fastapi_architect.pydantic_v2 import find_findings, has_v1_markers
    from fastapi_architect.pydantic_v2.model_index import may_use_models

    bom = BOM if text.startswith(BOM) else ""
    source = text[len(bom) :]
    if not has_v1_markers(source) and not (task.workspace and may_use_models(source)):
        return FileResult(path, Status.UNCHANGED)
    try:
        tree = ast.parse(source) if task.workspace else None
        models = _workspace_models(path, source, tree, task)
        if not has_v1_markers(source) and not models:
            return FileResult(path, Status.UNCHANGED)
        if task.findings:
            found = find_findings(source, tree=tree, models=models)
            return FileResult(path, Status.UNCHANGED, findings=tuple(_selected(found, task.codes)))
        style = style_for_file(path.resolve())[0]
        migrated = _migrate(source, style, task.codes, models, tree)
        # Cheap: the engine caches its analysis of ``source`` from the migration just done.
        found = _selected(find_findings(source, style, tree, models), task.codes)
        left = tuple(f.code for f in found if not f.fixable)
        converted = tuple(f.code for f in found if f.fixable)
        refused = len(left)
    except SyntaxError as error:
        return FileResult(path, Status.SKIPPED, "syntax error", _syntax_error_detail(error))
    except (ValueError, RecursionError, MemoryError) as error:
        return FileResult(path, Status.SKIPPED, "not parseable", str(error) or type(error).__name__)
    except Exception as error:  # one engine bug must not stop the whole run
        return FileResult(path, Status.SKIPPED, "internal error", repr(error))
    if migrated == source:
        return FileResult(path, Status.UNCHANGED, refused=refused, refused_codes=left)
    try:
        compile(migrated, str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return FileResult(
            path,
            Status.SKIPPED,
            "internal error",
            f"the conversion would not compile ({error}); file left unchanged",
        )
    after = bom + migrated
    diff = _unified_diff(path, text, after) if task.diff else None
    if task.write:
        try:
            write_text_exact(path, after)
        except OSError as error:
            return FileResult(path, Status.SKIPPED, "unwritable", error.strerror or str(error))
    return FileResult(
        path,
        Status.CHANGED,
        diff=diff,
        refused=refused,
        converted_codes=converted,
        refused_codes=left,
    )


def _workspace_models(
    path: Path, source: str, tree: ast.Module | None, task: Task
) -> WorkspaceModels:
    """The workspace models ``path`` (``source``, parsed as ``tree``) imports; none without a
    workspace."""
    from fastapi_architect.pydantic_v2.model_index import NO_MODELS
    from fastapi_architect.pydantic_v2.rebuild_index import rebuild_index

    if not task.workspace or tree is None:
        return NO_MODELS
    models = model_index(task.workspace).models_for(path, tree, text=source)
    return rebuild_index(task.workspace).with_rebuilds(models, path, tree, text=source)


def _selected(findings: Iterable[Finding], codes: frozenset[str] | None) -> list[Finding]:
    return [finding for finding in findings if codes is None or finding.code in codes]


def _migrate(
    source: str,
    style: ImportStyle,
    codes: frozenset[str] | None,
    models: WorkspaceModels,
    tree: ast.Module | None,
) -> str:
    """``migrate_source``, or only the conversions of the findings with ``codes``."""
    from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source

    if codes is None:
        return migrate_source(source, style, models, tree)
    found = find_findings(source, style, tree, models)
    keys = [f.key for f in found if f.fixable and f.code in codes]
    return apply_edits(source, fix_edits(source, keys, style, tree, models)) if keys else source


def process_file(path: Path, task: Task) -> FileResult:
    """Read ``path`` and run ``task`` on it."""
    text = read_source(path)
    if isinstance(text, FileResult):
        return text
    return process_text(path, text, task)


def process_batch(paths: Sequence[Path], task: Task) -> list[FileResult]:
    """``process_file`` for several files (one unit of work for a pool)."""
    return [process_file(path, task) for path in paths]


def _syntax_error_detail(error: SyntaxError) -> str:
    where = f"line {error.lineno}" if error.lineno else "unknown line"
    if error.lineno and error.offset:
        where += f", column {error.offset}"
    return f"{where}: {error.msg}"


def _unified_diff(path: Path, before: str, after: str) -> str:
    """A unified diff that ``patch`` / ``git apply`` accept, also without a final newline."""
    name = path.as_posix()
    lines = difflib.unified_diff(
        split_lines(before),
        split_lines(after),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(
        line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
        for line in lines
    )


# --- many files -----------------------------------------------------------------------------


def worker_count(jobs: int | None = None) -> int:
    """The number of worker processes to use: ``jobs``, else every core."""
    if jobs is not None and jobs > 0:
        return jobs
    return os.cpu_count() or 1


def make_pool(workers: int, start_method: str | None = None) -> Executor:
    """A process pool of ``workers``; ``start_method`` ``None`` means fork where available
    (fast, for single-threaded callers such as the CLI)."""
    if start_method is None:
        start_method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    elif start_method not in multiprocessing.get_all_start_methods():
        start_method = "spawn"
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context(start_method)
    )


def batches(paths: Sequence[Path], workers: int) -> list[list[Path]]:
    """Split ``paths`` into batches small enough to balance ``workers`` and report progress."""
    size = max(1, min(16, len(paths) // (workers * 4) or 1))
    return [list(paths[index : index + size]) for index in range(0, len(paths), size)]


def prefilter(
    paths: Sequence[Path], files: ProjectFiles = DISK, workspace: bool = False
) -> tuple[list[FileResult], list[Path]]:
    """Settle files that are unreadable or have no V1 markers (and, in a ``workspace``, no
    sign of using another file's models); return them and the rest."""
    from fastapi_architect.pydantic_v2 import has_v1_markers
    from fastapi_architect.pydantic_v2.model_index import may_use_models

    settled: list[FileResult] = []
    candidates: list[Path] = []
    for path in paths:
        text = read_source(path, files)
        if isinstance(text, FileResult):
            settled.append(text)
        elif has_v1_markers(text.removeprefix(BOM)) or (
            workspace and may_use_models(text.removeprefix(BOM))
        ):
            candidates.append(path)
        else:
            settled.append(FileResult(path, Status.UNCHANGED))
    return settled, candidates


def run(
    paths: Sequence[Path],
    task: Task,
    *,
    jobs: int | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    skipped: Sequence[FileResult] = (),
    files: ProjectFiles = DISK,
) -> RunReport:
    """Run ``task`` over every file in ``paths`` (already discovered); results in path order.

    ``skipped`` (folders discovery could not list) join the results as they are. Files are
    read and pre-filtered here; those with V1 markers go to a process pool when
    there are enough of them and more than one worker, else they are processed in turn.
    """
    results: list[FileResult] = []

    def settle(result: FileResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)

    settled, candidates = prefilter(paths, files, bool(task.workspace))
    for result in (*skipped, *settled):
        settle(result)
    for result in _process_candidates(candidates, task, worker_count(jobs)):
        settle(result)
    results.sort(key=lambda result: result.path)
    return RunReport(results)


def _process_candidates(candidates: list[Path], task: Task, workers: int) -> Iterator[FileResult]:
    if workers <= 1 or len(candidates) < PARALLEL_THRESHOLD:
        for path in candidates:
            yield process_file(path, task)
        return
    with make_pool(min(workers, len(candidates))) as pool:
        for batch_result in pool.map(
            process_batch, batches(candidates, workers), itertools.repeat(task)
        ):
            yield from batch_result
