"""Scaffold engine: options → generated files (templates are real jinja2 files).

``plan_project(options)`` renders a new layered FastAPI service in memory and
``plan_add_resource(root, name)`` plans a CRUD resource for an existing one; both return a
``ChangePlan`` that the CLI writes with ``write_plan`` and the language server applies through
the editor. Nothing here touches the disk except to read the project being extended.
"""

from __future__ import annotations

from fastapi_architect.scaffold.errors import ScaffoldError
from fastapi_architect.scaffold.options import ScaffoldOptions, parse_options
from fastapi_architect.scaffold.project import MAIN_MODULE, check_target_is_free, plan_project
from fastapi_architect.scaffold.resource import plan_add_resource

__all__ = [
    "MAIN_MODULE",
    "ScaffoldError",
    "ScaffoldOptions",
    "check_target_is_free",
    "parse_options",
    "plan_add_resource",
    "plan_project",
]
