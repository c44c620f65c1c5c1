"""Errors built from V1 ``ErrorWrapper`` → their V2 form (PYD019).

``ValidationError([ErrorWrapper(ValueError("bad"), loc=("x",))], Model)`` →
``ValidationError.from_exception_data(Model.__name__, [{"type": PydanticCustomError(
"value_error", "bad"), "loc": ("x",), "input": None}])``: ``errors()`` gives the same
``loc`` / ``msg`` / ``type`` (a custom error keeps V1's message as it was, without V2's
``"Value error, "`` prefix) and ``str(error)`` the same title. FastAPI's
``RequestValidationError([ErrorWrapper(...)])`` → ``RequestValidationError([{"loc": ...,
"msg": ..., "type": ...}])``: what V1 FastAPI's ``errors()`` returned and V2 FastAPI returns
as given. Only exceptions built in place (``ValueError(msg)``, ``TypeError(msg)``,
``AssertionError(msg)``, ``MissingError()`` and a few other ``pydantic.errors`` classes) have a
V1 error type this file can read; the others, and wrappers built elsewhere, are reported.

The project's own ``PydanticValueError`` / ``PydanticTypeError`` subclasses, of this file or
of another workspace file (``NotFoundError(msg="x")`` with ``code = "not_found"``,
``msg_template = "{msg}"``), become ``PydanticCustomError("value_error.not_found", "{msg}",
{"msg": "x"})``: V1's type, message and ``ctx``. Where Pydantic 2 would format the message
otherwise (a placeholder the call does not pass, which V1 raised ``KeyError`` for; a
non-string value; ``{{`` or a format spec; a value that could hold another key's
placeholder) the error is reported. A class built with a positional argument
(``InvalidConfigurationError("x")``) raised ``TypeError`` in V1 before any error was wrapped
(``PydanticErrorMixin.__init__(self, **ctx)``); that call is kept as it is, where the error's
``type`` goes, so the V2 statement raises the same ``TypeError``, and the report says so.
"""

from __future__ import annotations

import ast
import difflib
import json
import string

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.error_classes import UNKNOWN, ErrorClass, local_error_classes
from fastapi_architect.pydantic_v2.findings import ERROR_WRAPPER_CODE
from fastapi_architect.pydantic_v2.model_index import NO_MODELS, WorkspaceModels
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.pydantic_v2.type_adapters import enclosing_scopes

ERROR_TYPES = {"ValueError": "value_error", "TypeError": "type_error"}
ERROR_TYPES["AssertionError"] = "assertion_error"
"""Exceptions V1 reported under a type that does not depend on the class's ``code``."""

V1_ERRORS = {
    "MissingError": ("value_error.missing", "field required"),
    "ExtraError": ("value_error.extra", "extra fields not permitted"),
    "NoneIsNotAllowedError": ("type_error.none.not_allowed", "none is not an allowed value"),
}
"""``pydantic.errors`` classes built without arguments: V1's error type and message."""

FASTAPI = ("fastapi",)
LINE_LENGTH = 88
TITLE_PYDANTIC = "Use `ValidationError.from_exception_data`"
TITLE_FASTAPI = "Pass the error dicts to `RequestValidationError`"


class _Names:
    """Which calls build ``ErrorWrapper``, V1's ``ValidationError``, FastAPI's
    ``RequestValidationError`` and the ``pydantic.errors`` classes."""

    def __init__(self, names: PydanticNames, errors: dict[str, ErrorClass] | None = None) -> None:
        self.names = names
        self.errors = errors or {}
        """The project's V1 error classes by the (dotted) name the module calls them."""

    def project_error(self, func: ast.expr) -> ErrorClass | None:
        """The project's V1 error class ``func`` names, if it is one."""
        dotted = dotted_name(func)
        return self.errors.get(dotted) if dotted is not None else None

    def v1_error(self, func: ast.expr) -> str | None:
        """The ``pydantic.errors`` class ``func`` names (one of ``V1_ERRORS``), if any."""
        error = self.names.pydantic_name(func)
        return error if error in V1_ERRORS else None

    def is_wrapper(self, func: ast.expr) -> bool:
        return self.names.refers_to(func, "ErrorWrapper")

    def error_kind(self, func: ast.expr) -> str | None:
        """``"pydantic"`` / ``"fastapi"`` when ``func`` names an error class built from
        wrappers."""
        if self.names.refers_to(func, "ValidationError"):
            return "pydantic"
        return "fastapi" if self.names.refers_to(func, "RequestValidationError", FASTAPI) else None


def plan_error_wrappers(
    src: Source, names: PydanticNames, models: WorkspaceModels = NO_MODELS
) -> list[Conversion]:
    """A conversion for every error built from ``ErrorWrapper``s, and a report for every
    ``ErrorWrapper`` built anywhere else; ``models`` knows the workspace's error classes."""
    if "ErrorWrapper" not in src.text:
        return []
    imported = dict(models.errors)
    spelled = _Names(names, {**imported, **local_error_classes(src.tree, names, imported)})
    scopes = enclosing_scopes(src.tree)
    inside: set[int] = set()
    seen: dict[str, int] = {}
    conversions: list[Conversion] = []

    def key_of(base: str) -> str:
        seen[base] = seen.get(base, 0) + 1
        return base if seen[base] == 1 else f"{base}#{seen[base]}"

    calls = sorted(
        (n for n in ast.walk(src.tree) if isinstance(n, ast.Call)),
        key=lambda n: (n.lineno, n.col_offset),
    )
    for call in calls:
        kind = spelled.error_kind(call.func)
        if kind is None:
            continue
        wrappers = [
            n for n in ast.walk(call) if isinstance(n, ast.Call) and spelled.is_wrapper(n.func)
        ]
        if not wrappers:
            continue
        inside.update(id(w) for w in wrappers)
        name = src.segment(call.func)
        key = key_of(f"{scopes.get(id(call), '<module>')}:{name}(ErrorWrapper)")
        conversions.append(_plan_error(src, spelled, call, kind, key))
    for call in calls:
        if spelled.is_wrapper(call.func) and id(call) not in inside:
            key = key_of(f"{scopes.get(id(call), '<module>')}:ErrorWrapper")
            message = (
                "`ErrorWrapper` does not exist in Pydantic V2; not converted: it is built "
                "outside a `ValidationError([...])` / `RequestValidationError([...])` list, "
                "so the error it becomes cannot be written here (V2 takes "
                '`{"type": ..., "loc": ..., "input": ...}` dicts)'
            ) + "."
            conversions.append(
                refused(ERROR_WRAPPER_CODE, key, message, src.start(call), src.end(call))
            )
    return conversions


def _plan_error(src: Source, spelled: _Names, call: ast.Call, kind: str, key: str) -> Conversion:
    start, end = src.start(call), src.end(call)
    name = src.segment(call.func)
    if kind == "pydantic":
        what = f"`{name}([ErrorWrapper(...)], Model)` does not work in Pydantic V2"
        shape = f"`{name}.from_exception_data(title, [{{...}}])`"
    else:
        what = f"`{name}([ErrorWrapper(...)])` needs V1's `ErrorWrapper`"
        shape = f'`{name}([{{"loc": ..., "msg": ..., "type": ...}}])`'
    try:
        if any(
            isinstance(node, ast.Call)
            and spelled.is_wrapper(node.func)
            and spelled.names.imported_in_function(node.func)
            for node in ast.walk(call)
        ):
            raise ValueError(
                "`ErrorWrapper` is imported inside the function, where the conversion cannot "
                "drop the import; move that import to the top of the module, then convert"
            )
        text, add = (_pydantic if kind == "pydantic" else _fastapi)(src, spelled, call)
    except ValueError as reason:
        message = f"{what}; not converted: {reason}."
        return refused(ERROR_WRAPPER_CODE, key, message, start, end)
    # FastAPI's call keeps its other arguments: only the error list is rewritten.
    listed = _errors_list(call)
    raising = [
        node
        for node in ast.walk(call)
        if isinstance(node, ast.Call)
        and (error := spelled.project_error(node.func)) is not None
        and error.raises_type_error(node)
    ]
    span = (start, end) if kind == "pydantic" else (src.start(listed), src.end(listed))
    consumed: dict[str, int] = {}
    for node in ast.walk(call):
        if (
            isinstance(node, ast.Call)
            and node not in raising
            and (
                spelled.is_wrapper(node.func)
                or spelled.v1_error(node.func) is not None
                or spelled.project_error(node.func) is not None
            )
        ):
            # ``ErrorWrapper`` / ``error_wrappers`` of ``error_wrappers.ErrorWrapper``
            local = (dotted_name(node.func) or "").split(".")[0]
            if local:
                consumed[local] = consumed.get(local, 0) + 1
    message = f"{what}: use {shape}; `errors()` keeps each error's `loc`, `msg` and `type`" + (
        " (and `input` is None)." if kind == "pydantic" else "."
    )
    if raising:
        shown = f"{src.segment(raising[0].func)}(...)"
        message = (
            f"`{shown}` raises `TypeError` here in V1 and V2 alike: it is given a positional "
            "argument, which its class does not take (`PydanticErrorMixin.__init__(self, "
            "**ctx)`), so this line never built its error; a bug in the code: pass the "
            f"message by name (`msg=...`). The fix writes {shape} with that call kept as it "
            "is (it raises the same `TypeError`), so V1's `ErrorWrapper` is no longer needed."
        )
    return Conversion(
        ERROR_WRAPPER_CODE,
        key,
        TITLE_PYDANTIC if kind == "pydantic" else TITLE_FASTAPI,
        message,
        start,
        end,
        _kept_lines(src, *span, text) if raising else [Replacement(*span, text)],
        add,
        consumed=consumed,
    )


def _kept_lines(src: Source, start: int, end: int, text: str) -> list[Replacement]:
    """``src.text[start:end]`` → ``text`` as edits of the lines that change only (the kept
    error-class call's lines stay as they were)."""
    first = src.text.rfind("\n", 0, start) + 1
    last = src.text.find("\n", end)
    last = len(src.text) if last < 0 else last
    old = src.text[first:last].splitlines(keepends=True)
    new = (src.text[first:start] + text + src.text[end:last]).splitlines(keepends=True)
    offsets = [first]
    for line in old:
        offsets.append(offsets[-1] + len(line))
    edits: list[Replacement] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        begin, finish, written = offsets[i1], offsets[i2], "".join(new[j1:j2])
        while begin < finish and written and src.text[begin] == written[0]:
            begin, written = begin + 1, written[1:]
        while begin < finish and written and src.text[finish - 1] == written[-1]:
            finish, written = finish - 1, written[:-1]
        edits.append(Replacement(begin, finish, written))
    return edits


def _errors_list(call: ast.Call) -> ast.List | ast.Tuple:
    """The error list, passed first or as ``errors=`` (V1's parameter name)."""
    named = [k.value for k in call.keywords if k.arg == "errors"]
    if any(isinstance(a, ast.Starred) for a in call.args) or not (call.args or named):
        raise ValueError("its errors are not passed as the first argument or `errors=`")
    errors = call.args[0] if call.args else named[0]
    if not isinstance(errors, ast.List | ast.Tuple):
        raise ValueError("its errors are not a list of `ErrorWrapper(...)` written in place")
    return errors


def _wrapped(
    src: Source, spelled: _Names, wrapper: ast.expr, fastapi: bool = False
) -> tuple[str, list[str], str]:
    """``(type, messages, loc)`` source texts of one ``ErrorWrapper(exc, loc)``:
    ``messages`` are ``PydanticCustomError``'s arguments after the type (the message; for
    the project's own error classes the template and the context)."""
    if not isinstance(wrapper, ast.Call) or any(isinstance(a, ast.Starred) for a in wrapper.args):
        raise ValueError("an element of its error list is not an `ErrorWrapper(...)` call")
    arguments = dict(zip(("exc", "loc"), wrapper.args, strict=False))
    for keyword in wrapper.keywords:
        if keyword.arg not in ("exc", "loc") or keyword.arg in arguments:
            raise ValueError("an `ErrorWrapper` takes arguments other than `exc` and `loc`")
        arguments[keyword.arg] = keyword.value
    exc, loc = arguments.get("exc"), arguments.get("loc")
    if exc is None or loc is None:
        raise ValueError("an `ErrorWrapper` lacks its exception or its location")
    v1_error = spelled.v1_error(exc.func) if isinstance(exc, ast.Call) else None
    if v1_error is not None and isinstance(exc, ast.Call) and not exc.args and not exc.keywords:
        error_type, text = V1_ERRORS[v1_error]
        return f'"{error_type}"', [f'"{text}"'], _loc_text(src, loc)
    project = spelled.project_error(exc.func) if isinstance(exc, ast.Call) else None
    if project is not None and isinstance(exc, ast.Call):
        if fastapi:
            raise ValueError(
                f"`{src.segment(exc)}` is one of the project's error classes, whose message "
                "and context a plain error dict would have to spell out"
            )
        if project.raises_type_error(exc):
            return src.segment(exc), [], _loc_text(src, loc)
        return *_project_error(src, exc, project), _loc_text(src, loc)
    if not (
        isinstance(exc, ast.Call)
        and isinstance(exc.func, ast.Name)
        and exc.func.id in ERROR_TYPES
        and len(exc.args) <= 1
        and not exc.keywords
        and not any(isinstance(a, ast.Starred) for a in exc.args)
    ):
        raise ValueError(
            f"`{src.segment(exc)}` is not a `ValueError(msg)` / `TypeError(msg)` / "
            "`AssertionError(msg)` (or `MissingError()`, ...) built in place, so its V1 error "
            "type and message cannot be read here"
        )
    error_type = ERROR_TYPES[exc.func.id]
    if not exc.args:
        msg = '""'
    else:
        arg = exc.args[0]
        is_text = isinstance(arg, ast.JoinedStr) or (
            isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        )
        msg = src.segment(arg) if is_text else f"str({src.segment(arg)})"
    return f'"{error_type}"', [msg], _loc_text(src, loc)


def _project_error(src: Source, exc: ast.Call, error: ErrorClass) -> tuple[str, list[str]]:
    """``(type, [template, context])`` source texts of the project's error class built in
    place, when Pydantic 2 formats its message as V1 did."""
    shown = src.segment(exc)
    error_type = error.error_type()
    template = error.template
    if error.own_init:
        raise ValueError(
            f"`{shown}`: its class or a base defines `__init__` / `__new__`, so V1's "
            "message and context cannot be read here"
        )
    if error_type is None or template is None or template == UNKNOWN:
        what = "`code`" if error_type is None else "`msg_template`"
        raise ValueError(
            f"`{shown}`: its class's {what} is not a string literal in the class or its "
            "bases, so V1's error type and message cannot be read here"
        )
    if exc.args:
        raise ValueError(
            f"`{shown}` passes `*` arguments, which V1's error classes reject (`TypeError` "
            "when it is built) unless empty; pass them by name (`msg=...`), then convert"
        )
    if any(k.arg is None for k in exc.keywords):
        raise ValueError(
            f"`{shown}` passes `**` arguments, so the names its message template reads "
            "cannot be checked here"
        )
    passed = {k.arg: k.value for k in exc.keywords if k.arg is not None}
    read: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        raise ValueError(
            f"the message template {template!r} is not a valid format string (V1 raised "
            "`ValueError` when formatting it)"
        ) from None
    for literal, field, spec, conversion in parsed:
        if "{" in literal or "}" in literal or spec or conversion:
            raise ValueError(
                f"the message template {template!r} uses `{{{{`, a format spec or a conversion, "
                "which Pydantic 2 does not format as V1's `str.format` did"
            )
        if field is not None:
            if not field.isidentifier():
                raise ValueError(
                    f"the message template {template!r} reads `{{{field}}}`, which Pydantic 2 "
                    "does not format"
                )
            read.add(field)
    for field in sorted(read):
        value = passed.get(field)
        if value is None:
            raise ValueError(
                f"`{shown}` does not pass `{field}`, which its message template {template!r} "
                "reads (V1 raised `KeyError` when formatting it); pass it, then convert"
            )
        if not _is_text(value):
            raise ValueError(
                f"`{shown}` passes `{field}` as `{src.segment(value)}`; Pydantic 2 formats "
                "non-string values unlike V1 (`True` as `1`); pass `str(...)`, then convert"
            )
        plain = isinstance(value, ast.Constant) and "{" not in str(value.value)
        if len(passed) > 1 and not plain:
            raise ValueError(
                f"`{shown}` passes several values and `{field}` may contain another's "
                "`{placeholder}`, which Pydantic 2 would fill in too"
            )
    arguments = [json.dumps(template, ensure_ascii=False)]
    if passed:
        context = ", ".join(f'"{name}": {src.segment(value)}' for name, value in passed.items())
        arguments.append(f"{{{context}}}")
    return f'"{error_type}"', arguments


def _is_text(value: ast.expr) -> bool:
    """True for a string literal, an f-string or ``str(x)``."""
    if isinstance(value, ast.JoinedStr):
        return True
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str)
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "str"
        and len(value.args) == 1
        and not value.keywords
    )


def _loc_text(src: Source, loc: ast.expr) -> str:
    """The V2 location tuple of a V1 ``loc`` (a string meant a one-part location)."""
    if isinstance(loc, ast.Constant) and isinstance(loc.value, str | int):
        return f"({src.segment(loc)},)"
    if isinstance(loc, ast.Tuple):
        return src.segment(loc)
    if isinstance(loc, ast.List):
        raise ValueError(
            f"V1 took the list location `{src.segment(loc)}` as a single part (`loc` was "
            f"`({src.segment(loc)},)`); write it as a tuple first"
        )
    if isinstance(loc, ast.JoinedStr):
        return f"({src.segment(loc)},)"
    raise ValueError(
        f"the location `{src.segment(loc)}` is computed at run time; V1 read a string as a "
        "one-part location, so the V2 tuple cannot be written without knowing which it is"
    )


def _flattened(errors: ast.List | ast.Tuple) -> list[ast.expr]:
    """The wrappers of the error list, nested lists read in order (V1 flattened them, each
    wrapper keeping its own location)."""
    flat: list[ast.expr] = []
    for element in errors.elts:
        flat.extend(_flattened(element) if isinstance(element, ast.List) else [element])
    return flat


def _error_type_text(kind: str, messages: list[str]) -> str:
    """``PydanticCustomError(type, *messages)``; without messages ``kind`` is the error
    class's call kept as written (it raises ``TypeError`` before the error is built)."""
    return f"PydanticCustomError({', '.join([kind, *messages])})" if messages else kind


def _item_lines(inner: str, nl: str, kind: str, messages: list[str], loc: str) -> str:
    """One error dict over several lines, as ruff's formatter lays out a long one."""
    flat = f'{inner}    "type": {_error_type_text(kind, messages)},'
    if messages and (len(flat) > LINE_LENGTH or "\n" in flat):
        deeper = f"{inner}        "
        arguments = "".join(f"{deeper}{argument},{nl}" for argument in [kind, *messages])
        flat = f'{inner}    "type": PydanticCustomError({nl}{arguments}{inner}    ),'
    return (
        f"{inner}{{{nl}{flat}{nl}"
        f'{inner}    "loc": {loc},{nl}{inner}    "input": None,{nl}{inner}}},{nl}'
    )


def _pydantic(src: Source, spelled: _Names, call: ast.Call) -> tuple[str, set[ImportBinding]]:
    errors = _errors_list(call)
    model = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "model" and model is None:
            model = keyword.value
        elif keyword.arg != "errors" or call.args:
            raise ValueError(f"it takes `{keyword.arg}=`, which V2 has no place for")
    if model is None or len(call.args) > 2:
        raise ValueError("it is not called as `ValidationError(errors, Model)`")
    other = spelled.names.other_bindings.get("PydanticCustomError")
    if other is not None and other != "imported from pydantic_core":
        raise ValueError(f"`PydanticCustomError` in this module is {other}")
    parts = [_wrapped(src, spelled, wrapper) for wrapper in _flattened(errors)]
    items = [
        f'{{"type": {_error_type_text(kind, messages)}, "loc": {loc}, "input": None}}'
        for kind, messages, loc in parts
    ]
    title = f"{src.segment(model)}.__name__"
    head = f"{src.segment(call.func)}.from_exception_data("
    text = f"{head}{title}, [{', '.join(items)}])"
    end_line = call.end_lineno or call.lineno
    before = src.start(call) - src.line_start(call.lineno)
    after = len(src.line_text(end_line)) - (src.end(call) - src.line_start(end_line))
    if "\n" in text or before + len(text) + after > LINE_LENGTH:
        indent = src.indent_of(call.lineno)
        nl = src.newline
        inner = f"{indent}        "
        listed = "".join(
            f"{inner}{item},{nl}"
            if len(inner) + len(item) + 1 <= LINE_LENGTH and "\n" not in item
            else _item_lines(inner, nl, *part)
            for item, part in zip(items, parts, strict=True)
        )
        outer = f"{indent}    "
        text = f"{head}{nl}{outer}{title},{nl}{outer}[{nl}{listed}{outer}],{nl}{indent})"
    custom = any(messages for _, messages, _ in parts)
    return text, {ImportBinding("pydantic_core", "PydanticCustomError")} if custom else set()


def _fastapi(src: Source, spelled: _Names, call: ast.Call) -> tuple[str, set[ImportBinding]]:
    errors = _errors_list(call)
    named = ("body",) if call.args else ("body", "errors")
    if len(call.args) > 1 or any(k.arg not in named for k in call.keywords):
        raise ValueError("it takes arguments other than the errors and `body=`")
    items = []
    for wrapper in _flattened(errors):
        error_type, [msg], loc = _wrapped(src, spelled, wrapper, fastapi=True)
        items.append(f'{{"loc": {loc}, "msg": {msg}, "type": {error_type}}}')
    return f"[{', '.join(items)}]", set()
