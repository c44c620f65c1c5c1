"""Type aliases that take their type variables from a generic model (PYD022).

V1's ``Model[T]`` (``GenericModel``, or ``BaseModel`` with ``Generic[T]``) with a type variable
was a typing alias carrying ``T`` in ``__parameters__``, so an alias built on it took ``T``
too::

    Next = Callable[[Method[T]], Awaitable[Response[T]]]
    Handler = Union[Middleware, Callable[[Next[T]], Awaitable[Response[T]]]]

V2's ``Model[T]`` is a class, and typing does not collect type variables from classes:
``Next`` has no parameters and ``Next[T]`` raises ``TypeError`` on import. An alias the module
subscripts becomes ``TypeAliasType("Next", ..., type_params=(T,))`` (``typing`` from Python
3.12, ``typing_extensions`` before; a Pydantic dependency), with V1's parameters in V1's order
(first use in the value). Only names known to be type variables count: a module-level
``TypeVar(...)`` here, or one imported from the workspace module that defines it. The alias is
reported instead when none is known, when a subscript gives another number of arguments, or
when the module uses it other than subscripted (a base class, a call, ``isinstance``, an
attribute: a ``TypeAliasType`` is none of those). An alias that is the model subscript itself
(``Alias = Response[T]``) still works in V2 (``Alias[int]`` is ``Response[int]``): left alone.
"""

from __future__ import annotations

import ast

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import GENERIC_ALIAS_CODE
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels, is_typevar_call
from fastapi_architect.pydantic_v2.names import dotted_name
from fastapi_architect.pydantic_v2.source import Replacement, Source

ONE_LINE = 88
"""Longest ``Alias = TypeAliasType(...)`` line written on one line."""


def plan_generic_aliases(
    src: Source,
    classes: list[ModelClass],
    workspace: WorkspaceModels = NO_MODELS,
    target: tuple[int, int] | None = None,
) -> list[Conversion]:
    """A conversion (or report) for every module-level alias built on ``Model[...]`` inside
    another type that the module subscripts (``Alias[T]``), which only works while
    ``Model[...]`` is a typing alias."""
    models = {model.node.name for model in classes if model.known_model}
    models.update(name for name, _ in workspace.classes if "." not in name)
    if not models:
        return []
    aliases: dict[str, tuple[ast.Assign, list[str]]] = {}
    for stmt in src.tree.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Subscript)
            and not _names_a_model(stmt.value, models)
        ):
            used = _subscripted_models(stmt.value, models)
            if used:
                aliases[stmt.targets[0].id] = (stmt, used)
    if not aliases:
        return []
    typevars = _module_typevars(src.tree) | workspace.typevars
    uses = _uses(src.tree, aliases)
    module = "typing" if target is not None and target >= (3, 12) else "typing_extensions"
    planned: list[Conversion] = []
    for name in sorted(uses, key=lambda n: aliases[n][0].lineno):
        stmt, used = aliases[name]
        params = _type_params(stmt.value, typevars)
        refusal = _refusal(name, params, uses[name]) or _validated(stmt.value, models)
        if refusal is None:
            planned.append(_converted(src, name, stmt, params, module))
            continue
        shown = ", ".join(f"`{model}[...]`" for model in used)
        message = (
            f"`{name}` takes its type variables from {shown}, and the module subscripts it "
            f"(`{name}[...]`): V2's `Model[T]` is a class, not the typing alias V1's `BaseModel` "
            f"with `Generic[T]` gave, so `{name}` "
            f"gets no type variables from it and `{name}[...]` raises `TypeError` on import. "
            f"Not converted ({refusal}): define "
            f"`{name}` as a `Protocol[T]` class, or as "
            f'`TypeAliasType("{name}", ..., type_params=(T,))` from `{module}`.'
        )
        target_node = stmt.targets[0]
        planned.append(
            refused(
                GENERIC_ALIAS_CODE,
                f"{name}:generic alias",
                message,
                src.start(target_node),
                src.end(target_node),
            )
        )
    return planned


def _converted(
    src: Source, name: str, stmt: ast.Assign, params: list[str], module: str
) -> Conversion:
    """``Alias = TypeAliasType("Alias", <value>, type_params=(T,))``."""
    value = src.segment(stmt.value)
    type_params = "(" + ", ".join(params) + ("," if len(params) == 1 else "") + ")"
    one_line = f'{name} = TypeAliasType("{name}", {value}, type_params={type_params})'
    indent = "    "
    if "\n" not in value and len(one_line) <= ONE_LINE:
        new_text = one_line[len(name) + 3 :]
    else:
        new_text = (
            f'TypeAliasType({src.newline}{indent}"{name}",{src.newline}{indent}{value},'
            f"{src.newline}{indent}type_params={type_params},{src.newline})"
        )
    shown = ", ".join(params)
    message = (
        f"`{name}` takes its type variables ({shown}) from generic models, and V2's "
        f"`Model[T]` is a class that gives it none: `{name}[...]` raises `TypeError` on "
        f"import. Fix: `TypeAliasType` with `type_params=({shown},)` keeps V1's parameters."
    )
    return Conversion(
        GENERIC_ALIAS_CODE,
        f"{name}:generic alias",
        f"Make `{name}` a `TypeAliasType`",
        message,
        src.start(stmt.targets[0]),
        src.end(stmt.targets[0]),
        replacements=[Replacement(src.start(stmt.value), src.end(stmt.value), new_text)],
        add={ImportBinding(module, "TypeAliasType")},
    )


def _refusal(name: str, params: list[str], uses: list[ast.AST]) -> str | None:
    """Why the alias cannot become a ``TypeAliasType``, or None."""
    if not params:
        return "which names are type variables is not known here"
    if len(params) > 1:
        return (
            f"with several type variables ({', '.join(params)}), V1's order left out those "
            f"only inside `GenericModel` subscripts, which is not known here"
        )
    for use in uses:
        if not isinstance(use, ast.Subscript):
            return f"the module uses `{name}` other than subscripted: {_described(use)}"
        given = len(use.slice.elts) if isinstance(use.slice, ast.Tuple) else 1
        if given != len(params):
            return (
                f"`{name}` is subscripted with {given} argument(s) but its known type variables "
                f"are {', '.join(params)}"
            )
    return None


UNVALIDATED = frozenset({"Callable", "Awaitable", "Coroutine"})
"""Types whose arguments neither V1 nor V2 validates: a model inside them is never checked."""


def _validated(value: ast.expr, models: set[str], inside: bool = False) -> str | None:
    """Why a model subscript of ``value`` outside ``Callable`` / ``Awaitable`` /
    ``Coroutine`` blocks the conversion: ``Alias[int]`` makes V2 validate ``Model[int]``,
    where V1 kept the model's ``T`` unchecked (a ``GenericModel`` stays unparametrised in a
    typing alias, a ``BaseModel`` with ``Generic[T]`` is never parametrised)."""
    if isinstance(value, ast.Subscript):
        head = dotted_name(value.value) or ""
        if (
            not inside
            and isinstance(value.value, ast.Name)
            and head in models
            and any(isinstance(part, ast.Name) for part in ast.walk(value.slice))
        ):
            return (
                f"`{head}[...]` is validated where the alias is used, and V2 would check "
                f"its type variable's fields against the argument where V1 did not"
            )
        inside = inside or head.rsplit(".", 1)[-1] in UNVALIDATED
        return _validated(value.slice, models, inside)
    if isinstance(value, ast.Tuple | ast.List):
        for element in value.elts:
            found = _validated(element, models, inside)
            if found:
                return found
    if isinstance(value, ast.BinOp):
        return _validated(value.left, models, inside) or _validated(value.right, models, inside)
    return None


def _described(use: ast.AST) -> str:
    """How ``use`` reads ``Alias``, for a refusal."""
    if isinstance(use, ast.ClassDef):
        return "as a base class, which a `TypeAliasType` cannot be"
    if isinstance(use, ast.Call):
        return "in a call, which a `TypeAliasType` does not support"
    if isinstance(use, ast.Attribute):
        return f"`.{use.attr}`, which a `TypeAliasType` does not have"
    return "as a value (`isinstance`, an argument), where a `TypeAliasType` is not the same"


def _names_a_model(value: ast.Subscript, models: set[str]) -> bool:
    """True for ``Model[...]`` itself: V2's ``Model[T][int]`` still works."""
    return isinstance(value.value, ast.Name) and value.value.id in models


def _subscripted_models(value: ast.expr, models: set[str]) -> list[str]:
    """The models ``value`` subscripts with a name (``Response[T]``), in order."""
    found: list[str] = []
    for node in ast.walk(value):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in models
            and any(isinstance(part, ast.Name) for part in ast.walk(node.slice))
            and node.value.id not in found
        ):
            found.append(node.value.id)
    return found


def _module_typevars(tree: ast.Module) -> frozenset[str]:
    """Module-level names assigned ``TypeVar(...)``."""
    return frozenset(
        target.id
        for stmt in tree.body
        if isinstance(stmt, ast.Assign) and is_typevar_call(stmt.value)
        for target in stmt.targets
        if isinstance(target, ast.Name)
    )


def _type_params(value: ast.expr, typevars: frozenset[str]) -> list[str]:
    """The type variables of ``value`` in V1's order: first appearance, left to right."""
    names = sorted(
        (node for node in ast.walk(value) if isinstance(node, ast.Name) and node.id in typevars),
        key=lambda node: (node.lineno, node.col_offset),
    )
    return list(dict.fromkeys(node.id for node in names))


def _uses(
    tree: ast.Module, aliases: dict[str, tuple[ast.Assign, list[str]]]
) -> dict[str, list[ast.AST]]:
    """Every read of each alias the module subscripts at least once: the ``Alias[...]``
    subscript, or the construct reading the bare name (base class, call, attribute, value)."""
    definitions = {id(stmt.targets[0]) for stmt, _ in aliases.values()}
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    found: dict[str, list[ast.AST]] = {}
    subscripted: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id in aliases and id(node) not in definitions):
            continue
        if not isinstance(node.ctx, ast.Load):
            continue
        parent = parents.get(id(node))
        use: ast.AST = node
        if isinstance(parent, ast.Subscript) and parent.value is node:
            use = parent
            subscripted.add(node.id)
            parent = parents.get(id(parent))
        if parent is not None and _reads(parent, use, node):
            use = parent
        found.setdefault(node.id, []).append(use)
    return {
        name: sorted(uses, key=_position) for name, uses in found.items() if name in subscripted
    }


def _reads(parent: ast.AST, use: ast.AST, name: ast.Name) -> bool:
    """True when ``parent`` is what reads ``use``: a class with it as a base, a call of it,
    an attribute of it, or ``isinstance`` / ``issubclass`` given the bare name."""
    if isinstance(parent, ast.ClassDef):
        return use in parent.bases
    if isinstance(parent, ast.Attribute):
        return parent.value is use
    if isinstance(parent, ast.Call):
        checks = isinstance(parent.func, ast.Name) and parent.func.id in (
            "isinstance",
            "issubclass",
        )
        return parent.func is use or (use is name and checks)
    return False


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
