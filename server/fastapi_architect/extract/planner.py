"""Plan the extraction of one endpoint's logic into the service layer (a multi-file edit).

Given the endpoint module's text, its path and a line inside a path operation function, the
planner returns a ``ChangePlan``: the service (and schemas) modules to create or extend, and
minimal edits to the endpoint module, whose body becomes one ``return`` of the service call.
Other files are read only through the ``ProjectFiles`` view (in the editor: open buffers first).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from fastapi_architect.extract.body_text import service_body
from fastapi_architect.extract.chunks import Chunk, body_span, chunk_of, indent_width, to_lf
from fastapi_architect.extract.class_views import SelfUses, dependency_attributes, self_uses
from fastapi_architect.extract.context import (
    EndpointModule,
    ExtractRefusal,
    package_of,
    parse_or_refuse,
)
from fastapi_architect.extract.dependencies import Placement, collect_definitions
from fastapi_architect.extract.endpoints import (
    Endpoint,
    body_statements,
    index_endpoints,
    parameter_names,
    refusal_reason,
)
from fastapi_architect.extract.import_cycles import refuse_import_cycles
from fastapi_architect.extract.importers import external_uses
from fastapi_architect.extract.layout import AUTO, Layout, LayoutError, ModuleTarget, resolve_layout
from fastapi_architect.extract.lineops import LineOperation, to_text_edits
from fastapi_architect.extract.lint_exemptions import ConfigLine, carried_exemption
from fastapi_architect.extract.names import free_names, lookup_bindings, module_symbols
from fastapi_architect.extract.pairing import with_paired_models
from fastapi_architect.extract.publicize import public_names, rename_in_source
from fastapi_architect.extract.rewrite import rewrite_endpoint_module
from fastapi_architect.extract.service_call import choose_function, service_module_reads
from fastapi_architect.extract.signature import (
    ServiceParam,
    awaits,
    docstring_line,
    render_signature,
    return_type,
    service_params,
    strip_markers,
)
from fastapi_architect.extract.targets import (
    TargetModule,
    open_target,
    place_chunk,
    render_module,
    require_binding,
    require_names,
)
from fastapi_architect.imports import ImportBinding, ImportStyle, project_style
from fastapi_architect.plan import ChangePlan, FileEdit, GeneratedFile
from fastapi_architect.project_files import DISK, ProjectFiles, is_inside, read_text_or_none
from fastapi_architect.textedit import split_lines


def _relative(path: Path, root: Path) -> PurePosixPath:
    try:
        return PurePosixPath(path.resolve().relative_to(root.resolve()).as_posix())
    except ValueError as error:
        raise ExtractRefusal(f"{path} is outside the workspace {root}") from error


def _import_style(path: Path, layout: Layout, files: ProjectFiles) -> ImportStyle:
    """The project's isort style; the modules the plan may create count as first party."""
    planned: set[str] = set()
    for target in (layout.service, layout.schemas):
        parts = target.module.split(".")
        planned.update(".".join(parts[:length]) for length in range(1, len(parts) + 1))
    loaded = project_style(
        path.parent, layout.import_root, lambda config: read_text_or_none(files, config)
    )
    return replace(loaded.style, first_party_modules=frozenset(planned))


@dataclass(frozen=True)
class Extraction:
    """The result of planning: the plan and what it will do, for titles and messages."""

    plan: ChangePlan
    root: Path
    """The folder the plan's paths are relative to."""
    endpoint: str
    service_function: str
    service_path: PurePosixPath
    schemas_path: PurePosixPath | None


def plan_extract(
    text: str,
    path: Path,
    line: int,
    *,
    root: Path | None = None,
    workspace: Path | None = None,
    service_module: str = AUTO,
    files: ProjectFiles = DISK,
    tree: ast.Module | None = None,
) -> Extraction:
    """Plan moving the logic of the endpoint containing 0-based ``line`` into the service layer.

    Plan paths are relative to ``root`` (default: the project's import root); the import
    root is decided inside ``workspace`` (default: ``root``); ``tree`` is
    the already parsed ``text`` when the caller has it. Raises
    ``ExtractRefusal`` with the reason when the endpoint cannot be extracted.
    """
    path = path.resolve()
    where = path.name
    tree = parse_or_refuse(text, where) if tree is None else tree
    endpoint = index_endpoints(tree).at(line)
    if endpoint is None:
        raise ExtractRefusal(f"line {line + 1} is not inside a path operation function")
    reason = refusal_reason(endpoint, split_lines(text))
    if reason is not None:
        raise ExtractRefusal(reason)
    try:
        layout = resolve_layout(
            path, service_module, files, workspace=root if workspace is None else workspace
        )
    except LayoutError as error:
        raise ExtractRefusal(str(error)) from error
    root = layout.import_root if root is None else root
    package = package_of(layout, path)
    ctx = EndpointModule(
        text=text,
        tree=tree,
        path=path,
        layout=layout,
        package=package,
        symbols=module_symbols(tree, package, text),
        files=files,
        lines=split_lines(text),
        import_style=_import_style(path, layout, files),
    )
    node = endpoint.node
    body = body_statements(node)
    body_free = free_names(body)
    params_all = set(parameter_names(node))
    view = _class_view(endpoint, body)
    if view is not None and view.self_name is not None:
        params_all.discard(view.self_name)
        body_free.discard(view.self_name)
    used_params = {
        n.id for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Name)
    } & params_all
    params = [*_view_params(view, ctx), *service_params(endpoint, used_params, ctx)]
    returns = return_type(endpoint, ctx)
    is_async = isinstance(node, ast.AsyncFunctionDef) and awaits(body)
    service = open_target(layout.service, ctx, _display(layout.service.path, root))
    aliases, reads = service_module_reads(ctx, body, body_free - params_all, service)
    body_free -= aliases

    service_needs = (body_free - params_all) | {
        name
        for item in (
            *(p.annotation for p in params),
            *(p.default for p in params),
            returns,
        )
        if item is not None
        for name in item.local_names
    }
    placement = collect_definitions(service_needs, ctx, endpoint)
    placement = with_paired_models(service_needs, ctx, endpoint, placement)

    schemas = open_target(layout.schemas, ctx, _display(layout.schemas.path, root))
    renames = public_names(
        ctx,
        endpoint,
        placement,
        lambda: lookup_bindings(
            [tree, *(m.tree for m in (service, schemas) if m.tree is not None)]
        ),
    )
    chunks, homes = _move_definitions(ctx, placement, service, schemas, root, renames)
    reexports = _reexports(ctx, {chunk.name for chunk in chunks}, renames, root)
    require_names(service, service_needs, ctx, homes, _display(layout.service.path, root))
    for item in (*(p.annotation for p in params), returns):
        if item is not None:
            for binding in item.imports:
                require_binding(service, binding, ctx, _display(layout.service.path, root))

    taken = (
        service.names()
        | {b.bound for b in service.imports}
        | set(placement.service_defs)
        | set(renames.values())
    )
    body_first, body_last = body_span(endpoint, ctx.lines)
    indent_line = ctx.lines[body[0].lineno - 1]
    indent = indent_line[: indent_width(indent_line)] or "    "
    if view is None and not reads:
        body_text = to_lf("".join(ctx.lines[body_first : body_last + 1]))
    else:
        dedent = 0 if view is None else node.col_offset
        reads = [*reads, *(view.nodes if view is not None else ())]
        body_text = service_body(ctx.lines, body_first, body_last, reads, body, dedent)
        indent = indent[dedent:] or "    "
    docstring = f'{indent}"""{docstring_line(endpoint, tree)}"""\n'

    def render(name: str) -> str:
        signature = render_signature(name, params, returns, is_async)
        return rename_in_source(signature + docstring + body_text, renames)

    chosen = choose_function(ctx, endpoint, service, taken, render)
    function_name = chosen.name
    if not chosen.reused:
        service.chunks.append(render(function_name))

    refuse_import_cycles((schemas, service), ctx, lambda path: _display(path, root))
    creates, edits = _module_changes(ctx, (schemas, service), root)
    new_endpoint_text, endpoint_operations = rewrite_endpoint_module(
        ctx,
        endpoint,
        params,
        returns,
        is_async,
        function_name,
        (body_first, body_last),
        chunks,
        homes,
        placement,
        renames,
        reexports,
        direct=chosen.direct,
    )
    _check_compiles(new_endpoint_text, where)
    edits.insert(0, FileEdit(_relative(path, root), to_text_edits(endpoint_operations)))
    service_relative = _relative(layout.service.path, root)
    return Extraction(
        plan=ChangePlan(
            label=f"Extract {node.name} to {service_relative}", creates=creates, edits=edits
        ),
        root=root,
        endpoint=node.name,
        service_function=function_name,
        service_path=service_relative,
        schemas_path=_relative(layout.schemas.path, root) if schemas.chunks else None,
    )


def _class_view(endpoint: Endpoint, body: list[ast.stmt]) -> SelfUses | None:
    """What a class-based view's method reads through ``self`` (``None`` for a function)."""
    if endpoint.owner is None:
        return None
    uses = self_uses(endpoint.owner, endpoint.node, body)
    if isinstance(uses, str):
        raise ExtractRefusal(uses)
    return uses


def _view_params(view: SelfUses | None, ctx: EndpointModule) -> list[ServiceParam]:
    """The class attributes the method reads (``self.session``) as service parameters."""
    if view is None:
        return []
    declared = dependency_attributes(view.owner)
    return [
        ServiceParam(
            name,
            strip_markers(declared[name].annotation, ctx),
            None,
            argument=f"{view.self_name}.{name}",
        )
        for name in view.attributes
    ]


def _reexports(
    ctx: EndpointModule, moved: set[str], renames: dict[str, str], root: Path
) -> set[str]:
    """Moved names other files take from the endpoint module: they stay importable from it."""
    uses = external_uses(ctx.layout.endpoint_module, ctx.path, root, ctx.files, moved)
    for use in uses:
        if use.rebinds:
            raise ExtractRefusal(
                f"`{use.name}` is set from outside {ctx.path.name}: {_display(use.path, root)} "
                f"does `{use.how}`; it must stay in {ctx.path.name} — extraction would give "
                "the service a copy that setting does not reach"
            )
        if use.name in renames:
            raise ExtractRefusal(
                f"`{use.name}` is private to {ctx.path.name} but {_display(use.path, root)} "
                f"uses it (`{use.how}`); make it public first"
            )
    return {use.name for use in uses}


def _move_definitions(
    ctx: EndpointModule,
    placement: Placement,
    service: TargetModule,
    schemas: TargetModule,
    root: Path,
    renames: dict[str, str],
) -> tuple[list[Chunk], dict[str, ModuleTarget]]:
    """Place each needed definition in its layer; return the chunks and where each went."""
    chunks: list[Chunk] = []
    homes: dict[str, ModuleTarget] = {}
    for names, module in ((placement.schema_defs, schemas), (placement.service_defs, service)):
        where = _display(module.target.path, root)
        for name in names:
            chunk = chunk_of(name, ctx.symbols.definitions[name], ctx)
            if name not in placement.copied:
                chunks.append(chunk)
            placed = replace(
                chunk, name=renames.get(name, name), text=rename_in_source(chunk.text, renames)
            )
            place_chunk(module, placed, where)
            homes[name] = module.target
    for names, module in ((placement.schema_defs, schemas), (placement.service_defs, service)):
        where = _display(module.target.path, root)
        for name in names:
            if name not in module.skipped:
                require_names(module, placement.needs[name], ctx, homes, where)
    return chunks, homes


def _module_changes(
    ctx: EndpointModule, modules: Sequence[TargetModule], root: Path
) -> tuple[list[GeneratedFile], list[FileEdit]]:
    """Files to create and edits to existing modules, each result checked with ``compile``."""
    domain = ctx.layout.domain
    plural = domain.name if domain else Path(ctx.layout.endpoint_module.replace(".", "/")).name
    docstrings = {
        ctx.layout.schemas.path: f"Request and response models for {plural}.",
        ctx.layout.service.path: f"Business logic for {plural}, called by the API endpoints.",
    }
    creates: list[GeneratedFile] = []
    edits: list[FileEdit] = []
    exemptions: list[ConfigLine] = []
    for module in modules:
        if not module.chunks:
            continue
        path = module.target.path
        future = ctx.symbols.future_annotations or (
            path == ctx.layout.service.path and _needs_future_for_unions(ctx, module.chunks)
        )
        symbols = module.symbols
        if future and symbols is not None and not symbols.future_annotations:
            module.imports.add(ImportBinding("__future__", "annotations", None))
        after, operations = render_module(module, docstrings[path], ctx, future)
        _check_compiles(after, path.name)
        if module.text is not None:
            edits.append(FileEdit(_relative(path, root), to_text_edits(operations)))
            continue
        init = module.target.new_package_init
        if init is not None:
            layer = f'"""{init.parent.name.capitalize()} layer."""\n'
            creates.append(GeneratedFile(_relative(init, root), layer))
        creates.append(GeneratedFile(_relative(path, root), after))
        entry = carried_exemption(
            ctx.path, path, root, lambda config: read_text_or_none(ctx.files, config)
        )
        if entry is not None and is_inside(entry.config, root):
            exemptions.append(entry)
    for config in sorted({entry.config for entry in exemptions}):
        lines = [e for e in exemptions if e.config == config]
        operation = LineOperation(lines[0].line, lines[0].line, "".join(e.text for e in lines))
        edits.append(FileEdit(_relative(config, root), to_text_edits([operation])))
    return creates, edits


def _needs_future_for_unions(ctx: EndpointModule, chunks: Sequence[str]) -> bool:
    """Whether a new service module needs ``from __future__ import annotations``: its
    signatures (copied from the endpoint's) use ``X | Y`` (or ``list[X]``) and the project
    supports Pythons older than 3.10 (3.9), where ruff asks for the future import (FA102)."""
    target = ctx.import_style.target_version
    if target is None or target >= (3, 10):
        return False
    for chunk in chunks:
        try:
            tree = ast.parse(chunk)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            annotations: list[ast.expr | None] = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                arguments = node.args
                every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
                every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
                annotations = [a.annotation for a in every] + [node.returns]
            elif isinstance(node, ast.AnnAssign):
                annotations = [node.annotation]
            for annotation in annotations:
                if annotation is not None and any(
                    _newer_syntax(n, target) for n in ast.walk(annotation)
                ):
                    return True
    return False


_PEP585 = frozenset({"list", "dict", "set", "frozenset", "tuple", "type"})


def _newer_syntax(node: ast.AST, target: tuple[int, int]) -> bool:
    """``X | Y`` (3.10) or ``list[X]`` (3.9) in an annotation, for a project older than that."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return True
    return (
        target < (3, 9)
        and isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id in _PEP585
    )


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _check_compiles(text: str, where: str) -> None:
    try:
        compile(text, where, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        raise ExtractRefusal(
            f"the result for {where} would not compile ({error}); nothing was changed"
        ) from error
