"""``Page[int]`` of a V1 ``class Page(BaseModel, Generic[T])`` → ``Page`` (PYD034).

V1 parametrised only ``GenericModel`` subclasses. A plain ``BaseModel`` that also derives from
``Generic[T]`` could be subscripted, but ``Page[int]`` was a ``typing`` alias of ``Page``
itself: ``Page[int](items=["a"])``, ``class IntPage(Page[int])`` and ``page: Page[int]`` all
built a ``Page`` whose ``T`` fields accepted anything (a bound or constraints still applied,
as for the unsubscripted class). V2 makes every such class a generic model, so the same
spellings now validate and convert the ``T`` fields as ``int``. Writing ``Page`` keeps V1's
behaviour (V1's alias call also left a stray ``__orig_class__`` in ``.dict()``, which made
``.json()`` raise; that does not come back).

Only classes of this file are known to be plain (every base is Pydantic's ``BaseModel`` /
``BaseSettings``, ``Generic[...]``, ``ABC`` or another such class), and only those with a
field typed with one of their type variables matter. V1 and V2 spell these classes alike, and
a converted ``GenericModel`` reads exactly like one, so only modules that still hold a V1 model
construct (a V1 validator import, ``class Config``, ``__root__``, ``GenericModel``) are
checked. Limits of that rule: fixing the module's other findings first hides these (fix-all
and ``migrate`` apply them together), and where a refused V1 construct stays beside a converted
``GenericModel`` that its own module subscripts, a second ``migrate`` would take it for plain.
Annotations Pydantic never reads keep their arguments; a class its own module never subscripts
is reported, as other modules may subscript it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from fastapi_architect.astutil import last_name
from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import PLAIN_GENERIC_CODE
from fastapi_architect.pydantic_v2.model_index import is_typevar_call
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.optional_defaults import is_v2_module
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.pydantic_v2.type_adapters import plan_type_adapters

PLAIN_BASES = frozenset({"BaseModel", "BaseSettings"})
NEUTRAL_BASES = frozenset({"ABC", "abc.ABC", "object"})
"""Bases that parametrise nothing (``class Method(abc.ABC, BaseModel, Generic[T])``)."""
V1_MODEL_CONSTRUCTS = re.compile(r"^[ \t]+class[ \t]+Config\b|\b__root__\b|\bGenericModel\b", re.M)
"""V1 spellings inside models that only a refused conversion leaves behind."""


@dataclass
class _Plain:
    """A plain V1 model deriving from ``Generic``: its type variables and the fields (own or
    inherited from another plain class) typed with them."""

    model: ModelClass
    params: list[str]
    typed_fields: list[str]


def plan_plain_generics(
    src: Source, classes: list[ModelClass], names: PydanticNames
) -> list[Conversion]:
    """A conversion for every subscript of a plain generic V1 model of this file (and a report
    for such a class that this file never subscripts)."""
    if "Generic" not in src.text or not _v1_module(src, names):
        return []
    plain = _plain_models(src, classes, names)
    relevant = {name: p for name, p in plain.items() if p.typed_fields}
    if not relevant:
        return []
    conversions: list[Conversion] = []
    subscripted: set[str] = set()
    static = _static_only(src.tree, classes)
    sites: list[ast.Subscript] = []
    for node in ast.walk(src.tree):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in relevant
        ):
            subscripted.add(node.value.id)
            if id(node) not in static:
                sites.append(node)
    sites = _outermost(src, sites)
    if sites:
        scopes = _scopes(src.tree)
        helpers = _helper_calls(src, names, sites)
        seen: dict[str, int] = {}
        for node in sites:
            base = f"{scopes.get(id(node), '<module>')}:{src.segment(node)}"
            seen[base] = seen.get(base, 0) + 1
            key = base if seen[base] == 1 else f"{base}#{seen[base]}"
            found = relevant[node.value.id]  # type: ignore[attr-defined]
            conversions.append(_plan(src, found, node, key, helpers.get(id(node)), sites))
    for name, found in relevant.items():
        if name not in subscripted:
            conversions.append(_report(src, found))
    return conversions


def _outermost(src: Source, sites: list[ast.Subscript]) -> list[ast.Subscript]:
    """The sites not inside another one's brackets (``Page[Page[int]]``: writing the outer
    ``Page`` drops the inner one too)."""
    spans = [(src.start(node), src.end(node)) for node in sites]
    return [
        node
        for node, (start, end) in zip(sites, spans, strict=True)
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)
    ]


def _helper_calls(
    src: Source, names: PydanticNames, sites: list[ast.Subscript]
) -> dict[int, Conversion]:
    """``id`` of each site inside a V1 helper call that PYD018 rewrites as a whole
    (``parse_obj_as(Page[int], data)``) → that conversion: both edits must go together."""
    found: dict[int, Conversion] = {}
    for helper in plan_type_adapters(src, names):
        if not helper.fixable or len(helper.replacements) != 1:
            continue
        whole = helper.replacements[0]
        for node in sites:
            if whole.start <= src.start(node) and src.end(node) <= whole.end:
                found[id(node)] = helper
    return found


def _static_only(tree: ast.Module, classes: list[ModelClass]) -> set[int]:
    """``id`` of every node inside an expression Pydantic never reads: annotations of
    functions' parameters and returns, of variables outside model bodies, and ``cast``'s
    type. There ``Page[int]`` only informs type checkers, in V1 as in V2."""
    bodies = {id(stmt) for model in classes for stmt in model.node.body}
    static: set[int] = set()
    for node in ast.walk(tree):
        parts: list[ast.expr | None] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            every = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            every += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
            parts += [a.annotation for a in every]
            parts.append(node.returns)
        elif isinstance(node, ast.AnnAssign) and id(node) not in bodies:
            parts.append(node.annotation)
        elif isinstance(node, ast.Call) and node.args and last_name(node.func) == "cast":
            parts.append(node.args[0])
        static.update(id(inner) for part in parts if part is not None for inner in ast.walk(part))
    return static


def _v1_module(src: Source, names: PydanticNames) -> bool:
    """True when the module still has a V1 model construct: ``class Page(BaseModel,
    Generic[T])`` reads the same in V2 code, where ``Page[int]`` is meant. Method calls such as
    ``.dict()`` do not count: on receivers not known as models they stay after a migration,
    and a second run would then undo the converted ``GenericModel``s' parameters."""
    if is_v2_module(names, src.text):
        return False
    return bool(names.decorators) or V1_MODEL_CONSTRUCTS.search(src.text) is not None


def _scopes(tree: ast.Module) -> dict[int, str]:
    """``id`` of every subscript → where it is, by names that survive edits elsewhere: the
    function or class around it, then the statement (``IntPage(...)`` for a class's bases,
    ``page`` for ``page: ...``, ``StrPage=`` for an assignment)."""
    scopes: dict[int, str] = {}

    def visit(node: ast.AST, scope: str, where: str) -> None:
        if isinstance(node, ast.Subscript):
            scopes[id(node)] = f"{scope}{where}"
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            inner = node.name if scope == "<module>" else f"{scope}.{node.name}"
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    visit(child, inner, "")
                else:
                    visit(child, scope, f".{node.name}(...)")
            return
        if isinstance(node, ast.stmt):
            where = _statement_label(node)
        for child in ast.iter_child_nodes(node):
            visit(child, scope, where)

    visit(tree, "<module>", "")
    return scopes


def _statement_label(stmt: ast.stmt) -> str:
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return f".{stmt.target.id}"
    if isinstance(stmt, ast.Assign):
        targets = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
        return f".{targets[0]}=" if targets else ""
    return ""


def _plain_models(
    src: Source, classes: list[ModelClass], names: PydanticNames
) -> dict[str, _Plain]:
    """Module-level classes that V1 never parametrised although they derive from
    ``Generic[...]`` (directly or through another such class subscripted)."""
    typevars = {
        target.id
        for stmt in src.tree.body
        if isinstance(stmt, ast.Assign) and is_typevar_call(stmt.value)
        for target in stmt.targets
        if isinstance(target, ast.Name)
    }
    defined: dict[str, int] = {}
    for stmt in src.tree.body:
        if isinstance(stmt, ast.ClassDef):
            defined[stmt.name] = defined.get(stmt.name, 0) + 1
    plain: dict[str, _Plain] = {}
    for model in classes:
        node = model.node
        if model.inside_function or "." in model.qualname or defined.get(node.name) != 1:
            continue
        if not model.known_model or node.decorator_list:
            continue
        params: list[str] = []
        inherited: list[str] = []
        generic = True
        for base in node.bases:
            head = base.value if isinstance(base, ast.Subscript) else base
            if _is_generic(head):
                params += _names_in(base, typevars)
            elif isinstance(head, ast.Name) and head.id in plain:
                if isinstance(base, ast.Subscript):
                    params += _names_in(base.slice, typevars)
                inherited += plain[head.id].typed_fields
            elif not isinstance(base, ast.Subscript) and (
                _pydantic_base(base, names) or dotted_name(base) in NEUTRAL_BASES
            ):
                continue
            else:
                generic = False  # GenericModel, an imported base: V1 may have parametrised it
                break
        if not generic or (not params and not inherited):
            continue
        own = [
            name
            for name, decl in model.fields.items()
            if _mentions(decl.stmt.annotation, set(params))
        ]
        plain[node.name] = _Plain(model, params, [*inherited, *own])
    return plain


def _is_generic(head: ast.expr) -> bool:
    dotted = dotted_name(head)
    return dotted is not None and dotted.rsplit(".", 1)[-1] == "Generic"


def _pydantic_base(base: ast.expr, names: PydanticNames) -> bool:
    """True when ``base`` is Pydantic's own ``BaseModel`` / ``BaseSettings``."""
    return names.pydantic_name(base) in PLAIN_BASES


def _names_in(node: ast.expr, typevars: set[str]) -> list[str]:
    return [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in typevars]


def _mentions(annotation: ast.expr, params: set[str]) -> bool:
    """True when the annotation names one of ``params`` (string annotations included)."""
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name) and node.id in params:
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                inner = ast.parse(node.value.strip(), mode="eval").body
            except SyntaxError:
                continue
            if _mentions(inner, params):
                return True
    return False


def _change(found: _Plain, shown: str) -> str:
    name = found.model.node.name
    fields = ", ".join(f"`{f}`" for f in dict.fromkeys(found.typed_fields))
    return (
        f"`{shown}`: `{name}` derives from `BaseModel` and `Generic[...]`, not from "
        f"`GenericModel`, so V1 ignored the type arguments: `{shown}` was `{name}` itself and "
        f"{fields} kept accepting what `{name}` accepts. V2 makes `{name}` a generic model, "
        f"so `{shown}` validates (and converts) {fields} as the arguments say"
    )


def _plan(
    src: Source,
    found: _Plain,
    node: ast.Subscript,
    key: str,
    helper: Conversion | None,
    sites: list[ast.Subscript],
) -> Conversion:
    start, end = src.start(node), src.end(node)
    name = found.model.node.name
    shown = src.segment(node)
    message = (
        f"{_change(found, shown)}. Writing `{name}` keeps V1's behaviour; keep `{shown}` "
        "(and ignore this finding) if V2's validation is what you want."
    )
    title = f"Write `{name}` (V1 ignored the type arguments)"
    if helper is None:
        edit = Replacement(src.end(node.value), end, "")
        return Conversion(PLAIN_GENERIC_CODE, key, title, message, start, end, [edit])
    composed = _composed(src, helper, sites)
    if composed is None:
        why = (
            f"the enclosing call is rewritten as a whole by PYD018; convert it first, then "
            f"write `{name}` for `{shown}`"
        )
        return refused(PLAIN_GENERIC_CODE, key, f"{message[:-1]} Not converted: {why}.", start, end)
    # On the whole call, as PYD018's finding: found first, its edit wins over PYD018's.
    return Conversion(
        PLAIN_GENERIC_CODE,
        key,
        title,
        f"{message} The enclosing V1 helper call becomes its `TypeAdapter` form with it (PYD018).",
        composed.start,
        composed.end,
        [composed],
        set(helper.add),
        set(helper.remove),
        dict(helper.consumed),
    )


def _composed(src: Source, helper: Conversion, sites: list[ast.Subscript]) -> Replacement | None:
    """PYD018's replacement of the whole helper call with every site inside it written as its
    class (None when a site's text does not appear in it exactly as often as the sites)."""
    whole = helper.replacements[0]
    inside = [n for n in sites if whole.start <= src.start(n) and src.end(n) <= whole.end]
    original = src.text[whole.start : whole.end]
    text = whole.new_text
    for segment in {src.segment(n) for n in inside}:
        count = sum(1 for n in inside if src.segment(n) == segment)
        if original.count(segment) != count or text.count(segment) != count:
            return None
        head = segment[: segment.index("[")]
        text = text.replace(segment, head)
    return Replacement(whole.start, whole.end, text)


def _report(src: Source, found: _Plain) -> Conversion:
    node = found.model.node
    name = node.name
    message = (
        f"{_change(found, f'{name}[...]')}. Not subscripted in this module: where other "
        f"modules write `{name}[...]`, write `{name}` to keep V1's behaviour."
    )
    start = src.start(node)
    end = src.end(node.bases[-1]) if node.bases else start
    key = f"{found.model.qualname}:plain-generic"
    return refused(PLAIN_GENERIC_CODE, key, message, start, end)
