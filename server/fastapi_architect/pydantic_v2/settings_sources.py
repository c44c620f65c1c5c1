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
import re
from dataclasses import dataclass, field

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source

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

ADAPTER_NOTE = (
    f" Each V1 source function it returns is called by a new `{SOURCE_TYPE}` subclass "
    "(pydantic-settings 2 calls sources with no argument; the function never reads its "
    "`settings` argument)."
)


class SourcesRefused(Exception):
    """``customise_sources`` has no faithful V2 spelling here; the text says why."""


@dataclass
class SourcesMethod:
    """The V2 method's text (at the class's body indentation) and what it needs."""

    text: str
    bindings: set[ImportBinding] = field(default_factory=set)
    consumed: dict[str, int] = field(default_factory=dict)
    adapters: list[Replacement] = field(default_factory=list)
    """Module-level source classes added after the V1 source functions they call."""

    @property
    def note(self) -> str:
        """What the conversion does with the sources, for the finding's message."""
        if not self.adapters:
            return SOURCES_NOTE
        return SOURCES_NOTE + ADAPTER_NOTE


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
    annotated = any(arg.annotation for arg in args.args[1:]) or method.returns is not None
    order: list[str] = []
    adapters: list[Replacement] = []
    type_of = _type_spelling(method.returns, names)
    legacy = type_of == "Type"  # typing's generics, as the V1 method wrote them
    tuple_of = "tuple"
    if legacy and isinstance(method.returns, ast.Subscript):
        tuple_of = src.segment(method.returns.value)
    dict_of = "Dict" if legacy and names.typing_from.get("Dict") in (None, "Dict") else "dict"
    for element in elements:
        if isinstance(element, ast.Name) and element.id in (init, env, secrets):
            order.append(element.id)
            if element.id == env:
                order.append("dotenv_settings")
            continue
        adapter = _adapter(src, element, (tuple_of, dict_of) if annotated else None)
        if adapter is None:
            raise SourcesRefused(_custom_source_reason(src, element))
        order.append(f"{adapter[0]}(settings_cls)")
        adapters.append(adapter[1])
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
    settings_cls = f"settings_cls: {type_of}[BaseSettings]" if typed_cls else "settings_cls"
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
    if annotated or adapters:
        bindings = {ImportBinding("pydantic_settings", SOURCE_TYPE)}
    if adapters and annotated:
        bindings |= {ImportBinding("typing", "Any"), ImportBinding("pydantic.fields", "FieldInfo")}
        if dict_of == "Dict":
            bindings.add(ImportBinding("typing", "Dict"))
    if typed_cls:
        bindings.add(ImportBinding("pydantic_settings", "BaseSettings"))
        if type_of == "Type" and names.typing_from.get("Type") != "Type":
            bindings.add(ImportBinding("typing", "Type"))
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
    text = src.newline.join(lines) + src.newline
    return SourcesMethod(text, bindings, consumed, adapters)


def _adapter(
    src: Source, element: ast.expr, generics: tuple[str, str] | None
) -> tuple[str, Replacement] | None:
    """A ``PydanticBaseSettingsSource`` subclass calling the module's V1 source function
    ``element`` names, when that function never reads its ``settings`` argument (V2 has no
    half-built instance to give it), inserted after the function; else None."""
    if not isinstance(element, ast.Name):
        return None
    defined = [
        stmt
        for stmt in src.tree.body
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Assign)
        and element.id in _bound_names(stmt)
    ]
    if len(defined) != 1 or not isinstance(defined[0], ast.FunctionDef):
        return None
    function = defined[0]
    args = function.args
    if (
        function.decorator_list
        or args.posonlyargs
        or args.vararg
        or args.kwarg
        or args.kwonlyargs
        or args.defaults
        or len(args.args) != 1
    ):
        return None
    parameter = args.args[0].arg
    if any(
        isinstance(node, ast.Name) and node.id == parameter
        for stmt in function.body
        for node in ast.walk(stmt)
    ):
        return None
    camel = "".join(part[:1].upper() + part[1:] for part in function.name.split("_") if part)
    name = camel if camel.endswith("Source") else camel + "Source"
    if _uses_count(src.tree, function.name) != 1 or re.search(rf"\b{name}\b", src.text):
        return None  # returned by several settings classes, or the class name is taken
    nl = src.newline
    signature = ("field, field_name", "")
    call_type = ""
    if generics is not None:  # annotated like the method, whose imports the conversion adds
        signature = ("field: FieldInfo, field_name: str", f" -> {generics[0]}[Any, str, bool]")
        call_type = f" -> {generics[1]}[str, Any]"
    lines = [
        f"class {name}({SOURCE_TYPE}):",
        f'    """V1\'s `{function.name}` as a pydantic-settings 2 source."""',
        "",
        f"    def get_field_value(self, {signature[0]}){signature[1]}:",
        "        return None, field_name, False",
        "",
        f"    def __call__(self){call_type}:",
        f"        return {function.name}(self.settings_cls)",
    ]
    at = src.line_end(function.end_lineno or function.lineno)
    lead = nl if src.text[:at].endswith(("\n", "\r")) else nl + nl
    text = lead + nl + nl.join(lines) + nl
    return name, Replacement(at, at, text)


def _bound_names(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {stmt.name}
    assert isinstance(stmt, ast.Assign)
    return {t.id for target in stmt.targets for t in ast.walk(target) if isinstance(t, ast.Name)}


def _uses_count(tree: ast.Module, function: str) -> int:
    """How many ``customise_sources`` methods of the module return ``function``."""
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == V1_METHOD
        for sub in ast.walk(node)
        if isinstance(sub, ast.Name) and sub.id == function
    )


def _type_spelling(returns: ast.expr | None, names: PydanticNames) -> str:
    """``Type`` when the V1 method's return annotation is ``typing.Tuple[...]`` (code that
    may run on Python 3.8, where ``type[...]`` fails at definition), else ``type``."""
    if not isinstance(returns, ast.Subscript) or not isinstance(returns.value, ast.Name):
        return "type"
    if names.typing_from.get(returns.value.id) != "Tuple":
        return "type"
    bound = names.typing_from.get("Type")
    return "Type" if bound in (None, "Type") and "Type" not in names.other_bindings else "type"


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
