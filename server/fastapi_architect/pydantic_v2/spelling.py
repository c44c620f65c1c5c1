"""How a conversion writes a name it adds (Pydantic's ``SerializeAsAny`` / ``model_validator``,
``typing.Any``), asked of the name resolver so the text never means something else there.

A local name that means Pydantic's where the new text goes is reused (``from pydantic import
model_validator as mv`` → ``mv``); a module using only ``pd.X`` keeps that style; otherwise the
bare name with an import, refused when the module binds that name to something else.
"""

from __future__ import annotations

import ast

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.names import PydanticNames


class Unspellable(Exception):
    """The name cannot be written here without meaning something else."""


def pydantic_spelling(
    names: PydanticNames, wanted: str, at: ast.expr | ast.stmt | None = None
) -> tuple[str, ImportBinding | None]:
    """How the module names Pydantic's ``wanted`` at ``at`` (None: once the module has run),
    and the import that spelling needs; ``Unspellable`` when no spelling is free."""
    for local, canonical in names.pydantic_from.items():
        if canonical == wanted and names.means(local, wanted, at):
            return local, None
    if not names.pydantic_from:
        for alias, module in names.modules.items():
            if module == "pydantic" and names.modules_of(_name_at(names, alias, at)) == {
                "pydantic"
            }:
                return f"{alias}.{wanted}", None
    if names.means(wanted, wanted, at):  # ``from pydantic import *``
        return wanted, None
    other = names.other_bindings.get(wanted)
    if other is not None:
        raise Unspellable(f"`{wanted}` in this module is {other}")
    return wanted, ImportBinding("pydantic", wanted)


TYPING = ("typing", "typing_extensions")


def typing_spelling(
    names: PydanticNames, wanted: str, at: ast.expr | ast.stmt | None = None
) -> tuple[str, ImportBinding | None]:
    """How the module names ``typing.wanted`` at ``at`` (a local ``from typing import`` name,
    then ``typing.wanted`` / ``t.wanted``), and the import that needs; ``Unspellable`` when
    the bare name is bound to something else."""
    for local, canonical in names.typing_from.items():
        read = _name_at(names, local, at)
        if canonical == wanted and names.pydantic_name(read, TYPING) == wanted:
            return local, None
    for module in names.typing_modules:
        if names.modules_of(_name_at(names, module, at)) == {"typing"}:
            return f"{module}.{wanted}", None
    other = names.other_bindings.get(wanted)
    if other is not None:
        raise Unspellable(f"`{wanted}` in this module is {other}")
    return wanted, ImportBinding("typing", wanted)


def _name_at(names: PydanticNames, local: str, at: ast.expr | ast.stmt | None) -> ast.Name:
    """A read of ``local`` where ``at`` is, or after the module's last statement."""
    name = ast.Name(id=local, ctx=ast.Load())
    if at is not None:
        return ast.copy_location(name, at)
    body = names.tree.body if names.tree is not None else []
    name.lineno = (body[-1].end_lineno or body[-1].lineno) + 1 if body else 1
    name.col_offset = 0
    return name
