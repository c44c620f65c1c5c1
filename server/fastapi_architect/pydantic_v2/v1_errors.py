"""Imports of V1's error classes (``PydanticValueError``, ``MissingError``, ...) →
``pydantic.v1.errors`` (PYD013).

``from pydantic.errors import PydanticValueError`` (or ``from pydantic import ...``, which V1
re-exported) fails under Pydantic 2. ``pydantic.v1.errors`` holds V1's own classes, so the
subclasses a project defines (``code`` / ``msg_template``) keep working, but a V2 validator
treats them as plain exceptions: measured by ``tests/pydantic_v2/test_behaviour_v1_errors.py``,
which the finding's message states.
"""

from __future__ import annotations

import ast

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.conversion import Conversion
from fastapi_architect.pydantic_v2.findings import MOVED_NAME_CODE
from fastapi_architect.pydantic_v2.names import top_level_imports
from fastapi_architect.pydantic_v2.source import Source

V1_ERRORS_MODULE = "pydantic.v1.errors"

TYPE_ERRORS = frozenset(
    [
        "ArbitraryTypeError",
        "BoolError",
        "BytesError",
        "CallableError",
        "ClassError",
        "DataclassTypeError",
        "DecimalError",
        "DequeError",
        "DictError",
        "EnumError",
        "EnumMemberError",
        "FloatError",
        "FrozenSetError",
        "HashableError",
        "IntEnumError",
        "IntegerError",
        "IterableError",
        "JsonTypeError",
        "ListError",
        "NoneIsAllowedError",
        "NoneIsNotAllowedError",
        "NotNoneError",
        "PathError",
        "PyObjectError",
        "PydanticTypeError",
        "SequenceError",
        "SetError",
        "StrError",
        "SubclassError",
        "TupleError",
        "UUIDError",
    ]
)
"""V1's ``pydantic.errors`` classes deriving from ``TypeError``."""

VALUE_ERRORS = frozenset(
    [
        "AnyStrMaxLengthError",
        "AnyStrMinLengthError",
        "ColorError",
        "DateError",
        "DateNotInTheFutureError",
        "DateNotInThePastError",
        "DateTimeError",
        "DecimalIsNotFiniteError",
        "DecimalMaxDigitsError",
        "DecimalMaxPlacesError",
        "DecimalWholeDigitsError",
        "DurationError",
        "EmailError",
        "ExtraError",
        "FrozenSetMaxLengthError",
        "FrozenSetMinLengthError",
        "IPv4AddressError",
        "IPv4InterfaceError",
        "IPv4NetworkError",
        "IPv6AddressError",
        "IPv6InterfaceError",
        "IPv6NetworkError",
        "IPvAnyAddressError",
        "IPvAnyInterfaceError",
        "IPvAnyNetworkError",
        "InvalidByteSize",
        "InvalidByteSizeUnit",
        "InvalidDiscriminator",
        "InvalidLengthForBrand",
        "JsonError",
        "ListMaxLengthError",
        "ListMinLengthError",
        "ListUniqueItemsError",
        "LuhnValidationError",
        "MissingDiscriminator",
        "MissingError",
        "NotDigitError",
        "NumberNotFiniteError",
        "NumberNotGeError",
        "NumberNotGtError",
        "NumberNotLeError",
        "NumberNotLtError",
        "NumberNotMultipleError",
        "PathNotADirectoryError",
        "PathNotAFileError",
        "PathNotExistsError",
        "PatternError",
        "PydanticValueError",
        "SetMaxLengthError",
        "SetMinLengthError",
        "StrRegexError",
        "StrictBoolError",
        "TimeError",
        "TupleLengthError",
        "UUIDVersionError",
        "UrlError",
        "UrlExtraError",
        "UrlHostError",
        "UrlHostTldError",
        "UrlPortError",
        "UrlSchemeError",
        "UrlSchemePermittedError",
        "UrlUserInfoError",
        "WrongConstantError",
    ]
)
"""V1's ``pydantic.errors`` classes deriving from ``ValueError``."""

ERROR_CLASSES = TYPE_ERRORS | VALUE_ERRORS | {"ConfigError", "PydanticErrorMixin"}
"""Every public class of V1's ``pydantic/errors.py``."""

REEXPORTED = ERROR_CLASSES - {"DequeError", "IterableError", "NumberNotFiniteError"}
REEXPORTED -= {"PydanticErrorMixin"}
"""The ones V1's ``pydantic`` package re-exported (``from pydantic import PydanticValueError``)."""

V2_BEHAVIOUR = {
    "value": "raised in a V2 validator, it becomes an error of type `value_error` with the "
    "message `Value error, <message>` (V1: type `value_error.<code>`, message `<message>`)",
    "type": "raised in a V2 validator, it is not turned into a validation error at all: it "
    "escapes as a `TypeError` (V2 validators catch only `ValueError`, `AssertionError` and "
    "`PydanticCustomError`; V1 gave type `type_error.<code>`)",
    "config": "V2 itself never raises it (a bad model definition raises `PydanticUserError`), "
    "so `except ConfigError` catches nothing V2 raises",
    "other": "V2's `pydantic.errors.PydanticErrorMixin` is another class (the base of "
    "`PydanticUserError`); V1's subclasses raised in a V2 validator no longer give V1's error "
    "type and message",
}
KEEP_V1_ERROR = (
    "to keep V1's error type and message, raise "
    "`pydantic_core.PydanticCustomError('<type>', msg_template, ctx)` instead"
)


def plan_v1_errors(src: Source) -> list[Conversion]:
    """A conversion for every module-level import of a V1 error class from ``pydantic`` or
    ``pydantic.errors``."""
    if "Error" not in src.text:
        return []
    imported: list[tuple[str, ast.alias]] = []
    for stmt in top_level_imports(src.tree.body):
        if not isinstance(stmt, ast.ImportFrom) or stmt.level:
            continue
        if stmt.module == "pydantic.errors":
            wanted = ERROR_CLASSES
        elif stmt.module == "pydantic":
            wanted = REEXPORTED
        else:
            continue
        imported.extend((stmt.module, alias) for alias in stmt.names if alias.name in wanted)
    if not imported:
        return []
    uses = _uses_outside_error_wrappers(src.tree) if "ErrorWrapper" in src.text else {}
    conversions: list[Conversion] = []
    seen: dict[str, int] = {}
    for module, alias in imported:
        if uses.get(alias.asname or alias.name) == 0:
            continue  # only wrapped in ``ErrorWrapper(...)``: PYD019 converts those uses
        base = f"import:{module}.{alias.name}"
        if alias.asname:
            base += f" as {alias.asname}"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}#{seen[base]}"
        conversions.append(_convert(src, module, alias, key))
    return conversions


def _uses_outside_error_wrappers(tree: ast.AST) -> dict[str, int]:
    """Per name read inside an ``ErrorWrapper(...)`` call, how often it is read elsewhere."""
    wrapped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name == "ErrorWrapper":
                wrapped.update(id(n) for n in ast.walk(node) if n is not node)
    counts: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) in wrapped:
            counts.setdefault(node.id, 0)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in counts and id(node) not in wrapped:
            counts[node.id] += 1
    return counts


def _convert(src: Source, module: str, alias: ast.alias, key: str) -> Conversion:
    name = alias.name
    kind = "type" if name in TYPE_ERRORS else "value" if name in VALUE_ERRORS else "other"
    if name == "ConfigError":
        kind = "config"
    missing = "is not V1's class" if name == "PydanticErrorMixin" else "does not exist"
    message = (
        f"`{module}.{name}` {missing} in Pydantic V2: import V1's class from "
        f"`{V1_ERRORS_MODULE}` (shipped in Pydantic 2; subclasses keep `code` and "
        f"`msg_template`). But {V2_BEHAVIOUR[kind]}"
        + ("." if kind == "config" else f"; {KEEP_V1_ERROR}.")
    )
    return Conversion(
        MOVED_NAME_CODE,
        key,
        f"Import `{name}` from `{V1_ERRORS_MODULE}`",
        message,
        src.start(alias),
        src.end(alias),
        [],
        {ImportBinding(V1_ERRORS_MODULE, name, alias.asname)},
        remove={alias.asname or name},
    )
