"""LSP commands ``fastapi-architect.scaffold`` and ``fastapi-architect.addResource``.

Arguments (one object each, as the VS Code client sends them):

- scaffold: ``{"target": str, "orm"?: "sync"|"async", "database"?: "sqlite"|"postgresql",
  "docker"?: "tiangolo"|"slim", "inference"?: bool, "description"?: str}`` →
  ``{"root": abs path, "files": [relative paths]}``. A relative ``target`` is resolved against
  the first workspace folder and must stay inside it; an absolute one is the user's choice.
- addResource: ``{"name": str, "projectRoot"?: str, "public"?: bool}`` →
  ``{"files": [relative paths]}``; without ``projectRoot``, the workspace folder (or a folder
  directly inside it) holding ``app/api/v1/router.py``. The endpoints require a signed-in user
  unless ``public`` is true.

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
    from fastapi_architect.lsp.server import ArchitectServer
    from fastapi_architect.plan import ChangePlan

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


def _inside(path: Path, folder: Path) -> bool:
    resolved, root = path.resolve(), folder.resolve()
    return resolved == root or root in resolved.parents


def resolve_target(server: ArchitectServer, raw: str) -> Path:
    """An absolute target as given; a relative one inside the first workspace folder."""
    path = Path(raw).expanduser()
    if path.is_absolute():
        return Path(path.resolve())
    roots = server.workspace_roots()
    if not roots:
        raise UserFacingError(
            f"no workspace folder is open to resolve '{raw}' against; pass an absolute path"
        )
    target = roots[0] / path
    if not _inside(target, roots[0]):
        raise UserFacingError(
            f"'{raw}' is outside the workspace folder {roots[0]}; pass an absolute path to "
            "scaffold elsewhere"
        )
    return Path(target.resolve())


async def _show(server: ArchitectServer, path: Path) -> None:
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


async def scaffold_command(server: ArchitectServer, arguments: Sequence[Any]) -> dict[str, Any]:
    """Scaffold a new service at ``target``; return its root and the files created."""
    from fastapi_architect.lsp.workspace_edits import apply_plan
    from fastapi_architect.scaffold import (
        MAIN_MODULE,
        ScaffoldError,
        check_target_is_free,
        parse_options,
        plan_project,
    )

    request = _request(arguments, SCAFFOLD_COMMAND, '{"target": "my-service"}')
    target = resolve_target(server, _string(request, "target", "the directory to create"))
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


def find_project_roots(server: ArchitectServer) -> list[Path]:
    """Workspace folders, or folders directly inside them, that hold a scaffolded project."""
    found: list[Path] = []
    for root in server.workspace_roots():
        if (root / ROUTER_PATH).is_file():
            found.append(root)
            continue
        try:
            children = sorted(child for child in root.iterdir() if child.is_dir())
        except OSError:
            continue
        found.extend(child for child in children if (child / ROUTER_PATH).is_file())
    return found


def resolve_project_root(server: ArchitectServer, raw: object) -> Path:
    """The project to extend: ``projectRoot`` if given, else the only one in the workspace."""
    if raw is not None:
        if not isinstance(raw, str) or not raw.strip():
            raise UserFacingError("'projectRoot' must be a path")
        path = Path(raw.strip()).expanduser()
        if not path.is_absolute():
            roots = server.workspace_roots()
            if not roots or not _inside(roots[0] / path, roots[0]):
                raise UserFacingError(f"'{raw}' is not inside the workspace; pass an absolute path")
            path = roots[0] / path
        return Path(path.resolve())
    candidates = find_project_roots(server)
    if not candidates:
        raise UserFacingError(
            "no scaffolded project (app/api/v1/router.py) in the workspace; pass 'projectRoot'"
        )
    if len(candidates) > 1:
        listed = ", ".join(str(path) for path in candidates)
        raise UserFacingError(f"several projects in the workspace ({listed}); pass 'projectRoot'")
    return candidates[0]


async def add_resource_command(server: ArchitectServer, arguments: Sequence[Any]) -> dict[str, Any]:
    """Add a CRUD resource to a scaffolded project; return the files created and edited."""
    from fastapi_architect.lsp.workspace_edits import apply_plan
    from fastapi_architect.scaffold import ScaffoldError, plan_add_resource

    request = _request(arguments, ADD_RESOURCE_COMMAND, '{"name": "order"}')
    name = _string(request, "name", "the singular resource name, e.g. 'order'")
    root = resolve_project_root(server, request.get("projectRoot"))
    public = request.get("public", False)
    if not isinstance(public, bool):
        raise UserFacingError("'public' must be true or false")
    try:
        plan = await asyncio.to_thread(plan_add_resource, root, name, public=public)
    except ScaffoldError as error:
        raise UserFacingError(str(error)) from error

    await apply_plan(server, plan, root)
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
