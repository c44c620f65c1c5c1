"""Models whose string forward references V2 cannot resolve, found across workspace files.

``callback.py`` declares ``Callback = Dict[str, Union["PathItem", Reference]]``;
``operation.py`` imports ``Callback`` (never ``PathItem``, which would be a circular import) and
declares ``callbacks: Optional[Dict[str, Union[Callback, Reference]]]``. The string is a
``ForwardRef`` that both Pydantic versions evaluate in the namespace of the model's module.
V1 left such a field unprepared: the model worked until a value reached that field (then a
``ConfigError``). V2 cannot build the model at all: every use raises "`Operation` is not fully
defined". Unless some ``update_forward_refs`` / ``model_rebuild`` call supplies the name.

This module finds those models (directly, or through module-level type aliases imported from
other workspace files), the calls that already resolve them (in the model's module, its sibling
modules and its packages' ``__init__`` files), and the place the missing call belongs: the
nearest package ``__init__`` that imports both the model and the referenced names and already
rebuilds other models. It reads files only through a ``ProjectFiles`` view and keeps each
module's summary by its text.
"""

from __future__ import annotations

import ast
import builtins
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from fastapi_architect.astutil import assignment_targets
from fastapi_architect.project_files import DISK, ProjectFiles
from fastapi_architect.pydantic_v2.file_summaries import StampedCache, resolved_path
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels
from fastapi_architect.pydantic_v2.names import dotted_name

REBUILD_METHODS = frozenset({"update_forward_refs", "model_rebuild"})
BUILTIN_NAMES = frozenset(dir(builtins))
MAX_SUMMARIES = 2_000
MAX_OWN = 2
MAX_SEGMENTS = 16
"""Asking modules whose classes are remembered by source."""
"""Trees of asking modules kept (two, as the engine's cache: each costs garbage collections)."""
MAX_SIBLINGS = 200
"""Modules of the model's own folder read to find a call that already rebuilds it."""
MAX_PACKAGE_LEVELS = 8
OUTSIDE = frozenset(
    {*sys.stdlib_module_names, "pydantic", "pydantic_settings", "typing_extensions"}
)
"""Modules never looked up in the workspace."""
NOT_FORWARD_REFS = frozenset({"Literal", "Callable"})
"""Subscripts whose strings are not references V1 resolved: ``Literal`` values, and the
argument and return types of ``Callable`` (V1 only checked that the value is callable; the
``Callable`` forward references V2 cannot resolve are PYD035's, on main)."""


@dataclass(frozen=True)
class PendingRebuild:
    """A model some of whose annotations name classes its module never binds.

    In the model's own module ``model`` is its class name and ``site`` the file whose fix
    adds the call (None: no such file); in that file ``model`` is the name bound there.
    """

    model: str
    names: tuple[str, ...]
    """The names V2 cannot resolve, sorted."""
    fields: tuple[str, ...]
    aliases: tuple[str, ...]
    """Type aliases of other modules the names come through (``Callback``)."""
    module: str
    """The model's module, as a reader names it (``.operation``, ``app.models``)."""
    site: str | None = None
    fixed_in: tuple[str, str] | None = None
    """``(path, key)`` of the site's finding that adds the call."""

    def call(self) -> str:
        """The V2 call that resolves the names where they are all bound."""
        namespace = ", ".join(f'"{name}": {name}' for name in self.names)
        return f"{self.model}.model_rebuild(_types_namespace={{{namespace}}})"


@dataclass(frozen=True)
class WithRebuilds(WorkspaceModels):
    """``WorkspaceModels`` plus the rebuilds of the module: ``defined`` for models it declares,
    ``to_add`` for imported models whose rebuild belongs in it."""

    defined: tuple[PendingRebuild, ...] = ()
    to_add: tuple[PendingRebuild, ...] = ()

    def __bool__(self) -> bool:
        return super().__bool__() or bool(self.defined) or bool(self.to_add)


def pending_of(models: WorkspaceModels) -> tuple[tuple[PendingRebuild, ...], ...]:
    """``(defined, to_add)`` of ``models`` (both empty for plain ``WorkspaceModels``)."""
    if isinstance(models, WithRebuilds):
        return models.defined, models.to_add
    return (), ()


# --- one module's summary -------------------------------------------------------------------


@dataclass(frozen=True)
class _Import:
    module: str
    name: str | None
    folder: Path | None


@dataclass(frozen=True)
class _Refs:
    strings: frozenset[str]
    """Names inside string annotations (forward references)."""
    reads: frozenset[str]
    """Names read directly (possibly aliases holding forward references)."""


_ClassInfo = tuple[dict[str, _Refs], set[str]]
_Segments = dict[str, _ClassInfo]
"""A class's source → its ``_ClassInfo``."""


@dataclass
class _Summary:
    path: Path
    imports: dict[str, _Import] = field(default_factory=dict)
    star: bool = False
    bound: set[str] = field(default_factory=set)
    aliases: dict[str, _Refs] = field(default_factory=dict)
    classes: dict[str, dict[str, _Refs]] = field(default_factory=dict)
    rebuilds: dict[str, frozenset[str] | None] = field(default_factory=dict)
    """Model name → the names its rebuild calls here supply (None: every name bound here)."""
    class_names: dict[str, set[str]] = field(default_factory=dict)
    """Class → the classes and functions its body defines (annotations may name them)."""
    postponed: bool = False
    """``from __future__ import annotations``: every annotation is a string."""
    rebuilds_all: bool = False
    """A loop rebuilds models it looks up at run time (``for name in __all__: ...
    globals()[name].update_forward_refs(**namespace)``): every model bound here, with the
    names bound here (the namespaces real code passes are its globals)."""
    anchored: bool = False
    """A rebuild call stands at the top level (a new call can follow it)."""
    anchor_line: int = 0
    """The line of the last top-level rebuild call."""
    bound_lines: dict[str, int] = field(default_factory=dict)
    """The line of the last top-level statement binding each name."""
    segments: _Segments = field(default_factory=dict)
    """Each top-level class's source → its annotations (when summarised with the text)."""


def annotation_refs(node: ast.expr) -> _Refs:
    """The forward-reference names and the plain names of an annotation (``Literal``
    values and ``Annotated`` metadata are not types)."""
    strings: set[str] = set()
    reads: set[str] = set()

    def visit(expr: ast.AST, quoted: bool) -> None:
        if isinstance(expr, ast.Name):
            (strings if quoted else reads).add(expr.id)
        elif isinstance(expr, ast.Subscript):
            value = expr.value
            head = value.id if isinstance(value, ast.Name) else getattr(value, "attr", "")
            visit(value, quoted)
            if head in NOT_FORWARD_REFS:
                return
            items = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
            for item in items[:1] if head == "Annotated" else items:
                visit(item, quoted)
        elif isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            text = expr.value.strip()
            if text.isidentifier():
                strings.add(text)  # the common case, without a parse
                return
            try:
                inner = ast.parse(text, mode="eval")
            except (SyntaxError, ValueError):
                return
            visit(inner.body, True)
        elif isinstance(expr, ast.Attribute):
            base = expr.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name):
                (strings if quoted else reads).add(base.id)
        else:
            for child in ast.iter_child_nodes(expr):
                visit(child, quoted)

    visit(node, False)
    return _Refs(frozenset(strings), frozenset(reads))


def _type_checking(test: ast.expr) -> bool:
    return (dotted_name(test) or "").rsplit(".", 1)[-1] == "TYPE_CHECKING"


def _runtime_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements that run (``if TYPE_CHECKING:`` blocks excluded)."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            if not _type_checking(stmt.test):
                yield from _runtime_level(stmt.body)
            yield from _runtime_level(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse):
                yield from _runtime_level(block)
        else:
            yield stmt


def rebuild_call(stmt: ast.stmt) -> tuple[str, frozenset[str] | None] | None:
    """``(model, names supplied)`` of a ``Model.update_forward_refs(A=A)`` /
    ``Model.model_rebuild(_types_namespace={"A": A})`` statement (names None: a plain
    ``model_rebuild()``, which V2 resolves in the calling module's globals)."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return None
    call = stmt.value
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in REBUILD_METHODS):
        return None
    model = dotted_name(func.value)
    if model is None:
        return None
    names: set[str] = set()
    for keyword in call.keywords:
        if func.attr == "update_forward_refs" and keyword.arg is not None:
            names.add(keyword.arg)
            continue
        if func.attr == "update_forward_refs" or keyword.arg == "_types_namespace":
            if not isinstance(keyword.value, ast.Dict) or None in keyword.value.keys:
                return model, None  # ``**namespace``: names not known here, assume all
            names.update(
                key.value
                for key in keyword.value.keys
                if isinstance(key, ast.Constant) and isinstance(key.value, str)
            )
    plain = func.attr == "model_rebuild" and not any(
        keyword.arg == "_types_namespace" for keyword in call.keywords
    )
    return model, None if plain else frozenset(names)


def _read_summary(path: Path, text: str) -> _Summary:
    """The summary of a module read from disk or an open buffer (for the stamped cache)."""
    return summarise(path, ast.parse(text))


def summarise(
    path: Path, tree: ast.Module, text: str | None = None, known: _Segments | None = None
) -> _Summary:
    """The imports, bindings, aliases, class annotations and rebuild calls of a module; with
    its ``text``, classes whose source is in ``known`` (a previous version's ``segments``) are
    not walked again."""
    summary = _Summary(path)
    known = known or {}
    lines = text.splitlines(keepends=True) if text is not None else None
    anchors = [stmt.lineno for stmt in tree.body if rebuild_call(stmt) is not None]
    summary.anchored, summary.anchor_line = bool(anchors), max(anchors, default=0)
    for stmt in tree.body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            for alias in stmt.names:
                local = alias.asname or alias.name.split(".")[0]
                summary.bound_lines[local] = stmt.lineno
        elif isinstance(stmt, ast.ClassDef):
            summary.bound_lines[stmt.name] = stmt.lineno
    for stmt in _runtime_level(tree.body):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                local = alias.asname or alias.name.split(".")[0]
                summary.imports[local] = _Import(alias.name if alias.asname else local, None, None)
                summary.bound.add(local)
        elif isinstance(stmt, ast.ImportFrom):
            if stmt.module == "__future__":
                summary.postponed |= any(a.name == "annotations" for a in stmt.names)
                continue
            folder = None
            if stmt.level:
                folder = path.parent
                for _ in range(stmt.level - 1):
                    folder = folder.parent
            for alias in stmt.names:
                if alias.name == "*":
                    summary.star = True
                    continue
                local = alias.asname or alias.name
                summary.imports[local] = _Import(stmt.module or "", alias.name, folder)
                summary.bound.add(local)
        elif isinstance(stmt, ast.ClassDef):
            summary.bound.add(stmt.name)
            segment = "".join(lines[stmt.lineno - 1 : stmt.end_lineno]) if lines else ""
            info = known.get(segment) if segment else None
            if info is None:
                info = _class_info(stmt)
            if segment:
                summary.segments[segment] = info
            summary.classes[stmt.name], summary.class_names[stmt.name] = info
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            summary.bound.add(stmt.name)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = [t.id for t in assignment_targets(stmt) if isinstance(t, ast.Name)]
            summary.bound.update(targets)
            if stmt.value is not None and len(targets) == 1 and _alias_like(stmt.value):
                summary.aliases[targets[0]] = annotation_refs(stmt.value)
        elif isinstance(stmt, ast.For | ast.While) and _rebuilds_in_loop(stmt):
            summary.rebuilds_all = True
        elif (found := rebuild_call(stmt)) is not None:
            model, names = found
            given = summary.rebuilds.get(model, frozenset())
            summary.rebuilds[model] = None if names is None or given is None else given | names
    return summary


def _rebuilds_in_loop(loop: ast.For | ast.While) -> bool:
    """True when the loop calls ``x.update_forward_refs(...)`` / ``x.model_rebuild(...)`` on
    a name it binds itself (the model is looked up at run time)."""
    bound = {
        node.id
        for node in ast.walk(loop)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in REBUILD_METHODS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in bound
        for node in ast.walk(loop)
    )


def _class_info(node: ast.ClassDef) -> _ClassInfo:
    """The references of each annotated name of a class body, and the names it defines."""
    fields = {
        item.target.id: annotation_refs(item.annotation)
        for item in node.body
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
    }
    names = {
        item.name
        for item in node.body
        if isinstance(item, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    }
    return fields, names


def _alias_like(value: ast.expr) -> bool:
    """Could ``value`` be a type alias (``Dict[str, "X"]``, ``"X"``, ``A | B``)? A bare
    string counts when it reads as a capitalised type (not ``"application/json"``)."""
    if isinstance(value, ast.Constant):
        if not isinstance(value.value, str) or not value.value.strip()[:1].isupper():
            return False
        try:
            return _type_like(ast.parse(value.value.strip(), mode="eval").body)
        except (SyntaxError, ValueError):
            return False
    return isinstance(value, ast.Subscript | ast.BinOp) and _type_like(value)


def _type_like(expr: ast.expr) -> bool:
    """True for what a type expression is made of: names, attributes, subscripts, ``|``,
    tuples and lists of them, and constants (strings, ``None``, ``...``)."""
    if isinstance(expr, ast.Name | ast.Attribute | ast.Constant):
        return True
    if isinstance(expr, ast.Subscript):
        return _type_like(expr.value) and _type_like(expr.slice)
    if isinstance(expr, ast.BinOp):
        return isinstance(expr.op, ast.BitOr) and _type_like(expr.left) and _type_like(expr.right)
    if isinstance(expr, ast.Tuple | ast.List):
        return all(_type_like(item) for item in expr.elts)
    return False


# --- the index -------------------------------------------------------------------------------


class RebuildIndex:
    """Module summaries (by path and text) for finding pending rebuilds."""

    def __init__(self, roots: Sequence[Path] = ()) -> None:
        self.roots = tuple(resolved_path(root) for root in roots)
        self._summaries = StampedCache(MAX_SUMMARIES, _read_summary)
        self._own: OrderedDict[tuple[Path, int], tuple[ast.Module, _Summary]] = OrderedDict()
        """The asking modules' summaries by tree (the editor asks again for every code
        action on the same version); the tree is kept so its id is not reused."""
        self._segments: OrderedDict[Path, _Segments] = OrderedDict()
        self._lock = threading.Lock()

    def summary(self, path: Path, files: ProjectFiles) -> _Summary | None:
        """The summary of the module at ``path`` (None: unreadable or unparsable)."""
        return self._summaries.get(path, files)

    def with_rebuilds(
        self,
        models: WorkspaceModels,
        path: Path | None,
        tree: ast.Module,
        files: ProjectFiles = DISK,
        text: str | None = None,
    ) -> WorkspaceModels:
        """``models`` of the module at ``path`` (parsed as ``tree``) with its pending
        rebuilds: those of the models it declares, and those it is the place to add. With
        the ``text``, classes unchanged since the last call on ``path`` are not walked again."""
        if path is None:
            return models
        path = resolved_path(path)
        lookup = _Lookup(self, files, path)
        own = self._own_summary(path, tree, text)
        defined = (lookup.pending(own, name) for name in own.classes)
        defined_found = tuple(found[0] for found in defined if found is not None)
        to_add: list[PendingRebuild] = []
        if own.anchored:
            for local, imported in own.imports.items():
                if imported.name is None or models.get(local) is None:
                    continue
                module = lookup.module_of(imported)
                if module is None or module.path == path or imported.name not in module.classes:
                    continue
                found = lookup.pending(module, imported.name)
                if found is not None and found[1] == path:
                    pending = found[0]
                    to_add.append(
                        PendingRebuild(
                            local,
                            pending.names,
                            pending.fields,
                            pending.aliases,
                            _import_label(imported),
                        )
                    )
        if not defined_found and not to_add:
            return models
        base = {item.name: getattr(models, item.name) for item in fields(NO_MODELS)}
        return WithRebuilds(**base, defined=defined_found, to_add=tuple(to_add))

    def _own_summary(self, path: Path, tree: ast.Module, text: str | None) -> _Summary:
        key = (path, id(tree))
        with self._lock:
            cached = self._own.get(key)
            if cached is not None and cached[0] is tree:
                self._own.move_to_end(key)
                return cached[1]
            known = self._segments.get(path)
        summary = summarise(path, tree, text, known)
        with self._lock:
            self._own[key] = (tree, summary)
            while len(self._own) > MAX_OWN:
                self._own.popitem(last=False)
            if text is not None:
                self._segments[path] = summary.segments
                self._segments.move_to_end(path)
                while len(self._segments) > MAX_SEGMENTS:
                    self._segments.popitem(last=False)
        return summary

    def clear(self) -> None:
        """Forget every summary."""
        with self._lock:
            self._summaries.clear()
            self._own.clear()
            self._segments.clear()


class _Lookup:
    """One ``with_rebuilds`` call: module lookups for the file at ``origin``."""

    def __init__(self, index: RebuildIndex, files: ProjectFiles, origin: Path) -> None:
        self.index = index
        self.files = files
        self.origin = origin
        self.roots = _search_roots(origin, index.roots, files)
        self._modules: dict[tuple[str, Path | None], _Summary | None] = {}
        self._strings: dict[tuple[Path, str], frozenset[str]] = {}
        self._hot_names: dict[Path, frozenset[str]] = {}

    def module(self, dotted: str, folder: Path | None) -> _Summary | None:
        """The summary of module ``dotted`` (relative to ``folder`` when given), memoised."""
        key = (dotted, folder)
        if key not in self._modules:
            self._modules[key] = self._find_module(dotted, folder)
        return self._modules[key]

    def _find_module(self, dotted: str, folder: Path | None) -> _Summary | None:
        parts = [p for p in dotted.split(".") if p]
        for base in [folder] if folder is not None else self.roots:
            target = base.joinpath(*parts)
            for candidate in (target.with_suffix(".py") if parts else None, target / "__init__.py"):
                if candidate is not None and self.files.is_file(candidate):
                    found = self.index.summary(candidate, self.files)
                    if found is not None:
                        return found
        return None

    def module_of(self, imported: _Import) -> _Summary | None:
        """The module ``from module import name`` takes ``name`` from (a submodule when the
        name is one); None for the standard library and Pydantic."""
        if imported.folder is None and imported.module.split(".")[0] in OUTSIDE:
            return None
        found = self.module(imported.module, imported.folder)
        if imported.name is None or (found is not None and imported.name in found.bound):
            return found
        return self.module(f"{imported.module}.{imported.name}".lstrip("."), imported.folder)

    def _hot(self, summary: _Summary) -> frozenset[str]:
        """The names of ``summary``'s module that are aliases holding forward references."""
        found = self._hot_names.get(summary.path)
        if found is None:
            candidates = [*summary.aliases, *summary.imports]
            found = frozenset(n for n in candidates if self._alias_strings(summary, n))
            self._hot_names[summary.path] = found
        return found

    def _alias_strings(
        self, summary: _Summary, name: str, seen: set[tuple[Path, str]] | None = None
    ) -> frozenset[str]:
        """The forward-reference names an alias ``name`` of ``summary`` holds (through other
        aliases too, here or imported); memoised per top-level question."""
        key = (summary.path, name)
        top = seen is None
        if seen is None:
            if key in self._strings:
                return self._strings[key]
            seen = set()
        if key in seen or len(seen) > 32:
            return frozenset()
        seen.add(key)
        found: frozenset[str] = frozenset()
        refs = summary.aliases.get(name)
        imported = summary.imports.get(name)
        if refs is not None:
            found = refs.strings.union(
                *(self._alias_strings(summary, read, seen) for read in refs.reads)
            )
        elif imported is not None and imported.name is not None:
            module = self.module_of(imported)
            if module is not None and imported.name in module.bound:
                found = self._alias_strings(module, imported.name, seen)
        if top:
            self._strings[key] = found
        return found

    def pending(self, summary: _Summary, model: str) -> tuple[PendingRebuild, Path | None] | None:
        """The rebuild the class ``model`` of ``summary`` waits for, if any, and the path of
        the module where it belongs."""
        if summary.star:
            return None  # names a star import binds are unknown
        fields = summary.classes.get(model, {})
        hot = self._hot(summary)
        if not summary.postponed and not any(
            refs.strings or not refs.reads.isdisjoint(hot) for refs in fields.values()
        ):
            return None  # the common case, decided with set operations
        missing: set[str] = set()
        affected: list[str] = []
        aliases: set[str] = set()
        visible = summary.bound | summary.class_names.get(model, set()) | BUILTIN_NAMES
        for name, refs in fields.items():
            names = set(refs.strings)
            if summary.postponed:
                names |= refs.reads  # a name imported only for type checking is unbound
            for read in refs.reads & hot:
                names |= self._alias_strings(summary, read)
                if read in summary.imports:
                    aliases.add(read)
            unbound = names - visible
            if unbound:
                missing |= unbound
                affected.append(name)
        if not missing:
            return None
        supplied = summary.rebuilds.get(model, frozenset())
        if supplied is None:
            return None  # a plain ``model_rebuild()`` in its own module: module globals only
        missing -= supplied
        site: tuple[_Summary, str] | None = None
        for other in self._candidates(summary.path, missing):
            local = _binding_of(other, summary.path, model, self)
            if local is None:
                continue
            given = other.rebuilds.get(local, frozenset())
            missing -= other.bound if given is None or other.rebuilds_all else given
            if (
                site is None
                and other.path.name == "__init__.py"
                and other.anchored
                and missing <= other.bound
                and all(
                    other.bound_lines.get(name, 0) < other.anchor_line for name in (*missing, local)
                )
            ):
                site = other, local
        if not missing:
            return None
        pending = PendingRebuild(
            model,
            tuple(sorted(missing)),
            tuple(affected),
            tuple(sorted(aliases)),
            self.display(summary.path),
            self.display(site[0].path) if site is not None else None,
            (str(site[0].path), site_key(site[1])) if site is not None else None,
        )
        return pending, site[0].path if site is not None else None

    def display(self, path: Path) -> str:
        """``path`` relative to the folder above the top package of the file asking."""
        top = self.origin.parent
        while self.files.is_file(top / "__init__.py") and top.parent != top:
            top = top.parent
        try:
            return path.relative_to(top).as_posix()
        except ValueError:
            return path.as_posix()

    def _candidates(self, path: Path, missing: set[str]) -> Iterator[_Summary]:
        """Modules that may rebuild the model of ``path``: its packages' ``__init__`` files,
        then (while names are still ``missing``) its sibling modules that rebuild models."""
        yield from self._packages(path)
        if missing:
            yield from self._siblings(path)

    def _packages(self, path: Path) -> list[_Summary]:
        """The ``__init__`` modules of the packages holding ``path``, nearest first."""
        found: list[_Summary] = []
        folder = path.parent
        for _ in range(MAX_PACKAGE_LEVELS):
            init = folder / "__init__.py"
            if not self.files.is_file(init):
                break
            if init != path:
                summary = self.index.summary(init, self.files)
                if summary is not None:
                    found.append(summary)
            if folder.parent == folder:
                break
            folder = folder.parent
        return found

    def _siblings(self, path: Path) -> list[_Summary]:
        try:
            entries = sorted(self.files.iterdir(path.parent))
        except OSError:
            return []
        found: list[_Summary] = []
        for entry in entries[:MAX_SIBLINGS]:
            if entry.suffix == ".py" and entry.name != "__init__.py" and entry != path:
                summary = self.index.summary(entry, self.files)
                if summary is not None and (summary.rebuilds or summary.rebuilds_all):
                    found.append(summary)
        return found


def site_key(model: str) -> str:
    """The key of the finding that adds ``model``'s rebuild in the module binding it so."""
    return f"<module>:{model}.model_rebuild"


def _binding_of(summary: _Summary, module: Path, model: str, lookup: _Lookup) -> str | None:
    """The name ``summary``'s module binds the class ``model`` of ``module`` to, if any."""
    for local, imported in summary.imports.items():
        if imported.name != model:
            continue
        found = lookup.module_of(imported)
        if found is not None and found.path == module:
            return local
    return None


def _search_roots(path: Path, roots: Sequence[Path], files: ProjectFiles) -> list[Path]:
    found: list[Path] = []
    top = path.parent
    while files.is_file(top / "__init__.py") and top.parent != top:
        top = top.parent
    for root in (*roots, *(r / "src" for r in roots), top, path.parent):
        if root not in found:
            found.append(root)
    return found


def _import_label(imported: _Import) -> str:
    if imported.folder is None:
        return imported.module
    return "." + imported.module if not imported.module.startswith(".") else imported.module


_indexes: dict[tuple[Path, ...], RebuildIndex] = {}


def rebuild_index(roots: tuple[Path, ...]) -> RebuildIndex:
    """This process's index over ``roots`` (one workspace at a time)."""
    index = _indexes.get(roots)
    if index is None:
        _indexes.clear()
        index = _indexes[roots] = RebuildIndex(roots)
    return index
