"""Multi-file change plans and their safe application to disk.

Engines that touch several files (scaffold, add-resource, extract) return a ``ChangePlan``:
files to create and edits to existing files. The CLI and the language server (when the client
cannot create files itself) write a plan with ``write_plan``, which never writes outside the
root, never overwrites without being told to, and rolls back everything it wrote on failure.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from fastapi_architect.textedit import TextEdit, apply_edits


class PlanError(Exception):
    """A plan cannot be applied; the message is meant for the user."""


@dataclass(frozen=True)
class GeneratedFile:
    """A new file: its path relative to the plan's root and its full content."""

    path: PurePosixPath
    content: str
    executable: bool = False


@dataclass(frozen=True)
class FileEdit:
    """Edits to an existing file, relative to the plan's root."""

    path: PurePosixPath
    edits: Sequence[TextEdit]


@dataclass(frozen=True)
class ChangePlan:
    """Everything one command changes, with a label for the undo / preview UI."""

    label: str
    creates: Sequence[GeneratedFile] = field(default_factory=tuple)
    edits: Sequence[FileEdit] = field(default_factory=tuple)

    def paths(self) -> list[PurePosixPath]:
        """All paths the plan touches, created ones first."""
        return [f.path for f in self.creates] + [e.path for e in self.edits]


def resolve_inside(root: Path, relative: PurePosixPath) -> Path:
    """Return ``root / relative``, refusing anything that escapes ``root``."""
    if relative.is_absolute() or ".." in relative.parts:
        raise PlanError(f"refusing to write outside {root}: {relative}")
    target = (root / Path(*relative.parts)).resolve()
    resolved_root = root.resolve()
    if target != resolved_root and resolved_root not in target.parents:
        raise PlanError(f"refusing to write outside {root}: {relative}")
    return target


def read_text_exact(path: Path) -> str:
    """Read a UTF-8 text file keeping its line endings exactly as they are on disk."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def write_text_exact(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` without translating line endings, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        temp_path = Path(temp_name)
        temp_path.chmod(path.stat().st_mode & 0o777 if path.exists() else 0o644)
        temp_path.replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_plan(plan: ChangePlan, root: Path, *, overwrite: bool = False) -> list[Path]:
    """Write ``plan`` under ``root`` and return the paths written.

    Everything is computed and checked before the first write; if a write fails, files created
    by this call are removed and edited files are restored, then ``PlanError`` is raised.
    """
    created = [(resolve_inside(root, f.path), f) for f in plan.creates]
    edited: list[tuple[Path, str, str]] = []
    existing = [str(path) for path, _ in created if path.exists()]
    if existing and not overwrite:
        raise PlanError("refusing to overwrite existing files: " + ", ".join(sorted(existing)))
    for change in plan.edits:
        path = resolve_inside(root, change.path)
        try:
            before = read_text_exact(path)
        except (OSError, UnicodeDecodeError) as error:
            raise PlanError(f"cannot read {path}: {error}") from error
        edited.append((path, before, apply_edits(before, change.edits)))

    new_dirs: list[Path] = []
    new_files: list[Path] = []
    restored: list[tuple[Path, str | bytes]] = []
    try:
        for path, generated in created:
            for parent in reversed(path.parents):
                if not parent.exists():
                    parent.mkdir()
                    new_dirs.append(parent)
            if path.exists():
                before_bytes = path.read_bytes()
                write_text_exact(path, generated.content)
                restored.append((path, before_bytes))
            else:
                write_text_exact(path, generated.content)
                new_files.append(path)
            if generated.executable:
                path.chmod(0o755)
        for path, before, after in edited:
            write_text_exact(path, after)
            restored.append((path, before))
    except OSError as error:
        _roll_back(new_files, restored, new_dirs)
        raise PlanError(f"writing failed, nothing was kept: {error}") from error
    return [path for path, _ in created] + [path for path, _, _ in edited]


def _roll_back(
    new_files: list[Path], restored: list[tuple[Path, str | bytes]], new_dirs: list[Path]
) -> None:
    """Undo a partial ``write_plan``: best effort, one failure never stops the others."""
    for path in new_files:
        with contextlib.suppress(OSError):
            path.unlink()
    for path, content in restored:
        with contextlib.suppress(OSError):
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                write_text_exact(path, content)
    for directory in reversed(new_dirs):
        with contextlib.suppress(OSError):
            directory.rmdir()
