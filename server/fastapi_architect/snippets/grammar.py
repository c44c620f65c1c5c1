"""VS Code's snippet grammar: a body (tabstops, placeholders, choices, variables, transforms,
escapes) parsed into nodes. Nothing here imports pygls or lsprotocol."""

from __future__ import annotations

import re
from dataclasses import dataclass


class SnippetSyntaxError(ValueError):
    """A snippet body does not follow VS Code's snippet grammar."""


@dataclass(frozen=True)
class Text:
    """Literal text (escapes already removed)."""

    value: str


@dataclass(frozen=True)
class Transform:
    """``/regex/format/options`` applied to a tabstop's or a variable's value."""

    pattern: str
    format: str
    options: str

    def apply(self, value: str) -> str:
        """Apply the transform the way VS Code does (a subset of its format syntax)."""
        flags = 0
        if "i" in self.options:
            flags |= re.IGNORECASE
        if "m" in self.options:
            flags |= re.MULTILINE
        try:
            regex = re.compile(self.pattern, flags)
        except re.error:
            return value
        count = 0 if "g" in self.options else 1
        return regex.sub(lambda match: _format_match(self.format, match), value, count=count)


@dataclass(frozen=True)
class Tabstop:
    """``$1``, ``${1}``, ``${1:default}``, ``${1|a,b|}`` or ``${1/re/fmt/}``."""

    index: int
    children: tuple[Node, ...] | None = None
    """The placeholder's default (may nest other placeholders); ``None`` for a bare tabstop."""
    choices: tuple[str, ...] | None = None
    transform: Transform | None = None


@dataclass(frozen=True)
class Variable:
    """``$NAME``, ``${NAME}``, ``${NAME:default}`` or ``${NAME/re/fmt/}``."""

    name: str
    children: tuple[Node, ...] | None = None
    transform: Transform | None = None


Node = Text | Tabstop | Variable

_DIGITS = re.compile(r"\d+")
_VARIABLE_NAME = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_FORMAT = re.compile(
    r"\$(\d+)|\$\{(\d+)\}|\$\{(\d+):(/upcase|/downcase|/capitalize|/camelcase|/pascalcase"
    r"|\+[^}]*|\?[^:}]*:[^}]*|-[^}]*|[^}]*)\}"
)


def _format_match(format_text: str, match: re.Match[str]) -> str:
    def group(index: str) -> str:
        number = int(index)
        if number > (match.re.groups or 0):
            return ""
        return match.group(number) or ""

    def replace(piece: re.Match[str]) -> str:
        if piece.group(1) is not None:
            return group(piece.group(1))
        if piece.group(2) is not None:
            return group(piece.group(2))
        value = group(piece.group(3))
        how = piece.group(4)
        if how == "/upcase":
            return value.upper()
        if how == "/downcase":
            return value.lower()
        if how == "/capitalize":
            return value[:1].upper() + value[1:]
        if how in {"/camelcase", "/pascalcase"}:
            words = [w for w in re.split(r"[_\-\s]+", value) if w]
            joined = "".join(w[:1].upper() + w[1:] for w in words)
            return joined[:1].lower() + joined[1:] if how == "/camelcase" else joined
        if how.startswith("+"):
            return how[1:] if value else ""
        if how.startswith("?"):
            if_text, _, else_text = how[1:].partition(":")
            return if_text if value else else_text
        fallback = how[1:] if how.startswith("-") else how
        return value or fallback

    return _FORMAT.sub(replace, format_text)


class _Parser:
    """A recursive-descent parser for one snippet body."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0

    def error(self, message: str) -> SnippetSyntaxError:
        return SnippetSyntaxError(f"{message} at offset {self.pos}: {self.source!r}")

    def parse(self) -> tuple[Node, ...]:
        nodes = self.nodes(inside_placeholder=False)
        if self.pos != len(self.source):  # pragma: no cover - nodes() consumes everything
            raise self.error("unexpected text")
        return nodes

    def nodes(self, inside_placeholder: bool) -> tuple[Node, ...]:
        result: list[Node] = []
        text: list[str] = []
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char == "\\" and self.pos + 1 < len(source) and source[self.pos + 1] in "$}\\":
                text.append(source[self.pos + 1])
                self.pos += 2
            elif char == "}" and inside_placeholder:
                break
            elif char == "$":
                node = self.dollar()
                if node is None:
                    text.append("$")
                    self.pos += 1
                    continue
                if text:
                    result.append(Text("".join(text)))
                    text = []
                result.append(node)
            else:
                text.append(char)
                self.pos += 1
        if text:
            result.append(Text("".join(text)))
        return tuple(result)

    def dollar(self) -> Node | None:
        """Parse what starts at a ``$``; ``None`` when it is a literal dollar sign."""
        source = self.source
        start = self.pos + 1
        digits = _DIGITS.match(source, start)
        if digits:
            self.pos = digits.end()
            return Tabstop(int(digits.group()))
        name = _VARIABLE_NAME.match(source, start)
        if name:
            self.pos = name.end()
            return Variable(name.group())
        if not source.startswith("{", start):
            return None
        self.pos = start + 1
        digits = _DIGITS.match(source, self.pos)
        if digits:
            self.pos = digits.end()
            return self.tabstop_body(int(digits.group()))
        name = _VARIABLE_NAME.match(source, self.pos)
        if name:
            self.pos = name.end()
            return self.variable_body(name.group())
        raise self.error("expected a tabstop number or a variable name after '${'")

    def tabstop_body(self, index: int) -> Tabstop:
        kind = self.next_char("'}', ':', '|' or '/' after the tabstop number")
        if kind == "}":
            return Tabstop(index)
        if kind == ":":
            children = self.nodes(inside_placeholder=True)
            self.expect("}")
            return Tabstop(index, children=children)
        if kind == "|":
            return Tabstop(index, choices=self.choices())
        if kind == "/":
            return Tabstop(index, transform=self.transform())
        raise self.error(f"unexpected {kind!r} in a tabstop")

    def variable_body(self, name: str) -> Variable:
        kind = self.next_char("'}', ':' or '/' after the variable name")
        if kind == "}":
            return Variable(name)
        if kind == ":":
            children = self.nodes(inside_placeholder=True)
            self.expect("}")
            return Variable(name, children=children)
        if kind == "/":
            return Variable(name, transform=self.transform())
        raise self.error(f"unexpected {kind!r} in a variable")

    def choices(self) -> tuple[str, ...]:
        options: list[str] = []
        current: list[str] = []
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char == "\\" and self.pos + 1 < len(source) and source[self.pos + 1] in ",|\\$}":
                current.append(source[self.pos + 1])
                self.pos += 2
                continue
            if char == ",":
                options.append("".join(current))
                current = []
            elif char == "|":
                options.append("".join(current))
                self.pos += 1
                self.expect("}")
                return tuple(options)
            else:
                current.append(char)
            self.pos += 1
        raise self.error("unterminated choice")

    def transform(self) -> Transform:
        pattern = self.until("/")
        format_text = self.until("/", skip_groups=True)
        options = self.until("}")
        return Transform(pattern, format_text, options)

    def until(self, stop: str, skip_groups: bool = False) -> str:
        """Text up to an unescaped ``stop`` (consumed); ``\\/`` stands for ``/``.

        With ``skip_groups``, ``${...}`` format groups are copied whole (they may hold ``/``).
        """
        piece: list[str] = []
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char == "\\" and self.pos + 1 < len(source) and source[self.pos + 1] == stop:
                piece.append(stop)
                self.pos += 2
                continue
            if skip_groups and source.startswith("${", self.pos):
                close = source.find("}", self.pos)
                if close < 0:
                    raise self.error("unterminated format group")
                piece.append(source[self.pos : close + 1])
                self.pos = close + 1
                continue
            self.pos += 1
            if char == stop:
                return "".join(piece)
            piece.append(char)
        raise self.error(f"unterminated transform (expected {stop!r})")

    def next_char(self, expected: str) -> str:
        if self.pos >= len(self.source):
            raise self.error(f"expected {expected}")
        char = self.source[self.pos]
        self.pos += 1
        return char

    def expect(self, char: str) -> None:
        if self.pos >= len(self.source) or self.source[self.pos] != char:
            raise self.error(f"expected {char!r}")
        self.pos += 1


def parse_body(body: str) -> tuple[Node, ...]:
    """Parse a snippet body (VS Code snippet syntax) into nodes."""
    return _Parser(body).parse()
