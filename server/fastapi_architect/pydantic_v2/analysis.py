"""Find a module's V1 validators: which classes are models, their fields, each site."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from fastapi_architect.astutil import assignment_targets
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, ExternalModel, WorkspaceModels
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name

CONFIG_FLAGS_BLOCKING_SETATTR = ("validate_assignment", "frozen", "allow_mutation")


@dataclass
class FieldDecl:
    """An annotated field in a class body."""

    name: str
    stmt: ast.AnnAssign


@dataclass
class ModelClass:
    """A class that Pydantic treats as a model (or that carries Pydantic validators)."""

    node: ast.ClassDef
    qualname: str
    fields: dict[str, FieldDecl]
    bases_in_file: list[ModelClass]
    has_unknown_base: bool
    inside_function: bool
    known_model: bool = True
    """Derives from a Pydantic model base through this file (not only carrying validators)."""
    settings: bool = False
    """Derives from ``BaseSettings`` through this file (or a workspace base)."""
    external_bases: list[ExternalModel] = field(default_factory=list)
    """Bases that are models of other workspace files (their fields stay unknown here)."""

    def all_fields(self) -> dict[str, FieldDecl] | None:
        """Own and inherited fields; None when a base lives in another file (fields unknown)."""
        if self.has_unknown_base:
            return None
        merged: dict[str, FieldDecl] = {}
        for base in self.bases_in_file:
            inherited = base.all_fields()
            if inherited is None:
                return None
            merged.update(inherited)
        merged.update(self.fields)
        return merged

    def field_in_hierarchy(self, name: str) -> bool | None:
        """True if declared here or in a same-file base; None when it may live elsewhere."""
        if name in self.fields:
            return True
        for base in self.bases_in_file:
            found = base.field_in_hierarchy(name)
            if found is not False:
                return found
        return None if self.has_unknown_base else False

    def allows_extra(self) -> bool:
        """True if the class (or a same-file base) may keep extra fields (``extra = allow``, or
        a config this file does not show: a ``Config`` with bases, a computed value)."""
        for stmt in self.node.body:
            if _is_config(stmt) and _config_may_allow_extra(stmt):
                return True
        for keyword in self.node.keywords:
            if keyword.arg == "extra" and _may_allow(keyword.value):
                return True
        return any(base.allows_extra() for base in self.bases_in_file)

    def blocks_setattr(self) -> bool:
        """True unless ``self.x = e`` is known to be a plain write.

        That is: the class or a same-file base configures validate_assignment / frozen, or a
        base lives in another file (its config is unknown; validate_assignment would re-run
        the model validator on every write).
        """
        if self.has_unknown_base:
            return True
        for stmt in self.node.body:
            text = ast.dump(stmt) if _is_config(stmt) else ""
            if any(flag in text for flag in CONFIG_FLAGS_BLOCKING_SETATTR):
                return True
        for keyword in self.node.keywords:
            if keyword.arg in CONFIG_FLAGS_BLOCKING_SETATTR:
                return True
        return any(base.blocks_setattr() for base in self.bases_in_file)


def _config_may_allow_extra(stmt: ast.stmt) -> bool:
    """False when the ``class Config`` / ``model_config = ...`` visibly keeps V1's default or
    sets ``extra`` to ``ignore`` / ``forbid`` (a docstring or ``allow_population_by_field_name``
    mentioning "allow" is no ``extra = allow``)."""
    if isinstance(stmt, ast.ClassDef):
        if stmt.bases or stmt.keywords:
            return True
        for item in stmt.body:
            if not isinstance(item, ast.Assign | ast.AnnAssign):
                if "'extra'" in ast.dump(item):
                    return True  # set under a condition, or by a method: not visible here
                continue
            named = any(
                isinstance(t, ast.Name) and t.id == "extra" for t in assignment_targets(item)
            )
            if named and item.value is not None and _may_allow(item.value):
                return True
        return False
    call = model_config_call(stmt)
    if call is None:
        text = ast.dump(stmt)
        return "extra" in text and "allow" in text
    if any(keyword.arg is None for keyword in call.keywords):
        return True
    return any(keyword.arg == "extra" and _may_allow(keyword.value) for keyword in call.keywords)


def _may_allow(value: ast.expr) -> bool:
    """True unless ``value`` is visibly ``"ignore"`` / ``"forbid"`` (or ``Extra.ignore`` ...)."""
    if isinstance(value, ast.Constant):
        return value.value not in ("ignore", "forbid")
    return not (isinstance(value, ast.Attribute) and value.attr in ("ignore", "forbid"))


def _is_config(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
        return True
    return assigns_model_config(stmt)


def assigns_model_config(stmt: ast.stmt) -> bool:
    """True for ``model_config = ...`` (annotated or not)."""
    return any(isinstance(t, ast.Name) and t.id == "model_config" for t in assignment_targets(stmt))


def model_config_call(stmt: ast.stmt) -> ast.Call | None:
    """The call of ``model_config = ConfigDict(...)`` (any call), else None."""
    if (
        isinstance(stmt, ast.Assign | ast.AnnAssign)
        and isinstance(stmt.value, ast.Call)
        and assigns_model_config(stmt)
    ):
        return stmt.value
    return None


@dataclass
class ValidatorSite:
    """One V1 validator: a decorated method, or a reuse ``_n = validator(...)(fn)``."""

    kind: str  # "validator" | "root_validator"
    model: ModelClass
    decorator: ast.expr  # the decorator expression, or the ``validator(...)`` call of a reuse
    func: ast.FunctionDef | ast.AsyncFunctionDef | None
    reuse: ast.Assign | None
    key: str
    local_name: str | None  # the local decorator name (``validator``, ``v``) when not prefixed

    @property
    def call(self) -> ast.Call | None:
        """The decorator call, or None for a bare ``@root_validator``."""
        return self.decorator if isinstance(self.decorator, ast.Call) else None

    @property
    def callee(self) -> ast.expr:
        """The expression naming the decorator (``validator``, ``pd.validator``)."""
        return self.decorator.func if isinstance(self.decorator, ast.Call) else self.decorator


@dataclass
class ModuleAnalysis:
    """Every model class and validator site of a module.

    ``classes`` also holds the classes whose bases are all imported from elsewhere (they may be
    models of another file): a subclass in this file then has them as same-file bases.
    """

    models: list[ModelClass] = field(default_factory=list)
    classes: list[ModelClass] = field(default_factory=list)
    sites: list[ValidatorSite] = field(default_factory=list)


def _walk_classes(
    body: list[ast.stmt], prefix: str, inside_function: bool
) -> Iterator[tuple[ast.ClassDef, str, bool]]:
    for stmt in body:
        if isinstance(stmt, ast.ClassDef):
            qualname = f"{prefix}{stmt.name}"
            yield stmt, qualname, inside_function
            yield from _walk_classes(stmt.body, f"{qualname}.", inside_function)
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _walk_classes(stmt.body, f"{prefix}{stmt.name}.<locals>.", True)
        elif isinstance(stmt, ast.If | ast.Try | ast.With | ast.For | ast.While):
            for child in (
                getattr(stmt, "body", []),
                getattr(stmt, "orelse", []),
                getattr(stmt, "finalbody", []),
            ):
                yield from _walk_classes(child, prefix, inside_function)
            for handler in getattr(stmt, "handlers", []):
                yield from _walk_classes(handler.body, prefix, inside_function)


def _fields_of(node: ast.ClassDef) -> dict[str, FieldDecl]:
    fields: dict[str, FieldDecl] = {}
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            private = stmt.target.id.startswith("_") and stmt.target.id != "__root__"
            if private or _mentions_classvar(stmt.annotation):
                continue
            # V1's ``__root__`` is V2's ``root``: one name keeps keys through the conversion.
            name = "root" if stmt.target.id == "__root__" else stmt.target.id
            fields[name] = FieldDecl(name, stmt)
    return fields


def _mentions_classvar(annotation: ast.expr) -> bool:
    """True for ``ClassVar[...]`` / ``typing.ClassVar`` (quoted too): not a field."""
    head = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    if isinstance(head, ast.Name | ast.Attribute):
        return (head.id if isinstance(head, ast.Name) else head.attr) == "ClassVar"
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.lstrip().startswith(("ClassVar", "typing.ClassVar"))
    return False


def _carries_validators(node: ast.ClassDef, names: PydanticNames) -> bool:
    for stmt in node.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            if any(names.decorator_kind(d) for d in stmt.decorator_list):
                return True
        elif _reuse_call(stmt, names) is not None:
            return True
    return False


def _reuse_call(stmt: ast.stmt, names: PydanticNames) -> ast.Call | None:
    """The inner ``validator(...)`` of ``_n = validator(...)(fn)``, if ``stmt`` is one."""
    if (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Call)
        and names.decorator_kind(stmt.value.func) is not None
    ):
        return stmt.value.func
    return None


def analyse(
    tree: ast.Module, names: PydanticNames, models: WorkspaceModels = NO_MODELS
) -> ModuleAnalysis:
    """Classify the module's classes and collect every Pydantic V1 validator inside models;
    ``models``: the workspace models the module imports (bases known to be models)."""
    result = ModuleAnalysis()
    by_name: dict[str, ModelClass] = {}
    seen_keys: dict[str, int] = {}
    for node, qualname, inside_function in _walk_classes(tree.body, "", False):
        bases_in_file: list[ModelClass] = []
        unknown = False
        is_model = any(names.is_pydantic_dataclass(d) for d in node.decorator_list)
        known = is_model
        settings = False
        external: list[ExternalModel] = []
        for base in node.bases:
            imported = _workspace_model(base, models, by_name)
            if imported is not None:
                external.append(imported)
                is_model = known = True
                settings = settings or imported.settings
                unknown = True  # its config and fields live in another file
            elif names.is_model_base(base):
                is_model = known = True
                settings = settings or names.is_settings_base(base)
            elif isinstance(base, ast.Name) and base.id in by_name:
                parent = by_name[base.id]
                bases_in_file.append(parent)
                is_model = True
                known = known or parent.known_model
                settings = settings or parent.settings
            elif (isinstance(base, ast.Name) and base.id in ("object", "Generic", "ABC")) or (
                isinstance(base, ast.Subscript)
                and ast.unparse(base.value)
                in (
                    "Generic",
                    "typing.Generic",
                )
            ):
                continue
            else:
                unknown = True
        model = ModelClass(
            node,
            qualname,
            _fields_of(node),
            bases_in_file,
            unknown,
            inside_function,
            known_model=known,
            settings=settings,
            external_bases=external,
        )
        if not is_model and not unknown:
            continue
        # A class deriving from an imported base may be a model of another file: its subclasses
        # here see it as a same-file base (whose own bases are unknown).
        by_name[node.name] = model
        result.classes.append(model)
        if not is_model and not _carries_validators(node, names):
            continue
        result.models.append(model)
        for stmt in node.body:
            for site_node, decorator, func, reuse in _site_candidates(stmt, names):
                kind = names.decorator_kind(decorator)
                if kind is None:
                    continue
                base_key = f"{qualname}.{site_node}"
                seen_keys[base_key] = seen_keys.get(base_key, 0) + 1
                count = seen_keys[base_key]
                key = base_key if count == 1 else f"{base_key}#{count}"
                callee = decorator.func if isinstance(decorator, ast.Call) else decorator
                local = callee.id if isinstance(callee, ast.Name) else None
                result.sites.append(ValidatorSite(kind, model, decorator, func, reuse, key, local))
    return result


def _workspace_model(
    base: ast.expr, models: WorkspaceModels, by_name: dict[str, ModelClass]
) -> ExternalModel | None:
    """The workspace model ``base`` names, unless a class of this file shadows it."""
    if not models:
        return None
    expr = base.value if isinstance(base, ast.Subscript) else base
    dotted = dotted_name(expr)
    if dotted is None or dotted.split(".")[0] in by_name:
        return None
    return models.get(dotted)


def _site_candidates(
    stmt: ast.stmt, names: PydanticNames
) -> Iterator[
    tuple[str, ast.expr, ast.FunctionDef | ast.AsyncFunctionDef | None, ast.Assign | None]
]:
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
        for decorator in stmt.decorator_list:
            if names.decorator_kind(decorator) is not None:
                yield stmt.name, decorator, stmt, None
                return
    reuse = _reuse_call(stmt, names)
    if reuse is not None and isinstance(stmt, ast.Assign):
        target = stmt.targets[0]
        assert isinstance(target, ast.Name)
        yield target.id, reuse, None, stmt


def reads_attributes(model: ModelClass) -> bool | None:
    """True when the model or a same-file base sets orm_mode / from_attributes; None when a
    base in another file may."""
    for keyword in model.node.keywords:
        if keyword.arg in ("orm_mode", "from_attributes"):
            return _is_literal_true(keyword.value)
    for stmt in model.node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for item in stmt.body:
                if isinstance(item, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id in ("orm_mode", "from_attributes")
                    for t in item.targets
                ):
                    return _is_literal_true(item.value)
        config = model_config_call(stmt)
        if config is not None:
            for keyword in config.keywords:
                if keyword.arg == "from_attributes":
                    return _is_literal_true(keyword.value)
    for base in model.bases_in_file:
        found = reads_attributes(base)
        if found is not False:
            return found
    for external in model.external_bases:
        if external.from_attributes is not None:
            return external.from_attributes
        if not external.complete:
            return None
    if model.external_bases:  # unknown unless every base is accounted for
        accounted = len(model.bases_in_file) + len(model.external_bases)
        return False if accounted >= len(model.node.bases) else None
    return None if model.has_unknown_base else False


def _is_literal_true(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is True
