"""The service function's signature and the endpoint's call to it.

Parameters keep their names with FastAPI markers stripped and only immutable plain
defaults; the return type is the endpoint's annotation, else ``response_model`` when every
``return`` builds that model; ``async`` only when the body awaits; a one-line docstring
naming the full route.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fastapi_architect.astutil import parameter_defaults
from fastapi_architect.extract.context import EndpointModule
from fastapi_architect.extract.endpoints import Endpoint, body_statements, own_scope_nodes
from fastapi_architect.extract.layout import Layout
from fastapi_architect.extract.names import BUILTINS, loaded_names, module_symbols
from fastapi_architect.imports import ImportBinding
from fastapi_architect.project_files import ProjectFiles

MAX_LINE = 88


def _is_annotated(node: ast.expr) -> bool:
    if not isinstance(node, ast.Subscript):
        return False
    value = node.value
    name = value.id if isinstance(value, ast.Name) else getattr(value, "attr", None)
    return name == "Annotated" and isinstance(node.slice, ast.Tuple) and bool(node.slice.elts)


@dataclass
class TypeText:
    """A type expression for the service, with what it needs to be importable."""

    text: str
    local_names: set[str] = field(default_factory=set)
    """Names to resolve in the endpoint module."""
    imports: set[ImportBinding] = field(default_factory=set)
    """Imports resolved elsewhere (a type alias defined in another module)."""


@dataclass(frozen=True)
class ServiceParam:
    """One parameter of the service function."""

    name: str
    annotation: TypeText | None
    default: TypeText | None
    argument: str | None = None
    """What the endpoint passes (``self.session`` in a class-based view); default: the name."""


def _module_file(module: str, layout: Layout, files: ProjectFiles) -> Path | None:
    base = layout.import_root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if files.is_file(candidate):
            return candidate
    return None


def _alias_target(tree: ast.Module, name: str) -> ast.expr | None:
    """The value of a top-level ``name = Annotated[...]`` (or annotated) alias in ``tree``."""
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == name
        ):
            return node.value
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
            and node.value is not None
        ):
            return node.value
    return None


def strip_markers(node: ast.expr, ctx: EndpointModule) -> TypeText:
    """``Annotated[T, Depends(...)]`` → ``T``; a ``SessionDep``-style alias → its type."""
    if _is_annotated(node):
        assert isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple)
        return strip_markers(node.slice.elts[0], ctx)
    if isinstance(node, ast.Name):
        local = ctx.symbols.definitions.get(node.id)
        value = _alias_target(ctx.tree, node.id) if local is not None else None
        if value is not None and _is_annotated(value):
            return strip_markers(value, ctx)
        binding = ctx.symbols.imports.get(node.id)
        if binding is not None and binding.module is not None:
            resolved = _foreign_alias(binding, ctx)
            if resolved is not None:
                return resolved
    return TypeText(_segment(ctx.text, node), loaded_names([node]) - BUILTINS)


def _segment(text: str, node: ast.expr) -> str:
    """The node's source as written when it fits on one line, else its unparsed form."""
    if node.lineno == node.end_lineno and node.end_col_offset is not None:
        line = _nth_line(text, node.lineno - 1).encode("utf-8")
        segment = line[node.col_offset : node.end_col_offset].decode("utf-8", errors="replace")
        if "#" not in segment and "\ufffd" not in segment:
            return segment
    return ast.unparse(node)


def _nth_line(text: str, index: int) -> str:
    """Line ``index`` (0-based) of ``text`` without splitting the whole text."""
    start = 0
    for _ in range(index):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start:] if end == -1 else text[start:end]


def _foreign_alias(binding: ImportBinding, ctx: EndpointModule) -> TypeText | None:
    """Resolve an alias such as ``SessionDep`` imported from another first-party module."""
    assert binding.module is not None
    path = _module_file(binding.module, ctx.layout, ctx.files)
    if path is None:
        return None
    text = ctx.read_text(path)
    if text is None:
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    value = _alias_target(tree, binding.name)
    if value is None or not _is_annotated(value):
        return None
    assert isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Tuple)
    target = value.slice.elts[0]
    package = binding.module if path.name == "__init__.py" else binding.module.rpartition(".")[0]
    symbols = module_symbols(tree, package)
    imports: set[ImportBinding] = set()
    for name in loaded_names([target]) - BUILTINS:
        if name in symbols.imports:
            imports.add(symbols.imports[name])
        elif name in symbols.definitions:
            imports.add(ImportBinding(binding.module, name))
        else:
            return None
    return TypeText(_segment(text, target), set(), imports)


_REQUIRED_SENTINELS = frozenset({"Required", "PydanticUndefined", "Undefined"})


def _plain_default(node: ast.expr) -> bool:
    """A default the service may keep: an immutable literal or a named constant — never a
    FastAPI marker, ``...``, ``Required`` or a mutable value (the endpoint passes every
    argument, so a dropped default changes nothing)."""
    if isinstance(node, ast.Constant):
        return node.value is not Ellipsis
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.operand, ast.Constant) and _plain_default(node.operand)
    if isinstance(node, ast.Name):
        return node.id not in _REQUIRED_SENTINELS
    if isinstance(node, ast.Attribute):
        return node.attr not in _REQUIRED_SENTINELS
    if isinstance(node, ast.Tuple):
        return all(_plain_default(item) for item in node.elts)
    return False


def service_params(endpoint: Endpoint, used: set[str], ctx: EndpointModule) -> list[ServiceParam]:
    """The service parameters: the endpoint parameters ``used`` by the body, markers stripped."""
    args = endpoint.node.args
    positional = [*args.posonlyargs, *args.args]
    defaults = parameter_defaults(args)
    params: list[ServiceParam] = []
    for arg in (*positional, *args.kwonlyargs):
        if arg.arg not in used:
            continue
        annotation = strip_markers(arg.annotation, ctx) if arg.annotation is not None else None
        default_node = defaults.get(arg.arg)
        kept: TypeText | None = None
        if default_node is not None and _plain_default(default_node):
            kept = TypeText(
                _segment(ctx.text, default_node), loaded_names([default_node]) - BUILTINS
            )
        params.append(ServiceParam(arg.arg, annotation, kept))
    # Defaults may only trail: drop those followed by a parameter without one.
    result: list[ServiceParam] = []
    seen_required = False
    for param in reversed(params):
        if param.default is None:
            seen_required = True
        elif seen_required:
            param = ServiceParam(param.name, param.annotation, None)
        result.append(param)
    return list(reversed(result))


def _returns_value(body: Sequence[ast.stmt]) -> bool:
    return any(
        isinstance(node, ast.Return) and node.value is not None for node in own_scope_nodes(body)
    )


def awaits(body: Sequence[ast.stmt]) -> bool:
    """True when the body itself (not a nested function) awaits."""
    return any(
        isinstance(node, (ast.Await, ast.AsyncFor, ast.AsyncWith)) for node in own_scope_nodes(body)
    ) or any(
        isinstance(node, ast.comprehension) and node.is_async for node in own_scope_nodes(body)
    )


def return_type(endpoint: Endpoint, ctx: EndpointModule) -> TypeText | None:
    """The endpoint's return annotation, else ``response_model``, else ``None`` if no value."""
    node = endpoint.node
    if node.returns is not None:
        return strip_markers(node.returns, ctx)
    if not _returns_value(body_statements(node)):
        return TypeText("None")
    for keyword in endpoint.decorator.keywords:
        if keyword.arg == "response_model" and _returns_only(keyword.value, body_statements(node)):
            return TypeText(
                _segment(ctx.text, keyword.value), loaded_names([keyword.value]) - BUILTINS
            )
    return None


def _returns_only(model: ast.expr, body: Sequence[ast.stmt]) -> bool:
    """Every ``return`` builds ``model`` (``Model(...)``, ``Model.model_validate(...)``):
    only then is ``response_model`` the type the function returns (not an ORM object)."""
    if not isinstance(model, (ast.Name, ast.Attribute)):
        return False
    wanted = ast.dump(model)
    returned = [
        node.value
        for node in own_scope_nodes(body)
        if isinstance(node, ast.Return) and node.value is not None
    ]

    def builds(value: ast.expr) -> bool:
        if not isinstance(value, ast.Call):
            return False
        func = value.func
        if ast.dump(func) == wanted:
            return True
        return (
            isinstance(func, ast.Attribute)
            and func.attr in {"model_validate", "model_construct", "parse_obj", "from_orm"}
            and ast.dump(func.value) == wanted
        )

    return bool(returned) and all(builds(value) for value in returned)


def _router_prefix(endpoint: Endpoint, tree: ast.Module) -> str:
    """The ``prefix=`` of the ``APIRouter(...)`` the endpoint's decorator belongs to."""
    func = endpoint.decorator.func
    owner = func.value if isinstance(func, ast.Attribute) else None
    if not isinstance(owner, ast.Name):
        return ""
    for node in tree.body:
        if (
            isinstance(node, (ast.Assign, ast.AnnAssign))
            and isinstance(node.value, ast.Call)
            and any(
                isinstance(target, ast.Name) and target.id == owner.id
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            )
        ):
            for keyword in node.value.keywords:
                if (
                    keyword.arg == "prefix"
                    and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, str)
                ):
                    return keyword.value.value
    return ""


def docstring_line(endpoint: Endpoint, tree: ast.Module) -> str:
    """The endpoint's first docstring line, else a sentence naming its full route
    (the router's ``prefix`` included)."""
    docstring = ast.get_docstring(endpoint.node)
    if docstring:
        first = docstring.strip().splitlines()[0].strip()
        if first and '"""' not in first and "\\" not in first and not first.endswith('"'):
            return first
    route = endpoint.route
    if route is not None:
        route = _router_prefix(endpoint, tree) + route
    where = f"``{endpoint.method.upper()} {route}``" if route else f"``{endpoint.name}``"
    return f"Business logic of the {where} endpoint."


def render_signature(
    name: str, params: Sequence[ServiceParam], returns: TypeText | None, is_async: bool
) -> str:
    """The ``def`` line(s) of the service function, wrapped one parameter per line when long."""

    def param_text(param: ServiceParam) -> str:
        text = param.name
        if param.annotation is not None:
            text += f": {param.annotation.text}"
            if param.default is not None:
                text += f" = {param.default.text}"
        elif param.default is not None:
            text += f"={param.default.text}"
        return text

    prefix = "async def" if is_async else "def"
    suffix = f" -> {returns.text}:" if returns is not None else ":"
    rendered = [param_text(p) for p in params]
    line = f"{prefix} {name}({', '.join(rendered)}){suffix}"
    if len(line) <= MAX_LINE:
        return line + "\n"
    inner = "".join(f"    {text},\n" for text in rendered)
    return f"{prefix} {name}(\n{inner}){suffix}\n"


def render_call(target: str, params: Sequence[ServiceParam], indent: str, keyword: str) -> str:
    """The endpoint's new body: the service call, passing every parameter by keyword."""
    arguments = [f"{p.name}={p.argument or p.name}" for p in params]
    line = f"{indent}{keyword}{target}({', '.join(arguments)})"
    if len(line) <= MAX_LINE:
        return line + "\n"
    inner = "".join(f"{indent}    {argument},\n" for argument in arguments)
    return f"{indent}{keyword}{target}(\n{inner}{indent})\n"
