"""pygls' protocol, made to answer by the JSON-RPC and LSP rules and to keep no garbage.

What pygls 2.1.1 does and this subclass does instead (docs/pygls-upstream-reports.md):

- A request whose parameters cannot be read is logged and dropped: answer ``InvalidParams``.
- Every nested JSON object with a ``jsonrpc`` key is structured as a message: only the
  top-level object of a body is one (``handle_body`` parses, ``structure_message`` once).
- Malformed JSON, a body that is not a message object: answer ``ParseError`` (-32700) /
  ``InvalidRequest`` (-32600) with the id when it can be read, else ``null``.
- A request before ``initialize`` gets a result: answer ``ServerNotInitialized`` (-32002);
  notifications before it are dropped, except ``exit``. A second ``initialize`` and any
  request after ``shutdown`` get ``InvalidRequest`` (-32600) instead of silence.
- A notification method sent with an id is answered ``MethodNotFound`` (-32601): as a
  request that method does not exist; it is not executed as a notification either.
- A future per handled notification stays in ``_request_futures`` forever: futures leave
  the table when they finish, and progress tokens when their progress ends.
- Documents are kept with ``str.splitlines()`` and per-character column loops: the
  workspace holds ``LspTextDocument``s instead (``fastapi_architect.lsp.text_sync``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Generator
from concurrent.futures import Future
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.progress import Progress
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from fastapi_architect.lsp.text_sync import SyncedWorkspace

logger = logging.getLogger(__name__)

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
SERVER_NOT_INITIALIZED = -32002


def is_notification_method(method: str) -> bool:
    """True when LSP defines ``method`` as a notification (it has no result type)."""
    entry = types.METHOD_TO_TYPES.get(method)
    return entry is not None and entry[0].__name__.endswith("Notification")


def _readable_id(data: dict[str, Any]) -> int | str | None:
    """The message's id when it is one JSON-RPC allows, else ``None``."""
    value = data.get("id")
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    return value


class BoundedProgress(Progress):
    """pygls' progress book-keeping, forgetting a token once its progress ends."""

    def end(self, token: types.ProgressToken, value: types.WorkDoneProgressEnd) -> None:
        super().end(token, value)
        self.tokens.pop(token, None)


class ArchitectProtocol(LanguageServerProtocol):
    """Answers every request by the rules, and keeps only what is still in flight."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.progress = BoundedProgress(self)
        self.initialize_received = False

    # --- messages in ----------------------------------------------------------------------

    def handle_body(self, body: bytes) -> None:
        """Parse one framed body and handle it, answering what cannot be handled."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as error:
            self.send_error(None, PARSE_ERROR, f"Parse error: {error}")
            return
        if not isinstance(data, dict):
            self.send_error(None, INVALID_REQUEST, "Invalid request: not a JSON object")
            return
        if not self._admit(data):
            return
        try:
            message = self.structure_message(data)
            if data.get("method") == types.INITIALIZE:
                self.initialize_received = True
            self.handle_message(message)
        except JsonRpcException as error:
            logger.warning("cannot handle %s: %s", data.get("method", "a response"), error)
            self._server._report_server_error(error, JsonRpcException)

    def _admit(self, data: dict[str, Any]) -> bool:
        """Whether ``data`` may be handled now; answers the requests it turns away."""
        method = data.get("method")
        is_request = "id" in data
        if method is None:
            if is_request and ("result" in data or "error" in data):
                return True  # a response to one of our requests
            self.send_error(_readable_id(data), INVALID_REQUEST, "Invalid request: no method")
            return False
        request_id = _readable_id(data)
        if data.get("jsonrpc") != "2.0" or not isinstance(method, str):
            if is_request:
                self.send_error(request_id, INVALID_REQUEST, "Invalid request: not JSON-RPC 2.0")
            return False
        if is_request and (request_id is None or is_notification_method(method)):
            if request_id is None:
                self.send_error(None, INVALID_REQUEST, "Invalid request: bad id")
            else:
                self.send_error(
                    request_id,
                    METHOD_NOT_FOUND,
                    f"{method!r} is a notification; it was sent as a request (with an id)",
                )
            return False
        if method == types.EXIT:
            return True
        if not self.initialize_received:
            if method == types.INITIALIZE:
                return is_request
            if is_request:
                self.send_error(
                    request_id, SERVER_NOT_INITIALIZED, f"{method!r} before 'initialize'"
                )
            return False
        if self._shutdown or (method == types.INITIALIZE and is_request):
            if is_request:
                reason = "after 'shutdown'" if self._shutdown else "'initialize' was already sent"
                self.send_error(request_id, INVALID_REQUEST, f"{method!r} refused: {reason}")
            return False
        return True

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if isinstance(data, dict) and "id" in data and "method" not in data:
                self._fail_pending_request(data["id"], error)
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(
                    data["id"],
                    error=types.ResponseError(
                        code=error.code,
                        message=f"cannot read the parameters of {data['method']!r}: "
                        f"{error.message or 'they do not match the LSP specification'}",
                    ),
                )
            raise

    def _fail_pending_request(self, request_id: Any, error: JsonRpcException) -> None:
        """A response we cannot read (``result: null`` where the LSP wants an object) ends
        the request it answers with ``error``; pygls would leave its caller waiting forever."""
        future = self._request_futures.pop(request_id, None)
        if future is not None and not future.done():
            future.set_exception(error)

    # --- messages out ---------------------------------------------------------------------

    def send_error(self, request_id: int | str | None, code: int, message: str) -> None:
        """Send an error response; ``request_id`` is ``None`` when it could not be read."""
        logger.warning("answering %r with error %d: %s", request_id, code, message)
        self._send_data(
            {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}
        )

    # --- book-keeping ---------------------------------------------------------------------

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Callable[..., Any],
        callback: Callable[[Future[Any]], None],
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        def forget_then_callback(future: Future[Any]) -> None:
            if self._request_futures.get(msg_id) is future:
                del self._request_futures[msg_id]
            callback(future)

        super()._execute_handler(msg_id, handler, forget_then_callback, args, kwargs)

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> Generator[Any, Any, None]:
        """pygls' ``shutdown``, cancelling the other in-flight handlers from a snapshot.

        Cancelling a future now removes it from ``_request_futures``; pygls iterates the
        table itself while cancelling, which would fail.
        """
        if (user_handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield user_handler, args, None
        current_id = self.msg_id
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current_id and not future.done():
                future.cancel()
        self._shutdown = True

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        """pygls' ``initialize``, with a workspace that keeps documents by LSP line rules."""
        steps = super().lsp_initialize(params)
        sent: Any = None
        while True:
            try:
                step = steps.send(sent)
            except StopIteration as done:
                self._adopt_workspace()
                result: types.InitializeResult = done.value
                return result
            self._adopt_workspace()  # pygls has built its workspace; no document is open yet
            sent = yield step

    def _adopt_workspace(self) -> None:
        if self._workspace is not None and not isinstance(self._workspace, SyncedWorkspace):
            self._workspace = SyncedWorkspace.like(self._workspace)
