"""The model of an import statement, and of an import a feature asks for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportBinding:
    """One name bound by an import: ``from module import name as asname`` or ``import name``.

    Features ask for imports with this type; ``module`` is absolute (relative imports are
    resolved against the importing module's package).
    """

    module: str | None
    """Absolute module of a ``from`` import; ``None`` for ``import name``."""
    name: str
    asname: str | None = None
    annotation_only: bool = False
    """Only used in annotations: may go into an existing ``if TYPE_CHECKING:`` block."""

    def sort_key(self) -> tuple[str, str, str]:
        """A total order (``import`` bindings have no module)."""
        return (self.module or "", self.name, self.asname or "")

    @property
    def bound(self) -> str:
        """The name this import binds in the importing module."""
        if self.asname:
            return self.asname
        return self.name.split(".")[0] if self.module is None else self.name


@dataclass(frozen=True)
class ImportedName:
    """One ``name as asname`` of an import statement, with the comments that belong to it."""

    name: str
    asname: str | None = None
    leading_comments: tuple[str, ...] = ()
    """Own-line comments above it inside the parentheses."""
    trailing_comments: tuple[str, ...] = ()
    """Comments at the end of its line inside the parentheses."""

    @property
    def bound(self) -> str:
        """The name bound in the importing module (``a`` for ``import a.b``)."""
        return self.asname or self.name

    def text(self) -> str:
        """``name`` or ``name as asname``."""
        return f"{self.name} as {self.asname}" if self.asname else self.name


@dataclass(frozen=True)
class ImportStatement:
    """One ``import …`` or ``from … import …`` statement as written in a document."""

    module: str | None
    """``from MODULE import`` (without the leading dots); ``None`` for ``import x``."""
    level: int
    """Leading dots of a relative ``from`` import (0: absolute)."""
    names: tuple[ImportedName, ...]
    is_from: bool
    leading_comments: tuple[str, ...] = ()
    """Comment lines directly above the statement (ruff's "atop" comments)."""
    inline_comments: tuple[str, ...] = ()
    """Comments on the statement's first line (or its closing line)."""
    start: int = 0
    """0-based line of the statement's first code line."""
    end: int = 0
    """0-based line after the statement's last line."""
    comment_start: int = 0
    """0-based line of the first leading comment (``start`` when there is none)."""
    indent: str = ""
    type_checking: bool = False
    """Inside an ``if TYPE_CHECKING:`` block."""
    magic_trailing_comma: bool = False
    """Parenthesised with a trailing comma: kept one name per line (ruff's magic comma)."""

    @property
    def module_text(self) -> str:
        """The module as written: ``..pkg.mod`` for relative imports."""
        return "." * self.level + (self.module or "")

    def absolute_module(self, package: str) -> str:
        """The absolute module of a ``from`` import inside ``package`` (as written if unknown)."""
        if not self.level:
            return self.module or ""
        parts = package.split(".") if package else []
        if self.level - 1 > len(parts) or not package:
            return self.module_text
        base = parts[: len(parts) - (self.level - 1)]
        return ".".join([*base, *([self.module] if self.module else [])])

    def bindings(self, package: str = "") -> list[ImportBinding]:
        """The bindings the statement creates, with absolute modules where ``package`` allows."""
        if not self.is_from:
            return [ImportBinding(None, n.name, n.asname) for n in self.names]
        module = self.absolute_module(package)
        return [ImportBinding(module, n.name, n.asname) for n in self.names]

    def bound_names(self) -> list[str]:
        """The names the statement binds."""
        if self.is_from:
            return [n.bound for n in self.names]
        return [n.asname or n.name.split(".")[0] for n in self.names]


@dataclass(frozen=True)
class ImportBlock:
    """A run of import statements with only blank lines and comments between them."""

    statements: tuple[ImportStatement, ...]
    type_checking: bool = False
    body_end: int | None = None
    """For a block opening an ``if``/``try`` body: the line after that body."""

    @property
    def start(self) -> int:
        """0-based first line (leading comments included)."""
        return self.statements[0].comment_start

    @property
    def end(self) -> int:
        """0-based line after the last statement."""
        return self.statements[-1].end


@dataclass(frozen=True)
class TypeCheckingBlock:
    """A module-level ``if TYPE_CHECKING:`` and the imports at the top of its body."""

    if_line: int
    body_end: int
    """0-based line after the body (its trailing blank lines excluded)."""
    indent: str
    block: ImportBlock | None


@dataclass(frozen=True)
class ScannedImports:
    """What a (possibly half-typed) document imports, and where new imports go."""

    blocks: tuple[ImportBlock, ...]
    """Module-level import blocks, in document order."""
    type_checking: TypeCheckingBlock | None
    insert_line: int
    """Where a first import block goes when there is none (after docstring and comments);
    -1 when there is no safe place (the module docstring is still being typed)."""
    after_docstring: bool
    """``insert_line`` directly follows the module docstring."""
    has_future_annotations: bool
    nested: tuple[ImportBlock, ...] = ()
    """Import blocks at the top of module-level ``try:``/``except``/``else:`` bodies."""

    def statements(self) -> list[ImportStatement]:
        """Every import statement found, in document order."""
        found = [s for block in (*self.blocks, *self.nested) for s in block.statements]
        if self.type_checking is not None and self.type_checking.block is not None:
            found += self.type_checking.block.statements
        return sorted(found, key=lambda s: s.start)
