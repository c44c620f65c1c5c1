"""The project's import style: ruff's isort settings, its line length, its source roots and
the Python version it targets."""

from __future__ import annotations

import enum
import functools
import importlib
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi_architect.project_files import read_text_safely

DEFAULT_LINE_LENGTH = 88


class Section(enum.IntEnum):
    """isort's sections, in the order ruff lays them out."""

    FUTURE = 0
    STANDARD_LIBRARY = 1
    THIRD_PARTY = 2
    FIRST_PARTY = 3
    LOCAL_FOLDER = 4


@dataclass(frozen=True)
class ImportStyle:
    """How imports are laid out; the defaults are ruff's."""

    line_length: int = DEFAULT_LINE_LENGTH
    known_first_party: frozenset[str] = frozenset()
    known_third_party: frozenset[str] = frozenset()
    force_single_line: bool = False
    combine_as_imports: bool = False
    force_sort_within_sections: bool = False
    lines_after_imports: int = -1
    """-1: one blank line before code, two before a ``def``/``class`` (ruff's default)."""
    source_roots: tuple[Path, ...] = ()
    """Folders whose top-level modules are first party (ruff's ``src``)."""
    first_party_modules: frozenset[str] = frozenset()
    """Modules that are the project's own though not on disk yet (a plan is creating them)."""
    target_version: tuple[int, int] | None = None
    """The oldest Python the project supports (ruff's ``target-version``, else the lower bound
    of ``requires-python``); ``None`` when the project does not say."""
    is_dir: Callable[[Path], bool] = field(default=Path.is_dir, compare=False, repr=False)
    is_file: Callable[[Path], bool] = field(default=Path.is_file, compare=False, repr=False)

    def section_of(self, module: str, level: int = 0) -> Section:
        """ruff's section of ``module`` (``level`` > 0: a relative import)."""
        if level > 0:
            return Section.LOCAL_FOLDER
        if module == "__future__":
            return Section.FUTURE
        known = _known(module, self.known_first_party, self.known_third_party)
        if known is not None:
            return known
        if module.split(".", 1)[0] in sys.stdlib_module_names:
            return Section.STANDARD_LIBRARY
        if module in self.first_party_modules or self._under_source_root(module):
            return Section.FIRST_PARTY
        return Section.THIRD_PARTY

    def _under_source_root(self, module: str) -> bool:
        """ruff's rule: the module's own folder or file exists under a source root."""
        relative = Path(*module.split("."))
        for source in self.source_roots:
            path = source / relative
            try:
                if (
                    self.is_dir(path)
                    or self.is_file(path.with_name(path.name + ".py"))
                    or self.is_file(path.with_name(path.name + ".pyi"))
                ):
                    return True
            except (OSError, ValueError):
                continue
        return False


DEFAULT_STYLE = ImportStyle()


def _known(module: str, first: frozenset[str], third: frozenset[str]) -> Section | None:
    """The section ``known-*`` settings give ``module`` or one of its parents."""
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        prefix = ".".join(parts[:length])
        if prefix in first:
            return Section.FIRST_PARTY
        if prefix in third:
            return Section.THIRD_PARTY
    return None


@dataclass(frozen=True)
class LoadedStyle:
    """The style found for a project, and a warning to log once when its config was unreadable."""

    style: ImportStyle
    config: Path | None
    warning: str | None = None


def load_style(
    root: Path,
    read_text: Callable[[Path], str | None] | None = None,
    *,
    is_dir: Callable[[Path], bool] = Path.is_dir,
    is_file: Callable[[Path], bool] = Path.is_file,
) -> LoadedStyle:
    """Read the import style of the project at ``root`` (``ruff.toml``, ``pyproject.toml``).

    ``read_text`` returns a file's text or ``None`` when it does not exist (default: the disk).
    A config that cannot be read falls back to ruff's defaults, with a warning saying so.
    """
    reader = read_text or _read_disk
    requires = _requires_python_target(root, reader)
    for name in ("ruff.toml", ".ruff.toml", "pyproject.toml"):
        path = root / name
        text = reader(path)
        if text is None:
            continue
        try:
            data = _parse_toml(text)
        except ValueError as error:
            warning = f"{path}: cannot read the isort settings ({error}); using ruff's defaults"
            return LoadedStyle(_style({}, {}, root, is_dir, is_file, requires), path, warning)
        if name == "pyproject.toml":
            tool = data.get("tool", {})
            ruff = tool.get("ruff") if isinstance(tool, dict) else None
            isort = tool.get("isort") if isinstance(tool, dict) else None
            if not isinstance(ruff, dict) and not isinstance(isort, dict):
                continue  # not configured here: ruff keeps looking too
            ruff = ruff if isinstance(ruff, dict) else {}
            legacy = isort if isinstance(isort, dict) else {}
        else:
            ruff, legacy = data, {}
        target = ruff_target_version(ruff.get("target-version")) or requires
        try:
            return LoadedStyle(_style(ruff, legacy, root, is_dir, is_file, target), path)
        except (TypeError, ValueError) as error:
            warning = f"{path}: invalid isort settings ({error}); using ruff's defaults"
            return LoadedStyle(_style({}, {}, root, is_dir, is_file, target), path, warning)
    return LoadedStyle(_style({}, {}, root, is_dir, is_file, requires), None)


def _requires_python_target(
    root: Path, reader: Callable[[Path], str | None]
) -> tuple[int, int] | None:
    """The lower bound of ``[project] requires-python`` in ``root``'s ``pyproject.toml``."""
    text = reader(root / "pyproject.toml")
    if text is None:
        return None
    try:
        project = _parse_toml(text).get("project")
    except ValueError:
        return None
    if not isinstance(project, dict):
        return None
    return requires_python_target(project.get("requires-python"))


_RUFF_TARGET = re.compile(r"py3(\d{1,2})")
_REQUIRES_CLAUSE = re.compile(r"(>=|>|~=|===|==)\s*3\.(\d{1,2})(?:\.(?:\d+|\*))*")
_UPPER_CLAUSE = re.compile(r"(<=|<|!=)\s*\d+(?:\.(?:\d+|\*))*")


def ruff_target_version(value: object) -> tuple[int, int] | None:
    """``"py310"`` → ``(3, 10)``; ``None`` for anything else."""
    if not isinstance(value, str):
        return None
    match = _RUFF_TARGET.fullmatch(value.strip())
    return (3, int(match.group(1))) if match else None


def requires_python_target(value: object) -> tuple[int, int] | None:
    """The oldest ``3.x`` a ``requires-python`` specifier allows (``">=3.10"``, ``"~=3.11"``,
    ``">=3.9,<4"``); ``None`` when it has no lower bound or cannot be read."""
    if not isinstance(value, str) or not value.strip():
        return None
    lowest: tuple[int, int] | None = None
    for clause in value.split(","):
        clause = clause.strip()
        match = _REQUIRES_CLAUSE.fullmatch(clause)
        if match is None:
            if _UPPER_CLAUSE.fullmatch(clause) is None:
                return None  # malformed, or a bound this reading does not understand
            continue
        bound = (3, int(match.group(2)))
        lowest = bound if lowest is None else max(lowest, bound)
    return lowest


def _parse_toml(text: str) -> dict[str, Any]:
    """Parse TOML (``ValueError`` when it is malformed or no TOML reader is available)."""
    try:
        tomllib = importlib.import_module("tomllib")
    except ModuleNotFoundError as error:  # Python 3.10
        raise ValueError("this Python has no TOML reader") from error
    data = tomllib.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a TOML table")
    return data


def _read_disk(path: Path) -> str | None:
    try:
        return read_text_safely(path) if path.is_file() else None
    except (OSError, UnicodeError, ValueError):
        return None


def _style(
    ruff: Mapping[str, Any],
    legacy: Mapping[str, Any],
    root: Path,
    is_dir: Callable[[Path], bool],
    is_file: Callable[[Path], bool],
    target_version: tuple[int, int] | None = None,
) -> ImportStyle:
    lint = ruff.get("lint", {})
    lint = lint if isinstance(lint, dict) else {}
    isort = lint.get("isort") or ruff.get("isort") or {}
    isort = isort if isinstance(isort, dict) else {}
    if not isort:
        isort = {key.replace("_", "-"): value for key, value in legacy.items()}
    line_length = ruff.get("line-length", legacy.get("line_length", DEFAULT_LINE_LENGTH))
    sources = ruff.get("src", [".", "src"])
    if not isinstance(line_length, int) or isinstance(line_length, bool) or line_length < 1:
        raise ValueError(f"line-length must be a positive integer, not {line_length!r}")
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ValueError("src must be a list of folders")
    return ImportStyle(
        line_length=line_length,
        known_first_party=_names(isort, "known-first-party"),
        known_third_party=_names(isort, "known-third-party"),
        force_single_line=_flag(isort, "force-single-line"),
        combine_as_imports=_flag(isort, "combine-as-imports", "combine-as"),
        force_sort_within_sections=_flag(isort, "force-sort-within-sections"),
        lines_after_imports=_int(isort, "lines-after-imports", -1),
        source_roots=tuple(root / source for source in sources),
        target_version=target_version,
        is_dir=is_dir,
        is_file=is_file,
    )


def _names(settings: Mapping[str, Any], key: str) -> frozenset[str]:
    value = settings.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a list of module names")
    return frozenset(value)


def _flag(settings: Mapping[str, Any], *keys: str) -> bool:
    for key in keys:
        if key in settings:
            value = settings[key]
            if not isinstance(value, bool):
                raise ValueError(f"{key} must be true or false")
            return value
    return False


def _int(settings: Mapping[str, Any], key: str, default: int) -> int:
    value = settings.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{key} must be an integer")
    return value


CONFIG_FILES = ("ruff.toml", ".ruff.toml", "pyproject.toml")


def find_project_root(
    path: Path, stop: Path, is_file: Callable[[Path], bool] = Path.is_file
) -> Path:
    """The nearest folder from ``path`` up to ``stop`` holding a ruff or pyproject config.

    ``stop`` (the workspace root) when none has one, or when ``path`` is outside ``stop``.
    """
    folder = path.parent if is_file(path) or path.suffix == ".py" else path
    if folder != stop and stop not in folder.parents:
        return stop
    while True:
        if any(is_file(folder / name) for name in CONFIG_FILES):
            return folder
        if folder == stop or folder.parent == folder:
            return stop
        folder = folder.parent


class StyleCache:
    """Project styles by root, read again when a config file changes; each warning given once."""

    def __init__(self, read_text: Callable[[Path], str | None] | None = None) -> None:
        self._read_text = read_text
        self._styles: dict[Path, tuple[tuple[int | None, ...], ImportStyle]] = {}
        self._warned: set[str] = set()

    def style(self, root: Path) -> tuple[ImportStyle, str | None]:
        """The style of the project at ``root``, and a warning not given before (or ``None``)."""
        stamp = tuple(_mtime(root / name) for name in CONFIG_FILES)
        cached = self._styles.get(root)
        if cached is not None and cached[0] == stamp:
            return cached[1], None
        loaded = load_style(root, self._read_text)
        self._styles[root] = (stamp, loaded.style)
        warning = loaded.warning
        if warning is not None and warning in self._warned:
            warning = None
        if warning is not None:
            self._warned.add(warning)
        return loaded.style, warning


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def project_style(
    folder: Path, fallback_root: Path, read_text: Callable[[Path], str | None] | None = None
) -> LoadedStyle:
    """The style of the project holding ``folder``, found as ruff finds its config.

    The nearest ``ruff.toml`` / ``.ruff.toml`` / ``pyproject.toml`` with ruff or isort
    settings, from ``folder`` up; without one, ruff's defaults with ``fallback_root`` as
    the project root (its source roots are ``.`` and ``src`` there).
    """
    current = folder
    while True:
        loaded = load_style(current, read_text)
        if loaded.config is not None:
            return loaded
        if current.parent == current:
            return load_style(fallback_root, lambda _path: None)
        current = current.parent


_SHARED_STYLES = StyleCache()


@functools.lru_cache(maxsize=256)
def _project_root_of(folder: Path) -> Path | None:
    root = find_project_root(folder, Path(folder.anchor))
    if any((root / name).is_file() for name in CONFIG_FILES):
        return root
    return None


def style_for_file(path: Path | None) -> tuple[ImportStyle, str | None]:
    """The style of the project holding the file at ``path`` (its nearest config, as ruff
    finds it), and a warning not given before; ruff's defaults without a config or a path."""
    if path is None:
        return DEFAULT_STYLE, None
    root = _project_root_of(path.parent)
    if root is None:
        return ImportStyle(source_roots=(path.parent,)), None
    return _SHARED_STYLES.style(root)
