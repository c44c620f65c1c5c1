"""V1 config passed as class keywords (``class M(BaseModel, orm_mode=True)``) → V2 keywords
(PYD010).

V1 took any ``Config`` key as a class keyword. Pydantic 2 takes only ``ConfigDict`` keys there
and raises ``TypeError`` (``__init_subclass__() takes no keyword arguments``) for any other, so
the module no longer imports. Each keyword follows the ``class Config`` tables: renamed
(``orm_mode`` → ``from_attributes``), dropped where V2's default already does what it said
(``smart_union=True``), ``allow_mutation=False`` → ``frozen=True``, reported otherwise. V1
refused keywords combined with a ``class Config`` in the same class (``TypeError``), so such a
class is left to that conversion.
"""

from __future__ import annotations

import ast
import re

from fastapi_architect.pydantic_v2.analysis import ModelClass
from fastapi_architect.pydantic_v2.config_class import DROPPED_WHEN, KNOWN_KEYS, RENAMED, UNMAPPED
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import CONFIG_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source

PYDANTIC_BASES = ("BaseModel", "BaseSettings")
EXTRA_MEMBERS = ("forbid", "allow", "ignore")
OWN_LINE_TAIL = re.compile(r"\s*,?\s*(#.*)?")
EXTRA_DEPRECATED = "Pydantic 2 deprecates `Extra`"
BLOCKS = "Pydantic 2 raises `TypeError` for a class keyword that is not a V2 config key"


def plan_class_keyword_configs(
    src: Source, classes: list[ModelClass], names: PydanticNames
) -> list[Conversion]:
    """A conversion for every V1 config key a model passes as a class keyword."""
    found: list[Conversion] = []
    for model in classes:
        node = model.node
        if not node.keywords or node.decorator_list:
            continue
        if not model.known_model and not all(k.arg in KNOWN_KEYS for k in node.keywords):
            continue  # a class of another library may take keywords of its own
        if any(isinstance(s, ast.ClassDef) and s.name == "Config" for s in node.body):
            continue  # V1 raised TypeError for config in two places: never ran
        items: list[ast.expr | ast.keyword] = [*node.bases, *node.keywords]
        items.sort(key=lambda item: (item.lineno, item.col_offset))
        for index, keyword in enumerate(items):
            if not isinstance(keyword, ast.keyword) or keyword.arg not in KNOWN_KEYS:
                continue
            before = items[index - 1] if index else None
            conversion = _convert(src, model, classes, names, keyword, before)
            if conversion is not None:
                found.append(conversion)
    return found


def _convert(
    src: Source,
    model: ModelClass,
    classes: list[ModelClass],
    names: PydanticNames,
    keyword: ast.keyword,
    before: ast.expr | ast.keyword | None,
) -> Conversion | None:
    """The edit for one keyword; None when V2 reads it as V1 did."""
    setting = keyword.arg or ""
    key = f"{model.qualname}.{setting}"
    start, end = src.start(keyword), src.end(keyword)
    value = keyword.value
    literal = value.value if isinstance(value, ast.Constant) else ...
    spelled = f"`{setting}={src.segment(value)}`"
    if setting == "allow_mutation" and literal is True and not _only_pydantic_bases(model, names):
        reason = (
            "a base may be frozen, and V2 merges `frozen` through the bases: write "
            "`frozen=False` if a base sets `allow_mutation=False`, else remove the keyword"
        )
        return _report(key, spelled, reason, start, end)
    if setting in DROPPED_WHEN and literal is not ... and literal == DROPPED_WHEN[setting][0]:
        if before is None:
            return None  # a keyword opening the parentheses is never a model's
        removal = _removal(src, keyword, before)
        message = f"{spelled}: {BLOCKS}; {DROPPED_WHEN[setting][1]}, so it goes."
        if setting == "smart_union":
            message += _model_union_note(model, {c.node.name for c in classes})
        return Conversion(CONFIG_CODE, key, f"Remove {spelled}", message, start, end, [removal])
    if setting == "allow_mutation" and literal is False:
        return _rewrite(src, key, spelled, keyword, "frozen=True", {})
    if setting in UNMAPPED:
        return _report(key, spelled, UNMAPPED[setting], start, end)
    if _is_extra_member(setting, value, names):
        assert isinstance(value, ast.Attribute)
        owner = value.value
        consumed = {owner.id: 1} if isinstance(owner, ast.Name) else {}
        text = f'extra="{value.attr}"'
        return _rewrite(src, key, spelled, keyword, text, consumed, EXTRA_DEPRECATED)
    if setting in RENAMED:
        return _rewrite(src, key, spelled, keyword, f"{RENAMED[setting]}={src.segment(value)}", {})
    return None


def _is_extra_member(setting: str, value: ast.expr, names: PydanticNames) -> bool:
    """True for ``extra=Extra.forbid`` (``Extra`` being Pydantic's)."""
    if setting != "extra" or not isinstance(value, ast.Attribute):
        return False
    return value.attr in EXTRA_MEMBERS and names.refers_to(value.value, "Extra")


def _removal(src: Source, keyword: ast.keyword, before: ast.expr | ast.keyword) -> Replacement:
    """The keyword's own line (with its comment) when it stands alone, else it and the comma
    before it."""
    line = keyword.lineno
    head = src.text[src.line_start(line) : src.start(keyword)]
    tail = src.text[src.end(keyword) : src.line_start(line) + len(src.line_text(line))]
    if not head.strip() and OWN_LINE_TAIL.fullmatch(tail) and keyword.end_lineno == line:
        return Replacement(src.line_start(line), src.line_end(line), "")
    return Replacement(src.end(before), src.end(keyword), "")


def _rewrite(
    src: Source,
    key: str,
    spelled: str,
    keyword: ast.keyword,
    text: str,
    consumed: dict[str, int],
    why: str = BLOCKS,
) -> Conversion:
    start, end = src.start(keyword), src.end(keyword)
    message = f"{spelled}: {why}; write `{text}`."
    title = f"Write `{text}`"
    edit = [Replacement(start, end, text)]
    return Conversion(CONFIG_CODE, key, title, message, start, end, edit, consumed=consumed)


def _report(key: str, spelled: str, reason: str, start: int, end: int) -> Conversion:
    message = f"{spelled}: {BLOCKS}; not converted automatically: {reason}."
    return refused(CONFIG_CODE, key, message, start, end)


def _only_pydantic_bases(model: ModelClass, names: PydanticNames) -> bool:
    """True when every base is Pydantic's own ``BaseModel`` / ``BaseSettings``."""
    return all(
        any(names.refers_to(base, name) for name in PYDANTIC_BASES) for base in model.node.bases
    )


def _model_union_note(model: ModelClass, models: set[str]) -> str:
    """A warning naming the fields whose unions hold several models of this file: fed a dict
    that more than one accepts, V1's smart union kept the first, V2 the one with most fields set."""
    fields = []
    for stmt in model.node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            named = {n.id for n in ast.walk(stmt.annotation) if isinstance(n, ast.Name)}
            if len(named & models) > 1:
                fields.append(f"`{stmt.target.id}`")
    if not fields:
        return ""
    return (
        f" Check {', '.join(fields)}: when several of its models accept a dict, V1 kept the "
        "first and V2 keeps the one with the most fields set; "
        '`Field(union_mode="left_to_right")` restores V1\'s choice for a union of models.'
    )


def sets_smart_union(model: ModelClass) -> bool:
    """True when the model or a base in this file sets V1's ``smart_union = True`` (class
    keyword or ``class Config``): its unions already chose as V2's smart mode does."""
    node = model.node
    if any(k.arg == "smart_union" and _is_true(k.value) for k in node.keywords):
        return True
    for stmt in node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for item in stmt.body:
                targets = item.targets if isinstance(item, ast.Assign) else []
                named = any(isinstance(t, ast.Name) and t.id == "smart_union" for t in targets)
                if named and isinstance(item, ast.Assign) and _is_true(item.value):
                    return True
    return any(sets_smart_union(base) for base in model.bases_in_file)


def _is_true(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value is True
