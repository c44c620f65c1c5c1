"""V1's validator-reuse registry ``pydantic.class_validators._FUNCS`` → removed (PYD013).

V1 recorded every validator function's qualified name in ``_FUNCS`` and raised "duplicate
validator function" when a module defining validators ran twice (reloads, Streamlit, test
setups); projects cleared it with ``_FUNCS.clear()``. V2 keeps no such registry and never
raises that error, and the import fails: the import and the ``_FUNCS.clear()`` statements go,
with the comment lines right above them (a statement alone in its block becomes ``pass``). Any
other use is reported.
"""

from __future__ import annotations

import ast

from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import MOVED_NAME_CODE
from fastapi_architect.pydantic_v2.names import top_level_imports
from fastapi_architect.pydantic_v2.source import Replacement, Source

MODULE = "pydantic.class_validators"
REGISTRY = "_FUNCS"
WHY = (
    f"`{MODULE}.{REGISTRY}` does not exist in Pydantic V2: V1 kept validator names there to "
    "raise its validator-reuse error, which V2 never raises (it keeps no such registry)"
)


def plan_validator_registry(src: Source) -> list[Conversion]:
    """A conversion for every module-level ``from pydantic.class_validators import _FUNCS``."""
    if REGISTRY not in src.text:
        return []
    conversions: list[Conversion] = []
    for stmt in top_level_imports(src.tree.body):
        if not isinstance(stmt, ast.ImportFrom) or stmt.level or stmt.module != MODULE:
            continue
        for alias in stmt.names:
            if alias.name == REGISTRY:
                conversions.append(_convert(src, alias))
    return conversions


def _convert(src: Source, alias: ast.alias) -> Conversion:
    local = alias.asname or alias.name
    key = f"import:{MODULE}.{REGISTRY}" + (f" as {alias.asname}" if alias.asname else "")
    start, end = src.start(alias), src.end(alias)
    clears = _clear_statements(src.tree, local)
    uses = sum(isinstance(n, ast.Name) and n.id == local for n in ast.walk(src.tree))
    alone = [stmt for stmt, _ in clears if _own_line(src, stmt)]
    if uses != len(clears) or len(alone) != len(clears):
        message = (
            f"{WHY}; `{local}` is used here for more than `{local}.clear()` on a line of its "
            "own: remove the import and those uses by hand."
        )
        return refused(MOVED_NAME_CODE, key, message, start, end)
    replacements = []
    for stmt, only in clears:
        if only:
            replacements.append(Replacement(src.start(stmt), src.end(stmt), "pass"))
        else:
            first, last = stmt.lineno, stmt.end_lineno or stmt.lineno
            while first > 1 and src.line_text(first - 1).strip().startswith("#"):
                first -= 1  # the comment right above explains the statement: it goes too
            before = src.line_text(first - 1).split("#")[0].rstrip()
            opens = not before or before.endswith(":")
            if opens and last < len(src.lines) and not src.line_text(last + 1).strip():
                last += 1  # no blank line left where the statement opened its block
            replacements.append(Replacement(src.line_start(first), src.line_end(last), ""))
    count = f" and its {len(clears)} `.clear()` calls" if len(clears) > 1 else ""
    count = count or (" and its `.clear()` call" if clears else "")
    return Conversion(
        MOVED_NAME_CODE,
        key,
        f"Remove `{local}`{count}",
        f"{WHY}: the import{count} go.",
        start,
        end,
        replacements,
        remove={local},
    )


def _clear_statements(tree: ast.AST, local: str) -> list[tuple[ast.Expr, bool]]:
    """Every ``local.clear()`` statement, with True when it is alone in its block."""
    found: list[tuple[ast.Expr, bool]] = []
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            for stmt in block:
                if _is_clear(stmt, local):
                    found.append((stmt, len(block) == 1))
    return found


def _own_line(src: Source, stmt: ast.stmt) -> bool:
    """True when nothing but ``stmt`` (and a comment) is on its line."""
    line = src.line_text(stmt.lineno).strip()
    segment = src.segment(stmt)
    return line.startswith(segment) and line[len(segment) :].strip()[:1] in ("", "#")


def _is_clear(stmt: object, local: str) -> bool:
    if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
        return False
    call = stmt.value
    func = call.func
    return (
        not call.args
        and not call.keywords
        and isinstance(func, ast.Attribute)
        and func.attr == "clear"
        and isinstance(func.value, ast.Name)
        and func.value.id == local
    )
