"""The service function's body: the endpoint's lines, some qualified reads made bare.

``self.session`` in a class-based view's method becomes ``session`` (an argument), and
``service.get`` (the service module read through the endpoint module's import of it) becomes
``get`` once the code lives in that module. A method's lines are shifted left to module level;
lines inside multi-line strings keep their text.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence


def _string_continuations(body: Sequence[ast.stmt]) -> set[int]:
    """1-based lines that start inside a multi-line string (their indentation is data)."""
    inside: set[int] = set()
    for statement in body:
        for node in ast.walk(statement):
            if not isinstance(node, (ast.JoinedStr, ast.Constant)) or node.end_lineno is None:
                continue
            if isinstance(node, ast.JoinedStr) or isinstance(node.value, (str, bytes)):
                inside.update(range(node.lineno + 1, node.end_lineno + 1))
    return inside


def service_body(
    lines: Sequence[str],
    first: int,
    last: int,
    reads: Sequence[ast.Attribute],
    body: Sequence[ast.stmt],
    dedent: int,
) -> str:
    """Lines ``first``..``last`` (0-based) of the endpoint, each of ``reads`` (one-line
    ``<name>.<attribute>`` expressions) replaced by its attribute name, shifted ``dedent``
    columns left (lines inside multi-line strings are left alone)."""
    by_line: dict[int, list[ast.Attribute]] = {}
    for node in reads:
        by_line.setdefault(node.lineno - 1, []).append(node)
    keep = _string_continuations(body)
    result: list[str] = []
    for index in range(first, last + 1):
        line = lines[index]
        ending = line[len(line.rstrip("\r\n")) :]
        text = line[: len(line) - len(ending)]
        encoded = text.encode("utf-8")
        for node in sorted(by_line.get(index, []), key=lambda n: n.col_offset, reverse=True):
            end = node.end_col_offset or node.col_offset
            encoded = encoded[: node.col_offset] + node.attr.encode("utf-8") + encoded[end:]
        text = encoded.decode("utf-8")
        if index + 1 in keep:
            pass
        elif not text.strip():
            text = ""
        elif text[:dedent].strip(" \t") == "":
            text = text[dedent:]
        result.append(text + "\n")
    return "".join(result)
