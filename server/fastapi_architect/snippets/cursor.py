"""Where the cursor is in a Python document: a new module-level statement, a parameter list (of
which function), or anything else.

Completion runs on every keystroke, on documents that usually do not parse (the user is in
the middle of a parameter list). So nothing here parses the whole document: a quick scan
finds strings and comments, and the text from the nearest statement anchor above the cursor is
tokenized (``tokenize`` survives unclosed brackets).
"""

from __future__ import annotations

import enum
import io
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, field

from fastapi_architect.snippets.scan import StringScan, inside, scan_strings
from fastapi_architect.textedit import line_starts, position_of

LOOKBACK_LINES = 400
"""How far above the cursor an anchor (a statement start) is searched for."""

PATH_OPERATION_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "trace", "api_route", "websocket"}
)

_DECORATOR_CALL = re.compile(r"[\w.]*\.(\w+)\(")


class CursorContext(enum.Enum):
    """What kind of code the cursor is about to write."""

    MODULE = "module"
    """A new statement at module level (column 0, outside brackets, strings and comments)."""
    PARAMETER = "parameter"
    """A new parameter in a function's parameter list."""
    OTHER = "other"
    """Anything else: a function body, an expression, a string, a comment."""


@dataclass(frozen=True)
class FunctionHeader:
    """The function whose parameter list holds the cursor."""

    name: str
    is_async: bool
    decorators: tuple[str, ...]
    """The source of each decorator, without the ``@``."""

    @property
    def is_path_operation(self) -> bool:
        """Decorated with ``<router or app>.get(...)``, ``.post(...)`` and the like."""
        for decorator in self.decorators:
            match = _DECORATOR_CALL.match(decorator)
            if match and match.group(1) in PATH_OPERATION_METHODS:
                return True
        return False

    @property
    def is_dependency_provider(self) -> bool:
        """Named like a FastAPI dependency (``get_…``): it may itself take dependencies."""
        return self.name.startswith("get_")


@dataclass(frozen=True)
class CursorAnalysis:
    """The cursor's context and the word being typed before it."""

    context: CursorContext
    word: str
    word_start: int
    """Offset where the typed word starts (the completion replaces ``word_start..cursor``)."""
    function: FunctionHeader | None = None
    """For ``PARAMETER``: the function being declared."""

    @property
    def accepts_dependencies(self) -> bool:
        """True in the parameter list of a path operation or of a dependency provider."""
        return self.function is not None and (
            self.function.is_path_operation or self.function.is_dependency_provider
        )


_ANCHOR_KEYWORDS = ("def ", "async def ", "class ", "@")


def _word_before(text: str, offset: int) -> int:
    start = offset
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return start


def _line_text(text: str, starts: Sequence[int], line: int) -> str:
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    return text[starts[line] : end].rstrip("\r\n")


def _find_anchor(
    text: str, starts: Sequence[int], line: int, word_start: int, strings: StringScan
) -> int | None:
    """Offset of the nearest statement start above the word to tokenize from (None: too far).

    The word's own line counts only when a ``def``/``class``/decorator starts it before the
    word (any other line start could be inside brackets opened above).
    """
    lowest = max(0, line - LOOKBACK_LINES)
    for candidate in range(line, lowest - 1, -1):
        body = _line_text(text, starts, candidate)
        if candidate == line:
            body = body[: word_start - starts[line]]
        stripped = body.lstrip()
        if not stripped or inside(strings.multiline_strings, starts[candidate]):
            continue
        if candidate > 0 and _line_text(text, starts, candidate - 1).endswith("\\"):
            continue
        at_column_zero = not body[0].isspace() and stripped[0] not in "#)]}'\"@"
        if stripped.startswith(_ANCHOR_KEYWORDS) or (at_column_zero and candidate != line):
            return starts[_first_decorator(text, starts, candidate, strings)]
    if lowest == 0:
        return 0
    return None


def _first_decorator(text: str, starts: Sequence[int], line: int, strings: StringScan) -> int:
    """The first line of the decorators above a ``def``/``class`` line (or ``line`` itself)."""
    body = _line_text(text, starts, line)
    indent = len(body) - len(body.lstrip())
    first = line
    for candidate in range(line - 1, max(-1, line - 40), -1):
        above = _line_text(text, starts, candidate)
        stripped = above.lstrip()
        if inside(strings.multiline_strings, starts[candidate]):
            continue
        if not stripped or stripped.startswith("#"):
            continue
        above_indent = len(above) - len(stripped)
        if above_indent == indent and stripped.startswith("@"):
            first = candidate
        elif above_indent > indent or stripped[0] in ")]}":
            continue  # the tail of a decorator's call spread over several lines
        else:
            break
    return first


def analyse_cursor(text: str, offset: int, starts: Sequence[int] | None = None) -> CursorAnalysis:
    """Classify the cursor at ``offset`` of a (possibly half-typed) Python document."""
    starts = line_starts(text) if starts is None else starts
    offset = max(0, min(offset, len(text)))
    word_start = _word_before(text, offset)
    word = text[word_start:offset]
    other = CursorAnalysis(CursorContext.OTHER, word, word_start)
    if word and word[0].isdigit():
        return other
    strings = scan_strings(text, word_start)
    if strings.unfinished:
        return other
    position = position_of(text, word_start, starts)
    anchor = _find_anchor(text, starts, position.line, word_start, strings)
    if anchor is None:
        return other
    state = _tokenize_state(text[anchor:word_start])
    if state is None:
        return other
    if not state.brackets:
        continued = position.line > 0 and _line_text(text, starts, position.line - 1).endswith("\\")
        if position.column == 0 and not continued:
            return CursorAnalysis(CursorContext.MODULE, word, word_start)
        return other
    opener = state.brackets[-1]
    if opener.function is not None and state.last_significant in {"(", ","}:
        return CursorAnalysis(CursorContext.PARAMETER, word, word_start, opener.function)
    return other


@dataclass
class _Bracket:
    char: str
    function: FunctionHeader | None = None


@dataclass
class _TokenState:
    brackets: list[_Bracket] = field(default_factory=list)
    last_significant: str = ""


_SKIPPED = frozenset(
    {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}
)


def _tokenize_state(fragment: str) -> _TokenState | None:
    """Bracket nesting and the last token at the end of ``fragment`` (None: cannot tell)."""
    state = _TokenState()
    decorators: list[str] = []
    decorator_tokens: list[str] | None = None
    line_start = True
    previous: list[str] = []  # the last few significant token strings of the logical line
    try:
        for token in tokenize.generate_tokens(io.StringIO(fragment).readline):
            kind, string = token.type, token.string
            if kind == tokenize.ENDMARKER:
                break
            if kind == tokenize.NEWLINE:
                if decorator_tokens is not None:
                    decorators.append("".join(decorator_tokens).strip())
                    decorator_tokens = None
                elif not state.brackets:
                    decorators = []
                line_start = True
                previous = []
                continue
            if kind in _SKIPPED:
                continue
            if kind == tokenize.ERRORTOKEN:
                if string.strip() in {"'", '"'}:
                    return None  # an unterminated string: the brackets after it mean nothing
                continue  # a stray character (``$``, ``?``, an emoji): not worth giving up
            if line_start and string == "@" and not state.brackets:
                decorator_tokens = []
                line_start = False
                continue
            line_start = False
            if decorator_tokens is not None:
                decorator_tokens.append(string)
            if kind == tokenize.OP and string in "([{":
                header = _function_header(string, previous, decorators)
                state.brackets.append(_Bracket(string, header))
            elif kind == tokenize.OP and string in ")]}" and state.brackets:
                state.brackets.pop()
            state.last_significant = string
            previous = [*previous[-2:], string]
    except tokenize.TokenError as error:
        if "EOF" not in str(error.args[0] if error.args else ""):
            return None
    except (SyntaxError, ValueError):
        return None
    return state


def _function_header(
    opener: str, previous: Sequence[str], decorators: Sequence[str]
) -> FunctionHeader | None:
    if opener != "(" or len(previous) < 2 or previous[-2] != "def":
        return None
    name = previous[-1]
    is_async = len(previous) >= 3 and previous[-3] == "async"
    return FunctionHeader(name, is_async, tuple(decorators))
