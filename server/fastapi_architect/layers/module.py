"""One checked module: its source, its layer, its path operations and position helpers."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property

from fastapi_architect.extract.endpoints import path_operation_decorator
from fastapi_architect.layers.layout import Layer, layer_of, module_parts, under_api
from fastapi_architect.layers.project import LayerProject, ModuleSource
from fastapi_architect.layers.sessions import SessionTypes, own_nodes
from fastapi_architect.textedit import TextPosition

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

MAX_PACKAGE_DEPTH = 32


def endpoints_of(source: ModuleSource) -> list[FunctionNode]:
    """Module-level path operation functions (``@router.get(...)``) of a FastAPI module."""
    if not any(ref.module.startswith("fastapi") for ref in source.imports.values()):
        return []
    return [
        node
        for node in source.tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and path_operation_decorator(node) is not None
    ]


@dataclass
class CheckedModule:
    """The module under check and what the rules share about it."""

    source: ModuleSource
    relative: str
    """Its path relative to the project root, POSIX (decides the layer)."""
    project: LayerProject
    sessions: SessionTypes
    lines: list[str] = field(default_factory=list)
    _own: dict[int, list[ast.AST]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lines = self.source.text.splitlines()

    @cached_property
    def parts(self) -> tuple[str, ...]:
        return module_parts(self.relative)

    @cached_property
    def package(self) -> tuple[str, ...]:
        """The folders of the module's package chain (those holding an ``__init__.py``)."""
        folders: list[str] = []
        folder = self.source.path.parent
        while len(folders) < MAX_PACKAGE_DEPTH and folder.parent != folder:
            if not self.project.files.is_file(folder / "__init__.py"):
                break
            folders.append(folder.name)
            folder = folder.parent
        return tuple(reversed(folders))

    @cached_property
    def layer(self) -> Layer | None:
        return layer_of(self.parts, package=self.package)

    @cached_property
    def under_api(self) -> bool:
        return under_api(self.parts)

    @cached_property
    def endpoints(self) -> list[FunctionNode]:
        return endpoints_of(self.source)

    def own_nodes(self, function: FunctionNode) -> list[ast.AST]:
        """The nodes of ``function``'s own scope (computed once per check)."""
        key = id(function)
        if key not in self._own:
            self._own[key] = own_nodes(function.body)
        return self._own[key]

    def position(self, line: int, byte_column: int) -> TextPosition:
        """``ast``'s 1-based line and UTF-8 byte column → a 0-based code-point position."""
        index = line - 1
        text = self.lines[index] if 0 <= index < len(self.lines) else ""
        if text.isascii():
            return TextPosition(index, byte_column)
        return TextPosition(
            index, len(text.encode("utf-8")[:byte_column].decode("utf-8", "ignore"))
        )

    def span(self, node: ast.stmt | ast.expr) -> tuple[TextPosition, TextPosition]:
        """The start and end of ``node``."""
        end_line = node.end_lineno or node.lineno
        end_column = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return self.position(node.lineno, node.col_offset), self.position(end_line, end_column)
