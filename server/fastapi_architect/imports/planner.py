"""Plan the minimal edits that add and remove imports the way ruff's isort lays them out.

A block that is already in ruff's layout is re-rendered whole with the change and diffed, so
it stays sorted. A block in another order keeps its order: only the statements that change
are rewritten, and new statements go to their sorted place among their section's neighbours.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable, Sequence

from fastapi_architect.imports.model import (
    ImportBinding,
    ImportBlock,
    ImportedName,
    ImportStatement,
    ScannedImports,
)
from fastapi_architect.imports.order import (
    block_order,
    render_block,
    render_statement,
    section,
    statement_key,
)
from fastapi_architect.imports.scan import scan_imports
from fastapi_architect.imports.style import DEFAULT_STYLE, ImportStyle
from fastapi_architect.textedit import TextEdit, TextPosition, minimal_edits, split_lines

_DEFINITION = re.compile(r"(?:@|def[ \t]|class[ \t]|async[ \t]+def[ \t])")
_TYPE_CHECKING_WORD = re.compile(r"\bTYPE_CHECKING\b")
_ELSE = re.compile(r"(?:else|elif|except|finally)\b")
_IMPORT_START = re.compile(r"(?:from|import)[ \t]")


@dataclasses.dataclass(frozen=True)
class _Region:
    """Replace lines ``start``..``end`` (exclusive) with ``lines`` (``\\n`` endings)."""

    start: int
    end: int
    lines: list[str]


def newline_of(text: str) -> str:
    """The document's line ending: that of its first line (``\\n`` when it has none)."""
    index = text.find("\n")
    if index > 0 and text[index - 1] == "\r":
        return "\r\n"
    if index < 0 and "\r" in text:
        return "\r"
    return "\n"


def plan_imports(
    text: str,
    add: Iterable[ImportBinding] = (),
    remove: Collection[str] = (),
    style: ImportStyle = DEFAULT_STYLE,
    *,
    package: str = "",
    scanned: ScannedImports | None = None,
) -> list[TextEdit]:
    """Minimal edits that import ``add`` and drop the imports binding the names in ``remove``.

    Names the document already imports are not imported again; a name only imported inside
    ``if TYPE_CHECKING:`` that is now needed at run time moves out of it. A name asked for
    with ``annotation_only`` joins an existing ``if TYPE_CHECKING:`` block of a module with
    ``from __future__ import annotations``. ``package`` is the document's own package, to
    match absolute requests with relative imports.
    """
    scanned = scan_imports(text) if scanned is None else scanned
    lines = split_lines(text)
    runtime: set[str] = set()
    modules: set[str] = set()
    for statement in [s for block in (*scanned.blocks, *scanned.nested) for s in block.statements]:
        runtime.update(statement.bound_names())
        if not statement.is_from:
            modules.update(n.name for n in statement.names if n.asname is None)
    tc = scanned.type_checking
    tc_block = tc.block if tc is not None else None
    typing_only = {n for s in tc_block.statements for n in s.bound_names()} if tc_block else set()

    main_removals = set(remove)
    tc_removals = set(remove)
    main_adds: list[ImportBinding] = []
    tc_adds: list[ImportBinding] = []
    wanted: set[str] = set()
    for request in add:
        bound = request.bound
        plain_module = request.module is None and request.asname is None
        if plain_module and request.name in modules:
            continue  # ``import a.b`` binds ``a`` but is still needed when only ``a`` is imported
        if not plain_module and (bound in wanted or (bound in runtime and bound not in remove)):
            continue
        wanted.add(bound)
        if bound in typing_only and bound not in remove:
            if request.annotation_only:
                continue
            tc_removals.add(bound)
        if request.annotation_only and tc_block is not None and scanned.has_future_annotations:
            tc_adds.append(request)
        else:
            main_adds.append(dataclasses.replace(request, annotation_only=False))

    regions: list[_Region] = []
    skip_to: int | None = None
    if tc is not None and tc_block is not None:
        emptied = not tc_adds and all(
            all(name in tc_removals for name in s.bound_names()) for s in tc_block.statements
        )
        follows = _next_code_line(lines, tc.body_end)
        has_else = follows < len(lines) and _ELSE.match(lines[follows]) is not None
        if emptied and tc.body_end == tc_block.end and not has_else:
            start, end = tc.if_line, _next_code_line(lines, tc.body_end)
            if end < len(lines) and not (start > 0 and not lines[start - 1].strip()):
                end = tc.body_end
            regions.append(_Region(start, end, []))
            skip_to = end
            if len(_TYPE_CHECKING_WORD.findall(text)) == 2:
                main_removals.add("TYPE_CHECKING")
        else:
            region = _plan_block(
                lines, tc_block, tc_adds, tc_removals, style, package, tc.indent, None
            )
            if region is not None:
                regions.append(region)

    editable = [*scanned.blocks, *scanned.nested]
    routed: dict[int, list[ImportBinding]] = {}
    for request in main_adds:
        home = 0
        if request.module is not None and (request.asname is None or style.combine_as_imports):
            home = next(
                (
                    index
                    for index, block in enumerate(editable)
                    if _merge_target(block.statements, request.module, package, style) is not None
                ),
                0,
            )
        routed.setdefault(home, []).append(request)
    for index, block in enumerate(editable):
        top_level = index < len(scanned.blocks)
        region = _plan_block(
            lines,
            block,
            routed.get(index, []),
            main_removals,
            style,
            package,
            block.statements[0].indent,
            _Trailer(skip_to) if top_level else None,
        )
        if region is not None:
            regions.append(region)
    if not editable and main_adds and scanned.insert_line >= 0:
        regions.append(_new_block(lines, scanned, main_adds, style, skip_to))
    return _edits(text, lines, regions)


@dataclasses.dataclass(frozen=True)
class _Trailer:
    """Blank lines after a module-level block are set as ruff wants them."""

    skip_to: int | None
    """Code between the block and this line is being deleted (an emptied TYPE_CHECKING)."""


def _next_code_line(lines: Sequence[str], start: int) -> int:
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def _trailer(lines: Sequence[str], after: int, style: ImportStyle) -> list[str]:
    """The blank lines ruff wants between an import block and the line ``after`` it."""
    if after >= len(lines):
        return []
    if _IMPORT_START.match(lines[after]):
        return ["\n"] * (after - _last_code_line(lines, after))  # a half-typed import: as it is
    wanted = style.lines_after_imports
    if wanted < 0:
        following = after
        while following < len(lines) - 1 and lines[following].lstrip().startswith("#"):
            following += 1  # comments directly above a definition belong to it
        wanted = 2 if _DEFINITION.match(lines[following]) else 1
    return ["\n"] * wanted


def _last_code_line(lines: Sequence[str], before: int) -> int:
    index = before - 1
    while index >= 0 and not lines[index].strip():
        index -= 1
    return index + 1


def _blank(lines: Sequence[str], index: int) -> bool:
    return 0 <= index < len(lines) and not lines[index].strip()


def _is_canonical(lines: Sequence[str], block: ImportBlock, style: ImportStyle) -> bool:
    """Whether ``block`` is exactly as ruff would lay it out."""
    ordered = [s for group in block_order(block.statements, style) for s in group]
    if ordered != list(block.statements):
        return False
    actual = [line.rstrip("\r\n") + "\n" for line in lines[block.start : block.end]]
    return actual == render_block(block.statements, style)


def _combinable(statement: ImportStatement, style: ImportStyle) -> bool:
    return (
        statement.is_from
        and not style.force_single_line
        and all(n.name != "*" for n in statement.names)
        and (style.combine_as_imports or all(n.asname is None for n in statement.names))
    )


def _plan_block(
    lines: Sequence[str],
    block: ImportBlock,
    adds: Sequence[ImportBinding],
    removals: Collection[str],
    style: ImportStyle,
    package: str,
    indent: str,
    trailer: _Trailer | None,
) -> _Region | None:
    """The replacement of ``block``'s lines that applies ``adds`` and ``removals``."""
    statements = list(block.statements)
    current: list[ImportStatement | None] = list(statements)
    for index, statement in enumerate(statements):
        kept = tuple(
            name
            for name, bound in zip(statement.names, statement.bound_names(), strict=True)
            if bound not in removals
        )
        if len(kept) != len(statement.names):
            # A shrunk statement takes the layout ruff gives it from scratch, so removing
            # names in steps or at once ends with the same text.
            current[index] = dataclasses.replace(statement, names=kept, magic_trailing_comma=False)
    new_units: list[ImportStatement] = []
    for request in adds:
        name = ImportedName(request.name, request.asname)
        if request.module is None:
            new_units.append(ImportStatement(None, 0, (name,), is_from=False, indent=indent))
            continue
        if request.asname is None or style.combine_as_imports:
            target = _merge_target(current, request.module, package, style)
            if target is not None:
                existing = current[target]
                assert existing is not None
                current[target] = dataclasses.replace(existing, names=(*existing.names, name))
                continue
            unit = _merge_target(list(new_units), request.module, package, style)
            if unit is not None:
                previous = new_units[unit]
                new_units[unit] = dataclasses.replace(previous, names=(*previous.names, name))
                continue
        new_units.append(_from_unit(request.module, name, indent))
    if not new_units and all(c is s for c, s in zip(current, statements, strict=True)):
        return None
    current = [c if c is not None and c.names else None for c in current]

    end = block.end
    if trailer is not None:
        end = _next_code_line(lines, block.end)
        after = end if trailer.skip_to is None or trailer.skip_to < end else trailer.skip_to
        after = _next_code_line(lines, after)
    kept_statements = [s for s in current if s is not None]
    if _is_canonical(lines, block, style):
        body = render_block([*kept_statements, *new_units], style)
    else:
        body = _keep_order(lines, block, current, new_units, style)
    emptied = not kept_statements and not new_units
    if emptied and block.body_end is not None and block.body_end <= block.end:
        body = [f"{indent}pass\n"]  # the body must keep a statement
    if trailer is not None:
        if not body:
            start = block.start
            if start == 0 or _blank(lines, start - 1) or after >= len(lines):
                return _Region(start, end, [])
            return _Region(start, end, ["\n"])
        body += _trailer(lines, after, style)
    return _Region(block.start, end, body)


def _merge_target(
    statements: Sequence[ImportStatement | None], module: str, package: str, style: ImportStyle
) -> int | None:
    for index, statement in enumerate(statements):
        if (
            statement is not None
            and statement.is_from
            and _combinable(statement, style)
            and module in (statement.absolute_module(package), statement.module_text)
        ):
            return index
    return None


def _keep_order(
    lines: Sequence[str],
    block: ImportBlock,
    current: Sequence[ImportStatement | None],
    new_units: Sequence[ImportStatement],
    style: ImportStyle,
) -> list[str]:
    """The block with its order kept: changed statements rewritten, new ones at their place."""
    statements = block.statements
    before: dict[int, list[ImportStatement]] = {}
    after: dict[int, list[ImportStatement]] = {}
    own_section: set[int] = set()
    live = [i for i, s in enumerate(current) if s is not None]
    for unit in new_units:
        unit_section = section(unit, style)
        key = statement_key(unit, style)
        same = [i for i in live if section(statements[i], style) == unit_section]
        later = [i for i in same if statement_key(statements[i], style) > key]
        if later:
            before.setdefault(later[0], []).append(unit)
        elif same:
            after.setdefault(same[-1], []).append(unit)
        else:
            following = [i for i in live if section(statements[i], style) > unit_section]
            if following:
                before.setdefault(following[0], []).append(unit)
                own_section.add(following[0])
            else:
                target = live[-1] if live else len(statements) - 1
                after.setdefault(target, []).append(unit)
                if live:
                    own_section.add(-1 - target)
    out: list[str] = []
    cursor = block.start
    for index, statement in enumerate(statements):
        out += [_lf(line) for line in lines[cursor : statement.comment_start]]
        if index in before:
            out += render_block(before[index], style)
            if index in own_section:
                out.append("\n")
        replacement = current[index]
        if replacement is statement:
            out += [_lf(line) for line in lines[statement.comment_start : statement.end]]
        elif replacement is not None:
            out += render_statement(replacement, style)
        elif (not out or out[-1] == "\n") and _blank(lines, statement.end):
            cursor = statement.end + 1  # no double blank line where the statement was
            continue
        if index in after:
            if -1 - index in own_section:
                out.append("\n")
            out += render_block(after[index], style)
        cursor = statement.end
    while out and out[-1] == "\n":
        out.pop()  # the block's last statements went: the blank line before them goes too
    return out


def _lf(line: str) -> str:
    return line.rstrip("\r\n") + "\n" if line.endswith(("\n", "\r")) else line


def _new_block(
    lines: Sequence[str],
    scanned: ScannedImports,
    adds: Sequence[ImportBinding],
    style: ImportStyle,
    skip_to: int | None,
) -> _Region:
    """A first import block, after the docstring (or at the top)."""
    units: list[ImportStatement] = []
    for request in adds:
        units = _units(units, request, style)
    start = scanned.insert_line
    end = _next_code_line(lines, start)
    after = _next_code_line(lines, skip_to) if skip_to is not None and skip_to > end else end
    body = (["\n"] if scanned.after_docstring else []) + render_block(units, style)
    return _Region(start, end, body + _trailer(lines, after, style))


def _units(
    units: list[ImportStatement], request: ImportBinding, style: ImportStyle
) -> list[ImportStatement]:
    name = ImportedName(request.name, request.asname)
    if request.module is None:
        return [*units, ImportStatement(None, 0, (name,), is_from=False)]
    if request.asname is None or style.combine_as_imports:
        target = _merge_target(units, request.module, "", style)
        if target is not None:
            merged = dataclasses.replace(units[target], names=(*units[target].names, name))
            return [*units[:target], merged, *units[target + 1 :]]
    return [*units, _from_unit(request.module, name, "")]


def _from_unit(module: str, name: ImportedName, indent: str) -> ImportStatement:
    """A new ``from module import name`` (``module`` may be relative: ``.models``)."""
    stripped = module.lstrip(".")
    level = len(module) - len(stripped)
    return ImportStatement(stripped or None, level, (name,), is_from=True, indent=indent)


def _edits(text: str, lines: Sequence[str], regions: Sequence[_Region]) -> list[TextEdit]:
    """Minimal edits for ``regions``, in the document's own line endings."""
    newline = newline_of(text)
    edits: list[TextEdit] = []
    for region in sorted(regions, key=lambda r: r.start):
        old = "".join(lines[region.start : region.end])
        new = "".join(region.lines)
        if newline != "\n":
            new = new.replace("\n", newline)
        if region.start >= len(lines) and text and not text.endswith(("\n", "\r")) and new:
            last = len(lines) - 1
            position = TextPosition(last, len(lines[last]))
            edits.append(TextEdit(position, position, newline + new))
            continue
        for edit in minimal_edits(old, new):
            edits.append(
                TextEdit(
                    TextPosition(edit.start.line + region.start, edit.start.column),
                    TextPosition(edit.end.line + region.start, edit.end.column),
                    edit.new_text,
                )
            )
    return edits
