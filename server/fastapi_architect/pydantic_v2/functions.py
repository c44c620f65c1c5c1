"""Text-level edits on one function: its decorators, parameters and the uses of a parameter."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi_architect.astutil import parameter_defaults
from fastapi_architect.pydantic_v2.plan import Refusal
from fastapi_architect.pydantic_v2.source import Replacement, Source

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def is_classmethod_decorator(expr: ast.expr) -> bool:
    """True for ``@classmethod`` (bare name)."""
    return isinstance(expr, ast.Name) and expr.id == "classmethod"


def refuse_unconvertible_method(func: FunctionNode, decorator: ast.expr) -> None:
    """Raise ``Refusal`` when ``func`` carries decorators besides ``decorator`` and
    ``@classmethod``, or is ``async def`` — shapes no V2 conversion keeps faithfully."""
    for other in func.decorator_list:
        if other is decorator or is_classmethod_decorator(other):
            continue
        raise Refusal(f"it has another decorator `@{ast.unparse(other)}`")
    if isinstance(func, ast.AsyncFunctionDef):
        raise Refusal("it is `async def`, which neither V1 nor V2 await")


DEAD_IN_V1_NOTE = (
    "with `@classmethod` above the V1 decorator, V1 never registered this validator (it did not "
    "run); the converted one runs"
)


def classmethod_above(func: FunctionNode, decorator: ast.expr) -> bool:
    """True when ``@classmethod`` sits above ``decorator``, which hides it from V1 entirely."""
    index = func.decorator_list.index(decorator)
    return any(is_classmethod_decorator(d) for d in func.decorator_list[:index])


def whole_line_span(src: Source, node: ast.expr) -> tuple[int, int] | None:
    """The span of the decorator line(s) holding ``node`` (the ``@`` through the line end).

    None when something other than whitespace or a comment shares those lines.
    """
    start_line = node.lineno
    end_line = node.end_lineno or node.lineno
    before = src.text[src.line_start(start_line) : src.start(node)]
    if before.strip() != "@":
        return None
    after = src.line_text(end_line)[len(src.text[src.line_start(end_line) : src.end(node)]) :]
    if after.strip() and not after.strip().startswith("#"):
        return None
    return src.line_start(start_line), src.line_end(end_line)


def trailing_comment(src: Source, node: ast.expr) -> str:
    """The ``# comment`` after ``node`` on its last line, or ``""``."""
    end_line = node.end_lineno or node.lineno
    after = src.text[src.end(node) : src.line_start(end_line) + len(src.line_text(end_line))]
    stripped = after.strip()
    return stripped if stripped.startswith("#") else ""


def line_removal(src: Source, node: ast.expr) -> Replacement | None:
    """Delete the decorator line(s) of ``node``; a trailing comment stays on its own line."""
    span = whole_line_span(src, node)
    if span is None:
        return None
    comment = trailing_comment(src, node)
    kept = f"{src.indent_of(node.lineno)}{comment}{src.newline}" if comment else ""
    return Replacement(span[0], span[1], kept)


def place_classmethod_below(
    src: Source, func: FunctionNode, decorator: ast.expr
) -> list[Replacement]:
    """Make ``@classmethod`` sit directly below ``decorator``: insert, or move it from above."""
    decorators = func.decorator_list
    index = decorators.index(decorator)
    below = decorators[index + 1] if index + 1 < len(decorators) else None
    if below is not None and is_classmethod_decorator(below):
        return []
    replacements: list[Replacement] = []
    existing = [d for d in decorators if is_classmethod_decorator(d)]
    for old in existing:
        removal = line_removal(src, old)
        if removal is None:
            raise ValueError("classmethod decorator shares its line")
        replacements.append(removal)
    indent = src.indent_of(decorator.lineno)
    insert_at = src.line_end(decorator.end_lineno or decorator.lineno)
    newline = src.newline
    if insert_at == len(src.text) and not src.text.endswith(("\n", "\r")):
        replacements.append(Replacement(insert_at, insert_at, f"{newline}{indent}@classmethod"))
    else:
        replacements.append(Replacement(insert_at, insert_at, f"{indent}@classmethod{newline}"))
    return replacements


def remove_classmethod(src: Source, func: FunctionNode) -> list[Replacement]:
    """Remove every ``@classmethod`` line of ``func``."""
    replacements = []
    for decorator in func.decorator_list:
        if is_classmethod_decorator(decorator):
            removal = line_removal(src, decorator)
            if removal is None:
                raise ValueError("classmethod decorator shares its line")
            replacements.append(removal)
    return replacements


@dataclass
class Parameters:
    """A function's parameters, in the order V1 validators care about."""

    positional: list[ast.arg]
    keyword_only: list[ast.arg]
    vararg: ast.arg | None
    kwarg: ast.arg | None
    defaults: dict[str, ast.expr]

    @classmethod
    def of(cls, func: FunctionNode) -> Parameters:
        """Read ``func``'s parameters and their defaults."""
        args = func.args
        positional = [*args.posonlyargs, *args.args]
        return cls(
            positional, list(args.kwonlyargs), args.vararg, args.kwarg, parameter_defaults(args)
        )

    def all_nodes(self) -> list[ast.AST]:
        """Every node inside the parameter list (args, annotations, defaults)."""
        nodes: list[ast.AST] = [*self.positional, *self.keyword_only]
        if self.vararg is not None:
            nodes.append(self.vararg)
        if self.kwarg is not None:
            nodes.append(self.kwarg)
        nodes.extend(self.defaults.values())
        return nodes

    def span(self, src: Source) -> tuple[int, int]:
        """From the first parameter to the end of the last one (annotations and defaults too)."""
        nodes = self.all_nodes()
        return min(src.start(n) for n in nodes), max(src.end(n) for n in nodes)


def parameter_text(src: Source, arg: ast.arg, default: ast.expr | None) -> str:
    """``name: annotation = default`` exactly as written."""
    text = src.segment(arg)
    if default is not None:
        text += ("=" if arg.annotation is None else " = ") + src.segment(default)
    return text


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _binds(node: ast.AST, name: str) -> bool:
    """True when a nested scope rebinds ``name`` as one of its parameters."""
    if isinstance(node, _SCOPES):
        args = node.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        return any(a is not None and a.arg == name for a in every)
    return False


def walk_body(func: FunctionNode, name: str) -> Iterator[tuple[ast.AST, ast.AST | None]]:
    """Every node of ``func``'s body with its parent; skips nested scopes rebinding ``name``.

    Depth first, children in source order (a hot loop: one walk per validator per version).
    """
    stack: list[tuple[ast.AST, ast.AST | None]] = [(stmt, None) for stmt in reversed(func.body)]
    pop, push = stack.pop, stack.extend
    iter_children = ast.iter_child_nodes
    while stack:
        node, parent = pop()
        if isinstance(node, _SCOPES) and _binds(node, name):
            # defaults are evaluated in the outer scope
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    stack.append((default, node))
            continue
        if isinstance(node, ast.ClassDef):
            continue
        yield node, parent
        children = [(child, node) for child in iter_children(node)]
        children.reverse()
        push(children)


def name_uses(func: FunctionNode, name: str) -> list[tuple[ast.Name, ast.AST | None]]:
    """Every reference to ``name`` in the body of ``func`` with its parent node."""
    return [
        (node, parent)
        for node, parent in walk_body(func, name)
        if isinstance(node, ast.Name) and node.id == name
    ]


def mentions(src: Source, func: FunctionNode, name: str) -> bool:
    """True when ``name`` appears as a word in the function's body text.

    A cheap, conservative test (comments and strings count too) used before walking the tree,
    and to keep new names (``info``) from clashing with anything the body mentions.
    """
    text = src.text[src.start(func.body[0]) : src.end(func)]
    if name not in text:
        return False
    return re.search(rf"(?<![\w.]){re.escape(name)}\b", text) is not None


def first_body_insertion(src: Source, func: FunctionNode) -> tuple[int, str] | None:
    """Where to insert a statement at the start of the body (after a docstring), and its indent.

    None when that statement does not start its own line (``def f(cls, v): return v``).
    """
    body = func.body
    first = body[0]
    is_docstring = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    if is_docstring and len(body) > 1:
        first = body[1]
    elif is_docstring:
        if src.text[src.line_start(first.lineno) : src.start(first)].strip():
            return None
        return src.line_end(first.end_lineno or first.lineno), src.indent_of(first.lineno)
    line = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", []))])
    if line == first.lineno and src.text[src.line_start(line) : src.start(first)].strip():
        return None
    return src.line_start(line), src.indent_of(line)
