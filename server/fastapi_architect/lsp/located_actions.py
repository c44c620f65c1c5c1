"""Code actions located by ``{"uri": ..., "line": ...}``: resolve them, or apply them by command.

A feature offers such an action with ``data`` (resolved in ``codeAction/resolve``) or, for
clients that cannot create files, with a command taking the same object. The feature brings
its planner; this module validates the location, refuses stale buffers and turns the plan
into a ``WorkspaceEdit`` or applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from lsprotocol import types

from fastapi_architect.lsp.guard import UserFacingError

if TYPE_CHECKING:
    from pathlib import Path

    from fastapi_architect.lsp.documents import AnalysedDocument
    from fastapi_architect.lsp.host import FeatureHost
    from fastapi_architect.plan import ChangePlan
    from fastapi_architect.project_files import ProjectFiles


class LocatedPlan(Protocol):
    """What a feature's planner returns: the plan and the folder its paths are relative to."""

    @property
    def plan(self) -> ChangePlan: ...

    @property
    def root(self) -> Path: ...


PlanT = TypeVar("PlanT", bound=LocatedPlan)
Planner = Callable[["FeatureHost", str, int, "ProjectFiles"], PlanT]
"""Plan the action at ``(uri, line)`` on a snapshot of the editor's buffers."""


def offer_at(
    action: types.CodeAction,
    server: FeatureHost,
    document: AnalysedDocument,
    line: int,
    command: str,
    feature: str | None = None,
) -> types.CodeAction:
    """Make ``action`` act at ``line`` of ``document``: resolved later from its ``data`` where
    the client can create files, else by running ``command``. ``feature`` names another
    feature to resolve it (by default the dispatcher names the offering one)."""
    arguments = {"uri": document.uri, "line": line}
    if not server.support.create_files:
        action.command = types.Command(title=action.title, command=command, arguments=[arguments])
    elif feature is None:
        action.data = {**arguments, "version": document.version}
    else:
        action.data = {"feature": feature, **arguments, "version": document.version}
    return action


def target(data: Any) -> tuple[str, int]:
    """``(uri, line)`` from an action's data or a command's argument, validated."""
    if not isinstance(data, dict):
        raise UserFacingError("expected an object with 'uri' and 'line'")
    uri, line = data.get("uri"), data.get("line")
    if not isinstance(uri, str) or not isinstance(line, int) or isinstance(line, bool) or line < 0:
        raise UserFacingError("expected 'uri' (a string) and 'line' (a 0-based line number)")
    return uri, line


def check_version(server: FeatureHost, uri: str, data: Any, offered: str) -> None:
    """Refuse to resolve against a newer buffer: the stored line may point elsewhere now.

    ``offered`` names the action in the message (``the {offered} was offered``).
    """
    expected = data.get("version") if isinstance(data, dict) else None
    document = server.documents.get(uri)
    if expected is not None and document is not None and document.version != expected:
        raise UserFacingError(f"the document changed since the {offered} was offered; try again")


def resolve_located(
    server: FeatureHost, action: types.CodeAction, planner: Planner[PlanT], offered: str
) -> types.CodeAction:
    """Fill in ``action.edit`` from the plan at the action's location, against the current
    buffers; a refusal disables the action and is shown as a warning."""
    from fastapi_architect.lsp.project_view import buffer_files
    from fastapi_architect.lsp.workspace_edits import plan_to_workspace_edit

    uri, line = target(action.data)
    view = buffer_files(server)
    try:
        check_version(server, uri, action.data, offered)
        planned = planner(server, uri, line, view)
        # Every edit names the version of the buffer it was computed from.
        action.edit = plan_to_workspace_edit(server, planned.plan, planned.root, view)
    except UserFacingError as error:
        server.show_message(f"FastAPI Architect: {error}", types.MessageType.Warning)
        action.disabled = types.CodeActionDisabled(reason=str(error))
    return action


async def apply_located(
    server: FeatureHost,
    command: str,
    arguments: Sequence[Any],
    root_of: Callable[[FeatureHost, str], Path],
    planner: Planner[PlanT],
) -> tuple[PlanT, list[Path]]:
    """Run ``command`` on ``arguments[0]``: plan in the workspace folder ``root_of`` finds for
    the document and apply the plan the client's way; the last plan and the paths written."""
    from fastapi_architect.lsp.workspace_edits import plan_and_apply

    if not arguments:
        raise UserFacingError(f"{command} needs one argument: {{'uri': ..., 'line': ...}}")
    uri, line = target(arguments[0])
    root = root_of(server, uri)
    planned: list[PlanT] = []

    def make_plan(files: ProjectFiles) -> ChangePlan:
        planned.append(planner(server, uri, line, files))
        return planned[-1].plan

    _, paths = await plan_and_apply(server, root, make_plan)
    return planned[-1], paths
