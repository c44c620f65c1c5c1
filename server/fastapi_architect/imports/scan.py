"""Find a document's imports without parsing it whole, and read them from a parsed tree.

The scanner works line by line: a syntax error above or below the imports (a half-typed
line, an unclosed bracket in a function body) does not hide them. Each import statement is
parsed on its own; one that does not parse (``from x import (`` still being typed) counts as
code, so nothing is merged into it.
"""

from __future__ import annotations

import ast
import bisect
import functools
import io
import itertools
import re
import tokenize
from collections.abc import Sequence

from fastapi_architect.imports.model import (
    ImportBinding,
    ImportBlock,
    ImportedName,
    ImportStatement,
    ScannedImports,
    TypeCheckingBlock,
)
from fastapi_architect.textedit import split_lines

_IMPORT = re.compile(r"(?:from[ \t]+\.*[\w.]*[ \t]+import\b|import[ \t]+[\w.])")
_TYPE_CHECKING_IF = re.compile(r"if[ \t]+(?:typing\.)?TYPE_CHECKING[ \t]*:[ \t]*(?:#.*)?$")
_TRY_CLAUSE = re.compile(r"(?:try|else|finally|except\b[^#]*)[ \t]*:[ \t]*(?:#.*)?$")
_DOCSTRING_START = re.compile(r"[rRuU]?(\"\"\"|'''|\"|')")
_QUOTE_OR_COMMENT = re.compile(r"[#'\"]")


def _multiline_string_lines(text: str, lines: Sequence[str]) -> tuple[set[int], dict[int, int]]:
    """Lines that start inside a multi-line string, and each such string's first → last line.

    An unterminated triple-quoted string runs to the end of the text.
    """
    inside: set[int] = set()
    spans: dict[int, int] = {}
    starts = list(itertools.accumulate((len(line) for line in lines), initial=0))

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    position = 0
    while True:
        match = _QUOTE_OR_COMMENT.search(text, position)
        if match is None:
            break
        start = match.start()
        if text[start] == "#":
            newline = text.find("\n", start)
            if newline < 0:
                break
            position = newline + 1
            continue
        quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
        end = _string_end(text, start + len(quote), quote)
        first = line_of(start)
        last = line_of(min(end, len(text)) - 1) if end > 0 else len(lines) - 1
        if last > first:
            inside.update(range(first + 1, last + 1))
            spans[first] = last
        if end < 0:
            inside.update(range(first + 1, len(lines)))
            spans[first] = len(lines)  # unterminated: past the last line
            break
        position = end
    return inside, spans


def _string_end(text: str, position: int, quote: str) -> int:
    """Offset after the closing ``quote`` (-1: none); a one-line string ends at its line's end."""
    while True:
        found = text.find(quote, position)
        if len(quote) == 1:
            newline = text.find("\n", position, found if found >= 0 else len(text))
            if newline >= 0:
                return newline
        if found < 0:
            return -1
        backslashes = 0
        while text[found - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2:
            position = found + 1
            continue
        return found + len(quote)


def _statement_end(lines: Sequence[str], start: int) -> int:
    """0-based line after the statement starting at ``start`` (parentheses, backslashes)."""
    depth = 0
    index = start
    while index < len(lines):
        code = lines[index].split("#", 1)[0]
        depth += code.count("(") - code.count(")")
        index += 1
        if depth <= 0 and not code.rstrip().endswith("\\"):
            break
    return index


def _read_statement(
    lines: Sequence[str],
    start: int,
    end: int,
    comments: Sequence[int],
    type_checking: bool,
) -> ImportStatement | None:
    """The import statement on ``lines[start:end]``; ``None`` when it does not parse alone."""
    source = "".join(lines[start:end])
    indent = source[: len(source) - len(source.lstrip(" \t"))]
    body = source.strip()
    try:
        tree = ast.parse(body)
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Import | ast.ImportFrom):
        return None
    node = tree.body[0]
    inline, alias_leading, alias_trailing, magic = _comments(body, node)
    names = tuple(
        ImportedName(
            alias.name,
            alias.asname,
            tuple(alias_leading.get(index, ())),
            tuple(alias_trailing.get(index, ())),
        )
        for index, alias in enumerate(node.names)
    )
    leading = tuple(lines[i].strip() for i in comments)
    common = {
        "names": names,
        "leading_comments": leading,
        "inline_comments": tuple(inline),
        "start": start,
        "end": end,
        "comment_start": comments[0] if comments else start,
        "indent": indent,
        "type_checking": type_checking,
        "magic_trailing_comma": magic,
    }
    if isinstance(node, ast.ImportFrom):
        return ImportStatement(node.module, node.level, is_from=True, **common)  # type: ignore[arg-type]
    return ImportStatement(None, 0, is_from=False, **common)  # type: ignore[arg-type]


def _comments(
    body: str, node: ast.Import | ast.ImportFrom
) -> tuple[list[str], dict[int, list[str]], dict[int, list[str]], bool]:
    """Sort the statement's comments: on its first line, above a name, after a name.

    Also tells whether the parenthesised names end in a trailing comma.
    """
    inline: list[str] = []
    leading: dict[int, list[str]] = {}
    trailing: dict[int, list[str]] = {}
    alias_rows: dict[int, int] = {}
    for index, alias in enumerate(node.names):
        alias_rows[alias.end_lineno or alias.lineno] = index
    pending: list[str] = []
    rows_with_code: set[int] = set()
    significant: list[str] = []
    magic = False
    try:
        for token in tokenize.generate_tokens(io.StringIO(body).readline):
            if token.type == tokenize.COMMENT:
                row = token.start[0]
                if row == 1:
                    inline.append(token.string)
                elif row not in rows_with_code:
                    pending.append(token.string)
                elif row in alias_rows:
                    trailing.setdefault(alias_rows[row], []).append(token.string)
                else:
                    inline.append(token.string)
                continue
            if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER):
                continue
            rows_with_code.add(token.start[0])
            if token.type == tokenize.NAME and pending:
                alias_index = alias_rows.get(token.start[0])
                if alias_index is not None:
                    leading.setdefault(alias_index, []).extend(pending)
                    pending = []
            if token.string == ")" and significant and significant[-1] == ",":
                magic = True
            significant.append(token.string)
    except (tokenize.TokenError, SyntaxError):
        pass
    inline.extend(pending)
    return inline, leading, trailing, magic


def _is_docstring_start(line: str) -> bool:
    return _DOCSTRING_START.match(line) is not None


@functools.lru_cache(maxsize=16)
def scan_imports(text: str) -> ScannedImports:
    """Find the module-level import blocks and the ``if TYPE_CHECKING:`` block of ``text``.

    Cached by text: completion plans the imports of every item against the same buffer.
    """
    lines = split_lines(text)
    in_string, string_spans = _multiline_string_lines(text, lines)
    blocks: list[ImportBlock] = []
    current: list[ImportStatement] = []
    comments: list[int] = []
    type_checking: TypeCheckingBlock | None = None
    nested: list[ImportBlock] = []
    insert_line: int | None = None
    after_docstring = False
    seen_code = False

    def close() -> None:
        if current:
            blocks.append(ImportBlock(tuple(current)))
            current.clear()

    index = 0
    while index < len(lines):
        line = lines[index].rstrip("\r\n")
        stripped = line.strip()
        if index in in_string or not stripped:
            if not stripped:
                comments = []
            index += 1
            continue
        if line[0] in " \t":
            index += 1  # the body of a compound statement above (already ended the block)
            continue
        if stripped.startswith("#"):
            comments.append(index)
            index += 1
            continue
        if _IMPORT.match(line):
            end = _statement_end(lines, index)
            statement = _read_statement(lines, index, end, comments, False)
            comments = []
            if statement is not None:
                current.append(statement)
                seen_code = True
                index = end
                continue
        if not seen_code and insert_line is None:
            if _is_docstring_start(line):
                last = string_spans.get(index, index)
                if last >= len(lines):  # an unterminated docstring: no place for imports
                    insert_line = -1
                    break
                insert_line, after_docstring = last + 1, True
                comments = []
                seen_code = True
                index = last + 1
                continue
            insert_line = comments[0] if comments else index
        seen_code = True
        close()
        comments = []
        if type_checking is None and _TYPE_CHECKING_IF.match(line):
            type_checking, index = _body_block(lines, index, in_string, type_checking=True)
            continue
        if _TRY_CLAUSE.match(line):
            body, index = _body_block(lines, index, in_string, type_checking=False)
            if body.block is not None:
                nested.append(body.block)
            continue
        index = min(string_spans.get(index, index), len(lines)) + 1
    close()
    if insert_line is None:
        insert_line = len(lines)
    future = any(
        s.module == "__future__" and any(n.name == "annotations" for n in s.names)
        for block in blocks
        for s in block.statements
    )
    return ScannedImports(
        tuple(blocks), type_checking, insert_line, after_docstring, future, tuple(nested)
    )


def _body_block(
    lines: Sequence[str], if_line: int, in_string: set[int], *, type_checking: bool
) -> tuple[TypeCheckingBlock, int]:
    """Read the imports opening the body of the compound statement on ``if_line``.

    Returns the body and the line where scanning resumes.
    """
    index = if_line + 1
    indent = ""
    statements: list[ImportStatement] = []
    comments: list[int] = []
    in_imports = True
    body_end = if_line + 1
    while index < len(lines):
        line = lines[index].rstrip("\r\n")
        stripped = line.strip()
        if index in in_string:
            index += 1
            body_end = index
            continue
        if not stripped:
            comments = []
            index += 1
            continue
        own_indent = line[: len(line) - len(line.lstrip(" \t"))]
        if not indent:
            if not own_indent:
                break
            indent = own_indent
        if len(own_indent) < len(indent):
            break
        if stripped.startswith("#"):
            comments.append(index)
            index += 1
            continue
        if in_imports and own_indent == indent and _IMPORT.match(stripped):
            end = _statement_end(lines, index)
            statement = _read_statement(lines, index, end, comments, type_checking)
            comments = []
            if statement is not None:
                statements.append(statement)
                index = end
                body_end = end
                continue
        in_imports = False
        comments = []
        index += 1
        body_end = index
    block = ImportBlock(tuple(statements), type_checking, body_end) if statements else None
    return TypeCheckingBlock(if_line, body_end, indent or "    ", block), index


def statements_from_tree(tree: ast.Module) -> list[ImportStatement]:
    """The module-level and ``if TYPE_CHECKING:`` imports of a parsed tree, as the model.

    Positions come from the tree (0-based lines); comments are not part of a tree.
    """
    checking = {id(node) for node in type_checking_imports(tree)}
    found: list[ImportStatement] = []
    for node in [*top_level_imports(tree), *type_checking_imports(tree)]:
        names = tuple(ImportedName(alias.name, alias.asname) for alias in node.names)
        common = {
            "names": names,
            "start": node.lineno - 1,
            "end": node.end_lineno or node.lineno,
            "comment_start": node.lineno - 1,
            "indent": " " * node.col_offset,
            "type_checking": id(node) in checking,
        }
        if isinstance(node, ast.ImportFrom):
            found.append(ImportStatement(node.module, node.level, is_from=True, **common))  # type: ignore[arg-type]
        else:
            found.append(ImportStatement(None, 0, is_from=False, **common))  # type: ignore[arg-type]
    return sorted(found, key=lambda statement: statement.start)


def bindings_of(node: ast.Import | ast.ImportFrom, package: str) -> list[ImportBinding]:
    """The bindings one parsed import statement creates, with absolute modules."""
    if isinstance(node, ast.Import):
        return [ImportBinding(None, alias.name, alias.asname) for alias in node.names]
    module = absolute_module(node, package)
    return [ImportBinding(module, alias.name, alias.asname) for alias in node.names]


def absolute_module(node: ast.ImportFrom, package: str) -> str:
    """The absolute module of a possibly relative parsed ``from`` import inside ``package``."""
    if not node.level:
        return node.module or ""
    parts = package.split(".") if package else []
    if node.level - 1 > len(parts):
        return node.module or ""
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The module-level import statements of a parsed tree (not those inside ``if``/``try``)."""
    return [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]


def type_checking_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The imports directly inside module-level ``if TYPE_CHECKING:`` blocks of a parsed tree."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in tree.body:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            found += [n for n in node.body if isinstance(n, ast.Import | ast.ImportFrom)]
    return found


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
