"""Render the jinja2 templates under ``templates/`` into ``GeneratedFile``s, in memory.

A template's output path is its path under ``templates/<set>/`` without ``.jinja``; a path part
starting with ``dot_`` becomes a dot file (``dot_gitignore`` → ``.gitignore``), so packaging
never drops hidden files. Files without ``.jinja`` are copied as they are.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from fastapi_architect.plan import GeneratedFile

if TYPE_CHECKING:
    import jinja2

TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE_SUFFIX = ".jinja"
LINE_LENGTH = 100
"""The generated project's line length (``[tool.ruff] line-length``)."""


def toml_string(value: str) -> str:
    """A TOML basic string (JSON string syntax is a subset of it)."""
    return json.dumps(value, ensure_ascii=False)


def python_string(value: str, indent: int = 0) -> str:
    """A double-quoted Python string literal, split into parts if it would exceed the line."""
    literal = json.dumps(value, ensure_ascii=False)
    # "name=" + literal + "," must fit after the indentation.
    if indent + len(literal) + 20 <= LINE_LENGTH:
        return literal
    width = LINE_LENGTH - indent - 8
    parts = textwrap.wrap(value, width=width, drop_whitespace=False, break_on_hyphens=False)
    inner = "\n".join(" " * (indent + 4) + json.dumps(part, ensure_ascii=False) for part in parts)
    return "(\n" + inner + "\n" + " " * indent + ")"


@cache
def environment() -> jinja2.Environment:
    """The shared jinja2 environment (compiled templates are cached inside it)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["toml_string"] = toml_string
    env.filters["python_string"] = python_string
    return env


@cache
def template_names(template_set: str) -> tuple[str, ...]:
    """Every file under ``templates/<template_set>/``, as loader names, sorted."""
    root = TEMPLATES_DIR / template_set
    return tuple(
        sorted(
            path.relative_to(TEMPLATES_DIR).as_posix()
            for path in root.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        )
    )


def output_path(template_name: str, template_set: str) -> PurePosixPath:
    """Where a template's output goes, relative to the project root."""
    relative = PurePosixPath(template_name).relative_to(template_set)
    parts = [
        "." + part.removeprefix("dot_") if part.startswith("dot_") else part
        for part in relative.parts
    ]
    if parts[-1].endswith(TEMPLATE_SUFFIX):
        parts[-1] = parts[-1].removesuffix(TEMPLATE_SUFFIX)
    return PurePosixPath(*parts)


def render_set(
    template_set: str,
    context: Mapping[str, Any],
    *,
    include: Callable[[PurePosixPath], bool] = lambda path: True,
    rename: Callable[[PurePosixPath], PurePosixPath] = lambda path: path,
    executable: Iterable[str] = (".sh",),
) -> list[GeneratedFile]:
    """Render every template of ``template_set`` whose output path ``include`` accepts."""
    env = environment()
    suffixes = tuple(executable)
    files: list[GeneratedFile] = []
    for name in template_names(template_set):
        path = output_path(name, template_set)
        if not include(path):
            continue
        if name.endswith(TEMPLATE_SUFFIX):
            content = env.get_template(name).render(context)
        else:
            content = _read_static(name)
        target = rename(path)
        files.append(GeneratedFile(target, content, executable=target.name.endswith(suffixes)))
    return files


@cache
def _read_static(name: str) -> str:
    return (TEMPLATES_DIR / name).read_text(encoding="utf-8")
