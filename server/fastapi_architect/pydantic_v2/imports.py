"""Import edits: add the V2 names a conversion uses, drop V1 decorators nobody uses any more.

New names join the module's existing ``from pydantic import ...`` (``from typing import ...``)
in a fixed relative order, so converting validators one at a time or all at once ends with the
same import line. Where the module's imports are isort-sorted (ruff's ``I`` rules), the result
stays sorted: names go to their sorted place, and a new ``from typing import`` line joins the
standard-library section (or opens one, separated by a blank line).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from fastapi_architect.import_sections import STDLIB, import_section
from fastapi_architect.pydantic_v2.names import ImportFrom, PydanticNames, top_level_imports
from fastapi_architect.pydantic_v2.source import Replacement, Source

CANONICAL_ORDER = (
    "AfterValidator",
    "BeforeValidator",
    "Field",
    "ValidationInfo",
    "field_validator",
    "model_validator",
)
TYPING_ORDER = ("Annotated", "Any")


@dataclass
class _Statement:
    node: ast.ImportFrom
    module: str
    kept: list[str]  # alias texts ("validator", "validator as v")
    canonical: list[str]  # canonical names matching ``kept``


def _alias_text(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def _isort_key(alias_text: str) -> tuple[int, str, str]:
    """isort's member order (ruff's default ``order-by-type``): CONSTANTS, Classes, functions."""
    name = alias_text.split(" as ", 1)[0]
    if len(name) > 1 and name.isupper():
        rank = 0
    elif name[:1].isupper():
        rank = 1
    else:
        rank = 2
    return rank, name.lower(), name


def _is_isort_sorted(alias_texts: list[str]) -> bool:
    keys = [_isort_key(text) for text in alias_texts]
    return keys == sorted(keys)


def _insert_ordered(stmt: _Statement, name: str, order: tuple[str, ...]) -> None:
    rank = order.index(name)
    for index, canonical in enumerate(stmt.canonical):
        if canonical in order and order.index(canonical) > rank:
            stmt.kept.insert(index, name)
            stmt.canonical.insert(index, name)
            return
    stmt.kept.append(name)
    stmt.canonical.append(name)


def _render(src: Source, stmt: _Statement) -> str:
    """The statement with its new names, keeping one-line or one-name-per-line layout."""
    node = stmt.node
    original = src.segment(node)
    head = f"from {stmt.module} import "
    if "\n" not in original and "\r" not in original:
        if "(" in original:
            return f"{head}({', '.join(stmt.kept)})"
        return f"{head}{', '.join(stmt.kept)}"
    indent = src.indent_of(node.names[0].lineno) if node.names else "    "
    newline = src.newline
    lines = "".join(f"{indent}{name},{newline}" for name in stmt.kept)
    return f"{head}({newline}{lines}{src.indent_of(node.lineno)})"


def _one_alias_per_line_edits(
    src: Source, stmt: _Statement, original: list[str]
) -> list[Replacement] | None:
    """Line edits for a parenthesised import with one name per line (comments kept).

    None when the statement has another layout; it is then re-rendered whole.
    """
    node = stmt.node
    if node.lineno == node.end_lineno or not node.names:
        return None
    alias_lines: dict[str, int] = {}
    for alias in node.names:
        text = _alias_text(alias)
        line = src.line_text(alias.lineno).strip()
        code = line.split("#", 1)[0].strip()
        if code != f"{text}," or alias.lineno in alias_lines.values():
            return None
        alias_lines[text] = alias.lineno
    if not any(name in alias_lines for name in stmt.kept):
        return None
    edits: list[Replacement] = []
    for text, lineno in alias_lines.items():
        if text not in stmt.kept:
            edits.append(Replacement(src.line_start(lineno), src.line_end(lineno), ""))
    indent = src.indent_of(node.names[0].lineno)
    last_line = max(alias_lines.values())
    for index, name in enumerate(stmt.kept):
        if name in original:
            continue
        following = next((n for n in stmt.kept[index + 1 :] if n in alias_lines), None)
        at = src.line_start(alias_lines[following]) if following else src.line_end(last_line)
        edits.append(Replacement(at, at, f"{indent}{name},{src.newline}"))
    return edits


def _statement_span(src: Source, node: ast.stmt) -> tuple[int, int]:
    """The full lines of a statement that stands alone on them, else just the statement."""
    start, end = src.start(node), src.end(node)
    line_start = src.line_start(node.lineno)
    rest_of_line = src.line_text(node.end_lineno or node.lineno)
    tail = src.text[end : src.line_start(node.end_lineno or node.lineno) + len(rest_of_line)]
    if src.text[line_start:start].strip() == "" and tail.strip() == "":
        return line_start, src.line_end(node.end_lineno or node.lineno)
    return start, end


def import_edits(
    src: Source,
    names: PydanticNames,
    pydantic_needed: set[str],
    typing_needed: set[str],
    unused_decorators: set[str],
) -> list[Replacement]:
    """Replacements that add ``pydantic_needed``/``typing_needed`` and drop unused decorators."""
    statements: dict[int, _Statement] = {}
    original: dict[int, list[str]] = {}

    def statement(record: ImportFrom) -> _Statement:
        key = id(record.node)
        if key not in statements:
            statements[key] = _Statement(
                record.node,
                record.module,
                [_alias_text(a) for a in record.names],
                [a.name for a in record.names],
            )
            original[key] = list(statements[key].kept)
        return statements[key]

    for record in names.from_imports:
        for alias in record.names:
            local = alias.asname or alias.name
            if local in unused_decorators:
                stmt = statement(record)
                index = stmt.kept.index(_alias_text(alias))
                del stmt.kept[index]
                del stmt.canonical[index]

    replacements: list[Replacement] = []
    new_lines: list[str] = []
    anchor: ast.stmt | None = None
    if pydantic_needed:
        target = next(
            (r for r in names.from_imports if r.module == "pydantic" and r.node.level == 0), None
        )
        ordered = [n for n in CANONICAL_ORDER if n in pydantic_needed]
        if target is not None:
            stmt = statement(target)
            for name in ordered:
                _insert_ordered(stmt, name, CANONICAL_ORDER)
        else:
            new_lines.append(f"from pydantic import {', '.join(ordered)}")
            anchor = _top_level_anchor(src, names)

    if typing_needed:
        typing_target = _typing_import(src.tree)
        ordered = [n for n in TYPING_ORDER if n in typing_needed]
        if typing_target is not None:
            key = id(typing_target)
            if key not in statements:
                statements[key] = _Statement(
                    typing_target,
                    "typing",
                    [_alias_text(a) for a in typing_target.names],
                    [a.name for a in typing_target.names],
                )
                original[key] = list(statements[key].kept)
            for name in ordered:
                _insert_ordered(statements[key], name, TYPING_ORDER)
        else:
            at, text = _typing_line_insertion(src, f"from typing import {', '.join(ordered)}")
            replacements.append(Replacement(at, at, text))

    for key, stmt in statements.items():
        if stmt.kept == original[key]:
            continue
        if len(original[key]) > 1 and _is_isort_sorted(original[key]):
            pairs = sorted(
                zip(stmt.kept, stmt.canonical, strict=True), key=lambda p: _isort_key(p[0])
            )
            stmt.kept = [text for text, _ in pairs]
            stmt.canonical = [name for _, name in pairs]
        if stmt.kept:
            line_edits = _one_alias_per_line_edits(src, stmt, original[key])
            if line_edits is not None:
                replacements.extend(line_edits)
                continue
            replacements.append(
                Replacement(src.start(stmt.node), src.end(stmt.node), _render(src, stmt))
            )
        else:
            start, end = _statement_span(src, stmt.node)
            replacements.append(Replacement(start, end, ""))

    if new_lines:
        text = "".join(f"{line}{src.newline}" for line in new_lines)
        at = _insertion_point(src, anchor)
        replacements.append(Replacement(at, at, text))
    return _merge_same_point(replacements)


def _top_level_anchor(src: Source, names: PydanticNames) -> ast.stmt | None:
    """The first module-level pydantic from-import (new import lines go right before it)."""
    top = {id(stmt) for stmt in src.tree.body}
    return next((r.node for r in names.from_imports if id(r.node) in top), None)


def _is_stdlib(stmt: ast.stmt) -> bool:
    """True for a top-level import of a standard-library module (``__future__`` excluded)."""
    if isinstance(stmt, ast.Import):
        modules = [alias.name for alias in stmt.names]
    elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
        modules = [stmt.module]
    else:
        return False
    return all(import_section(module) == STDLIB for module in modules)


def _typing_line_insertion(src: Source, line: str) -> tuple[int, str]:
    """Where a new ``from typing import ...`` line goes, and the text to insert there.

    In the standard-library section of the module's leading imports, at its sorted place
    (``import x`` lines first, then ``from x import`` by module); without such a section, a
    new one before the first other import, separated from its neighbours by blank lines.
    """
    newline = src.newline
    header: list[ast.stmt] = []
    for index, stmt in enumerate(src.tree.body):
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            header.append(stmt)
        elif not (
            index == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        ):
            break
    stdlib = [stmt for stmt in header if _is_stdlib(stmt)]
    if stdlib:
        after = [s for s in stdlib if isinstance(s, ast.ImportFrom) and (s.module or "") > "typing"]
        if after:
            return src.line_start(after[0].lineno), f"{line}{newline}"
        last = stdlib[-1]
        return src.line_end(last.end_lineno or last.lineno), f"{line}{newline}"
    future = [s for s in header if isinstance(s, ast.ImportFrom) and s.module == "__future__"]
    others = [s for s in header if s not in future]
    if others:
        at = src.line_start(others[0].lineno)
        before = newline if future and src.line_end(future[-1].end_lineno or 0) == at else ""
        return at, f"{before}{line}{newline}{newline}"
    if future:
        last = future[-1]
        return src.line_end(last.end_lineno or last.lineno), f"{newline}{line}{newline}"
    docstring = src.tree.body[0] if src.tree.body and not header else None
    if (
        isinstance(docstring, ast.Expr)
        and isinstance(docstring.value, ast.Constant)
        and isinstance(docstring.value.value, str)
    ):
        return src.line_end(docstring.end_lineno or docstring.lineno), f"{newline}{line}{newline}"
    return 0, f"{line}{newline}{newline}"


def _typing_import(tree: ast.Module) -> ast.ImportFrom | None:
    for stmt in top_level_imports(tree.body):
        if (
            isinstance(stmt, ast.ImportFrom)
            and stmt.module == "typing"
            and stmt.level == 0
            and not any(a.name == "*" for a in stmt.names)
        ):
            return stmt
    return None


def _insertion_point(src: Source, anchor: ast.stmt | None) -> int:
    """Before ``anchor``'s line; else after the module's leading imports/docstring."""
    if (
        anchor is not None
        and src.text[src.line_start(anchor.lineno) : src.start(anchor)].strip() == ""
    ):
        return src.line_start(anchor.lineno)
    last: ast.stmt | None = None
    for index, stmt in enumerate(src.tree.body):
        is_docstring = (
            index == 0
            and isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        )
        if is_docstring or isinstance(stmt, ast.Import | ast.ImportFrom):
            last = stmt
            continue
        break
    if last is None:
        return 0
    return src.line_end(last.end_lineno or last.lineno)


def _merge_same_point(replacements: list[Replacement]) -> list[Replacement]:
    """Join an insertion with a replacement starting at the same offset (keeps order stable)."""
    ordered = sorted(replacements, key=lambda r: (r.start, r.end))
    merged: list[Replacement] = []
    for r in ordered:
        if merged and merged[-1].start == merged[-1].end == r.start:
            previous = merged.pop()
            merged.append(Replacement(r.start, r.end, previous.new_text + r.new_text))
        else:
            merged.append(r)
    return merged
