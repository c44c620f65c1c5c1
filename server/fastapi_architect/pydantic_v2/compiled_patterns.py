"""A V1 ``regex`` V2's Rust engine cannot run, kept on Python's ``re`` as ``re.compile(...)``.

Pydantic 2 (from 2.9) accepts a compiled ``re.Pattern`` as ``pattern`` and then searches with
that pattern, flags included, for that field only; the JSON schema and the error's ``pattern``
show the pattern's source text. Pydantic 2.7 and 2.8 reject a compiled pattern when the model
is built, so the finding says so.
"""

from __future__ import annotations

import ast
import re
import warnings

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.regex_dialect import UnsupportedPattern

RE_IMPORT = ImportBinding(None, "re")
NOTE = (
    " A `regex` using what V2's Rust engine lacks is kept on Python's `re` as "
    "`pattern=re.compile(...)`, which Pydantic accepts from 2.9 on (for 2.7 and 2.8, set "
    '`regex_engine="python-re"` in the model\'s config and keep the anchored pattern as a string).'
)


def check_python_pattern(tree: ast.Module, pattern: str) -> None:
    """Raise ``UnsupportedPattern`` when ``re.compile(pattern)`` cannot be written here: the
    pattern does not compile (V1 failed too), or ``re`` in this module is something else."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except re.error as error:
        raise UnsupportedPattern(f"Python's `re` cannot compile it ({error})") from None
    other = _other_re(tree.body)
    if other is not None:
        raise UnsupportedPattern(
            "V2's regex engine cannot run it and the faithful `re.compile(...)` needs `re`, "
            f"but `re` in this module is {other}"
        )


def _other_re(body: list[ast.stmt]) -> str | None:
    """What binds ``re`` to something other than the ``re`` module at the module's top level
    or in a class body there (None when nothing does)."""
    for stmt in body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if (alias.asname or alias.name.split(".")[0]) == "re" and alias.name != "re":
                    return f"imported as `{alias.name}`"
        elif isinstance(stmt, ast.ImportFrom):
            if any((a.asname or a.name) == "re" for a in stmt.names):
                return f"imported from {stmt.module or '.'}"
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name == "re":
            return "defined in this module"
        elif _assigns_re(stmt):
            return "assigned in this module"
        blocks: list[list[ast.stmt]] = []
        if isinstance(stmt, ast.ClassDef):
            if stmt.name == "re":
                return "defined in this module"
            blocks.append(stmt.body)
        elif isinstance(stmt, ast.If | ast.Try | ast.With | ast.For | ast.While):
            blocks += [stmt.body, getattr(stmt, "orelse", []), getattr(stmt, "finalbody", [])]
            blocks += [handler.body for handler in getattr(stmt, "handlers", [])]
        for block in blocks:
            found = _other_re(block)
            if found is not None:
                return found
    return None


def _assigns_re(stmt: ast.stmt) -> bool:
    """Whether the assignment, ``for`` target or ``with ... as`` of ``stmt`` binds ``re``."""
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, ast.AnnAssign | ast.AugAssign | ast.For):
        targets = [stmt.target]
    elif isinstance(stmt, ast.With):
        targets = [i.optional_vars for i in stmt.items if i.optional_vars is not None]
    return any(
        isinstance(n, ast.Name) and n.id == "re" and not isinstance(n.ctx, ast.Load)
        for target in targets
        for n in ast.walk(target)
    )
