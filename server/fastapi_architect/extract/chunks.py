"""Pieces of the endpoint module's source that move: line spans kept verbatim, comments too."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi_architect.extract.context import EndpointModule, ExtractRefusal
from fastapi_architect.extract.endpoints import Endpoint, body_statements, signature_last_line
from fastapi_architect.project_files import newline_of as newline_of


def to_lf(text: str) -> str:
    """Normalise line endings to ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def with_newline(text: str, newline: str) -> str:
    """Convert ``\\n`` line endings of ``text`` to ``newline``."""
    return text if newline == "\n" else text.replace("\n", newline)


@dataclass(frozen=True)
class Chunk:
    """A top-level statement of the endpoint module, by 0-based line span."""

    name: str
    first: int
    last: int
    text: str


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def body_span(endpoint: Endpoint, lines: Sequence[str]) -> tuple[int, int]:
    """0-based first and last line of the endpoint's body after its docstring."""
    node = endpoint.node
    body = body_statements(node)
    if len(body) != len(node.body):
        first = node.body[0].end_lineno or node.body[0].lineno
        while first < body[0].lineno - 1 and not lines[first].strip():
            first += 1
    else:
        first = body[0].lineno - 1
        floor = signature_last_line(node)
        while first - 1 >= floor and _is_comment(lines[first - 1]):
            first -= 1
    last = (body[-1].end_lineno or body[-1].lineno) - 1
    while (
        last + 1 < len(lines)
        and _is_comment(lines[last + 1])
        and indent_width(lines[last + 1]) > node.col_offset
    ):
        last += 1
    return first, last


def indent_width(line: str) -> int:
    """Number of leading spaces and tabs of ``line``."""
    return len(line) - len(line.lstrip(" \t"))


def chunk_of(name: str, node: ast.stmt, ctx: EndpointModule) -> Chunk:
    """The lines of a top-level definition, with its decorators and the comments above it."""
    decorators = getattr(node, "decorator_list", [])
    first = min([node.lineno, *(d.lineno for d in decorators)]) - 1
    last = (node.end_lineno or node.lineno) - 1
    index = ctx.tree.body.index(node)
    previous_end = (ctx.tree.body[index - 1].end_lineno or 0) - 1 if index > 0 else -1
    following = ctx.tree.body[index + 1].lineno - 1 if index + 1 < len(ctx.tree.body) else None
    if previous_end >= first or (following is not None and following <= last):
        raise ExtractRefusal(f"`{name}` shares its line with another statement; split them first")
    while first - 1 > previous_end and _is_comment(ctx.lines[first - 1]):
        first -= 1
    return Chunk(name, first, last, to_lf("".join(ctx.lines[first : last + 1])))
