"""Which module of the workspace defines ``SessionDep``, ``get_db``, ``User`` and friends.

The completion of ``session: SessionDep`` adds ``from app.api.deps import SessionDep``; this
index answers "from where?". It walks the workspace's Python files, reads only the files where
a line starts a definition of a wanted name (regex pre-filter), confirms top-level definitions
with ``ast`` and caches the answer per file by ``(mtime, size)``.

Answers are fresh: a module created or changed a moment ago counts at the next lookup. While
walks stay cheap (``sync_walk_budget``, a few milliseconds in a usual project) every lookup
re-walks (only ``stat`` calls for unchanged files); in a larger workspace a lookup older than
``ttl`` waits up to ``refresh_wait`` for the background walk. Open buffers (``modules(buffers)``)
win over the disk, so an unsaved module counts too. The first lookup waits for the first walk
at most ``first_build_wait`` seconds.
"""

from __future__ import annotations

import ast
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi_architect.project_files import is_skipped_directory_name, read_text_safely

MAX_FILES = 5_000
MAX_FILE_BYTES = 1_000_000
PREFERRED_MODULE_NAMES = frozenset({"deps", "dependencies"})
"""When a name is defined in several modules, a module named like this wins."""


@dataclass(frozen=True)
class Definition:
    """A top-level definition of a wanted name."""

    name: str
    module: str
    path: Path


def module_name(path: Path, root: Path) -> str | None:
    """The dotted module name of ``path`` (package-aware; ``src/`` layouts supported)."""
    parts = [] if path.stem == "__init__" else [path.stem]
    parent = path.parent
    climbed = False
    while (parent / "__init__.py").is_file() and parent != parent.parent:
        parts.insert(0, parent.name)
        climbed = True
        if parent == root:
            break
        parent = parent.parent
    if not climbed:
        try:
            relative = path.relative_to(root).with_suffix("").parts
        except ValueError:
            return None
        relative_parts = [p for p in relative if p != "__init__"]
        if relative_parts and relative_parts[0] == "src":
            relative_parts = relative_parts[1:]
        parts = relative_parts
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


def is_test_path(path: Path, root: Path) -> bool:
    """Tests and conftest files are never import sources."""
    name = path.name
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    try:
        folders = path.relative_to(root).parts[:-1]
    except ValueError:
        folders = path.parts[:-1]
    return any(folder in {"tests", "test"} for folder in folders)


def _skipped(name: str) -> bool:
    """Tool folders (``project_files``), hidden ones, and a virtualenv named ``env``."""
    return name == "env" or is_skipped_directory_name(name)


def python_files(root: Path, limit: int = MAX_FILES) -> Iterator[os.DirEntry[str]]:
    """The ``.py`` files under ``root``, skipping hidden and tool folders, at most ``limit``."""
    count = 0
    pending = [str(root)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in listed:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith(".") and not _skipped(entry.name):
                        pending.append(entry.path)
                elif entry.name.endswith(".py") and entry.is_file():
                    yield entry
                    count += 1
                    if count >= limit:
                        return
            except OSError:
                continue


@lru_cache(maxsize=16)
def _definition_pattern(wanted: frozenset[str]) -> re.Pattern[str]:
    """A line-start definition of any wanted name: the cheap filter before ``ast.parse``."""
    names = "|".join(re.escape(name) for name in sorted(wanted)) or "(?!)"
    return re.compile(
        rf"^(?:(?:async[ \t]+)?def|class|type)[ \t]+(?:{names})\b"
        rf"|^(?:{names})[ \t]*(?::[^=\n]*)?=(?!=)",
        re.MULTILINE,
    )


def top_level_definitions(source: str, wanted: Iterable[str]) -> tuple[str, ...]:
    """The wanted names that ``source`` defines at module level (``()`` if it does not parse)."""
    wanted_set = frozenset(wanted)
    if _definition_pattern(wanted_set).search(source) is None:
        return ()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    found: list[str] = []
    for node in tree.body:
        names: list[str] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names.extend(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
        elif type(node).__name__ == "TypeAlias":  # Python 3.12 ``type X = …``
            target = getattr(node, "name", None)
            if isinstance(target, ast.Name):
                names.append(target.id)
        found.extend(name for name in names if name in wanted_set and name not in found)
    return tuple(found)


@lru_cache(maxsize=16)
def _resolved(root: Path) -> Path:
    try:
        return root.resolve()
    except (OSError, RuntimeError):
        return root


def choose_modules(definitions: Iterable[Definition]) -> dict[str, str]:
    """Name → module for every name with one clear home (a ``deps`` module wins ties)."""
    homes: dict[str, set[str]] = {}
    for definition in definitions:
        homes.setdefault(definition.name, set()).add(definition.module)
    chosen: dict[str, str] = {}
    for name, modules in homes.items():
        if len(modules) == 1:
            chosen[name] = next(iter(modules))
            continue
        preferred = [m for m in modules if m.rsplit(".", 1)[-1] in PREFERRED_MODULE_NAMES]
        if len(preferred) == 1:
            chosen[name] = preferred[0]
    return chosen


class WorkspaceIndex:
    """Cached name → module lookups over some workspace roots."""

    def __init__(
        self,
        roots: Sequence[Path],
        wanted: Iterable[str],
        ttl: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        first_build_wait: float = 1.0,
        sync_walk_budget: float = 0.01,
        refresh_wait: float = 0.5,
    ) -> None:
        self.roots = tuple(roots)
        self.wanted = frozenset(wanted)
        self.ttl = ttl
        self.first_build_wait = first_build_wait
        self.sync_walk_budget = sync_walk_budget
        self.refresh_wait = refresh_wait
        self._clock = clock
        self._lock = threading.Lock()
        self._walking = threading.Lock()
        """Held for a whole walk: walks run one at a time, the later one on a warm cache."""
        self._files: dict[str, tuple[tuple[int, int], tuple[Definition, ...]]] = {}
        self._modules: dict[str, str] | None = None
        self._built_at = 0.0
        self._walk_seconds = float("inf")
        self._refreshing: threading.Thread | None = None
        self._buffers: dict[str, tuple[str, tuple[Definition, ...] | None]] = {}

    def modules(self, buffers: Mapping[Path, str] | None = None) -> Mapping[str, str]:
        """Name → defining module, from the disk as it is now and the open ``buffers``.

        ``buffers`` maps an open document's path to its text: it replaces the file on disk
        (a buffer that does not parse keeps the disk's answer). The first call waits up to
        ``first_build_wait`` seconds for the first walk; in a workspace too large for that it
        answers from the buffers alone until the walk ends.
        """
        disk = self._fresh_disk_modules()
        if not buffers:
            return disk
        replaced = self._buffer_definitions(buffers)
        if not replaced:
            return disk
        with self._lock:
            files = dict(self._files)
        definitions = [
            definition
            for path, (_, found) in files.items()
            if path not in replaced
            for definition in found
        ]
        definitions += [d for found in replaced.values() for d in found]
        return choose_modules(definitions)

    def _fresh_disk_modules(self) -> dict[str, str]:
        """The disk's answer, re-walked now when that is cheap, else no older than ``ttl``."""
        with self._lock:
            current = self._modules
            stale = self._clock() - self._built_at > self.ttl
            busy = self._refreshing is not None and self._refreshing.is_alive()
            cheap = self._walk_seconds <= self.sync_walk_budget
        if current is None:
            thread = self._refreshing if busy else self._start_refresh()
            if thread is not None:
                thread.join(self.first_build_wait)
        elif cheap:
            return self.refresh()
        elif stale:
            thread = self._refreshing if busy else self._start_refresh()
            if thread is not None:
                thread.join(self.refresh_wait)
        else:
            return current
        with self._lock:
            return dict(self._modules or {})

    def _buffer_definitions(self, buffers: Mapping[Path, str]) -> dict[str, tuple[Definition, ...]]:
        """Definitions of the open buffers under the roots that parse, keyed like the walk's."""
        found: dict[str, tuple[Definition, ...]] = {}
        seen: set[str] = set()
        for given, text in buffers.items():
            located = self._locate(given)
            if located is None or given.suffix != ".py":
                continue
            root, path = located
            key = str(path)
            seen.add(key)
            cached = self._buffers.get(key)
            if cached is None or cached[0] != text:  # same object: no compare
                cached = (text, self._definitions_in(text, path, root))
                self._buffers[key] = cached
            if cached[1] is not None:
                found[key] = cached[1]
        for closed in self._buffers.keys() - seen:
            self._buffers.pop(closed, None)
        return found

    def _locate(self, path: Path) -> tuple[Path, Path] | None:
        """The root holding ``path`` and ``path`` spelt from that root, as the walk spells it."""
        for root in self.roots:
            if path.is_relative_to(root):
                return root, path
        for root in self.roots:
            resolved = _resolved(root)
            if path.is_relative_to(resolved):
                return root, root / path.relative_to(resolved)
        return None

    def _definitions_in(self, text: str, path: Path, root: Path) -> tuple[Definition, ...] | None:
        """The wanted definitions of an open buffer (``None``: it does not parse)."""
        if is_test_path(path, root) or len(text) > MAX_FILE_BYTES:
            return ()
        names = top_level_definitions(text, self.wanted)
        if not names and _definition_pattern(self.wanted).search(text) is not None:
            try:
                ast.parse(text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return None  # half-typed: the disk's version answers
        module = module_name(path, root)
        if module is None:
            return ()
        return tuple(Definition(name, module, path) for name in names)

    def _start_refresh(self) -> threading.Thread:
        thread = threading.Thread(target=self.refresh, name="workspace-index", daemon=True)
        with self._lock:
            self._refreshing = thread
        thread.start()
        return thread

    def refresh(self) -> dict[str, str]:
        """Walk the roots now and return the new lookup."""
        with self._walking:
            started = time.perf_counter()
            modules = self._walk()
            elapsed = time.perf_counter() - started
        with self._lock:
            self._walk_seconds = elapsed
        return modules

    def _walk(self) -> dict[str, str]:
        files: dict[str, tuple[tuple[int, int], tuple[Definition, ...]]] = {}
        with self._lock:
            previous = dict(self._files)
        for root in self.roots:
            for entry in python_files(root):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                key = (stat.st_mtime_ns, stat.st_size)
                cached = previous.get(entry.path)
                if cached is not None and cached[0] == key:
                    files[entry.path] = cached
                    continue
                files[entry.path] = (key, self._read_definitions(Path(entry.path), root, stat))
        modules = choose_modules(d for _, found in files.values() for d in found)
        with self._lock:
            self._files = files
            self._modules = modules
            self._built_at = self._clock()
        return modules

    def _read_definitions(
        self, path: Path, root: Path, stat: os.stat_result
    ) -> tuple[Definition, ...]:
        if stat.st_size > MAX_FILE_BYTES or is_test_path(path, root):
            return ()
        try:
            source = read_text_safely(path, MAX_FILE_BYTES)
        except (OSError, UnicodeDecodeError, ValueError):
            return ()
        names = top_level_definitions(source, self.wanted)
        if not names:
            return ()
        module = module_name(path, root)
        if module is None:
            return ()
        return tuple(Definition(name, module, path) for name in names)
