"""``create_model(..., __config__=Config)`` with a V1 ``class Config`` → ``ConfigDict(...)``,
and ``Model.__config__`` assignments reported (PYD010).

Pydantic 2's ``create_model`` takes a ``ConfigDict`` and raises ``TypeError`` for a class. A
``Config`` class defined in the same function (or module) for ``create_model`` only, holding
plain ``name = value`` settings, becomes the ``ConfigDict`` call written at each use, with
the keys renamed as ``class Config`` conversions rename them (``config_class``'s tables); the
class goes. V2 never reads ``__config__``: assigning it (or one of its attributes) silently
changes nothing, so those assignments are reported with V2's spelling.
"""

from __future__ import annotations

import ast

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.config_class import DROPPED_WHEN, KEPT, RENAMED, UNMAPPED
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import CONFIG_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source

EXTRA_MEMBERS = ("forbid", "allow", "ignore")
ASSIGNED_HINT = (
    "V2 never reads `__config__`: this assignment changes nothing under Pydantic 2. Set the "
    'V2 setting in `{model}.model_config` (a dict: `{model}.model_config["extra"] = '
    '"ignore"`, V1 names renamed: `orm_mode` → `from_attributes`, ...) and call '
    "`{model}.model_rebuild(force=True)` so validation uses it, or build the model with "
    "`create_model(..., __config__=ConfigDict(...))`"
)

BASE_CONFIG_HINT = (
    "Pydantic 2 takes a `ConfigDict`, not a config class (it raises `TypeError`). `BaseConfig` "
    "holds V1's defaults: leave `__config__` out for V2's (which differ on unions, `_private` "
    "attributes and copies of nested models), or pass `ConfigDict(...)` with the settings the "
    "model needs"
)


class _Refuse(Exception):
    """Why a ``Config`` class cannot become a ``ConfigDict`` call."""


def plan_create_model_configs(src: Source, names: PydanticNames) -> list[Conversion]:
    """A conversion for every ``create_model(__config__=LocalConfig)`` and a report for every
    assignment to ``X.__config__`` or one of its attributes."""
    if "__config__" not in src.text:
        return []
    conversions: list[Conversion] = []
    for scope in [src.tree, *_functions(src.tree)]:
        conversions.extend(_scope_configs(src, names, scope))
    conversions.extend(_assignments(src))
    conversions.extend(_base_configs(src, names))
    return conversions


def _base_configs(src: Source, names: PydanticNames) -> list[Conversion]:
    """``create_model(__config__=BaseConfig)``: reported (V2 raises ``TypeError``)."""
    found: list[Conversion] = []
    seen: dict[str, int] = {}
    for node in ast.walk(src.tree):
        if not isinstance(node, ast.Call) or not names.refers_to(node.func, "create_model"):
            continue
        for keyword in node.keywords:
            if keyword.arg == "__config__" and names.refers_to(keyword.value, "BaseConfig"):
                spelled = ast.unparse(keyword.value)
                message = f"`create_model(__config__={spelled})`: {BASE_CONFIG_HINT}."
                seen[spelled] = seen.get(spelled, 0) + 1
                key = f"create_model:{spelled}" + (f"#{seen[spelled]}" if seen[spelled] > 1 else "")
                found.append(
                    refused(CONFIG_CODE, key, message, src.start(keyword), src.end(keyword))
                )
    return found


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _scope_configs(src: Source, names: PydanticNames, scope: ast.AST) -> list[Conversion]:
    """The ``class X`` statements directly in ``scope`` passed as ``__config__``."""
    body: list[ast.stmt] = getattr(scope, "body", [])
    classes = {stmt.name: stmt for stmt in body if isinstance(stmt, ast.ClassDef)}
    if not classes:
        return []
    keywords: dict[str, list[ast.keyword]] = {}
    for node in _walk_scope(scope):
        if isinstance(node, ast.Call) and names.refers_to(node.func, "create_model"):
            for keyword in node.keywords:
                value = keyword.value
                named = isinstance(value, ast.Name) and value.id in classes
                if keyword.arg == "__config__" and isinstance(value, ast.Name) and named:
                    keywords.setdefault(value.id, []).append(keyword)
    conversions = []
    for name, uses in keywords.items():
        config = classes[name]
        owner = getattr(scope, "name", "<module>")
        key = f"{owner}.{name}:create_model"
        start, end = src.start(uses[0]), src.end(uses[0])
        try:
            conversions.append(_convert(src, names, config, uses, scope, key, start, end))
        except _Refuse as reason:
            message = (
                f"`create_model(__config__={name})`: Pydantic 2 takes a `ConfigDict`, not a "
                f"`Config` class (it raises `TypeError`); not converted automatically: {reason}."
            )
            conversions.append(refused(CONFIG_CODE, key, message, start, end))
    return conversions


def _walk_scope(scope: ast.AST) -> list[ast.AST]:
    """The nodes of ``scope`` outside nested functions and classes."""
    found: list[ast.AST] = []
    pending = list(ast.iter_child_nodes(scope))
    while pending:
        node = pending.pop()
        found.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            pending.extend(ast.iter_child_nodes(node))
    return found


def _convert(
    src: Source,
    names: PydanticNames,
    config: ast.ClassDef,
    uses: list[ast.keyword],
    scope: ast.AST,
    key: str,
    start: int,
    end: int,
) -> Conversion:
    reads = [n for n in _walk_scope(scope) if isinstance(n, ast.Name) and n.id == config.name]
    if len(reads) != len(uses):
        raise _Refuse(f"`{config.name}` is used for more than `create_model`")
    if config.bases or config.keywords or config.decorator_list:
        raise _Refuse(f"`{config.name}` has bases or decorators")
    consumed: dict[str, int] = {}
    settings = [_setting(src, names, stmt, consumed) for stmt in config.body]
    spelled, add = _config_dict(names)
    call = f"{spelled}({', '.join(s for s in settings if s)})"
    first = src.line_start(config.lineno)
    last = config.end_lineno or config.lineno
    body: list[ast.stmt] = getattr(scope, "body", [])
    opens_block = body[0] is config or not src.line_text(config.lineno - 1).strip()
    if opens_block and last < len(src.lines) and not src.line_text(last + 1).strip():
        last += 1  # no blank line left where the class opened its block
    after = src.line_end(last)
    replacements = [Replacement(first, after, "")]
    replacements.extend(Replacement(src.start(u.value), src.end(u.value), call) for u in uses)
    message = (
        f"`create_model(__config__={config.name})`: Pydantic 2 takes a `ConfigDict`, not a "
        f"`Config` class (it raises `TypeError`): pass `{call}`."
    )
    return Conversion(
        CONFIG_CODE,
        key,
        f"Pass `{call}` to `create_model`",
        message,
        start,
        end,
        replacements,
        add,
        consumed=consumed,
    )


def _setting(
    src: Source, names: PydanticNames, stmt: ast.stmt, consumed: dict[str, int]
) -> str | None:
    """``key=value`` for one statement of the ``Config`` body; None for what goes."""
    if isinstance(stmt, ast.Pass) or (
        isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
    ):
        return None
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        raise _Refuse("its body holds other statements than `name = value`")
    target, value = stmt.targets[0], stmt.value
    if not isinstance(target, ast.Name):
        raise _Refuse("it assigns something other than a plain name")
    setting = target.id
    literal = value.value if isinstance(value, ast.Constant) else ...
    if setting in DROPPED_WHEN and literal is not ... and literal == DROPPED_WHEN[setting][0]:
        return None
    if setting == "allow_mutation" and literal is False:
        return "frozen=True"
    if setting in UNMAPPED:
        raise _Refuse(f"`{setting}` has no V2 equivalent here: {UNMAPPED[setting]}")
    if setting not in KEPT and setting not in RENAMED:
        raise _Refuse(f"`{setting}` is not a Pydantic V1 setting this migration knows")
    if setting == "json_encoders":
        raise _Refuse("`json_encoders` is deprecated in V2: give the fields serializers")
    text = src.segment(value)
    member = value.attr if isinstance(value, ast.Attribute) else None
    owner = value.value if isinstance(value, ast.Attribute) else None
    if member in EXTRA_MEMBERS and owner is not None and names.refers_to(owner, "Extra"):
        if isinstance(owner, ast.Name):
            consumed[owner.id] = consumed.get(owner.id, 0) + 1
        text = f'"{member}"'
    return f"{RENAMED.get(setting, setting)}={text}"


def _config_dict(names: PydanticNames) -> tuple[str, set[ImportBinding]]:
    """How to spell ``ConfigDict`` here, and the import it needs."""
    for local, canonical in names.pydantic_from.items():
        if canonical == "ConfigDict" and names.means(local, "ConfigDict"):
            return local, set()
    other = names.other_bindings.get("ConfigDict")
    if other is not None:
        raise _Refuse(f"it needs `ConfigDict`, but `ConfigDict` in this module is {other}")
    return "ConfigDict", {ImportBinding("pydantic", "ConfigDict")}


def _assignments(src: Source) -> list[Conversion]:
    """``Model.__config__ = ...`` / ``Model.__config__.orm_mode = True``: reported."""
    found: list[Conversion] = []
    seen: dict[str, int] = {}
    for node in ast.walk(src.tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            owner = _config_owner(target)
            if owner is None:
                continue
            model = ast.unparse(owner)
            base = f"{model}.__config__:assigned"
            seen[base] = seen.get(base, 0) + 1
            key = base if seen[base] == 1 else f"{base}#{seen[base]}"
            message = ASSIGNED_HINT.format(model=model) + "."
            found.append(refused(CONFIG_CODE, key, message, src.start(target), src.end(target)))
    return found


def _config_owner(target: ast.expr) -> ast.expr | None:
    """``X`` for the targets ``X.__config__`` and ``X.__config__.name``."""
    if not isinstance(target, ast.Attribute):
        return None
    if target.attr == "__config__":
        return target.value
    inner = target.value
    if isinstance(inner, ast.Attribute) and inner.attr == "__config__":
        return inner.value
    return None
