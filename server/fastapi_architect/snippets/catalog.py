"""The snippet file: load ``snippets/*.code-snippets``, validate each entry and analyse it.

The file is the single source shared with the VS Code client, which contributes it as-is. The
server reads the same file (from the wheel's ``_data/snippets`` or from the repository in a
development install) and classifies where each snippet belongs: at module level, or inside a
parameter list, and which names it needs.
"""

from __future__ import annotations

import ast
import builtins
import enum
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fastapi_architect.snippets.grammar import Node, SnippetSyntaxError, parse_body
from fastapi_architect.snippets.rendering import expand

SNIPPET_FILE_NAME = "fastapi-depends.code-snippets"
"""The one snippet file; the VS Code client contributes exactly this path."""

INDENT = "    "
"""What a leading tab of a snippet body becomes (VS Code uses the editor's indentation)."""


class SnippetFileError(ValueError):
    """The snippet file is missing, is not valid JSON, or has a malformed entry."""


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
