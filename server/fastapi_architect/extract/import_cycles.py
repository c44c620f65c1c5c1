"""A new import in an existing service module must not close an import cycle.

Moving code moves its imports. When ``case/service.py`` starts importing ``auth/service.py``
and that module (through others) imports ``case/service.py`` at module level, the app fails
at import time on a partially initialised module — the router had imported it safely, late.
Module-level imports are read with a regular expression (``import`` / ``from … import`` at
column 0; indented ones, such as ``if TYPE_CHECKING:`` blocks and imports inside functions,
do not run at import time or are left out) through the project-files view, at most
``MAX_MODULES`` modules per check.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

from fastapi_architect.extract.context import EndpointModule, ExtractRefusal
from fastapi_architect.extract.targets import TargetModule
from fastapi_architect.project_files import ProjectFiles, read_text_or_none

MAX_MODULES = 3_000
"""How many modules one check reads at most (then it stops looking, and allows)."""

_IMPORT = re.compile(
    r"^(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]+)"
    r"|import[ \t]+([^\n#;]+))",
    re.MULTILINE,
)
_ALIAS = re.compile(r"[ \t]+as[ \t]+\w+")


class ImportGraph:
    """Module-level imports between the first-party modules under an import root; an edge
    is a *name* edge when it takes a name out of the module (``from a.b import f``) rather
    than the module itself (``import a.b``, ``from a import b``)."""

    def __init__(self, root: Path, files: ProjectFiles) -> None:
        self.root = root
        self.files = files
        self._edges: dict[str, dict[str, bool]] = {}
        self._paths: dict[str, Path | None] = {}

    def file_of(self, module: str) -> Path | None:
        """The file of a first-party module or package, or ``None``."""
        if module not in self._paths:
            base = self.root.joinpath(*module.split(".")) if module else self.root
            found = None
            for path in (base.with_suffix(".py"), base / "__init__.py"):
                if module and self.files.is_file(path):
                    found = path
                    break
            self._paths[module] = found
        return self._paths[module]

    def imports_of(self, module: str) -> dict[str, bool]:
        """First-party modules ``module`` imports at module level, each with whether that
        import takes names out of it."""
        if module in self._edges:
            return self._edges[module]
        found: dict[str, bool] = {}
        self._edges[module] = found
        path = self.file_of(module)
        text = read_text_or_none(self.files, path) if path is not None else None
        if path is None or text is None:
            return found
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for dots, source, names, plain in _IMPORT.findall(text):
            if plain:
                for entry in _ALIAS.sub("", plain).split(","):
                    self._add(found, entry.strip(), takes_names=False)
                continue
            if dots:
                parts = package.split(".") if package else []
                keep = len(parts) - (len(dots) - 1)
                if keep < 0:
                    continue
                source = ".".join([*parts[:keep], *([source] if source else [])])
            taken = False
            for name in _ALIAS.sub("", names.strip("()")).split(","):
                name = name.strip()
                if not name or not source:
                    continue
                if name != "*" and self.file_of(f"{source}.{name}") is not None:
                    self._add(found, f"{source}.{name}", takes_names=False)
                else:
                    taken = True
            self._add(found, source, takes_names=taken)
        return found

    def _add(self, found: dict[str, bool], module: str, *, takes_names: bool) -> None:
        if module and self.file_of(module) is not None:
            found[module] = found.get(module, False) or takes_names

    def fatal_path(self, start: str, goal: str, limit: int = MAX_MODULES) -> list[str] | None:
        """An import path from ``start`` back to ``goal`` that fails when the modules form a
        cycle — one taking a name out of a module that may still be initialising — or
        ``None``. Cycles made of module imports only (``from app import service``) work."""
        previous: dict[str, str | None] = {start: None}
        pending = deque([start])
        while pending and len(previous) <= limit:
            for target in sorted(self.imports_of(pending.popleft())):
                if target not in previous:
                    previous[target] = None
                    pending.append(target)
        if goal not in previous:
            return None
        reaching = {goal}  # modules of the reachable part that lead to `goal`
        changed = True
        while changed:
            changed = False
            for module in previous:
                if module not in reaching and reaching.intersection(self.imports_of(module)):
                    reaching.add(module)
                    changed = True
        for module in sorted(reaching):
            for target, takes_names in sorted(self.imports_of(module).items()):
                if takes_names and target in reaching:
                    return [
                        *self._path(start, module, reaching),
                        *self._path(target, goal, reaching),
                    ]
        return None

    def _path(self, start: str, end: str, allowed: set[str]) -> list[str]:
        """A shortest import path from ``start`` to ``end`` inside ``allowed``."""
        previous: dict[str, str | None] = {start: None}
        pending = deque([start])
        while pending:
            module = pending.popleft()
            if module == end:
                break
            for target in sorted(self.imports_of(module)):
                if target in allowed and target not in previous:
                    previous[target] = module
                    pending.append(target)
        path: list[str] = []
        step: str | None = end
        while step is not None:
            path.append(step)
            step = previous.get(step)
        return path[::-1]


def cycle_reason(
    module: str, added: Iterable[tuple[str, str, bool]], graph: ImportGraph, where: str
) -> str | None:
    """Why importing each ``(name, source module, takes the name out)`` of ``added`` in
    ``module`` would close an import cycle that fails at start-up, or ``None``."""
    for name, source, takes_names in sorted(set(added)):
        if graph.file_of(source) is None or source == module:
            continue
        if takes_names:  # `from source import name` fails whenever `source` starts first
            path = graph.fatal_path(source, module) or _any_path(graph, source, module)
        else:
            path = graph.fatal_path(source, module)
        if path is not None:
            return (
                f"{where} would import `{name}` from {source}, which imports {where} back at "
                f"module level ({' → '.join(path)}): an import cycle that fails at start-up; "
                f"move `{name}` to a module {source} does not depend on, or extract by hand"
            )
    return None


def _any_path(graph: ImportGraph, start: str, goal: str) -> list[str] | None:
    previous: dict[str, str | None] = {start: None}
    pending = deque([start])
    while pending and len(previous) <= MAX_MODULES:
        module = pending.popleft()
        for target in sorted(graph.imports_of(module)):
            if target in previous:
                continue
            previous[target] = module
            if target == goal:
                path: list[str] = []
                step: str | None = target
                while step is not None:
                    path.append(step)
                    step = previous[step]
                return path[::-1]
            pending.append(target)
    return None


def refuse_import_cycles(
    modules: Iterable[TargetModule], ctx: EndpointModule, where: Callable[[Path], str]
) -> None:
    """Refuse when the imports the plan adds to an existing module would close a cycle."""
    graph: ImportGraph | None = None
    for module in modules:
        if module.text is None or module.symbols is None or not module.chunks:
            continue
        added = module.imports - set(module.symbols.imports.values())
        if not added:
            continue
        graph = graph or ImportGraph(ctx.layout.import_root, ctx.files)
        sources: list[tuple[str, str, bool]] = []
        for binding in added:
            if binding.module is None:
                sources.append((binding.bound, binding.name, False))
                continue
            submodule = f"{binding.module}.{binding.name}"
            if graph.file_of(submodule) is not None:
                sources.append((binding.bound, submodule, False))
            else:
                sources.append((binding.bound, binding.module, True))
        reason = cycle_reason(module.target.module, sources, graph, where(module.target.path))
        if reason is not None:
            raise ExtractRefusal(reason)
