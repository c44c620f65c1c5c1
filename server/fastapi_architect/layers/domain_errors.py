"""FA104's fix: a service's ``raise HTTPException(...)`` becomes a domain error the API maps.

The scaffold's own pattern: services raise subclasses of ``ServiceError`` from their errors
module; the API layer's exception handler answers each one with the status code its mapping
(``STATUS_BY_ERROR``) names and ``{"detail": str(error)}`` — the response ``HTTPException``
gave. The fix finds (or creates) the errors module and a class for the status code, rewrites
the ``raise`` and the service's imports, and maps the class in the handler's mapping, or
creates that handler and registers it on the ``FastAPI`` application when there is none.

Pure: text and paths in, a ``ChangePlan`` out; files are read through ``ProjectFiles``.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import functools
import http
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from fastapi_architect.extract.import_root import find_import_root
from fastapi_architect.imports import ImportBinding, ImportStyle, newline_of, plan_imports
from fastapi_architect.imports import style_for_file as _style_for_file
from fastapi_architect.plan import ChangePlan, FileEdit, GeneratedFile
from fastapi_architect.project_files import (
    ProjectFiles,
    is_skipped_directory_name,
    read_text_or_none,
)
from fastapi_architect.textedit import TextEdit, TextPosition, apply_edits, split_lines

CODE = "FA104"
"""The diagnostic this module fixes: ``HTTPException`` raised in the service layer."""

HTTP_EXCEPTIONS = frozenset(
    {
        "fastapi.HTTPException",
        "fastapi.exceptions.HTTPException",
        "starlette.exceptions.HTTPException",
    }
)
FASTAPI_APPLICATIONS = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})
STATUS_MODULES = frozenset({"fastapi.status", "starlette.status"})
BASE_NAMES = ("ServiceError", "DomainError")
"""Names of an errors module's base class, in order of preference."""
MAX_SCANNED_FILES = 5000
"""Python files read while looking for the exception handlers and the application."""
REGISTER_FUNCTION = "register_exception_handlers"
ERRORS_MODULE_DOCSTRING = (
    '"""Domain errors raised by the services; the API maps each to an HTTP status code."""'
)

_STATUS_CONSTANT = re.compile(r"(?:fastapi|starlette)\.status\.HTTP_(\d{3})_\w+")
_NON_STRING_DETAIL = (
    ast.Dict,
    ast.List,
    ast.Set,
    ast.Tuple,
    ast.DictComp,
    ast.ListComp,
    ast.SetComp,
    ast.GeneratorExp,
)

_CONVENTIONAL: dict[int, tuple[str, str]] = {
    400: ("BadRequestError", "The request cannot be carried out as it was made"),
    401: ("AuthenticationError", "The caller could not be authenticated"),
    402: ("PaymentRequiredError", "The operation needs a payment first"),
    403: ("PermissionDeniedError", "The caller is not allowed to do this"),
    404: ("NotFoundError", "The requested object does not exist"),
    409: ("ConflictError", "The change conflicts with existing data"),
    410: ("GoneError", "The requested object existed but is gone for good"),
    412: ("PreconditionFailedError", "A precondition of the change does not hold"),
    422: ("UnprocessableError", "The input is well-formed but cannot be processed"),
    423: ("LockedError", "The object is locked"),
    429: ("TooManyRequestsError", "The caller made too many requests"),
    500: ("InternalServiceError", "The service failed in a way it could not recover from"),
    501: ("NotSupportedError", "The operation is not supported yet"),
    502: ("UpstreamError", "A service this one depends on answered with an error"),
    503: ("ServiceUnavailableError", "A service this one depends on is unavailable"),
    504: ("UpstreamTimeoutError", "A service this one depends on did not answer in time"),
}
"""Status code → the domain error class a fix creates, and its docstring."""

_STABLE_STATUS_NAMES = {
    code: f"HTTP_{code}_{http.HTTPStatus(code).name}"
    for code in (
        *(400, 401, 402, 403, 404, 405, 406, 408, 409, 410, 412, 423, 428, 429),
        *(500, 501, 502, 503, 504),
    )
}
"""``status`` constants whose name never changed between Starlette releases."""


class DomainErrorRefusal(ValueError):
    """The fix cannot be made; the message says why and what to do instead."""


@dataclass(frozen=True)
class RaisedHTTPException:
    """A ``raise HTTPException(...)`` the fix can rewrite."""

    statement: ast.Raise
    call: ast.Call
    status_code: int
    message: str
    """Python source of the domain error's argument (the detail, or the status phrase)."""
    replaced: tuple[ast.expr, ...]
    """The parts of the call that disappear (class, status code, ``headers=None``)."""


@dataclass(frozen=True)
class DomainErrorFix:
    """The planned fix and what it chose."""

    plan: ChangePlan
    root: Path
    error_class: str
    status_code: int
    errors_path: Path
    handler_path: Path | None
    """The module whose mapping gains the class (``None``: it was mapped already)."""
    registered_in: Path | None = None
    """The application module a new handler was registered in."""


@dataclass
class _Module:
    """A parsed module and what its imports bind."""

    path: Path
    text: str
    tree: ast.Module
    name: str
    bindings: dict[str, str] = field(default_factory=dict)
    """Bound name → the qualified name it stands for (``HE`` → ``fastapi.HTTPException``)."""

    @functools.cached_property
    def lines(self) -> list[str]:
        """The text's lines, with their line endings."""
        return split_lines(self.text)

    @classmethod
    def parse(cls, path: Path, text: str, name: str, tree: ast.Module | None = None) -> _Module:
        if tree is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text)
        module = cls(path, text, tree, name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _absolute(node, package)
                for alias in node.names:
                    if alias.name != "*":
                        module.bindings[alias.asname or alias.name] = f"{source}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        module.bindings[alias.asname] = alias.name
                    else:
                        head = alias.name.split(".")[0]
                        module.bindings[head] = head
        return module

    def qualify(self, expr: ast.expr) -> str | None:
        """The qualified name ``expr`` refers to through the imports (``None``: not imported)."""
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        head = self.bindings.get(expr.id)
        if head is None:
            return None
        return ".".join([head, *reversed(parts)])

    def classes(self) -> dict[str, list[str]]:
        """Top-level classes and the names of their bases."""
        return {
            node.name: [name for base in node.bases if (name := _last_name(base)) is not None]
            for node in self.tree.body
            if isinstance(node, ast.ClassDef)
        }

    def position(self, line: int, byte_column: int) -> TextPosition:
        """The code-point position of an ``ast`` (1-based line, UTF-8 column) location."""
        lines = self.lines
        if line - 1 >= len(lines):
            return TextPosition(line - 1, 0)
        encoded = lines[line - 1].encode("utf-8")
        return TextPosition(line - 1, len(encoded[:byte_column].decode("utf-8", "replace")))

    def start(self, node: ast.expr | ast.stmt) -> TextPosition:
        return self.position(node.lineno, node.col_offset)

    def end(self, node: ast.expr | ast.stmt) -> TextPosition:
        return self.position(node.end_lineno or node.lineno, node.end_col_offset or 0)


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".") if package else []
    base = parts[: max(len(parts) - (node.level - 1), 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _last_name(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


def status_code_of(module: _Module, expr: ast.expr) -> int | None:
    """The status code ``expr`` spells: a literal, ``status.HTTP_…`` or ``HTTPStatus.…``."""
    if isinstance(expr, ast.Constant) and type(expr.value) is int:
        return expr.value
    qualified = module.qualify(expr)
    if qualified is None:
        return None
    matched = _STATUS_CONSTANT.fullmatch(qualified)
    if matched is not None:
        return int(matched.group(1))
    prefix = "http.HTTPStatus."
    if qualified.startswith(prefix):
        member = qualified[len(prefix) :].removesuffix(".value")
        if member in http.HTTPStatus.__members__:
            return int(http.HTTPStatus[member])
    return None


def find_raise(tree: ast.Module, line: int) -> ast.Raise | None:
    """The innermost ``raise`` statement spanning the 0-based ``line``."""
    found: ast.Raise | None = None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Raise)
            and node.lineno - 1 <= line <= (node.end_lineno or node.lineno) - 1
            and (found is None or node.lineno >= found.lineno)
        ):
            found = node
    return found


def inspect_raise(module: _Module, line: int) -> RaisedHTTPException:
    """The ``raise HTTPException(...)`` at ``line``, checked to be rewritable."""
    statement = find_raise(module.tree, line)
    if statement is None:
        raise DomainErrorRefusal(f"there is no raise statement on line {line + 1}")
    call = statement.exc
    if not isinstance(call, ast.Call) or module.qualify(call.func) not in HTTP_EXCEPTIONS:
        raise DomainErrorRefusal("this raise does not raise fastapi's HTTPException(...)")
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
        keyword.arg is None for keyword in call.keywords
    ):
        raise DomainErrorRefusal("the HTTPException's arguments are unpacked (*args, **kwargs)")
    arguments: dict[str, ast.expr] = dict(
        zip(("status_code", "detail", "headers"), call.args, strict=False)
    )
    for keyword in call.keywords:
        if keyword.arg not in ("status_code", "detail", "headers") or keyword.arg in arguments:
            raise DomainErrorRefusal(f"unexpected HTTPException argument {keyword.arg!r}")
        arguments[keyword.arg] = keyword.value
    if len(call.args) > 3:
        raise DomainErrorRefusal("HTTPException takes at most three positional arguments")
    headers = arguments.get("headers")
    if headers is not None and not _is_none(headers):
        raise DomainErrorRefusal(
            "HTTPException(headers=...) cannot become a domain error: the exception handler "
            "answers with a status code and a detail, not headers; raise it from the API layer"
        )
    code_expr = arguments.get("status_code")
    if code_expr is None:
        raise DomainErrorRefusal("the HTTPException has no status code")
    code = status_code_of(module, code_expr)
    if code is None:
        raise DomainErrorRefusal("the status code is neither a number nor a status.HTTP_… constant")
    if not 400 <= code <= 599 or code not in http.HTTPStatus._value2member_map_:
        raise DomainErrorRefusal(f"{code} is not an HTTP error status code")
    detail = arguments.get("detail")
    if detail is None or _is_none(detail):
        message = _string_literal(http.HTTPStatus(code).phrase)
    elif isinstance(detail, _NON_STRING_DETAIL) or (
        isinstance(detail, ast.Constant) and not isinstance(detail.value, str)
    ):
        raise DomainErrorRefusal(
            "the detail is not a string: the exception handler answers with str(error), "
            "so the response body would change"
        )
    else:
        message = ast.get_source_segment(module.text, detail) or ""
        if "\n" in message or "\r" in message:
            message = f"({message})"
    replaced = [call.func, code_expr] + ([headers] if headers is not None else [])
    if detail is not None and _is_none(detail):
        replaced.append(detail)
    return RaisedHTTPException(statement, call, code, message, tuple(replaced))


def raise_at(text: str, line: int, tree: ast.Module | None = None) -> RaisedHTTPException:
    """The rewritable ``raise HTTPException(...)`` on 0-based ``line`` of ``text`` (a cheap
    check of the statement alone); raises ``DomainErrorRefusal`` with the reason otherwise."""
    try:
        module = _Module.parse(Path(), text, "", tree)
    except (SyntaxError, ValueError) as error:
        raise DomainErrorRefusal("the module does not parse") from error
    return inspect_raise(module, line)


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _string_literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def conventional_class(code: int) -> tuple[str, str]:
    """The domain error class name a fix creates for ``code``, and its docstring sentence."""
    if code in _CONVENTIONAL:
        return _CONVENTIONAL[code]
    phrase = http.HTTPStatus(code).phrase
    name = "".join(word.capitalize() for word in re.findall(r"[A-Za-z]+", phrase)) + "Error"
    if hasattr(builtins, name):
        name = "Service" + name
    return name, f"The request fails with {phrase}"


# --- the errors module ------------------------------------------------------------------------


@dataclass
class _ErrorsModule:
    path: Path
    name: str
    module: _Module | None
    """``None``: the module does not exist yet."""
    classes: dict[str, list[str]]
    base: str | None

    def derives(self, name: str) -> bool:
        """True when class ``name`` derives from the base class (inside this module)."""
        seen: set[str] = set()
        pending = [name]
        while pending:
            current = pending.pop()
            if current == self.base:
                return True
            if current in seen:
                continue
            seen.add(current)
            pending.extend(self.classes.get(current, ()))
        return False


def _errors_path(service: Path, root: Path, files: ProjectFiles) -> Path:
    """Where the service layer's errors live: the ``services`` package's, else its own folder's."""
    folder = service.parent
    for parent in service.parents:
        if parent.name == "services":
            folder = parent
            break
        if parent == root or parent.parent == parent:
            break
    for name in ("errors.py", "exceptions.py"):
        if files.is_file(folder / name):
            return folder / name
    return folder / "errors.py"


def _find_base(classes: dict[str, list[str]]) -> str | None:
    for name in BASE_NAMES:
        if name in classes:
            return name
    derived_from = {base for bases in classes.values() for base in bases}
    roots = [
        name for name, bases in classes.items() if bases == ["Exception"] and name in derived_from
    ]
    return roots[0] if len(roots) == 1 else None


def _load_errors(path: Path, name: str, files: ProjectFiles) -> _ErrorsModule:
    text = read_text_or_none(files, path) if files.is_file(path) else None
    if text is None:
        if files.exists(path):
            raise DomainErrorRefusal(f"cannot read {path.name}")
        return _ErrorsModule(path, name, None, {}, None)
    try:
        module = _Module.parse(path, text, name)
    except (SyntaxError, ValueError) as error:
        raise DomainErrorRefusal(f"{path.name} does not parse; fix it first") from error
    classes = module.classes()
    return _ErrorsModule(path, name, module, classes, _find_base(classes))


# --- the project's handlers and application -----------------------------------------------------


@dataclass(frozen=True)
class _Mapping:
    """A handler's status mapping: a module-level dict of error class → status code."""

    module: _Module
    node: ast.Dict
    codes: dict[str, int | None]
    """Mapped errors-module class → its status code (``None``: not a literal)."""


@dataclass
class _Project:
    """What a walk of the project found."""

    handler_sites: list[tuple[_Module, ast.FunctionDef | ast.AsyncFunctionDef | None, int]] = field(
        default_factory=list
    )
    """Registrations of a handler for the base class: (module, the handler, line)."""
    applications: list[tuple[_Module, ast.Assign | ast.AnnAssign, str]] = field(
        default_factory=list
    )
    """``name = FastAPI(...)`` statements outside tests."""


class _Scanner:
    def __init__(self, root: Path, import_root: Path, files: ProjectFiles) -> None:
        self.root = root
        self.import_root = import_root
        self.files = files
        self.parsed: dict[Path, _Module | None] = {}

    def module_name(self, path: Path) -> str:
        try:
            parts = list(path.relative_to(self.import_root).with_suffix("").parts)
        except ValueError:
            return ""
        if parts and parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)

    def path_of(self, module: str) -> Path | None:
        base = self.import_root.joinpath(*module.split("."))
        for candidate in (base.with_name(base.name + ".py"), base / "__init__.py"):
            if self.files.is_file(candidate):
                return candidate
        return None

    def parse(self, path: Path, text: str | None = None) -> _Module | None:
        if path in self.parsed:
            return self.parsed[path]
        text = read_text_or_none(self.files, path) if text is None else text
        module: _Module | None = None
        if text is not None:
            try:
                module = _Module.parse(path, text, self.module_name(path))
            except (SyntaxError, ValueError):
                module = None
        self.parsed[path] = module
        return module

    def python_files(self) -> Iterator[Path]:
        """Python files under the root, tests, virtualenvs and hidden folders left out."""
        pending = [self.root]
        count = 0
        while pending:
            folder = pending.pop()
            try:
                entries = self.files.iterdir(folder)
            except OSError:
                continue
            for entry in entries:
                if entry.suffix == ".py" and self.files.is_file(entry):
                    count += 1
                    if count > MAX_SCANNED_FILES:
                        return
                    yield entry
                elif self.files.is_dir(entry) and not _skipped_folder(entry, self.files):
                    pending.append(entry)

    def scan(self, base_qualified: str) -> _Project:
        found = _Project()
        for path in self.python_files():
            text = read_text_or_none(self.files, path)
            if text is None or ("exception_handler" not in text and "FastAPI" not in text):
                continue
            module = self.parse(path, text)
            if module is None:
                continue
            self._handlers(module, base_qualified, found)
            self._applications(module, found)
        return found

    def _is_base(self, module: _Module, expr: ast.expr, base_qualified: str) -> bool:
        qualified = module.qualify(expr)
        if qualified is None and isinstance(expr, ast.Name):
            qualified = f"{module.name}.{expr.id}"
        return qualified == base_qualified

    def _handlers(self, module: _Module, base_qualified: str, found: _Project) -> None:
        if "exception_handler" not in module.text:
            return
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call) and _last_name(node.func) == "add_exception_handler":
                if len(node.args) >= 2 and self._is_base(module, node.args[0], base_qualified):
                    found.handler_sites.append((*self._function(module, node.args[1]), node.lineno))
            elif isinstance(node, ast.keyword) and node.arg == "exception_handlers":
                # FastAPI(exception_handlers={ServiceError: handler, ...})
                if isinstance(node.value, ast.Dict):
                    for key, value in zip(node.value.keys, node.value.values, strict=True):
                        if key is not None and self._is_base(module, key, base_qualified):
                            found.handler_sites.append((*self._function(module, value), key.lineno))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    if (
                        isinstance(decorator, ast.Call)
                        and _last_name(decorator.func) == "exception_handler"
                        and decorator.args
                        and self._is_base(module, decorator.args[0], base_qualified)
                    ):
                        found.handler_sites.append((module, node, decorator.lineno))

    def _function(
        self, module: _Module, expr: ast.expr
    ) -> tuple[_Module, ast.FunctionDef | ast.AsyncFunctionDef | None]:
        """The handler function ``expr`` names: defined here or imported from the project."""
        if not isinstance(expr, ast.Name):
            return module, None
        local = _top_function(module.tree, expr.id)
        if local is not None:
            return module, local
        qualified = module.qualify(expr)
        if qualified is None:
            return module, None
        source, _, name = qualified.rpartition(".")
        path = self.path_of(source)
        other = self.parse(path) if path is not None else None
        if other is None:
            return module, None
        return other, _top_function(other.tree, name)

    def _applications(self, module: _Module, found: _Project) -> None:
        if "FastAPI" not in module.text:
            return
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target: ast.expr = node.targets[0]
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target = node.target
            else:
                continue
            value = node.value
            if (
                isinstance(target, ast.Name)
                and isinstance(value, ast.Call)
                and module.qualify(value.func) in FASTAPI_APPLICATIONS
            ):
                found.applications.append((module, node, target.id))


def _skipped_folder(folder: Path, files: ProjectFiles) -> bool:
    name = folder.name
    return (
        is_skipped_directory_name(name)
        or name.startswith(".")
        or name in ("tests", "test")
        or files.is_file(folder / "pyvenv.cfg")
    )


def _top_function(tree: ast.Module, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    return next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name
        ),
        None,
    )


def _mapping_of(
    module: _Module,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    errors: _ErrorsModule,
) -> _Mapping | None:
    """The module-level dict the handler function reads, with its errors-module keys."""
    used = {node.id for node in ast.walk(function) if isinstance(node, ast.Name)}
    for statement in module.tree.body:
        target: ast.expr | None = None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        elif isinstance(statement, ast.AnnAssign):
            target = statement.target
        value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
        if not (isinstance(target, ast.Name) and target.id in used and isinstance(value, ast.Dict)):
            continue
        codes: dict[str, int | None] = {}
        for key, code in zip(value.keys, value.values, strict=True):
            if key is None:
                continue
            qualified = module.qualify(key)
            if qualified is None and isinstance(key, ast.Name) and module.path == errors.path:
                qualified = f"{errors.name}.{key.id}"
            if qualified is not None and qualified.rpartition(".")[0] == errors.name:
                codes[qualified.rpartition(".")[2]] = status_code_of(module, code)
        return _Mapping(module, value, codes)
    return None


# --- planning -----------------------------------------------------------------------------------


class _Edits:
    """Edits per existing file and files to create, merged into one ``ChangePlan``."""

    def __init__(self, root: Path, import_root: Path) -> None:
        self.root = root
        self.import_root = import_root
        self.edits: dict[Path, list[TextEdit]] = {}
        self.creates: dict[Path, str] = {}

    def relative(self, path: Path) -> PurePosixPath:
        return PurePosixPath(path.relative_to(self.root).as_posix())

    def plan(self, label: str) -> ChangePlan:
        return ChangePlan(
            label=label,
            creates=tuple(
                GeneratedFile(self.relative(path), text) for path, text in self.creates.items()
            ),
            edits=tuple(
                FileEdit(self.relative(path), tuple(edits))
                for path, edits in self.edits.items()
                if edits
            ),
        )


def _style(path: Path, first_party: Sequence[str], import_root: Path) -> ImportStyle:
    """The file's import style, knowing the project's own modules (some not written yet)."""
    style, _ = _style_for_file(path)
    roots = (
        style.source_roots
        if import_root in style.source_roots
        else (
            *style.source_roots,
            import_root,
        )
    )
    return dataclasses.replace(
        style,
        source_roots=roots,
        first_party_modules=style.first_party_modules | frozenset(first_party),
    )


def _with_newlines(text: str, newline: str) -> str:
    return text.replace("\n", newline) if newline != "\n" else text


def _class_source(name: str, base: str, doc: str, code: int | None) -> str:
    suffix = f" (HTTP {code})" if code is not None else ""
    return f'class {name}({base}):\n    """{doc}{suffix}."""\n'


def _append_classes(module: _Module, classes: Sequence[str]) -> TextEdit:
    """Add ``classes`` at the end of the module, two blank lines apart."""
    text = module.text
    newline = newline_of(text)
    kept = len(text.rstrip())
    lines = split_lines(text[:kept])
    start = TextPosition(len(lines) - 1, len(lines[-1])) if lines else TextPosition(0, 0)
    tail = split_lines(text)
    end = TextPosition(len(tail), 0) if text.endswith(("\n", "\r")) else _text_end(tail)
    prefix = "\n\n\n" if kept else ""
    body = prefix + "\n\n".join(classes)
    return TextEdit(start, end, _with_newlines(body, newline))


def _text_end(lines: Sequence[str]) -> TextPosition:
    return TextPosition(len(lines) - 1, len(lines[-1])) if lines else TextPosition(0, 0)


def _status_value(module: _Module | None, code: int) -> str:
    """How the mapping spells ``code``: ``status.HTTP_…`` where the module imports ``status``."""
    constant = _STABLE_STATUS_NAMES.get(code)
    if module is not None and constant is not None:
        for bound, qualified in module.bindings.items():
            if qualified in STATUS_MODULES:
                return f"{bound}.{constant}"
    return str(code)


def _mapping_entry(mapping: _Mapping, entry: str) -> list[TextEdit]:
    """Edits adding ``entry`` (``Class: code``) to the mapping dict."""
    module, node = mapping.module, mapping.node
    if not node.values:
        return [TextEdit(module.start(node), module.end(node), "{" + entry + "}")]
    last = node.values[-1]
    last_end = module.end(last)
    closing = module.end(node)
    if (last.end_lineno or last.lineno) == (node.end_lineno or node.lineno):
        return [TextEdit(last_end, last_end, f", {entry}")]
    lines = module.lines
    between = module.text[
        _offset(lines, last_end) : _offset(lines, TextPosition(closing.line, closing.column - 1))
    ]
    first_key = node.keys[-1] if node.keys[-1] is not None else last
    key_line = lines[first_key.lineno - 1]
    indent = key_line[: len(key_line) - len(key_line.lstrip())]
    newline = newline_of(module.text)
    edits = [] if "," in _code_only(between) else [TextEdit(last_end, last_end, ",")]
    brace_line = TextPosition(closing.line, 0)
    edits.append(TextEdit(brace_line, brace_line, f"{indent}{entry},{newline}"))
    return edits


def _code_only(text: str) -> str:
    return "".join(line.split("#", 1)[0] for line in text.splitlines())


def _offset(lines: Sequence[str], position: TextPosition) -> int:
    return sum(len(line) for line in lines[: position.line]) + position.column


def _names_left(module: _Module, raised: RaisedHTTPException) -> set[str]:
    """Names the rewrite removes that nothing else in the module uses any more."""
    removed: dict[str, int] = {}
    for part in raised.replaced:
        for node in ast.walk(part):
            if isinstance(node, ast.Name):
                removed[node.id] = removed.get(node.id, 0) + 1
    total: dict[str, int] = {}
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Name) and node.id in removed:
            total[node.id] = total.get(node.id, 0) + 1
    return {
        name
        for name, count in removed.items()
        if total.get(name, 0) == count and name in module.bindings
    }


def plan_domain_error(
    text: str,
    path: Path,
    line: int,
    *,
    root: Path,
    files: ProjectFiles,
    tree: ast.Module | None = None,
) -> DomainErrorFix:
    """Plan the FA104 fix for the ``raise HTTPException(...)`` on 0-based ``line`` of ``path``.

    ``root`` is the workspace folder: nothing outside it is read or written. Raises
    ``DomainErrorRefusal`` with the reason when the fix cannot keep the HTTP behaviour.
    """
    found = find_import_root(path, files, root)
    import_root = found[0] if found is not None else root
    scanner = _Scanner(root, import_root, files)
    try:
        service = _Module.parse(path, text, scanner.module_name(path), tree)
    except (SyntaxError, ValueError) as error:
        raise DomainErrorRefusal("the service module does not parse") from error
    scanner.parsed[path] = service
    raised = inspect_raise(service, line)
    code = raised.status_code

    errors_path = _errors_path(path, root, files)
    if errors_path == path:
        raise DomainErrorRefusal("the service is its own errors module")
    errors_name = scanner.module_name(errors_path)
    if not errors_name:
        raise DomainErrorRefusal(f"{errors_path.name} is outside the project's import root")
    errors = _load_errors(errors_path, errors_name, files)
    base = errors.base or BASE_NAMES[0]
    if errors.base is None and base in errors.classes:
        raise DomainErrorRefusal(f"{base} in {errors_path.name} is not an exception base class")
    errors.base = base

    project = scanner.scan(f"{errors_name}.{base}")
    mapping: _Mapping | None = None
    if errors.module is not None and project.handler_sites:
        for module, function, _ in project.handler_sites:
            mapping = _mapping_of(module, function, errors) if function is not None else None
            if mapping is not None:
                break
        if mapping is None:
            module, _, site = project.handler_sites[0]
            raise DomainErrorRefusal(
                f"the {base} handler registered in {module.path.name}:{site} has no mapping "
                "of error classes to status codes (like STATUS_BY_ERROR) to extend; "
                "map the new error there by hand"
            )

    mapped = mapping.codes if mapping is not None else {}
    reused = next(
        (
            name
            for name, mapped_code in mapped.items()
            if mapped_code == code and errors.derives(name)
        ),
        None,
    )
    new_classes: list[str] = []
    if errors.module is None or base not in errors.classes:
        new_classes.append(
            _class_source(
                base, "Exception", "Base class of the errors a service raises on purpose", None
            )
        )
    if reused is not None:
        error_class = reused
    else:
        error_class, doc = conventional_class(code)
        if error_class in errors.classes:
            if not errors.derives(error_class):
                raise DomainErrorRefusal(
                    f"{error_class} in {errors_path.name} does not derive from {base}"
                )
            if error_class in mapped:
                raise DomainErrorRefusal(
                    f"{error_class} is mapped to {mapped[error_class]}, not to {code}"
                )
        else:
            new_classes.append(_class_source(error_class, base, doc, code))

    bound = service.bindings.get(error_class)
    if bound is not None and bound != f"{errors_name}.{error_class}":
        raise DomainErrorRefusal(f"{error_class} already names {bound} in this module")
    if any(
        isinstance(node, ast.ClassDef | ast.FunctionDef) and node.name == error_class
        for node in service.tree.body
    ):
        raise DomainErrorRefusal(f"{error_class} is already defined in this module")

    edits = _Edits(root, import_root)
    _rewrite_raise(service, raised, error_class, errors_name, edits)
    _write_classes(errors, new_classes, edits)
    handler_path: Path | None = None
    registered_in: Path | None = None
    if mapping is not None:
        if error_class not in mapped:
            handler_path = mapping.module.path
            _extend_mapping(mapping, errors, error_class, code, edits)
    else:
        handler_path, registered_in = _create_handler(
            scanner, project, errors, error_class, code, edits
        )
    label = f"Raise {error_class} instead of HTTPException (HTTP {code})"
    return DomainErrorFix(
        plan=edits.plan(label),
        root=root,
        error_class=error_class,
        status_code=code,
        errors_path=errors_path,
        handler_path=handler_path,
        registered_in=registered_in,
    )


def _rewrite_raise(
    service: _Module,
    raised: RaisedHTTPException,
    error_class: str,
    errors_name: str,
    edits: _Edits,
) -> None:
    call = raised.call
    replacement = TextEdit(
        service.start(call), service.end(call), f"{error_class}({raised.message})"
    )
    unused = _names_left(service, raised)
    package = (
        service.name if service.path.name == "__init__.py" else service.name.rpartition(".")[0]
    )
    imports = plan_imports(
        service.text,
        add=[ImportBinding(errors_name, error_class)],
        remove=unused,
        style=_style(service.path, [errors_name], edits.import_root),
        package=package,
    )
    edits.edits.setdefault(service.path, []).extend([replacement, *imports])


def _write_classes(errors: _ErrorsModule, classes: list[str], edits: _Edits) -> None:
    if not classes:
        return
    if errors.module is None:
        edits.creates[errors.path] = ERRORS_MODULE_DOCSTRING + "\n\n\n" + "\n\n".join(classes)
        return
    edits.edits.setdefault(errors.path, []).append(_append_classes(errors.module, classes))


def _extend_mapping(
    mapping: _Mapping, errors: _ErrorsModule, error_class: str, code: int, edits: _Edits
) -> None:
    module = mapping.module
    entry = f"{error_class}: {_status_value(module, code)}"
    changes = _mapping_entry(mapping, entry)
    if module.path != errors.path:
        package = (
            module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
        )
        changes += plan_imports(
            module.text,
            add=[ImportBinding(errors.name, error_class)],
            style=_style(module.path, [errors.name], edits.import_root),
            package=package,
        )
    edits.edits.setdefault(module.path, []).extend(changes)


_HANDLER_MODULE = '''\
"""Answer the services' domain errors with the status code each one stands for."""

STATUS_BY_ERROR: dict[type[{base}], int] = {{
    {error_class}: {code},
}}


async def service_error_handler(request: Request, error: Exception) -> JSONResponse:
    """Answer a mapped ``{base}`` with its status code and its message as ``detail``."""
    for kind, status_code in STATUS_BY_ERROR.items():
        if isinstance(error, kind):
            return JSONResponse(status_code=status_code, content={{"detail": str(error)}})
    raise error


def {register}(application: FastAPI) -> None:
    """Install the services' error handler on ``application``."""
    application.add_exception_handler({base}, service_error_handler)
'''


def _create_handler(
    scanner: _Scanner,
    project: _Project,
    errors: _ErrorsModule,
    error_class: str,
    code: int,
    edits: _Edits,
) -> tuple[Path, Path]:
    """Create the handler module and register it where the application is built."""
    base = errors.base or BASE_NAMES[0]
    if not project.applications:
        raise DomainErrorRefusal(
            f"no handler for {base} and no `app = FastAPI(...)` found to register one on; "
            f"add an exception handler for {base} first"
        )
    if len(project.applications) > 1:
        places = ", ".join(
            f"{module.path.name}:{node.lineno}" for module, node, _ in project.applications[:3]
        )
        raise DomainErrorRefusal(
            f"no handler for {base}, and several FastAPI applications ({places}); "
            f"register an exception handler for {base} on the right one first"
        )
    app_module, statement, app_name = project.applications[0]
    handler_path = _handler_path(errors, app_module, scanner.files)
    handler_name = scanner.module_name(handler_path)
    if not handler_name:
        raise DomainErrorRefusal(f"{handler_path} is outside the project's import root")
    if REGISTER_FUNCTION in app_module.bindings or _top_function(
        app_module.tree, REGISTER_FUNCTION
    ):
        raise DomainErrorRefusal(
            f"{app_module.path.name} already has a {REGISTER_FUNCTION}; "
            f"register an exception handler for {base} there"
        )

    wanted = [
        ImportBinding("fastapi", "FastAPI"),
        ImportBinding("fastapi", "Request"),
        ImportBinding("fastapi.responses", "JSONResponse"),
        ImportBinding(errors.name, base),
        ImportBinding(errors.name, error_class),
    ]
    status_text = str(code)
    if code in _STABLE_STATUS_NAMES:
        status_text = f"status.{_STABLE_STATUS_NAMES[code]}"
        wanted.append(ImportBinding("fastapi", "status"))
    body = _HANDLER_MODULE.format(
        base=base, error_class=error_class, code=status_text, register=REGISTER_FUNCTION
    )
    style = _style(app_module.path, [errors.name, handler_name], scanner.import_root)
    content = apply_edits(body, plan_imports(body, add=wanted, style=style))
    newline = newline_of(app_module.text)
    edits.creates[handler_path] = _with_newlines(content, newline)

    lines = app_module.lines
    first = lines[statement.lineno - 1]
    indent = first[: len(first) - len(first.lstrip())]
    after = TextPosition(statement.end_lineno or statement.lineno, 0)
    if after.line >= len(lines) and not app_module.text.endswith(("\n", "\r")):
        registration = f"{newline}{indent}{REGISTER_FUNCTION}({app_name})"
        after = _text_end(lines)
    else:
        registration = f"{indent}{REGISTER_FUNCTION}({app_name}){newline}"
    package = (
        app_module.name
        if app_module.path.name == "__init__.py"
        else app_module.name.rpartition(".")[0]
    )
    imports = plan_imports(
        app_module.text,
        add=[ImportBinding(handler_name, REGISTER_FUNCTION)],
        style=style,
        package=package,
    )
    edits.edits.setdefault(app_module.path, []).extend(
        [TextEdit(after, after, registration), *imports]
    )
    return handler_path, app_module.path


def _handler_path(errors: _ErrorsModule, app_module: _Module, files: ProjectFiles) -> Path:
    """``api/errors.py`` next to a ``services`` package, else beside the application module."""
    services = errors.path.parent
    api = services.parent / "api"
    if services.name == "services" and files.is_dir(api):
        for name in ("errors.py", "exception_handlers.py"):
            if not files.exists(api / name):
                return api / name
    candidate = app_module.path.parent / "exception_handlers.py"
    if files.exists(candidate):
        raise DomainErrorRefusal(
            f"{candidate.name} exists but registers no handler for {errors.base}; "
            "add the handler there by hand"
        )
    return candidate
