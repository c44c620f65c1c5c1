"""Regressions found by extracting every endpoint of real code bases (``python -m bench
extract_realcode``): each is the smallest app showing the bug, called with a TestClient
before and after the extraction (or the refusal, with the reason a user can act on)."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from extract_support import call_app, line_of

from fastapi_architect.extract.context import ExtractRefusal
from fastapi_architect.extract.planner import Extraction, plan_extract
from fastapi_architect.plan import write_plan

sys.path.insert(0, str(Path(__file__).parents[1]))

from venvs import fixture_app_python

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_python() -> Path:
    """An interpreter with FastAPI, httpx and ruff (the fixture apps' cached venv)."""
    return fixture_app_python()


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def extract_in(workspace: Path, relative: str, needle: str) -> Extraction:
    """Extract the endpoint around ``needle`` as the CLI does from ``workspace``."""
    path = workspace / relative
    extraction = plan_extract(
        path.read_text(encoding="utf-8"), path, line_of(path, needle), workspace=workspace
    )
    write_plan(extraction.plan, extraction.root)
    return extraction


def snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*.py"))
    }


def refused_and_unchanged(
    app_python: Path,
    root: Path,
    module: str,
    calls: list[tuple[str, str, object]],
    relative: str,
    needle: str,
) -> str:
    """Extracting at ``needle`` is refused: no file changes and the app answers ``calls`` as
    before. Returns the refusal's text."""
    before = call_app(app_python, root, module, calls)
    files = snapshot(root)
    with pytest.raises(ExtractRefusal) as refusal:
        extract_in(root, relative, needle)
    assert snapshot(root) == files
    assert call_app(app_python, root, module, calls) == before
    return str(refusal.value)


BODY_APP = """\
from typing import Union

from fastapi import FastAPI
from pydantic import BaseModel


class Item(BaseModel):
    name: str
    price: float
{extra}

app = FastAPI()
fake_db: dict[str, float] = {{}}


@app.post("/items/")
def create_item(item: Item) -> dict[str, object]:
    fake_db[item.name] = item.price
    return {{"item": item.model_dump(), "stored": len(fake_db), "model": Item.__doc__}}
"""

BODY_CALLS: list[tuple[str, str, object]] = [
    ("POST", "/items/", {"name": "a", "price": 1.5, "tax": 0.5}),
    ("POST", "/items/", {"name": "b", "price": 2.0}),
]


def test_namesake_apps_in_plain_folders_get_their_own_service_and_schemas_modules(
    tmp_path: Path, app_python: Path
) -> None:
    # fastapi's docs_src: docs_src/body/tutorial001.py and docs_src/body_fields/tutorial001.py
    # live in folders without __init__.py; once they shared docs_src/schemas/tutorial001.py
    # (the second `Item` was refused) and docs_src/services/tutorial001_service.py.
    write(
        tmp_path,
        {
            "docs_src/body/tutorial001.py": BODY_APP.format(extra=""),
            "docs_src/body_fields/tutorial001.py": BODY_APP.format(
                extra='    tax: Union[float, None] = None\n    """Taxed."""'
            ),
        },
    )
    modules = ["docs_src.body.tutorial001", "docs_src.body_fields.tutorial001"]
    before = [call_app(app_python, tmp_path, m, BODY_CALLS) for m in modules]
    for module in modules:
        extract_in(tmp_path, module.replace(".", "/") + ".py", "fake_db[item.name]")
    after = [call_app(app_python, tmp_path, m, BODY_CALLS) for m in modules]
    assert after == before
    assert before[0] != before[1]  # the two `Item` models really differ
    assert sorted(p.name for p in (tmp_path / "docs_src/schemas").glob("*.py")) == [
        "__init__.py",
        "body_fields_tutorial001.py",
        "body_tutorial001.py",
    ]
    assert sorted(p.name for p in (tmp_path / "docs_src/services").glob("*.py")) == [
        "__init__.py",
        "body_fields_tutorial001_service.py",
        "body_tutorial001_service.py",
    ]


def test_model_that_only_starts_like_an_existing_schema_is_refused_not_swapped(
    tmp_path: Path, app_python: Path
) -> None:
    # schema_extra_example/tutorial001's `Item` (with model_config examples) was taken for
    # the `Item` already in the schemas module, because that one's text is a prefix of it.
    existing = '''\
    """Request and response models for items."""

    from pydantic import BaseModel


    class Item(BaseModel):
        name: str
        price: float
    '''
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/schemas/__init__.py": "",
            "app/schemas/item.py": existing,
            "app/items.py": BODY_APP.format(extra='\n    model_config = {"title": "Priced"}'),
        },
    )
    refusal = refused_and_unchanged(
        app_python, tmp_path, "app.items", BODY_CALLS, "app/items.py", "fake_db[item.name]"
    )
    assert refusal == (
        "`Item` already exists in app/schemas/item.py with another definition; rename one "
        "of them (or import the existing one) first"
    )


FILE_APP = """\
from fastapi import FastAPI

some_file_path = "large-video-file.mp4"
app = FastAPI()


@app.get("/")
def main() -> dict[str, str]:
    name = some_file_path.upper()
    return {"path": name}
"""

FILE_TEST = """\
from docs_src.custom_response import tutorial009


def test_get(tmp_path):
    tutorial009.some_file_path = str(tmp_path / "video.mp4")
"""


def test_module_constant_a_test_assigns_stays_and_extraction_says_why(
    tmp_path: Path, app_python: Path
) -> None:
    # custom_response/tutorial009: the test sets `tutorial009.some_file_path`; moved to the
    # service, the endpoint would keep reading the old path.
    write(
        tmp_path,
        {
            "docs_src/custom_response/tutorial009.py": FILE_APP,
            "tests/test_tutorial009.py": FILE_TEST,
        },
    )
    calls: list[tuple[str, str, object]] = [("GET", "/", None)]
    refusal = refused_and_unchanged(
        app_python,
        tmp_path,
        "docs_src.custom_response.tutorial009",
        calls,
        "docs_src/custom_response/tutorial009.py",
        "name = some",
    )
    assert refusal == (
        "`some_file_path` is set from outside tutorial009.py: tests/test_tutorial009.py "
        "does `tutorial009.some_file_path = ...`; it must stay in tutorial009.py — "
        "extraction would give the service a copy that setting does not reach"
    )


TOKEN_APP = """\
from fastapi import FastAPI

app = FastAPI()


def verify_password(plain: str, hashed: str) -> bool:
    return plain[::-1] == hashed


@app.get("/check/{plain}/{hashed}")
def check(plain: str, hashed: str) -> dict[str, bool]:
    ok = verify_password(plain, hashed)
    return {"ok": ok}
"""

TOKEN_TEST = """\
import importlib

import pytest


@pytest.fixture(params=["tutorial005"])
def mod(request):
    return importlib.import_module(f"docs_src.security.{request.param}")


def test_verify_password(mod):
    assert mod.verify_password("abc", "cba")
"""


def test_helper_a_test_reaches_through_import_module_stays_importable(
    tmp_path: Path, app_python: Path
) -> None:
    # security/tutorial005: the test imports the app by a computed name and calls
    # `mod.verify_password`; moved without a re-export, that raised AttributeError.
    write(
        tmp_path,
        {
            "docs_src/security/tutorial005.py": TOKEN_APP,
            "tests/test_tutorial005.py": TOKEN_TEST,
        },
    )
    calls: list[tuple[str, str, object]] = [("GET", "/check/abc/cba", None)]
    module = "docs_src.security.tutorial005"
    before = call_app(app_python, tmp_path, module, calls)
    extract_in(tmp_path, "docs_src/security/tutorial005.py", "ok = verify")
    assert call_app(app_python, tmp_path, module, calls) == before
    helper = subprocess.run(
        [str(app_python), "-c", f"import {module} as m; print(m.verify_password('ab', 'ba'))"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (helper.returncode, helper.stdout.strip()) == (0, "True"), helper.stderr


HERO_APP = """\
from fastapi import FastAPI
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Hero(Base):
    __tablename__ = "hero"
    id: Mapped[int] = mapped_column(primary_key=True)


app = FastAPI()


@app.get("/table")
def table_name() -> dict[str, str]:
    name = Hero.__tablename__
    return {"table": name}
"""


def test_table_model_is_not_moved_to_schemas_and_extraction_says_why(
    tmp_path: Path, app_python: Path
) -> None:
    # sql_databases/tutorial001: `class Hero(SQLModel, table=True)` went to schemas/; the
    # tests clear SQLModel's registry and re-import the app, which then had no table.
    write(tmp_path, {"main.py": HERO_APP})
    calls: list[tuple[str, str, object]] = [("GET", "/table", None)]
    refusal = refused_and_unchanged(app_python, tmp_path, "main", calls, "main.py", "name = Hero")
    assert refusal == (
        "`Hero` is a database table model defined in main.py; it is neither a "
        "request/response schema nor service logic — move it to a models module first, "
        "then extract"
    )


def test_model_moved_from_below_the_imports_leaves_the_gap_ruffs_isort_wants(
    tmp_path: Path, app_python: Path
) -> None:
    # body/tutorial001: the class between the imports and `app = FastAPI()` moved out and
    # left two blank lines there; ruff's isort (I001) wants one before a plain statement.
    app = BODY_APP.format(extra="    tax: Union[float, None] = None")
    write(tmp_path, {"docs_src/body/tutorial001.py": app})
    module = "docs_src.body.tutorial001"
    before = call_app(app_python, tmp_path, module, BODY_CALLS)
    extract_in(tmp_path, "docs_src/body/tutorial001.py", "fake_db[item.name]")
    assert call_app(app_python, tmp_path, module, BODY_CALLS) == before
    ruff = [str(app_python.with_name("ruff")), "check", "--no-cache", "--isolated"]
    lint = subprocess.run(
        [*ruff, "--select", "I,E,F,W", "docs_src"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    text = (tmp_path / "docs_src/body/tutorial001.py").read_text(encoding="utf-8")
    assert "import tutorial001_service\n\napp = FastAPI()\n" in text


RAISE_APP = """\
from fastapi import FastAPI, HTTPException

app = FastAPI()
items = {"foo": "The Foo Wrestlers"}


@app.get("/items/{item_id}")
def read_item(item_id: str) -> dict[str, str]:
    try:
        name = items[item_id]
    except KeyError:
        raise HTTPException(status_code=404, detail="Item not found")
    return {"item": name}
"""

RAISE_CONFIG = """\
[tool.ruff.lint]
select = ["E", "F", "I", "B"]

[tool.ruff.lint.per-file-ignores]
"docs_src/handling_errors/tutorial007.py" = ["B904"]
"""


def test_rule_the_project_exempts_the_endpoint_module_from_stays_exempt_in_the_service(
    tmp_path: Path, app_python: Path
) -> None:
    # path_operation_advanced_configuration/tutorial007: fastapi's config ignores B904 for
    # that file; the moved `raise` without `from` made B904 fire in the new service module.
    write(
        tmp_path,
        {"pyproject.toml": RAISE_CONFIG, "docs_src/handling_errors/tutorial007.py": RAISE_APP},
    )
    module = "docs_src.handling_errors.tutorial007"
    calls: list[tuple[str, str, object]] = [("GET", "/items/foo", None), ("GET", "/items/x", None)]
    before = call_app(app_python, tmp_path, module, calls)
    extract_in(tmp_path, "docs_src/handling_errors/tutorial007.py", "name = items")
    assert call_app(app_python, tmp_path, module, calls) == before
    config = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    entry = '"docs_src/services/tutorial007_service.py" = ["B904"]\n'
    header = "[tool.ruff.lint.per-file-ignores]\n"
    assert config == RAISE_CONFIG.replace(header, header + entry)
    ruff = str(app_python.with_name("ruff"))
    lint = subprocess.run(
        [ruff, "check", "--no-cache", "."], cwd=tmp_path, capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout


SECRET_APP = """\
from fastapi import FastAPI

SECRET_KEY = "s3cret"
app = FastAPI()


def verify_password(plain: str) -> bool:
    return plain == SECRET_KEY


@app.get("/login/{plain}")
def login(plain: str) -> dict[str, bool]:
    ok = verify_password(plain)
    return {"ok": ok}
"""

SECRET_TEST = """\
from docs_src.security import tutorial005


def test_verify() -> None:
    assert tutorial005.verify_password(tutorial005.SECRET_KEY)
"""


def test_generated_all_is_in_the_order_ruff_wants(tmp_path: Path, app_python: Path) -> None:
    # security/tutorial005: `__all__` listed SECRET_KEY after OAuth2PasswordBearer (RUF022).
    write(
        tmp_path,
        {"docs_src/security/tutorial005.py": SECRET_APP, "tests/test_it.py": SECRET_TEST},
    )
    module = "docs_src.security.tutorial005"
    calls: list[tuple[str, str, object]] = [("GET", "/login/s3cret", None)]
    before = call_app(app_python, tmp_path, module, calls)
    extract_in(tmp_path, "docs_src/security/tutorial005.py", "ok = verify")
    assert call_app(app_python, tmp_path, module, calls) == before
    text = (tmp_path / "docs_src/security/tutorial005.py").read_text(encoding="utf-8")
    listed = next(
        ast.literal_eval(node.value)
        for node in ast.parse(text).body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__"
    )
    assert listed == [
        "SECRET_KEY",
        "FastAPI",
        "app",
        "login",
        "tutorial005_service",
        "verify_password",
    ]
    ruff = [str(app_python.with_name("ruff")), "check", "--no-cache", "--isolated"]
    lint = subprocess.run(
        [*ruff, "--select", "RUF022,F401", "docs_src"], cwd=tmp_path, capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout


def test_endpoint_whose_body_is_only_pass_is_refused_as_having_no_logic(tmp_path: Path) -> None:
    # openapi_callbacks/tutorial001: a callback declaration (`pass`) became a service
    # function whose `pass` ruff flags (PIE790).
    app = textwrap.dedent("""\
        from fastapi import APIRouter

        router = APIRouter()


        @router.post("/x")
        def hook():
            pass
        """)
    write(tmp_path, {"main.py": app})
    with pytest.raises(ExtractRefusal) as refusal:
        extract_in(tmp_path, "main.py", "pass")
    assert str(refusal.value) == "`hook` has no logic to extract (its body is only `pass` or `...`)"
    assert (tmp_path / "main.py").read_text(encoding="utf-8") == app


UNION_APP = """\
from fastapi import FastAPI

app = FastAPI()


@app.get("/items/")
def read_items(q: str | None = None) -> dict[str, str | None]:
    shout = q.upper() if q else None
    return {"q": shout}
"""


def test_service_signature_with_unions_gets_the_future_import_older_pythons_need(
    tmp_path: Path, app_python: Path
) -> None:
    # body/tutorial001_py310 under fastapi's requires-python >=3.8: the copied signature
    # `q: str | None` made ruff's FA102 fire once more, in the new service module.
    write(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "demo"\nrequires-python = ">=3.8"\n\n'
                "[tool.ruff]\nline-length = 88\n"
            ),
            "docs_src/query/tutorial001_py310.py": UNION_APP,
        },
    )
    module = "docs_src.query.tutorial001_py310"
    calls: list[tuple[str, str, object]] = [("GET", "/items/?q=hi", None), ("GET", "/items/", None)]
    before = call_app(app_python, tmp_path, module, calls)
    extraction = extract_in(tmp_path, "docs_src/query/tutorial001_py310.py", "shout = q")
    assert call_app(app_python, tmp_path, module, calls) == before
    service = (extraction.root / extraction.service_path).read_text(encoding="utf-8")
    assert "from __future__ import annotations\n" in service
    ruff = [str(app_python.with_name("ruff")), "check", "--no-cache", "--isolated"]
    lint = subprocess.run(
        [*ruff, "--target-version", "py38", "--select", "FA102,I,F", str(extraction.service_path)],
        cwd=extraction.root,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout


def test_logic_using_the_app_object_is_refused_with_what_to_do(tmp_path: Path) -> None:
    # custom_docs_ui/tutorial001: the docs page is built from `app.openapi_url`.
    app = textwrap.dedent("""\
        from fastapi import FastAPI

        app = FastAPI(docs_url=None)


        @app.get("/docs")
        def docs() -> dict[str, str]:
            url = app.openapi_url or ""
            return {"openapi": url}
        """)
    write(tmp_path, {"main.py": app})
    with pytest.raises(ExtractRefusal) as refusal:
        extract_in(tmp_path, "main.py", "url = app")
    assert str(refusal.value) == (
        "the logic uses `app`, the module's router/app object, which stays with the endpoints; "
        "pass what it needs from `app` (e.g. `app.title`) to the logic as an argument first, "
        "or keep this endpoint as it is"
    )
    assert (tmp_path / "main.py").read_text(encoding="utf-8") == app


LIST_APP = """\
from fastapi import FastAPI

app = FastAPI()
NAMES = ["Portal Gun", "Plumbus"]


@app.post("/items/")
def create_item(name: str):
    shout = name.upper()
    return {"name": shout}


@app.get("/items/")
def read_items() -> list[str]:
    names = sorted(NAMES)
    return names
"""


def test_service_extended_with_a_list_annotation_gets_the_future_import_too(
    tmp_path: Path, app_python: Path
) -> None:
    # separate_openapi_schemas/tutorial001_py39: the first extraction created the service
    # without `list[...]`; the second appended `-> list[Item]` and FA102 fired (py38 target).
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "d"\nrequires-python = ">=3.8"\n\n[tool.ruff]\n',
            "docs_src/items/tutorial001_py39.py": LIST_APP,
        },
    )
    module = "docs_src.items.tutorial001_py39"
    calls: list[tuple[str, str, object]] = [
        ("POST", "/items/?name=a", None),
        ("GET", "/items/", None),
    ]
    before = call_app(app_python, tmp_path, module, calls)
    extract_in(tmp_path, "docs_src/items/tutorial001_py39.py", "shout = name")
    extraction = extract_in(tmp_path, "docs_src/items/tutorial001_py39.py", "names = sorted")
    assert call_app(app_python, tmp_path, module, calls) == before
    service = (extraction.root / extraction.service_path).read_text(encoding="utf-8")
    assert service.count("from __future__ import annotations\n") == 1
    ruff = [str(app_python.with_name("ruff")), "check", "--no-cache", "--isolated"]
    lint = subprocess.run(
        [*ruff, "--target-version", "py38", "--select", "FA102,I,F", str(extraction.service_path)],
        cwd=extraction.root,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout
