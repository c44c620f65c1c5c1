"""Private names the endpoint module keeps using after the move.

The endpoint module never imports a private name from the service: a private helper or piece
of state it still uses is made public deliberately (``_to_read`` → ``to_read``, ``_ITEMS`` →
``ITEMS``, renamed in the moved code and in the endpoint module). Private models stay (the
move is refused), and so does a name whose public form is already taken.
"""

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from collections.abc import Callable, Iterable, Mapping

from fastapi_architect.extract.context import EndpointModule, ExtractRefusal
from fastapi_architect.extract.dependencies import Placement
from fastapi_architect.extract.endpoints import Endpoint
from fastapi_architect.extract.names import loaded_names

_CODE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _remaining(ctx: EndpointModule, endpoint: Endpoint, moved: set[str]) -> list[ast.AST]:
    """What stays in the endpoint module: other statements and the endpoint's signature."""
    moved_nodes = {id(ctx.symbols.definitions[name]) for name in moved}
    node = endpoint.node
    kept: list[ast.AST] = [
        statement
        for statement in ctx.tree.body
        if statement is not node
        and statement is not endpoint.owner
        and id(statement) not in moved_nodes
    ]
    if endpoint.owner is not None:  # a class-based view: the class stays, but for the body
        owner = endpoint.owner
        kept += [*owner.decorator_list, *owner.bases, *(i for i in owner.body if i is not node)]
    kept += [*node.decorator_list, node.args]
    if node.returns is not None:
        kept.append(node.returns)
    return kept


def _source(ctx: EndpointModule, node: ast.AST) -> str:
    first = getattr(node, "lineno", None)
    if first is None:
        return ""
    last = getattr(node, "end_lineno", None) or first
    return "".join(ctx.lines[first - 1 : last])


def _user(name: str, kept: Iterable[ast.AST]) -> str:
    for node in kept:
        if name in loaded_names([node]):
            if isinstance(node, _CODE):
                return f"`{node.name}`"
            return f"line {getattr(node, 'lineno', '?')}"
    return "other code"


def public_names(
    ctx: EndpointModule,
    endpoint: Endpoint,
    placement: Placement,
    taken: Callable[[], set[str]],
) -> dict[str, str]:
    """New public names for moved private helpers and state the endpoint module still uses;
    refuses private models the module still uses."""
    moved = {*placement.service_defs, *placement.schema_defs} - placement.copied
    private = {name for name in moved if _is_private(name)}
    if not private:
        return {}
    kept = [
        node
        for node in _remaining(ctx, endpoint, moved)
        if any(name in _source(ctx, node) for name in private)  # cheap text pre-filter
    ]
    still_used = loaded_names(kept) & private
    bound: set[str] | None = None
    renames: dict[str, str] = {}
    for name in sorted(still_used):
        node = ctx.symbols.definitions[name]
        public = name.lstrip("_")
        if name not in placement.service_defs or not isinstance(
            node, (*_CODE, ast.Assign, ast.AnnAssign)
        ):
            raise ExtractRefusal(
                f"`{name}` is private to {ctx.path.name} and still used there by "
                f"{_user(name, kept)}; it stays — make it public or move it to a shared "
                "module first"
            )
        if bound is None:
            bound = taken()
        if not public.isidentifier() or keyword.iskeyword(public) or public in bound:
            raise ExtractRefusal(
                f"`{name}` is private to {ctx.path.name} and still used there by "
                f"{_user(name, kept)}; it would become public as `{public}`, which is taken — "
                "rename it first"
            )
        renames[name] = public
    return renames


def rename_in_source(text: str, renames: Mapping[str, str]) -> str:
    """``text`` with every name token in ``renames`` renamed (attribute names are left)."""
    if not renames:
        return text
    edits: list[tuple[int, int, int, str]] = []
    previous = ""
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NAME and token.string in renames and previous != ".":
                row, column = token.start
                edits.append((row, column, column + len(token.string), renames[token.string]))
            if token.type not in (tokenize.NL, tokenize.COMMENT, tokenize.NEWLINE):
                previous = token.string
    except (tokenize.TokenError, SyntaxError) as error:
        raise ExtractRefusal(f"cannot rename private names: {error}") from error
    lines = text.splitlines(keepends=True)
    for row, start, end, new in sorted(edits, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:start] + new + line[end:]
    return "".join(lines)
