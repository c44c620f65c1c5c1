"""Where the service and schema modules of an endpoint module live, by the project's convention.

Imports resolve from the project's import root (``import_root``: its configuration, a
``src/`` layout, the workspace). The *base package* of an endpoint module is its topmost
enclosing regular package below that root (``app`` for ``app/api/v1/endpoints/users.py``;
``acme/api`` when ``acme`` is a namespace package), else its topmost folder there;
services and schemas are its ``services/`` and ``schemas/`` sub-packages. A module at the
root itself (a flat ``main.py``) is its own base: ``services/`` and ``schemas/`` packages
are created next to it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from fastapi_architect.extract.domain_layout import domain_package
from fastapi_architect.extract.import_root import WORKSPACE, find_import_root, is_dotted_path
from fastapi_architect.project_files import (
    DISK,
    ProjectFiles,
    is_skipped_directory_name,
    read_text_or_none,
)

AUTO = "auto"
"""The ``service_module`` setting that follows the project's convention."""

SERVICE_SUFFIX_PATTERN = "{singular}_service"
PLAIN_PATTERN = "{name}"
_PLACEHOLDER = re.compile(r"\{([a-z_]*)\}")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class LayoutError(ValueError):
    """The project layout or the naming pattern cannot be used; the message says why."""


def singular(word: str) -> str:
    """A simple English singular: ``users`` → ``user``, ``categories`` → ``category``."""
    lowered = word.lower()
    if lowered.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if lowered.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if lowered.endswith("s") and not lowered.endswith(("ss", "us", "is")) and len(word) > 1:
        return word[:-1]
    return word


def validate_pattern(pattern: str) -> str:
    """Check a ``service_module`` setting: ``auto`` or a pattern giving a module name."""
    if pattern == AUTO:
        return pattern
    unknown = {m for m in _PLACEHOLDER.findall(pattern) if m not in {"name", "singular"}}
    if unknown:
        raise LayoutError(
            f"unknown placeholder(s) {', '.join('{' + u + '}' for u in sorted(unknown))}; "
            "use {name} or {singular}"
        )
    sample = pattern.replace("{name}", "items").replace("{singular}", "item")
    if not _IDENTIFIER.match(sample):
        raise LayoutError(f"{pattern!r} does not give a Python module name")
    return pattern


@dataclass(frozen=True)
class ModuleTarget:
    """A module the refactoring writes to: its file and its dotted import name."""

    path: Path
    module: str
    exists: bool
    new_package_init: Path | None = None
    """An ``__init__.py`` to create because the module's folder does not exist yet."""


@dataclass(frozen=True)
class Layout:
    """The modules involved in extracting from one endpoint module."""

    endpoint_module: str
    """Dotted name of the endpoint module (``app.api.v1.endpoints.users``)."""
    import_root: Path
    """The folder that top-level imports resolve from."""
    first_party: str
    """The top-level package (or module) name of the project."""
    service: ModuleTarget
    schemas: ModuleTarget
    domain: Path | None = None
    """The domain package folder, in the domain-package layout (see ``domain_layout``)."""


def _base_package(path: Path, files: ProjectFiles) -> Path | None:
    """The topmost package folder containing ``path``, or ``None`` outside packages."""
    folder = path.parent
    base: Path | None = None
    while files.is_file(folder / "__init__.py"):
        base = folder
        if folder.parent == folder:
            break
        folder = folder.parent
    return base


def _dotted(path: Path, import_root: Path) -> str:
    relative = path.relative_to(import_root).with_suffix("")
    parts = list(relative.parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _python_modules(folder: Path, files: ProjectFiles) -> list[str]:
    if not files.is_dir(folder):
        return []
    try:
        entries = files.iterdir(folder)
    except OSError:
        return []
    return sorted(
        child.stem
        for child in entries
        if child.suffix == ".py" and files.is_file(child) and child.stem != "__init__"
    )


def detect_pattern(services_dir: Path, files: ProjectFiles = DISK) -> str:
    """The naming convention of existing services: ``{singular}_service`` or ``{name}``.

    With no service modules yet, the scaffold's convention (``*_service.py``) is used.
    """
    modules = _python_modules(services_dir, files)
    if not modules or any(stem.endswith("_service") for stem in modules):
        return SERVICE_SUFFIX_PATTERN
    return PLAIN_PATTERN


_ROUTE_DECORATOR = re.compile(
    r"^[ \t]*@[A-Za-z_][\w.]*\.(?:get|post|put|patch|delete|head|options|api_route|websocket)\(",
    re.MULTILINE,
)
_MAX_FOLDERS = 2_000
_NOT_SOURCE = frozenset({"services", "schemas", "__pycache__", "node_modules"})


def _same_named_endpoint_modules(
    base_dir: Path, endpoint_path: Path, files: ProjectFiles
) -> list[Path]:
    """Other endpoint modules in the base package whose file name is the endpoint's own,
    in regular packages and namespace folders (at most ``_MAX_FOLDERS`` folders)."""
    found: list[Path] = []
    pending = [base_dir]
    visited = 0
    while pending and visited < _MAX_FOLDERS:
        visited += 1
        folder = pending.pop()
        try:
            entries = files.iterdir(folder)
        except OSError:
            continue
        for child in entries:
            if child.name.startswith(".") or child.name in _NOT_SOURCE:
                continue
            if files.is_dir(child):
                if not is_skipped_directory_name(child.name):
                    pending.append(child)  # packages and namespace folders alike
            elif child.name == endpoint_path.name and child.resolve() != endpoint_path:
                text = read_text_or_none(files, child)
                if text is not None and _ROUTE_DECORATOR.search(text):
                    found.append(child)
    return found


def _sibling_prefix(base_dir: Path, endpoint_path: Path, files: ProjectFiles) -> str:
    """``v1_`` for ``app/api/v1/items.py`` when ``app/api/v2/items.py`` has endpoints too:
    the fewest enclosing folder names that tell the module from its namesakes, so that
    modules with the same name never share one service module (and its state)."""
    others = _same_named_endpoint_modules(base_dir, endpoint_path, files)
    if not others:
        return ""
    own = endpoint_path.parent.relative_to(base_dir).parts
    other_parts = [other.parent.relative_to(base_dir).parts for other in others]
    for count in range(1, len(own) + 1):
        tail = own[len(own) - count :]
        if all(parts[max(0, len(parts) - count) :] != tail for parts in other_parts):
            return "_".join(tail) + "_"
    return "_".join(own) + "_" if own else ""


def _target(folder: Path, stem: str, import_root: Path, files: ProjectFiles) -> ModuleTarget:
    path = folder / f"{stem}.py"
    new_init = None if files.is_dir(folder) else folder / "__init__.py"
    return ModuleTarget(path, _dotted(path, import_root), files.is_file(path), new_init)


_ABSOLUTE_IMPORT = re.compile(r"^[ \t]*(?:from|import)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def _runs_from_below(path: Path, root: Path, files: ProjectFiles) -> bool:
    """Whether the module at ``path`` imports absolutely a module that lives in a folder
    between it and ``root`` (``from app import crud`` in ``backend/app/main.py``): the
    code runs with that folder on ``sys.path``, not ``root``."""
    text = read_text_or_none(files, path) or ""
    tops = set(_ABSOLUTE_IMPORT.findall(text)) - set(sys.stdlib_module_names)
    folders = [folder for folder in path.parents if root in folder.parents]
    return any(
        files.is_file(folder / f"{top}.py") or files.is_dir(folder / top)
        for top in tops
        for folder in folders
    )


def _configured_base(
    endpoint_path: Path, files: ProjectFiles, workspace: Path | None
) -> tuple[Path, Path] | None:
    """The import root the project's configuration gives, and the base package folder
    below it: the topmost regular package, else the topmost namespace package folder."""
    found = find_import_root(endpoint_path, files, workspace)
    if found is None or not is_dotted_path(endpoint_path, found[0]):
        return None
    root, source = found
    regular = _base_package(endpoint_path, files)
    if source == WORKSPACE and _runs_from_below(endpoint_path, root, files):
        return None  # no configuration, and the module's own imports say otherwise
    if endpoint_path.parent == root:
        return root, root
    if regular is not None and root in regular.parents:
        return root, regular
    return root, root / endpoint_path.relative_to(root).parts[0]


def resolve_layout(
    endpoint_path: Path,
    service_module: str = AUTO,
    files: ProjectFiles = DISK,
    workspace: Path | None = None,
) -> Layout:
    """Work out the service and schema modules for the endpoint module at ``endpoint_path``.

    The import root comes from the project's configuration (see ``import_root``); without
    any, from the topmost package folder above the module."""
    endpoint_path = endpoint_path.resolve()
    validate_pattern(service_module)
    configured = _configured_base(endpoint_path, files, workspace)
    base = _base_package(endpoint_path, files)
    if configured is not None and configured[0] != configured[1]:
        import_root, base = configured
        base_dir = base
        first_party = base.name
    elif configured is not None or base is None:
        base = None
        base_dir = endpoint_path.parent
        import_root = base_dir
        first_party = endpoint_path.stem
    else:
        base_dir = base
        import_root = base.parent
        first_party = base.name
    domain = domain_package(endpoint_path, import_root, files) if service_module == AUTO else None
    if domain is not None:
        return Layout(
            endpoint_module=_dotted(endpoint_path, import_root),
            import_root=import_root,
            first_party=first_party,
            service=_target(domain.folder, domain.service.stem, import_root, files),
            schemas=_target(domain.folder, domain.schemas.stem, import_root, files),
            domain=domain.folder,
        )
    stem = endpoint_path.stem
    services_dir = base_dir / "services"
    pattern = detect_pattern(services_dir, files) if service_module == AUTO else service_module
    service_stem = pattern.replace("{name}", stem).replace("{singular}", singular(stem))
    prefix = _sibling_prefix(base_dir, endpoint_path, files) if base is not None else ""
    service_stem = prefix + service_stem
    if not _IDENTIFIER.match(service_stem):
        raise LayoutError(f"{service_stem!r} is not a valid module name")
    flat_services = base_dir / "services.py"
    if not files.is_dir(services_dir) and files.is_file(flat_services):
        # A single services module already exists: extend it rather than shadow it.
        service = ModuleTarget(flat_services, _dotted(flat_services, import_root), True)
    else:
        service = _target(services_dir, service_stem, import_root, files)
    if service.path == endpoint_path:
        raise LayoutError("the service module would be the endpoint module itself")

    schemas_dir = base_dir / "schemas"
    flat_schemas = base_dir / "schemas.py"
    if not files.is_dir(schemas_dir) and files.is_file(flat_schemas):
        schemas = ModuleTarget(flat_schemas, _dotted(flat_schemas, import_root), True)
    else:
        existing = [
            schemas_dir / f"{candidate}.py"
            for candidate in (prefix + singular(stem), prefix + stem)
            if files.is_file(schemas_dir / f"{candidate}.py")
        ]
        schemas = (
            ModuleTarget(existing[0], _dotted(existing[0], import_root), True)
            if existing
            else _target(schemas_dir, prefix + singular(stem), import_root, files)
        )
    return Layout(
        endpoint_module=_dotted(endpoint_path, import_root),
        import_root=import_root,
        first_party=first_party,
        service=service,
        schemas=schemas,
    )
