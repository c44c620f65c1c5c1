"""Which names in a module are Pydantic's: imports, aliases, and how to spell new names.

``PydanticNames.pydantic_name`` / ``refers_to`` answer "does this expression mean Pydantic's
``X`` here" for every pass: ``X`` or an ``as`` alias imported from ``pydantic`` or any of its
submodules, ``from pydantic import *``, ``pydantic.X`` / ``pd.X`` / ``pydantic.fields.X`` /
``fields.X`` after ``from pydantic import fields``; not where a definition, assignment, other
import or function-local name shadows it (``bindings``), and never ``pydantic.v1``. A
``validator`` from another library does not count. Modules that import from ``pydantic.v1``
chose the V1 API on purpose and are left alone.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from fastapi_architect.pydantic_v2.bindings import Binding, ModuleBindings
from fastapi_architect.pydantic_v2.public_names import (
    PYDANTIC_STAR,
    PYDANTIC_SUBMODULES,
    PYDANTIC_TYPES_STAR,
)

PYDANTIC = ("pydantic",)
"""``pydantic`` and its submodules (``pydantic.v1`` never counts: the V1 API kept on purpose)."""
SETTINGS = ("pydantic", "pydantic_settings")
"""Where a settings base may come from: V1's ``pydantic.BaseSettings`` or pydantic-settings."""
PYDANTIC_MODULES = frozenset({"pydantic", "pydantic.class_validators", "pydantic.main"})
MODEL_BASES = frozenset({"BaseModel", "BaseSettings", "GenericModel", "RootModel"})
MODEL_BASE_MODULES = frozenset(
    {"pydantic", "pydantic.main", "pydantic.generics", "pydantic_settings", "pydantic.env_settings"}
)
V1_DECORATORS = frozenset({"validator", "root_validator"})
NONE_ALIASES = frozenset({"NoneStr", "NoneBytes", "NoneStrBytes"})
TYPING_NAMES = frozenset(
    {"Any", "Annotated", "Optional", "Union", "List", "Dict", "Set", "FrozenSet", "Tuple", "Type"}
)


@dataclass
class PydanticNames:
    """The module's Pydantic bindings, read from its top-level imports."""

    # local name -> "validator" / "root_validator"
    decorators: dict[str, str] = field(default_factory=dict)
    # local name -> canonical pydantic name (BaseModel, Field, field_validator, ...)
    pydantic_from: dict[str, str] = field(default_factory=dict)
    # local alias -> dotted module ("pydantic", "pydantic.class_validators")
    modules: dict[str, str] = field(default_factory=dict)
    # local name -> canonical typing name (Any, Annotated)
    typing_from: dict[str, str] = field(default_factory=dict)
    typing_modules: list[str] = field(default_factory=list)
    model_base_names: set[str] = field(default_factory=set)
    settings_base_names: set[str] = field(default_factory=set)
    dataclass_names: set[str] = field(default_factory=set)
    uses_v1_namespace: bool = False
    imports_pydantic: bool = False  # any import from ``pydantic`` or a ``pydantic.*`` module
    star_import: bool = False  # ``from pydantic import *`` binds every public name
    # module-level names bound by something other than pydantic / typing imports
    other_bindings: dict[str, str] = field(default_factory=dict)
    # the module read, and what every name in it is bound to where (built when first asked)
    tree: ast.Module | None = field(default=None, repr=False, compare=False)
    _bindings: ModuleBindings | None = field(default=None, init=False, repr=False, compare=False)

    def pydantic_name(self, expr: ast.expr, packages: tuple[str, ...] = PYDANTIC) -> str | None:
        """The name ``expr`` stands for where it is read when that is a name of ``packages``
        (``Field`` for ``F`` after ``from pydantic import Field as F``, for ``pd.Field``, for
        ``fields.Field`` after ``from pydantic import fields``), else None."""
        if isinstance(expr, ast.Name):
            return _imported_name(self._bound(expr.id, expr), packages)
        if isinstance(expr, ast.Attribute):
            modules = self.modules_of(expr.value)
            if modules and all(in_packages(module, packages) for module in modules):
                return expr.attr
        return None

    def refers_to(self, expr: ast.expr, name: str, packages: tuple[str, ...] = PYDANTIC) -> bool:
        """True when ``expr`` means ``name`` of ``packages`` (Pydantic's by default) here."""
        if isinstance(expr, ast.Name | ast.Attribute):
            return self.pydantic_name(expr, packages) == name
        return False

    def modules_of(self, expr: ast.expr) -> frozenset[str]:
        """The modules ``expr`` (``pd``, ``pydantic.fields``, ``fields`` imported from
        ``pydantic``) may name where it is read; empty when it may be something else."""
        head = expr
        rest: list[str] = []
        while isinstance(head, ast.Attribute):
            rest.append(head.attr)
            head = head.value
        if not isinstance(head, ast.Name):
            return frozenset()
        suffix = "".join(f".{part}" for part in reversed(rest))
        modules: set[str] = set()
        for binding in self._bound(head.id, head):
            if binding.kind == "module":
                modules.add(binding.module + suffix)
            elif (
                binding.kind == "from"
                and in_packages(binding.module, PYDANTIC)
                and binding.name in PYDANTIC_SUBMODULES
            ):
                modules.add(f"{binding.module}.{binding.name}{suffix}")
            else:
                return frozenset()
        return frozenset(modules)

    def means(self, local: str, name: str, at: ast.expr | ast.stmt | None = None) -> bool:
        """True when the bare name ``local`` means Pydantic's ``name`` at ``at`` (None: once
        the module has run): a spelling a conversion may write there."""
        return _imported_name(self._bound(local, at), PYDANTIC) == name

    def imported_in_function(self, expr: ast.expr) -> bool:
        """True when the name ``expr`` is read through is imported inside a function there
        (``def f(): from pydantic import parse_obj_as``)."""
        while isinstance(expr, ast.Attribute):
            expr = expr.value
        return isinstance(expr, ast.Name) and any(b.in_function for b in self._bound(expr.id, expr))

    def _bound(self, name: str, node: ast.expr | ast.stmt | None) -> frozenset[Binding]:
        if self._bindings is None:
            if self.tree is None:
                return frozenset()
            self._bindings = ModuleBindings(self.tree, star_names)
        return self._bindings.at(name, node)

    def decorator_kind(self, expr: ast.expr) -> str | None:
        """``"validator"`` / ``"root_validator"`` when ``expr`` names Pydantic's, else None."""
        target = expr.func if isinstance(expr, ast.Call) else expr
        kind = self.pydantic_name(target)
        return kind if kind in V1_DECORATORS else None

    def is_pydantic_dataclass(self, decorator: ast.expr) -> bool:
        """True for ``@dataclass`` / ``@pydantic.dataclasses.dataclass(...)`` from Pydantic."""
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        return self.refers_to(target, "dataclass", ("pydantic.dataclasses",))

    def resolve_module(self, dotted: str) -> str | None:
        """The module a dotted local reference (``pd``, ``pydantic.class_validators``) names."""
        head, _, rest = dotted.partition(".")
        module = self.modules.get(head)
        if module is None:
            return None
        return f"{module}.{rest}" if rest else module

    def is_model_base(self, expr: ast.expr) -> bool:
        """True when the class base ``expr`` is BaseModel / BaseSettings / GenericModel."""
        if isinstance(expr, ast.Subscript):  # GenericModel[T]
            expr = expr.value
        return self.pydantic_name(expr, SETTINGS) in MODEL_BASES

    def is_settings_base(self, expr: ast.expr) -> bool:
        """True when the class base ``expr`` is Pydantic's ``BaseSettings``."""
        return self.refers_to(expr, "BaseSettings", SETTINGS)

    def unused_after(
        self,
        tree: ast.Module,
        text: str,
        consumed: dict[str, int],
        known_uses: dict[str, int],
    ) -> set[str]:
        """Decorator aliases no code reads once ``consumed[name]`` of their uses are converted.

        ``known_uses`` counts the validator sites found per alias: if some stay unconverted the
        alias is still used. Counting the word in the text is exact when it only occurs in the
        import and the converted decorators; otherwise the tree is walked.
        """
        unused: set[str] = set()
        exact: dict[str, int] | None = None
        for name, count in consumed.items():
            if known_uses.get(name, 0) > count:
                continue
            words = len(re.findall(rf"(?<![\w.]){re.escape(name)}\b", text))
            if words <= count + 1:
                unused.add(name)
                continue
            if exact is None:
                exact = dict.fromkeys(consumed, 0)
                for node in ast.walk(tree):
                    if isinstance(node, ast.Name) and node.id in exact:
                        exact[node.id] += 1
            if exact[name] <= count:
                unused.add(name)
        return unused


def _imported_name(found: frozenset[Binding], packages: tuple[str, ...]) -> str | None:
    """The name every binding in ``found`` imports from ``packages`` (several Pydantic modules
    re-export one object), else None."""
    names = {b.name for b in found}
    if len(names) == 1 and all(b.kind == "from" and in_packages(b.module, packages) for b in found):
        return names.pop()
    return None


def in_packages(module: str, packages: tuple[str, ...]) -> bool:
    """True for a module of one of ``packages`` (itself or a submodule), never ``pydantic.v1``."""
    if module == "pydantic.v1" or module.startswith("pydantic.v1."):
        return False
    return any(module == package or module.startswith(f"{package}.") for package in packages)


def star_names(module: str) -> frozenset[str]:
    """The names ``from module import *`` binds, as far as this migration needs them."""
    if module == "pydantic":
        return PYDANTIC_STAR
    if module == "pydantic.types":
        return PYDANTIC_TYPES_STAR
    return frozenset()


def dotted_name(expr: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))


def top_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports at module level, including those inside top-level ``if`` / ``try`` blocks."""
    for stmt in body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            yield stmt
        elif isinstance(stmt, ast.If):
            yield from top_level_imports(stmt.body)
            yield from top_level_imports(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            yield from top_level_imports(stmt.body)
            for handler in stmt.handlers:
                yield from top_level_imports(handler.body)
            yield from top_level_imports(stmt.orelse)
            yield from top_level_imports(stmt.finalbody)


def _other_bindings(tree: ast.Module, names: PydanticNames) -> None:
    """Record module-level names that something else binds (``from sqlmodel import Field``)."""
    for stmt in top_level_imports(tree.body):
        if isinstance(stmt, ast.ImportFrom) and (stmt.module or "") not in (
            *PYDANTIC_MODULES,
            *MODEL_BASE_MODULES,
            "pydantic.dataclasses",
            "typing",
            "typing_extensions",
        ):
            for alias in stmt.names:
                names.other_bindings[alias.asname or alias.name] = f"imported from {stmt.module}"
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.other_bindings.setdefault(statement.name, "defined in this module")
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    names.other_bindings.setdefault(target.id, "assigned in this module")


V1_HELPER_MODULES = frozenset({"pydantic.v1.errors", "pydantic.v1.datetime_parse"})
"""V1 modules a V2 code base keeps using (the migration writes them): importing them does not
make a module V1 code."""
V1_HELPER_NAMES = frozenset({("pydantic.v1.fields", "ModelField")})
"""V1 names the migration imports for annotations only (``field: ModelField``)."""
V1_URL_CLASSES = frozenset(
    {"AnyUrl", "AnyHttpUrl", "HttpUrl", "FileUrl", "PostgresDsn", "CockroachDsn"}
    | {"AmqpDsn", "RedisDsn", "MongoDsn", "KafkaDsn"}
)
V1_HELPER_NAMES |= {("pydantic.v1.networks", name) for name in V1_URL_CLASSES}
"""V1 URL classes whose ``build`` (V1's string builder) the migration calls (PYD026)."""


def read_names(tree: ast.Module) -> PydanticNames:
    """Collect the module's Pydantic and typing bindings from its imports."""
    names = PydanticNames(tree=tree)
    _other_bindings(tree, names)
    for stmt in top_level_imports(tree.body):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name == "pydantic.v1" or alias.name.startswith("pydantic.v1."):
                    names.uses_v1_namespace |= alias.name not in V1_HELPER_MODULES
                    continue
                if alias.name == "typing":
                    names.typing_modules.append(alias.asname or "typing")
                if alias.name == "pydantic" or alias.name.startswith("pydantic."):
                    names.imports_pydantic = True
                    if alias.asname:
                        names.modules[alias.asname] = alias.name
                    else:
                        names.modules["pydantic"] = "pydantic"
            continue
        module = stmt.module or ""
        if stmt.level:
            continue
        if module.split(".")[0] in ("pydantic", "pydantic_settings"):
            names.imports_pydantic = True
        if module == "pydantic.v1" or module.startswith("pydantic.v1."):
            kept = {(module, alias.name) for alias in stmt.names} <= V1_HELPER_NAMES
            names.uses_v1_namespace |= module not in V1_HELPER_MODULES and not kept
            continue
        if module == "pydantic" and any(a.name == "v1" for a in stmt.names):
            names.uses_v1_namespace = True
        if module in ("typing", "typing_extensions"):
            for alias in stmt.names:
                if alias.name in TYPING_NAMES:
                    names.typing_from[alias.asname or alias.name] = alias.name
            continue
        if module == "pydantic.types":
            for alias in stmt.names:
                if alias.name in NONE_ALIASES:  # ``NoneStr`` is Optional wherever it comes from
                    names.pydantic_from[alias.asname or alias.name] = alias.name
        if module == "pydantic.dataclasses":
            for alias in stmt.names:
                if alias.name == "dataclass":
                    names.dataclass_names.add(alias.asname or alias.name)
        if module == "pydantic":
            for alias in stmt.names:
                if alias.name == "dataclasses":
                    names.modules[alias.asname or alias.name] = "pydantic.dataclasses"
        if module in MODEL_BASE_MODULES:
            for alias in stmt.names:
                if alias.name in MODEL_BASES:
                    names.model_base_names.add(alias.asname or alias.name)
                if alias.name == "BaseSettings":
                    names.settings_base_names.add(alias.asname or alias.name)
        if module in PYDANTIC_MODULES:
            for alias in stmt.names:
                local = alias.asname or alias.name
                if alias.name == "*" and module == "pydantic":
                    names.star_import = True
                    names.model_base_names.update({"BaseModel", "BaseSettings"})
                    names.settings_base_names.add("BaseSettings")
                    for decorator in V1_DECORATORS:
                        names.decorators.setdefault(decorator, decorator)
                    continue
                if alias.name in V1_DECORATORS:
                    names.decorators[local] = alias.name
                elif module == "pydantic" and alias.name == "class_validators":
                    names.modules[local] = "pydantic.class_validators"
                else:
                    names.pydantic_from[local] = alias.name
    return names
