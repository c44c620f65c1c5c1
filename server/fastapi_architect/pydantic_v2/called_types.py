"""V1 types called to build a value V2 cannot build that way (PYD027).

V1's ``EmailStr`` was a ``str`` subclass: ``EmailStr("privacy@x.com")`` built an equal,
unvalidated string (a field default, a constant). V2's ``EmailStr`` is an annotation-only class
and the call raises ``TypeError`` — at import when it stands in a class body. The call becomes
the string V1 built: the literal itself, else ``str(value)``. ``isinstance`` / ``issubclass``
checks and subclasses of ``EmailStr`` are reported (V2's is no ``str``). V1's URL types called
with their parts (``AnyUrl(url, scheme=..., host=...)``, unvalidated) are reported: V2's take the
URL alone and validate it.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterator

from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import CALLED_TYPE_CODE
from fastapi_architect.pydantic_v2.names import PydanticNames
from fastapi_architect.pydantic_v2.source import Replacement, Source

URL_TYPES = frozenset(
    {
        "AnyUrl",
        "AnyHttpUrl",
        "HttpUrl",
        "FileUrl",
        "PostgresDsn",
        "CockroachDsn",
        "AmqpDsn",
        "RedisDsn",
        "MongoDsn",
        "KafkaDsn",
    }
)
"""V1 ``AnyUrl`` subclasses: ``T(url, scheme=..., ...)`` built an unvalidated ``str`` subclass."""
TYPES = URL_TYPES | {"EmailStr"}
TITLE = "Write the string V1's `EmailStr(...)` built"


def plan_called_types(src: Source, names: PydanticNames) -> list[Conversion]:
    """A conversion for every call of ``EmailStr``, every URL type called with its parts, and
    every ``isinstance`` / ``issubclass`` / class base naming ``EmailStr``."""
    if not any(name in src.text for name in TYPES):
        return []
    spellings = TYPES | {"isinstance", "issubclass"}
    spellings |= {local for local, name in names.pydantic_from.items() if name in TYPES}
    lines = _site_lines(src.text, spellings)
    conversions: list[Conversion] = []
    seen: dict[str, int] = {}
    for node, scope in _walk(src.tree, lines) if lines else ():
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                if names.refers_to(base, "EmailStr"):
                    key = _key(seen, f"{_inside(scope, node.name)}:EmailStr base")
                    conversions.append(_subclass(src, base, key))
            continue
        if not isinstance(node, ast.Call) or _spelling(node.func) not in spellings:
            continue
        called = names.pydantic_name(node.func)
        if called == "EmailStr":
            key = _key(seen, f"{scope}:EmailStr()")
            conversions.append(_email_call(src, names, node, key))
        elif called in URL_TYPES:
            if node.keywords:
                key = _key(seen, f"{scope}:{called}()")
                conversions.append(_url_call(src, node, called, key))
        elif _type_check(node, names):
            key = _key(seen, f"{scope}:isinstance EmailStr")
            conversions.append(_type_check_report(src, node, key))
    conversions.sort(key=lambda c: c.start)
    return conversions


def _site_lines(text: str, spellings: frozenset[str]) -> list[int]:
    """The lines (1-based, sorted) where a site may start: a call of one of ``spellings``
    (``EmailStr(``, an alias, ``isinstance(`` naming ``EmailStr``) or a class base naming
    ``EmailStr``. Empty for a model file that only annotates fields with ``EmailStr`` or
    ``HttpUrl``: the tree is not walked then, and otherwise only around these lines."""
    callees = "|".join(sorted(map(re.escape, spellings - {"isinstance", "issubclass"})))
    starts = [m.start() for m in re.finditer(rf"\b(?:{callees})\s*\(", text)]
    if "EmailStr" in text:
        starts += [m.start() for m in _CHECK_OR_BASE.finditer(text)]
    return sorted({text.count("\n", 0, start) + 1 for start in starts})


_CHECK_OR_BASE = re.compile(r"\b(?:isinstance|issubclass|class\s+\w+)\s*\([^)]*\bEmailStr\b")


def _walk(tree: ast.Module, lines: list[int]) -> Iterator[tuple[ast.AST, str]]:
    """The nodes spanning one of ``lines``, in document order, with the qualified name of the
    function or class around each (``<module>`` at the top)."""
    stack: list[tuple[ast.AST, str]] = [(tree, "<module>")]
    while stack:
        node, scope = stack.pop()
        yield node, scope
        inner = scope
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            inner = _inside(scope, node.name)
        children = [
            child
            for child in ast.iter_child_nodes(node)
            if not isinstance(child, ast.expr_context) and _spans(child, lines)
        ]
        stack.extend((child, inner) for child in reversed(children))


def _spans(node: ast.AST, lines: list[int]) -> bool:
    first = getattr(node, "lineno", None)
    if first is None:
        return True
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    first = min([first, *(decorator.lineno for decorator in decorators)])
    index = bisect.bisect_left(lines, first)
    return index < len(lines) and lines[index] <= (getattr(node, "end_lineno", None) or first)


def _inside(scope: str, name: str) -> str:
    return name if scope == "<module>" else f"{scope}.{name}"


def _spelling(func: ast.expr) -> str | None:
    """The last name of what a call calls (``EmailStr`` of ``pydantic.EmailStr``): a cheap
    filter before the binding lookup."""
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _key(seen: dict[str, int], base: str) -> str:
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}#{seen[base]}"


def _email_call(src: Source, names: PydanticNames, call: ast.Call, key: str) -> Conversion:
    start, end = src.start(call), src.end(call)
    what = (
        "`EmailStr` cannot be called in Pydantic V2 (`TypeError: EmailStr() takes no "
        "arguments`); V1 built an equal, unvalidated `str`"
    )
    if call.keywords or len(call.args) > 1 or any(isinstance(a, ast.Starred) for a in call.args):
        message = f"{what}; not converted: the call's arguments are unusual, write the string."
        return refused(CALLED_TYPE_CODE, key, message, start, end)
    text = _string_of(src, names, call.args[0] if call.args else None)
    if text is None:
        message = f"{what}; not converted: `str` names something else here, write the string."
        return refused(CALLED_TYPE_CODE, key, message, start, end)
    local = call.func.id if isinstance(call.func, ast.Name) else None
    return Conversion(
        CALLED_TYPE_CODE,
        key,
        TITLE,
        f"{what}: write `{text}`. `isinstance(value, EmailStr)` is now False for it.",
        start,
        end,
        [Replacement(start, end, text)],
        consumed={local: 1} if local else {},
    )


def _string_of(src: Source, names: PydanticNames, arg: ast.expr | None) -> str | None:
    """The source of V1's value: the string literal itself, ``str(arg)`` otherwise; None when
    ``str`` is rebound in the module."""
    if arg is None:
        return '""'
    if isinstance(arg, ast.JoinedStr) or (
        isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    ):
        text = src.segment(arg)
        return f"({text})" if "\n" in text else text
    if "str" in names.other_bindings:
        return None
    return f"str({src.segment(arg)})"


def _url_call(src: Source, call: ast.Call, called: str, key: str) -> Conversion:
    message = (
        f"`{called}(url, scheme=..., ...)` built an unvalidated `str` in V1; V2's `{called}` "
        "takes only the URL and validates it (`TypeError` on these keywords). Not converted: "
        f"pass the URL alone (`{called}(url)`, validated) or keep a plain `str`."
    )
    return refused(CALLED_TYPE_CODE, key, message, src.start(call), src.end(call))


def _type_check(call: ast.Call, names: PydanticNames) -> bool:
    """True for ``isinstance(x, EmailStr)`` / ``issubclass(c, (EmailStr, ...))``."""
    if not (isinstance(call.func, ast.Name) and call.func.id in ("isinstance", "issubclass")):
        return False
    if len(call.args) != 2:
        return False
    second = call.args[1]
    members = second.elts if isinstance(second, ast.Tuple) else [second]
    return any(names.refers_to(member, "EmailStr") for member in members)


def _type_check_report(src: Source, call: ast.Call, key: str) -> Conversion:
    message = (
        "V2's `EmailStr` is no `str` subclass and never a value's type: this check is False "
        "for every string (V1 held only for values built with `EmailStr(...)`). Not converted: "
        "check for `str` (validated fields already hold valid addresses)."
    )
    return refused(CALLED_TYPE_CODE, key, message, src.start(call), src.end(call))


def _subclass(src: Source, base: ast.expr, key: str) -> Conversion:
    message = (
        "V2's `EmailStr` is an annotation-only class, no `str`: a subclass of it cannot be "
        "called to build a value and its instances are no strings. Not converted: derive from "
        "`str` and validate with `Annotated[str, AfterValidator(...)]`, or use `EmailStr` itself."
    )
    return refused(CALLED_TYPE_CODE, key, message, src.start(base), src.end(base))
