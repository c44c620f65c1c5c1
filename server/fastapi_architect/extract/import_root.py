"""The folder a project's absolute imports resolve from, read from its own configuration.

The nearest project folder above a module (one holding ``pyproject.toml``, ``ruff.toml``,
``setup.cfg`` or ``pytest.ini``) names its source roots in the build backend's package
settings (hatch ``packages``, setuptools ``package-dir`` / ``packages.find.where``, poetry
``packages``), ruff's ``src`` and pytest's ``pythonpath`` / ``rootdir``. The deepest of
those holding the module wins; without any, a ``src/`` folder holding it, else the project
folder, else the workspace. Folders without ``__init__.py`` (namespace packages) count
as packages.
"""

from __future__ import annotations

import configparser
import importlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fastapi_architect.project_files import ProjectFiles, read_text_or_none

WORKSPACE = "the workspace folder"
PROJECT_FILES = ("pyproject.toml", "ruff.toml", ".ruff.toml", "setup.cfg", "pytest.ini")


def _toml(text: str | None) -> dict[str, Any]:
    if text is None:
        return {}
    try:
        data = importlib.import_module("tomllib").loads(text)
    except (ModuleNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _table(data: object, *keys: str) -> dict[str, Any]:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _pyproject_roots(data: dict[str, Any]) -> Iterator[str]:
    tool = _table(data, "tool")
    hatch = _table(tool, "hatch", "build")
    for table in (hatch, _table(hatch, "targets", "wheel")):
        for package in _strings(table.get("packages")):
            yield str(Path(package).parent)
    setuptools = _table(tool, "setuptools")
    package_dir = _table(setuptools, "package-dir")
    if isinstance(package_dir.get(""), str):
        yield package_dir[""]
    yield from _strings(_table(setuptools, "packages", "find").get("where"))
    packages = _table(tool, "poetry").get("packages")
    for entry in packages if isinstance(packages, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("include"), str):
            origin = entry.get("from")
            yield origin if isinstance(origin, str) else "."
    yield from _strings(_table(tool, "ruff").get("src"))
    pytest = _table(tool, "pytest", "ini_options")
    yield from _strings(pytest.get("pythonpath"))
    yield from _strings(pytest.get("rootdir"))


def _ini_roots(text: str | None, section: str) -> Iterator[str]:
    if text is None:
        return
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    if parser.has_section(section):
        yield from parser.get(section, "pythonpath", fallback="").split()
        yield from parser.get(section, "rootdir", fallback="").split()
    if parser.has_section("options"):  # setup.cfg: package_dir = \n =src
        for line in parser.get("options", "package_dir", fallback="").splitlines():
            key, _, value = line.partition("=")
            if not key.strip() and value.strip():
                yield value.strip()


def configured_roots(project: Path, files: ProjectFiles) -> list[Path]:
    """The source roots the configuration files in ``project`` name (may be empty)."""

    def read(name: str) -> str | None:
        return read_text_or_none(files, project / name)

    found: list[str] = [*_pyproject_roots(_toml(read("pyproject.toml")))]
    for name in ("ruff.toml", ".ruff.toml"):
        found += _strings(_toml(read(name)).get("src"))
    found += _ini_roots(read("pytest.ini"), "pytest")
    found += _ini_roots(read("setup.cfg"), "tool:pytest")
    roots: list[Path] = []
    for entry in found:
        root = (project / entry.replace("$PROJECT_ROOT", ".")).resolve()
        if root not in roots:
            roots.append(root)
    return roots


def _project_folder(folder: Path, stop: Path | None, files: ProjectFiles) -> Path | None:
    while True:
        if any(files.is_file(folder / name) for name in PROJECT_FILES):
            return folder
        if folder == stop or folder.parent == folder:
            return None
        folder = folder.parent


def is_dotted_path(path: Path, root: Path) -> bool:
    """Every folder between ``root`` and ``path`` (and the module itself) is an identifier."""
    try:
        parts = path.with_suffix("").relative_to(root).parts
    except ValueError:
        return False
    return bool(parts) and all(part.isidentifier() for part in parts)


def _deepest(candidates: Iterable[Path], path: Path) -> Path | None:
    holding = [root for root in candidates if root in path.parents]
    return max(holding, key=lambda root: len(root.parts), default=None)


def find_import_root(
    path: Path, files: ProjectFiles, workspace: Path | None = None
) -> tuple[Path, str] | None:
    """The import root of the module at ``path`` and where it was read from, or ``None``
    when neither configuration nor the workspace says (the caller falls back)."""
    inside = workspace if workspace is not None and workspace in path.parents else None
    project = _project_folder(path.parent, inside, files)
    if project is not None:
        root = _deepest(configured_roots(project, files), path)
        if root is not None:
            return root, f"the configuration in {project.name}/"
        source = project / "src"
        if source in path.parents:
            return source, "the src/ layout"
        return project, f"the project folder {project.name}/"
    if inside is not None and is_dotted_path(path, inside):
        return inside, WORKSPACE
    return None
