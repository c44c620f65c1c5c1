"""Check many files at once (the command line): FA103–FA107 per module, FA101/FA102 from the
route index built over the same project."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from fastapi_architect.layers.codes import CODES, SHADOWED_ROUTE, UNINCLUDED_ROUTER
from fastapi_architect.layers.engine import check_module
from fastapi_architect.layers.model import LayerFinding
from fastapi_architect.layers.project import LayerProject
from fastapi_architect.project_files import DISK, ProjectFiles, read_text_or_none
from fastapi_architect.textedit import TextPosition


@dataclass(frozen=True)
class FileFinding:
    """A finding with the file it is in."""

    path: Path
    finding: LayerFinding


PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
"""Files that mark a project's root folder."""


def project_root(paths: Sequence[Path]) -> Path:
    """The project the checked paths belong to: the nearest folder above them holding a
    ``pyproject.toml``/``setup.cfg``/``setup.py``/``.git``, else the folder above their
    outermost package, else the folder they share."""
    folders = [path.resolve() if path.is_dir() else path.resolve().parent for path in paths]
    shared = Path(os.path.commonpath([str(folder) for folder in folders]))
    for folder in (shared, *shared.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    folder = shared
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder


def check_files(
    files: Sequence[Path],
    root: Path,
    codes: Collection[str] | None = None,
    view: ProjectFiles = DISK,
) -> list[FileFinding]:
    """Every FA finding of ``files`` (``codes``: only these), sorted by path and position.

    Files that cannot be read or parsed have none (the Pydantic pass reports them).
    """
    wanted = frozenset(CODES if codes is None else codes)
    project = LayerProject(view, root)
    found: list[FileFinding] = []
    for path in files:
        text = read_text_or_none(view, path)
        if text is None:
            continue
        resolved = path.resolve()
        found.extend(
            FileFinding(path, finding)
            for finding in check_module(project, resolved, text, codes=wanted)
        )
    if wanted & {UNINCLUDED_ROUTER, SHADOWED_ROUTE}:
        found.extend(_route_findings(files, root, wanted, view))
    found.sort(key=lambda f: (str(f.path), f.finding.start.line, f.finding.start.column))
    return found


def _route_findings(
    files: Sequence[Path], root: Path, wanted: frozenset[str], view: ProjectFiles
) -> list[FileFinding]:
    from fastapi_architect.routes import RouteIndex, Span
    from fastapi_architect.snippets.workspace_index import python_files

    checked: dict[str, Path] = {}
    for path in files:
        try:
            checked[path.resolve().relative_to(root).as_posix()] = path
        except ValueError:
            continue
    # The whole project is indexed (an include in an unchecked file still counts).
    project = {Path(entry.path).relative_to(root).as_posix() for entry in python_files(root)}
    index = RouteIndex(lambda relative: read_text_or_none(view, root / relative))
    index.sync({relative: 0 for relative in project | set(checked)})

    def at(span: Span) -> tuple[TextPosition, TextPosition]:
        return (
            TextPosition(span.start_line, span.start_column),
            TextPosition(span.end_line, span.end_column),
        )

    found: list[FileFinding] = []
    if UNINCLUDED_ROUTER in wanted:
        for router in index.routers_never_included():
            if router.path in checked:
                start, end = at(router.span)
                found.append(
                    FileFinding(
                        checked[router.path],
                        LayerFinding(UNINCLUDED_ROUTER, router.never_included_message, start, end),
                    )
                )
    if SHADOWED_ROUTE in wanted:
        seen: set[tuple[str, str, int]] = set()
        for shadowed in index.shadowed_routes():
            route = shadowed.route
            key = (route.path, route.method, route.handler_span.start_line)
            if route.path not in checked or key in seen:
                continue
            seen.add(key)
            start, end = at(route.handler_span)
            found.append(
                FileFinding(
                    checked[route.path],
                    LayerFinding(SHADOWED_ROUTE, shadowed.message, start, end),
                )
            )
    return found
