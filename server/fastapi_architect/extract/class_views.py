"""Class-based views: path operations that are methods of a ``@cbv(router)`` class.

fastapi-utils and fastapi-restful (``from fastapi_utils.cbv import cbv``) turn annotated class
attributes (``session: Session = Depends(get_db)``) into dependencies every method reads as
``self.session``. Extracting a method passes each such attribute to the service as an
argument (``session=self.session``): the body reads ``session``. Whatever else a body does
with ``self`` — assigning an attribute, calling another method, reading an attribute the
class does not declare, handing ``self`` on — cannot be kept and is refused with the reason.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

CBV_DECORATORS = frozenset({"cbv"})
"""Names of class decorators that make a class-based view."""

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def is_class_view(node: ast.ClassDef) -> bool:
    """Whether ``node`` is decorated with ``@cbv(...)`` (under any module prefix)."""
    for decorator in node.decorator_list:
        func = decorator.func if isinstance(decorator, ast.Call) else None
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else None
        )
        if name in CBV_DECORATORS:
            return True
    return False


def class_view_methods(
    tree: ast.Module,
) -> Iterator[tuple[ast.ClassDef, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """The methods of every top-level class-based view, with their class."""
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef) and is_class_view(statement):
            for item in statement.body:
                if isinstance(item, _FUNCTIONS):
                    yield statement, item


def dependency_attributes(owner: ast.ClassDef) -> dict[str, ast.AnnAssign]:
    """The annotated class attributes (``session: Session = Depends(get_db)``), by name."""
    found: dict[str, ast.AnnAssign] = {}
    for item in owner.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            annotation = item.annotation
            head = annotation.value if isinstance(annotation, ast.Subscript) else annotation
            name = head.id if isinstance(head, ast.Name) else getattr(head, "attr", "")
            if name != "ClassVar":
                found[item.target.id] = item
    return found


def self_parameter(method: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The name the method's instance is bound to (``None`` for a static method)."""
    for decorator in method.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id == "staticmethod":
            return None
    positional = [*method.args.posonlyargs, *method.args.args]
    return positional[0].arg if positional else None


@dataclass(frozen=True)
class SelfUses:
    """The class attributes a method body reads through ``self``, and where."""

    self_name: str | None
    attributes: tuple[str, ...]
    """Dependency attributes used, in the order they are declared on the class."""
    nodes: tuple[ast.Attribute, ...]
    """Every ``self.<attribute>`` expression of the body."""
    owner: ast.ClassDef


def _methods(owner: ast.ClassDef) -> set[str]:
    return {item.name for item in owner.body if isinstance(item, _FUNCTIONS)}


def self_uses(
    owner: ast.ClassDef,
    method: ast.FunctionDef | ast.AsyncFunctionDef,
    body: Sequence[ast.stmt],
) -> SelfUses | str:
    """What the body does with ``self``, or why that cannot be preserved in a service."""
    self_name = self_parameter(method)
    attributes = dependency_attributes(owner)
    where = f"`{method.name}` of the class-based view `{owner.name}`"
    parents: dict[int, ast.AST] = {}
    names_in_body: set[str] = set()
    uses: list[ast.Attribute] = []
    in_long_fstrings: set[int] = set()
    for statement in body:
        for node in ast.walk(statement):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
            if isinstance(node, ast.JoinedStr) and node.lineno != node.end_lineno:
                in_long_fstrings.update(id(inner) for inner in ast.walk(node))
            if isinstance(node, ast.arg):
                names_in_body.add(node.arg)
            elif isinstance(node, ast.Name):
                names_in_body.add(node.id)
    for statement in body:
        for node in ast.walk(statement):
            if not isinstance(node, ast.Name):
                continue
            if node.id == owner.name:
                return f"{where} uses its own class `{owner.name}`; the service cannot"
            if node.id == "super":
                return f"{where} calls `super()`, which only works inside the class"
            if node.id != self_name:
                continue
            parent = parents.get(id(node))
            if not isinstance(parent, ast.Attribute) or parent.value is not node:
                return (
                    f"{where} passes `{self_name}` itself on; only reads of its declared "
                    "dependencies (`self.<attribute>`) can become service arguments"
                )
            attribute = parent.attr
            if not isinstance(parent.ctx, ast.Load):
                return (
                    f"{where} assigns `{self_name}.{attribute}`; the service cannot change "
                    "the view's state — return the value instead"
                )
            if attribute in _methods(owner):
                return (
                    f"{where} calls the method `{self_name}.{attribute}`; move that method "
                    "to a module-level function first"
                )
            if attribute not in attributes:
                return (
                    f"{where} reads `{self_name}.{attribute}`, which is not a dependency "
                    f"declared on the class (`{attribute}: Type = Depends(...)`)"
                )
            if attribute in names_in_body or attribute in _parameters(method):
                return (
                    f"{where} reads `{self_name}.{attribute}`, which would become the "
                    f"argument `{attribute}`, but the method already uses that name; "
                    "rename one of them first"
                )
            if parent.lineno != parent.end_lineno or id(parent) in in_long_fstrings:
                return (
                    f"`{self_name}.{attribute}` is split over lines (or inside a multi-line "
                    f"f-string) in {where}; put it on one line first"
                )
            uses.append(parent)
    used = {node.attr for node in uses}
    ordered = tuple(name for name in attributes if name in used)
    return SelfUses(self_name, ordered, tuple(uses), owner)


def _parameters(method: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = method.args
    return {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
