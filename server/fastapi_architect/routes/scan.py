"""One module's route facts, read with ``ast``: routers, path operations, includes, imports."""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from fastapi_architect.routes.model import (
    EMPTY_PREFIX,
    HTTP_METHODS,
    IncludeDecl,
    ModuleFacts,
    Prefix,
    RouteDecl,
    RouterDecl,
    Span,
)

ROUTE_MARKERS = re.compile(
    r"APIRouter|FastAPI|include_router|add_api_route|BaseSettings|"
    r"@[\w.]+\.(?:get|post|put|delete|patch|options|head|trace|api_route)\("
)
"""A module without any of these declares no route, router or include (checked before parsing)."""

ROUTER_FACTORIES = {"APIRouter": False, "FastAPI": True}
"""Constructor name → whether it builds an application."""


def module_name(path: str) -> str:
    """The dotted module of a relative POSIX path (``src/`` layouts supported)."""
    parts = path[: -len(".py")].split("/") if path.endswith(".py") else path.split("/")
    if parts and parts[-1] == "__init__":
        parts.pop()
    if len(parts) > 1 and parts[0] == "src":
        parts.pop(0)
    return ".".join(parts)


def is_package(path: str) -> bool:
    """True for a package's ``__init__.py``."""
    return path.endswith("__init__.py")


def scan_module(
    path: str,
    text: str,
    *,
    full: bool = False,
    tree_of: Callable[[], ast.Module | None] | None = None,
) -> ModuleFacts:
    """The facts of the module at ``path`` with source ``text``; never raises on bad code.

    Unless ``full``, a module without route markers is scanned for its imports only
    (``complete=False``). ``tree_of`` returns the caller's ``ast`` tree of ``text`` when it
    has one (an open document's), asked only when a tree is needed; ``None``: parse here;
    ``SyntaxError``: the text does not parse.
    """
    imports_only = scans_imports_only(text, full=full)
    if imports_only and "import" not in text:
        return ModuleFacts(path=path, module=module_name(path), complete=False)
    tree = parsed(text, tree_of)
    if tree is None:
        return unparsable(path, imports_only)
    scanner = Scanner(path, text.splitlines(), imports_only)
    return merge(path, [scanner.scan(tree.body)], complete=not imports_only)


def scans_imports_only(text: str, *, full: bool) -> bool:
    """True when ``text`` is scanned for its imports only (no route marker, not ``full``)."""
    return not full and ROUTE_MARKERS.search(text) is None


def parsed(text: str, tree_of: Callable[[], ast.Module | None] | None) -> ast.Module | None:
    """The caller's tree of ``text``, else ``text`` parsed here; ``None`` if it does not parse
    (``tree_of`` raises ``SyntaxError`` when the caller already knows that)."""
    try:
        tree = tree_of() if tree_of is not None else None
    except SyntaxError:
        return None
    if tree is not None:
        return tree
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def unparsable(path: str, imports_only: bool) -> ModuleFacts:
    """The facts of a module that does not parse: nothing but the error."""
    return ModuleFacts(
        path=path, module=module_name(path), syntax_error=True, complete=not imports_only
    )


@dataclass
class Partial:
    """What some top-level statements declare, merged in order into ``ModuleFacts``."""

    imports: list[tuple[str, tuple[str, str | None], bool]] = field(default_factory=list)
    """(local name, target, overwrite): ``import a.b`` binds ``a`` only if still unbound."""
    routers: dict[str, RouterDecl] = field(default_factory=dict)
    routes: list[RouteDecl] = field(default_factory=list)
    includes: list[IncludeDecl] = field(default_factory=list)
    constants: dict[str, str] = field(default_factory=dict)
    class_constants: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(
            self.imports
            or self.routers
            or self.routes
            or self.includes
            or self.constants
            or self.class_constants
        )

    def shifted(self, lines: int) -> Partial:
        """The same facts ``lines`` lines further down (text inserted above them)."""
        if not (self.routers or self.routes or self.includes):
            return self
        return Partial(
            self.imports,
            {
                name: RouterDecl(
                    decl.path,
                    decl.module,
                    decl.name,
                    decl.is_app,
                    decl.prefix,
                    decl.span.shifted(lines),
                    decl.line + lines,
                )
                for name, decl in self.routers.items()
            },
            [
                RouteDecl(
                    route.file,
                    route.owner,
                    route.methods,
                    route.path,
                    route.handler,
                    route.handler_span.shifted(lines),
                    route.declaration_span.shifted(lines),
                    route.response_model,
                    route.status_code,
                    route.line + lines,
                )
                for route in self.routes
            ],
            [
                IncludeDecl(include.parent, include.child, include.prefix, include.line + lines)
                for include in self.includes
            ],
            self.constants,
            self.class_constants,
        )


EMPTY_PARTIAL = Partial()
"""Shared by every statement that declares nothing (most of them)."""


def merge(path: str, parts: Iterable[Partial], *, complete: bool) -> ModuleFacts:
    """One module's facts from its statements' facts, in source order."""
    facts = ModuleFacts(path=path, module=module_name(path), complete=complete)
    imports, routers, class_constants = facts.imports, facts.routers, facts.class_constants
    for part in parts:
        if part is EMPTY_PARTIAL:
            continue
        for name, target, overwrite in part.imports:
            if overwrite:
                imports[name] = target
            else:
                imports.setdefault(name, target)
        for name, decl in part.routers.items():
            routers.setdefault(name, decl)
        facts.routes.extend(part.routes)
        facts.includes.extend(part.includes)
        facts.constants.update(part.constants)
        for name, value in part.class_constants.items():
            class_constants.setdefault(name, value)
    return facts


def _dotted(node: ast.expr) -> tuple[str, ...] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return tuple(reversed(parts))


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _prefix(node: ast.expr | None) -> Prefix:
    if node is None:
        return EMPTY_PREFIX
    literal = _string(node)
    if literal is not None:
        return Prefix(literal)
    return Prefix(None, _dotted(node) or (), ast.unparse(node))


_STATUS_NAME = re.compile(r"HTTP_(\d{3})_")


def _status(node: ast.expr | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return str(node.value)
    source = ast.unparse(node)
    match = _STATUS_NAME.search(source)
    return f"{match.group(1)} ({source})" if match else source


class Scanner:
    """Walks statements only (expressions are never traversed): routes live in statements."""

    def __init__(self, path: str, lines: list[str], imports_only: bool) -> None:
        self.path = path
        self.module = module_name(path)
        self.lines = lines
        """The module's lines, numbered as ``ast`` numbers them."""
        self.imports_only = imports_only
        self.package = self.module if is_package(path) else self.module.rpartition(".")[0]
        self.facts = EMPTY_PARTIAL

    def scan(self, body: list[ast.stmt]) -> Partial:
        """The facts ``body`` (top-level statements) declares."""
        self.facts = Partial()
        self.run(body)
        found, self.facts = self.facts, EMPTY_PARTIAL
        return found if found else EMPTY_PARTIAL

    def run(self, body: list[ast.stmt]) -> None:
        for node in body:
            self.statement(node)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Import):
            self.visit_Import(node)
        elif isinstance(node, ast.ImportFrom):
            self.visit_ImportFrom(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not self.imports_only:
                self._handler(node)
                self.run(node.body)
        elif isinstance(node, ast.ClassDef):
            self.visit_ClassDef(node)
        elif isinstance(node, ast.Assign):
            targets = [t for t in node.targets if isinstance(t, ast.Name)]
            self._assignment(targets, node.value, node)
        elif isinstance(node, ast.AnnAssign):
            if isinstance(node.target, ast.Name) and node.value is not None:
                self._assignment([node.target], node.value, node)
        elif isinstance(node, ast.Expr):
            if isinstance(node.value, ast.Call) and not self.imports_only:
                self._call(node.value)
        else:
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    self.run(inner)
            for part in [*getattr(node, "handlers", ()), *getattr(node, "cases", ())]:
                self.run(part.body)

    # --- positions ------------------------------------------------------------------------

    def _column(self, line: int, byte_column: int) -> int:
        if not 0 <= line < len(self.lines):
            return byte_column
        text = self.lines[line]
        if text.isascii():
            return byte_column
        return len(text.encode("utf-8")[:byte_column].decode("utf-8", errors="replace"))

    def _span(self, start: ast.AST, end: ast.AST | None = None) -> Span:
        end = end or start
        start_line = getattr(start, "lineno", 1) - 1
        end_lineno = getattr(end, "end_lineno", None)
        end_line = (end_lineno if isinstance(end_lineno, int) else start_line + 1) - 1
        return Span(
            start_line,
            self._column(start_line, getattr(start, "col_offset", 0)),
            end_line,
            self._column(end_line, getattr(end, "end_col_offset", None) or 0),
            self._ascii(start_line) and self._ascii(end_line),
        )

    def _decorated_span(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Span:
        """From the ``@`` of the first decorator to the end of the function."""
        span = self._span(node.decorator_list[0], node)
        text = self.lines[span.start_line] if span.start_line < len(self.lines) else ""
        at = text.rfind("@", 0, span.start_column)
        return replace(span, start_column=at) if at >= 0 else span

    def _ascii(self, line: int) -> bool:
        return not 0 <= line < len(self.lines) or self.lines[line].isascii()

    def _name_span(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Span:
        line = node.lineno - 1
        text = self.lines[line] if line < len(self.lines) else ""
        match = re.search(rf"\bdef\s+({re.escape(node.name)})\b", text)
        column = match.start(1) if match else self._column(line, node.col_offset)
        return Span(line, column, line, column + len(node.name), text.isascii())

    # --- imports --------------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.facts.imports.append((alias.asname, (alias.name, None), True))
            else:
                head = alias.name.split(".")[0]
                self.facts.imports.append((head, (head, None), False))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.package.split(".") if self.package else []
            keep = len(package) - (node.level - 1)
            if keep < 0:
                return
            base = ".".join([*package[:keep], *([base] if base else [])])
        for alias in node.names:
            if alias.name != "*":
                self.facts.imports.append((alias.asname or alias.name, (base, alias.name), True))

    # --- declarations ---------------------------------------------------------------------

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                value = _string(statement.value)
                if value is not None:
                    self.facts.class_constants.setdefault(statement.target.id, value)
        if not self.imports_only:
            self.run(node.body)

    def _assignment(self, targets: list[ast.Name], value: ast.expr, node: ast.stmt) -> None:
        if self.imports_only or not targets:
            return
        literal = _string(value)
        if literal is not None:
            if node.col_offset == 0:
                for target in targets:
                    self.facts.constants[target.id] = literal
            return
        if not isinstance(value, ast.Call):
            return
        factory = _dotted(value.func)
        if factory is None or factory[-1] not in ROUTER_FACTORIES:
            return
        is_app = ROUTER_FACTORIES[factory[-1]]
        prefix = EMPTY_PREFIX if is_app else _prefix(_keyword(value, "prefix"))
        for target in targets:
            self.facts.routers.setdefault(
                target.id,
                RouterDecl(
                    path=self.path,
                    module=self.module,
                    name=target.id,
                    is_app=is_app,
                    prefix=prefix,
                    span=self._span(target),
                    line=node.lineno,
                ),
            )

    def _handler(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self.imports_only or not node.decorator_list:
            return
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
                continue
            kind = decorator.func.attr
            owner = _dotted(decorator.func.value)
            if owner is None or (kind not in HTTP_METHODS and kind != "api_route"):
                continue
            path = _string(decorator.args[0] if decorator.args else _keyword(decorator, "path"))
            if path is None:
                continue
            self.facts.routes.append(
                RouteDecl(
                    file=self.path,
                    owner=owner,
                    methods=_methods(kind, decorator),
                    path=path,
                    handler=node.name,
                    handler_span=self._name_span(node),
                    declaration_span=self._decorated_span(node),
                    response_model=_source(_keyword(decorator, "response_model")),
                    status_code=_status(_keyword(decorator, "status_code")),
                    line=decorator.lineno,
                )
            )

    def _call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Attribute):
            return
        owner = _dotted(node.func.value)
        if owner is None:
            return
        if node.func.attr == "include_router":
            child_node = node.args[0] if node.args else _keyword(node, "router")
            child = _dotted(child_node) if child_node is not None else None
            if child is not None:
                self.facts.includes.append(
                    IncludeDecl(owner, child, _prefix(_keyword(node, "prefix")), node.lineno)
                )
        elif node.func.attr == "add_api_route":
            self._added_route(owner, node)

    def _added_route(self, owner: tuple[str, ...], node: ast.Call) -> None:
        path = _string(node.args[0] if node.args else _keyword(node, "path"))
        endpoint = node.args[1] if len(node.args) > 1 else _keyword(node, "endpoint")
        handler = _dotted(endpoint) if endpoint is not None else None
        if path is None or handler is None or endpoint is None:
            return
        self.facts.routes.append(
            RouteDecl(
                file=self.path,
                owner=owner,
                methods=_methods("api_route", node),
                path=path,
                handler=handler[-1],
                handler_span=self._span(endpoint),
                declaration_span=self._span(node),
                response_model=_source(_keyword(node, "response_model")),
                status_code=_status(_keyword(node, "status_code")),
                line=node.lineno,
            )
        )


def _methods(kind: str, call: ast.Call) -> tuple[str, ...]:
    if kind != "api_route":
        return (kind.upper(),)
    listed = _keyword(call, "methods")
    if isinstance(listed, (ast.List, ast.Tuple, ast.Set)):
        names = [_string(element) for element in listed.elts]
        methods = tuple(dict.fromkeys(name.upper() for name in names if name))
        if methods:
            return methods
    return ("GET",)


def _source(node: ast.expr | None) -> str | None:
    return None if node is None else ast.unparse(node)
