"""Minimal edits that wire a new resource into an existing project (libcst, then a line diff).

Each function takes a module's source and returns the new source; ``plan_add_resource`` turns
the difference into a few ``TextEdit``s so the user's formatting, comments and other code
survive. Imports are inserted in sorted position so the project's import sorting stays clean.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi_architect.scaffold.errors import ScaffoldError
from fastapi_architect.scaffold.naming import ResourceNames

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


def _import_module_name(statement: cst.BaseStatement) -> str | None:
    """``a.b`` for a line ``from a.b import ...``, else None."""
    import libcst as cst

    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    if not isinstance(node, cst.ImportFrom) or node.module is None or node.relative:
        return None
    return cst.Module(body=[]).code_for_node(node.module)


def _statement(code: str) -> cst.SimpleStatementLine:
    import libcst as cst

    statement = cst.parse_statement(code)
    if not isinstance(statement, cst.SimpleStatementLine):
        raise TypeError(f"not a simple statement: {code!r}")
    return statement


def _insert_sorted_import(
    module: cst.Module, package: str, line: str, module_name: str
) -> cst.Module:
    """Insert ``line`` among the ``from package...`` imports, sorted by module name."""
    body = list(module.body)
    positions = [
        (index, name)
        for index, statement in enumerate(body)
        if (name := _import_module_name(statement)) is not None
        and (name == package or name.startswith(package + "."))
    ]
    if positions:
        index = next((i for i, name in positions if name > module_name), positions[-1][0] + 1)
    else:
        last_import = max(
            (i for i, s in enumerate(body) if _import_module_name(s) is not None or _is_import(s)),
            default=-1,
        )
        index = last_import + 1
    new_statement = _statement(line)
    if positions and index < len(body):
        # Take over the blank lines / comments above the import we go before, so the import
        # block stays one block.
        following = body[index]
        new_statement = new_statement.with_changes(leading_lines=following.leading_lines)
        body[index] = following.with_changes(leading_lines=())
    body.insert(index, new_statement)
    return module.with_changes(body=body)


def _is_import(statement: cst.BaseStatement) -> bool:
    import libcst as cst

    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(node, cst.Import | cst.ImportFrom) for node in statement.body
    )


def add_to_router(source: str, names: ResourceNames) -> str:
    """Import the endpoints module and add its ``include_router`` line after the last one."""
    import libcst as cst

    module = _parse(source, "app/api/v1/router.py")
    body = list(module.body)
    package = "app.api.v1.endpoints"
    imported = False
    for index, statement in enumerate(body):
        if _import_module_name(statement) != package:
            continue
        assert isinstance(statement, cst.SimpleStatementLine)
        node = statement.body[0]
        assert isinstance(node, cst.ImportFrom)
        if isinstance(node.names, cst.ImportStar):
            continue
        existing = [alias.evaluated_name for alias in node.names]
        if names.plural in existing:
            raise ScaffoldError(f"app/api/v1/router.py already imports {names.plural}")
        new_names = sorted([*existing, names.plural])
        parenthesized = node.lpar is not None
        line = f"from {package} import " + (
            "(\n" + "".join(f"    {name},\n" for name in new_names) + ")"
            if parenthesized
            else ", ".join(new_names)
        )
        if not parenthesized and len(line) > LINE_LENGTH:
            line = (
                f"from {package} import (\n" + "".join(f"    {name},\n" for name in new_names) + ")"
            )
        replacement = _statement(line)
        assert isinstance(replacement, cst.SimpleStatementLine)
        body[index] = statement.with_changes(body=replacement.body)
        imported = True
        break
    module = module.with_changes(body=body)
    if not imported:
        module = _insert_sorted_import(
            module, package, f"from {package} import {names.plural}", package
        )

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


def add_to_models(source: str, names: ResourceNames) -> str:
    """Import the model in ``app/models/__init__.py`` and list it in ``__all__``."""
    import libcst as cst

    module = _parse(source, "app/models/__init__.py")
    model_module = f"app.models.{names.singular}"
    if any(_import_module_name(s) == model_module for s in module.body):
        raise ScaffoldError(f"app/models/__init__.py already imports {model_module}")
    module = _insert_sorted_import(
        module, "app.models", f"from {model_module} import {names.class_name}", model_module
    )

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


def add_service_dependency(source: str, names: ResourceNames) -> str:
    """Import the service in ``app/api/deps.py`` and append its dependency and alias."""
    module = _parse(source, "app/api/deps.py")
    if "SessionDep" not in source:
        raise ScaffoldError("app/api/deps.py defines no SessionDep for the new service")
    service_module = f"app.services.{names.singular}_service"
    if any(_import_module_name(s) == service_module for s in module.body):
        raise ScaffoldError(f"app/api/deps.py already imports {service_module}")
    module = _insert_sorted_import(
        module,
        "app.services",
        f"from {service_module} import {names.class_name}Service",
        service_module,
    )
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
    return module.code.rstrip("\r\n") + appended.replace("\n", newline)


def _call_line(function: str, arguments: Sequence[str]) -> str:
    """``function(a, b)`` on one line if it fits, else one argument per line (kept by ruff)."""
    line = f"{function}({', '.join(arguments)})"
    if len(line) <= LINE_LENGTH:
        return line
    return f"{function}(\n" + "".join(f"    {argument},\n" for argument in arguments) + ")"
