"""Command dispatcher: registers every feature's ``workspace/executeCommand`` handlers.

A handler that raises ``UserFacingError`` (or ``PlanError``) has its message shown to the user
and the request answered with InvalidParams (-32602), logged as a refusal without traceback;
any other exception is logged with its traceback, shown as a short error and answered with
InternalError (-32603). Either way the server keeps serving.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInternalError, JsonRpcInvalidParams

from fastapi_architect.lsp.guard import (
    UserFacingError,
    quiet_refusal_tracebacks,
    report_internal_error,
)
from fastapi_architect.lsp.host import FeatureHost
from fastapi_architect.plan import PlanError

if TYPE_CHECKING:
    from fastapi_architect.lsp.dispatch_host import DispatchHost
    from fastapi_architect.lsp.features.base import CommandHandler


def _make_command(command_id: str, handler: CommandHandler) -> Any:
    # pygls reads the handler's type hints (typing.get_type_hints) to convert the
    # arguments, so ``FeatureHost`` is imported at run time, not only for type checking.
    async def run_command(ls: FeatureHost, *args: Any) -> Any:
        # pygls passes the arguments either spread out or as one list, by version.
        arguments: Sequence[Any] = args[0] if len(args) == 1 and isinstance(args[0], list) else args
        try:
            return await handler(ls, arguments)
        except (UserFacingError, PlanError) as error:
            ls.show_message(f"FastAPI Architect: {error}", types.MessageType.Warning)
            raise JsonRpcInvalidParams(str(error)) from error
        except Exception as error:
            report_internal_error(ls, f"command {command_id}", error)
            ls.show_message(
                f"FastAPI Architect: {command_id} failed ({error}); see the output log.",
                types.MessageType.Error,
            )
            raise JsonRpcInternalError(f"{command_id} failed: {error}") from error

    run_command.__name__ = f"command_{command_id.replace('.', '_').replace('-', '_')}"
    return run_command


def register(server: DispatchHost) -> None:
    """Register each feature's commands under their ids."""
    quiet_refusal_tracebacks()
    for feature in server.features:
        for command_id, handler in feature.commands().items():
            server.command(command_id)(_make_command(command_id, handler))
