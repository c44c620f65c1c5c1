"""The one guard every handler runs inside: log the failure, answer with a fallback."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types

if TYPE_CHECKING:
    from fastapi_architect.lsp.host import FeatureHost

T = TypeVar("T")

logger = logging.getLogger("fastapi_architect")


class UserFacingError(Exception):
    """A failure the user caused or can fix; its message is shown as it is."""


_INTERNAL_ERROR = -32603


def is_refusal(error: BaseException) -> bool:
    """True for a JSON-RPC error the server answered on purpose (bad parameters, a refused
    request), as opposed to an internal error or a broken message."""
    from pygls.exceptions import JsonRpcException

    code = getattr(error, "code", None)
    return isinstance(error, JsonRpcException) and code is not None and code != _INTERNAL_ERROR


class _RefusalsWithoutTraceback(logging.Filter):
    """pygls logs every error response with a traceback at Error level; a refusal is not a
    failure of the server: keep one Warning line without the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and is_refusal(error):
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = f"request refused: {error}", ()
        return True


_REFUSAL_FILTER = _RefusalsWithoutTraceback()


def quiet_refusal_tracebacks() -> None:
    """Install the filter on pygls' JSON-RPC logger (idempotent)."""
    logging.getLogger("pygls.protocol.json_rpc").addFilter(_REFUSAL_FILTER)


def run_guarded(
    server: FeatureHost, what: str, fallback: T, call: Callable[..., T], *args: Any
) -> T:
    """Return ``call(*args)``; on any exception log it to the client and return ``fallback``."""
    try:
        return call(*args)
    except Exception as error:
        report_internal_error(server, what, error)
        return fallback


def report_internal_error(server: FeatureHost, what: str, error: BaseException) -> None:
    """Log an unexpected exception with its traceback through ``window/logMessage``."""
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    logger.error("%s failed: %s", what, details)
    try:
        server.window_log_message(
            types.LogMessageParams(
                type=types.MessageType.Error,
                message=f"fastapi-architect: {what} failed: {error!r}\n{details}",
            )
        )
    except Exception:  # the connection itself may be gone
        logger.exception("could not report the failure to the client")
