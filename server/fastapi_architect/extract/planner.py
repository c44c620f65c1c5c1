"""Plan the extraction of one endpoint's logic into the service layer (a multi-file edit).

Given the endpoint module's text, its path and a line inside a path operation function, the
planner returns a ``ChangePlan``: the service (and schemas) modules to create or extend, and
minimal edits to the endpoint module, whose body becomes one ``return`` of the service call.
Nothing here touches the disk except reading the target modules through ``read_text``.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from fastapi_architect.extract.context import (
    EndpointModule,
    ExtractRefusal,
    ReadText,
    package_of,
    parse_or_refuse,
    read_from_disk,
)
from fastapi_architect.extract.dependencies import Placement, collect_definitions
from fastapi_architect.extract.endpoints import (
    Endpoint,
    body_statements,
    index_endpoints,
    parameter_names,
    refusal_reason,
    signature_last_line,
)
from fastapi_architect.extract.imports import ImportBinding, render_block, rewrite_imports
from fastapi_architect.extract.layout import AUTO, Layout, LayoutError, ModuleTarget, resolve_layout
from fastapi_architect.extract.names import (
    BUILTINS,
    ModuleSymbols,
    bound_names,
    free_names,
    loaded_names,
    module_symbols,
)
from fastapi_architect.extract.signature import (
    ServiceParam,
    TypeText,
    awaits,
    docstring_line,
    render_call,
    render_signature,
    return_type,
    service_params,
)
from fastapi_architect.plan import ChangePlan, FileEdit, GeneratedFile
from fastapi_architect.textedit import minimal_edits, split_lines


def _newline_of(text: str) -> str:
    for line in split_lines(text):
        if line.endswith("\r\n"):
            return "\r\n"
        if line.endswith("\n"):
            return "\n"
        if line.endswith("\r"):
            return "\r"
    return "\n"


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _with_newline(text: str, newline: str) -> str:
    return text if newline == "\n" else text.replace("\n", newline)


@dataclass(frozen=True)
class _Chunk:
    """A top-level statement of the endpoint module, by 0-based line span."""

    name: str
    first: int
    last: int
    text: str


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _body_span(endpoint: Endpoint, lines: Sequence[str]) -> tuple[int, int]:
    """0-based first and last line of the endpoint's body after its docstring."""
    node = endpoint.node
    body = body_statements(node)
    if len(body) != len(node.body):
        first = node.body[0].end_lineno or node.body[0].lineno
        while first < body[0].lineno - 1 and not lines[first].strip():
            first += 1
    else:
        first = body[0].lineno - 1
        floor = signature_last_line(node)
        while first - 1 >= floor and _is_comment(lines[first - 1]):
            first -= 1
    last = (body[-1].end_lineno or body[-1].lineno) - 1
    while last + 1 < len(lines) and _is_comment(lines[last + 1]) and _indent(lines[last + 1]) > 0:
        last += 1
    return first, last


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _chunk(name: str, node: ast.stmt, ctx: EndpointModule) -> _Chunk:
    """The lines of a top-level definition, with its decorators and the comments above it."""
    decorators = getattr(node, "decorator_list", [])
    first = min([node.lineno, *(d.lineno for d in decorators)]) - 1
    last = (node.end_lineno or node.lineno) - 1
    index = ctx.tree.body.index(node)
    previous_end = (ctx.tree.body[index - 1].end_lineno or 0) - 1 if index > 0 else -1
    following = ctx.tree.body[index + 1].lineno - 1 if index + 1 < len(ctx.tree.body) else None
    if previous_end >= first or (following is not None and following <= last):
        raise ExtractRefusal(f"`{name}` shares its line with another statement; split them first")
    while first - 1 > previous_end and _is_comment(ctx.lines[first - 1]):
        first -= 1
    return _Chunk(name, first, last, _lf("".join(ctx.lines[first : last + 1])))


def _relative(path: Path, root: Path) -> PurePosixPath:
    try:
        return PurePosixPath(path.resolve().relative_to(root.resolve()).as_posix())
    except ValueError as error:
        raise ExtractRefusal(f"{path} is outside the workspace {root}") from error


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


@dataclass
class _TargetModule:
    """A module being created or extended."""

    target: ModuleTarget
    text: str | None
    tree: ast.Module | None
    symbols: ModuleSymbols | None
    imports: set[ImportBinding] = field(default_factory=set)
    chunks: list[str] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)
    """Definitions already present with the same text; not moved again."""

    def names(self) -> set[str]:
        return self.symbols.all_names() if self.symbols is not None else set()


def _open_target(target: ModuleTarget, ctx: EndpointModule, where: str) -> _TargetModule:
    if not target.exists:
        return _TargetModule(target, None, None, None)
    text = ctx.read_text(target.path)
    if text is None:
        raise ExtractRefusal(f"cannot read {where}")
    tree = parse_or_refuse(text, where)
    package = target.module.rpartition(".")[0]
    return _TargetModule(target, text, tree, module_symbols(tree, package))


def _place_chunk(module: _TargetModule, chunk: _Chunk, where: str) -> None:
    if module.tree is not None and module.text is not None and chunk.name in module.names():
        existing = next(
            (
                node
                for node in module.tree.body
                if chunk.name in bound_names([node])
                and not isinstance(node, (ast.Import, ast.ImportFrom))
            ),
            None,
        )
        if existing is not None and _lf(ast.get_source_segment(module.text, existing) or "") in (
            chunk.text
        ):
            module.skipped.add(chunk.name)
            return
        raise ExtractRefusal(f"`{chunk.name}` already exists in {where} with another definition")
    module.chunks.append(chunk.text)


def _require(
    module: _TargetModule,
    names: set[str],
    ctx: EndpointModule,
    local_defs: dict[str, ModuleTarget],
    where: str,
) -> None:
    """Record the imports ``module`` needs for ``names`` used by code moved into it."""
    for name in sorted(names):
        if name in BUILTINS:
            continue
        home = local_defs.get(name)
        if home is not None:
            if home.module != module.target.module:
                module.imports.add(ImportBinding(home.module, name))
            continue
        binding = ctx.symbols.imports.get(name)
        if binding is None:
            raise ExtractRefusal(f"cannot tell where `{name}` comes from in {ctx.path.name}")
        _require_binding(module, binding, ctx, where)


def _require_binding(
    module: _TargetModule, binding: ImportBinding, ctx: EndpointModule, where: str
) -> None:
    if binding.module == module.target.module:
        if binding.asname is None and binding.name in module.names():
            return
        raise ExtractRefusal(
            f"`{binding.bound}` is imported from {where} under another name; "
            "import it by its own name first"
        )
    imported_module = binding.module or binding.name
    endpoint_module = ctx.layout.endpoint_module
    if imported_module == endpoint_module or imported_module.startswith(endpoint_module + "."):
        raise ExtractRefusal(f"`{binding.bound}` comes from the endpoint module itself")
    if module.symbols is not None:
        existing = module.symbols.imports.get(binding.bound)
        if existing is not None and existing != binding:
            raise ExtractRefusal(
                f"`{binding.bound}` means something else in {where}; rename one of them first"
            )
        if binding.bound in module.symbols.definitions:
            raise ExtractRefusal(f"`{binding.bound}` is already defined in {where}")
    module.imports.add(binding)


def _render_module(
    module: _TargetModule, docstring: str, ctx: EndpointModule, future: bool
) -> tuple[str, str]:
    """The module's text before and after (before is ``""`` for a new module)."""
    chunks = [chunk.rstrip("\n") + "\n" for chunk in module.chunks]
    if module.text is None or module.tree is None:
        parts = [f'"""{docstring}"""\n']
        if future:
            parts.append("\nfrom __future__ import annotations\n")
        if module.imports:
            parts.append(
                "\n"
                + render_block(sorted(module.imports, key=ImportBinding.sort_key), ctx.first_party)
            )
        body = "\n\n".join(chunks)
        return "", "".join(parts) + "\n\n" + body
    newline = _newline_of(module.text)
    package = module.target.module.rpartition(".")[0]
    text = rewrite_imports(
        module.text,
        module.tree,
        package=package,
        add=sorted(module.imports, key=ImportBinding.sort_key),
        first_party=ctx.first_party,
        newline=newline,
    )
    stripped = text.rstrip("\r\n \t")
    appended = "\n\n".join(chunks)
    if stripped:
        new_text = stripped + _with_newline("\n\n\n" + appended, newline)
    else:
        new_text = _with_newline(appended, newline)
    return module.text, new_text


def _first_party(layout: Layout) -> frozenset[str]:
    names = (
        {layout.first_party, "services", "schemas"}
        if "." not in layout.endpoint_module
        else {layout.first_party}
    )
    try:
        for child in layout.import_root.iterdir():
            if child.suffix == ".py" or (child / "__init__.py").is_file():
                names.add(child.stem if child.suffix == ".py" else child.name)
    except OSError:
        pass
    return frozenset(names)


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
    service_module: str = AUTO,
    read_text: ReadText = read_from_disk,
) -> Extraction:
    """Plan moving the logic of the endpoint containing 0-based ``line`` into the service layer.

    Plan paths are relative to ``root`` (default: the project's import root). Raises
    ``ExtractRefusal`` with the reason when the endpoint cannot be extracted.
    """
    path = path.resolve()
    where = path.name
    tree = parse_or_refuse(text, where)
    endpoint = index_endpoints(tree).at(line)
    if endpoint is None:
        raise ExtractRefusal(f"line {line + 1} is not inside a path operation function")
    reason = refusal_reason(endpoint)
    if reason is not None:
        raise ExtractRefusal(reason)
    try:
        layout = resolve_layout(path, service_module)
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
        symbols=module_symbols(tree, package),
        read_text=read_text,
        lines=split_lines(text),
        first_party=_first_party(layout),
    )
    node = endpoint.node
    body = body_statements(node)
    body_free = free_names(body)
    params_all = set(parameter_names(node))
    used_params = {
        n.id for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Name)
    } & params_all
    params = service_params(endpoint, used_params, ctx)
    returns = return_type(endpoint, ctx)
    is_async = isinstance(node, ast.AsyncFunctionDef) and awaits(body)

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

    service = _open_target(layout.service, ctx, _display(layout.service.path, root))
    schemas = _open_target(layout.schemas, ctx, _display(layout.schemas.path, root))
    homes: dict[str, ModuleTarget] = {}
    chunks: list[_Chunk] = []
    for name in placement.schema_defs:
        chunk = _chunk(name, ctx.symbols.definitions[name], ctx)
        chunks.append(chunk)
        _place_chunk(schemas, chunk, _display(layout.schemas.path, root))
        homes[name] = layout.schemas
    for name in placement.service_defs:
        chunk = _chunk(name, ctx.symbols.definitions[name], ctx)
        chunks.append(chunk)
        _place_chunk(service, chunk, _display(layout.service.path, root))
        homes[name] = layout.service
    for name in placement.schema_defs:
        if name not in schemas.skipped:
            _require(
                schemas, placement.needs[name], ctx, homes, _display(layout.schemas.path, root)
            )
    for name in placement.service_defs:
        if name not in service.skipped:
            _require(
                service, placement.needs[name], ctx, homes, _display(layout.service.path, root)
            )
    _require(service, service_needs, ctx, homes, _display(layout.service.path, root))
    for item in (*(p.annotation for p in params), returns):
        if item is not None:
            for binding in item.imports:
                _require_binding(service, binding, ctx, _display(layout.service.path, root))

    taken = service.names() | {b.bound for b in service.imports} | set(placement.service_defs)
    function_name = _unique(node.name, taken)
    body_first, body_last = _body_span(endpoint, ctx.lines)
    indent_line = ctx.lines[body[0].lineno - 1]
    indent = indent_line[: _indent(indent_line)] or "    "
    function_text = (
        render_signature(function_name, params, returns, is_async)
        + f'{indent}"""{docstring_line(endpoint)}"""\n'
        + _lf("".join(ctx.lines[body_first : body_last + 1]))
    )
    service.chunks.append(function_text)

    future = ctx.symbols.future_annotations
    plural = Path(layout.endpoint_module.replace(".", "/")).name
    creates: list[GeneratedFile] = []
    edits: list[FileEdit] = []
    for module, docstring in (
        (schemas, f"Request and response models for {plural}."),
        (service, f"Business logic for {plural}, called by the API endpoints."),
    ):
        if not module.chunks:
            continue
        before, after = _render_module(module, docstring, ctx, future)
        _check_compiles(after, module.target.path.name)
        relative = _relative(module.target.path, root)
        if module.text is None:
            init = module.target.new_package_init
            if init is not None:
                creates.append(
                    GeneratedFile(
                        _relative(init, root), f'"""{init.parent.name.capitalize()} layer."""\n'
                    )
                )
            creates.append(GeneratedFile(relative, after))
        else:
            edits.append(FileEdit(relative, minimal_edits(before, after)))

    new_endpoint_text = _rewrite_endpoint_module(
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
    )
    _check_compiles(new_endpoint_text, where)
    edits.insert(0, FileEdit(_relative(path, root), minimal_edits(text, new_endpoint_text)))
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


def _service_alias(ctx: EndpointModule, tree: ast.Module) -> tuple[ImportBinding, bool]:
    """How the endpoint module refers to the service module (reusing an existing import)."""
    module, _, stem = ctx.layout.service.module.rpartition(".")
    for binding in ctx.symbols.imports.values():
        if (binding.module == module and binding.name == stem) or (
            binding.module is None and binding.name == ctx.layout.service.module and binding.asname
        ):
            return binding, True
    used = bound_names([tree]) | loaded_names([tree]) | ctx.symbols.all_names()
    alias = stem
    for candidate in (stem, f"{stem}_service", f"{stem}_services", f"{stem}_layer"):
        if candidate not in used:
            alias = candidate
            break
    if module:
        return ImportBinding(module, stem, None if alias == stem else alias), False
    return ImportBinding(None, stem, None if alias == stem else alias), False


def _blank_run(lines: Sequence[str], start: int, step: int) -> int:
    count = 0
    index = start
    while 0 <= index < len(lines) and not lines[index].strip():
        count += 1
        index += step
    return count


def _deletions(lines: Sequence[str], chunks: Sequence[_Chunk]) -> list[tuple[int, int, str]]:
    """Line ranges removing ``chunks``; neighbours keep the wider of the blank-line gaps."""
    groups: list[list[int]] = []
    for chunk in sorted(chunks, key=lambda c: c.first):
        if groups and all(not line.strip() for line in lines[groups[-1][1] + 1 : chunk.first]):
            groups[-1][1] = chunk.last
        else:
            groups.append([chunk.first, chunk.last])
    operations: list[tuple[int, int, str]] = []
    for first, last in groups:
        before = _blank_run(lines, first - 1, -1)
        after = _blank_run(lines, last + 1, 1)
        if last + after + 1 >= len(lines):
            operations.append((first - before, last + after, ""))
        else:
            operations.append((first, last + after, "\n" * max(0, after - before)))
    return operations


def _rewrite_endpoint_module(
    ctx: EndpointModule,
    endpoint: Endpoint,
    params: Sequence[ServiceParam],
    returns: TypeText | None,
    is_async: bool,
    function_name: str,
    body_span: tuple[int, int],
    chunks: Sequence[_Chunk],
    homes: dict[str, ModuleTarget],
    placement: Placement,
) -> str:
    lines = list(ctx.lines)
    newline = _newline_of(ctx.text)
    alias_binding, _ = _service_alias(ctx, ctx.tree)
    indent_line = lines[body_statements(endpoint.node)[0].lineno - 1]
    indent = indent_line[: _indent(indent_line)] or "    "
    returns_nothing = returns is not None and returns.text == "None"
    keyword = ("" if returns_nothing else "return ") + ("await " if is_async else "")
    call = render_call(f"{alias_binding.bound}.{function_name}", params, indent, keyword)

    operations: list[tuple[int, int, str]] = [(body_span[0], body_span[1], call)]
    operations.extend(_deletions(lines, chunks))
    for first, last, replacement in sorted(operations, reverse=True):
        lines[first : last + 1] = [_with_newline(replacement, newline)] if replacement else []
    intermediate = "".join(lines)
    tree = parse_or_refuse(intermediate, "the rewritten endpoint module")

    still_used = loaded_names([tree])
    moved_names = {chunk.name for chunk in chunks}
    touched = free_names(body_statements(endpoint.node)) | {
        name for chunk in chunks for name in placement.needs.get(chunk.name, set())
    }
    for param in params:
        for item in (param.annotation, param.default):
            if item is not None:
                touched |= item.local_names
    remove = {
        name
        for name in touched
        if name in ctx.symbols.imports and name not in still_used and name not in moved_names
    }
    add = [alias_binding]
    for name in sorted(moved_names & still_used):
        add.append(ImportBinding(homes[name].module, name))
    return rewrite_imports(
        intermediate,
        tree,
        package=ctx.package,
        remove=remove,
        add=add,
        first_party=ctx.first_party,
        newline=newline,
    )
