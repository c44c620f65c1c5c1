"""Module-level imports: read them, render them in isort order, merge and prune them in place.

Only top-level ``import`` / ``from ... import`` statements are considered; an import statement
that changes is re-rendered on its own lines, everything else in the module stays untouched.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from fastapi_architect.extract.lineops import LineOperation, apply_line_operations
from fastapi_architect.textedit import split_lines

MAX_LINE = 88
"""Longer rendered imports are wrapped in parentheses, one name per line."""

_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"__future__"}


@dataclass(frozen=True)
class ImportBinding:
    """One name bound by an import: ``from module import name as asname`` or ``import name``."""

    module: str | None
    """Absolute module of a ``from`` import; ``None`` for ``import name``."""
    name: str
    asname: str | None = None

    def sort_key(self) -> tuple[str, str, str]:
        """A total order for rendering (``import`` bindings have no module)."""
        return (self.module or "", self.name, self.asname or "")

    @property
    def bound(self) -> str:
        """The name this import binds in the importing module."""
        if self.asname:
            return self.asname
        return self.name.split(".")[0] if self.module is None else self.name


def absolute_module(node: ast.ImportFrom, package: str) -> str:
    """The absolute module of a possibly relative ``from`` import inside ``package``."""
    if not node.level:
        return node.module or ""
    parts = package.split(".") if package else []
    if node.level - 1 > len(parts):
        return node.module or ""
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The module-level import statements of ``tree`` (not those inside ``if``/``try``)."""
    return [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]


def bindings_of(node: ast.Import | ast.ImportFrom, package: str) -> list[ImportBinding]:
    """The bindings one import statement creates, with absolute modules."""
    if isinstance(node, ast.Import):
        return [ImportBinding(None, alias.name, alias.asname) for alias in node.names]
    module = absolute_module(node, package)
    return [ImportBinding(module, alias.name, alias.asname) for alias in node.names]


def _name_key(name: str) -> tuple[int, str]:
    """isort's ``order-by-type``: CONSTANTS, then Classes, then functions/modules."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def _alias_text(name: str, asname: str | None) -> str:
    return f"{name} as {asname}" if asname else name


def render_from(module_text: str, aliases: Sequence[tuple[str, str | None]]) -> str:
    """``from module_text import a, b`` (wrapped in parentheses when too long), no newline."""
    ordered = sorted(set(aliases), key=lambda pair: (_name_key(pair[0]), pair[1] or ""))
    names = [_alias_text(name, asname) for name, asname in ordered]
    line = f"from {module_text} import {', '.join(names)}"
    if len(line) <= MAX_LINE:
        return line
    inner = "".join(f"    {name},\n" for name in names)
    return f"from {module_text} import (\n{inner})"


def render_import(binding: ImportBinding) -> str:
    """One ``import x`` / ``from m import x`` line for ``binding``."""
    if binding.module is None:
        return f"import {_alias_text(binding.name, binding.asname)}"
    return render_from(binding.module, [(binding.name, binding.asname)])


def _section(module: str, first_party: Collection[str]) -> int:
    top = module.split(".")[0]
    if module == "__future__":
        return 0
    if top in first_party:
        return 3
    if top in _STDLIB:
        return 1
    return 2


def render_block(bindings: Iterable[ImportBinding], first_party: Collection[str]) -> str:
    """An isort-style import block (sections separated by blank lines), ending in a newline."""
    plain: dict[int, set[ImportBinding]] = {}
    froms: dict[int, dict[str, set[tuple[str, str | None]]]] = {}
    for binding in bindings:
        if binding.module is None:
            plain.setdefault(_section(binding.name, first_party), set()).add(binding)
        else:
            section = _section(binding.module, first_party)
            froms.setdefault(section, {}).setdefault(binding.module, set()).add(
                (binding.name, binding.asname)
            )
    sections: list[str] = []
    for section in sorted(set(plain) | set(froms)):
        lines = [
            render_import(b) for b in sorted(plain.get(section, ()), key=ImportBinding.sort_key)
        ]
        lines += [
            render_from(module, sorted(aliases))
            for module, aliases in sorted(froms.get(section, {}).items())
        ]
        sections.append("\n".join(lines) + "\n")
    return "\n".join(sections)


def _header_end(tree: ast.Module) -> int:
    """0-based line after the module's leading docstring and import statements."""
    end = 0
    for index, node in enumerate(tree.body):
        is_docstring = (
            index == 0
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        )
        if is_docstring or isinstance(node, (ast.Import, ast.ImportFrom)):
            end = node.end_lineno or node.lineno
            continue
        break
    return end


def rewrite_imports(
    text: str,
    tree: ast.Module,
    *,
    package: str,
    remove: Collection[str] = (),
    add: Iterable[ImportBinding] = (),
    first_party: Collection[str] = (),
    newline: str = "\n",
) -> str:
    """Return ``text`` with the top-level imports binding ``remove`` dropped and ``add`` added."""
    lines = split_lines(text)
    operations = import_operations(
        lines,
        tree,
        package=package,
        remove=remove,
        add=add,
        first_party=first_party,
        newline=newline,
    )
    return apply_line_operations(lines, operations)


def import_operations(
    lines: Sequence[str],
    tree: ast.Module,
    *,
    package: str,
    remove: Collection[str] = (),
    add: Iterable[ImportBinding] = (),
    first_party: Collection[str] = (),
    newline: str = "\n",
) -> list[LineOperation]:
    """Line operations (on ``tree``'s lines) dropping the imports of ``remove``, adding ``add``.

    New ``from`` imports join an existing statement importing from the same module; other
    third-party/stdlib imports go before the header's first first-party import, and the rest
    after the module's import header. Only statements that change are re-rendered.
    """
    pending = list(dict.fromkeys(add))
    operations: list[LineOperation] = []
    covered: list[tuple[int, int]] = []
    existing = top_level_imports(tree)
    for node in existing:
        current = bindings_of(node, package)
        merged = [b for b in current if b.bound not in remove]
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            module = absolute_module(node, package)
            for binding in list(pending):
                if binding in current:
                    pending.remove(binding)
                elif binding.module == module:
                    merged.append(binding)
                    pending.remove(binding)
        elif isinstance(node, ast.Import):
            pending = [b for b in pending if b not in current]
        if merged == current:
            continue
        start, end = node.lineno - 1, node.end_lineno or node.lineno
        if not merged:
            rendered = ""
            if _blank(lines, start - 1) and _blank(lines, end):
                end += 1  # do not leave two blank lines where the statement was
        elif isinstance(node, ast.Import):
            rendered = "\n".join(render_import(b) for b in merged) + "\n"
        else:
            module_text = "." * node.level + (node.module or "")
            rendered = render_from(module_text, [(b.name, b.asname) for b in merged]) + "\n"
        operations.append(LineOperation(start, end, _to_newline(rendered, newline)))
        covered.append((start, end))

    insert_at = _header_end(tree)
    first_party_start = next(
        (
            node.lineno - 1
            for node in existing
            if (node.end_lineno or 0) <= insert_at
            and isinstance(node, ast.ImportFrom)
            and node.level == 0
            and _section(node.module or "", first_party) == 3
        ),
        None,
    )
    early = [b for b in pending if _section(b.module or b.name, first_party) < 3]
    if early and first_party_start is not None:
        pending = [b for b in pending if b not in early]
        block = render_block(early, first_party) + "\n"
        operations.append(
            LineOperation(first_party_start, first_party_start, _to_newline(block, newline))
        )
    if pending:
        position = insert_at
        for start, end in sorted(covered):
            if start <= position < end:
                position = end
        block = render_block(pending, first_party)
        header_has_imports = any((node.end_lineno or 0) <= insert_at for node in existing)
        if insert_at > 0 and not header_has_imports:
            block = "\n" + block
        if position < len(lines) and lines[position].strip():
            block += "\n"
        if position >= len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
            block = "\n" + block
        operations.append(LineOperation(position, position, _to_newline(block, newline)))
    return operations


def _blank(lines: Sequence[str], index: int) -> bool:
    return 0 <= index < len(lines) and not lines[index].strip()


def _to_newline(text: str, newline: str) -> str:
    return text if newline == "\n" else text.replace("\n", newline)
