"""LSP commands ``fastapi-architect.scaffold`` and ``fastapi-architect.addResource``.

Arguments (one object each, as the VS Code client sends them):

- scaffold: ``{"target": str, "orm"?: "sync"|"async", "database"?: "sqlite"|"postgresql",
  "docker"?: "tiangolo"|"slim", "inference"?: bool, "description"?: str}`` →
  ``{"root": abs path, "files": [relative paths]}``. A relative ``target`` is resolved against
  the first workspace folder.
- addResource: ``{"name": str, "projectRoot"?: str, "public"?: bool}`` →
  ``{"files": [relative paths]}``; without ``projectRoot``, the workspace folder (or a folder
  directly inside it) holding ``app/api/v1/router.py``. The project's files are read from the
  open buffers first. The endpoints require a signed-in user unless ``public`` is true.

Both write only inside a workspace folder unless the request also carries
``"confirmedOutsideWorkspace": true`` (see ``fastapi_architect.lsp.boundary``).

The engine renders everything in memory; ``apply_plan`` then lets the editor create the files
(``CreateFile`` + ``TextDocumentEdit``) or writes them directly for clients that cannot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from lsprotocol import types

from fastapi_architect.lsp.features.base import CommandHandler, Feature
from fastapi_architect.lsp.guard import UserFacingError

if TYPE_CHECKING:
    from fastapi_architect.lsp.host import FeatureHost
    from fastapi_architect.plan import ChangePlan
    from fastapi_architect.project_files import ProjectFiles

SCAFFOLD_COMMAND = "fastapi-architect.scaffold"
ADD_RESOURCE_COMMAND = "fastapi-architect.addResource"

SCAFFOLD_OPTION_KEYS = ("orm", "database", "docker", "inference", "description")
ROUTER_PATH = Path("app/api/v1/router.py")


class ScaffoldFeature(Feature):
    """Executes the scaffold and add-resource commands."""

    name: ClassVar[str] = "scaffold"

    def commands(self) -> Mapping[str, CommandHandler]:
        return {SCAFFOLD_COMMAND: scaffold_command, ADD_RESOURCE_COMMAND: add_resource_command}


def _request(arguments: Sequence[Any], command: str, example: str) -> Mapping[str, Any]:
    """The single object argument of ``command``."""
    if len(arguments) != 1 or not isinstance(arguments[0], Mapping):
        raise UserFacingError(f"{command} expects one object argument, e.g. {example}")
    request: Mapping[str, Any] = arguments[0]
    return request


def _string(request: Mapping[str, Any], key: str, what: str) -> str:
    value = request.get(key)
    if not isinstance(value, str) or not value.strip():
        raise UserFacingError(f"'{key}' is required: {what}")
    return value.strip()


def resolve_target(server: FeatureHost, raw: object, confirmed: bool = False) -> Path:
    """Where to scaffold: inside a workspace folder, or a place the user confirmed."""
    from fastapi_architect.lsp.boundary import argument_path, check_writable

    roots = server.workspace_roots()
    path = argument_path(raw, "target", roots[0] if roots else None)
    return check_writable(path, roots, confirmed, "the scaffold target")


async def _show(server: FeatureHost, path: Path) -> None:
    """Open ``path`` in the editor when the client supports ``window/showDocument``."""
    if not server.support.show_document:
        return
    from fastapi_architect.lsp.workspace_edits import path_uri

    try:
        await server.window_show_document_async(
            types.ShowDocumentParams(uri=path_uri(path), take_focus=True)
        )
    except Exception as error:  # the files are written; failing to open one is not fatal
        server.log(f"could not show {path}: {error!r}", types.MessageType.Warning)


async def scaffold_command(server: FeatureHost, arguments: Sequence[Any]) -> dict[str, Any]:
    """Scaffold a new service at ``target``; return its root and the files created."""
    from fastapi_architect.lsp.boundary import confirmed_outside
    from fastapi_architect.lsp.workspace_edits import apply_plan
    from fastapi_architect.scaffold import (
        MAIN_MODULE,
        ScaffoldError,
        check_target_is_free,
        parse_options,
        plan_project,
    )

    request = _request(arguments, SCAFFOLD_COMMAND, '{"target": "my-service"}')
    _string(request, "target", "the directory to create")
    target = resolve_target(server, request["target"], confirmed_outside(request))
    values: dict[str, Any] = {"project_name": target.name}
    values.update({key: request[key] for key in SCAFFOLD_OPTION_KEYS if key in request})
    try:
        options = parse_options(values)
        check_target_is_free(target)
        plan = await asyncio.to_thread(plan_project, options)
    except ScaffoldError as error:
        raise UserFacingError(str(error)) from error

    await apply_plan(server, plan, target)
    _make_scripts_executable(target, plan)
    server.show_message(
        f"FastAPI Architect: created {options.project_name} ({len(plan.creates)} files) in "
        f"{target}.",
        types.MessageType.Info,
    )
    await _show(server, target / MAIN_MODULE)
    return {"root": str(target), "files": [str(path) for path in plan.paths()]}


def _make_scripts_executable(root: Path, plan: ChangePlan) -> None:
    """Editors create files without the executable bit; set it on the generated scripts."""
    for generated in plan.creates:
        path = root / generated.path
        if generated.executable and path.exists():
            path.chmod(0o755)


def find_project_roots(
    roots: Sequence[Path], files: ProjectFiles
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Folders among ``roots``, or directly inside them, that hold a scaffolded project; and
    the folders that could not be read (with the reason), which the search goes past."""
    from fastapi_architect.project_files import describe_read_error, is_skipped_directory_name

    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    for root in roots:
        if files.is_file(root / ROUTER_PATH):
            found.append(root)
            continue
        try:
            entries = files.iterdir(root)
        except OSError as error:
            unreadable.append((root, describe_read_error(error)))
            continue
        children = [
            child
            for child in entries
            if not is_skipped_directory_name(child.name) and files.is_dir(child)
        ]
        found.extend(child for child in children if files.is_file(child / ROUTER_PATH))
    return found, unreadable


def resolve_project_root(server: FeatureHost, raw: object, confirmed: bool = False) -> Path:
    """The project to extend: ``projectRoot`` if given, else the only one in the workspace."""
    from fastapi_architect.lsp.boundary import argument_path, check_writable
    from fastapi_architect.lsp.project_view import buffer_files

    roots = server.workspace_roots()
    if raw is not None:
        path = argument_path(raw, "projectRoot", roots[0] if roots else None)
        return check_writable(path, roots, confirmed, "the project root")
    candidates, unreadable = find_project_roots(roots, buffer_files(server))
    for folder, reason in unreadable:
        server.log(f"addResource: skipped {folder}: {reason}", types.MessageType.Warning)
    if not candidates:
        skipped = f" ({len(unreadable)} unreadable folders skipped)" if unreadable else ""
        raise UserFacingError(
            "no scaffolded project (app/api/v1/router.py) in the workspace"
            f"{skipped}; pass 'projectRoot'"
        )
    if len(candidates) > 1:
        listed = ", ".join(str(path) for path in candidates)
        raise UserFacingError(f"several projects in the workspace ({listed}); pass 'projectRoot'")
    return candidates[0]


async def add_resource_command(server: FeatureHost, arguments: Sequence[Any]) -> dict[str, Any]:
    """Add a CRUD resource to a scaffolded project; return the files created and edited."""
    from fastapi_architect.lsp.boundary import confirmed_outside
    from fastapi_architect.lsp.workspace_edits import plan_and_apply
    from fastapi_architect.scaffold import ScaffoldError, plan_add_resource

    request = _request(arguments, ADD_RESOURCE_COMMAND, '{"name": "order"}')
    name = _string(request, "name", "the singular resource name, e.g. 'order'")
    if "\x00" in name:
        raise UserFacingError("'name' contains a NUL character; use a Python identifier")
    public = request.get("public", False)
    if not isinstance(public, bool):
        raise UserFacingError("'public' must be true or false")
    root = resolve_project_root(server, request.get("projectRoot"), confirmed_outside(request))
    try:
        plan, _ = await plan_and_apply(
            server, root, lambda files: plan_add_resource(root, name, files, public=public)
        )
    except ScaffoldError as error:
        raise UserFacingError(str(error)) from error

    server.show_message(
        f"FastAPI Architect: added resource {name} to {root}.", types.MessageType.Info
    )
    endpoints = next(
        (f.path for f in plan.creates if f.path.parts[:4] == ("app", "api", "v1", "endpoints")),
        None,
    )
    if endpoints is not None:
        await _show(server, root / endpoints)
    return {"root": str(root), "files": [str(path) for path in plan.paths()]}
