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
