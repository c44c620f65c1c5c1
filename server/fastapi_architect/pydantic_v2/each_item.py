"""``each_item=True`` → an item validator inside the field's annotation.

V1 ran an ``each_item`` validator on every item of a list / set / frozenset / tuple / sequence
and on every value of a dict, reporting errors at ``(field, index)`` / ``(field, key)``. The V2
form with the same semantics and error locations is an ``AfterValidator`` (``BeforeValidator``
for ``pre=True``) on the item type: ``list[Annotated[int, AfterValidator(...)]]``. The method
stays, as a plain classmethod the annotation calls.
"""

from __future__ import annotations

import ast

from fastapi_architect.pydantic_v2.analysis import ValidatorSite
from fastapi_architect.pydantic_v2.plan import Refusal, Spelling
from fastapi_architect.pydantic_v2.source import Replacement, Source

SEQUENCES = frozenset(
    {"List", "list", "Set", "set", "FrozenSet", "frozenset", "Sequence", "MutableSequence"}
)
SCALARS = frozenset(
    {
        "int",
        "str",
        "float",
        "bool",
        "bytes",
        "Decimal",
        "datetime",
        "date",
        "time",
        "timedelta",
        "UUID",
        "EmailStr",
        "HttpUrl",
        "AnyUrl",
        "StrictStr",
        "StrictInt",
        "StrictFloat",
        "StrictBool",
        "PositiveInt",
        "NegativeInt",
        "PositiveFloat",
        "NegativeFloat",
    }
)
"""Types without items: V1 ran an each_item validator on them like a plain validator."""
MAPPINGS = frozenset({"Dict", "dict", "Mapping", "MutableMapping", "DefaultDict"})


def _base_name(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


def item_nodes(annotation: ast.expr) -> list[ast.expr] | None:
    """The item type nodes V1 applied an each_item validator to; None for a non-container."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = [annotation.left, annotation.right]
        non_none = [s for s in sides if not (isinstance(s, ast.Constant) and s.value is None)]
        if len(non_none) == 1 and len(sides) == 2:
            return item_nodes(non_none[0])
        return None
    if not isinstance(annotation, ast.Subscript):
        return None
    base = _base_name(annotation.value)
    inner = annotation.slice
    elements = inner.elts if isinstance(inner, ast.Tuple) else [inner]
    if base == "Optional" and len(elements) == 1:
        return item_nodes(elements[0])
    if base == "Union":
        non_none = [e for e in elements if ast.unparse(e) not in ("None", "NoneType")]
        return item_nodes(non_none[0]) if len(non_none) == 1 else None
    if base in SEQUENCES and len(elements) == 1:
        return elements
    if base in ("Tuple", "tuple"):
        variadic = isinstance(elements[-1], ast.Constant) and elements[-1].value is Ellipsis
        if len(elements) == 2 and variadic:
            return [elements[0]]
        if any(isinstance(e, ast.Constant) and e.value is Ellipsis for e in elements):
            return None
        return elements
    if base in MAPPINGS and len(elements) == 2:
        return [elements[1]]
    return None


def annotation_edits(
    src: Source,
    site: ValidatorSite,
    field_names: list[str] | None,
    pre: bool,
    uses_info: bool,
    spell: Spelling,
) -> list[Replacement] | None:
    """Wrap the item type of each field; None when no field is a container (plain validator)."""
    if field_names is None or "*" in field_names:
        raise Refusal('`each_item=True` needs literal field names (not "*") to find the items')
    if site.model.inside_function:
        raise Refusal(
            "`each_item=True` in a class defined inside a function: the item validator "
            "could not refer to the class by name"
        )
    assert site.func is not None
    wrapper = spell.pydantic("BeforeValidator" if pre else "AfterValidator")
    annotated = spell.typing("Annotated")
    method = f"{site.model.qualname}.{site.func.name}"
    call = f"lambda v, info: {method}(v, info)" if uses_info else f"lambda v: {method}(v)"
    containers: list[list[ast.expr]] = []
    scalar: list[str] = []
    for name in field_names:
        decl = site.model.fields.get(name)
        if decl is None:
            raise Refusal(
                f"`each_item=True` on `{name}`, which is not declared in "
                f"`{site.model.node.name}`, so its item type cannot be changed here"
            )
        items = item_nodes(decl.stmt.annotation)
        if items is None:
            if isinstance(decl.stmt.annotation, ast.Subscript | ast.BinOp):
                raise Refusal(
                    f"`each_item=True` on `{name}: {ast.unparse(decl.stmt.annotation)}`: "
                    "only list, set, frozenset, tuple, sequence and dict values have items "
                    "this conversion can reach"
                )
            if _base_name(decl.stmt.annotation) not in SCALARS:
                raise Refusal(
                    f"`each_item=True` on `{name}: {ast.unparse(decl.stmt.annotation)}`: "
                    "whether V1 saw items in that type cannot be told from the annotation"
                )
            scalar.append(name)
            continue
        containers.append(items)
    if not containers:
        return None
    if scalar:
        raise Refusal("`each_item=True` mixes container fields and plain fields in one decorator")
    replacements = []
    for items in containers:
        for item in items:
            text = src.segment(item)
            replacements.append(
                Replacement(
                    src.start(item),
                    src.end(item),
                    f"{annotated}[{text}, {wrapper}({call})]",
                )
            )
    return replacements
