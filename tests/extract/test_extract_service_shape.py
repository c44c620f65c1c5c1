"""What the service function looks like: no FastAPI markers or mutable defaults, an honest
return type, the full route in its docstring, and tidy modules on both sides."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from extract_support import call_app, extract
from tests.venvs import fixture_app_python


@pytest.fixture(scope="module")
def app_python() -> Path:
    """An interpreter with FastAPI and httpx (the fixture apps' cached venv)."""
    return fixture_app_python()


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def ruff(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )


MARKERS = """\
from fastapi import FastAPI, Query
from pydantic import Required

app = FastAPI()


@app.get("/search")
def search(q: str = Query(...), page: int = ..., size: int = Required, sort: str = "name"):
    return {"q": q, "page": page, "size": size, "sort": sort}
"""


def test_fastapi_markers_ellipsis_and_required_never_become_service_defaults(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "main.py", MARKERS)
    extraction = extract(path, "return {")

    service = (tmp_path / extraction.service_path).read_text(encoding="utf-8")
    assert 'def search(q: str, page: int, size: int, sort: str = "name"):' in service
    assert "Required" not in service
    assert "Query" not in service
    assert "..." not in service


LIST_QUERY = """\
from fastapi import FastAPI, Query

app = FastAPI()


@app.get("/tags")
def tags(tag: list[str] = Query(["a", "b"]), extra: dict[str, int] = {}) -> list[str]:
    return [*tag, *extra]
"""


def test_query_list_default_is_passed_explicitly_never_a_mutable_service_default(
    tmp_path: Path, app_python: Path
) -> None:
    path = write(tmp_path / "main.py", LIST_QUERY)
    calls: list[tuple[str, str, object]] = [("GET", "/tags", None), ("GET", "/tags?tag=z", None)]
    before = call_app(app_python, tmp_path, "main", calls)
    extraction = extract(path, "return [")

    service_path = tmp_path / extraction.service_path
    assert "def tags(tag: list[str], extra: dict[str, int]) -> list[str]:" in (
        service_path.read_text(encoding="utf-8")
    )
    assert ruff("check", "--isolated", "--select", "B006", str(service_path)).returncode == 0
    assert (
        call_app(app_python, tmp_path, "main", calls) == before == [[200, ["a", "b"]], [200, ["z"]]]
    )


RESPONSE_MODEL = """\
from fastapi import FastAPI
from pydantic import BaseModel


class User(BaseModel):
    name: str


class Row:
    def __init__(self, name: str) -> None:
        self.name = name


app = FastAPI()


@app.get("/users/row", response_model=User)
def read_row():
    return Row("ann")


@app.get("/users/built", response_model=User)
def read_built():
    return User(name="bob")
"""


def test_response_model_is_the_return_type_only_when_the_function_builds_that_model(
    tmp_path: Path, app_python: Path
) -> None:
    path = write(tmp_path / "main.py", RESPONSE_MODEL)
    calls: list[tuple[str, str, object]] = [
        ("GET", "/users/row", None),
        ("GET", "/users/built", None),
    ]
    before = call_app(app_python, tmp_path, "main", calls)
    extraction = extract(path, 'return Row("ann")')
    extract(path, 'return User(name="bob")')

    service = (tmp_path / extraction.service_path).read_text(encoding="utf-8")
    assert "def read_row():" in service
    assert "def read_built() -> User:" in service
    assert (
        call_app(app_python, tmp_path, "main", calls)
        == before
        == [
            [200, {"name": "ann"}],
            [200, {"name": "bob"}],
        ]
    )


PREFIXED = """\
from fastapi import APIRouter

router = APIRouter(prefix="/items", tags=["items"])


@router.get("/")
def list_items() -> list[int]:
    return [1, 2]
"""


def test_docstring_names_the_full_route_with_the_router_prefix(tmp_path: Path) -> None:
    path = write(tmp_path / "items.py", PREFIXED)
    extraction = extract(path, "return [1, 2]")

    service = (tmp_path / extraction.service_path).read_text(encoding="utf-8")
    assert '"""Business logic of the ``GET /items/`` endpoint."""' in service


CONSTANTS_FIRST = """\
LIMIT = 3
OFFSET = 1
NAME = "n"

from fastapi import FastAPI  # noqa: E402

app = FastAPI()


@app.get("/")
def read() -> list[object]:
    return [LIMIT, OFFSET, NAME]
"""


def test_edited_endpoint_module_never_starts_with_a_blank_line(tmp_path: Path) -> None:
    path = write(tmp_path / "main.py", CONSTANTS_FIRST)
    extract(path, "return [LIMIT")

    assert path.read_text(encoding="utf-8").startswith("from fastapi import FastAPI")


def test_moved_constants_stay_together_and_the_service_is_ruff_formatted(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "main.py", CONSTANTS_FIRST)
    extraction = extract(path, "return [LIMIT")

    service_path = tmp_path / extraction.service_path
    assert 'LIMIT = 3\nOFFSET = 1\nNAME = "n"\n' in service_path.read_text(encoding="utf-8")
    assert ruff("format", "--isolated", "--check", str(service_path)).returncode == 0
