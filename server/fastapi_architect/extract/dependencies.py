"""Which top-level definitions of the endpoint module the service needs, and their layer.

Pydantic models (and everything they need) go to the schemas module, the rest to the service.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from fastapi_architect.extract.context import EndpointModule, ExtractRefusal
from fastapi_architect.extract.endpoints import Endpoint, index_endpoints
from fastapi_architect.extract.names import BUILTINS, definition_free_names

MODEL_BASES = frozenset({"BaseModel", "RootModel", "SQLModel"})


def _is_model(name: str, ctx: EndpointModule, models: set[str]) -> bool:
    node = ctx.symbols.definitions.get(name)
    if not isinstance(node, ast.ClassDef):
        return False
    for base in node.bases:
        target = base.value if isinstance(base, ast.Subscript) else base
        base_name = (
            target.id
            if isinstance(target, ast.Name)
            else target.attr
            if isinstance(target, ast.Attribute)
            else ""
        )
        if base_name in MODEL_BASES or base_name in models:
            return True
        binding = ctx.symbols.imports.get(base_name)
        if binding is not None and binding.module and "schemas" in binding.module.split("."):
            return True
    return False


def _is_table_model(node: ast.stmt) -> bool:
    """A class mapped to a table: ``class Hero(SQLModel, table=True)`` or one that sets
    ``__tablename__`` (SQLAlchemy declarative)."""
    if not isinstance(node, ast.ClassDef):
        return False
    if any(
        k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in node.keywords
    ):
        return True
    return any(
        isinstance(target, ast.Name) and target.id == "__tablename__"
        for statement in node.body
        if isinstance(statement, (ast.Assign, ast.AnnAssign))
        for target in (
            statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        )
    )


@dataclass
class Placement:
    """Where every name the service needs comes from."""

    service_defs: list[str] = field(default_factory=list)
    schema_defs: list[str] = field(default_factory=list)
    needs: dict[str, set[str]] = field(default_factory=dict)
    """Per moved definition (and ``""`` for the service function): names it needs."""
    copied: set[str] = field(default_factory=set)
    """Service definitions copied, not moved: per-module objects such as a module logger
    (``logging.getLogger(__name__)``), which each module keeps its own of."""


def _is_module_logger(node: ast.stmt) -> bool:
    value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
    if not isinstance(value, ast.Call) or value.keywords or len(value.args) != 1:
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    argument = value.args[0]
    return name == "getLogger" and isinstance(argument, ast.Name) and argument.id == "__name__"


def collect_definitions(roots: set[str], ctx: EndpointModule, endpoint: Endpoint) -> Placement:
    """The top-level definitions the service needs (transitively), and where each one goes."""
    placement = Placement()
    needed: list[str] = []
    pending = sorted(roots)
    seen: set[str] = set()
    endpoint_names = {e.name for e in index_endpoints(ctx.tree).endpoints if e.owner is None}
    where = ctx.path.name
    while pending:
        name = pending.pop()
        if name in seen or name in BUILTINS:
            continue
        seen.add(name)
        rebound = ctx.symbols.rebound.get(name)
        if rebound is not None:
            raise ExtractRefusal(
                f"`{name}` is rebound {rebound}; it must stay in {where} — extraction would "
                "give the service a stale copy"
            )
        if name in ctx.symbols.imports:
            continue
        if name in ctx.symbols.app_objects:
            raise ExtractRefusal(
                f"the logic uses `{name}`, the module's router/app object, which stays with the "
                f"endpoints; pass what it needs from `{name}` (e.g. `{name}.title`) to the "
                "logic as an argument first, or keep this endpoint as it is"
            )
        if name in endpoint_names or name == endpoint.name:
            raise ExtractRefusal(
                f"the logic calls the endpoint function `{name}`; services must not depend on "
                "endpoints"
            )
        if name in ctx.symbols.unmovable:
            raise ExtractRefusal(ctx.symbols.unmovable[name])
        node = ctx.symbols.definitions.get(name)
        if node is None:
            raise ExtractRefusal(f"cannot tell where `{name}` comes from in {where}")
        if _is_table_model(node):
            raise ExtractRefusal(
                f"`{name}` is a database table model defined in {where}; it is neither a "
                "request/response schema nor service logic — move it to a models module "
                "first, then extract"
            )
        needed.append(name)
        deps = definition_free_names(node)
        placement.needs[name] = deps
        pending.extend(sorted(deps))
    models: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name in needed:
            if name not in models and _is_model(name, ctx, models):
                models.add(name)
                changed = True
    schema_bound: set[str] = set()
    pending = sorted(models)
    while pending:
        name = pending.pop()
        if name in schema_bound or name not in placement.needs:
            continue
        schema_bound.add(name)
        pending.extend(sorted(placement.needs[name]))
    order = {name: ctx.tree.body.index(ctx.symbols.definitions[name]) for name in needed}
    for name in sorted(needed, key=order.__getitem__):
        (placement.schema_defs if name in schema_bound else placement.service_defs).append(name)
        if name not in schema_bound and _is_module_logger(ctx.symbols.definitions[name]):
            placement.copied.add(name)
    return placement
