"""Apply LSP content changes by LSP's line rules, in time proportional to the edit.

pygls 2.1.1 applies an incremental change by splitting the document with
``str.splitlines()``, which also ends lines at ``\\f``, ``\\v``, ``\\x1c``-``\\x1e``, ``\\x85``,
``\\u2028`` and ``\\u2029``; LSP ends lines only at ``\\n``, ``\\r\\n`` and ``\\r``. After any of
those characters every edit lands on the wrong line. It also converts columns one
character at a time in Python, so one keystroke on a 10 MB line takes seconds.

``LspText`` keeps the text with the offsets where its lines start, updates those offsets
around each edit only, and converts columns with C-speed string operations.
``SyncedWorkspace`` makes pygls' workspace hold ``LspTextDocument``s built on it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from lsprotocol import types
from pygls.workspace import TextDocument, Workspace

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def wire_encoding(raw: Any) -> str:
    """The wire value (``utf-8``, ``utf-16``, ``utf-32``) of a pygls position encoding."""
    value = getattr(raw, "value", raw)
    return str(value) if value in (UTF8, UTF16, UTF32) else UTF16


def lsp_line_starts(text: str) -> list[int]:
    """Offsets where the lines of ``text`` start; only ``\\n``, ``\\r\\n`` and ``\\r`` end lines."""
    return [0, *(match.end() for match in _LINE_BREAK.finditer(text))]


def _code_points_in(prefix: str, units: int, encoding: str) -> int:
    """How many code points of ``prefix`` the first ``units`` code units cover."""
    if encoding == UTF32:
        return min(units, len(prefix))
    if encoding == UTF8:
        if prefix.isascii():
            return min(units, len(prefix))
        data = prefix.encode("utf-8", "surrogatepass")[:units]
        try:
            return len(data.decode("utf-8", "surrogatepass"))
        except UnicodeDecodeError as partial:  # the units end inside a character: stop before
            return len(data[: partial.start].decode("utf-8", "surrogatepass"))
    if not _ASTRAL.search(prefix):
        return min(units, len(prefix))
    data = prefix.encode("utf-16-le", "surrogatepass")
    cut = data[: 2 * units]
    if len(data) > len(cut) and 0xD8 <= cut[-1] <= 0xDB and 0xDC <= data[len(cut) + 1] <= 0xDF:
        cut = cut[:-2]  # the units end between the two halves of a surrogate pair
    return len(cut.decode("utf-16-le", "surrogatepass"))


class LspText:
    """A document's text and its line starts, edited in place by LSP ranges."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = lsp_line_starts(text)
        self.may_have_astral = _ASTRAL.search(text) is not None
        """False when the text has no character beyond the BMP (then UTF-16 = code points)."""

    @property
    def lines(self) -> tuple[str, ...]:
        """The lines, each with its line ending (like ``splitlines(True)``, no empty last line)."""
        text, starts = self.text, self.starts
        bounds = [*starts[1:], len(text)]
        return tuple(
            text[start:end] for start, end in zip(starts, bounds, strict=True) if end > start
        )

    def _content_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content (before its line ending)."""
        text = self.text
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(text)
        if end > self.starts[line] and text[end - 1] == "\n":
            end -= 1
            if end > self.starts[line] and text[end - 1] == "\r":
                end -= 1
        elif end > self.starts[line] and text[end - 1] == "\r":
            end -= 1
        return end

    def offset_at(self, position: types.Position, encoding: str) -> int:
        """The offset of an LSP position, clamped to the line's content and to the text."""
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        end = self._content_end(position.line)
        if (
            encoding == UTF32
            or (encoding == UTF16 and not self.may_have_astral)
            or (encoding == UTF8 and self.text.isascii())
        ):
            return min(end, start + position.character)  # one unit per code point
        prefix = self.text[start : min(end, start + position.character)]
        return start + _code_points_in(prefix, position.character, encoding)

    def replace(self, lsp_range: types.Range, new_text: str, encoding: str) -> None:
        """Replace the text in ``lsp_range`` by ``new_text`` and update the line starts."""
        start = self.offset_at(lsp_range.start, encoding)
        end = self.offset_at(lsp_range.end, encoding)
        if end < start:
            start, end = end, start
        old = self.text
        text = old[:start] + new_text + old[end:]
        self.text = text
        self.may_have_astral = self.may_have_astral or _ASTRAL.search(new_text) is not None
        starts = self.starts
        # Line starts before `start` keep their place and those after `end` shift; only
        # breaks touching the replaced span can appear, vanish or merge (`\r` + `\n`).
        keep = max(bisect.bisect_left(starts, start), 1)  # line 0 always starts at 0
        shift = bisect.bisect_right(starts, end)
        delta = len(new_text) - (end - start)
        new_end = start + len(new_text)
        middle = [
            match.end()
            for match in _LINE_BREAK.finditer(text, max(start - 1, 0), min(new_end + 1, len(text)))
            if start <= match.end() <= new_end
        ]
        tail = [offset + delta for offset in starts[shift:]] if delta else starts[shift:]
        self.starts = [*starts[:keep], *middle, *tail]


class LspTextDocument(TextDocument):
    """pygls' text document, kept by LSP line rules through ``LspText``."""

    def __init__(self, *args: Any, encoding: str = UTF16, **kwargs: Any) -> None:
        self._text: LspText | None = None
        self._encoding = encoding
        super().__init__(*args, **kwargs)

    @property
    def _source(self) -> str | None:
        return None if self._text is None else self._text.text

    @_source.setter
    def _source(self, value: str | None) -> None:
        self._text = None if value is None else LspText(value)

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        if self._text is None:
            self._text = LspText(self.source)
        self._text.replace(change.range, change.text, self._encoding)

    @property
    def lines(self) -> Sequence[str]:
        """The lines by LSP rules (pygls uses ``str.splitlines``)."""
        if self._text is None:
            return LspText(self.source).lines
        return self._text.lines


class SyncedWorkspace(Workspace):
    """pygls' workspace whose text documents are ``LspTextDocument``s."""

    @classmethod
    def like(cls, workspace: Workspace) -> SyncedWorkspace:
        """A fresh workspace with the same roots, folders, sync kind and position encoding."""
        return cls(
            workspace.root_uri,
            workspace._sync_kind,
            list(workspace.folders.values()),
            workspace.position_encoding,
        )

    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LspTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self.position_codec,
            encoding=wire_encoding(self.position_encoding),
        )
