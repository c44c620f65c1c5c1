"""What each open document last showed the client, and the pending refresh pass: the
dispatcher's memory of published diagnostics (kept by the server, read by ``diagnostics``)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from lsprotocol import types


@dataclass(frozen=True)
class Published:
    """What the client last received for a document, and the change it was computed after."""

    generation: int
    diagnostics: list[types.Diagnostic]


@dataclass
class PublishedState:
    """The dispatcher's memory: what each open document last showed, and the refresh pass."""

    generation: int = 0
    """Counts the changes another document may read (edits, saves, closes, files on disk)."""
    published: dict[str, Published] = field(default_factory=dict)
    refresh: asyncio.Task[None] | None = None
    """The pending or running refresh pass."""

    def cancel_refresh(self) -> None:
        """Stop the pending or running refresh pass."""
        if self.refresh is not None:
            self.refresh.cancel()
            self.refresh = None
