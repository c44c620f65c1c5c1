"""Generated imports: relative where the endpoint module writes them so, and each checked
to resolve from the import root before the refactoring is offered."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from fastapi_architect.extract.context import EndpointModule, ExtractRefusal
from fastapi_architect.imports import ImportBinding


def relative_module(module: str, package: str) -> str | None:
    """``module`` written relative to ``package`` (``..`` for ``acme.api`` seen from
    ``acme.api.services``), or ``None`` when they share no top-level package."""
    target = module.split(".")
    own = package.split(".") if package else []
    common = 0
    while common < min(len(target), len(own)) and target[common] == own[common]:
        common += 1
    if common == 0:
        return None
    return "." * (len(own) - common + 1) + ".".join(target[common:])


def in_relative_form(
    bindings: Iterable[ImportBinding], package: str, ctx: EndpointModule, *, all_local: bool
) -> list[ImportBinding]:
    """The bindings as the module at ``package`` should write them: relative when the
    endpoint module wrote them relatively, or (``all_local``) for every other first-party
    module when the endpoint module uses relative imports (what it writes absolutely stays
    absolute, and ``..`` forms only if the module itself reaches up so)."""
    prefer = all_local and bool(ctx.symbols.relative)
    written = set(ctx.symbols.imports.values()) if prefer else set()
    own = ctx.package
    goes_up = any(  # the module itself writes `from ..x import y`
        b.module is not None and b.module != own and not b.module.startswith(own + ".")
        for b in ctx.symbols.relative
    )
    result: list[ImportBinding] = []
    for binding in bindings:
        local = binding.module is not None and (
            binding in ctx.symbols.relative
            or (prefer and binding not in written and _first_party(binding.module, ctx))
        )
        relative = relative_module(binding.module, package) if local and binding.module else None
        if (
            relative
            and relative.startswith("..")
            and not goes_up
            and binding not in ctx.symbols.relative
        ):
            relative = None  # `from ..auth import …` only in the style of a module that goes up
        result.append(replace(binding, module=relative) if relative else binding)
    return result


def _first_party(module: str, ctx: EndpointModule) -> bool:
    top = ctx.layout.endpoint_module.split(".")[0]
    return module == top or module.startswith(top + ".")


def _exists(module: str, root: Path, ctx: EndpointModule, planned: set[str]) -> bool:
    if module in planned:
        return True
    path = root.joinpath(*module.split("."))
    return ctx.files.is_file(path.with_suffix(".py")) or ctx.files.is_dir(path)


def check_resolves(
    bindings: Iterable[ImportBinding], ctx: EndpointModule, planned: set[str], where: str
) -> None:
    """Refuse when a first-party import would not resolve from the import root (a module
    or package that neither exists nor is created by the plan)."""
    root = ctx.layout.import_root
    folders = [folder for folder in ctx.path.parents if root in folder.parents]
    for binding in bindings:
        module = binding.module or binding.name
        if not module or module.startswith("."):
            continue
        top = module.split(".")[0]
        looks_local = top not in sys.stdlib_module_names and any(
            _exists(top, folder, ctx, set()) for folder in folders
        )
        if not (looks_local or _first_party(module, ctx) or _exists(top, root, ctx, planned)):
            continue  # the standard library or an installed distribution
        if not _exists(module, root, ctx, planned):
            raise ExtractRefusal(
                f"the import of `{binding.bound}` from `{module}` that {where} would need "
                f"does not resolve from the import root {root.name}/ (where the endpoint "
                f"module is `{ctx.layout.endpoint_module}`); set the project's source root "
                "(pyproject packages, ruff `src`, pytest `pythonpath`) first"
            )


def planned_modules(ctx: EndpointModule) -> set[str]:
    """The service and schemas modules and their packages: the plan may create them."""
    planned: set[str] = set()
    for target in (ctx.layout.service, ctx.layout.schemas):
        parts = target.module.split(".")
        planned.update(".".join(parts[:length]) for length in range(1, len(parts) + 1))
    return planned


def generated_imports(
    bindings: Iterable[ImportBinding],
    package: str,
    ctx: EndpointModule,
    where: str,
    existing: Iterable[ImportBinding] = (),
) -> list[ImportBinding]:
    """The imports a module of the plan gets (those it has already left out), checked to
    resolve, in the form to write."""
    present = set(existing)
    wanted = sorted((b for b in bindings if b not in present), key=ImportBinding.sort_key)
    check_resolves(wanted, ctx, planned_modules(ctx), where)
    return in_relative_form(wanted, package, ctx, all_local=True)
