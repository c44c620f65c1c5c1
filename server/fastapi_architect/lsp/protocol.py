"""pygls' protocol, plus an answer for requests whose parameters cannot be read.

pygls logs a request it cannot deserialise and drops it, which leaves the client waiting
for a response forever. The LSP client deserves an ``InvalidParams`` error instead.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.protocol import LanguageServerProtocol


class ArchitectProtocol(LanguageServerProtocol):
    """Answers undecodable requests with an error response instead of silence."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
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
