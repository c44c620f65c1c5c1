"""One analysed snapshot per document version, shared by every feature.

Features never parse a document themselves: they ask the ``DocumentStore`` for the
``AnalysedDocument`` of a URI and use its cached ``python_ast`` / ``cst_module`` /
``memo`` results, which live as long as that ``(uri, version)`` does.
"""

from __future__ import annotations

import ast
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi_architect.textedit import line_starts, split_lines

if TYPE_CHECKING:
    import libcst

T = TypeVar("T")

_NOT_COMPUTED: Any = object()


@dataclass(frozen=True)
class DocumentSource:
    """The text of a document as the server sees it, with its version (``None`` from disk)."""

    uri: str
    version: int | None
    text: str
    path: Path | None


@dataclass
class AnalysedDocument:
    """A document snapshot with lazily computed, cached analyses."""

    uri: str
    version: int | None
    text: str
    path: Path | None
    skipped_reason: str | None = None
    """Why features must not analyse this document (too large, binary); ``None`` if fine."""
    _lines: list[str] | None = field(default=None, repr=False)
    _starts: list[int] | None = field(default=None, repr=False)
    _ast: Any = field(default=_NOT_COMPUTED, repr=False)
    _syntax_error: SyntaxError | None = field(default=None, repr=False)
    _cst: Any = field(default=_NOT_COMPUTED, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def analysable(self) -> bool:
        """True when features may analyse this document."""
        return self.skipped_reason is None

    @property
    def lines(self) -> list[str]:
        """The document's lines, each with its line ending."""
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    @property
    def line_starts(self) -> list[int]:
        """Offsets where each line starts."""
        if self._starts is None:
            self._starts = line_starts(self.text)
        return self._starts

    def python_ast(self) -> ast.Module | None:
        """The ``ast`` tree of the document, or ``None`` when it does not parse."""
        with self._lock:
            if self._ast is _NOT_COMPUTED:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        self._ast = ast.parse(self.text, type_comments=False)
                except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
                    self._ast = None
                    self._syntax_error = (
                        error if isinstance(error, SyntaxError) else SyntaxError(str(error))
                    )
            return self._ast  # type: ignore[no-any-return]

    def syntax_error(self) -> SyntaxError | None:
        """The error that stopped ``python_ast``, if any."""
        self.python_ast()
        return self._syntax_error

    def cst_module(self) -> libcst.Module | None:
        """The libcst tree of the document (imported lazily), or ``None`` when it does not parse."""
        with self._lock:
            if self._cst is _NOT_COMPUTED:
                if self.python_ast() is None:
                    self._cst = None
                else:
                    import libcst

                    try:
                        self._cst = libcst.parse_module(self.text)
                    except (libcst.ParserSyntaxError, RecursionError, MemoryError):
                        self._cst = None
            return self._cst  # type: ignore[no-any-return]

    def memo(self, key: str, compute: Callable[[AnalysedDocument], T]) -> T:
        """Compute ``compute(self)`` once per document version and cache it under ``key``."""
        with self._lock:
            if key not in self._memo:
                self._memo[key] = compute(self)
            return self._memo[key]  # type: ignore[no-any-return]


class DocumentStore:
    """Caches one ``AnalysedDocument`` per URI, replaced when the version changes.

    ``read_source`` returns the current text of a URI (open buffer or file on disk), or
    raises ``OSError`` / ``UnicodeDecodeError`` / ``LookupError`` when there is none.
    ``on_skip`` is called once per URI the first time it is skipped, with the reason.
    """

    def __init__(
        self,
        read_source: Callable[[str], DocumentSource],
        max_bytes: Callable[[], int],
        on_skip: Callable[[str, str], None],
    ) -> None:
        self._read_source = read_source
        self._max_bytes = max_bytes
        self._on_skip = on_skip
        self._documents: dict[str, AnalysedDocument] = {}
        self._skip_reported: set[str] = set()
        self._lock = threading.Lock()

    def get(self, uri: str) -> AnalysedDocument | None:
        """Return the analysed snapshot of ``uri``, or ``None`` if it cannot be read."""
        from fastapi_architect.project_files import SkippedFile

        try:
            source = self._read_source(uri)
        except SkippedFile as skipped:
            self._report_once(uri, skipped.reason)
            return None
        except (OSError, UnicodeDecodeError, LookupError, ValueError):
            return None
        with self._lock:
            cached = self._documents.get(uri)
            if (
                cached is not None
                and cached.version == source.version
                and (source.version is not None or cached.text == source.text)
            ):
                return cached
            document = AnalysedDocument(
                uri=source.uri,
                version=source.version,
                text=source.text,
                path=source.path,
                skipped_reason=self._skip_reason(source.text),
            )
            self._documents[uri] = document
            report = document.skipped_reason is not None and uri not in self._skip_reported
            if report:
                self._skip_reported.add(uri)
        if report and document.skipped_reason is not None:
            self._on_skip(uri, document.skipped_reason)
        return document

    def _report_once(self, uri: str, reason: str) -> None:
        with self._lock:
            if uri in self._skip_reported:
                return
            self._skip_reported.add(uri)
        self._on_skip(uri, reason)

    def forget(self, uri: str) -> None:
        """Drop the cached snapshot of ``uri`` (on close)."""
        with self._lock:
            self._documents.pop(uri, None)
            self._skip_reported.discard(uri)

    def _skip_reason(self, text: str) -> str | None:
        limit = self._max_bytes()
        # len(text) is a lower bound on the UTF-8 size; only encode when it could matter.
        if len(text) > limit or (len(text) * 4 > limit and len(text.encode("utf-8")) > limit):
            return f"larger than {limit:,} bytes; analysis skipped"
        if "\x00" in text:
            return "looks binary (contains NUL bytes); analysis skipped"
        return None
