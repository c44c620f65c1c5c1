"""``fastapi-architect new`` and ``add-resource`` from the shell: output, refusals, rollback."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastapi_architect import plan as plan_module
from fastapi_architect.cli import main


def test_new_writes_the_service_and_prints_tree_and_next_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "billing"
    assert main(["new", str(target), "--orm", "async", "--docker", "slim"]) == 0
    out = capsys.readouterr().out
    assert "Created billing in" in out
    assert "\n      main.py\n" not in out  # main.py sits directly under app/
    assert "\n    main.py\n" in out
    assert 'pip install -e ".[dev]"' in out
    assert "uvicorn app.main:app" in out
    assert (target / "app/main.py").is_file()
    assert "FROM python:3.12-slim" in (target / "Dockerfile").read_text(encoding="utf-8")
    assert (target / "scripts/prestart.sh").stat().st_mode & 0o111


def test_new_with_description_and_no_inference(tmp_path: Path) -> None:
    target = tmp_path / "plain"
    assert main(["new", str(target), "--no-inference", "--description", "Invoices"]) == 0
    assert not (target / "app/ml").exists()
    assert 'description = "Invoices"' in (target / "pyproject.toml").read_text(encoding="utf-8")


def test_new_refuses_a_non_empty_directory_listing_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(tmp_path / "busy")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is not empty (keep.txt)" in err
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["keep.txt"]


def test_new_refuses_an_invalid_directory_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", str(tmp_path / "bad name")]) == 2
    assert "invalid project name 'bad name'" in capsys.readouterr().err
    assert not (tmp_path / "bad name").exists()


def test_a_failure_mid_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_write = plan_module.write_text_exact
    written: list[Path] = []

    def failing_write(path: Path, text: str) -> None:
        if len(written) == 10:
            raise OSError(28, "No space left on device")
        written.append(path)
        real_write(path, text)

    monkeypatch.setattr(plan_module, "write_text_exact", failing_write)
    target = tmp_path / "half"
    assert main(["new", str(target)]) == 2
    assert "nothing was kept" in capsys.readouterr().err
    assert len(written) == 10
    assert not target.exists()


def test_add_resource_from_inside_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "shop"
    assert main(["new", str(target)]) == 0
    capsys.readouterr()
    assert main(["add-resource", "order_item", "--project", str(target / "app")]) == 0
    out = capsys.readouterr().out
    assert "order_items.py" in out
    assert "Edited: app/api/v1/router.py, app/models/__init__.py, app/api/deps.py" in out
    assert (target / "app/models/order_item.py").is_file()


def test_add_resource_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add-resource", "order", "--project", str(tmp_path)]) == 2
    assert "no scaffolded project at" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "shop")]) == 0
    capsys.readouterr()
    assert main(["add-resource", "Orders!", "--project", str(tmp_path / "shop")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "invalid resource name 'Orders!'" in err


def test_add_resource_public_flag_leaves_the_endpoints_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "shop"
    assert main(["new", str(target)]) == 0
    assert main(["add-resource", "order", "--project", str(target)]) == 0
    assert "(endpoints requiring a signed-in user)" in capsys.readouterr().out
    assert main(["add-resource", "tag", "--public", "--project", str(target)]) == 0
    assert "(endpoints open to anyone)" in capsys.readouterr().out
    orders = (target / "app/api/v1/endpoints/orders.py").read_text(encoding="utf-8")
    tags = (target / "app/api/v1/endpoints/tags.py").read_text(encoding="utf-8")
    assert "dependencies=[Depends(get_current_user)]" in orders
    assert "get_current_user" not in tags
    assert "test_every_endpoint_needs_a_user" in (target / "tests/test_orders.py").read_text()
    assert "test_endpoints_answer_without_a_token" in (target / "tests/test_tags.py").read_text()
