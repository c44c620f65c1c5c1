"""The one import engine: read a module's imports, plan minimal edits in ruff's isort layout.

Features say what they need (``ImportBinding``: module, name, alias, annotation-only) and
which names to drop; ``plan_imports`` places it as ruff's isort would, honouring the
project's settings (``load_style``). Pure: no pygls, no editor.
"""

from fastapi_architect.imports.model import (
    ImportBinding,
    ImportBlock,
    ImportedName,
    ImportStatement,
    ScannedImports,
    TypeCheckingBlock,
)
from fastapi_architect.imports.order import render_block
from fastapi_architect.imports.planner import newline_of, plan_imports
from fastapi_architect.imports.scan import (
    absolute_module,
    bindings_of,
    scan_imports,
    statements_from_tree,
    top_level_imports,
    type_checking_imports,
)
from fastapi_architect.imports.style import (
    DEFAULT_STYLE,
    ImportStyle,
    LoadedStyle,
    Section,
    StyleCache,
    find_project_root,
    load_style,
    project_style,
    style_for_file,
)

__all__ = [
    "DEFAULT_STYLE",
    "ImportBinding",
    "ImportBlock",
    "ImportStatement",
    "ImportStyle",
    "ImportedName",
    "LoadedStyle",
    "ScannedImports",
    "Section",
    "StyleCache",
    "TypeCheckingBlock",
    "absolute_module",
    "bindings_of",
    "find_project_root",
    "load_style",
    "newline_of",
    "plan_imports",
    "project_style",
    "render_block",
    "scan_imports",
    "statements_from_tree",
    "style_for_file",
    "top_level_imports",
    "type_checking_imports",
]
