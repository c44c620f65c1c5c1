"""Which classes of the workspace are Pydantic models or settings, across files.

``class User(AppModel)`` is a model when ``AppModel``, imported from ``app.core.base`` (or
``.base``, or reached as ``base.AppModel`` after ``import app.core.base as base``), derives
from ``BaseModel`` / ``BaseSettings`` / ``GenericModel`` there, however many files away. The
index resolves imports lazily: only the modules a file imports (and what those import) are
read, through the ``ProjectFiles`` view (open buffers first in the editor), and each module's
summary is cached by its stamp (buffer version, or the disk's mtime and size). Absolute
imports are looked up under the workspace roots (and their ``src/``) and the importing file's
own package root; nothing outside them is read. Lookups are bounded in depth and in files.

``models_for`` answers for one module: every name it imports (or dotted base it writes) that
is a workspace model, as a hashable ``WorkspaceModels`` the engine takes with the text.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fastapi_architect.astutil import assignment_targets
from fastapi_architect.project_files import DISK, ProjectFiles
from fastapi_architect.pydantic_v2.error_classes import (
    ErrorClass,
    class_attributes,
    v1_error_root,
)
from fastapi_architect.pydantic_v2.file_summaries import StampedCache, resolved_path
from fastapi_architect.pydantic_v2.imported_functions import (
    ImportedFunction,
    function_header,
    wrapped_names,
)
from fastapi_architect.pydantic_v2.names import (
    MODEL_BASES,
    PYDANTIC,
    SETTINGS,
    PydanticNames,
    dotted_name,
    in_packages,
)

MAX_DEPTH = 24
"""Import hops followed to resolve one base class."""
MAX_SUMMARIES = 5_000
"""Module summaries kept (least recently used dropped first)."""
BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass(frozen=True)
class ExternalField:
    """A field declared in a workspace model, as the re-declaration in a subclass needs it."""

    name: str
    statement: str
    """The source of the declaration (``x: Optional[int] = Field(None, ge=1)``)."""
    origins: tuple[tuple[str, Origin | None], ...]
    """Each name the declaration reads and what it is bound to in the declaring module."""
    owner: str


@dataclass(frozen=True)
class Origin:
    """What a module-level name is: ``from module import name``, ``import module`` (``name``
    empty) or a builtin (``module`` ``builtins``); ``module`` is absolute."""

    module: str | None
    name: str


@dataclass(frozen=True)
class ExternalModel:
    """A Pydantic model class of another workspace file."""

    qualname: str
    settings: bool
    """Derives from ``BaseSettings``."""
    fields: tuple[ExternalField, ...]
    """Own and inherited fields (a subclass's declaration wins), base classes first."""
    methods: frozenset[str]
    """Names the class or a workspace base defines in its body (methods, assignments)."""
    from_attributes: bool | None
    """``orm_mode`` / ``from_attributes`` as the nearest config sets it; None when unset."""
    complete: bool
    """Every base was resolved (to Pydantic or a workspace class), so its fields are all known."""

    def field(self, name: str) -> ExternalField | None:
        """The declaration of ``name`` that the class uses, if a workspace file declares it."""
        for declared in reversed(self.fields):
            if declared.name == name:
                return declared
        return None


@dataclass(frozen=True)
class WorkspaceModels:
    """The workspace models one module refers to: local (dotted) name → model."""

    classes: tuple[tuple[str, ExternalModel], ...] = ()
    bindings: tuple[tuple[str, Origin], ...] = ()
    """What the module's own imported names are bound to, for re-declared fields."""
    typevars: frozenset[str] = frozenset()
    """Imported names bound to a ``TypeVar(...)`` of a workspace module (asked for by
    ``typevar_candidates``: names inside subscripts of module-level aliases)."""
    functions: tuple[tuple[str, ImportedFunction], ...] = ()
    """Imported names bound to a function of a workspace module that the module wraps in a
    call's result (``validator("x")(fn)``; see ``imported_functions``)."""
    subclasses: tuple[WorkspaceSubclass, ...] = ()
    """Classes of other workspace files deriving from the module's classes that set
    ``json_encoders`` (``encoder_relations``)."""
    repeated_encoders: frozenset[str] = frozenset()
    """The module's classes whose ``json_encoders`` only repeat those of their workspace bases."""
    subclasses_complete: bool = True
    """False when the workspace had more files than the subclass lookup reads."""
    returns: tuple[tuple[str, ExternalModel, bool], ...] = ()
    """Imported names bound to a workspace function whose return annotation is a model:
    ``(local name, model, async)`` (``def get_user(...) -> User``; see ``returning_functions``)."""
    errors: tuple[tuple[str, ErrorClass], ...] = ()
    """Names (dotted) bound to a V1 error class of a workspace module (``PydanticValueError``
    subclasses), asked for by modules that build ``ErrorWrapper``s (see ``error_classes``)."""

    def get(self, dotted: str) -> ExternalModel | None:
        """The model that ``dotted`` names in the module, if it is one."""
        for name, model in self.classes:
            if name == dotted:
                return model
        return None

    def function(self, name: str) -> ImportedFunction | None:
        """The workspace function the module imports as ``name``, if it wraps one."""
        for local, function in self.functions:
            if local == name:
                return function
        return None

    def error_class(self, dotted: str) -> ErrorClass | None:
        """The workspace V1 error class ``dotted`` names in the module, if it is one."""
        for name, error in self.errors:
            if name == dotted:
                return error
        return None

    def origin(self, name: str) -> Origin | None:
        """What the module binds ``name`` to by an import, if it does."""
        for local, origin in self.bindings:
            if local == name:
                return origin
        return None

    def __bool__(self) -> bool:
        return bool(
            self.classes
            or self.functions
            or self.subclasses
            or self.repeated_encoders
            or not self.subclasses_complete
            or self.returns
            or self.errors
        )


NO_MODELS = WorkspaceModels()


# --- one module's summary -------------------------------------------------------------------


@dataclass(frozen=True)
class _Import:
    """``from module import name`` (``name`` set) or ``import module`` (``name`` None);
    ``folder`` is the package folder a relative import starts from."""

    module: str
    name: str | None
    folder: Path | None = None


@dataclass
class _Class:
    name: str
    bases: list[str]
    fields: list[ExternalField]
    body_names: set[str]
    from_attributes: bool | None


@dataclass
class _Summary:
    path: Path
    imports: dict[str, _Import] = field(default_factory=dict)
    classes: dict[str, _Class] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)
    typevars: set[str] = field(default_factory=set)
    functions: dict[str, str] = field(default_factory=dict)
    """Top-level function name → its ``def`` header (only for modules read with their text)."""
    star_imports: list[_Import] = field(default_factory=list)
    """``from module import *``, in order (names they bind are looked up there)."""
    exports: frozenset[str] | None = None
    """``__all__`` when it is a literal list or tuple of strings."""
    dynamic_all: bool = False
    """``__all__`` is built some other way: what a star import takes is unknown."""
    returns: dict[str, tuple[str, bool] | None] = field(default_factory=dict)
    """Top-level undecorated function → its return annotation and whether it is async (None
    when the name is defined more than once); only for modules read with their text."""
    error_attributes: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    """Class name → the ``code`` and ``msg_template`` its body sets (modules read with text)."""


def _read_summary(path: Path, text: str) -> _Summary:
    """The summary of a module read from disk or an open buffer (for the stamped cache)."""
    return _summarise(path, ast.parse(text), text)


def _summarise(path: Path, tree: ast.Module, text: str | None) -> _Summary:
    """The imports and top-level classes of a module; fields and bodies only when ``text``
    is given (the module is imported; the module asking needs only its imports)."""
    summary = _Summary(path)
    lines = _line_starts(text) if text is not None else None
    class_nodes: dict[str, ast.ClassDef] = {}
    reads_pydantic = False
    for stmt in _module_level(tree.body):
        if isinstance(stmt, ast.Import | ast.ImportFrom) and not _pydantic_free(stmt):
            reads_pydantic = True
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    summary.imports[alias.asname] = _Import(alias.name, None)
                else:
                    head = alias.name.split(".")[0]
                    summary.imports[head] = _Import(head, None)
        elif isinstance(stmt, ast.ImportFrom):
            folder = None
            if stmt.level:
                folder = path.parent
                for _ in range(stmt.level - 1):
                    folder = folder.parent
            for alias in stmt.names:
                if alias.name != "*":
                    local = alias.asname or alias.name
                    summary.imports[local] = _Import(stmt.module or "", alias.name, folder)
                else:
                    summary.star_imports.append(_Import(stmt.module or "", None, folder))
        elif isinstance(stmt, ast.ClassDef):
            if stmt.name in summary.returns:
                summary.returns[stmt.name] = None
            summary.classes[stmt.name] = _class_of(stmt, text, lines)
            if text is not None:
                summary.error_attributes[stmt.name] = class_attributes(stmt)
            summary.defined.add(stmt.name)
            class_nodes[stmt.name] = stmt
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            summary.defined.add(stmt.name)
            if text is not None:
                summary.functions[stmt.name] = function_header(stmt)
                summary.returns[stmt.name] = _return_annotation(stmt, summary.returns)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            bound = [t.id for t in assignment_targets(stmt) if isinstance(t, ast.Name)]
            summary.defined.update(bound)
            summary.returns.update((name, None) for name in bound if name in summary.returns)
            if "__all__" in bound:
                _read_all(summary, stmt.value)
            if is_typevar_call(stmt.value):
                summary.typevars.update(bound)
    if reads_pydantic:
        _resolve_pydantic_names(summary, PydanticNames(tree=tree), class_nodes)
    for cls in summary.classes.values():
        cls.fields = [
            ExternalField(f.name, f.statement, _origins(summary, f), cls.name) for f in cls.fields
        ]
    return summary


PYDANTIC_BASE = "<pydantic>."
"""Prefix of a class base the resolver found to be Pydantic's (``<pydantic>.BaseSettings``)."""


def _pydantic_free(stmt: ast.Import | ast.ImportFrom) -> bool:
    """True when the import names no module of Pydantic or pydantic-settings."""
    if isinstance(stmt, ast.ImportFrom):
        return stmt.level > 0 or (stmt.module or "").split(".")[0] not in SETTINGS
    return all(alias.name.split(".")[0] not in SETTINGS for alias in stmt.names)


def _resolve_pydantic_names(
    summary: _Summary, names: PydanticNames, class_nodes: dict[str, ast.ClassDef]
) -> None:
    """Read a Pydantic-importing module's class bases as Python binds them where each class
    stands (``class BaseModel(BaseModel)``, star imports, any Pydantic submodule), and forget
    Pydantic imports a later definition or assignment shadows for other files."""
    for node in class_nodes.values():
        bases = summary.classes[node.name].bases
        resolved = [_base_of(base, names) for base in node.bases]
        summary.classes[node.name].bases = [
            mine if mine is not None else old
            for mine, old in zip([r for r in resolved if r != ""], bases, strict=False)
        ]
    for local, imported in list(summary.imports.items()):
        if (
            imported.name is not None
            and imported.folder is None
            and in_packages(imported.module, PYDANTIC)
            and not names.means(local, imported.name)
        ):
            del summary.imports[local]


def _base_of(base: ast.expr, names: PydanticNames) -> str | None:
    """``<pydantic>.X`` for a Pydantic model base where the class stands, ``""`` for a base
    ``_class_of`` skips, else None (the base is looked up through the module's imports)."""
    expr = base.value if isinstance(base, ast.Subscript) else base
    dotted = dotted_name(expr)
    if dotted is not None and dotted.rsplit(".", 1)[-1] in IGNORED_BASES:
        return ""
    kind = names.pydantic_name(expr, SETTINGS)
    if kind in MODEL_BASES:
        return f"{PYDANTIC_BASE}{kind}"
    return None


def _read_all(summary: _Summary, value: ast.expr | None) -> None:
    """Record ``__all__ = [...]`` (or mark it unknown when it is not a literal of strings)."""
    names = value.elts if isinstance(value, ast.List | ast.Tuple) else None
    if names is None or summary.exports is not None or summary.dynamic_all:
        summary.dynamic_all = True
        return
    strings = [n.value for n in names if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    if len(strings) != len(names):
        summary.dynamic_all = True
        return
    summary.exports = frozenset(strings)


def is_typevar_call(value: ast.expr | None) -> bool:
    """True for ``TypeVar(...)`` / ``typing.TypeVar(...)`` (or ``typing_extensions``')."""
    return (
        isinstance(value, ast.Call)
        and (dotted_name(value.func) or "").rsplit(".", 1)[-1] == "TypeVar"
    )


def typevar_candidates(tree: ast.Module) -> set[str]:
    """Names inside the subscripts of module-level alias assignments (``Alias = X[...]``):
    the only imported names whose being a ``TypeVar`` the engine asks about."""
    found: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Subscript):
            found.update(
                node.id
                for sub in ast.walk(stmt.value)
                if isinstance(sub, ast.Subscript)
                for node in ast.walk(sub.slice)
                if isinstance(node, ast.Name)
            )
    return found


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, including those in top-level ``if`` / ``try`` blocks."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            yield from _module_level(stmt.body)
            yield from _module_level(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse):
                yield from _module_level(block)
        else:
            yield stmt


def _classes(body: list[ast.stmt]) -> Iterator[ast.ClassDef]:
    """Every class statement, at any depth (statement bodies only, not expressions)."""
    for stmt in body:
        if isinstance(stmt, ast.ClassDef):
            yield stmt
        for block in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, block, None)
            if isinstance(inner, list):
                yield from _classes(inner)
        for handler in getattr(stmt, "handlers", ()):
            yield from _classes(handler.body)
        for case in getattr(stmt, "cases", ()):
            yield from _classes(case.body)


DOTTED_USE = re.compile(r"\b([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*){0,2}\.[A-Z]\w*)\b")
"""``schemas.User``, ``app.schemas.User``: a capitalised name reached through a module."""
MAX_DOTTED_USES = 200


def _dotted_uses(text: str, summary: _Summary) -> set[str]:
    """Dotted class names the module reads through one of its imports (bounded)."""
    found: set[str] = set()
    for match in DOTTED_USE.finditer(text):
        if match.group(1) in summary.imports:
            found.add(match.group(1) + match.group(2))
            if len(found) >= MAX_DOTTED_USES:
                break
    return found


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _segment(text: str, lines: list[int], node: ast.stmt) -> str:
    """The source of ``node`` (``ast`` columns count UTF-8 bytes within a line)."""

    def offset(line: int, column: int) -> int:
        start = lines[line - 1]
        end = lines[line] if line < len(lines) else len(text)
        prefix = text[start:end].encode()[:column].decode(errors="replace")
        return start + len(prefix)

    end_line = node.end_lineno or node.lineno
    return text[offset(node.lineno, node.col_offset) : offset(end_line, node.end_col_offset or 0)]


IGNORED_BASES = ("Generic", "object", "ABC")


def _class_of(node: ast.ClassDef, text: str | None, lines: list[int] | None) -> _Class:
    bases: list[str] = []
    for base in node.bases:
        expr = base.value if isinstance(base, ast.Subscript) else base
        dotted = dotted_name(expr)
        if dotted is not None and dotted.rsplit(".", 1)[-1] in IGNORED_BASES:
            continue
        bases.append(dotted or "?")
    fields: list[ExternalField] = []
    body_names: set[str] = set()
    from_attributes: bool | None = None
    if text is None or lines is None:
        return _Class(node.name, bases, fields, body_names, from_attributes)
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            body_names.add(name)
            if not name.startswith("_") and "ClassVar" not in ast.unparse(stmt.annotation):
                statement = _segment(text, lines, stmt)
                fields.append(ExternalField(name, statement, _read_names(stmt), node.name))
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body_names.add(stmt.name)
            if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
                from_attributes = _config_flag(stmt.body, from_attributes)
        elif isinstance(stmt, ast.Assign):
            body_names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
            configures = any(
                isinstance(t, ast.Name) and t.id == "model_config" for t in stmt.targets
            )
            if configures and isinstance(stmt.value, ast.Call):
                for keyword in stmt.value.keywords:
                    if keyword.arg == "from_attributes":
                        from_attributes = _is_true(keyword.value)
    for keyword in node.keywords:
        if keyword.arg in ("orm_mode", "from_attributes"):
            from_attributes = _is_true(keyword.value)
    return _Class(node.name, bases, fields, body_names, from_attributes)


def _read_names(stmt: ast.AnnAssign) -> tuple[tuple[str, Origin | None], ...]:
    """The names an annotated declaration reads (its target excluded), origins unknown yet."""
    found: dict[str, None] = {}
    for part in (stmt.annotation, stmt.value):
        if part is None:
            continue
        for node in ast.walk(part):
            if isinstance(node, ast.Name):
                found.setdefault(node.id)
    return tuple((name, None) for name in found)


def _origins(summary: _Summary, declared: ExternalField) -> tuple[tuple[str, Origin | None], ...]:
    return tuple((name, _origin(summary, name)) for name, _ in declared.origins)


def _origin(summary: _Summary, name: str) -> Origin | None:
    """What ``name`` is bound to at module level of ``summary`` (None: not importable)."""
    imported = summary.imports.get(name)
    if imported is not None:
        if imported.folder is not None:
            return None  # relative: its absolute module is not known for another file
        return Origin(imported.module, imported.name or "")  # "": ``import module``
    if name in summary.defined:
        return None
    if name in BUILTIN_NAMES:
        return Origin("builtins", name)
    return None


def _config_flag(body: list[ast.stmt], current: bool | None) -> bool | None:
    for item in body:
        if isinstance(item, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in ("orm_mode", "from_attributes")
            for t in item.targets
        ):
            current = _is_true(item.value)
    return current


def _is_true(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is True


def module_bindings(tree: ast.Module) -> dict[str, Origin]:
    """What each name the module imports absolutely is bound to (for re-declared fields)."""
    found: dict[str, Origin] = {}
    for stmt in _module_level(tree.body):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                local = alias.asname or alias.name.split(".")[0]
                found[local] = Origin(alias.name if alias.asname else local, "")
        if isinstance(stmt, ast.ImportFrom) and not stmt.level and stmt.module:
            for alias in stmt.names:
                if alias.name != "*":
                    found[alias.asname or alias.name] = Origin(stmt.module, alias.name)
    return found


# --- the index -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pydantic:
    settings: bool


_Resolved = _Pydantic | tuple[_Summary, _Class]


class ModelIndex:
    """Cached module summaries under some workspace roots, read through a ``ProjectFiles``."""

    def __init__(self, roots: Sequence[Path] = ()) -> None:
        self.roots = tuple(resolved_path(root) for root in roots)
        self._summaries = StampedCache(MAX_SUMMARIES, _read_summary)

    def models_for(
        self,
        path: Path | None,
        tree: ast.Module,
        files: ProjectFiles = DISK,
        text: str | None = None,
    ) -> WorkspaceModels:
        """The workspace models module ``path`` (parsed as ``tree``) imports or names; with its
        ``text``, also those it reaches through an imported module (``schemas.User``)."""
        if path is None:
            return NO_MODELS
        path = resolved_path(path)
        summary = _summarise(path, tree, None)
        if not summary.imports:
            return NO_MODELS
        lookup = _Lookup(self, files, self._search_roots(path, files))
        wanted: set[str] = {name for name, imp in summary.imports.items() if imp.name}
        wanted |= _dotted_uses(text, summary) if text is not None else set()
        for node in _classes(tree.body):
            for base in node.bases:
                expr = base.value if isinstance(base, ast.Subscript) else base
                dotted = dotted_name(expr)
                if dotted is not None and "." in dotted:
                    wanted.add(dotted)
        found: list[tuple[str, ExternalModel]] = []
        for dotted in sorted(wanted):
            head = dotted.split(".")[0]
            if head in summary.classes:
                continue
            resolved = lookup.resolve(summary, dotted, 0)
            if isinstance(resolved, tuple):
                model = lookup.describe(*resolved)
                if model is not None:
                    found.append((dotted, model))
        typevars = frozenset(
            name
            for name in typevar_candidates(tree) & set(summary.imports)
            if _imported_typevar(lookup, summary.imports[name])
        )
        functions = _wrapped_functions(lookup, summary, wrapped_names(tree))
        relations = NO_RELATIONS
        if text is not None and ENCODERS_KEY in text:
            relations = encoder_relations(self, path, tree, files)
        returns = returning_functions(lookup, summary, text, {name for name, _ in found})
        errors: tuple[tuple[str, ErrorClass], ...] = ()
        if text is not None and "ErrorWrapper" in text:
            errors = _error_classes(lookup, summary, wanted)
        if not (found or typevars or functions or returns or errors) and relations == NO_RELATIONS:
            return NO_MODELS
        bindings = tuple(sorted(module_bindings(tree).items()))
        return WorkspaceModels(
            tuple(found), bindings, typevars, functions, *relations, returns=returns, errors=errors
        )

    def _search_roots(self, path: Path, files: ProjectFiles) -> list[Path]:
        """Where absolute imports of ``path`` are looked up: the workspace roots (and their
        ``src``, or the folder above a root that is a package), the folder above ``path``'s
        top package, and ``path``'s own folder."""
        roots: list[Path] = []
        folder = path.parent
        top = _above_packages(folder, files)
        # A root that is itself a package (``migrate app tests``) is imported from its parent.
        packages = (_above_packages(r, files) for r in self.roots)
        above = [r for r in packages if r not in self.roots]
        for root in (*self.roots, *(r / "src" for r in self.roots), *above, top, folder):
            if root not in roots:
                roots.append(root)
        return roots

    def _summary(self, path: Path, files: ProjectFiles) -> _Summary | None:
        """The cached summary of the module at ``path``; re-read when its stamp moved."""
        return self._summaries.get(path, files)

    def clear(self) -> None:
        """Forget every summary."""
        self._summaries.clear()


def _above_packages(folder: Path, files: ProjectFiles) -> Path:
    """The first folder at or above ``folder`` that is not a package (no ``__init__.py``)."""
    while files.is_file(folder / "__init__.py") and folder.parent != folder:
        folder = folder.parent
    return folder


def _imported_typevar(lookup: _Lookup, imported: _Import) -> bool:
    """True when ``from module import name`` binds a ``TypeVar`` the workspace module
    defines (not followed through re-exports)."""
    if imported.name is None:
        return False
    summary = lookup.module(imported.module, imported.folder)
    return summary is not None and imported.name in summary.typevars


def _wrapped_functions(
    lookup: _Lookup, summary: _Summary, wanted: set[str]
) -> tuple[tuple[str, ImportedFunction], ...]:
    """``(local name, function)`` for each of ``wanted`` that ``summary``'s module imports from
    a workspace module defining it as a top-level function (re-exports followed)."""
    found: list[tuple[str, ImportedFunction]] = []
    for local in sorted(wanted & set(summary.imports)):
        imported: _Import | None = summary.imports[local]
        for _ in range(MAX_DEPTH):
            if imported is None or imported.name is None:
                break
            module = lookup.module(imported.module, imported.folder)
            if module is None:
                break
            header = module.functions.get(imported.name)
            if header is not None:
                shown = f".{imported.module}" if imported.folder is not None else imported.module
                found.append((local, ImportedFunction(shown, header)))
                break
            imported = module.imports.get(imported.name)
    return tuple(found)


INSTANCE_CALLS = re.compile(r"\.\s*(?:dict|json|copy)\s*\(")
"""A V1 instance method call in the text: only then are returned models worth looking up."""
CALLED_NAMES = re.compile(r"\b(\w+)\s*\(")


def _return_annotation(
    stmt: ast.FunctionDef | ast.AsyncFunctionDef, seen: dict[str, tuple[str, bool] | None]
) -> tuple[str, bool] | None:
    """``(annotation, async)`` of an undecorated function defined once, else None."""
    if stmt.name in seen or stmt.returns is None or stmt.decorator_list:
        return None
    return ast.unparse(stmt.returns), isinstance(stmt, ast.AsyncFunctionDef)


def returning_functions(
    lookup: _Lookup, summary: _Summary, text: str | None, models: set[str]
) -> tuple[tuple[str, ExternalModel, bool], ...]:
    """``(local name, model, async)`` for each name ``summary``'s module imports (and calls)
    that is a workspace function annotated to return a model (or ``Optional`` of one), the
    annotation resolved in the function's own module (re-exports followed)."""
    if text is None or not INSTANCE_CALLS.search(text):
        return ()
    found: list[tuple[str, ExternalModel, bool]] = []
    called = set(CALLED_NAMES.findall(text))
    for local in sorted((set(summary.imports) & called) - models):
        imported: _Import | None = summary.imports[local]
        if imported is None or imported.name is None:
            continue
        for _ in range(MAX_DEPTH):
            if imported is None or imported.name is None:
                break
            module = lookup.module(imported.module, imported.folder)
            if module is None or imported.name in module.classes:
                break
            if imported.name in module.returns:
                returned = module.returns[imported.name]
                model = _returned_model(lookup, module, returned[0]) if returned else None
                if model is not None and returned is not None:
                    found.append((local, model, returned[1]))
                break
            imported = module.imports.get(imported.name)
    return tuple(found)


def _returned_model(lookup: _Lookup, module: _Summary, annotation: str) -> ExternalModel | None:
    """The model ``annotation`` (``User``, ``"User"``, ``Optional[User]``, ``User | None``,
    ``schemas.User``) names in ``module``, or None."""
    try:
        expr = ast.parse(annotation.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return None
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return _returned_model(lookup, module, expr.value)
    members = [expr]
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        members = [expr.left, expr.right]
    elif isinstance(expr, ast.Subscript) and dotted_name(expr.value) in (
        "Optional",
        "typing.Optional",
        "Union",
        "typing.Union",
    ):
        inner = expr.slice
        members = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    named = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
    if len(named) == 1 and isinstance(named[0], ast.Constant) and isinstance(named[0].value, str):
        return _returned_model(lookup, module, named[0].value)
    dotted = dotted_name(named[0]) if len(named) == 1 else None
    resolved = lookup.resolve(module, dotted, 0) if dotted is not None else None
    return lookup.describe(*resolved) if isinstance(resolved, tuple) else None


# --- V1 error classes --------------------------------------------------------------------


def _error_classes(
    lookup: _Lookup, summary: _Summary, wanted: set[str]
) -> tuple[tuple[str, ErrorClass], ...]:
    """``(dotted name, error class)`` for each of ``wanted`` naming a V1 error class of a
    workspace module (re-exports followed)."""
    found: list[tuple[str, ErrorClass]] = []
    for dotted in sorted(wanted):
        if dotted.split(".")[0] in summary.classes:
            continue
        resolved = lookup.resolve(summary, dotted, 0)
        if isinstance(resolved, tuple):
            error = _error_class(lookup, *resolved, depth=0)
            if error is not None:
                found.append((dotted, error))
    return tuple(found)


def _error_class(lookup: _Lookup, summary: _Summary, cls: _Class, depth: int) -> ErrorClass | None:
    """What ``cls`` and its bases set, when its one base leads to ``PydanticValueError`` /
    ``PydanticTypeError`` (several bases: V1's MRO is not followed, None)."""
    attributes = summary.error_attributes.get(cls.name)
    if attributes is None or len(cls.bases) != 1 or depth > MAX_DEPTH:
        return None
    base = cls.bases[0]
    head, _, rest = base.partition(".")
    imported = summary.imports.get(head)
    if imported is not None and imported.folder is None:
        if imported.name is None:  # ``import pydantic.errors`` / ``as errors``
            module, _, name = f"{imported.module}.{rest}".rpartition(".")
        else:
            module = f"{imported.module}.{imported.name}" if rest else imported.module
            name = rest.rpartition(".")[2] if rest else imported.name
        kind = v1_error_root(module, name) if name else None
        if kind is not None:
            return ErrorClass(kind, None, None).below(cls.name, attributes)
    resolved = lookup.resolve(summary, base, 0)
    if not isinstance(resolved, tuple):
        return None
    parent = _error_class(lookup, *resolved, depth=depth + 1)
    return parent.below(cls.name, attributes) if parent is not None else None


class _Lookup:
    """One ``models_for`` call: module lookups and class descriptions, memoised for it."""

    def __init__(self, index: ModelIndex, files: ProjectFiles, roots: list[Path]) -> None:
        self.index = index
        self.files = files
        self.roots = roots
        self._modules: dict[tuple[Path | None, str], _Summary | None] = {}
        self._described: dict[tuple[Path, str], ExternalModel | None] = {}
        self._describing: set[tuple[Path, str]] = set()

    def module(self, dotted: str, folder: Path | None) -> _Summary | None:
        """The summary of module ``dotted`` (relative to ``folder`` when given)."""
        key = (folder, dotted)
        if key in self._modules:
            return self._modules[key]
        found: _Summary | None = None
        parts = [p for p in dotted.split(".") if p]
        bases = [folder] if folder is not None else self.roots
        for base in bases:
            target = base.joinpath(*parts)
            for candidate in (target.with_suffix(".py") if parts else None, target / "__init__.py"):
                if candidate is not None and self.files.is_file(candidate):
                    found = self.index._summary(resolved_path(candidate), self.files)
                    break
            if found is not None:
                break
        self._modules[key] = found
        return found

    def resolve(self, summary: _Summary, dotted: str, depth: int) -> _Resolved | None:
        """What ``dotted`` names in ``summary``'s module: a Pydantic base or a class."""
        if depth > MAX_DEPTH:
            return None
        if dotted.startswith(PYDANTIC_BASE):
            return _Pydantic(dotted == f"{PYDANTIC_BASE}BaseSettings")
        head, _, rest = dotted.partition(".")
        if not rest and head in summary.classes:
            return summary, summary.classes[head]
        imported = summary.imports.get(head)
        if imported is None:
            return self._starred(summary, dotted, depth)
        if imported.name is None:  # ``import a.b as z``: ``z.Model``
            return self._in_module(imported.module, None, rest, depth) if rest else None
        if not rest:
            return self._exported(imported.module, imported.folder, imported.name, depth)
        submodule = f"{imported.module}.{imported.name}" if imported.module else imported.name
        return self._in_module(submodule, imported.folder, rest, depth)

    def _starred(self, summary: _Summary, dotted: str, depth: int) -> _Resolved | None:
        """What ``dotted`` names when the module binds its head only by ``from m import *``
        (the last star import exporting it wins, as at run time)."""
        head = dotted.partition(".")[0]
        if head in summary.defined or head.startswith("_"):
            return None
        for star in reversed(summary.star_imports):
            if star.folder is None and star.module.split(".")[0] in ("pydantic", "typing"):
                continue
            target = self.module(star.module, star.folder)
            if target is None or target.dynamic_all:
                continue
            if target.exports is not None and head not in target.exports:
                continue
            if head in target.classes or head in target.imports or head in target.defined:
                return self.resolve(target, dotted, depth + 1)
            found = self._starred(target, dotted, depth + 1) if depth < MAX_DEPTH else None
            if found is not None:
                return found
        return None

    def _in_module(
        self, module: str, folder: Path | None, dotted: str, depth: int
    ) -> _Resolved | None:
        head, _, rest = dotted.partition(".")
        if rest:
            return self._in_module(f"{module}.{head}" if module else head, folder, rest, depth + 1)
        return self._exported(module, folder, head, depth)

    def _exported(
        self, module: str, folder: Path | None, name: str, depth: int
    ) -> _Resolved | None:
        if folder is None and in_packages(module, SETTINGS):
            return _Pydantic(name == "BaseSettings") if name in MODEL_BASES else None
        if folder is None and module.split(".")[0] in ("pydantic", "pydantic_settings"):
            return None
        summary = self.module(module, folder)
        if summary is None:
            return None
        return self.resolve(summary, name, depth + 1)

    def describe(self, summary: _Summary, cls: _Class, depth: int = 0) -> ExternalModel | None:
        """The model ``cls`` is, or None when it does not derive from a Pydantic base."""
        key = (summary.path, cls.name)
        if key in self._described:
            return self._described[key]
        if key in self._describing or depth > MAX_DEPTH:
            return None
        self._describing.add(key)
        is_model = settings = False
        complete = True
        fields: list[ExternalField] = []
        methods: set[str] = set()
        from_attributes: bool | None = None
        for base in cls.bases:
            resolved = self.resolve(summary, base, 0) if base != "?" else None
            if isinstance(resolved, _Pydantic):
                is_model = True
                settings = settings or resolved.settings
            elif isinstance(resolved, tuple):
                parent = self.describe(*resolved, depth=depth + 1)
                if parent is None:
                    complete = False
                    continue
                is_model = True
                settings = settings or parent.settings
                complete = complete and parent.complete
                fields = [*parent.fields, *fields]
                methods |= parent.methods
                if from_attributes is None:
                    from_attributes = parent.from_attributes
            else:
                complete = False
        self._describing.discard(key)
        model: ExternalModel | None = None
        if is_model:
            own = {f.name for f in cls.fields}
            merged = [f for f in fields if f.name not in own] + cls.fields
            model = ExternalModel(
                qualname=f"{_module_label(summary.path)}.{cls.name}",
                settings=settings,
                fields=tuple(merged),
                methods=frozenset(methods | cls.body_names),
                from_attributes=cls.from_attributes
                if cls.from_attributes is not None
                else from_attributes,
                complete=complete,
            )
        self._described[key] = model
        return model


def _module_label(path: Path) -> str:
    """A short name for the module at ``path`` in messages (``base`` for ``app/core/base.py``)."""
    return path.parent.name if path.stem == "__init__" else path.stem


def may_use_models(source: str) -> bool:
    """Cheap pre-filter: could ``source`` use a model imported from another workspace file?"""
    return "import" in source and ("class " in source or "." in source)


# --- json_encoders across files: subclasses in other files, encoders of bases -----------------

MAX_SCANNED_FILES = 3_000
"""Workspace files looked at to find the subclasses of one module's classes."""
ENCODERS_KEY = "json_encoders"
RELATED_KEYS = {"datetime.datetime": "datetime.date"}
"""Encoded types whose values are also instances of another: one encoder may take over."""


@dataclass(frozen=True)
class EncoderEntry:
    """One ``{type: encoder}`` item of a ``json_encoders`` dict, with every name it reads
    resolved to where it comes from, so entries of two modules compare by meaning."""

    key: str
    encoder: str
    names: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class WorkspaceSubclass:
    """A class of another workspace file deriving (at any depth) from a class of the asking
    module, as a ``json_encoders`` conversion of that class must know it."""

    base: str
    """The asking module's class it derives from."""
    model: ExternalModel
    encoders: str
    """Its own ``json_encoders`` against the base's: ``none``, ``same`` (each item repeats
    one of the base's), ``disjoint`` (other types) or ``overlap`` (another encoder for a type
    the base encodes), ``unknown`` (not a plain dict)."""
    extra_allowed: bool
    """Its config (or that of a class between it and the base) allows extra fields."""
    serializers: bool
    """It defines a ``model_serializer`` or a ``field_serializer`` itself."""


Relations = tuple[tuple[WorkspaceSubclass, ...], frozenset[str], bool]
"""Subclasses in other files, classes repeating their bases' encoders, whether every file
was read."""
NO_RELATIONS: Relations = ((), frozenset(), True)


def encoder_relations(
    index: ModelIndex,
    path: Path | None,
    tree: ast.Module,
    files: ProjectFiles = DISK,
) -> Relations:
    """For the top-level classes of module ``path`` (parsed as ``tree``) that set
    ``json_encoders``: their subclasses in other workspace files, the names of those whose
    own encoders only repeat what their bases in other files already encode (V1 merged the
    dicts, so dropping the repeated key changes nothing), and whether the lookup read every
    workspace file (at most ``MAX_SCANNED_FILES``)."""
    if path is None:
        return NO_RELATIONS
    path = resolved_path(path)
    encoding = {
        stmt.name: value
        for stmt in tree.body
        if isinstance(stmt, ast.ClassDef) and (value := own_encoders(stmt)) is not None
    }
    if not encoding:
        return NO_RELATIONS
    lookup = _Lookup(index, files, index._search_roots(path, files))
    own = _summarise(path, tree, None)
    entries = {name: _entries(lookup, own, value) for name, value in encoding.items()}
    subclasses, complete = _subclasses_of(index, lookup, path, tree, entries, files)
    redundant = frozenset(
        name
        for name, mine in entries.items()
        if mine is not None and _repeats_bases(lookup, own, name, tree, mine)
    )
    return subclasses, redundant, complete


def own_encoders(node: ast.ClassDef) -> ast.expr | None:
    """The ``json_encoders`` value a class's own config sets (``class Config`` or
    ``model_config = ConfigDict(...)``)."""
    for stmt in node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for item in stmt.body:
                if (
                    isinstance(item, ast.Assign | ast.AnnAssign)
                    and item.value is not None
                    and any(
                        isinstance(t, ast.Name) and t.id == ENCODERS_KEY
                        for t in assignment_targets(item)
                    )
                ):
                    return item.value
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            value = stmt.value
            if isinstance(value, ast.Call) and any(
                isinstance(t, ast.Name) and t.id == "model_config" for t in assignment_targets(stmt)
            ):
                for keyword in value.keywords:
                    if keyword.arg == ENCODERS_KEY:
                        return keyword.value
    return None


def allows_extra_fields(node: ast.ClassDef) -> bool | None:
    """What the class's own config says of extra fields (None: nothing)."""
    items: list[tuple[str | None, ast.expr]] = [(k.arg, k.value) for k in node.keywords]
    for stmt in node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for item in stmt.body:
                if isinstance(item, ast.Assign | ast.AnnAssign) and item.value is not None:
                    items += [
                        (t.id, item.value)
                        for t in assignment_targets(item)
                        if isinstance(t, ast.Name)
                    ]
        elif (
            isinstance(stmt, ast.Assign | ast.AnnAssign)
            and isinstance(stmt.value, ast.Call)
            and any(
                isinstance(t, ast.Name) and t.id == "model_config" for t in assignment_targets(stmt)
            )
        ):
            items += [(k.arg, k.value) for k in stmt.value.keywords]
    found: bool | None = None
    for key, value in items:
        if key == "extra":
            if isinstance(value, ast.Constant):
                found = value.value == "allow"
            else:
                found = isinstance(value, ast.Attribute) and value.attr == "allow"
    return found


def defines_serializers(node: ast.ClassDef) -> bool:
    return any(
        isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(
            (dotted_name(d.func if isinstance(d, ast.Call) else d) or "").endswith("_serializer")
            for d in stmt.decorator_list
        )
        for stmt in node.body
    )


def _canonical(lookup: _Lookup, summary: _Summary, dotted: str) -> str:
    """Where a (dotted) name read in ``summary``'s module comes from, comparable across modules."""
    head, _, rest = dotted.partition(".")
    suffix = f".{rest}" if rest else ""
    imported = summary.imports.get(head)
    if imported is not None:
        if imported.name is None:
            return f"{imported.module}{suffix}"
        target = lookup.module(imported.module, imported.folder)
        if target is not None:
            return f"{target.path}:{imported.name}{suffix}"
        if imported.folder is not None:
            return f"?{imported.folder}:{imported.module}.{imported.name}{suffix}"
        return f"{imported.module}.{imported.name}{suffix}"
    if head in summary.defined:
        return f"{summary.path}:{head}{suffix}"
    if head in BUILTIN_NAMES:
        return f"builtins.{head}{suffix}"
    return f"?{summary.path}:{head}{suffix}"


def _entries(
    lookup: _Lookup, summary: _Summary, value: ast.expr
) -> tuple[EncoderEntry, ...] | None:
    """The items of a ``{type: encoder}`` dict, resolved; None for any other value."""
    if not isinstance(value, ast.Dict) or any(k is None for k in value.keys):
        return None
    found: list[EncoderEntry] = []
    for key, encoder in zip(value.keys, value.values, strict=True):
        dotted = dotted_name(key) if key is not None else None
        if dotted is None:
            return None
        local = {a.arg for n in ast.walk(encoder) if isinstance(n, ast.Lambda) for a in n.args.args}
        read = sorted(
            {n.id for n in ast.walk(encoder) if isinstance(n, ast.Name) and n.id not in local}
        )
        found.append(
            EncoderEntry(
                _canonical(lookup, summary, dotted),
                ast.unparse(encoder),
                tuple((name, _canonical(lookup, summary, name)) for name in read),
            )
        )
    return tuple(found)


def _relation(
    theirs: tuple[EncoderEntry, ...] | None, base: tuple[EncoderEntry, ...] | None
) -> str:
    if theirs is None or base is None:
        return "unknown"
    if all(entry in base for entry in theirs):
        return "same"
    keys = {entry.key for entry in base}
    keys |= {RELATED_KEYS.get(key, key) for key in keys} | {
        sub for sub, parent in RELATED_KEYS.items() if parent in keys
    }
    return "disjoint" if all(entry.key not in keys for entry in theirs) else "overlap"


def _python_files(roots: Sequence[Path], files: ProjectFiles) -> tuple[list[Path], bool]:
    """The ``.py`` files under ``roots`` (skipped folders and virtualenvs left out), at most
    ``MAX_SCANNED_FILES``; and False when there were more."""
    from fastapi_architect.project_files import is_skipped_directory_name

    found: list[Path] = []
    pending = [root for root in roots if files.is_dir(root)]
    visited: set[Path] = set()
    while pending:
        folder = pending.pop()
        if folder in visited:
            continue
        visited.add(folder)
        try:
            entries = files.iterdir(folder)
        except OSError:
            continue
        for entry in sorted(entries):
            if entry.suffix == ".py" and files.is_file(entry):
                if len(found) == MAX_SCANNED_FILES:
                    return found, False
                found.append(entry)
            elif (
                not is_skipped_directory_name(entry.name)
                and files.is_dir(entry)
                and not files.is_file(entry / "pyvenv.cfg")
                and not entry.is_symlink()
            ):
                pending.append(entry)
    return found, True


def _subclasses_of(
    index: ModelIndex,
    lookup: _Lookup,
    path: Path,
    tree: ast.Module,
    entries: dict[str, tuple[EncoderEntry, ...] | None],
    files: ProjectFiles,
) -> tuple[tuple[WorkspaceSubclass, ...], bool]:
    """Every class of another workspace file deriving from one of ``entries``' classes,
    directly or through classes of the module itself (``class Mutable(Base)`` next to it);
    and whether every workspace file was read."""
    # The roots are resolved and the walk enters no symlinked folder: paths are real already.
    paths, complete = _python_files(index.roots, files)
    summaries = [
        summary
        for file in paths
        if file != path and (summary := index._summary(file, files)) is not None and summary.classes
    ]
    roots_of: dict[tuple[Path, str], str] = {(path, name): name for name in entries}
    extra: dict[tuple[Path, str], bool] = {}
    local = [s for s in tree.body if isinstance(s, ast.ClassDef)]
    changed = True
    while changed:
        changed = False
        for declared in local:
            key = (path, declared.name)
            parents = [(path, dotted_name(b) or "?") for b in declared.bases]
            parent = next((p for p in parents if p in roots_of), None)
            allows = allows_extra_fields(declared)
            if key in roots_of:
                extra.setdefault(key, bool(allows))
            elif parent is not None:
                roots_of[key] = roots_of[parent]
                extra[key] = allows if allows is not None else extra.get(parent, False)
                changed = True
    found: list[WorkspaceSubclass] = []
    changed = True
    while changed:
        changed = False
        wanted = {name for _, name in roots_of}
        for summary in summaries:
            for cls in summary.classes.values():
                key = (summary.path, cls.name)
                if key in roots_of or not any(b.rsplit(".", 1)[-1] in wanted for b in cls.bases):
                    continue
                for base in cls.bases:
                    resolved = lookup.resolve(summary, base, 0) if base != "?" else None
                    if not isinstance(resolved, tuple):
                        continue
                    parent = (resolved[0].path, resolved[1].name)
                    if parent not in roots_of:
                        continue
                    model = lookup.describe(summary, cls)
                    facts = _class_facts(summary.path, cls.name, files)
                    if model is None or facts is None:
                        continue
                    root = roots_of[key] = roots_of[parent]
                    allows = facts.extra
                    extra[key] = allows if allows is not None else extra.get(parent, False)
                    value = facts.encoders
                    relation = "none"
                    if value is not None:
                        relation = _relation(_entries(lookup, summary, value), entries[root])
                    found.append(
                        WorkspaceSubclass(root, model, relation, extra[key], facts.serializers)
                    )
                    changed = True
                    break
    return tuple(found), complete


@dataclass(frozen=True)
class _ClassFacts:
    """What a ``json_encoders`` conversion asks of a class of another file."""

    extra: bool | None
    encoders: ast.expr | None
    """Its own ``json_encoders``."""
    serializers: bool
    converted: ast.Dict | None
    """The encoders its PYD020 ``"*"`` serializer applies, once migrated."""


def _read_class_facts(path: Path, text: str) -> dict[str, _ClassFacts]:
    """The facts of every top-level class of a module (no syntax tree is kept)."""
    return {
        stmt.name: _ClassFacts(
            allows_extra_fields(stmt),
            own_encoders(stmt),
            defines_serializers(stmt),
            converted_encoders(stmt),
        )
        for stmt in _module_level(ast.parse(text).body)
        if isinstance(stmt, ast.ClassDef)
    }


_FACTS = StampedCache(MAX_SUMMARIES, _read_class_facts)


def _class_facts(path: Path, name: str, files: ProjectFiles) -> _ClassFacts | None:
    """The facts of top-level class ``name`` of the module at ``path``; each module is parsed
    once per stamp."""
    found = _FACTS.get(path, files)
    return found.get(name) if found is not None else None


def _repeats_bases(
    lookup: _Lookup,
    summary: _Summary,
    name: str,
    tree: ast.Module,
    mine: tuple[EncoderEntry, ...],
) -> bool:
    """True when class ``name``'s own encoders each repeat one that its bases in other
    workspace files set (merged as V1 merged them, nearest base last)."""
    node = next((s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == name), None)
    if node is None or not node.bases:
        return False
    inherited: list[EncoderEntry] = []
    for base in node.bases:
        dotted = dotted_name(base)
        resolved = lookup.resolve(summary, dotted, 0) if dotted else None
        if not isinstance(resolved, tuple) or resolved[0].path == summary.path:
            return False
        chain = _inherited_entries(lookup, *resolved, 0)
        if chain is None:
            return False
        inherited += chain
    return bool(inherited) and all(entry in inherited for entry in mine)


def _inherited_entries(
    lookup: _Lookup,
    summary: _Summary,
    cls: _Class,
    depth: int,
) -> list[EncoderEntry] | None:
    """The encoders ``cls`` applies (its bases' first, its own last); None when unknown."""
    if depth > MAX_DEPTH:
        return None
    facts = _class_facts(summary.path, cls.name, lookup.files)
    if facts is None:
        return None
    merged: list[EncoderEntry] = []
    for base in cls.bases:
        resolved = lookup.resolve(summary, base, 0) if base != "?" else None
        if isinstance(resolved, _Pydantic):
            continue
        if not isinstance(resolved, tuple):
            return None
        chain = _inherited_entries(lookup, *resolved, depth + 1)
        if chain is None:
            return None
        merged += chain
    value = facts.encoders or facts.converted
    if value is not None:
        own = _entries(lookup, summary, value)
        if own is None:
            return None
        keys = {entry.key for entry in own}
        merged = [entry for entry in merged if entry.key not in keys] + list(own)
    return merged


def converted_encoders(node: ast.ClassDef) -> ast.Dict | None:
    """The ``{type: encoder}`` dict that a ``@field_serializer("*", mode="wrap")`` method of
    ``node`` applies when it is the dispatch PYD020 writes (``if isinstance(v, T): return e``
    for each type, then ``return handler(v)``): a base already migrated still tells which
    encoders its subclasses inherit."""
    for stmt in node.body:
        if not isinstance(stmt, ast.FunctionDef) or len(stmt.args.args) != 3:
            continue
        if not any(
            isinstance(d, ast.Call)
            and (dotted_name(d.func) or "").endswith("field_serializer")
            and d.args
            and isinstance(d.args[0], ast.Constant)
            and d.args[0].value == "*"
            for d in stmt.decorator_list
        ):
            continue
        param = stmt.args.args[1].arg
        keys: list[ast.expr | None] = []
        values: list[ast.expr] = []
        for item in stmt.body[:-1]:
            returned = item.body[0] if isinstance(item, ast.If) and len(item.body) == 1 else None
            test = item.test if isinstance(item, ast.If) and not item.orelse else None
            if (
                not isinstance(returned, ast.Return)
                or returned.value is None
                or not isinstance(test, ast.Call)
                or ast.unparse(test.func) != "isinstance"
                or len(test.args) != 2
                or ast.unparse(test.args[0]) != param
            ):
                return None
            body = returned.value
            keys.append(test.args[1])
            if (
                isinstance(body, ast.Call)
                and isinstance(body.func, ast.Name)
                and [ast.unparse(a) for a in body.args] == [param]
                and not body.keywords
            ):
                values.append(body.func)
            else:
                arguments = ast.arguments(
                    posonlyargs=[],
                    args=[ast.arg(arg=param)],
                    kwonlyargs=[],
                    kw_defaults=[],
                    defaults=[],
                )
                values.append(ast.Lambda(args=arguments, body=body))
        return ast.Dict(keys=keys, values=values) if keys else None
    return None
