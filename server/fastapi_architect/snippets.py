"""The Depends snippets: load ``snippets/*.code-snippets``, parse and expand their bodies.

The snippet file is the single source shared with the VS Code client, which contributes it
as-is. The server reads the same file (from the wheel's ``_data/snippets`` or from the
repository in a development install), parses each body with VS Code's snippet grammar
(tabstops, nested placeholders, choices, variables, transforms, escapes) and can

- expand a body to plain text with every placeholder at its default (for clients without
  snippet support, and to prove every snippet compiles),
- render a body back to snippet syntax with variables already resolved (clients' snippet
  engines differ in their variable support), and
- classify where a snippet belongs: at module level, or inside a parameter list.

Nothing here imports pygls or lsprotocol.
"""

from __future__ import annotations

import ast
import builtins
import enum
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SNIPPET_FILE_NAME = "fastapi-depends.code-snippets"
"""The one snippet file; the VS Code client contributes exactly this path."""

INDENT = "    "
"""What a leading tab of a snippet body becomes (VS Code uses the editor's indentation)."""


class SnippetSyntaxError(ValueError):
    """A snippet body does not follow VS Code's snippet grammar."""


class SnippetFileError(ValueError):
    """The snippet file is missing, is not valid JSON, or has a malformed entry."""


# --- the snippet grammar ------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Literal text (escapes already removed)."""

    value: str


@dataclass(frozen=True)
class Transform:
    """``/regex/format/options`` applied to a tabstop's or a variable's value."""

    pattern: str
    format: str
    options: str

    def apply(self, value: str) -> str:
        """Apply the transform the way VS Code does (a subset of its format syntax)."""
        flags = 0
        if "i" in self.options:
            flags |= re.IGNORECASE
        if "m" in self.options:
            flags |= re.MULTILINE
        try:
            regex = re.compile(self.pattern, flags)
        except re.error:
            return value
        count = 0 if "g" in self.options else 1
        return regex.sub(lambda match: _format_match(self.format, match), value, count=count)


@dataclass(frozen=True)
class Tabstop:
    """``$1``, ``${1}``, ``${1:default}``, ``${1|a,b|}`` or ``${1/re/fmt/}``."""

    index: int
    children: tuple[Node, ...] | None = None
    """The placeholder's default (may nest other placeholders); ``None`` for a bare tabstop."""
    choices: tuple[str, ...] | None = None
    transform: Transform | None = None


@dataclass(frozen=True)
class Variable:
    """``$NAME``, ``${NAME}``, ``${NAME:default}`` or ``${NAME/re/fmt/}``."""

    name: str
    children: tuple[Node, ...] | None = None
    transform: Transform | None = None


Node = Text | Tabstop | Variable

_DIGITS = re.compile(r"\d+")
_VARIABLE_NAME = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_FORMAT = re.compile(
    r"\$(\d+)|\$\{(\d+)\}|\$\{(\d+):(/upcase|/downcase|/capitalize|/camelcase|/pascalcase"
    r"|\+[^}]*|\?[^:}]*:[^}]*|-[^}]*|[^}]*)\}"
)


def _format_match(format_text: str, match: re.Match[str]) -> str:
    def group(index: str) -> str:
        number = int(index)
        if number > (match.re.groups or 0):
            return ""
        return match.group(number) or ""

    def replace(piece: re.Match[str]) -> str:
        if piece.group(1) is not None:
            return group(piece.group(1))
        if piece.group(2) is not None:
            return group(piece.group(2))
        value = group(piece.group(3))
        how = piece.group(4)
        if how == "/upcase":
            return value.upper()
        if how == "/downcase":
            return value.lower()
        if how == "/capitalize":
            return value[:1].upper() + value[1:]
        if how in {"/camelcase", "/pascalcase"}:
            words = [w for w in re.split(r"[_\-\s]+", value) if w]
            joined = "".join(w[:1].upper() + w[1:] for w in words)
            return joined[:1].lower() + joined[1:] if how == "/camelcase" else joined
        if how.startswith("+"):
            return how[1:] if value else ""
        if how.startswith("?"):
            if_text, _, else_text = how[1:].partition(":")
            return if_text if value else else_text
        fallback = how[1:] if how.startswith("-") else how
        return value or fallback

    return _FORMAT.sub(replace, format_text)


class _Parser:
    """A recursive-descent parser for one snippet body."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0

    def error(self, message: str) -> SnippetSyntaxError:
        return SnippetSyntaxError(f"{message} at offset {self.pos}: {self.source!r}")

    def parse(self) -> tuple[Node, ...]:
        nodes = self.nodes(inside_placeholder=False)
        if self.pos != len(self.source):  # pragma: no cover - nodes() consumes everything
            raise self.error("unexpected text")
        return nodes

    def nodes(self, inside_placeholder: bool) -> tuple[Node, ...]:
        result: list[Node] = []
        text: list[str] = []
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char == "\\" and self.pos + 1 < len(source) and source[self.pos + 1] in "$}\\":
                text.append(source[self.pos + 1])
                self.pos += 2
            elif char == "}" and inside_placeholder:
                break
            elif char == "$":
                node = self.dollar()
                if node is None:
                    text.append("$")
                    self.pos += 1
                    continue
                if text:
                    result.append(Text("".join(text)))
                    text = []
                result.append(node)
            else:
                text.append(char)
                self.pos += 1
        if text:
            result.append(Text("".join(text)))
        return tuple(result)

    def dollar(self) -> Node | None:
        """Parse what starts at a ``$``; ``None`` when it is a literal dollar sign."""
        source = self.source
        start = self.pos + 1
        digits = _DIGITS.match(source, start)
        if digits:
            self.pos = digits.end()
            return Tabstop(int(digits.group()))
        name = _VARIABLE_NAME.match(source, start)
        if name:
            self.pos = name.end()
            return Variable(name.group())
        if not source.startswith("{", start):
            return None
        self.pos = start + 1
        digits = _DIGITS.match(source, self.pos)
        if digits:
            self.pos = digits.end()
            return self.tabstop_body(int(digits.group()))
        name = _VARIABLE_NAME.match(source, self.pos)
        if name:
            self.pos = name.end()
            return self.variable_body(name.group())
        raise self.error("expected a tabstop number or a variable name after '${'")

    def tabstop_body(self, index: int) -> Tabstop:
        kind = self.next_char("'}', ':', '|' or '/' after the tabstop number")
        if kind == "}":
            return Tabstop(index)
        if kind == ":":
            children = self.nodes(inside_placeholder=True)
            self.expect("}")
            return Tabstop(index, children=children)
        if kind == "|":
            return Tabstop(index, choices=self.choices())
        if kind == "/":
            return Tabstop(index, transform=self.transform())
        raise self.error(f"unexpected {kind!r} in a tabstop")

    def variable_body(self, name: str) -> Variable:
        kind = self.next_char("'}', ':' or '/' after the variable name")
        if kind == "}":
            return Variable(name)
        if kind == ":":
            children = self.nodes(inside_placeholder=True)
            self.expect("}")
            return Variable(name, children=children)
        if kind == "/":
            return Variable(name, transform=self.transform())
        raise self.error(f"unexpected {kind!r} in a variable")

    def choices(self) -> tuple[str, ...]:
        options: list[str] = []
        current: list[str] = []
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char == "\\" and self.pos + 1 < len(source) and source[self.pos + 1] in ",|\\$}":
                current.append(source[self.pos + 1])
                self.pos += 2
                continue
            if char == ",":
                options.append("".join(current))
                current = []
            elif char == "|":
                options.append("".join(current))
                self.pos += 1
                self.expect("}")
                return tuple(options)
            else:
                current.append(char)
            self.pos += 1
        raise self.error("unterminated choice")

    def transform(self) -> Transform:
        pattern = self.until("/")
        format_text = self.until("/", skip_groups=True)
        options = self.until("}")
        return Transform(pattern, format_text, options)

    def until(self, stop: str, skip_groups: bool = False) -> str:
        """Text up to an unescaped ``stop`` (consumed); ``\\/`` stands for ``/``.

        With ``skip_groups``, ``${...}`` format groups are copied whole (they may hold ``/``).
        """
        piece: list[str] = []
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char == "\\" and self.pos + 1 < len(source) and source[self.pos + 1] == stop:
                piece.append(stop)
                self.pos += 2
                continue
            if skip_groups and source.startswith("${", self.pos):
                close = source.find("}", self.pos)
                if close < 0:
                    raise self.error("unterminated format group")
                piece.append(source[self.pos : close + 1])
                self.pos = close + 1
                continue
            self.pos += 1
            if char == stop:
                return "".join(piece)
            piece.append(char)
        raise self.error(f"unterminated transform (expected {stop!r})")

    def next_char(self, expected: str) -> str:
        if self.pos >= len(self.source):
            raise self.error(f"expected {expected}")
        char = self.source[self.pos]
        self.pos += 1
        return char

    def expect(self, char: str) -> None:
        if self.pos >= len(self.source) or self.source[self.pos] != char:
            raise self.error(f"expected {char!r}")
        self.pos += 1


def parse_body(body: str) -> tuple[Node, ...]:
    """Parse a snippet body (VS Code snippet syntax) into nodes."""
    return _Parser(body).parse()


# --- expansion and rendering --------------------------------------------------------------


def _placeholder_defaults(nodes: Sequence[Node]) -> dict[int, Tabstop]:
    """The first placeholder (with a default or choices) of every tabstop index."""
    found: dict[int, Tabstop] = {}

    def visit(items: Sequence[Node]) -> None:
        for node in items:
            if isinstance(node, Tabstop):
                if node.index not in found and (
                    node.children is not None or node.choices is not None
                ):
                    found[node.index] = node
                if node.children:
                    visit(node.children)
            elif isinstance(node, Variable) and node.children:
                visit(node.children)

    visit(nodes)
    return found


def expand(nodes: Sequence[Node], variables: Mapping[str, str] | None = None) -> str:
    """Plain text of a parsed body with every placeholder at its default.

    Mirrors (``$1`` after ``${1:name}``) repeat the default; choices take their first option;
    ``$0`` and bare tabstops vanish; variables take their value from ``variables``, else their
    default, else their own name (as VS Code does).
    """
    values = dict(variables or {})
    defaults = _placeholder_defaults(nodes)
    resolving: set[int] = set()

    def tabstop_value(index: int) -> str:
        placeholder = defaults.get(index)
        if placeholder is None or index in resolving:
            return ""
        resolving.add(index)
        try:
            if placeholder.choices is not None:
                return placeholder.choices[0] if placeholder.choices else ""
            return text_of(placeholder.children or ())
        finally:
            resolving.discard(index)

    def text_of(items: Sequence[Node]) -> str:
        pieces: list[str] = []
        for node in items:
            if isinstance(node, Text):
                pieces.append(node.value)
            elif isinstance(node, Tabstop):
                if node.children is not None and node.index not in resolving:
                    value = text_of(node.children)
                else:
                    value = tabstop_value(node.index)
                pieces.append(node.transform.apply(value) if node.transform else value)
            elif node.name in values:
                value = values[node.name]
                pieces.append(node.transform.apply(value) if node.transform else value)
            elif node.children is not None:
                pieces.append(text_of(node.children))
            else:
                pieces.append(node.name)
        return "".join(pieces)

    return text_of(nodes)


def escape_snippet_text(text: str) -> str:
    """Escape literal text for snippet syntax (``\\``, ``$`` and ``}``)."""
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def _escape_choice(option: str) -> str:
    return re.sub(r"([\\,|$}])", r"\\\1", option)


def render(nodes: Sequence[Node], variables: Mapping[str, str] | None = None) -> str:
    """Snippet syntax for ``nodes`` with every variable replaced by its (escaped) value.

    Tabstops, placeholders and choices stay; transforms on tabstops are dropped (few LSP
    clients implement them) and the tabstop is kept as a plain mirror.
    """
    values = dict(variables or {})

    def text_of(items: Sequence[Node]) -> str:
        pieces: list[str] = []
        for node in items:
            if isinstance(node, Text):
                pieces.append(escape_snippet_text(node.value))
            elif isinstance(node, Tabstop):
                if node.choices is not None:
                    options = ",".join(_escape_choice(option) for option in node.choices)
                    pieces.append(f"${{{node.index}|{options}|}}")
                elif node.children is not None:
                    pieces.append(f"${{{node.index}:{text_of(node.children)}}}")
                else:
                    pieces.append(f"${{{node.index}}}")
            elif node.name in values:
                value = values[node.name]
                value = node.transform.apply(value) if node.transform else value
                pieces.append(escape_snippet_text(value))
            elif node.children is not None:
                pieces.append(text_of(node.children))
            else:
                pieces.append(escape_snippet_text(node.name))
        return "".join(pieces)

    return text_of(nodes)


def snippet_variables(file_path: Path | None, workspace_root: Path | None = None) -> dict[str, str]:
    """Values of VS Code's file variables (``TM_FILENAME`` …) for a document."""
    values: dict[str, str] = {}
    if file_path is not None:
        values["TM_FILENAME"] = file_path.name
        values["TM_FILENAME_BASE"] = file_path.stem
        values["TM_DIRECTORY"] = str(file_path.parent)
        values["TM_FILEPATH"] = str(file_path)
        relative = file_path.name
        if workspace_root is not None:
            try:
                relative = file_path.relative_to(workspace_root).as_posix()
            except ValueError:
                relative = file_path.name
        values["RELATIVE_FILEPATH"] = relative
    if workspace_root is not None:
        values["WORKSPACE_NAME"] = workspace_root.name
        values["WORKSPACE_FOLDER"] = str(workspace_root)
    return values


# --- snippets and where they belong -------------------------------------------------------


class SnippetContext(enum.Enum):
    """Where in a Python file a snippet's text is valid."""

    MODULE = "module"
    """Statements and definitions at module level."""
    PARAMETER = "parameter"
    """One parameter inside a function's parameter list."""


_BUILTIN_NAMES = frozenset(dir(builtins))


def classify(default_text: str) -> SnippetContext:
    """Where a snippet belongs, from its text at the defaults.

    A single annotated parameter (``name: Annotation``, optionally with a default) is a
    parameter; anything else must parse as a module. Raises ``SnippetSyntaxError`` when it
    is neither.
    """
    if "\n" not in default_text.strip():
        try:
            tree = ast.parse(f"def _f({default_text.strip()}):\n    pass\n")
        except SyntaxError:
            pass
        else:
            function = tree.body[0]
            assert isinstance(function, ast.FunctionDef)
            parameters = [*function.args.posonlyargs, *function.args.args]
            parameters += function.args.kwonlyargs
            if len(parameters) == 1 and parameters[0].annotation is not None:
                return SnippetContext.PARAMETER
    try:
        ast.parse(default_text)
    except SyntaxError as error:
        raise SnippetSyntaxError(f"does not compile at its defaults: {error}") from error
    return SnippetContext.MODULE


def free_names(default_text: str, context: SnippetContext) -> tuple[str, ...]:
    """Names the snippet uses but neither defines nor gets from builtins, in first-use order.

    These are what a file needs to import for the expanded snippet to work.
    """
    source = default_text
    if context is SnippetContext.PARAMETER:
        source = f"def _f({default_text.strip()}):\n    pass\n"
    tree = ast.parse(source)
    bound: set[str] = set()
    used: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                used.append(node.id)
            else:
                bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name != "_f" or context is SnippetContext.MODULE:
                bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
    seen: set[str] = set()
    result: list[str] = []
    for name in used:
        if name in bound or name in _BUILTIN_NAMES or name in seen:
            continue
        seen.add(name)
        result.append(name)
    return tuple(result)


@dataclass(frozen=True)
class Snippet:
    """One entry of the snippet file, parsed and analysed."""

    name: str
    """The entry's key (VS Code shows it as the snippet's title)."""
    prefixes: tuple[str, ...]
    description: str
    body: str
    """The body in snippet syntax, lines joined with ``\\n``, leading tabs as ``INDENT``."""
    nodes: tuple[Node, ...] = field(repr=False)
    default_text: str
    """The body expanded with every placeholder at its default."""
    context: SnippetContext
    needed_names: tuple[str, ...]
    """Names the default text uses without defining them (to import)."""

    @property
    def prefix(self) -> str:
        """The first (main) prefix."""
        return self.prefixes[0]


def _body_text(raw: str | list[str]) -> str:
    lines = [raw] if isinstance(raw, str) else raw
    joined = "\n".join(lines)
    return "\n".join(_tabs_to_indent(line) for line in joined.split("\n"))


def _tabs_to_indent(line: str) -> str:
    stripped = line.lstrip("\t")
    return INDENT * (len(line) - len(stripped)) + stripped


def _in_python_scope(scope: object) -> bool:
    if scope is None:
        return True
    if not isinstance(scope, str):
        return False
    return "python" in {part.strip() for part in scope.split(",")}


def build_snippet(name: str, entry: object) -> Snippet:
    """Validate one JSON entry of a ``.code-snippets`` file and analyse it."""
    if not isinstance(entry, dict):
        raise SnippetFileError(f"snippet {name!r}: expected an object, got {type(entry).__name__}")
    prefix = entry.get("prefix")
    prefixes: tuple[str, ...]
    if isinstance(prefix, str):
        prefixes = (prefix,)
    elif isinstance(prefix, list) and all(isinstance(p, str) for p in prefix):
        prefixes = tuple(prefix)
    else:
        raise SnippetFileError(f"snippet {name!r}: 'prefix' must be a string or a list of strings")
    if not prefixes or not all(p.strip() for p in prefixes):
        raise SnippetFileError(f"snippet {name!r}: 'prefix' must not be empty")
    raw_body = entry.get("body")
    if not (
        isinstance(raw_body, str)
        or (isinstance(raw_body, list) and all(isinstance(line, str) for line in raw_body))
    ):
        raise SnippetFileError(f"snippet {name!r}: 'body' must be a string or a list of strings")
    description = entry.get("description", "")
    if not isinstance(description, str):
        raise SnippetFileError(f"snippet {name!r}: 'description' must be a string")
    body = _body_text(raw_body)
    try:
        nodes = parse_body(body)
        default_text = expand(nodes)
        context = classify(default_text)
    except SnippetSyntaxError as error:
        raise SnippetFileError(f"snippet {name!r}: {error}") from error
    return Snippet(
        name=name,
        prefixes=prefixes,
        description=description,
        body=body,
        nodes=nodes,
        default_text=default_text,
        context=context,
        needed_names=free_names(default_text, context),
    )


def parse_snippet_file(text: str, source: str = SNIPPET_FILE_NAME) -> tuple[Snippet, ...]:
    """The Python snippets of a ``.code-snippets`` document (JSON, comments not allowed)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SnippetFileError(f"{source}: not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise SnippetFileError(f"{source}: expected a JSON object of snippets")
    snippets = [
        build_snippet(name, entry)
        for name, entry in data.items()
        if not isinstance(entry, dict) or _in_python_scope(entry.get("scope"))
    ]
    seen: dict[str, str] = {}
    for snippet in snippets:
        for prefix in snippet.prefixes:
            if prefix in seen:
                raise SnippetFileError(
                    f"{source}: prefix {prefix!r} is used by {seen[prefix]!r} and {snippet.name!r}"
                )
            seen[prefix] = snippet.name
    return tuple(snippets)


def snippet_file_path() -> Path:
    """Where the snippet file is: inside the installed package, else in the repository."""
    from fastapi_architect.packaged_data import REPOSITORY_ROOT, data_file

    found = data_file("snippets", SNIPPET_FILE_NAME)
    if found is not None:
        return found
    raise SnippetFileError(
        f"{SNIPPET_FILE_NAME} not found in the package (fastapi_architect/_data/snippets) "
        f"nor in the repository ({REPOSITORY_ROOT / 'snippets'})"
    )


def load_snippets(path: Path | None = None) -> tuple[Snippet, ...]:
    """Read and parse the snippet file (cached until the file changes)."""
    resolved = path or snippet_file_path()
    try:
        stat = resolved.stat()
    except OSError as error:
        raise SnippetFileError(f"cannot read {resolved}: {error}") from error
    return _load_cached(str(resolved), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, size: int) -> tuple[Snippet, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SnippetFileError(f"cannot read {path}: {error}") from error
    return parse_snippet_file(text, path)


def match_prefix(snippet: Snippet, typed: str) -> str | None:
    """The text a client should filter ``snippet`` by when ``typed`` is the word being typed.

    ``typed`` must start one of the prefixes (case-insensitive), or the prefix without its
    ``fa`` namespace (``getdb`` finds ``fagetdb``), or — for a parameter — its text at the
    defaults (``session`` finds ``session: AsyncSessionDep``). ``None`` when nothing matches.
    """
    wanted = typed.lower()
    for prefix in snippet.prefixes:
        if prefix.lower().startswith(wanted):
            return prefix
    for prefix in snippet.prefixes:
        bare = prefix[len(NAMESPACE) :] if prefix.startswith(NAMESPACE) else ""
        if bare and bare.lower().startswith(wanted):
            return bare
    if snippet.context is SnippetContext.PARAMETER:
        parameter = snippet.default_text.strip()
        if parameter.lower().startswith(wanted):
            return parameter
    return None


NAMESPACE = "fa"
"""The prefix namespace of the module-level snippets (``fagetdb`` …)."""

LIBRARY_IMPORTS: Mapping[str, str | None] = {
    "Annotated": "typing",
    "AsyncIterator": "collections.abc",
    "Iterator": "collections.abc",
    "asynccontextmanager": "contextlib",
    "lru_cache": "functools",
    "Depends": "fastapi",
    "FastAPI": "fastapi",
    "APIRouter": "fastapi",
    "HTTPException": "fastapi",
    "Request": "fastapi",
    "status": "fastapi",
    "TestClient": "fastapi.testclient",
    "create_engine": "sqlalchemy",
    "select": "sqlalchemy",
    "Session": "sqlalchemy.orm",
    "sessionmaker": "sqlalchemy.orm",
    "StaticPool": "sqlalchemy.pool",
    "AsyncSession": "sqlalchemy.ext.asyncio",
    "async_sessionmaker": "sqlalchemy.ext.asyncio",
    "create_async_engine": "sqlalchemy.ext.asyncio",
    "BaseSettings": "pydantic_settings",
    "SettingsConfigDict": "pydantic_settings",
    "ASGITransport": "httpx",
    "AsyncClient": "httpx",
    "pytest": None,
}
"""Where the libraries' names the snippets use come from (``None``: ``import name``)."""


LOCAL_NAMES = frozenset({"router"})
"""Names every module defines for itself (an endpoint module's ``router``): never imported."""


def project_names(snippets: Iterable[Snippet]) -> frozenset[str]:
    """Names the snippets need that no library provides: the workspace index looks them up."""
    return frozenset(
        name
        for snippet in snippets
        for name in snippet.needed_names
        if name not in LIBRARY_IMPORTS and name not in LOCAL_NAMES
    )


def needed_imports(snippet: Snippet, project_modules: Mapping[str, str]) -> dict[str, str | None]:
    """Name → module for the names of ``snippet`` that an import can provide.

    Library names come from ``LIBRARY_IMPORTS``, project names from ``project_modules`` (the
    workspace index); names neither knows (and ``LOCAL_NAMES``) are left to the user.
    """
    needed: dict[str, str | None] = {}
    for name in snippet.needed_names:
        if name in LIBRARY_IMPORTS:
            needed[name] = LIBRARY_IMPORTS[name]
        elif name in project_modules and name not in LOCAL_NAMES:
            needed[name] = project_modules[name]
    return needed


def is_async_snippet(snippet: Snippet) -> bool:
    """The snippet uses the async flavour (``AsyncSession``, ``AsyncSessionDep`` …)."""
    return any(name.startswith("Async") for name in snippet.needed_names)


def order_parameters(
    candidates: Sequence[tuple[Snippet, str]], available: Collection[str], in_async_def: bool
) -> list[tuple[Snippet, str]]:
    """Parameter snippets whose names are ``available`` (imported, defined or indexed).

    When none is available (a project without these dependencies yet) all are kept. The
    flavour matching the function (async or not) comes first.
    """
    usable = [
        pair for pair in candidates if all(name in available for name in pair[0].needed_names)
    ] or list(candidates)
    return sorted(usable, key=lambda pair: is_async_snippet(pair[0]) != in_async_def)
