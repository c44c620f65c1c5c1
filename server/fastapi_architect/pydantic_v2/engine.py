"""Source text → findings → edits, for every V1 construct of a module.

Validators are planned per site (``_plan``); the other conversions (``class Config``,
``Field`` arguments, Optional defaults, moved imports) come planned from their own modules
as ``Conversion`` values. Both share the import planning, overlap checks and compile check.
"""

from __future__ import annotations

import ast
import bisect
import itertools
import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, field

from fastapi_architect.imports import DEFAULT_STYLE, ImportBinding, ImportStyle
from fastapi_architect.pydantic_v2 import field_validators, root_validators
from fastapi_architect.pydantic_v2.analysis import (
    ModelClass,
    ModuleAnalysis,
    ValidatorSite,
    analyse,
)
from fastapi_architect.pydantic_v2.callable_refs import plan_callable_refs
from fastapi_architect.pydantic_v2.called_types import plan_called_types
from fastapi_architect.pydantic_v2.class_keyword_config import plan_class_keyword_configs
from fastapi_architect.pydantic_v2.config_class import plan_configs
from fastapi_architect.pydantic_v2.constrained_types import plan_constrained_types
from fastapi_architect.pydantic_v2.conversion import Conversion
from fastapi_architect.pydantic_v2.create_model_config import plan_create_model_configs
from fastapi_architect.pydantic_v2.custom_types import mentions_custom_types, plan_custom_types
from fastapi_architect.pydantic_v2.decorator_args import (
    ROOT_KEYWORDS,
    VALIDATOR_KEYWORDS,
    DecoratorArgs,
    read_args,
)
from fastapi_architect.pydantic_v2.error_wrappers import plan_error_wrappers
from fastapi_architect.pydantic_v2.field_args import plan_fields
from fastapi_architect.pydantic_v2.findings import ROOT_VALIDATOR_CODE, VALIDATOR_CODE, Finding
from fastapi_architect.pydantic_v2.forward_refs import (
    mentions_update_forward_refs,
    plan_guarded_rebuilds,
)
from fastapi_architect.pydantic_v2.functions import classmethod_above
from fastapi_architect.pydantic_v2.generic_aliases import plan_generic_aliases
from fastapi_architect.pydantic_v2.generic_models import plan_generic_models
from fastapi_architect.pydantic_v2.imports import import_edits
from fastapi_architect.pydantic_v2.init_subclass import plan_init_subclass
from fastapi_architect.pydantic_v2.json_encoders import plan_json_encoders
from fastapi_architect.pydantic_v2.method_calls import plan_method_calls
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels
from fastapi_architect.pydantic_v2.model_inputs import plan_model_inputs
from fastapi_architect.pydantic_v2.module_validators import (
    imported_definitions,
    plan_module_validators,
)
from fastapi_architect.pydantic_v2.moved_names import plan_moved_names
from fastapi_architect.pydantic_v2.names import PydanticNames, read_names
from fastapi_architect.pydantic_v2.optional_defaults import plan_optional_defaults
from fastapi_architect.pydantic_v2.pending_rebuilds import plan_pending_rebuilds
from fastapi_architect.pydantic_v2.plain_generics import plan_plain_generics
from fastapi_architect.pydantic_v2.plan import PYDANTIC_EXPORTS, Plan, Refusal
from fastapi_architect.pydantic_v2.root_models import plan_root_models, root_field
from fastapi_architect.pydantic_v2.schema_functions import plan_schema_functions
from fastapi_architect.pydantic_v2.serialize_as_any import plan_serialize_as_any
from fastapi_architect.pydantic_v2.signature_constraints import plan_signature_constraints
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.pydantic_v2.str_coercion import plan_str_coercions
from fastapi_architect.pydantic_v2.type_adapters import plan_type_adapters
from fastapi_architect.pydantic_v2.unannotated_attributes import plan_unannotated_attributes
from fastapi_architect.pydantic_v2.union_modes import plan_union_modes
from fastapi_architect.pydantic_v2.url_build import plan_url_builds
from fastapi_architect.textedit import TextEdit, position_of


def has_v1_markers(source: str) -> bool:
    """Cheap pre-filter: could ``source`` contain Pydantic V1 code at all?"""
    return "pydantic" in source or _v1_without_import(source)


def _v1_without_import(source: str) -> bool:
    """V1 protocols a module uses without importing pydantic: a custom type's
    ``__get_validators__``, a duck-typed ``update_forward_refs`` loop."""
    return mentions_custom_types(source) or mentions_update_forward_refs(source)


def _imports_pydantic_in_a_function(tree: ast.Module) -> bool:
    """True when a function or class body imports from V1-era ``pydantic`` (``def f(): from
    pydantic import parse_obj_as``): the module's top-level imports do not show it."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level:
            modules = [node.module or ""]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        if any(_is_v1_era_pydantic(module) for module in modules):
            return True
    return False


def _is_v1_era_pydantic(module: str) -> bool:
    return module.split(".")[0] == "pydantic" and not module.startswith("pydantic.v1")


@dataclass
class _Module:
    """One parsed module and the plans computed for it so far (diagnostics, then the fix)."""

    src: Source
    names: PydanticNames
    analysis: ModuleAnalysis
    functions: dict[str, ast.AST]
    target: tuple[int, int] | None = None
    """The oldest Python the project supports: how the annotations the fixes write look."""
    models: WorkspaceModels = NO_MODELS
    """Models of other workspace files the module imports."""
    plans: dict[str, Plan] = field(default_factory=dict)
    conflicts: dict[str, str] | None = None
    _conversions: list[Conversion] | None = None

    @property
    def conversions(self) -> list[Conversion]:
        """The non-validator conversions of the module, in document order (planned once)."""
        if self._conversions is None:
            src, names, classes = self.src, self.names, self.analysis.classes
            found = [
                *plan_moved_names(src, names, writes_pep604(self.target)),
                *plan_configs(src, classes, names, self.models),
                *plan_class_keyword_configs(src, classes, names),
                *plan_create_model_configs(src, names),
                *plan_fields(src, classes, names),
                *plan_unannotated_attributes(src, classes, names, self.target, self.models),
                *plan_union_modes(src, classes, names),  # before PYD012: it sets the default
                *plan_optional_defaults(src, classes, names),
                *plan_str_coercions(src, classes, names),
                *(methods := plan_method_calls(src, classes, self.models)),
                *plan_serialize_as_any(src, classes, names, self.models),
                *plan_model_inputs(src, classes, names),
                *_not_at(plan_guarded_rebuilds(src), methods),
                *plan_constrained_types(src, classes, names),
                *plan_signature_constraints(src, names),
                *plan_init_subclass(src, classes),
                *plan_generic_models(src, classes, names),
                *plan_plain_generics(src, classes, names),
                *plan_callable_refs(src, classes, names),
                *plan_generic_aliases(src, classes, self.models, self.target),
                *plan_type_adapters(src, names),
                *plan_called_types(src, names),
                *plan_schema_functions(src, names),
                *plan_pending_rebuilds(src, classes, self.models),
                *plan_url_builds(src, names),
                *plan_root_models(src, classes, names, self._refused_validators),
                *plan_error_wrappers(src, names, self.models),
                *plan_json_encoders(src, classes, names, self.models),
                *plan_custom_types(src, names, classes),
                *plan_module_validators(src, names, classes, self.analysis.sites, self.models),
            ]
            self._conversions = sorted(found, key=lambda c: c.start)
        return self._conversions

    def _refused_validators(self, model: ModelClass) -> list[str]:
        """The keys of ``model``'s V1 validators whose conversion is refused."""
        sites = [s for s in self.analysis.sites if s.model is model]
        return [s.key for s in sites if not _plan(self, s).fixable]

    def finding_keys(self) -> list[str]:
        """Every finding's key: validators, then the other conversions."""
        return [s.key for s in self.analysis.sites] + [c.key for c in self.conversions]


def _not_at(conversions: list[Conversion], known: list[Conversion]) -> list[Conversion]:
    """``conversions`` except those at the start of one of ``known`` (the same call)."""
    taken = {conversion.start for conversion in known}
    return [conversion for conversion in conversions if conversion.start not in taken]


def writes_pep604(target: tuple[int, int] | None) -> bool:
    """True when the project targets Python >= 3.10, so ``str | None`` works at run time
    (Pydantic evaluates annotations); an unknown target keeps ``Optional[str]``."""
    return target is not None and target >= (3, 10)


def _analyse(
    source: str,
    tree: ast.Module | None,
    target: tuple[int, int] | None,
    models: WorkspaceModels = NO_MODELS,
) -> _Module | None:
    """Parse (unless ``tree`` is given) and analyse ``source``; ``None`` when it has no V1 code
    (a module without ``pydantic`` counts when it imports ``models`` of the workspace)."""
    if not has_v1_markers(source) and not models:
        return None
    src = Source(source, tree)
    names = read_names(src.tree)
    if names.uses_v1_namespace or not (
        names.imports_pydantic
        or models
        or _v1_without_import(source)
        or _imports_pydantic_in_a_function(src.tree)
    ):
        return None
    analysis = analyse(src.tree, names, models)
    functions: dict[str, ast.AST] = {
        stmt.name: stmt
        for stmt in src.tree.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    functions.update(imported_definitions(models, functions))
    return _Module(src, names, analysis, functions, target, models)


class _ModuleCache:
    """The analysed modules of the last two texts: diagnostics and the quick fix that follows
    share one parse and one analysis.

    Only two texts are kept: every cached tree is scanned by Python's full garbage collections,
    and eight 2,000-line trees tripled the p95 latency of a cold ``find_findings``.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._modules: OrderedDict[
            tuple[str, tuple[int, int] | None, WorkspaceModels], _Module | None
        ] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(
        self,
        source: str,
        tree: ast.Module | None = None,
        target: tuple[int, int] | None = None,
        models: WorkspaceModels = NO_MODELS,
    ) -> _Module | None:
        """The module of ``source`` for the project's ``target`` Python and the workspace
        ``models`` it imports; ``tree`` spares the parse when the caller has one.

        Raises SyntaxError (not cached) when a source with V1 markers does not parse.
        """
        key = (source, target, models)
        with self._lock:
            if key in self._modules:
                self._modules.move_to_end(key)
                return self._modules[key]
        module = _analyse(source, tree, target, models)
        with self._lock:
            self._modules[key] = module
            self._modules.move_to_end(key)
            while len(self._modules) > self._size:
                self._modules.popitem(last=False)
        return module

    def cache_clear(self) -> None:
        """Forget every cached module."""
        with self._lock:
            self._modules.clear()


_load = _ModuleCache(2)


def _conflicts(sites: list[ValidatorSite]) -> dict[str, str]:
    """Keys of validators that cannot convert one by one because of a sibling, with the reason.

    V1 runs ``pre=True`` validators of a field in definition order; V2 runs ``mode="before"``
    validators in reverse definition order, so two or more on one field cannot keep their
    order. Two ``each_item`` validators on one field would both wrap the same item type.
    """
    pre_fields: dict[tuple[int, str], list[ValidatorSite]] = {}
    item_fields: dict[tuple[int, str], list[ValidatorSite]] = {}
    post_sites: list[tuple[ValidatorSite, list[str]]] = []
    root_pre: list[ValidatorSite] = []
    for site in sites:
        if site.func is not None and classmethod_above(site.func, site.decorator):
            continue  # V1 never registered it, so it has no V1 order to keep
        if site.kind != "validator":
            try:
                if read_args(site.call, ROOT_KEYWORDS).flag("pre", False):
                    root_pre.append(site)
            except Refusal:
                pass
            continue
        try:
            args: DecoratorArgs = read_args(site.call, VALIDATOR_KEYWORDS)
            pre = args.flag("pre", False)
            each_item = args.flag("each_item", False)
            if "whole" in args.keywords:
                each_item = not args.flag("whole", True)
        except Refusal:
            continue
        names = args.field_names()
        if names is None:
            names = ["*"]  # field names computed at run time: assume it may touch any field
        if not each_item and not pre:
            post_sites.append((site, names))
        groups = item_fields if each_item else pre_fields if pre else None
        if groups is None:
            continue
        for name in names:
            groups.setdefault((id(site.model), name), []).append(site)
    conflicts: dict[str, str] = {}
    for model in {id(site.model): site.model for site in sites}.values():
        # A field's pre validators across the class and its same-file bases, bases first.
        chain = [*_ancestors(model), model]
        for name in {n for (m, n) in pre_fields if any(m == id(c) for c in chain)}:
            members: list[ValidatorSite] = []
            for cls in chain:
                for key in ((id(cls), name), (id(cls), "*")):
                    members.extend(s for s in pre_fields.get(key, []) if s not in members)
            if len(members) < 2:
                continue
            reason = (
                f"`{name}` has several `pre=True` validators ({_listed(members)}); V1 runs "
                'them in definition order (base class first) but V2 runs `mode="before"` '
                "validators in reverse order, so converting them would change the result "
                "unless they are merged or reordered by hand"
            )
            for site in members:
                conflicts.setdefault(site.key, reason)
    for model in {id(site.model): site.model for site in root_pre}.values():
        chain = [*_ancestors(model), model]
        members = [site for cls in chain for site in root_pre if site.model is cls]
        if len(members) < 2:
            continue
        reason = (
            f"the model has several `@root_validator(pre=True)` ({_listed(members)}); V1 runs "
            'them in definition order but V2 runs `mode="before"` model validators in reverse '
            "order, so converting them would change the result unless they are merged by hand"
        )
        for site in members:
            conflicts.setdefault(site.key, reason)
    for (_, name), group in item_fields.items():
        if len(group) < 2:
            continue
        reason = (
            f"`{name}` has several `each_item=True` validators ({_listed(group)}); merge them "
            "into one item validator by hand so their order stays explicit"
        )
        for site in group:
            conflicts.setdefault(site.key, reason)
    # Within one class V1 ran a field's own validators before the "*" ones; V2 runs them in
    # definition order. (Across classes both run the base class's validators first.)
    for index, (star, star_names) in enumerate(post_sites):
        if "*" not in star_names:
            continue
        later = [
            site
            for site, names in post_sites[index + 1 :]
            if site.model is star.model and "*" not in names
        ]
        if not later:
            continue
        reason = (
            f'{_listed([star])} validates "*" and is defined before {_listed(later)}; V1 ran '
            'a field\'s own validators before the "*" ones, V2 runs them in definition order, '
            'so move the "*" validator below them first'
        )
        for site in [star, *later]:
            conflicts.setdefault(site.key, reason)
    return conflicts


def _ancestors(model: ModelClass) -> list[ModelClass]:
    """Same-file base models of ``model``, furthest first."""
    found: list[ModelClass] = []
    for base in model.bases_in_file:
        for ancestor in [*_ancestors(base), base]:
            if ancestor not in found:
                found.append(ancestor)
    return found


def _listed(sites: list[ValidatorSite]) -> str:
    return ", ".join(f"`{s.key.rsplit('.', 1)[-1]}`" for s in sites)


def _plan(module: _Module, site: ValidatorSite) -> Plan:
    plan = module.plans.get(site.key)
    if plan is None:
        if module.conflicts is None:
            module.conflicts = _conflicts(module.analysis.sites)
        plan = module.plans[site.key] = _plan_uncached(module, site, module.conflicts)
    return plan


def _plan_uncached(module: _Module, site: ValidatorSite, conflicts: dict[str, str]) -> Plan:
    if site.key in conflicts:
        reason = conflicts[site.key]
        what = "@root_validator" if site.kind == "root_validator" else "@validator"
        return Plan(
            message=f"Pydantic V1 `{what}` is deprecated; not converted automatically: {reason}.",
            refusal=reason,
        )
    if site.kind == "root_validator" and root_field(site.model.node) is not None:
        reason = (
            "it validates a `__root__` model: V1 passed it `{'__root__': value}`, a V2 model "
            "validator of a `RootModel` gets the value itself (or the model), so rewrite it "
            "by hand together with the class"
        )
        return Plan(
            message=f"Pydantic V1 `@root_validator` is deprecated; not converted: {reason}.",
            refusal=reason,
        )
    if site.kind == "root_validator":
        return root_validators.plan_root_validator(module.src, site, module.names)
    return field_validators.plan_field_validator(
        module.src, site, module.names, module.functions, module.target, module.models
    )


def _finding(module: _Module, site: ValidatorSite, plan: Plan) -> Finding:
    """The finding for ``site``: its range is the decorator from ``@`` (or the reuse line)."""
    src = module.src
    decorator = site.decorator if site.reuse is None else site.reuse
    start = src.start(decorator)
    if site.reuse is None and start > 0 and src.text[start - 1] == "@":
        start -= 1
    end = src.end(decorator) if site.reuse is None else src.end(site.reuse.value)
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


def find_findings(
    source: str,
    style: ImportStyle = DEFAULT_STYLE,
    tree: ast.Module | None = None,
    models: WorkspaceModels = NO_MODELS,
) -> list[Finding]:
    """Every Pydantic V1 validator in ``source`` (``style``: the project's, whose target
    Python decides how the titles spell the types the fixes write; ``tree``: its
    ``ast.parse``, if already made; ``models``: the workspace models it imports, from
    ``model_index``).

    Raises SyntaxError when a source that may hold V1 validators (``has_v1_markers``) does not
    parse; a source without markers is not parsed at all and has no findings.
    """
    module = _load(source, tree, style.target_version, models)
    if module is None:
        return []
    findings = [_finding(module, site, _plan(module, site)) for site in module.analysis.sites]
    src = module.src
    for conversion in module.conversions:
        findings.append(
            Finding(
                code=conversion.code,
                message=conversion.message,
                start=position_of(src.text, conversion.start, src.starts),
                end=position_of(src.text, conversion.end, src.starts),
                fixable=conversion.fixable,
                key=conversion.key,
                title=conversion.title,
                fixed_in=conversion.fixed_in,
            )
        )
    return findings


def _replacements(
    module: _Module, keys: Collection[str] | None, style: ImportStyle = DEFAULT_STYLE
) -> list[Replacement]:
    sites = module.analysis.sites
    selected = [s for s in sites if keys is None or s.key in keys]
    edits: set[Replacement] = set()
    imports: set[str] = set()
    consumed: dict[str, int] = {}
    plans = [p for p in (_plan(module, site) for site in selected) if p.fixable]
    conversions = [c for c in module.conversions if c.fixable and (keys is None or c.key in keys)]
    every = {r for plan in plans for r in plan.replacements}
    every.update(r for conversion in conversions for r in conversion.replacements)
    collide = _any_overlap(sorted(every))
    bindings: set[ImportBinding] = set()
    for plan in plans:
        if collide and _overlaps(edits, plan.replacements):
            continue  # two conversions want the same text: keep the first one only
        edits.update(plan.replacements)
        imports.update(plan.imports)
        bindings.update(plan.add)
        if plan.consumed is not None:
            consumed[plan.consumed] = consumed.get(plan.consumed, 0) + 1
    removed: set[str] = set()
    names_consumed: dict[str, int] = {}
    for conversion in conversions:
        if collide and _overlaps(edits, conversion.replacements):
            continue
        if conversion.replacements and edits.issuperset(conversion.replacements):
            continue  # the same edit as another conversion's: its names are counted once
        edits.update(conversion.replacements)
        bindings.update(conversion.add)
        removed.update(conversion.remove)
        for name, count in conversion.consumed.items():
            names_consumed[name] = names_consumed.get(name, 0) + count
    if not edits and not bindings and not removed:
        return []
    for name in [n for n in names_consumed if n in module.names.decorators]:
        # Module-level validators free the same V1 decorator import as the class ones.
        consumed[name] = consumed.get(name, 0) + names_consumed.pop(name)
    known: dict[str, int] = {}
    for site in sites:
        if site.local_name is not None:
            known[site.local_name] = known.get(site.local_name, 0) + 1
    unused = module.names.unused_after(module.src.tree, module.src.text, consumed, known)
    unused |= module.names.unused_after(module.src.tree, module.src.text, names_consumed, {})
    edits.update(
        import_edits(
            module.src,
            {n for n in imports if n in PYDANTIC_EXPORTS},
            {n for n in imports if n not in PYDANTIC_EXPORTS},
            unused | removed,
            style,
            bindings,
        )
    )
    return sorted(edits)


def _any_overlap(ordered: list[Replacement]) -> bool:
    """True when two of the sorted replacements overlap or insert at the same point."""
    for previous, current in itertools.pairwise(ordered):
        if current.start < previous.end:
            return True
        if previous.start == previous.end == current.start == current.end:
            return True
    return False


def _overlaps(existing: set[Replacement], new: list[Replacement]) -> bool:
    """True when ``new`` collides with an edit already planned (identical edits merge)."""
    for candidate in new:
        for other in existing:
            if other == candidate:
                continue
            if candidate.start < other.end and other.start < candidate.end:
                return True
            if candidate.start == candidate.end == other.start == other.end:
                return True
    return False


def _compiles(module: _Module, replacements: list[Replacement]) -> bool:
    """True when the text after ``replacements`` compiles.

    Only the top-level statements the replacements touch are compiled (plus any new lines
    between statements): the rest of the module is unchanged and already parsed, so the check
    costs the size of the edited classes, not of the file.
    """
    src = module.src
    spans: list[tuple[int, int]] = []
    for stmt in src.tree.body:
        first = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", []))])
        spans.append((src.line_start(first), src.line_end(stmt.end_lineno or stmt.lineno)))
    starts = [span[0] for span in spans]
    touched: dict[int, list[Replacement]] = {}
    loose: list[str] = []
    for r in replacements:
        index = bisect.bisect_right(starts, r.start) - 1
        if index >= 0 and r.start >= spans[index][0] and r.end <= spans[index][1]:
            if r.start == r.end == spans[index][0]:
                loose.append(r.new_text)  # a new line inserted before the statement
            else:
                touched.setdefault(index, []).append(r)
        else:
            loose.append(r.new_text)
    chunks = [chunk for chunk in loose if chunk.strip()]
    for index, group in touched.items():
        begin, end = spans[index]
        pieces: list[str] = []
        cursor = begin
        for r in sorted(group):
            pieces.append(src.text[cursor : r.start])
            pieces.append(r.new_text)
            cursor = r.end
        pieces.append(src.text[cursor:end])
        chunks.append("".join(pieces))
    text = "\n".join(chunk.rstrip("\r\n") for chunk in chunks) + "\n"
    try:
        compile(text, "<migrated>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _checked(
    module: _Module, keys: Collection[str] | None, style: ImportStyle = DEFAULT_STYLE
) -> list[Replacement]:
    """The replacements for ``keys``, keeping only conversions whose result compiles."""
    replacements = _replacements(module, keys, style)
    if not replacements or _compiles(module, replacements):
        return replacements
    # Safety net: never hand out code that does not compile. Keep the keys that do on their own.
    wanted = [key for key in module.finding_keys() if keys is None or key in keys]
    good = [k for k in wanted if _compiles(module, _replacements(module, [k], style))]
    replacements = _replacements(module, good, style)
    if replacements and _compiles(module, replacements):
        return replacements
    return []


def fix_edits(
    source: str,
    keys: Collection[str] | None = None,
    style: ImportStyle = DEFAULT_STYLE,
    tree: ast.Module | None = None,
    models: WorkspaceModels = NO_MODELS,
) -> list[TextEdit]:
    """Minimal edits converting the findings with ``keys`` (None: every fixable one).

    Imports are included; a conversion whose result would not compile is left out. Raises
    SyntaxError when a source with V1 markers does not parse. ``tree``, ``models``: as for
    ``find_findings``.
    """
    module = _load(source, tree, style.target_version, models)
    if module is None:
        return []
    return module.src.to_text_edits(_checked(module, keys, style))


def migrate_source(
    source: str,
    style: ImportStyle = DEFAULT_STYLE,
    models: WorkspaceModels = NO_MODELS,
    tree: ast.Module | None = None,
) -> str:
    """Apply every fixable conversion; idempotent, and the result compiles if ``source`` did.

    Raises SyntaxError when a source with V1 markers does not parse. ``models``, ``tree``: as
    for ``find_findings``.
    """
    module = _load(source, tree, style.target_version, models)
    if module is None:
        return source
    replacements = _checked(module, None, style)
    return module.src.apply(replacements) if replacements else source
