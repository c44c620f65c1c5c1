"""PYD026: a V1 URL type's ``.build(...)`` goes to V1's builder from ``pydantic.v1.networks``
(the string V1 built, for any arguments); calls written for V2 are left alone, calls that do not
say which they are are reported, and a module binding the new name keeps a report."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

HEADER = "from pydantic import PostgresDsn, HttpUrl\n\n"


def _pyd026(source: str) -> list[tuple[str, bool]]:
    return [(f.message, f.fixable) for f in find_findings(source) if f.code == "PYD026"]


@pytest.mark.parametrize(
    "arguments",
    [
        'scheme="postgresql", user=user, host=host',
        'scheme="postgresql", host=host, port="5432"',
        'scheme="postgresql", host=host, path="/db"',
        'scheme="postgresql", host=host, path=f"/{db}"',
        "**parts, user=user",
    ],
)
def test_v1_calls_are_sent_to_v1s_builder(arguments: str) -> None:
    source = f"{HEADER}URI = str(PostgresDsn.build({arguments}))\nHOME = HttpUrl\n"
    migrated = migrate_source(source)
    assert "from pydantic.v1.networks import PostgresDsn as PostgresDsnV1\n" in migrated
    assert f"URI = str(PostgresDsnV1.build({arguments}))\n" in migrated
    assert "from pydantic import HttpUrl\n" in migrated  # the other name is still used
    assert migrate_source(migrated) == migrated
    assert _pyd026(migrated) == []
    ((message, fixable),) = _pyd026(source)
    assert fixable and "`username=`" in message and "`//db`" in message


@pytest.mark.parametrize(
    "arguments",
    [
        'scheme="postgresql", username=user, host=host',
        'scheme="postgresql", host=host, port=5432',
        'scheme="postgresql", host=host, path="db"',
        'scheme="postgresql", hosts=[{"host": "a"}]',
    ],
)
def test_calls_written_for_v2_are_left_alone(arguments: str) -> None:
    source = f"{HEADER}URI = str(PostgresDsn.build({arguments}))\nHOME = HttpUrl\n"
    assert migrate_source(source) == source
    assert _pyd026(source) == []


def test_a_call_that_does_not_say_its_version_is_reported_without_fix() -> None:
    source = f'{HEADER}HOME = HttpUrl.build(scheme="https", host=host)\nDSN = PostgresDsn\n'
    assert migrate_source(source) == source
    ((message, fixable),) = _pyd026(source)
    assert not fixable
    assert "from pydantic.v1.networks import HttpUrl as HttpUrlV1" in message


def test_attribute_reads_through_the_module_are_converted_and_the_import_freed() -> None:
    call = 'AnyHttpUrl.build(scheme="https", host="h", port="8443")'
    source = f"import pydantic\n\nHOME = pydantic.{call}\n"
    migrated = migrate_source(source)
    assert migrated == (
        "from pydantic.v1.networks import AnyHttpUrl as AnyHttpUrlV1\n\n"
        f"HOME = {call.replace('AnyHttpUrl', 'AnyHttpUrlV1')}\n"
    )


def test_a_module_binding_the_v1_name_keeps_a_report() -> None:
    source = f'{HEADER}PostgresDsnV1 = 1\nURI = PostgresDsn.build(scheme="p", user="u", host="h")\n'
    assert migrate_source(source) == source
    ((message, fixable),) = _pyd026(source)
    assert not fixable and "already binds `PostgresDsnV1`" in message


def test_build_of_other_classes_and_of_pydantic_v1_is_not_a_finding() -> None:
    source = (
        "from pydantic import BaseModel\nfrom pydantic.v1 import PostgresDsn\n\n"
        "class Url(BaseModel):\n    pass\n\n"
        'A = Url.build(user="u")\nB = PostgresDsn.build(user="u")\n'
    )
    assert _pyd026(source) == []
