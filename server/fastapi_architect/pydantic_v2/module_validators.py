"""V1 validators made outside a model's body (PYD001 / PYD002): converted when faithful,
otherwise reported — never skipped.

``check = validator("x", allow_reuse=True)(fn)`` / ``@validator("x", allow_reuse=True)`` on a
module-level function, later placed in models (``_check = check``), become
``field_validator("x")(fn)`` / ``@field_validator("x")``; ``root_validator(pre=True)(fn)``
becomes ``model_validator(mode="before")(classmethod(fn))`` (a decorated function gets
``@classmethod`` below the decorator). Pydantic 2 collects such objects from a class body like
its own decorators. ``fn`` taking ``values`` is wrapped, not rewritten (it may be shared):
``field_validator("x")(lambda cls, value, info: fn(cls, value, values=info.data))`` — V1 passed
``values`` by keyword, and ``info.data`` holds the same fields validated so far. ``fn`` may be
imported from another workspace file: the workspace index (``imported_functions``) gives its
parameters, and only the call site changes. Reported with the reason: post root validators (V2
would pass the model, not ``values``), ``always=True`` / ``each_item=True`` (they change the
fields of every model that uses them), functions taking ``field`` / ``config`` / ``**kwargs``,
imported functions that are decorated or not found in the workspace, a model that would run
two ``pre`` validators of one field, and V1 validators built anywhere else (inside calls such
as ``create_model(__validators__=...)``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass, ValidatorSite
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.decorator_args import (
    ROOT_KEYWORDS,
    VALIDATOR_KEYWORDS,
    read_args,
)
from fastapi_architect.pydantic_v2.field_validators import quote_char
from fastapi_architect.pydantic_v2.findings import ROOT_VALIDATOR_CODE, VALIDATOR_CODE
from fastapi_architect.pydantic_v2.functions import Parameters
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.parameters import V1_EXTRA_PARAMETERS
from fastapi_architect.pydantic_v2.plan import Refusal
from fastapi_architect.pydantic_v2.source import Replacement, Source

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
V1_DECORATOR_NAMES = ("validator", "root_validator")
AS_ALIAS = re.compile(r"\b(?:root_)?validator\s+as\s+(\w+)")
"""``validator as check``: an alias a function-local import may bind."""


def plan_module_validators(
    src: Source,
    names: PydanticNames,
    classes: list[ModelClass],
    sites: list[ValidatorSite],
    models: WorkspaceModels = NO_MODELS,
) -> list[Conversion]:
    """A conversion (or report) for every V1 validator not made in a model's body;
    ``models`` gives the signatures of functions imported from other workspace files."""
    if "validator" not in src.text or "pydantic" not in src.text:
        return []  # no V1 validator can be named: skip the tree walks below
    handled = {id(site.decorator) for site in sites}
    conversions: list[Conversion] = []
    seen: dict[str, int] = {}

    def key_of(base: str) -> str:
        seen[base] = seen.get(base, 0) + 1
        return base if seen[base] == 1 else f"{base}#{seen[base]}"

    module_pre = _module_pre(src, names)
    made = _module_made(src, names)
    for name, call, func, assign in made:
        if id(call) not in handled:
            conversions.append(
                _plan(
                    src, names, sites, module_pre, classes, call, func, assign, key_of(name), models
                )
            )
    spellings = {*names.decorators, *V1_DECORATOR_NAMES, *AS_ALIAS.findall(src.text)}
    written = sum(
        len(re.findall(rf"(?<![\w.]){re.escape(local)}\s*\(", src.text)) for local in spellings
    ) + len(re.findall(r"\.(?:root_)?validator\s*\(", src.text))
    calls = [site.decorator for site in sites] + [call for _, call, _, _ in made]
    if written <= len({id(c) for c in calls if isinstance(c, ast.Call)}):
        return conversions  # every V1 call in the text is a site or a module-level one
    skip = handled | {id(call) for _, call, _, _ in made} | _class_body_calls(src.tree)
    for node in ast.walk(src.tree):
        kind = names.decorator_kind(node) if isinstance(node, ast.Call) else None
        if kind is None or id(node) in skip:
            continue
        code = ROOT_VALIDATOR_CODE if kind == "root_validator" else VALIDATOR_CODE
        v2 = "model_validator" if kind == "root_validator" else "field_validator"
        message = (
            f"Pydantic V1 `{kind}(...)` is deprecated; not converted automatically: it is "
            "built outside a model body and a module-level assignment, so where V2 would "
            f"collect it cannot be checked; build it with `{v2}` by hand."
        )
        start, end = src.start(node), src.end(node)
        conversions.append(refused(code, key_of(f"<{kind}>"), message, start, end))
    return conversions


def _class_body_calls(tree: ast.Module) -> set[int]:
    """``id`` of every decorator and reused ``validator(...)`` call in any class body (the
    model analysis decides about those)."""
    found: set[int] = set()
    for owner in ast.walk(tree):
        if not isinstance(owner, ast.ClassDef):
            continue
        for stmt in owner.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                found.update(id(d) for d in stmt.decorator_list)
            elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                found.add(id(stmt.value.func))
    return found


def _plan(
    src: Source,
    names: PydanticNames,
    sites: list[ValidatorSite],
    module_pre: dict[str, list[str] | None],
    classes: list[ModelClass],
    call: ast.expr,
    func: FunctionNode | None,
    assign: ast.Assign | None,
    name: str,
    models: WorkspaceModels,
) -> Conversion:
    kind = names.decorator_kind(call)
    is_root = kind == "root_validator"
    code = ROOT_VALIDATOR_CODE if is_root else VALIDATOR_CODE
    key = f"<module>.{name}"
    start = src.start(call) - (1 if func is not None else 0)
    end = src.end(call) if assign is None else src.end(assign.value)
    shown = f"@{kind}" if func is not None else f"{kind}(...)(fn)"
    prefix = f"Pydantic V1 `{shown}` at module level is deprecated"
    try:
        replacements, add, v2, notes = _convert(
            src, names, classes, sites, module_pre, call, func, assign, name, models
        )
    except Refusal as reason:
        return refused(code, key, f"{prefix}; not converted automatically: {reason}.", start, end)
    local = _local_decorator(call)
    return Conversion(
        code,
        key,
        f"Convert to `{v2}`",
        f"{prefix}: convert to `{v2}` (models that place `{name}` in their body collect it)"
        + "".join(f"; {note}" for note in notes)
        + ".",
        start,
        end,
        replacements,
        add,
        consumed={local: 1} if local else {},
    )


def _local_decorator(call: ast.expr) -> str | None:
    callee = call.func if isinstance(call, ast.Call) else call
    return callee.id if isinstance(callee, ast.Name) else None


def _spell(names: PydanticNames, call: ast.expr, name: str) -> tuple[str, set[ImportBinding]]:
    """``name`` from pydantic, spelled like the V1 decorator (``pd.field_validator``)."""
    callee = call.func if isinstance(call, ast.Call) else call
    if isinstance(callee, ast.Attribute):
        dotted = dotted_name(callee.value)
        if dotted is not None and names.modules_of(callee.value) == {"pydantic"}:
            return f"{dotted}.{name}", set()
        raise Refusal("the decorator is spelled through a module other than `pydantic`")
    for local, canonical in names.pydantic_from.items():
        if canonical == name and names.means(local, name, call):
            return local, set()
    other = names.other_bindings.get(name)
    if other is not None and not names.means(name, name, call):
        raise Refusal(f"the conversion needs `{name}`, but `{name}` in this module is {other}")
    return name, {ImportBinding("pydantic", name)}


def _convert(
    src: Source,
    names: PydanticNames,
    classes: list[ModelClass],
    sites: list[ValidatorSite],
    module_pre: dict[str, list[str] | None],
    call: ast.expr,
    func: FunctionNode | None,
    assign: ast.Assign | None,
    name: str,
    models: WorkspaceModels = NO_MODELS,
) -> tuple[list[Replacement], set[ImportBinding], str, list[str]]:
    kind = names.decorator_kind(call)
    call_node = call if isinstance(call, ast.Call) else None
    target = func
    notes: list[str] = []
    if assign is not None:
        outer = assign.value
        assert isinstance(outer, ast.Call)
        if len(outer.args) != 1 or outer.keywords or not isinstance(outer.args[0], ast.Name):
            raise Refusal("it is not applied to one function name")
        wrapped = outer.args[0].id
        found = next(
            (
                s
                for s in src.tree.body
                if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name == wrapped
            ),
            None,
        )
        if found is None:
            found = _imported(models, wrapped)
            renamed = f" as `{found.name}`" if found.name != wrapped else ""
            module = _imported_module(models, wrapped)
            notes.append(f"`{wrapped}` is defined in `{module}`{renamed} (only this call changes)")
        target = found
    assert target is not None
    params = Parameters.of(target)
    users = _users(classes, name)
    if kind == "root_validator":
        args = read_args(call_node, ROOT_KEYWORDS)
        if not args.flag("pre", False):
            raise Refusal(
                "it is a post root validator: V2 would call it with the model instead of "
                "`(cls, values)`, and it may be shared, so its body cannot be rewritten"
            )
        if len(params.positional) != 2 or params.keyword_only or params.vararg or params.kwarg:
            raise Refusal(f"`{target.name}` does not take `(cls, values)`")
        for model in users:
            if _other_pre(model, sites, module_pre, name, None):
                raise Refusal(
                    f"`{model.qualname}` runs another `pre=True` root validator; V1 ran them "
                    'in definition order, V2 runs `mode="before"` ones in reverse'
                )
        spelled, add = _spell(names, call, "model_validator")
        text = f'{spelled}(mode="before")'
        edits = [Replacement(src.start(call), src.end(call), text)]
        if assign is not None:
            argument = assign.value.args[0]  # type: ignore[attr-defined]
            edits.append(
                Replacement(src.start(argument), src.end(argument), f"classmethod({argument.id})")
            )
        else:
            edits.extend(_classmethod_below(src, target, call))
        return edits, add, f'{spelled}(mode="before")', notes
    args = read_args(call_node, VALIDATOR_KEYWORDS)
    if not args.fields:
        raise Refusal("it names no field")
    for flag in ("always", "each_item"):
        if args.flag(flag, False):
            raise Refusal(
                f"`{flag}=True` changes the fields of every model that uses it "
                "(`validate_default=True` / the item type), which cannot be done from here"
            )
    if "whole" in args.keywords:
        raise Refusal("`whole=` has no V2 form")
    takes_cls = bool(params.positional) and params.positional[0].arg == "cls"
    extras = params.positional[2 if takes_cls else 1 :] + params.keyword_only
    wrapper = None
    if [p.arg for p in extras] == ["values"] and assign is not None:
        wrapper = _values_wrapper(target, params, takes_cls)
        extras = []
        notes.append(
            f"`{target.name}` takes `values`, so it is called through a `lambda` that passes "
            "V2's `info.data` (the fields validated so far, as V1's `values`)"
        )
    if params.kwarg is not None or any(p.arg in V1_EXTRA_PARAMETERS for p in extras):
        raise Refusal(
            f"`{target.name}` takes `field`/`config` (or `**kwargs`), which V2 no longer "
            "passes; it may be shared, so its signature is not rewritten here"
        )
    if extras or params.vararg is not None or not params.positional:
        raise Refusal(f"`{target.name}` takes parameters V1 never passes")
    pre = args.flag("pre", False)
    fields = args.field_names() or ["*"]  # computed names: may be any field
    if pre:
        for model in users:
            if _other_pre(model, sites, module_pre, name, fields):
                raise Refusal(
                    f"`{model.qualname}` runs another `pre=True` validator of the same field; "
                    'V1 ran them in definition order, V2 runs `mode="before"` ones in reverse'
                )
    spelled, add = _spell(names, call, "field_validator")
    q = quote_char(src, args.fields)
    parts = [src.segment(f) for f in args.fields]
    if pre:
        parts.append(f"mode={q}before{q}")
    if "check_fields" in args.keywords:
        parts.append(f"check_fields={src.segment(args.keywords['check_fields'])}")
    text = f"{spelled}({', '.join(parts)})"
    edits = [Replacement(src.start(call), src.end(call), text)]
    if wrapper is not None and assign is not None:
        argument = assign.value.args[0]  # type: ignore[attr-defined]
        edits.append(Replacement(src.start(argument), src.end(argument), wrapper))
    return edits, add, f"{spelled}(...)", notes


WRAPPER_NAMES = frozenset({"cls", "value", "info"})


def _values_wrapper(target: FunctionNode, params: Parameters, takes_cls: bool) -> str:
    """``lambda cls, value, info: fn(cls, value, values=info.data)``: V2 calls a function whose
    first parameter is ``cls`` as a classmethod, and passes ``info`` to one taking two more;
    V1 passed ``values`` by keyword, as the wrapper does."""
    if target.name in WRAPPER_NAMES:
        raise Refusal(f"`{target.name}` takes `values`, and its name is one the wrapper needs")
    if any(p.arg == "values" for p in target.args.posonlyargs):
        raise Refusal(f"`{target.name}` takes `values` as a positional-only parameter")
    head = "cls, value" if takes_cls else "value"
    return f"lambda cls, value, info: {target.name}({head}, values=info.data)"


def _imported(models: WorkspaceModels, name: str) -> FunctionNode:
    """The definition of ``name``, imported from another workspace file (else a refusal)."""
    imported = models.function(name)
    if imported is None:
        raise Refusal(
            f"`{name}` is not defined in this file nor found in a workspace module it imports, "
            "so its parameters (which decide how V2 calls it) cannot be checked"
        )
    definition = imported.definition()
    if definition is None:
        raise Refusal(f"the definition of `{name}` in `{imported.module}` cannot be read")
    if definition.decorator_list:
        shown = ", ".join(f"`@{ast.unparse(d)}`" for d in definition.decorator_list)
        raise Refusal(
            f"`{name}` is decorated in `{imported.module}` ({shown}), so the parameters of "
            "what the module exports cannot be checked"
        )
    return definition


def _imported_module(models: WorkspaceModels, name: str) -> str:
    imported = models.function(name)
    return imported.module if imported is not None else "?"


def imported_definitions(
    models: WorkspaceModels, local: Mapping[str, ast.AST]
) -> dict[str, ast.AST]:
    """Definitions of the undecorated workspace functions the module imports and wraps in
    validators, for the names it does not define itself (reused validators in class bodies
    check their parameters like those of local functions)."""
    found: dict[str, ast.AST] = {}
    for name, imported in models.functions:
        definition = imported.definition()
        if name not in local and definition is not None and not definition.decorator_list:
            found[name] = definition
    return found


def _classmethod_below(src: Source, func: FunctionNode, call: ast.expr) -> list[Replacement]:
    """``@classmethod`` on its own line below the decorator (unless it is there already)."""
    if any(isinstance(d, ast.Name) and d.id == "classmethod" for d in func.decorator_list):
        return []
    line_end = src.line_end(call.end_lineno or call.lineno)
    if src.text[src.end(call) : line_end].strip():
        raise Refusal("the decorator shares its line with other code")
    indent = src.indent_of(call.lineno)
    return [Replacement(line_end, line_end, f"{indent}@classmethod{src.newline}")]


def _users(classes: list[ModelClass], name: str) -> list[ModelClass]:
    """Models of this file whose body places ``name`` (``_check = check``)."""
    return [
        model
        for model in classes
        if any(
            isinstance(stmt, ast.Assign)
            and isinstance(stmt.value, ast.Name)
            and stmt.value.id == name
            for stmt in model.node.body
        )
    ]


def _other_pre(
    model: ModelClass,
    sites: list[ValidatorSite],
    module_pre: dict[str, list[str] | None],
    name: str,
    fields: list[str] | None,
) -> bool:
    """True when ``model`` also runs another ``pre=True`` validator (of ``fields``; root
    validators when ``fields`` is None) — one of its own or another module-level one it
    places: the order of the two would flip in V2."""
    for site in sites:
        if site.model is not model:
            continue
        try:
            if site.kind == "root_validator" and fields is None:
                if read_args(site.call, ROOT_KEYWORDS).flag("pre", False):
                    return True
            elif site.kind == "validator" and fields is not None:
                args = read_args(site.call, VALIDATOR_KEYWORDS)
                others = args.field_names()
                if args.flag("pre", False) and (
                    others is None or "*" in others or set(others) & set(fields) or "*" in fields
                ):
                    return True
        except Refusal:
            return True
    for stmt in model.node.body:
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Name)):
            continue
        placed = stmt.value.id
        if placed == name or placed not in module_pre:
            continue
        other_fields = module_pre[placed]
        if fields is None and other_fields is None:
            return True
        if (
            fields is not None
            and other_fields is not None
            and (set(fields) & set(other_fields) or "*" in fields or "*" in other_fields)
        ):
            return True
    return False


Made = tuple[str, ast.expr, FunctionNode | None, ast.Assign | None]


def _module_made(src: Source, names: PydanticNames) -> list[Made]:
    """``(name, V1 decorator, decorated function, assignment)`` of every module-level
    validator: a decorated function or ``name = validator(...)(fn)``."""
    made: list[Made] = []
    for stmt in src.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            made.extend(
                (stmt.name, d, stmt, None) for d in stmt.decorator_list if names.decorator_kind(d)
            )
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Call)
            and names.decorator_kind(stmt.value.func) is not None
        ):
            made.append((stmt.targets[0].id, stmt.value.func, None, stmt))
    return made


def _module_pre(src: Source, names: PydanticNames) -> dict[str, list[str] | None]:
    """Module-level ``pre=True`` validators: name → field names (``["*"]`` when computed),
    or None for a root validator."""
    found: dict[str, list[str] | None] = {}
    for name, call, _, _ in _module_made(src, names):
        kind = names.decorator_kind(call)
        call_node = call if isinstance(call, ast.Call) else None
        try:
            if kind == "root_validator":
                if read_args(call_node, ROOT_KEYWORDS).flag("pre", False):
                    found[name] = None
            else:
                args = read_args(call_node, VALIDATOR_KEYWORDS)
                if args.flag("pre", False):
                    found[name] = args.field_names() or ["*"]
        except Refusal:
            found[name] = ["*"]
    return found
