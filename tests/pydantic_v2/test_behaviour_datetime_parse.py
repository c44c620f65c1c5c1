"""``pydantic.datetime_parse`` moves to ``pydantic.v1.datetime_parse`` (PYD013), because V1's
``parse_datetime`` / ``parse_date`` / ``parse_time`` / ``parse_duration`` against
``TypeAdapter(...)`` under pydantic 2 over a wide input set differ exactly on the inputs the
finding names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter
from pydantic.v1 import datetime_parse

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.moved_names import DATETIME_PARSE_HINT

INPUTS: list[Any] = [
    "2032-04-23T10:20:30",
    "2032-04-23T10:20:30Z",
    "2032-04-23T10:20:30+02:00",
    "2032-04-23T10:20:30.123456-05:30",
    "2032-04-23 10:20",
    "2032-04-23",
    b"2032-04-23",
    "10:20:30",
    "10:20",
    "10:20:30+01:00",
    "P3DT12H30M5S",
    1494012444,
    1494012444.5,
    "1494012444",
    "1494012444.5",
    1494012444000,
    "1494012444000",
    0,
    "0",
    -1,
    3600,
    "3600",
    1e20,
    True,
    "infinity",
    "abc",
    "",
    "2032-13-01",
    datetime(2020, 1, 1),
    date(2020, 1, 1),
]

DIFFERING: dict[str, list[Any]] = {
    "parse_datetime": ["2032-04-23", b"2032-04-23", 1e20, True, "infinity", date(2020, 1, 1)],
    "parse_date": [
        1494012444,
        1494012444.5,
        "1494012444",
        "1494012444.5",
        1494012444000,
        "1494012444000",
        -1,
        3600,
        "3600",
        1e20,
        True,
        "infinity",
    ],
    "parse_time": ["0", 0, 3600, "3600", True],
    "parse_duration": ["10:20", "1494012444", "1494012444.5", "1494012444000", "0", "3600"],
}

TARGETS: dict[str, type] = {
    "parse_datetime": datetime,
    "parse_date": date,
    "parse_time": time,
    "parse_duration": timedelta,
}


def _outcome(parse: Callable[[Any], Any], value: Any) -> tuple[str, Any]:
    try:
        return "ok", parse(value)
    except (ValueError, TypeError, OverflowError):  # pydantic's ValidationError is a ValueError
        return "error", None


@pytest.mark.parametrize("function", sorted(TARGETS))
def test_type_adapter_differs_from_v1_exactly_on_the_reported_inputs(function: str) -> None:
    v1_parse = getattr(datetime_parse, function)
    adapter = TypeAdapter(TARGETS[function])

    differing = [
        value
        for value in INPUTS
        if _outcome(v1_parse, value) != _outcome(adapter.validate_python, value)
    ]
    assert differing == [value for value in INPUTS if value in DIFFERING[function]]


def test_the_fix_names_the_differences_and_imports_the_v1_module_that_keeps_them() -> None:
    source = "from pydantic.datetime_parse import parse_datetime\n\nWHEN = parse_datetime('x')\n"
    (finding,) = find_findings(source)

    assert (finding.code, finding.fixable) == ("PYD013", True)
    assert DATETIME_PARSE_HINT in finding.message
    for shown in ("`'10:20'` as 10 min 20 s", "`1e20`", "unix timestamps", "`'3600'`"):
        assert shown in finding.message
    assert migrate_source(source) == source.replace("pydantic.", "pydantic.v1.")
