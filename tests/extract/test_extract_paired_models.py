"""A request model that moves to the schemas module takes the response model the endpoint
declares with it (``response_model=``), or the extraction is refused: a resource's models are
never split between the endpoint module and the schemas module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from extract_support import call_app, extract, make_project

from fastapi_architect.extract.context import ExtractRefusal

sys.path.insert(0, str(Path(__file__).parents[1]))

from venvs import fixture_app_python

ITEMS = """\
from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()
ITEMS: dict[int, dict[str, object]] = {}


class ItemBase(BaseModel):
    name: str = Field(min_length=1)


class ItemCreate(ItemBase):
    price: int = Field(ge=0)


class ItemRead(ItemBase):
    id: int
    price: int


@app.post("/items", response_model=ItemRead, status_code=201)
def create_item(item: ItemCreate) -> dict[str, object]:
    new_id = len(ITEMS) + 1
    ITEMS[new_id] = {"id": new_id, **item.model_dump(), "secret": "hidden"}
    return ITEMS[new_id]


@app.get("/items/{item_id}", response_model=ItemRead)
def read_item(item_id: int) -> dict[str, object]:
    found = ITEMS[item_id]
    return found
"""


@pytest.mark.slow
def test_response_model_moves_to_schemas_with_its_request_model(
    tmp_path: Path,
) -> None:
    python = fixture_app_python()
    make_project(tmp_path, {"main.py": ITEMS})
    calls: list[tuple[str, str, object]] = [
        ("POST", "/items", {"name": "pen", "price": 3}),
        ("POST", "/items", {"name": "", "price": 3}),
        ("GET", "/items/1", None),
    ]
    before = call_app(python, tmp_path, "main", calls)
    extraction = extract(tmp_path / "main.py", "new_id = len(ITEMS)")
    assert extraction.schemas_path is not None
    schemas = (tmp_path / extraction.schemas_path).read_text()
    module = (tmp_path / "main.py").read_text()
    for model in ("ItemBase", "ItemCreate", "ItemRead"):
        assert f"class {model}(" in schemas
        assert f"class {model}(" not in module
    assert "from schemas.main import ItemCreate, ItemRead\n" in module
    assert call_app(python, tmp_path, "main", calls) == before
    assert before[0] == [201, {"name": "pen", "id": 1, "price": 3}]  # response_model filters
    ruff = subprocess.run(
        [str(python), "-m", "ruff", "check", "--no-cache", "--isolated", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ruff.returncode == 0, ruff.stdout


def test_response_model_stays_when_no_model_moves(tmp_path: Path) -> None:
    make_project(tmp_path, {"main.py": ITEMS})
    extraction = extract(tmp_path / "main.py", "found = ITEMS[item_id]")
    assert extraction.schemas_path is None
    assert "class ItemRead(ItemBase):" in (tmp_path / "main.py").read_text()


def test_paired_response_model_that_cannot_move_keeps_the_request_model_too(
    tmp_path: Path,
) -> None:
    text = ITEMS.replace(
        "class ItemRead(ItemBase):\n    id: int\n    price: int\n",
        "if ItemBase:\n\n    class ItemRead(ItemBase):\n        id: int\n        price: int\n",
    )
    make_project(tmp_path, {"main.py": text})
    with pytest.raises(ExtractRefusal) as refusal:
        extract(tmp_path / "main.py", "new_id = len(ITEMS)")
    assert str(refusal.value) == (
        "`ItemBase`, `ItemCreate` would move to the schemas module without `ItemRead`, which "
        "the endpoint declares with it; they move together or not at all, and `ItemRead` "
        "cannot: `ItemRead` is bound by a top-level `if` statement"
    )
    assert (tmp_path / "main.py").read_text() == text
    assert not (tmp_path / "schemas").exists()


def test_private_paired_response_model_refuses_the_move_with_the_reason(tmp_path: Path) -> None:
    make_project(tmp_path, {"main.py": ITEMS.replace("ItemRead", "_ItemRead")})
    with pytest.raises(ExtractRefusal) as refusal:
        extract(tmp_path / "main.py", "new_id = len(ITEMS)")
    assert str(refusal.value) == (
        "`_ItemRead` is private to main.py and still used there by line 21; it stays — "
        "make it public or move it to a shared module first"
    )
