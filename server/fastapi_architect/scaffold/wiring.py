"""Minimal edits that wire a new resource into an existing project (libcst, then a line diff).

Each function takes a module's source and returns the new source; ``plan_add_resource`` turns
the difference into a few ``TextEdit``s so the user's formatting, comments and other code
survive. Imports are added by the import engine, in the project's isort style.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi_architect.imports import DEFAULT_STYLE, ImportBinding, ImportStyle, plan_imports
from fastapi_architect.imports.scan import scan_imports
from fastapi_architect.scaffold.errors import ScaffoldError
from fastapi_architect.scaffold.naming import ResourceNames
from fastapi_architect.textedit import apply_edits

if TYPE_CHECKING:
    import libcst as cst

LINE_LENGTH = 100
"""The generated project's line length."""


def _parse(source: str, where: str) -> cst.Module:
    import libcst as cst

    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        message = f"cannot parse {where}: {error.message} (line {error.raw_line})"
        raise ScaffoldError(message) from error


def _statement(code: str) -> cst.SimpleStatementLine:
    import libcst as cst

    statement = cst.parse_statement(code)
    if not isinstance(statement, cst.SimpleStatementLine):
        raise TypeError(f"not a simple statement: {code!r}")
    return statement


def _imported_from(source: str, module: str) -> list[str]:
    """The names ``source`` imports with ``from module import ...`` at module level."""
    return [
        name
        for block in scan_imports(source).blocks
        for statement in block.statements
        if statement.is_from and statement.module_text == module
        for name in statement.bound_names()
    ]


def _with_import(source: str, module: str, name: str, style: ImportStyle) -> str:
    """``source`` importing ``name`` from ``module``, placed by the import engine."""
    return apply_edits(source, plan_imports(source, [ImportBinding(module, name)], (), style))


def add_to_router(source: str, names: ResourceNames, style: ImportStyle = DEFAULT_STYLE) -> str:
    """Import the endpoints module and add its ``include_router`` line after the last one."""
    _parse(source, "app/api/v1/router.py")
    package = "app.api.v1.endpoints"
    if names.plural in _imported_from(source, package):
        raise ScaffoldError(f"app/api/v1/router.py already imports {names.plural}")
    module = _parse(_with_import(source, package, names.plural, style), "app/api/v1/router.py")

    body = list(module.body)
    arguments = [f"{names.plural}.router", f'prefix="/{names.route}"', f'tags=["{names.route}"]']
    include = _statement(_call_line("api_router.include_router", arguments))
    last_include = max(
        (i for i, statement in enumerate(body) if _is_include_router(statement)), default=None
    )
    if last_include is None:
        raise ScaffoldError(
            "cannot find an 'api_router.include_router(...)' line in app/api/v1/router.py"
        )
    body.insert(last_include + 1, include)
    return module.with_changes(body=body).code


def _is_include_router(statement: cst.BaseStatement) -> bool:
    import libcst as cst
    import libcst.matchers as m

    return isinstance(statement, cst.SimpleStatementLine) and m.matches(
        statement,
        m.SimpleStatementLine(
            body=[m.Expr(value=m.Call(func=m.Attribute(attr=m.Name("include_router"))))]
        ),
    )


def add_to_models(source: str, names: ResourceNames, style: ImportStyle = DEFAULT_STYLE) -> str:
    """Import the model in ``app/models/__init__.py`` and list it in ``__all__``."""
    import libcst as cst

    _parse(source, "app/models/__init__.py")
    model_module = f"app.models.{names.singular}"
    if _imported_from(source, model_module):
        raise ScaffoldError(f"app/models/__init__.py already imports {model_module}")
    source = _with_import(source, model_module, names.class_name, style)
    module = _parse(source, "app/models/__init__.py")

    body = list(module.body)
    for index, statement in enumerate(body):
        entries = _all_entries(statement)
        if entries is None:
            continue
        new_entries = sorted({*entries, names.class_name})
        line = "__all__ = [" + ", ".join(f'"{name}"' for name in new_entries) + "]"
        if len(line) > LINE_LENGTH:
            line = "__all__ = [\n" + "".join(f'    "{name}",\n' for name in new_entries) + "]"
        replacement = _statement(line)
        assert isinstance(replacement, cst.SimpleStatementLine)
        body[index] = replacement.with_changes(leading_lines=statement.leading_lines)
        break
    return module.with_changes(body=body).code


def _all_entries(statement: cst.BaseStatement) -> Sequence[str] | None:
    """The names of a ``__all__ = [...]`` statement, or None for any other statement."""
    import libcst as cst

    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    if not (
        isinstance(node, cst.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0].target, cst.Name)
        and node.targets[0].target.value == "__all__"
        and isinstance(node.value, cst.List | cst.Tuple)
    ):
        return None
    entries = []
    for element in node.value.elements:
        if not isinstance(element.value, cst.SimpleString):
            return None
        value = element.value.evaluated_value
        entries.append(value if isinstance(value, str) else value.decode())
    return entries


def add_service_dependency(
    source: str, names: ResourceNames, style: ImportStyle = DEFAULT_STYLE
) -> str:
    """Import the service in ``app/api/deps.py`` and append its dependency and alias."""
    _parse(source, "app/api/deps.py")
    if "SessionDep" not in source:
        raise ScaffoldError("app/api/deps.py defines no SessionDep for the new service")
    service_module = f"app.services.{names.singular}_service"
    if _imported_from(source, service_module):
        raise ScaffoldError(f"app/api/deps.py already imports {service_module}")
    source = _with_import(source, service_module, f"{names.class_name}Service", style)
    service = f"{names.class_name}Service"
    function = f"get_{names.singular}_service"
    signature = f"def {function}(session: SessionDep) -> {service}:"
    if len(signature) > LINE_LENGTH:
        signature = f"def {function}(\n    session: SessionDep,\n) -> {service}:"
    alias = f"{service}Dep = Annotated[{service}, Depends({function})]"
    if len(alias) > LINE_LENGTH:
        alias = f"{service}Dep = Annotated[\n    {service},\n    Depends({function}),\n]"
    newline = "\r\n" if "\r\n" in source else "\n"
    appended = (
        f"\n\n\n{signature}\n"
        f'    """The ``{service}`` of the request\'s session."""\n'
        f"    return {service}(session)\n\n\n"
        f"{alias}\n"
    )
    return source.rstrip("\r\n") + appended.replace("\n", newline)


def _call_line(function: str, arguments: Sequence[str]) -> str:
    """``function(a, b)`` on one line if it fits, else one argument per line (kept by ruff)."""
    line = f"{function}({', '.join(arguments)})"
    if len(line) <= LINE_LENGTH:
        return line
    return f"{function}(\n" + "".join(f"    {argument},\n" for argument in arguments) + ")"
