"""The endpoint module after the move: one call in the body, imports pruned and added."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

from fastapi_architect.extract.chunks import Chunk, indent_width, newline_of, with_newline
from fastapi_architect.extract.context import EndpointModule, ExtractRefusal, parse_or_refuse
from fastapi_architect.extract.dependencies import Placement
from fastapi_architect.extract.endpoints import Endpoint, body_statements, parameter_names
from fastapi_architect.extract.layout import ModuleTarget
from fastapi_architect.extract.lineops import (
    LineOperation,
    apply_line_operations,
    from_text_edits,
)
from fastapi_architect.extract.names import bound_names_at_top, free_names, loaded_names
from fastapi_architect.extract.resolution import generated_imports
from fastapi_architect.extract.signature import ServiceParam, TypeText, render_call
from fastapi_architect.imports import ImportBinding, plan_imports


def _service_alias(ctx: EndpointModule, endpoint: Endpoint) -> ImportBinding:
    """How the endpoint refers to the service module: an existing import it does not shadow,
    else a new one under a name free in the module and among the endpoint's parameters."""
    module, _, stem = ctx.layout.service.module.rpartition(".")
    params = set(parameter_names(endpoint.node))
    for binding in ctx.symbols.imports.values():
        if binding.bound in params:
            continue
        if (binding.module == module and binding.name == stem) or (
            binding.module is None and binding.name == ctx.layout.service.module and binding.asname
        ):
            return binding
    used = ctx.symbols.all_names() | params
    alias = stem
    for candidate in (stem, f"{stem}_service", f"{stem}_services", f"{stem}_layer"):
        if candidate not in used:
            alias = candidate
            break
    return ImportBinding(module or None, stem, None if alias == stem else alias)


def _blank_run(lines: Sequence[str], start: int, step: int) -> int:
    count = 0
    index = start
    while 0 <= index < len(lines) and not lines[index].strip():
        count += 1
        index += step
    return count


def _gap_after_imports(ctx: EndpointModule, first: int, last: int) -> int | None:
    """The blank lines ruff's isort wants when removing lines ``first..last`` (0-based)
    leaves the import block directly above the next statement; None otherwise."""
    before = [s for s in ctx.tree.body if (s.end_lineno or s.lineno) - 1 < first]
    after = [s for s in ctx.tree.body if s.lineno - 1 > last]
    if not before or not after or not isinstance(before[-1], (ast.Import, ast.ImportFrom)):
        return None
    if ctx.import_style.lines_after_imports >= 0:
        return ctx.import_style.lines_after_imports
    definition = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return 2 if isinstance(after[0], definition) else 1


def _deletions(
    ctx: EndpointModule, lines: Sequence[str], chunks: Sequence[Chunk]
) -> list[LineOperation]:
    """Line ranges removing ``chunks``; neighbours keep the wider of the blank-line gaps,
    except below the import block, which gets the gap ruff's isort wants."""
    groups: list[list[int]] = []
    for chunk in sorted(chunks, key=lambda c: c.first):
        if groups and all(not line.strip() for line in lines[groups[-1][1] + 1 : chunk.first]):
            groups[-1][1] = chunk.last
        else:
            groups.append([chunk.first, chunk.last])
    operations: list[LineOperation] = []
    for first, last in groups:
        before = _blank_run(lines, first - 1, -1)
        after = _blank_run(lines, last + 1, 1)
        if last + after + 1 >= len(lines) or before == first:
            # At the end, or at the start of the module: no gap is left behind, so the
            # module never starts (or ends) with blank lines.
            operations.append(LineOperation(first - before, last + after + 1, ""))
        else:
            wanted = _gap_after_imports(ctx, first, last)
            gap = "\n" * (max(0, after - before) if wanted is None else max(0, wanted - before))
            start = first if wanted is None or before <= wanted else first - (before - wanted)
            operations.append(LineOperation(start, last + after + 1, gap))
    return operations


def _rename_operations(
    ctx: EndpointModule,
    lines: Sequence[str],
    operations: Sequence[LineOperation],
    renames: dict[str, str],
) -> list[LineOperation]:
    """Rename made-public helpers on the lines no other operation replaces (by the names'
    positions in the syntax tree, so strings and comments are left alone)."""
    if not renames:
        return []
    found: dict[int, list[tuple[int, str]]] = {}
    for statement in ctx.tree.body:
        first = min(
            [statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", []))]
        )
        text = "".join(lines[first - 1 : statement.end_lineno or statement.lineno])
        if not any(old in text for old in renames):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id in renames:
                found.setdefault(node.lineno - 1, []).append((node.col_offset, node.id))
    replaced = {line for op in operations for line in range(op.start, op.end)}
    renamed: list[LineOperation] = []
    for index, names in sorted(found.items()):
        if index in replaced:
            continue
        encoded = lines[index].encode("utf-8")
        for column, old in sorted(names, reverse=True):
            encoded = encoded[:column] + renames[old].encode("utf-8") + encoded[column + len(old) :]
        renamed.append(LineOperation(index, index + 1, encoded.decode("utf-8")))
    return renamed


def _all_order(name: str) -> tuple[int, list[tuple[int, int | str]]]:
    """ruff's isort-style order for ``__all__`` (RUF022): SCREAMING_CASE, then CamelCase,
    then the rest, each in natural order (``item2`` before ``item10``)."""
    group = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    parts = re.split(r"(\d+)", name)
    return group, [(0, int(p)) if p.isdigit() else (1, p) for p in parts if p]


def _render_all(names: Sequence[str]) -> str:
    one_line = "__all__ = [" + ", ".join(f'"{name}"' for name in names) + "]\n"
    if len(one_line) <= 88:
        return one_line
    return "__all__ = [\n" + "".join(f'    "{name}",\n' for name in names) + "]\n"


def _export_operation(
    ctx: EndpointModule,
    lines: Sequence[str],
    operations: Sequence[LineOperation],
    exported: set[str],
    newline: str,
) -> LineOperation:
    """List re-exported names in ``__all__`` (what ruff's default rules accept as a
    deliberate re-export). An existing literal ``__all__`` is extended; otherwise one is
    added listing every public top-level name, so ``from module import *`` is unchanged."""
    existing = next(
        (
            node
            for node in ctx.tree.body
            if isinstance(node, (ast.Assign, ast.AnnAssign))
            and "__all__" in {t.id for t in _targets(node) if isinstance(t, ast.Name)}
        ),
        None,
    )
    if existing is not None:
        value = existing.value
        if isinstance(value, (ast.List, ast.Tuple)) and all(
            isinstance(item, ast.Constant) and isinstance(item.value, str) for item in value.elts
        ):
            listed = [str(item.value) for item in value.elts if isinstance(item, ast.Constant)]
            added = sorted(exported - set(listed), key=_all_order)
            ordered = listed == sorted(listed, key=_all_order)
            names = sorted(listed + added, key=_all_order) if ordered else listed + added
            start, end = existing.lineno - 1, existing.end_lineno or existing.lineno
            return LineOperation(start, end, with_newline(_render_all(names), newline))
        raise ExtractRefusal(
            f"other modules import {', '.join(f'`{n}`' for n in sorted(exported))} from "
            f"{ctx.path.name}, whose `__all__` is not a plain list; add them to it first"
        )
    after = parse_or_refuse(apply_line_operations(lines, operations), ctx.path.name)
    public = sorted(
        (
            name
            for statement in after.body
            for name in bound_names_at_top(statement)
            if not name.startswith("_")
        ),
        key=_all_order,
    )
    prefix = "" if not lines or lines[-1].endswith(("\n", "\r")) else "\n"
    text = prefix + "\n\n" + _render_all(public)
    return LineOperation(len(lines), len(lines), with_newline(text, newline))


def _targets(node: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return list(node.targets) if isinstance(node, ast.Assign) else [node.target]


def _refuse_private_import(name: str, rewritten: ast.Module, ctx: EndpointModule) -> None:
    """A private name the module still uses stays private to it: never import it back."""
    if not name.startswith("_") or name.startswith("__"):
        return
    user = next(
        (node for node in rewritten.body if name in loaded_names([node])),
        None,
    )
    where = (
        f"`{user.name}`"
        if isinstance(user, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        else f"line {user.lineno}"
        if user is not None
        else "other code"
    )
    raise ExtractRefusal(
        f"`{name}` is private to {ctx.path.name} and still used there by {where}; it stays — "
        "make it public or move it to a shared module first"
    )


def rewrite_endpoint_module(
    ctx: EndpointModule,
    endpoint: Endpoint,
    params: Sequence[ServiceParam],
    returns: TypeText | None,
    is_async: bool,
    function_name: str,
    body_span: tuple[int, int],
    chunks: Sequence[Chunk],
    homes: dict[str, ModuleTarget],
    placement: Placement,
    renames: dict[str, str],
    reexports: set[str],
    *,
    direct: bool = False,
) -> tuple[str, list[LineOperation]]:
    """The endpoint module with its body replaced by the service call and its imports fixed,
    and the line operations that make that change. Moved names in ``reexports`` (other files
    import them from this module) are imported back as ``name as name``, which ruff reads as
    a deliberate re-export. With ``direct``, the function is imported from the service
    module by name and called by it."""
    lines = ctx.lines
    newline = newline_of(ctx.text)
    if direct:
        alias_binding = ImportBinding(ctx.layout.service.module, function_name)
        callee = function_name
    else:
        alias_binding = _service_alias(ctx, endpoint)
        callee = f"{alias_binding.bound}.{function_name}"
    indent_line = lines[body_statements(endpoint.node)[0].lineno - 1]
    indent = indent_line[: indent_width(indent_line)] or "    "
    returns_nothing = returns is not None and returns.text == "None"
    keyword = ("" if returns_nothing else "return ") + ("await " if is_async else "")
    call = render_call(callee, params, indent, keyword)

    operations = [LineOperation(body_span[0], body_span[1] + 1, with_newline(call, newline))]
    operations += [
        LineOperation(op.start, op.end, with_newline(op.text, newline))
        for op in _deletions(ctx, lines, chunks)
    ]
    operations += _rename_operations(ctx, lines, operations, renames)
    intermediate = apply_line_operations(lines, operations)
    rewritten = parse_or_refuse(intermediate, "the rewritten endpoint module")
    still_used = loaded_names([rewritten])

    moved_names = {chunk.name for chunk in chunks}
    touched = free_names(body_statements(endpoint.node)) | {
        name for chunk in chunks for name in placement.needs.get(chunk.name, set())
    }
    for param in params:
        for item in (param.annotation, param.default):
            if item is not None:
                touched |= item.local_names
    remove = {
        name
        for name in touched
        if name in ctx.symbols.imports and name not in still_used and name not in moved_names
    }
    add = [alias_binding]
    exported: set[str] = set()
    for name in sorted(moved_names):
        public = renames.get(name, name)
        if public in still_used:
            _refuse_private_import(public, rewritten, ctx)
            add.append(ImportBinding(homes[name].module, public))
        elif name in reexports:
            add.append(ImportBinding(homes[name].module, name))
            exported.add(name)
    # Imports are top-level statements the other operations never touch, so their
    # operations are computed on the original lines too and all of them apply at once.
    operations += from_text_edits(
        lines,
        plan_imports(
            ctx.text,
            generated_imports(add, ctx.package, ctx, ctx.path.name, ctx.symbols.imports.values()),
            remove,
            ctx.import_style,
            package=ctx.package,
        ),
    )
    if exported:
        operations.append(_export_operation(ctx, lines, operations, exported, newline))
    return apply_line_operations(lines, operations), operations
