"""The modules that receive moved code: created or extended, with the imports they need."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from fastapi_architect.extract.chunks import Chunk, newline_of, with_newline
from fastapi_architect.extract.context import EndpointModule, ExtractRefusal, parse_or_refuse
from fastapi_architect.extract.domain_layout import in_routing_layer
from fastapi_architect.extract.layout import ModuleTarget
from fastapi_architect.extract.lineops import (
    LineOperation,
    apply_line_operations,
    from_text_edits,
)
from fastapi_architect.extract.names import BUILTINS, ModuleSymbols, bound_names, module_symbols
from fastapi_architect.extract.resolution import generated_imports
from fastapi_architect.imports import ImportBinding, plan_imports
from fastapi_architect.textedit import apply_edits, split_lines


@dataclass
class TargetModule:
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
        """Every name the existing module binds at its top level."""
        return self.symbols.all_names() if self.symbols is not None else set()


def open_target(target: ModuleTarget, ctx: EndpointModule, where: str) -> TargetModule:
    """Read and parse the target module when it exists."""
    if not target.exists:
        return TargetModule(target, None, None, None)
    text = ctx.read_text(target.path)
    if text is None:
        raise ExtractRefusal(f"cannot read {where}")
    tree = parse_or_refuse(text, where)
    package = target.module.rpartition(".")[0]
    return TargetModule(target, text, tree, module_symbols(tree, package))


def _same_definition(existing: ast.stmt, chunk: Chunk) -> bool:
    """Whether ``chunk`` defines exactly what ``existing`` does (comments and layout aside):
    a model that only *starts* like an existing one is another model."""
    try:
        parsed = ast.parse(chunk.text)
    except (SyntaxError, ValueError):
        return False
    return len(parsed.body) == 1 and ast.dump(parsed.body[0]) == ast.dump(existing)


def place_chunk(module: TargetModule, chunk: Chunk, where: str) -> None:
    """Add a moved definition, or skip it when an identical one is already there."""
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
        if existing is not None and _same_definition(existing, chunk):
            module.skipped.add(chunk.name)
            return
        raise ExtractRefusal(
            f"`{chunk.name}` already exists in {where} with another definition; rename one "
            "of them (or import the existing one) first"
        )
    module.chunks.append(chunk.text)


def require_names(
    module: TargetModule,
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
        require_binding(module, binding, ctx, where)


def require_binding(
    module: TargetModule, binding: ImportBinding, ctx: EndpointModule, where: str
) -> None:
    """Record one import the module needs, refusing clashes and cycles."""
    package, _, stem = module.target.module.rpartition(".")
    if (binding.module or None, binding.name) == (package or None, stem):
        raise ExtractRefusal(
            f"code moving to {where} reads `{binding.bound}`, which is {where} itself; "
            f"call its functions by name first"
        )
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
    if in_routing_layer(
        imported_module,
        package=ctx.package,
        in_domain=ctx.layout.domain is not None,
        import_root=ctx.layout.import_root,
        files=ctx.files,
    ):
        raise ExtractRefusal(
            f"`{binding.bound}` comes from {imported_module}, next to the endpoints; services "
            "must not import the routing layer — move it to the service or a shared module first"
        )
    if module.symbols is not None:
        existing = module.symbols.imports.get(binding.bound)
        if existing is not None and existing != binding:
            raise ExtractRefusal(
                f"`{binding.bound}` means something else in {where}; rename one of them first"
            )
        if binding.bound in module.symbols.definitions:
            raise ExtractRefusal(f"`{binding.bound}` is already defined in {where}")
    module.imports.add(binding)


def _is_definition(chunk: str) -> bool:
    code = next((line for line in chunk.splitlines() if not line.startswith("#")), "")
    return code.startswith(("@", "def ", "async def ", "class "))


def join_chunks(chunks: list[str]) -> str:
    """Moved definitions, two blank lines around functions and classes; consecutive
    constants stay together as they are usually written."""
    joined = ""
    for index, chunk in enumerate(chunks):
        if index:
            tight = not _is_definition(chunks[index - 1]) and not _is_definition(chunk)
            joined += "" if tight else "\n\n"
        joined += chunk
    return joined


def render_module(
    module: TargetModule, docstring: str, ctx: EndpointModule, future: bool
) -> tuple[str, list[LineOperation]]:
    """The module's new text, and the line operations on the existing text (none if new)."""
    chunks = [chunk.rstrip("\n") + "\n" for chunk in module.chunks]
    package = module.target.module.rpartition(".")[0]
    existing = module.symbols.imports.values() if module.symbols is not None else ()
    wanted = generated_imports(module.imports, package, ctx, module.target.path.name, existing)
    if module.text is None or module.tree is None:
        head = f'"""{docstring}"""\n'
        if future:
            head += "\nfrom __future__ import annotations\n"
        # One blank line after the docstring before a constant, two before a definition
        # (as ruff formats it).
        gap = "\n\n" if chunks and _is_definition(chunks[0]) else "\n"
        text = head + gap + join_chunks(chunks)
        # The engine puts the imports after the docstring (and future import) with the blank
        # lines ruff wants before the first statement.
        return apply_edits(
            text, plan_imports(text, wanted, (), ctx.import_style, package=package)
        ), []
    newline = newline_of(module.text)
    lines = split_lines(module.text)
    operations = from_text_edits(
        lines, plan_imports(module.text, wanted, (), ctx.import_style, package=package)
    )
    appended = join_chunks(chunks)
    last = len(lines) - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    if last < 0:
        operations.append(LineOperation(0, len(lines), with_newline(appended, newline)))
    elif lines[last].endswith(("\n", "\r")):
        tail = with_newline("\n\n" + appended, newline)
        operations.append(LineOperation(last + 1, len(lines), tail))
    else:
        tail = lines[last] + with_newline("\n\n\n" + appended, newline)
        operations.append(LineOperation(last, len(lines), tail))
    return apply_line_operations(lines, operations), operations
