"""Which expressions of a module are known to be a model class or a model instance.

A name is known when every binding of it in its scope says so: a class of this file known to
be a model (``class User(BaseModel)``), a parameter or variable annotated with one
(``user: User``, ``Optional[User]``, ``"User"``), or assigned from one (``u = User(...)``,
``u = User.parse_obj(...)``, ``u = get_user(db, 1)``). Any other binding of the name in
that scope (a loop target, an import, ``global``, a second assignment from something else)
makes it unknown, and unknown receivers are never converted. A call is an instance when it
calls a function whose return annotation is a model (``def get_user(...) -> User``, of this
file or imported from a workspace file; awaited for an ``async def``), or a method of a known
model annotated so (``-> "User"``, ``-> Self``), or a class method returning only
``cls(...)``. ``self`` / ``cls`` of a model's own methods are known too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Literal

from fastapi_architect.astutil import last_name
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.model_index import (
    NO_MODELS,
    ExternalModel,
    WorkspaceModels,
    is_typevar_call,
)
from fastapi_architect.pydantic_v2.names import dotted_name

Kind = tuple[Literal["class", "instance", "returns", "awaits"], ModelClass]
"""``returns``: a function whose call is an instance; ``awaits``: an ``async def`` whose
awaited call is."""
TYPE_OF = ("Type", "type")
"""``Type[User]``: the class, not an instance."""

INSTANCE_FACTORIES = frozenset(
    {
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "construct",
        "model_validate",
        "model_validate_json",
        "model_construct",
    }
)
"""Class methods of a model that return an instance of it."""


@dataclass(eq=False)
class Scope:
    """A module, function or class body with the bindings made in it."""

    qualname: str
    parent: Scope | None
    is_class: bool = False
    dotted_models: dict[str, ModelClass] = field(default_factory=dict)
    """Module scope only: models of other files read through an imported module
    (``schemas.User``)."""
    bindings: dict[str, list[tuple[str, object]]] = field(default_factory=dict)
    class_scopes: dict[int, Scope] = field(default_factory=dict)
    """Module scope only: the body scope of each class (by ``id`` of its node)."""
    _resolved: dict[str, Kind | None] = field(default_factory=dict)
    _resolving: set[str] = field(default_factory=set)

    def bind(self, name: str, how: str, what: object = None) -> None:
        """Record one binding of ``name``: ``unknown``, ``kind``, ``annotation`` or ``value``."""
        self.bindings.setdefault(name, []).append((how, what))

    def lookup(self, name: str) -> Kind | None:
        """The kind ``name`` has when read in this scope, or None when it is not known."""
        if name not in self.bindings:
            return self.parent.lookup(name) if self.parent is not None else None
        if name in self._resolved:
            return self._resolved[name]
        if name in self._resolving:
            return None  # ``u = u.copy()``: a cycle proves nothing
        self._resolving.add(name)
        kinds = [self._binding_kind(how, what) for how, what in self.bindings[name]]
        self._resolving.discard(name)
        first = kinds[0]
        result = first if first is not None and all(k == first for k in kinds) else None
        self._resolved[name] = result
        return result

    def _binding_kind(self, how: str, what: object) -> Kind | None:
        if how == "kind":
            return what  # type: ignore[return-value]
        if how == "annotation" and isinstance(what, ast.expr):
            return self.annotation_kind(what)
        if how == "value" and isinstance(what, ast.expr):
            return self.expr_kind(what)
        if how == "returns" and isinstance(what, ast.FunctionDef | ast.AsyncFunctionDef):
            assert what.returns is not None
            kind = self.annotation_kind(what.returns)
            if kind is None or kind[0] != "instance":
                return None
            return ("awaits" if isinstance(what, ast.AsyncFunctionDef) else "returns", kind[1])
        return None

    def annotation_kind(self, annotation: ast.expr) -> Kind | None:
        """``("instance", model)`` when ``annotation`` is a known model (or Optional of one, or
        a type variable bound to one); ``("class", model)`` for ``Type[...]`` of those."""
        annotation = _parsed(annotation)
        if isinstance(annotation, ast.Subscript) and last_name(annotation.value) in (
            "Type",
            "type",
        ):
            of = self.annotation_kind(annotation.slice)
            return ("class", of[1]) if of is not None and of[0] == "instance" else None
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            members = [annotation.left, annotation.right]
        elif isinstance(annotation, ast.Subscript) and last_name(annotation.value) in (
            "Optional",
            "Union",
        ):
            inner = annotation.slice
            members = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        else:
            members = [annotation]
        kinds = [self._class_of(m) or self._typevar_bound(m) for m in members if not _is_none(m)]
        if len(kinds) != 1 or kinds[0] is None:
            return None
        return ("instance", kinds[0])

    def _typevar_bound(self, expr: ast.expr) -> ModelClass | None:
        """The model a type variable is bound to: ``T`` after ``T = TypeVar("T", bound=User)``
        (every binding of ``T`` is that call), so ``Type[T]`` is a subclass of ``User``."""
        if not isinstance(expr, ast.Name):
            return None
        scope: Scope | None = self
        while scope is not None and expr.id not in scope.bindings:
            scope = scope.parent
        if scope is None or expr.id in scope._resolving:
            return None
        bounds: list[ModelClass | None] = []
        scope._resolving.add(expr.id)
        for how, what in scope.bindings[expr.id]:
            bound = _typevar_bound_expr(what) if how == "value" else None
            bounds.append(scope._class_of(_parsed(bound)) if bound is not None else None)
        scope._resolving.discard(expr.id)
        first = bounds[0]
        return first if first is not None and all(b is first for b in bounds) else None

    def _class_of(self, expr: ast.expr) -> ModelClass | None:
        if isinstance(expr, ast.Name):
            kind = self.lookup(expr.id)
            if kind is not None and kind[0] == "class":
                return kind[1]
        if isinstance(expr, ast.Attribute):
            return self._dotted_class(expr)
        return None

    def _dotted_class(self, expr: ast.Attribute) -> ModelClass | None:
        """The workspace model ``schemas.User`` names, when ``schemas`` here is the module's
        own import (no local variable or other binding shadows it)."""
        dotted = dotted_name(expr)
        module = self
        while module.parent is not None:
            module = module.parent
        model = module.dotted_models.get(dotted) if dotted is not None else None
        if model is None or dotted is None:
            return None
        head = dotted.split(".")[0]
        scope: Scope | None = self
        while scope is not None and head not in scope.bindings:
            scope = scope.parent
        if scope is not module:
            return None
        return model if all(how == "import" for how, _ in module.bindings[head]) else None

    def expr_kind(self, expr: ast.expr) -> Kind | None:
        """The kind of the value of ``expr``: a known name, ``User(...)``, ``User.parse_obj(...)``,
        ``u.copy(...)``."""
        if isinstance(expr, ast.Name):
            return self.lookup(expr.id)
        if isinstance(expr, ast.Attribute):
            model = self._dotted_class(expr)
            return ("class", model) if model is not None else None
        awaited = isinstance(expr, ast.Await)
        if isinstance(expr, ast.Await):
            expr = expr.value
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        if isinstance(func, ast.Name):
            kind = self.lookup(func.id)
            if kind is not None and kind[0] == ("awaits" if awaited else "returns"):
                return ("instance", kind[1])
        if awaited:
            owner = self.expr_kind(func.value) if isinstance(func, ast.Attribute) else None
            if owner is None or owner[0] not in ("class", "instance"):
                return None
            assert isinstance(func, ast.Attribute)
            return self._method_result(owner, func.attr, awaited=True)
        if isinstance(func, ast.Name) or (
            isinstance(func, ast.Attribute) and self._dotted_class(func) is not None
        ):
            model = self._class_of(func)
            return ("instance", model) if model is not None else None
        if isinstance(func, ast.Attribute):
            owner = self.expr_kind(func.value)
            if owner is None:
                return None
            if owner[0] == "class" and func.attr in INSTANCE_FACTORIES:
                return ("instance", owner[1])
            if owner[0] == "instance" and func.attr in ("copy", "model_copy"):
                return owner
            if owner[0] in ("class", "instance"):
                return self._method_result(owner, func.attr, awaited=False)
        return None

    def _method_result(self, owner: Kind, name: str, *, awaited: bool) -> Kind | None:
        """An instance when ``owner.name(...)`` calls a method of the model's own class (or a
        same-file base) annotated to return a model (``-> "User"``, ``-> Self``), or a class
        method whose every ``return`` is ``cls(...)`` / ``cls.parse_obj(...)``."""
        role, model = owner
        found = _find_method(model, name)
        if found is None:
            return None
        method, defining = found
        if awaited != isinstance(method, ast.AsyncFunctionDef):
            return None
        decorators = [last_name(d) for d in method.decorator_list]
        if not set(decorators) <= {"classmethod", "staticmethod"} or len(decorators) > 1:
            return None  # a decorator may return anything
        if role == "class" and not decorators:
            return None  # a plain function read on the class: its first argument is not self
        module = self
        while module.parent is not None:
            module = module.parent
        scope = module.class_scopes.get(id(defining.node))
        if method.returns is not None:
            if last_name(_parsed(method.returns)) == "Self" and decorators != ["staticmethod"]:
                return ("instance", model)
            kind = scope.annotation_kind(method.returns) if scope is not None else None
            return ("instance", kind[1]) if kind is not None and kind[0] == "instance" else None
        if decorators == ["classmethod"] and _returns_only_cls(method):
            return ("instance", model)
        return None


def _find_method(
    model: ModelClass, name: str
) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, ModelClass] | None:
    """The ``def`` that ``name`` is on ``model``, with the class defining it; None when it is
    not a method of this file, or a base of another file (or an unknown one) may define it."""
    last: ast.stmt | None = None
    for stmt in model.node.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            targets: list[ast.expr] = [ast.Name(stmt.name)]
        elif isinstance(stmt, ast.Assign):
            targets = stmt.targets
        else:
            targets = [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            last = stmt
    if last is not None:
        return (last, model) if isinstance(last, ast.FunctionDef | ast.AsyncFunctionDef) else None
    if model.has_unknown_base or any(name in base.methods for base in model.external_bases):
        return None
    for base in model.bases_in_file:
        found = _find_method(base, name)
        if found is not None:
            return found
    return None


def _returns_only_cls(method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """True when every ``return`` of the class method gives ``cls(...)`` or
    ``cls.<factory>(...)`` (at least one, no ``yield``)."""
    params = [*method.args.posonlyargs, *method.args.args]
    if not params:
        return False
    cls = params[0].arg
    returns: list[ast.Return] = []
    todo: list[ast.AST] = list(method.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Yield | ast.YieldFrom):
            return False
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(node, ast.Return):
            returns.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return bool(returns) and all(_is_cls_call(r.value, cls) for r in returns)


def _is_cls_call(value: ast.expr | None, cls: str) -> bool:
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Name):
        return func.id == cls
    return (
        isinstance(func, ast.Attribute)
        and func.attr in INSTANCE_FACTORIES
        and isinstance(func.value, ast.Name)
        and func.value.id == cls
    )


def _parsed(annotation: ast.expr) -> ast.expr:
    """A string annotation parsed (``"User"`` → ``User``); anything else as it is."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            return ast.parse(annotation.value.strip(), mode="eval").body
        except SyntaxError:
            return annotation
    return annotation


def _typevar_bound_expr(value: object) -> ast.expr | None:
    """``bound=`` of ``TypeVar("T", bound=...)`` when ``value`` is that call."""
    if not is_typevar_call(value if isinstance(value, ast.expr) else None):
        return None
    assert isinstance(value, ast.Call)
    return next((k.value for k in value.keywords if k.arg == "bound"), None)


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value in (None, "None")


@dataclass
class Occurrence:
    """An attribute read ``receiver.attr`` with the scope it is read in."""

    node: ast.Attribute
    scope: Scope
    parent: ast.AST | None
    """The node holding it (None when a statement visitor reached it directly)."""
    grandparent: ast.AST | None
    """The node holding ``parent`` when that is ``.keys`` (``X.__fields__.keys()``)."""


class ScopeCollector(ast.NodeVisitor):
    """One pass over a module: its scopes, their bindings, and the attribute reads of ``attrs``."""

    def __init__(
        self,
        models: dict[int, ModelClass],
        attrs: frozenset[str],
        imported: dict[str, ModelClass] | None = None,
        returning: dict[str, Kind] | None = None,
    ) -> None:
        self.models = models
        self.attrs = attrs
        self.imported = imported or {}
        """Names a module-level ``from ... import`` binds to a model of another file."""
        self.returning = returning or {}
        """Names a module-level ``from ... import`` binds to a function of another file
        annotated to return a model."""
        self.module = Scope("<module>", None)
        self.scope = self.module
        self.occurrences: list[Occurrence] = []
        self._owner: ModelClass | None = None
        self._parents: dict[int, ast.AST] = {}

    def generic_visit(self, node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Attribute) and (
                child.attr in self.attrs or child.attr == "keys"
            ):
                self._parents[id(child)] = node
            self.visit(child)

    def _function_parent(self) -> Scope:
        scope = self.scope
        while scope.is_class and scope.parent is not None:
            scope = scope.parent
        return scope

    def _child_name(self, name: str) -> str:
        if self.scope is self.module:
            return name
        return f"{self.scope.qualname}.{name}"

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.returns is not None and not node.decorator_list:
            self.scope.bind(node.name, "returns", node)
        else:
            self.scope.bind(node.name, "unknown")
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.visit(node.args)  # defaults and annotations run in the enclosing scope
        if node.returns is not None:
            self.visit(node.returns)
        owner = self._owner if self.scope.is_class else None
        scope = Scope(self._child_name(node.name), self._function_parent())
        params = [*node.args.posonlyargs, *node.args.args]
        for index, arg in enumerate([*params, *node.args.kwonlyargs]):
            if index == 0 and owner is not None and arg.annotation is None:
                scope.bind(arg.arg, *self._first_param(node, owner))
            elif arg.annotation is not None:
                scope.bind(arg.arg, "annotation", arg.annotation)
            else:
                scope.bind(arg.arg, "unknown")
        for star in (node.args.vararg, node.args.kwarg):
            if star is not None:
                scope.bind(star.arg, "unknown")
        outer, outer_owner = self.scope, self._owner
        self.scope, self._owner = scope, None
        for stmt in node.body:
            self.visit(stmt)
        self.scope, self._owner = outer, outer_owner

    visit_AsyncFunctionDef = visit_FunctionDef

    @staticmethod
    def _first_param(
        node: ast.FunctionDef | ast.AsyncFunctionDef, owner: ModelClass
    ) -> tuple[str, object]:
        """``self`` of an instance method is an instance; the first parameter of a class
        method or a V1 validator is the class, as it is of the methods Python makes class or
        static methods without a decorator (``__init_subclass__``, ``__class_getitem__``,
        ``__new__``)."""
        names = {last_name(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list}
        implicit = node.name in ("__init_subclass__", "__class_getitem__", "__new__")
        if names & {"classmethod", "validator", "root_validator"} or (implicit and not names):
            return ("kind", ("class", owner))
        if names - {"property"}:
            return ("unknown", None)  # staticmethod, or a decorator that may pass anything
        return ("kind", ("instance", owner))

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.args)
        scope = Scope(self._child_name("<lambda>"), self._function_parent())
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            scope.bind(arg.arg, "unknown")
        outer = self.scope
        self.scope = scope
        self.visit(node.body)
        self.scope = outer

    def visit_arguments(self, node: ast.arguments) -> None:
        for default in [*node.defaults, *(d for d in node.kw_defaults if d is not None)]:
            self.visit(default)
        for arg in [*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg]:
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        model = self.models.get(id(node))
        if model is not None:
            self.scope.bind(node.name, "kind", ("class", model))
        else:
            self.scope.bind(node.name, "unknown")
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        scope = Scope(self._child_name(node.name), self.scope, is_class=True)
        self.module.class_scopes[id(node)] = scope
        outer, outer_owner = self.scope, self._owner
        self.scope, self._owner = scope, model
        for stmt in node.body:
            self.visit(stmt)
        self.scope, self._owner = outer, outer_owner

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            self.scope.bind(node.targets[0].id, "value", node.value)
            self.visit(node.value)
            return
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name):
            self.scope.bind(node.target.id, "annotation", node.annotation)
        else:
            self.visit(node.target)
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.scope.bind(node.target.id, "value", node.value)
        self.visit(node.value)

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            self.scope.bind(node.id, "unknown")

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            local = (alias.asname or alias.name).split(".")[0]
            model = self.imported.get(local) if isinstance(node, ast.ImportFrom) else None
            function = self.returning.get(local) if isinstance(node, ast.ImportFrom) else None
            if model is not None and self.scope is self.module:
                self.scope.bind(local, "kind", ("class", model))
            elif function is not None and self.scope is self.module:
                self.scope.bind(local, "kind", function)
            else:
                self.scope.bind(local, "import" if self.scope is self.module else "unknown")

    visit_ImportFrom = visit_Import

    def visit_Global(self, node: ast.Global | ast.Nonlocal) -> None:
        for name in node.names:
            self.scope.bind(name, "unknown")

    visit_Nonlocal = visit_Global

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name is not None:
            self.scope.bind(node.name, "unknown")
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name is not None:
            self.scope.bind(node.name, "unknown")
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name is not None:
            self.scope.bind(node.name, "unknown")

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest is not None:
            self.scope.bind(node.rest, "unknown")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in self.attrs and isinstance(node.ctx, ast.Load):
            parent = self._parents.get(id(node))
            grandparent = self._parents.get(id(parent)) if parent is not None else None
            self.occurrences.append(Occurrence(node, self.scope, parent, grandparent))
        self.generic_visit(node)


def collect(
    tree: ast.Module,
    classes: list[ModelClass],
    attrs: frozenset[str],
    workspace: WorkspaceModels = NO_MODELS,
) -> list[Occurrence]:
    """Every read of one of ``attrs`` in ``tree``, each with the scope that resolves it;
    ``workspace``: models of other files, known when imported by name."""
    models = {
        id(model.node): model
        for model in classes
        if model.known_model and not model.node.decorator_list  # no V1 methods on dataclasses
    }
    imported = {
        name: imported_model(name, model) for name, model in workspace.classes if "." not in name
    }
    returning: dict[str, Kind] = {
        local: ("awaits" if is_async else "returns", imported_model(_short(model), model))
        for local, model, is_async in workspace.returns
    }
    collector = ScopeCollector(models, attrs, imported, returning)
    collector.module.dotted_models = {
        name: imported_model(name, model) for name, model in workspace.classes if "." in name
    }
    collector.visit(tree)
    return collector.occurrences


def _short(model: ExternalModel) -> str:
    return model.qualname.rsplit(".", 1)[-1]


def imported_model(local: str, model: ExternalModel) -> ModelClass:
    """A stand-in ``ModelClass`` for a model imported from another workspace file."""
    node = ast.ClassDef(name=local, bases=[], keywords=[], body=[], decorator_list=[])
    return ModelClass(node, local, {}, [], True, False, known_model=True, external_bases=[model])
