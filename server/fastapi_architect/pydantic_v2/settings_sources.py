"""V1 ``Config.customise_sources`` → pydantic-settings 2's ``settings_customise_sources``.

V1 called ``Config.customise_sources(cls, init_settings, env_settings, file_secret_settings)``
and merged the sources it returned, the first winning. pydantic-settings 2 calls
``settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
file_secret_settings)`` on the settings class itself. V1's ``env_settings`` read the
environment *and* the ``.env`` file (the environment winning), V2 splits them in two, so each
place V1's ``env_settings`` is returned becomes ``env_settings, dotenv_settings``: the same
values in the same precedence. V1 source callables of the project's own (``src(settings)``)
are reported: V2 calls each source with no argument.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Source

V1_METHOD = "customise_sources"
V2_METHOD = "settings_customise_sources"
SOURCE_TYPE = "PydanticBaseSettingsSource"
V1_SOURCE_TYPE = "SettingsSourceCallable"
NEW_PARAMETERS = ("settings_cls", "dotenv_settings")
LINE_LENGTH = 88
SOURCES_NOTE = (
    f" Its `customise_sources` becomes `{V2_METHOD}` on the settings class, with "
    "`env_settings, dotenv_settings` where V1 had `env_settings` (V1's also read the `.env` "
    "file, after the environment)."
)


class SourcesRefused(Exception):
    """``customise_sources`` has no faithful V2 spelling here; the text says why."""


@dataclass
class SourcesMethod:
    """The V2 method's text (at the class's body indentation) and what it needs."""

    text: str
    bindings: set[ImportBinding] = field(default_factory=set)
    consumed: dict[str, int] = field(default_factory=dict)


def is_customise_sources(stmt: ast.stmt) -> bool:
    """True for V1's ``def customise_sources`` inside a ``class Config``."""
    return isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name == V1_METHOD


def sources_method(src: Source, config: ast.ClassDef, names: PydanticNames) -> SourcesMethod | None:
    """The ``settings_customise_sources`` replacing the ``customise_sources`` of ``config``
    (None when it has none); raises ``SourcesRefused`` when no faithful conversion exists."""
    methods = [stmt for stmt in config.body if is_customise_sources(stmt)]
    if not methods:
        return None
    method = methods[0]
    if len(methods) > 1 or not isinstance(method, ast.FunctionDef):
        raise SourcesRefused("its `customise_sources` is not a single plain method")
    if len(method.decorator_list) != 1 or not _is_classmethod(method.decorator_list[0]):
        raise SourcesRefused("its `customise_sources` is not a plain `@classmethod`")
    args = method.args
    if (
        args.posonlyargs
        or args.vararg
        or args.kwarg
        or args.kwonlyargs
        or args.defaults
        or len(args.args) != 4
    ):
        raise SourcesRefused(
            "its `customise_sources` does not take V1's "
            "`(cls, init_settings, env_settings, file_secret_settings)`"
        )
    cls, init, env, secrets = (arg.arg for arg in args.args)
    taken = {cls, init, env, secrets}
    if taken & set(NEW_PARAMETERS):
        raise SourcesRefused(
            "its `customise_sources` already uses a parameter name V2 adds "
            f"({', '.join(f'`{n}`' for n in NEW_PARAMETERS)})"
        )
    body = list(method.body)
    docstring = body.pop(0) if _is_docstring(body[0]) else None
    if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
        raise SourcesRefused(
            "its `customise_sources` does more than return a tuple of sources; write "
            f"`@classmethod def {V2_METHOD}(cls, settings_cls, init_settings, env_settings, "
            "dotenv_settings, file_secret_settings)` on the settings class by hand"
        )
    returned = body[0].value
    elements = returned.elts if isinstance(returned, ast.Tuple) else [returned]
    order: list[str] = []
    for element in elements:
        if isinstance(element, ast.Name) and element.id in (init, env, secrets):
            order.append(element.id)
            if element.id == env:
                order.append("dotenv_settings")
            continue
        raise SourcesRefused(_custom_source_reason(src, element))
    annotated = any(arg.annotation for arg in args.args[1:]) or method.returns is not None
    consumed: dict[str, int] = {}
    bindings: set[ImportBinding] = set()

    def annotation(node: ast.expr | None) -> str:
        if node is None:
            return f": {SOURCE_TYPE}" if annotated else ""
        return ": " + _retyped(src, node, names, consumed)

    indent = src.indent_of(config.lineno)
    inner = indent + "    "
    other = names.other_bindings.get("BaseSettings")
    typed_cls = annotated and (other is None or other == "imported from pydantic_settings")
    settings_cls = "settings_cls: type[BaseSettings]" if typed_cls else "settings_cls"
    parameters = [
        cls,
        settings_cls,
        init + annotation(args.args[1].annotation),
        env + annotation(args.args[2].annotation),
        "dotenv_settings" + annotation(None),
        secrets + annotation(args.args[3].annotation),
    ]
    returns = ""
    if method.returns is not None:
        returns = " -> " + _retyped(src, method.returns, names, consumed)
    elif annotated:
        returns = f" -> tuple[{SOURCE_TYPE}, ...]"
    if annotated:
        bindings = {ImportBinding("pydantic_settings", SOURCE_TYPE)}
    if typed_cls:
        bindings.add(ImportBinding("pydantic_settings", "BaseSettings"))
    lines = [f"{indent}@classmethod", f"{indent}def {V2_METHOD}("]
    lines.extend(f"{inner}{parameter}," for parameter in parameters)
    lines.append(f"{indent}){returns}:")
    if docstring is not None:
        lines.extend(_reindented(src, docstring, inner))
    returned_line = f"{inner}return {', '.join(order)}"
    if len(returned_line) <= LINE_LENGTH:
        lines.append(returned_line)
    else:
        lines.append(f"{inner}return (")
        lines.extend(f"{inner}    {name}," for name in order)
        lines.append(f"{inner})")
    return SourcesMethod(src.newline.join(lines) + src.newline, bindings, consumed)


def _custom_source_reason(src: Source, element: ast.expr) -> str:
    spelled = src.segment(element)
    return (
        f"its `customise_sources` returns `{spelled}`, a V1 source callable "
        "(`def source(settings) -> dict`): pydantic-settings 2 calls each source with no "
        f"argument, so make it a `{SOURCE_TYPE}` subclass whose `__call__(self)` returns the "
        "dict (`self.settings_cls` and `self.config` replace the `settings` argument and its "
        "`__config__`) and whose `get_field_value(self, field, field_name)` returns "
        "`(None, field_name, False)`, and return an instance of it, built with "
        f"`settings_cls`, from `@classmethod def {V2_METHOD}(cls, settings_cls, init_settings, "
        "env_settings, dotenv_settings, file_secret_settings)` on the settings class, with "
        "`env_settings, dotenv_settings` where V1 had `env_settings` (V1's read the `.env` file "
        "too)"
    )


def _retyped(src: Source, node: ast.expr, names: PydanticNames, consumed: dict[str, int]) -> str:
    """The annotation's text with V1's ``SettingsSourceCallable`` spelled as V2's source type."""
    text = src.segment(node)
    base = src.start(node)
    spans: list[tuple[int, int]] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name | ast.Attribute) and names.refers_to(sub, V1_SOURCE_TYPE):
            spans.append((src.start(sub) - base, src.end(sub) - base))
            if isinstance(sub, ast.Name):
                consumed[sub.id] = consumed.get(sub.id, 0) + 1
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + SOURCE_TYPE + text[end:]
    return text


def _reindented(src: Source, docstring: ast.stmt, inner: str) -> list[str]:
    """The docstring's lines moved from the method's old indentation to ``inner``."""
    old = src.indent_of(docstring.lineno)
    lines = src.segment(docstring).split("\n")
    moved = [inner + lines[0]]
    for line in lines[1:]:
        moved.append(inner + line.removeprefix(old) if line.strip() else "")
    return [line.rstrip("\r") for line in moved]


def _is_classmethod(decorator: ast.expr) -> bool:
    return isinstance(decorator, ast.Name) and decorator.id == "classmethod"


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )
