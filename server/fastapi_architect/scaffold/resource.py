"""Plan a CRUD resource for an existing project: new modules plus minimal wiring edits.

``plan_add_resource(root, "order")`` renders model, schemas, service, endpoints, tests and an
Alembic revision for ``order`` (routes under ``/orders``) in the project's flavour (sync or
async SQLAlchemy), and edits ``app/api/v1/router.py``, ``app/models/__init__.py`` and
``app/api/deps.py`` in place. It refuses, listing them, when any of the files already exist.
The endpoints require a signed-in user (``get_current_user``) unless ``public=True``.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from fastapi_architect.imports import ImportStyle
from fastapi_architect.plan import ChangePlan, FileEdit, GeneratedFile
from fastapi_architect.project_files import (
    DISK,
    ProjectFiles,
    describe_read_error,
    read_text_or_none,
)
from fastapi_architect.scaffold.errors import ScaffoldError
from fastapi_architect.scaffold.naming import ResourceNames, resource_names
from fastapi_architect.scaffold.render import render_set
from fastapi_architect.scaffold.wiring import add_service_dependency, add_to_models, add_to_router
from fastapi_architect.textedit import minimal_edits

ROUTER = PurePosixPath("app/api/v1/router.py")
MODELS = PurePosixPath("app/models/__init__.py")
DEPS = PurePosixPath("app/api/deps.py")
SESSION = PurePosixPath("app/db/session.py")
VERSIONS = PurePosixPath("migrations/versions")


def find_project_root(start: Path, files: ProjectFiles = DISK) -> Path | None:
    """``start`` or its nearest parent holding ``app/api/v1/router.py``."""
    for candidate in (start, *start.parents):
        if files.is_file(candidate / ROUTER):
            return candidate
    return None


def _read(root: Path, relative: PurePosixPath, files: ProjectFiles) -> str:
    try:
        return files.read_text(root / relative)
    except FileNotFoundError as error:
        raise ScaffoldError(
            f"{root} is not a scaffolded FastAPI project: {relative} is missing"
        ) from error
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ScaffoldError(
            f"cannot read {root / relative}: {describe_read_error(error)}"
        ) from error


def uses_async_orm(session_source: str) -> bool:
    """Whether ``app/db/session.py`` sets up SQLAlchemy's asyncio extension."""
    return "create_async_engine" in session_source or "AsyncSession" in session_source


def defines_current_user(deps_source: str) -> bool:
    """Whether ``app/api/deps.py`` defines the ``get_current_user`` dependency."""
    return re.search(r"^(async )?def get_current_user\(", deps_source, re.MULTILINE) is not None


def _revision_links(path: Path, files: ProjectFiles) -> tuple[str, tuple[str, ...]] | None:
    """``(revision, down_revisions)`` of an Alembic revision file, or None if it is not one."""
    try:
        tree = ast.parse(files.read_text(path))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
    values: dict[str, object] = {}
    for node in tree.body:
        target: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id in {"revision", "down_revision"}:
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                return None
    revision, down = values.get("revision"), values.get("down_revision")
    if not isinstance(revision, str):
        return None
    if down is None:
        return revision, ()
    if isinstance(down, str):
        return revision, (down,)
    if isinstance(down, tuple | list) and all(isinstance(item, str) for item in down):
        return revision, tuple(down)
    return None


def migration_head(versions: Path, files: ProjectFiles = DISK) -> tuple[str | None, list[str]]:
    """The single head revision of ``versions`` (None when empty) and every revision id."""
    try:
        entries = files.iterdir(versions)
    except OSError as error:
        raise ScaffoldError(f"cannot list {versions}: {describe_read_error(error)}") from error
    links = [
        link
        for path in entries
        if path.suffix == ".py" and (link := _revision_links(path, files)) is not None
    ]
    revisions = [revision for revision, _ in links]
    referenced = {down for _, downs in links for down in downs}
    heads = [revision for revision in revisions if revision not in referenced]
    if len(heads) > 1:
        raise ScaffoldError(
            f"the Alembic history has several heads ({', '.join(sorted(heads))}); "
            "merge them with 'alembic merge heads' first"
        )
    return (heads[0] if heads else None), revisions


def next_revision_id(revisions: list[str]) -> str:
    """``0002`` after ``0001`` (numbered histories), else a random id as Alembic makes."""
    if revisions and all(re.fullmatch(r"\d{4}", revision) for revision in revisions):
        return f"{max(int(revision) for revision in revisions) + 1:04d}"
    if not revisions:
        return "0001"
    return uuid.uuid4().hex[:12]


def _renamer(names: ResourceNames, revision: str) -> Callable[[PurePosixPath], PurePosixPath]:
    def rename(path: PurePosixPath) -> PurePosixPath:
        text = (
            path.as_posix()
            .replace("__revision__", revision)
            .replace("__plural__", names.plural)
            .replace("__singular__", names.singular)
        )
        return PurePosixPath(text)

    return rename


def _import_style(root: Path, created: Sequence[GeneratedFile], files: ProjectFiles) -> ImportStyle:
    """The project's isort style; the modules about to be created count as first party."""
    from fastapi_architect.imports import load_style

    planned: set[str] = set()
    for generated in created:
        if generated.path.suffix == ".py":
            parts = generated.path.with_suffix("").parts
            planned.update(".".join(parts[:length]) for length in range(1, len(parts) + 1))
    loaded = load_style(root, lambda config: read_text_or_none(files, config))
    return replace(loaded.style, first_party_modules=frozenset(planned))


def plan_add_resource(
    root: Path, name: str, files: ProjectFiles = DISK, *, public: bool = False
) -> ChangePlan:
    """Plan the files and edits that add the CRUD resource ``name`` to the project at ``root``.

    Every file is read through ``files``: in the editor, open buffers win over the disk.
    ``public``: endpoints open to anyone; by default they need a user (401 without a token).
    """
    names = resource_names(name)
    router_source = _read(root, ROUTER, files)
    models_source = _read(root, MODELS, files)
    deps_source = _read(root, DEPS, files)
    if not public and not defines_current_user(deps_source):
        raise ScaffoldError(
            f"{DEPS} defines no get_current_user (the project predates authentication): "
            "add one, or make the resource public"
        )
    orm_async = uses_async_orm(_read(root, SESSION, files))

    versions = root / VERSIONS
    with_migration = files.is_dir(versions)
    down_revision, revisions = migration_head(versions, files) if with_migration else (None, [])
    revision = next_revision_id(revisions)

    created: list[GeneratedFile] = render_set(
        "resource",
        {
            "r": names,
            "orm_async": orm_async,
            "public": public,
            "revision": revision,
            "down_revision": down_revision,
            "create_date": dt.date.today().isoformat(),
        },
        include=lambda path: with_migration or path.parts[0] != "migrations",
        rename=_renamer(names, revision),
    )
    existing = sorted(str(f.path) for f in created if files.exists(root / f.path))
    if existing:
        raise ScaffoldError(
            f"resource '{name}' would overwrite existing files: {', '.join(existing)}"
        )

    style = _import_style(root, created, files)
    edits = [
        FileEdit(ROUTER, minimal_edits(router_source, add_to_router(router_source, names, style))),
        FileEdit(MODELS, minimal_edits(models_source, add_to_models(models_source, names, style))),
        FileEdit(
            DEPS,
            minimal_edits(deps_source, add_service_dependency(deps_source, names, style)),
        ),
    ]
    return ChangePlan(label=f"Add resource {names.singular}", creates=created, edits=edits)
