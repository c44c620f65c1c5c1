"""``fastapi-architect check`` reports FA101–FA107 next to the PYD codes, in every format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fastapi_architect.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "violations"

EXPECTED = [
    ("app/api/v1/endpoints/items.py", 7, "FA105"),
    ("app/api/v1/endpoints/items.py", 16, "FA103"),
    ("app/api/v1/endpoints/items.py", 24, "FA103"),
    ("app/api/v1/endpoints/items.py", 25, "FA106"),
    ("app/api/v1/endpoints/users.py", 5, "FA101"),
    ("app/main.py", 18, "FA102"),
    ("app/services/item_service.py", 6, "FA105"),
    ("app/services/item_service.py", 14, "FA104"),
    ("app/services/item_service.py", 16, "FA107"),
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "violations"
    shutil.copytree(FIXTURE, root)
    monkeypatch.chdir(root)
    return root


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    code = main(["check", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_check_reports_every_fa_code_with_its_position(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows = _json(capsys, ".")
    assert code == 1
    assert [(r["path"], r["line"], r["code"]) for r in rows] == EXPECTED
    assert all(r["fixable"] is False for r in rows)


def test_select_and_ignore_take_fa_codes_and_prefixes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, rows = _json(capsys, ".", "--select", "FA10", "--ignore", "FA101,FA102", "--ignore", "FA105")
    assert [r["code"] for r in rows] == ["FA103", "FA103", "FA106", "FA104", "FA107"]
    _, rows = _json(capsys, ".", "--select", "PYD")
    assert rows == []
    code, rows = _json(capsys, ".", "--ignore", "FA")
    assert (code, rows) == (0, [])


def test_text_and_github_formats(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "app/services", "--select", "FA104"]) == 1
    out, err = capsys.readouterr()
    assert out == (
        "app/services/item_service.py:14:9: FA104 HTTPException 404 raised in the service "
        "layer: services should not know HTTP. Raise a domain error here and map it to a "
        "response in the API layer.\n"
    )
    assert err.startswith("1 finding (0 fixable) in 1 file;")
    assert main(["check", ".", "--select", "FA107", "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith(
        "::warning file=app/services/item_service.py,line=16,col=5,title=FA107::"
        "AsyncSession.commit() is not awaited"
    )


def test_checking_one_folder_still_sees_the_layers_around_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, rows = _json(capsys, "app/services/item_service.py")
    assert [(r["line"], r["code"]) for r in rows] == [(6, "FA105"), (14, "FA104"), (16, "FA107")]


def test_unknown_fa_code_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", ".", "--select", "FA199"]) == 2
    err = capsys.readouterr().err
    assert "unknown code 'FA199'" in err and "FA107" in err


def test_migrate_still_only_knows_pydantic_codes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate", ".", "--check", "--select", "FA103"]) == 2
    assert "unknown code 'FA103'" in capsys.readouterr().err
