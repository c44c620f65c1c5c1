"""Source text → findings → edits, for every V1 validator of a module."""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass

from fastapi_architect.pydantic_v2 import field_validators, root_validators
from fastapi_architect.pydantic_v2.analysis import ModuleAnalysis, ValidatorSite, analyse
from fastapi_architect.pydantic_v2.decorator_args import (
    VALIDATOR_KEYWORDS,
    DecoratorArgs,
    read_args,
)
from fastapi_architect.pydantic_v2.findings import ROOT_VALIDATOR_CODE, VALIDATOR_CODE, Finding
from fastapi_architect.pydantic_v2.imports import import_edits
from fastapi_architect.pydantic_v2.names import PydanticNames, read_names
from fastapi_architect.pydantic_v2.plan import PYDANTIC_EXPORTS, Plan, Refusal
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.textedit import TextEdit

MARKERS = ("validator",)


def has_v1_markers(source: str) -> bool:
    """Cheap pre-filter: could ``source`` contain a Pydantic V1 validator at all?"""
    return "validator" in source and "pydantic" in source


@dataclass
class _Module:
    src: Source
    names: PydanticNames
    analysis: ModuleAnalysis
    functions: dict[str, ast.AST]


def _load(source: str) -> _Module | None:
    if not has_v1_markers(source):
        return None
    src = Source(source)
    names = read_names(src.tree)
    if names.uses_v1_namespace or (not names.decorators and not names.modules):
        return None
    analysis = analyse(src.tree, names)
    functions: dict[str, ast.AST] = {
        stmt.name: stmt
        for stmt in src.tree.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    return _Module(src, names, analysis, functions)


def _pre_conflicts(sites: list[ValidatorSite]) -> dict[str, str]:
    """Keys of ``pre=True`` validators whose relative order V2 would reverse, with the reason.

    V1 runs ``pre=True`` validators of a field in definition order; V2 runs ``mode="before"``
    validators in reverse definition order. Two or more on one field cannot keep their order.
    """
    per_field: dict[tuple[int, str], list[ValidatorSite]] = {}
    for site in sites:
        if site.kind != "validator":
            continue
        try:
            args: DecoratorArgs = read_args(site.call, VALIDATOR_KEYWORDS)
            pre = args.flag("pre", False)
            each_item = args.flag("each_item", False)
        except Refusal:
            continue
        names = args.field_names()
        if not pre or each_item or names is None:
            continue
        for name in names:
            per_field.setdefault((id(site.model), name), []).append(site)
    conflicts: dict[str, str] = {}
    for (_, name), group in per_field.items():
        stars = [
            s
            for (m, n), ss in per_field.items()
            if n == "*" and m == id(group[0].model)
            for s in ss
        ]
        members = group if name == "*" else [*group, *(s for s in stars if s not in group)]
        if len(members) < 2:
            continue
        listed = ", ".join(f"`{s.key.rsplit('.', 1)[-1]}`" for s in members)
        reason = (
            f"`{name}` has several `pre=True` validators ({listed}); V1 runs them in definition "
            'order but V2 runs `mode="before"` validators in reverse order, so converting them '
            "would change the result unless they are reordered by hand"
        )
        for site in members:
            conflicts[site.key] = reason
    return conflicts


def _plan(module: _Module, site: ValidatorSite, conflicts: dict[str, str]) -> Plan:
    if site.kind == "root_validator":
        return root_validators.plan_root_validator(module.src, site, module.names)
    if site.key in conflicts:
        reason = conflicts[site.key]
        return Plan(
            message=f"Pydantic V1 `@validator` is deprecated; not converted automatically: "
            f"{reason}.",
            refusal=reason,
        )
    return field_validators.plan_field_validator(module.src, site, module.names, module.functions)


def _finding(module: _Module, site: ValidatorSite, plan: Plan) -> Finding:
    src = module.src
    decorator = site.decorator if site.reuse is None else site.reuse
    start = src.start(decorator)
    if site.reuse is None and start > 0 and src.text[start - 1] == "@":
        start -= 1
    end = src.end(decorator) if site.reuse is None else src.end(site.reuse.value)
    from fastapi_architect.textedit import position_of

    is_root = site.kind == "root_validator"
    return Finding(
        code=ROOT_VALIDATOR_CODE if is_root else VALIDATOR_CODE,
        message=plan.message,
        start=position_of(src.text, start, src.starts),
        end=position_of(src.text, end, src.starts),
        fixable=plan.fixable,
        key=site.key,
        title=root_validators.TITLE if is_root else field_validators.TITLE,
    )


def find_findings(source: str) -> list[Finding]:
    """Every Pydantic V1 validator in ``source``; raises SyntaxError if it does not parse."""
    module = _load(source)
    if module is None:
        return []
    conflicts = _pre_conflicts(module.analysis.sites)
    return [
        _finding(module, site, _plan(module, site, conflicts)) for site in module.analysis.sites
    ]


def _replacements(module: _Module, keys: Collection[str] | None) -> list[Replacement]:
    sites = module.analysis.sites
    conflicts = _pre_conflicts(sites)
    selected = [s for s in sites if keys is None or s.key in keys]
    edits: set[Replacement] = set()
    imports: set[str] = set()
    consumed: dict[str, int] = {}
    for site in selected:
        plan = _plan(module, site, conflicts)
        if not plan.fixable:
            continue
        edits.update(plan.replacements)
        imports.update(plan.imports)
        if plan.consumed is not None:
            consumed[plan.consumed] = consumed.get(plan.consumed, 0) + 1
    if not edits:
        return []
    uses = module.names.local_uses(module.src.tree)
    unused = {name for name, count in consumed.items() if uses.get(name, 0) <= count}
    edits.update(
        import_edits(
            module.src,
            module.names,
            {n for n in imports if n in PYDANTIC_EXPORTS},
            {n for n in imports if n not in PYDANTIC_EXPORTS},
            unused,
        )
    )
    return sorted(edits)


def fix_edits(source: str, keys: Collection[str] | None = None) -> list[TextEdit]:
    """Minimal edits converting the findings with ``keys`` (None: every fixable one)."""
    module = _load(source)
    if module is None:
        return []
    return module.src.to_text_edits(_replacements(module, keys))


def migrate_source(source: str) -> str:
    """Apply every fixable conversion; idempotent, and the result always compiles."""
    module = _load(source)
    if module is None:
        return source
    replacements = _replacements(module, None)
    if not replacements:
        return source
    result = module.src.apply(replacements)
    compile(result, "<migrated>", "exec")
    return result
