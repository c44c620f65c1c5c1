"""V1 custom types: ``__get_validators__`` → ``__get_pydantic_core_schema__`` (PYD021).

V1 validated a field of a class with ``__get_validators__`` by calling each validator it
yields in turn, each getting the previous one's result (a ``None`` yielded was skipped, so a
class yielding only ``None`` accepted any value as it was). V2 still calls
``__get_validators__`` but warns, and passes every validator ``(value, info)``, so a V1
validator taking only the value fails with ``TypeError`` on the first model built. The
conversion writes the V2 hook: ``core_schema.no_info_plain_validator_function(validator)`` per
validator, chained in order (``chain_schema``), or ``core_schema.any_schema()`` for none.

Converted only when the body is a list of ``yield`` statements naming validators whose
parameters the module shows: a method of the class (``cls.validate``) or a function of the
module taking just the value. One difference stays, and the finding names it: V1 rejected
``None`` for a field that is not ``Optional`` before any validator ran; V2 passes it to them
(``any_schema()`` accepts it). Reported otherwise, and when a validator raises ``TypeError``
(V1 turned it into a validation error, V2 lets it through) or takes ``values`` / ``field`` /
``config``, which V1 passed by name and V2 does not; and for a model's own
``__get_validators__`` (V2's hook would replace the model's own validation).
"""

from __future__ import annotations

import ast

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import CUSTOM_TYPE_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source

HOOK = "__get_validators__"
V2_HOOK = "__get_pydantic_core_schema__"
TITLE = f"Define `{V2_HOOK}`"
SCHEMA_IMPORT = ImportBinding("pydantic_core", "core_schema")
LINE_LENGTH = 88
V1_ONLY_PARAMETERS = frozenset({"values", "field", "config"})
NONE_NOTE = (
    " (V1 rejected `None` before the validators on a field that is not `Optional`; V2 hands "
    "it to them)"
)


class _Refuse(Exception):
    """The hook has no faithful V2 form; the text says why."""


def mentions_custom_types(source: str) -> bool:
    """Cheap pre-filter: could ``source`` define a V1 custom type?"""
    return HOOK in source


def plan_custom_types(
    src: Source, names: PydanticNames, classes: list[ModelClass]
) -> list[Conversion]:
    """A conversion (or a report) for every ``__get_validators__`` defined in a class."""
    if HOOK not in src.text:
        return []
    functions = _module_functions(src.tree)
    models = {id(model.node) for model in classes if model.known_model}
    bound = names.other_bindings.get("core_schema")
    clash = None if bound in (None, "imported from pydantic_core") else bound
    conversions: list[Conversion] = []
    for owner, qualname in _classes(src.tree):
        for stmt in owner.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name == HOOK:
                problem = None
                if id(owner) in models:
                    problem = (
                        f"`{qualname}` is a model: `{V2_HOOK}` would replace how the model "
                        "validates itself, not only how its fields of this type do"
                    )
                elif clash is not None:
                    problem = f"`core_schema` in this module is {clash}"
                conversions.append(_plan(src, owner, qualname, stmt, functions, problem))
    return conversions


def _classes(tree: ast.Module) -> list[tuple[ast.ClassDef, str]]:
    found: list[tuple[ast.ClassDef, str]] = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for stmt in body:
            if isinstance(stmt, ast.ClassDef):
                qualname = f"{prefix}{stmt.name}"
                found.append((stmt, qualname))
                visit(stmt.body, f"{qualname}.")

    visit(tree.body, "")
    return found


def _module_functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {
        stmt.name: stmt
        for stmt in tree.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _plan(
    src: Source,
    owner: ast.ClassDef,
    qualname: str,
    hook: ast.FunctionDef,
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
    problem: str | None,
) -> Conversion:
    key = f"{qualname}.{HOOK}"
    start, end = src.start(hook), src.end(hook)
    what = f"`{qualname}.{HOOK}` (a V1 custom type) is deprecated in V2"
    try:
        if problem is not None:
            raise _Refuse(problem)
        validators = _validators(src, owner, hook, functions)
        header_end = _header_end(src, hook)
    except _Refuse as reason:
        message = (
            f"{what}, which passes its validators `(value, info)`; not converted: {reason}; "
            f"define `{V2_HOOK}` returning a `pydantic_core.core_schema` by hand."
        )
        return refused(CUSTOM_TYPE_CODE, key, message, start, end)
    if not validators:
        schema = "core_schema.any_schema()"
    elif len(validators) == 1:
        schema = f"core_schema.no_info_plain_validator_function({validators[0]})"
    else:
        steps = ", ".join(f"core_schema.no_info_plain_validator_function({v})" for v in validators)
        schema = f"core_schema.chain_schema([{steps}])"
    yields = [stmt for stmt in hook.body if not _is_docstring(stmt)]
    last = yields[-1]
    body_indent = src.indent_of(last.lineno)
    nl = src.newline
    line = f"return {schema}"
    if len(body_indent) + len(line) > LINE_LENGTH and len(validators) > 1:
        inner = body_indent + "        "
        listed = "".join(
            f"{inner}core_schema.no_info_plain_validator_function({v}),{nl}" for v in validators
        )
        line = (
            f"return core_schema.chain_schema({nl}{body_indent}    [{nl}{listed}"
            f"{body_indent}    ]{nl}{body_indent})"
        )
    cls_name = hook.args.args[0].arg
    header = f"def {V2_HOOK}({cls_name}, source_type, handler):"
    # The header, then each yield but the last goes and the last becomes the return: the
    # docstring and comments between stay where they are.
    edits = [Replacement(src.start(hook), header_end, header)]
    for stmt in yields[:-1]:
        edits.append(_line_removal(src, stmt))
    edits.append(Replacement(src.start(last), src.end(last), line))
    consumed: dict[str, int] = {}
    removed: list[ast.AST] = [*hook.decorator_list, hook.args]
    if hook.returns is not None:
        removed.append(hook.returns)
    for part in removed:
        for node in ast.walk(part):
            if isinstance(node, ast.Name) and node.id != "classmethod":
                consumed[node.id] = consumed.get(node.id, 0) + 1
    message = (
        f"{what}, and V2 passes its validators `(value, info)`: define `{V2_HOOK}` returning "
        + (
            "that validator as a `core_schema` plain validator function"
            if len(validators) == 1
            else "the validators as `core_schema` plain validator functions, chained in order"
        )
        + f"{NONE_NOTE}."
    )
    if not validators:
        message = (
            f"{what}: it yields no validator, so V1 accepted any value as it was; define "
            f"`{V2_HOOK}` returning `core_schema.any_schema()`{NONE_NOTE}."
        )
    return Conversion(
        CUSTOM_TYPE_CODE,
        key,
        TITLE,
        message,
        start,
        end,
        edits,
        {SCHEMA_IMPORT},
        consumed=consumed,
    )


def _header_end(src: Source, hook: ast.FunctionDef) -> int:
    """The offset just past the ``:`` that ends the hook's signature."""
    after = src.end(hook.returns) if hook.returns is not None else src.start(hook)
    depth = 0
    for index in range(after, len(src.text)):
        char = src.text[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == ":" and depth == 0:
            return index + 1
    raise _Refuse("its signature could not be read")


def _line_removal(src: Source, stmt: ast.stmt) -> Replacement:
    """Delete ``stmt`` with its lines (it stands alone on them)."""
    return Replacement(
        src.line_start(stmt.lineno), src.line_end(stmt.end_lineno or stmt.lineno), ""
    )


def _validators(
    src: Source,
    owner: ast.ClassDef,
    hook: ast.FunctionDef,
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
) -> list[str]:
    """The source text of each validator the hook yields, in order (``None`` skipped)."""
    decorators = [d.id for d in hook.decorator_list if isinstance(d, ast.Name)]
    if decorators != ["classmethod"] or len(hook.decorator_list) != 1 or not hook.args.args:
        raise _Refuse("it is not a plain `@classmethod`")
    defined = {s.name for s in owner.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)}
    if V2_HOOK in defined:
        raise _Refuse(f"the class also defines `{V2_HOOK}`, which V2 uses instead")
    if "__modify_schema__" in defined:
        raise _Refuse(
            "the class also defines `__modify_schema__`, which V2 rejects; it becomes "
            "`__get_pydantic_json_schema__` together with this hook"
        )
    body = hook.body
    if body and _is_docstring(body[0]):
        body = body[1:]
    if not body:
        raise _Refuse("it yields nothing")
    validators: list[str] = []
    for stmt in body:
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield)):
            raise _Refuse("its body does more than `yield` validators")
        if src.line_text(stmt.lineno).strip() != src.segment(stmt):
            raise _Refuse("a `yield` shares its line with other code")
        value = stmt.value.value
        if value is None or (isinstance(value, ast.Constant) and value.value is None):
            continue  # V1 skipped it
        _check_validator(value, owner, hook, functions)
        validators.append(src.segment(value))
    return validators


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _check_validator(
    value: ast.expr,
    owner: ast.ClassDef,
    hook: ast.FunctionDef,
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
) -> None:
    """Raise unless ``value`` names a validator V2 can call with the value alone."""
    cls_name = hook.args.args[0].arg if hook.args.args else None
    shown = ast.unparse(value)
    function: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    bound = False
    if (
        isinstance(value, ast.Attribute)
        and isinstance(value.value, ast.Name)
        and value.value.id in (cls_name, owner.name)
    ):
        function = next(
            (
                s
                for s in owner.body
                if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name == value.attr
            ),
            None,
        )
        if function is None:
            raise _Refuse(f"`{shown}` is not defined in the class, so its parameters are unknown")
        kinds = {d.id for d in function.decorator_list if isinstance(d, ast.Name)}
        if len(function.decorator_list) != len(kinds) or not kinds <= {
            "classmethod",
            "staticmethod",
        }:
            raise _Refuse(f"`{shown}` has decorators other than `@classmethod`/`@staticmethod`")
        if not kinds:
            raise _Refuse(f"`{shown}` is a plain method, which V1 called unbound")
        bound = "classmethod" in kinds
    elif isinstance(value, ast.Name) and value.id in functions:
        function = functions[value.id]
    else:
        raise _Refuse(f"`{shown}` is not a method of the class or a function of this module")
    if isinstance(function, ast.AsyncFunctionDef):
        raise _Refuse(f"`{shown}` is a coroutine function")
    arguments = function.args
    positional = [a.arg for a in [*arguments.posonlyargs, *arguments.args]]
    if bound:
        positional = positional[1:]
    names = {*positional, *(a.arg for a in arguments.kwonlyargs)}
    if names & V1_ONLY_PARAMETERS or arguments.kwarg is not None:
        raise _Refuse(
            f"`{shown}` takes `values` / `field` / `config`, which V1 passed by name and V2 "
            "does not pass"
        )
    if len(positional) != 1 or arguments.vararg is not None or arguments.kwonlyargs:
        raise _Refuse(f"`{shown}` does not take the value alone")
    for node in ast.walk(function):
        if isinstance(node, ast.Raise) and _raises_type_error(node):
            raise _Refuse(
                f"`{shown}` raises `TypeError`, which V1 reported as a validation error and V2 "
                "lets through; raise `ValueError` instead if that is what it means"
            )


def _raises_type_error(node: ast.Raise) -> bool:
    exc = node.exc
    if isinstance(exc, ast.Call):
        exc = exc.func
    return isinstance(exc, ast.Name) and exc.id == "TypeError"
