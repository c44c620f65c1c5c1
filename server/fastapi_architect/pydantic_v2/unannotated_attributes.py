"""Un-annotated attributes of a model class body (PYD025).

V1 made ``x = 1`` a field of type ``type(1)`` (``int``, default 1) and left a class
(``correct = bool``), a function, a property or a ``Config.keep_untouched`` value as a plain
class attribute. V2 refuses every un-annotated value that is not a function, property or
descriptor ("A non-annotated attribute was detected"), so the module no longer imports.

A literal (``1``, ``-2.5``, ``"a"``, ``b"a"``, ``True``, a list / dict / tuple / set display)
gets V1's inferred type: ``x: int = 1`` (a display the bare ``list`` / ``dict`` / ``tuple`` /
``set``, which V1 validated and V2 validates alike). A builtin type or a class of the module
gets ``ClassVar``: ``correct: ClassVar[type[bool]] = bool`` stays a class attribute in V2.
A call of a model class (of this file, or of another workspace file through the index) gets
that class: V1 typed the field as ``type(value)`` and validated with that class's validators,
also where the name overrides a field a base declares (V1 then kept the base's ``type_`` for
the schema only), so ``advanced_settings = Extended(...)`` becomes
``advanced_settings: Extended = Extended(...)``, which V2 accepts as an override.
Anything else (other calls, ``Field(...)``, names of imported or computed values) is reported
with the spelling to write. Names starting with ``_`` are not fields in V1 nor errors in V2; a
lambda or function is left alone by both.
"""

from __future__ import annotations

import ast
import builtins

from fastapi_architect.astutil import assignment_targets
from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import UNANNOTATED_CODE
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.pydantic_v2.spelling import Unspellable, typing_spelling

TITLE = "Annotate the attribute as V1 read it"
LITERAL_TYPES = (bool, int, float, str, bytes)
DISPLAYS: dict[type[ast.expr], str] = {
    ast.List: "list",
    ast.Dict: "dict",
    ast.Tuple: "tuple",
    ast.Set: "set",
}
BUILTIN_TYPES = frozenset(
    name for name in dir(builtins) if isinstance(getattr(builtins, name), type)
) - {name for name in dir(builtins) if name.endswith(("Error", "Exception", "Warning"))}
"""Builtin classes a body may hold as a value (``correct = bool``)."""
SKIPPED = frozenset({"Config", "model_config"})


def plan_unannotated_attributes(
    src: Source,
    classes: list[ModelClass],
    names: PydanticNames,
    python: tuple[int, int] | None = None,
    models: WorkspaceModels = NO_MODELS,
) -> list[Conversion]:
    """A conversion for every public un-annotated ``name = value`` of a model class body."""
    module_classes = {s.name for s in src.tree.body if isinstance(s, ast.ClassDef)}
    rebound = _rebound(src.tree, module_classes)
    file_models = {m.node.name for m in classes if m.known_model and m.qualname == m.node.name}
    model_classes = _ModelClasses((file_models & module_classes) - rebound, models)
    functions = {
        s.name for s in src.tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    rebound_functions = _rebound(src.tree, functions)
    conversions: list[Conversion] = []
    for model in classes:
        if not model.known_model or model.node.decorator_list:
            continue
        body = model.node.body
        annotated = {
            s.target.id
            for s in body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
        }
        defined = {
            s.name
            for s in body
            if isinstance(s, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        }
        assigned = {t.id for s in body for t in assignment_targets(s) if isinstance(t, ast.Name)}
        bound = assigned | defined
        untouched = _keeps_untouched(model)
        methods = {  # `as_ = emit` after `def emit(...)`: a function, left alone by V1 and V2
            s.name
            for s in body
            if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
            and all(isinstance(d, ast.Name) and d.id in DESCRIPTORS for d in s.decorator_list)
        }
        seen: dict[str, int] = {}
        for stmt in body:
            if not isinstance(stmt, ast.Assign):
                continue
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    seen[target.id] = seen.get(target.id, 0) + 1
        for stmt in body:
            if not isinstance(stmt, ast.Assign):
                continue
            public = [
                t
                for t in stmt.targets
                if not (isinstance(t, ast.Name) and (t.id.startswith("_") or t.id in SKIPPED))
            ]
            if not public or isinstance(stmt.value, ast.Lambda):
                continue
            if len(stmt.targets) > 1 or not isinstance(stmt.targets[0], ast.Name):
                conversions.append(
                    _report(
                        src,
                        model,
                        stmt,
                        f"`{src.segment(stmt)}` has no annotation: V1 made each public name a "
                        "field typed as its value's type; V2 refuses the class (\"A "
                        'non-annotated attribute was detected").',
                        "assign each name on its own line with an annotation "
                        "(`x: int = 1`, or `x: ClassVar[...] = ...` for a class attribute)",
                    )
                )
                continue
            conversion = _plan(
                src,
                model,
                stmt,
                names,
                python,
                bound,
                module_classes - rebound,
                untouched,
                (functions - rebound_functions - defined) | methods,
                model_classes,
            )
            if conversion is None:
                continue
            name = ast.unparse(public[0])
            if conversion.fixable and (name in annotated or seen.get(name, 0) > 1):
                conversion = _report(
                    src,
                    model,
                    stmt,
                    conversion.message,
                    "the name is also assigned or annotated elsewhere in the class; "
                    "annotate it once by hand",
                )
            conversions.append(conversion)
    return conversions


def _plan(
    src: Source,
    model: ModelClass,
    stmt: ast.Assign,
    names: PydanticNames,
    python: tuple[int, int] | None,
    bound: set[str],
    module_classes: set[str],
    untouched: bool,
    functions: set[str],
    model_classes: _ModelClasses,
) -> Conversion | None:
    value = stmt.value
    name = ast.unparse(stmt.targets[0])
    if _left_alone(value, names, functions):
        return None
    literal = _literal_type(value)
    if literal is not None:
        spelled = f"{name}: {literal} = {src.segment(value)}"
        message = (
            f"`{src.segment(stmt)}` has no annotation: V1 made it a field of type `{literal}` "
            f'(the type of its default); V2 refuses the class ("A non-annotated attribute was '
            f"detected\"). `{spelled}` keeps V1's field."
        )
        if untouched:
            return _report(src, model, stmt, message, _UNTOUCHED)
        if literal in bound:
            return _report(src, model, stmt, message, f"`{literal}` is bound in the class body")
        return _fix(src, model, stmt, message, f"{name}: {literal}", None)
    if isinstance(value, ast.Name) and (
        value.id in module_classes
        or (value.id in BUILTIN_TYPES and value.id not in names.other_bindings)
    ):
        kind = f"type[{value.id}]" if python is not None and python >= (3, 9) else "type"
        message = (
            f"`{src.segment(stmt)}` holds a class: V1 kept it as a plain class attribute, "
            f'V2 refuses the class ("A non-annotated attribute was detected"). '
            f"`{name}: ClassVar[{kind}] = {value.id}` keeps it a class attribute."
        )
        if untouched:
            return _report(src, model, stmt, message, _UNTOUCHED)
        try:
            classvar, binding = typing_spelling(names, "ClassVar", stmt)
        except Unspellable as clash:
            return _report(src, model, stmt, message, str(clash))
        clashes = {classvar.split(".")[0], "type", value.id} & bound
        if clashes:
            clash_name = sorted(clashes)[0]
            return _report(src, model, stmt, message, f"`{clash_name}` is bound in the class body")
        return _fix(src, model, stmt, message, f"{name}: {classvar}[{kind}]", binding)
    model_class = model_classes.called(value, bound)
    if model_class is not None:
        spelled = f"{name}: {model_class} = ..."
        message = (
            f"`{src.segment(stmt)}` has no annotation: V1 made it a field of type "
            f"`{model_class}` (the class of its default, whose validators V1 used, also when "
            "it overrides a base's field); V2 refuses the class (\"A non-annotated attribute "
            f'was detected" / "Field defined on a base class was overridden by a '
            f"non-annotated attribute\"). `{spelled}` keeps V1's field."
        )
        if untouched:
            return _report(src, model, stmt, message, _UNTOUCHED)
        return _fix(src, model, stmt, message, f"{name}: {model_class}", None)
    message = (
        f"`{src.segment(stmt)}` has no annotation: V1 made it a field typed as its value's "
        "type (or, for a class, function or `Config.keep_untouched` value, a plain class "
        'attribute); V2 refuses the class ("A non-annotated attribute was detected").'
    )
    why = (
        f"write `{name}: <type of the value> = {src.segment(value)}` for a field, or "
        f"`{name}: ClassVar[...] = {src.segment(value)}` for a class attribute"
    )
    if isinstance(value, ast.Subscript):
        why += (
            f"; it reads like a type written with `=`: V1 made it a field holding the type "
            f"object itself, so if `{src.segment(value)}` was meant as the field's type, "
            f"write `{name}: {src.segment(value)}` (with the default it should have)"
        )
    return _report(src, model, stmt, message, why)


class _ModelClasses:
    """Model classes a call in the module builds: this file's (not rebound) and other
    workspace files' (imported, through the index)."""

    def __init__(self, in_file: set[str], models: WorkspaceModels) -> None:
        self.in_file = in_file
        self.models = models

    def called(self, value: ast.expr, bound: set[str]) -> str | None:
        """The spelling of the model class ``value`` calls (``Extended(...)``), else None."""
        if not isinstance(value, ast.Call):
            return None
        dotted = _dotted(value.func)
        if dotted is None or dotted.split(".")[0] in bound:
            return None
        if dotted in self.in_file or self.models.get(dotted) is not None:
            return dotted
        return None


def _dotted(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        head = _dotted(expr.value)
        return None if head is None else f"{head}.{expr.attr}"
    return None


_UNTOUCHED = (
    "the model's `Config.keep_untouched` may keep this value as a class attribute; "
    "annotate it by hand (`ClassVar[...]` for a class attribute)"
)


def _left_alone(value: ast.expr, names: PydanticNames, functions: set[str]) -> bool:
    """True for values V1 and V2 both keep as class attributes: a function of the module,
    ``property(...)`` / ``classmethod(...)`` / ``staticmethod(...)``, a reused validator."""
    if isinstance(value, ast.Name):
        return value.id in functions
    if not isinstance(value, ast.Call):
        return False
    if isinstance(value.func, ast.Call):
        return names.decorator_kind(value.func) is not None
    return (
        isinstance(value.func, ast.Name)
        and value.func.id in DESCRIPTORS
        and value.func.id not in names.other_bindings
    )


DESCRIPTORS = frozenset({"property", "classmethod", "staticmethod"})


def _literal_type(value: ast.expr) -> str | None:
    """V1's inferred type of a literal default (``int`` for ``-1``), else None."""
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub | ast.UAdd):
        inner = _literal_type(value.operand)
        return inner if inner in ("int", "float") else None
    if isinstance(value, ast.Constant) and type(value.value) in LITERAL_TYPES:
        return type(value.value).__name__
    for display, spelled in DISPLAYS.items():
        if isinstance(value, display):
            return spelled
    return None


def _keeps_untouched(model: ModelClass) -> bool:
    """True when the model or a same-file base sets ``keep_untouched`` in its ``Config``."""
    for stmt in model.node.body:
        if (
            isinstance(stmt, ast.ClassDef)
            and stmt.name == "Config"
            and "keep_untouched" in ast.dump(stmt)
        ):
            return True
    return any(_keeps_untouched(base) for base in model.bases_in_file)


def _rebound(tree: ast.Module, classes: set[str]) -> set[str]:
    """Module classes whose name is also assigned at the module level (not surely a class)."""
    return {
        t.id
        for s in tree.body
        for t in assignment_targets(s)
        if isinstance(t, ast.Name) and t.id in classes
    }


def _key(model: ModelClass, stmt: ast.Assign) -> str:
    return f"{model.qualname}.{ast.unparse(stmt.targets[0])}:annotation"


def _report(src: Source, model: ModelClass, stmt: ast.Assign, message: str, why: str) -> Conversion:
    text = f"{message} Not converted: {why}."
    return refused(UNANNOTATED_CODE, _key(model, stmt), text, src.start(stmt), src.end(stmt))


def _fix(
    src: Source,
    model: ModelClass,
    stmt: ast.Assign,
    message: str,
    annotated: str,
    binding: ImportBinding | None,
) -> Conversion:
    target = stmt.targets[0]
    edit = Replacement(src.start(target), src.end(target), annotated)
    conversion = Conversion(
        UNANNOTATED_CODE, _key(model, stmt), TITLE, message, src.start(stmt), src.end(stmt), [edit]
    )
    if binding is not None:
        conversion.add = {binding}
    return conversion
