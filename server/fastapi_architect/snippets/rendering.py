"""A parsed snippet body as text: expanded at its defaults (for clients without snippet support
and to prove every snippet compiles), or rendered back to snippet syntax with the variables
already resolved (clients' snippet engines differ in their variable support)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from fastapi_architect.snippets.grammar import Node, Tabstop, Text, Variable


def _placeholder_defaults(nodes: Sequence[Node]) -> dict[int, Tabstop]:
    """The first placeholder (with a default or choices) of every tabstop index."""
    found: dict[int, Tabstop] = {}

    def visit(items: Sequence[Node]) -> None:
        for node in items:
            if isinstance(node, Tabstop):
                if node.index not in found and (
                    node.children is not None or node.choices is not None
                ):
                    found[node.index] = node
                if node.children:
                    visit(node.children)
            elif isinstance(node, Variable) and node.children:
                visit(node.children)

    visit(nodes)
    return found


def expand(nodes: Sequence[Node], variables: Mapping[str, str] | None = None) -> str:
    """Plain text of a parsed body with every placeholder at its default.

    Mirrors (``$1`` after ``${1:name}``) repeat the default; choices take their first option;
    ``$0`` and bare tabstops vanish; variables take their value from ``variables``, else their
    default, else their own name (as VS Code does).
    """
    values = dict(variables or {})
    defaults = _placeholder_defaults(nodes)
    resolving: set[int] = set()

    def tabstop_value(index: int) -> str:
        placeholder = defaults.get(index)
        if placeholder is None or index in resolving:
            return ""
        resolving.add(index)
        try:
            if placeholder.choices is not None:
                return placeholder.choices[0] if placeholder.choices else ""
            return text_of(placeholder.children or ())
        finally:
            resolving.discard(index)

    def text_of(items: Sequence[Node]) -> str:
        pieces: list[str] = []
        for node in items:
            if isinstance(node, Text):
                pieces.append(node.value)
            elif isinstance(node, Tabstop):
                if node.children is not None and node.index not in resolving:
                    value = text_of(node.children)
                else:
                    value = tabstop_value(node.index)
                pieces.append(node.transform.apply(value) if node.transform else value)
            elif node.name in values:
                value = values[node.name]
                pieces.append(node.transform.apply(value) if node.transform else value)
            elif node.children is not None:
                pieces.append(text_of(node.children))
            else:
                pieces.append(node.name)
        return "".join(pieces)

    return text_of(nodes)


def escape_snippet_text(text: str) -> str:
    """Escape literal text for snippet syntax (``\\``, ``$`` and ``}``)."""
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def _escape_choice(option: str) -> str:
    return re.sub(r"([\\,|$}])", r"\\\1", option)


def render(nodes: Sequence[Node], variables: Mapping[str, str] | None = None) -> str:
    """Snippet syntax for ``nodes`` with every variable replaced by its (escaped) value.

    Tabstops, placeholders and choices stay; transforms on tabstops are dropped (few LSP
    clients implement them) and the tabstop is kept as a plain mirror.
    """
    values = dict(variables or {})

    def text_of(items: Sequence[Node]) -> str:
        pieces: list[str] = []
        for node in items:
            if isinstance(node, Text):
                pieces.append(escape_snippet_text(node.value))
            elif isinstance(node, Tabstop):
                if node.choices is not None:
                    options = ",".join(_escape_choice(option) for option in node.choices)
                    pieces.append(f"${{{node.index}|{options}|}}")
                elif node.children is not None:
                    pieces.append(f"${{{node.index}:{text_of(node.children)}}}")
                else:
                    pieces.append(f"${{{node.index}}}")
            elif node.name in values:
                value = values[node.name]
                value = node.transform.apply(value) if node.transform else value
                pieces.append(escape_snippet_text(value))
            elif node.children is not None:
                pieces.append(text_of(node.children))
            else:
                pieces.append(escape_snippet_text(node.name))
        return "".join(pieces)

    return text_of(nodes)


def snippet_variables(file_path: Path | None, workspace_root: Path | None = None) -> dict[str, str]:
    """Values of VS Code's file variables (``TM_FILENAME`` …) for a document."""
    values: dict[str, str] = {}
    if file_path is not None:
        values["TM_FILENAME"] = file_path.name
        values["TM_FILENAME_BASE"] = file_path.stem
        values["TM_DIRECTORY"] = str(file_path.parent)
        values["TM_FILEPATH"] = str(file_path)
        relative = file_path.name
        if workspace_root is not None:
            try:
                relative = file_path.relative_to(workspace_root).as_posix()
            except ValueError:
                relative = file_path.name
        values["RELATIVE_FILEPATH"] = relative
    if workspace_root is not None:
        values["WORKSPACE_NAME"] = workspace_root.name
        values["WORKSPACE_FOLDER"] = str(workspace_root)
    return values
