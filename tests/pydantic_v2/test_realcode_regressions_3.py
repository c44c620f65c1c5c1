"""stac-pydantic 2.0.3 (``python -m bench pydantic_realcode --only stac-pydantic``): 20 of its
23 modules failed to import under pydantic 2 after ``migrate``.

- ``from pydantic.datetime_parse import parse_datetime`` was only reported (PYD013):
  ``TypeAdapter`` parses other inputs, but ``pydantic.v1.datetime_parse`` is V1's own code
  shipped inside pydantic 2, so the import now moves there.
- ``stac_version: str = Field(STAC_VERSION, const=True)`` was only reported (PYD011):
  ``Literal[STAC_VERSION]`` is rejected by mypy and ``Literal["1.0.0"]`` would go stale, so the
  ``const`` becomes a ``field_validator`` with V1's message at the field's location.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
import warnings
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic.v1 import datetime_parse
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load, _run_v1, _run_v2
from tests.pydantic_v2.test_realcode_regressions_2 import _ruff

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.moved_names import DATETIME_PARSE_HINT

# --- pydantic.datetime_parse -------------------------------------------------------------------

FROM_IMPORT = """\
from pydantic.datetime_parse import parse_date, parse_datetime
from pydantic.datetime_parse import parse_duration as duration, parse_time

FUNCTIONS = {
    "parse_datetime": parse_datetime,
    "parse_date": parse_date,
    "parse_time": parse_time,
    "parse_duration": duration,
}
"""

IMPORT_FORMS = [
    (
        "import pydantic.datetime_parse as dp\n\nWHEN = dp.parse_datetime('2032-04-23T10:20')\n",
        "import pydantic.v1.datetime_parse as dp\n\nWHEN = dp.parse_datetime('2032-04-23T10:20')\n",
    ),
    (
        "import pydantic.datetime_parse\n\n"
        "WHEN = pydantic.datetime_parse.parse_datetime('2032-04-23T10:20')\n",
        "import pydantic.v1.datetime_parse\n\n"
        "WHEN = pydantic.v1.datetime_parse.parse_datetime('2032-04-23T10:20')\n",
    ),
    (
        "import pydantic\n\nWHEN = pydantic.datetime_parse.parse_datetime('2032-04-23T10:20')\n",
        "import pydantic\nimport pydantic.v1.datetime_parse\n\n"
        "WHEN = pydantic.v1.datetime_parse.parse_datetime('2032-04-23T10:20')\n",
    ),
    (
        "from pydantic import datetime_parse as dp\n\n"
        "WHEN = dp.parse_datetime('2032-04-23T10:20')\n",
        "from pydantic.v1 import datetime_parse as dp\n\n"
        "WHEN = dp.parse_datetime('2032-04-23T10:20')\n",
    ),
]

INPUTS: list[Any] = [
    "2032-04-23T10:20:30",
    "2032-04-23T10:20:30Z",
    "2032-04-23T10:20:30.123456-05:30",
    "2032-04-23",
    b"2032-04-23",
    "10:20:30",
    "10:20",
    "P3DT12H30M5S",
    1494012444,
    "1494012444.5",
    1494012444000,
    0,
    "3600",
    1e20,
    True,
    "infinity",
    "abc",
    "",
    "2032-13-01",
    None,
    [1],
    datetime(2020, 1, 1),
    date(2020, 1, 1),
    timedelta(seconds=5),
]


def _outcome(parse: Callable[[Any], Any], value: Any) -> tuple[str, Any]:
    try:
        return "ok", parse(value)
    except Exception as error:  # the exact exception type is part of the behaviour
        return type(error).__name__, str(error)


def test_datetime_parse_from_imports_move_to_the_v1_module_in_place_keeping_aliases() -> None:
    migrated = migrate_source(FROM_IMPORT)

    assert migrated == FROM_IMPORT.replace("pydantic.datetime_parse", "pydantic.v1.datetime_parse")
    assert migrate_source(migrated) == migrated
    assert find_findings(migrated) == []
    findings = find_findings(FROM_IMPORT)
    assert [(f.code, f.fixable) for f in findings] == [("PYD013", True)] * 2
    for finding in findings:
        assert "V1's own code shipped inside Pydantic 2" in finding.message
        assert DATETIME_PARSE_HINT in finding.message  # why not `TypeAdapter`


@pytest.mark.parametrize("source, expected", IMPORT_FORMS, ids=["as", "plain", "attr", "from"])
def test_every_datetime_parse_import_form_moves_to_the_v1_module(
    source: str, expected: str, tmp_path: Path
) -> None:
    migrated = migrate_source(source)

    assert migrated == expected
    assert migrate_source(migrated) == migrated
    assert _ruff(migrated, tmp_path) == []
    module = _load(migrated, f"dtp_{uuid.uuid4().hex[:8]}")
    assert module.WHEN.isoformat() == "2032-04-23T10:20:00"


def test_migrated_datetime_parse_functions_give_v1_results_on_every_input() -> None:
    migrated = migrate_source(FROM_IMPORT)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no PydanticDeprecatedSince20, no other warning
        module = _load_strict(migrated, f"dtp_{uuid.uuid4().hex[:8]}")

    errors = 0
    for name, migrated_parse in module.FUNCTIONS.items():
        v1_parse = getattr(datetime_parse, name)
        for value in INPUTS:
            before, after = _outcome(v1_parse, value), _outcome(migrated_parse, value)
            assert before == after, f"{name}({value!r}): V1 {before} vs migrated {after}"
            errors += before[0] != "ok"
    assert errors >= 20  # the inputs include rejected ones for every function


def test_importing_the_v1_datetime_parse_module_emits_no_warning() -> None:
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", migrate_source(FROM_IMPORT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")


def _load_strict(source: str, name: str) -> Any:
    """Like ``_load`` but lets warnings through to the caller's filter."""
    import types

    module = types.ModuleType(name)
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), module.__dict__)
    return module


# --- Field(NAME, const=True) -------------------------------------------------------------------

CONST_NAME = """\
from pydantic import BaseModel, Field, constr, validator

STAC_VERSION = "1.0.0"


class Item(BaseModel):
    stac_version: str = Field(STAC_VERSION, const=True)  # the version this model reads
    id: str

    @validator("id")
    def id_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("blank")
        return value


class Catalog(BaseModel):
    stac_version: constr(min_length=1) = Field(STAC_VERSION, const=True)
    check_stac_version_const: int = 0


PROBES = [
    ("Item", {"id": "a"}),
    ("Item", {"id": "a", "stac_version": "1.0.0"}),
    ("Item", {"id": "a", "stac_version": "0.9.0"}),
    ("Item", {"id": "a", "stac_version": "1.0.0 "}),
    ("Item", {"id": " ", "stac_version": "0.9.0"}),
    ("Item", {"stac_version": "2"}),
    ("Item", {"id": "a", "stac_version": None}),
    ("Item", {"id": "a", "stac_version": ["1.0.0"]}),
    ("Catalog", {}),
    ("Catalog", {"stac_version": "1.0.0"}),
    ("Catalog", {"stac_version": ""}),
    ("Catalog", {"stac_version": "x"}),
]
"""


def test_const_with_a_name_default_becomes_a_validator_with_v1_message() -> None:
    migrated = migrate_source(CONST_NAME)

    assert "    stac_version: str = Field(STAC_VERSION)  # the version this model reads\n" in (
        migrated
    )
    assert (
        '    @field_validator("stac_version")\n'
        "    @classmethod\n"
        "    def check_stac_version_const(cls, value: str) -> str:\n"
        "        if value != STAC_VERSION:\n"
        '            raise ValueError(f"unexpected value; permitted: {STAC_VERSION!r}")\n'
        "        return value\n"
    ) in migrated
    assert "def check_stac_version_const_(cls" in migrated  # the class already has the name
    assert "const=True" not in migrated
    assert migrate_source(migrated) == migrated
    assert find_findings(migrated) == []
    messages = [f.message for f in find_findings(CONST_NAME) if f.code == "PYD011"]
    assert len(messages) == 2
    assert all("becomes a `field_validator`" in m and "mypy" in m for m in messages)


def test_const_name_validator_accepts_rejects_and_locates_errors_like_v1() -> None:
    migrated = migrate_source(CONST_NAME)
    tag = uuid.uuid4().hex[:8]
    v1 = _load(_as_v1(CONST_NAME), f"const_name_v1_{tag}")
    v2 = _load(migrated, f"const_name_v2_{tag}")

    for model, data in v1.PROBES:
        before, after = _run_v1(v1, model, dict(data)), _run_v2(v2, model, dict(data))
        assert before == after, f"{model}({data}): V1 {before} vs V2 {after}"
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as raised:
        v2.Item(id="a", stac_version="0.9.0")
    (error,) = raised.value.errors()
    assert error["msg"] == "Value error, unexpected value; permitted: '1.0.0'"


def test_const_name_conversion_is_ruff_and_mypy_clean(tmp_path: Path) -> None:
    migrated = migrate_source(CONST_NAME)
    assert _ruff(migrated, tmp_path) == []
    path = tmp_path / "item.py"
    path.write_text(migrated, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--ignore-missing-imports", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(
    "field, config, reason",
    [
        ("version: int = Field(VERSION, const=True)", "", "not annotated `str`"),
        ("version = Field(VERSION, const=True)", "", "needs the field annotated `str`"),
        (
            "version: constr(strip_whitespace=True) = Field(VERSION, const=True)",
            "",
            "not annotated `str`",
        ),
        (
            "version: str = Field(VERSION, const=True)",
            "\n    class Config:\n        anystr_strip_whitespace = True\n",
            "strips or re-cases strings",
        ),
        (
            "VERSION = 'x'\n    version: str = Field(VERSION, const=True)",
            "",
            "is a class attribute",
        ),
        (
            "version: str = Field(VERSION, const=True)",
            "\n\nclass Child(Item):\n    version: str = Field(VERSION, const=True)\n",
            "a base class validates `version` too",
        ),
    ],
    ids=[
        "int",
        "unannotated",
        "stripping-constr",
        "stripping-config",
        "class-attribute",
        "base-validates-it",
    ],
)
def test_const_name_stays_reported_where_a_validator_would_differ(
    field: str, config: str, reason: str
) -> None:
    source = (
        "from pydantic import BaseModel, Field, constr, validator\n\nVERSION = '1'\n\n\n"
        f"class Item(BaseModel):\n    {field}\n{config}"
    )
    if "Child" in config:
        source = source.replace(
            "class Child",
            "    @validator('version')\n    def v(cls, value):\n"
            "        return value\n\n\nclass Child",
        )
    findings = [f for f in find_findings(source) if f.code == "PYD011"]

    assert any(not f.fixable and reason in f.message for f in findings), findings
