"""PYD020: ``json_encoders`` is reported with what V2 changes, and what the report says holds:
the migrated model (``json_encoders`` kept in ``model_config``) encodes its own fields as V1
did, and no longer encodes the fields of nested models."""

from __future__ import annotations

import json
import warnings
from datetime import datetime
from pathlib import Path

from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

BEFORE = (Path(__file__).parent / "fixtures" / "json_encoders.before.py").read_text()


def test_json_encoders_are_reported_with_the_fields_a_serializer_covers() -> None:
    [finding] = [f for f in find_findings(BEFORE) if f.code == "PYD020"]
    assert finding.key == "Event.json_encoders" and not finding.fixable
    assert '`@field_serializer("at", "maybe", when_used="json-unless-none")`' in finding.message
    assert "nested models (`inner`)" in finding.message
    config = next(f for f in find_findings(BEFORE) if f.code == "PYD010")
    assert "PYD020" in config.message


def test_the_report_stays_after_migration_and_model_config_keeps_the_encoders() -> None:
    migrated = migrate_source(BEFORE)
    assert "model_config = ConfigDict(json_encoders={datetime:" in migrated
    assert [f.code for f in find_findings(migrated)] == ["PYD020"]


def test_a_model_config_dict_is_reported_too_and_plain_models_are_not() -> None:
    source = (
        "from datetime import date\nfrom pydantic import BaseModel, ConfigDict\n\n"
        "class A(BaseModel):\n    model_config = ConfigDict(json_encoders={date: str})\n"
        "    d: date\n\nclass B(BaseModel):\n    d: date\n"
    )
    assert [(f.code, f.key) for f in find_findings(source)] == [("PYD020", "A.json_encoders")]


def test_what_the_report_says_is_what_v2_does() -> None:
    v1 = _load(_as_v1(BEFORE), "json_encoders_v1")
    v2 = _load(migrate_source(BEFORE), "json_encoders_v2")
    data = {
        "at": datetime(2020, 1, 2),
        "many": [datetime(2021, 1, 1)],
        "inner": {"at": datetime(2022, 3, 4)},
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = json.loads(v1.Event(**data).json())
        after = json.loads(v2.Event(**data).model_dump_json())
    assert before["at"] == after["at"] == "2020"
    assert before["many"] == after["many"] == ["2021"]
    assert before["maybe"] is after["maybe"] is None
    assert before["inner"] == {"at": "2022"}
    assert after["inner"] == {"at": "2022-03-04T00:00:00"}  # the nested model lost it
