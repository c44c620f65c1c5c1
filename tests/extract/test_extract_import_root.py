"""The import root comes from the project's configuration; generated imports resolve from it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from extract_support import call_app, line_of
from tests.venvs import fixture_app_python

from fastapi_architect.extract.context import ExtractRefusal
from fastapi_architect.extract.import_root import find_import_root
from fastapi_architect.extract.planner import Extraction, plan_extract
from fastapi_architect.plan import write_plan
from fastapi_architect.project_files import DISK

CRUD = """\
ITEMS = {1: "one", 2: "two"}


def get(item_id: int) -> str:
    return ITEMS.get(item_id, "none")
"""

NAMESPACE_MAIN = """\
from fastapi import FastAPI

from . import crud

app = FastAPI()


@app.get("/items/{item_id}")
def read_item(item_id: int) -> dict[str, str]:
    name = crud.get(item_id)
    return {"name": name.upper()}
"""

CALLS: list[tuple[str, str, object]] = [("GET", "/items/1", None), ("GET", "/items/7", None)]
ANSWERS = [[200, {"name": "ONE"}], [200, {"name": "NONE"}]]


@pytest.fixture(scope="module")
def app_python() -> Path:
    """An interpreter with FastAPI and httpx (the fixture apps' cached venv)."""
    return fixture_app_python()


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def extract_at(path: Path, needle: str, root: Path | None = None) -> Extraction:
    extraction = plan_extract(
        path.read_text(encoding="utf-8"), path, line_of(path, needle), root=root
    )
    write_plan(extraction.plan, extraction.root)
    return extraction


def test_namespace_package_keeps_relative_imports_and_stays_importable(
    tmp_path: Path, app_python: Path
) -> None:
    write(
        tmp_path,
        {
            "acme/api/__init__.py": "",
            "acme/api/crud.py": CRUD,
            "acme/api/main.py": NAMESPACE_MAIN,
        },
    )
    before = call_app(app_python, tmp_path, "acme.api.main", CALLS)
    extraction = extract_at(tmp_path / "acme/api/main.py", "crud.get", root=tmp_path)

    assert before == ANSWERS
    assert call_app(app_python, tmp_path, "acme.api.main", CALLS) == ANSWERS
    service = (tmp_path / extraction.service_path).read_text(encoding="utf-8")
    assert "from .. import crud" in service
    endpoint = (tmp_path / "acme/api/main.py").read_text(encoding="utf-8")
    assert "from .services import main_service" in endpoint
    assert extraction.service_path.as_posix() == "acme/api/services/main_service.py"


def test_hatch_packages_in_a_src_layout_set_the_import_root(
    tmp_path: Path, app_python: Path
) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": """\
                [project]
                name = "acme-api"
                [tool.hatch.build.targets.wheel]
                packages = ["src/acme"]
            """,
            "src/acme/api/__init__.py": "",
            "src/acme/api/crud.py": CRUD,
            "src/acme/api/main.py": NAMESPACE_MAIN.replace(
                "from . import crud", "from acme.api import crud"
            ),
        },
    )
    extraction = extract_at(tmp_path / "src/acme/api/main.py", "crud.get")

    assert extraction.root == (tmp_path / "src").resolve()
    service = (tmp_path / "src" / extraction.service_path).read_text(encoding="utf-8")
    assert "from acme.api import crud" in service
    assert call_app(app_python, tmp_path / "src", "acme.api.main", CALLS) == ANSWERS


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ('[tool.setuptools]\npackage-dir = {"" = "lib"}\n', "lib"),
        ('[tool.setuptools.packages.find]\nwhere = ["lib"]\n', "lib"),
        ('[tool.poetry]\npackages = [{include = "acme", from = "lib"}]\n', "lib"),
        ('[tool.ruff]\nsrc = [".", "lib"]\n', "lib"),
        ('[tool.pytest.ini_options]\npythonpath = ["lib"]\n', "lib"),
        ("[project]\nname = 'x'\n", "."),
    ],
)
def test_import_root_is_read_from_the_project_configuration(
    tmp_path: Path, config: str, expected: str
) -> None:
    write(tmp_path, {"pyproject.toml": config, "lib/acme/api/main.py": NAMESPACE_MAIN})

    found = find_import_root((tmp_path / "lib/acme/api/main.py").resolve(), DISK)

    assert found is not None
    assert found[0] == (tmp_path / expected).resolve()


def test_src_layout_without_package_settings_imports_from_src(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n", "src/acme/main.py": ""})

    found = find_import_root((tmp_path / "src/acme/main.py").resolve(), DISK)

    assert found is not None
    assert found[0] == (tmp_path / "src").resolve()


def test_import_that_does_not_resolve_from_the_root_is_refused_with_the_reason(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.ruff]\nsrc = ['.']\n",
            "backend/app/__init__.py": "",
            "backend/app/crud.py": CRUD,
            "backend/app/main.py": NAMESPACE_MAIN.replace(
                "from . import crud", "from app import crud"
            ),
        },
    )
    path = tmp_path / "backend/app/main.py"
    text = path.read_text(encoding="utf-8")

    with pytest.raises(ExtractRefusal, match=r"`crud` from `app`.*does not resolve"):
        plan_extract(text, path, line_of(path, "crud.get"))


def test_second_extraction_reuses_the_existing_absolute_service_import(
    tmp_path: Path, app_python: Path
) -> None:
    main = NAMESPACE_MAIN + textwrap.dedent(
        """

        @app.get("/names/{item_id}")
        def read_name(item_id: int) -> str:
            return crud.get(item_id)
        """
    )
    write(
        tmp_path,
        {"acme/api/__init__.py": "", "acme/api/crud.py": CRUD, "acme/api/main.py": main},
    )
    path = tmp_path / "acme/api/main.py"
    extraction = extract_at(path, "name = crud.get", root=tmp_path)
    absolute = path.read_text(encoding="utf-8").replace(
        "from .services import", "from acme.api.services import"
    )
    path.write_text(absolute, encoding="utf-8")
    extract_at(path, "return crud.get", root=tmp_path)

    endpoint = path.read_text(encoding="utf-8")
    assert endpoint.count("import main_service") == 1
    service = (tmp_path / extraction.service_path).read_text(encoding="utf-8")
    assert service.count("import crud") == 1
    calls = [*CALLS, ("GET", "/names/2", None)]
    assert call_app(app_python, tmp_path, "acme.api.main", calls) == [*ANSWERS, [200, "two"]]


def test_flat_app_below_a_plain_folder_keeps_importing_its_siblings(
    tmp_path: Path, app_python: Path
) -> None:
    write(
        tmp_path,
        {
            "backend/crud.py": CRUD,
            "backend/main.py": NAMESPACE_MAIN.replace("from . import crud", "import crud"),
        },
    )
    extraction = extract_at(tmp_path / "backend/main.py", "crud.get", root=tmp_path)

    assert extraction.service_path.as_posix() == "backend/services/main_service.py"
    assert call_app(app_python, tmp_path / "backend", "main", CALLS) == ANSWERS


@pytest.mark.parametrize(
    ("name", "config"),
    [
        ("pytest.ini", "[pytest]\npythonpath = lib\n"),
        ("setup.cfg", "[tool:pytest]\npythonpath = lib\n"),
        ("setup.cfg", "[options]\npackage_dir =\n    =lib\n"),
        ("ruff.toml", 'src = ["lib"]\n'),
    ],
)
def test_import_root_is_read_from_ini_and_ruff_files(
    tmp_path: Path, name: str, config: str
) -> None:
    write(tmp_path, {name: config, "lib/acme/api/main.py": NAMESPACE_MAIN})

    found = find_import_root((tmp_path / "lib/acme/api/main.py").resolve(), DISK)

    assert found is not None
    assert found[0] == (tmp_path / "lib").resolve()
