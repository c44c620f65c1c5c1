"""Functions of other workspace files that a module wraps in a V1 validator.

``parse_before = root_validator(pre=True)(parse)`` with ``from app.checks import parse``:
how V2 may call ``parse`` depends on its parameters, which live in ``app/checks.py``. The
workspace index (``model_index``) resolves the import and keeps, per module, a one-line
``def`` of each top-level function (parameters only, no body): enough to check the signature
here, small enough to cache, and hashable, so the engine's cache key covers it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class ImportedFunction:
    """A top-level function of another workspace module, reduced to what a wrapper needs."""

    module: str
    """The dotted module it is defined in, for messages (``app.checks``)."""
    header: str
    """Its ``def`` line with parameters, defaults and decorators (``def parse(cls, values):
    ...``)."""

    def definition(self) -> FunctionNode | None:
        """The function as a parsed ``def`` without a body (None if the header is unusable)."""
        try:
            tree = ast.parse(self.header)
        except (SyntaxError, ValueError, RecursionError):
            return None
        found = tree.body[0] if tree.body else None
        return found if isinstance(found, ast.FunctionDef | ast.AsyncFunctionDef) else None


def function_header(stmt: FunctionNode) -> str:
    """The ``def`` of ``stmt`` with its decorators and parameters and ``...`` for a body."""
    decorators = "".join(f"@{ast.unparse(d)}\n" for d in stmt.decorator_list)
    keyword = "async def" if isinstance(stmt, ast.AsyncFunctionDef) else "def"
    return f"{decorators}{keyword} {stmt.name}({ast.unparse(stmt.args)}): ..."


def wrapped_names(tree: ast.Module) -> set[str]:
    """Names passed alone to the result of a call in a module-level or class-level assignment,
    as in ``check = validator("x")(fn)`` — the only imported names whose definition the engine
    asks for (statements only, not every expression: this runs on every change)."""
    found: set[str] = set()
    bodies = [tree.body]
    while bodies:
        for stmt in bodies.pop():
            if isinstance(stmt, ast.ClassDef):
                bodies.append(stmt.body)
            elif isinstance(stmt, ast.If | ast.Try):
                bodies.extend(b for b in (stmt.body, stmt.orelse) if b)
            value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
            if (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Call)
                and len(value.args) == 1
                and not value.keywords
                and isinstance(value.args[0], ast.Name)
            ):
                found.add(value.args[0].id)
    return found
