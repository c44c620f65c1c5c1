"""ruff's isort order and layout: sort keys for statements and names, and their rendering."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from fastapi_architect.imports.model import ImportedName, ImportStatement
from fastapi_architect.imports.style import ImportStyle, Section

_DIGITS = re.compile(r"(\d+)")

NaturalKey = tuple[tuple[int, int], ...]


def natural(text: str) -> NaturalKey:
    """Natural order (``mod2`` before ``mod10``), character by character otherwise."""
    key: list[tuple[int, int]] = []
    for index, part in enumerate(_DIGITS.split(text)):
        if index % 2:
            key.append((ord("0"), int(part)))
        else:
            key.extend((ord(char), -1) for char in part)
    return tuple(key)


def _is_constant(name: str) -> bool:
    return len(name) > 1 and any(c.isupper() for c in name) and not any(c.islower() for c in name)


def member_key(name: ImportedName) -> tuple[object, ...]:
    """ruff's order of imported names: ``*``, CONSTANTS, Classes, then everything else;
    case-insensitive, then case-sensitive, then by alias."""
    if _is_constant(name.name):
        kind = 0
    elif name.name[:1].isupper():
        kind = 1
    else:
        kind = 2
    alias = (0,) if name.asname is None else (1, natural(name.asname))
    return (name.name != "*", kind, natural(name.name.lower()), natural(name.name), alias)


def sorted_names(names: Iterable[ImportedName]) -> list[ImportedName]:
    """Names in ruff's order, duplicates (same name and alias) merged with their comments."""
    unique: dict[tuple[str, str | None], ImportedName] = {}
    for name in names:
        key = (name.name, name.asname)
        previous = unique.get(key)
        if previous is None:
            unique[key] = name
        else:
            unique[key] = ImportedName(
                name.name,
                name.asname,
                previous.leading_comments + name.leading_comments,
                previous.trailing_comments + name.trailing_comments,
            )
    return sorted(unique.values(), key=member_key)


def section(statement: ImportStatement, style: ImportStyle) -> Section:
    """The isort section of ``statement``."""
    if statement.is_from:
        return style.section_of(statement.module or "", statement.level)
    return style.section_of(statement.names[0].name if statement.names else "")


def statement_key(statement: ImportStatement, style: ImportStyle) -> tuple[object, ...]:
    """ruff's order of statements inside a section."""
    if statement.is_from:
        distance: tuple[int, ...] = (0,) if not statement.level else (1, -statement.level)
        module = statement.module or ""
        first = sorted_names(statement.names)
        first_key: tuple[object, ...] = (member_key(first[0]),) if first else ()
        alias: tuple[object, ...] = ()
        has_module = statement.module is not None
    else:
        distance = (0,)
        name = statement.names[0] if statement.names else ImportedName("")
        module = name.name
        first_key = ()
        alias = (0,) if name.asname is None else (1, natural(name.asname))
        has_module = True
    module_key = (distance, has_module, natural(module.lower()), natural(module), first_key, alias)
    if style.force_sort_within_sections:
        return module_key
    return (statement.is_from, *module_key)


def block_order(
    statements: Iterable[ImportStatement], style: ImportStyle
) -> list[list[ImportStatement]]:
    """``statements`` grouped into their sections, each sorted; sections in ruff's order."""
    groups: dict[Section, list[ImportStatement]] = {}
    for statement in statements:
        groups.setdefault(section(statement, style), []).append(statement)
    return [sorted(groups[key], key=lambda s: statement_key(s, style)) for key in sorted(groups)]


def _comment_tail(comments: Sequence[str]) -> str:
    return "".join(f"  {comment}" for comment in comments)


def render_statement(statement: ImportStatement, style: ImportStyle) -> list[str]:
    """The lines of ``statement`` as ruff lays it out (with ``\\n`` endings and its indent)."""
    indent = statement.indent
    lines = [f"{indent}{comment}\n" for comment in statement.leading_comments]
    if not statement.is_from:
        tails: list[str] = list(statement.inline_comments)
        for name in statement.names:
            tails += [*name.leading_comments, *name.trailing_comments]
        for index, name in enumerate(statement.names):
            tail = _comment_tail(tails) if index == 0 else ""
            lines.append(f"{indent}import {name.text()}{tail}\n")
        return lines
    names = sorted_names(statement.names)
    head = f"{indent}from {statement.module_text} import "
    single = head + ", ".join(name.text() for name in names)
    alias_comments = any(n.leading_comments or n.trailing_comments for n in names)
    star = any(name.name == "*" for name in names)
    fits = len(single) <= style.line_length
    if star or (not alias_comments and not statement.magic_trailing_comma and fits):
        lines.append(single + _comment_tail(statement.inline_comments) + "\n")
        return lines
    lines.append(f"{head}({_comment_tail(statement.inline_comments)}\n")
    for name in names:
        lines += [f"{indent}    {comment}\n" for comment in name.leading_comments]
        lines.append(f"{indent}    {name.text()},{_comment_tail(name.trailing_comments)}\n")
    lines.append(f"{indent})\n")
    return lines


def render_block(statements: Iterable[ImportStatement], style: ImportStyle) -> list[str]:
    """An import block in ruff's layout: sections apart by one blank line."""
    lines: list[str] = []
    for group in block_order(statements, style):
        if lines:
            lines.append("\n")
        for statement in group:
            lines += render_statement(statement, style)
    return lines
