"""The project as the layers engine reads it: modules found by import, parsed once per text.

Modules are found the way Python would from the importing file: relative imports from its
folder, absolute ones from the nearest ancestor folder (or its ``src/``) that holds them —
so ``backend/app/...`` and ``src/`` layouts work without configuration. Every read goes
through a ``ProjectFiles`` view (open buffers first in the editor).
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from fastapi_architect.project_files import DISK, ProjectFiles, read_text_or_none

MAX_ANCESTORS = 8
"""Folders above the importing file searched for an absolute import's package."""

MAX_HOPS = 6
"""Re-exports and aliases followed when resolving a name across modules."""


@dataclass(frozen=True)
class ImportRef:
    """``from <module> import <attr> as <local>`` (``attr`` is None for ``import module``)."""

    module: str
    attr: str | None
    level: int
    node: ast.Import | ast.ImportFrom
    type_checking: bool


@dataclass
class ModuleSource:
    """One parsed module and its module-level names."""

    path: Path
    text: str
    tree: ast.Module
    imports: dict[str, ImportRef] = field(default_factory=dict)
    values: dict[str, ast.expr] = field(default_factory=dict)
    """Module-level ``NAME = value`` / ``NAME: T = value`` / ``type NAME = value``."""
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    import_statements: list[tuple[ast.Import | ast.ImportFrom, bool]] = field(default_factory=list)
    """Every import statement at module level (``if``/``try`` included), with whether it is
    under ``if TYPE_CHECKING:``."""


@dataclass(frozen=True)
class Resolved:
    """What a name stands for: an external qualified name, or a definition in the project."""

    qualified: str | None = None
    """``sqlalchemy.orm.Session`` for names from outside the project."""
    source: ModuleSource | None = None
    value: ast.expr | None = None
    function: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    cls: ast.ClassDef | None = None
    module: Path | None = None
    """A project module the name is (``from app import db``)."""


def _is_type_checking(test: ast.expr) -> bool:
    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", None)
    return name == "TYPE_CHECKING"


def _collect(source: ModuleSource, body: list[ast.stmt], type_checking: bool) -> None:
    for statement in body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            source.import_statements.append((statement, type_checking))
            for alias in statement.names:
                if isinstance(statement, ast.Import):
                    local = alias.asname or alias.name.split(".")[0]
                    module = alias.name if alias.asname else local
                    ref = ImportRef(module, None, 0, statement, type_checking)
                elif alias.name == "*":
                    continue
                else:
                    local = alias.asname or alias.name
                    ref = ImportRef(
                        statement.module or "",
                        alias.name,
                        statement.level,
                        statement,
                        type_checking,
                    )
                source.imports.setdefault(local, ref)
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                source.values[target.id] = statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            if isinstance(statement.target, ast.Name):
                source.values[statement.target.id] = statement.value
        elif type(statement).__name__ == "TypeAlias":  # ``type X = ...`` (Python 3.12+)
            name, value = getattr(statement, "name", None), getattr(statement, "value", None)
            if isinstance(name, ast.Name) and isinstance(value, ast.expr):
                source.values[name.id] = value
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            source.functions[statement.name] = statement
        elif isinstance(statement, ast.ClassDef):
            source.classes[statement.name] = statement
        elif isinstance(statement, ast.If):
            inner = type_checking or _is_type_checking(statement.test)
            _collect(source, statement.body, inner)
            _collect(source, statement.orelse, type_checking)
        elif isinstance(statement, ast.Try):
            for block in (statement.body, statement.orelse, statement.finalbody):
                _collect(source, block, type_checking)
            for handler in statement.handlers:
                _collect(source, handler.body, type_checking)


def parse_source(path: Path, text: str, tree: ast.Module | None = None) -> ModuleSource | None:
    """``text`` parsed (or ``tree`` reused) with its module-level names; ``None`` if it does
    not parse."""
    if tree is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            return None
    source = ModuleSource(path, text, tree)
    _collect(source, tree.body, False)
    return source


class ParseCache:
    """Parsed modules by path, reused while their text is the same (across checks)."""

    def __init__(self, limit: int = 2_000) -> None:
        self._entries: dict[Path, ModuleSource | None] = {}
        self._texts: dict[Path, str] = {}
        self.limit = limit

    def get(self, path: Path, text: str, tree: ast.Module | None = None) -> ModuleSource | None:
        """The module parsed from ``text`` (``tree``: the caller's tree of it)."""
        cached = self._entries.get(path)
        if self._texts.get(path) == text and (
            tree is None or (cached is not None and cached.tree is tree)
        ):
            return cached
        parsed = parse_source(path, text, tree)
        if len(self._entries) >= self.limit and path not in self._entries:
            self._entries.clear()
            self._texts.clear()
        self._entries[path] = parsed
        self._texts[path] = text
        return parsed


class LayerProject:
    """Finds and parses the modules a checked module imports (cached per path and text)."""

    def __init__(
        self,
        files: ProjectFiles = DISK,
        root: Path | None = None,
        parsed: ParseCache | None = None,
    ) -> None:
        self.files = files
        self.root = root
        self._parsed = ParseCache() if parsed is None else parsed
        """Parsed modules by path; a cache shared across checks is checked against the text."""
        self._read: dict[Path, ModuleSource | None] = {}
        """Modules read during this check (each file is read once per check)."""
        self._found: dict[tuple[Path, str], Path | None] = {}
        self._files: dict[Path, bool] = {}
        self._modules: dict[tuple[Path, str, int], Path | None] = {}
        self._resolved: dict[tuple[int, tuple[str, ...]], Resolved] = {}
        """Names resolved during this check (sources stay alive as long as the check)."""

    def source(
        self, path: Path, text: str | None = None, tree: ast.Module | None = None
    ) -> ModuleSource | None:
        """The parsed module at ``path`` (``text``/``tree``: the caller's current copy)."""
        if text is None:
            if path in self._read:
                return self._read[path]
            text = read_text_or_none(self.files, path)
            parsed = None if text is None else self._parsed.get(path, text)
        else:
            parsed = self._parsed.get(path, text, tree)
        self._read[path] = parsed
        return parsed

    def might_serve_http(self, path: Path) -> bool:
        """A cheap first look: does the module at ``path`` mention FastAPI or Starlette?"""
        source = self._read.get(path)
        if source is not None:
            return "fastapi" in source.text or "starlette" in source.text
        text = read_text_or_none(self.files, path)
        return text is not None and ("fastapi" in text or "starlette" in text)

    def find_module(self, importer: Path, module: str, level: int) -> Path | None:
        """The file of ``module`` imported from ``importer`` (``level`` dots), or ``None``."""
        key = (importer.parent, module, level)
        if key not in self._modules:
            self._modules[key] = self._find_module(importer, module, level)
        return self._modules[key]

    def _find_module(self, importer: Path, module: str, level: int) -> Path | None:
        parts = [part for part in module.split(".") if part]
        if level > 0:
            base = importer.parent
            for _ in range(level - 1):
                base = base.parent
            return self._file_in(base, parts) if parts or level else None
        if not parts:
            return None
        for ancestor in self._ancestors(importer):
            key = (ancestor, module)
            if key not in self._found:
                self._found[key] = self._file_in(ancestor, parts) or self._file_in(
                    ancestor / "src", parts
                )
            if self._found[key] is not None:
                return self._found[key]
        return None

    def _ancestors(self, importer: Path) -> list[Path]:
        found: list[Path] = []
        for ancestor in importer.parents:
            if len(found) >= MAX_ANCESTORS:
                break
            found.append(ancestor)
            if self.root is not None and ancestor == self.root:
                break
        return found

    def _is_file(self, path: Path) -> bool:
        if path not in self._files:
            self._files[path] = self.files.is_file(path)
        return self._files[path]

    def _file_in(self, base: Path, parts: list[str]) -> Path | None:
        if not parts:
            init = base / "__init__.py"
            return init if self._is_file(init) else None
        if not self._is_dir_or_module(base, parts[0]):
            return None
        module = base.joinpath(*parts)
        for candidate in (module.with_name(module.name + ".py"), module / "__init__.py"):
            if self._is_file(candidate):
                return candidate
        return None

    def _is_dir_or_module(self, base: Path, head: str) -> bool:
        """``base/head/__init__.py`` or ``base/head.py`` or a namespace folder exists."""
        key = base / head
        if key not in self._files:
            self._files[key] = self.files.exists(key) or self.files.is_file(base / f"{head}.py")
        return self._files[key]

    def from_import(
        self, importer: Path, module: str, level: int, name: str
    ) -> tuple[Path | None, Path | None]:
        """``from <module> import <name>``: the module's file and, when ``name`` is a
        submodule of it (a package, or a namespace folder), the submodule's file."""
        package = self.find_module(importer, module, level)
        if package is not None:
            if package.name != "__init__.py":
                return package, None  # a plain module has no submodules
            return package, self._file_in(package.parent, [name])
        joined = f"{module}.{name}" if module else name
        return None, self.find_module(importer, joined, level)  # a namespace package

    def import_target(self, source: ModuleSource, ref: ImportRef) -> Path | None:
        """The project file an import brings in: the submodule for ``from pkg import mod``,
        else the module itself; ``None`` when it is not in the project."""
        if ref.attr is None:
            return self.find_module(source.path, ref.module, ref.level)
        module_path, found = self.from_import(source.path, ref.module, ref.level, ref.attr)
        return found or module_path

    def resolve(self, source: ModuleSource, dotted: list[str], hops: int = 0) -> Resolved:
        """What ``a.b.c`` means in ``source``: followed through imports and re-exports."""
        if not dotted or hops > MAX_HOPS:
            return Resolved()
        key = (id(source), tuple(dotted))
        found = self._resolved.get(key)
        if found is None:
            found = self._resolve(source, dotted, hops)
            self._resolved[key] = found
        return found

    def _resolve(self, source: ModuleSource, dotted: list[str], hops: int) -> Resolved:
        head, rest = dotted[0], dotted[1:]
        if head in source.functions and not rest:
            return Resolved(source=source, function=source.functions[head])
        if head in source.values and not rest:
            return Resolved(source=source, value=source.values[head])
        if head in source.classes and not rest:
            return Resolved(source=source, cls=source.classes[head])
        ref = source.imports.get(head)
        if ref is None:
            return Resolved()
        if ref.attr is None:
            module_path = self.find_module(source.path, ref.module, 0)
            if module_path is None:
                return Resolved(qualified=".".join([ref.module, *rest]))
            return self._inside(module_path, rest, hops)
        module_path, submodule = self.from_import(source.path, ref.module, ref.level, ref.attr)
        if submodule is not None:
            return self._inside(submodule, rest, hops)
        if module_path is None:
            if ref.level:
                return Resolved()
            return Resolved(qualified=".".join([ref.module, ref.attr, *rest]))
        return self._inside(module_path, [ref.attr, *rest], hops)

    def _inside(self, module_path: Path, rest: list[str], hops: int) -> Resolved:
        if not rest:
            return Resolved(module=module_path)
        target = self.source(module_path)
        if target is None:
            return Resolved()
        return self.resolve(target, rest, hops + 1)


def dotted_name(node: ast.expr) -> list[str]:
    """``a.b.c`` → ``["a", "b", "c"]``; ``[]`` for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return []
    parts.append(node.id)
    return parts[::-1]
