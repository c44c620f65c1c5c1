"""Extraction keeps behaviour: the app answers the same before and after (TestClient, fresh
interpreter), or the extraction is refused with a reason the user can act on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from extract_support import call_app, extract, make_project

from fastapi_architect.extract.planner import ExtractRefusal

sys.path.insert(0, str(Path(__file__).parents[1]))

from venvs import fixture_app_python

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_python() -> Path:
    """An interpreter with FastAPI and httpx (the fixture apps' cached venv)."""
    return fixture_app_python()


COUNTER = """\
from fastapi import FastAPI

app = FastAPI()
counter = 0
STEP = 1


def bump() -> None:
    global counter
    counter += STEP


@app.get("/count")
def read_count() -> dict[str, int]:
    value = counter * 1
    return {"count": value}


@app.post("/count")
def increment() -> dict[str, int]:
    bump()
    return {"count": counter}


@app.get("/step")
def read_step() -> dict[str, int]:
    doubled = STEP * 2
    return {"step": doubled}
"""

CALLS: list[tuple[str, str, object]] = [
    ("POST", "/count", None),
    ("POST", "/count", None),
    ("GET", "/count", None),
    ("GET", "/step", None),
]


def test_name_rebound_by_a_global_statement_stays_and_extraction_says_why(
    tmp_path: Path, app_python: Path
) -> None:
    make_project(tmp_path, {"main.py": COUNTER})
    main = tmp_path / "main.py"
    before = call_app(app_python, tmp_path, "main", CALLS)
    with pytest.raises(ExtractRefusal) as refusal:
        extract(main, "value = counter")
    assert str(refusal.value) == (
        "`counter` is rebound by `bump` (global statement); it must stay in main.py — "
        "extraction would give the service a stale copy"
    )
    extract(main, "doubled = STEP")  # a constant nobody rebinds still moves
    assert "counter = 0" in main.read_text()
    assert (
        call_app(app_python, tmp_path, "main", CALLS)
        == before
        == [
            [200, {"count": 1}],
            [200, {"count": 2}],
            [200, {"count": 2}],
            [200, {"step": 2}],
        ]
    )


@pytest.mark.parametrize(
    ("rebinding", "how"),
    [
        ("counter += 1\n", "augmented assignment at module level"),
        ("counter = 5\n", "assignment at module level"),
        ("del counter\ncounter = 3\n", "`del` at module level"),
    ],
)
def test_name_rebound_at_module_level_stays_and_extraction_says_why(
    tmp_path: Path, rebinding: str, how: str
) -> None:
    make_project(
        tmp_path,
        {
            "main.py": "from fastapi import FastAPI\n\napp = FastAPI()\ncounter = 0\n"
            + rebinding
            + '\n\n@app.get("/count")\ndef read_count() -> int:\n    value = counter\n'
            + "    return value\n"
        },
    )
    with pytest.raises(ExtractRefusal) as refusal:
        extract(tmp_path / "main.py", "value = counter")
    assert str(refusal.value) == (
        f"`counter` is rebound by {how}; it must stay in main.py — "
        "extraction would give the service a stale copy"
    )


ITEMS = """\
from fastapi import APIRouter

router = APIRouter()
fake_db: dict[str, str] = {}


@router.post("/items/{key}")
def create_item(key: str, value: str) -> dict[str, str]:
    fake_db[key] = value
    return fake_db


@router.get("/items")
def list_items() -> dict[str, str]:
    return fake_db
"""

VERSIONED_APP = """\
from fastapi import FastAPI

from app.api.v1 import items as items_v1
from app.api.v2 import items as items_v2

app = FastAPI()
app.include_router(items_v1.router, prefix="/v1")
app.include_router(items_v2.router, prefix="/v2")
"""


def test_sibling_modules_with_identical_state_get_their_own_service_modules(
    tmp_path: Path, app_python: Path
) -> None:
    make_project(
        tmp_path,
        {
            "app/main.py": VERSIONED_APP,
            "app/api/v1/items.py": ITEMS,
            "app/api/v2/items.py": ITEMS,
            "app/api/v2/__init__.py": "",
        },
    )
    calls: list[tuple[str, str, object]] = [
        ("POST", "/v1/items/a?value=1", None),
        ("GET", "/v2/items", None),
        ("POST", "/v2/items/b?value=2", None),
        ("GET", "/v1/items", None),
    ]
    before = call_app(app_python, tmp_path, "app.main", calls)
    first = extract(tmp_path / "app/api/v1/items.py", "fake_db[key] = value")
    second = extract(tmp_path / "app/api/v2/items.py", "fake_db[key] = value")
    assert first.service_path.as_posix() == "app/services/v1_item_service.py"
    assert second.service_path.as_posix() == "app/services/v2_item_service.py"
    assert (
        call_app(app_python, tmp_path, "app.main", calls)
        == before
        == [
            [200, {"a": "1"}],
            [200, {}],
            [200, {"b": "2"}],
            [200, {"a": "1"}],
        ]
    )


LOGGED = """\
import logging

from fastapi import FastAPI

app = FastAPI()
log = logging.getLogger(__name__)
_PREFIX = "item:"
_ITEMS = ["a", "b"]


@app.get("/items/{name}")
def read_item(name: str) -> dict[str, str]:
    log.info("reading %s", name)
    label = _PREFIX + name
    return {"label": label}


@app.get("/health")
def health() -> dict[str, str]:
    log.info("health")
    return {"logger": log.name}


@app.get("/items")
def list_items() -> list[str]:
    found = list(_ITEMS)
    return found


@app.get("/count")
def count_items() -> int:
    total = len(_ITEMS)
    return total
"""


def test_module_logger_stays_and_the_service_gets_its_own(tmp_path: Path, app_python: Path) -> None:
    make_project(tmp_path, {"main.py": LOGGED})
    main = tmp_path / "main.py"
    calls: list[tuple[str, str, object]] = [("GET", "/items/x", None), ("GET", "/health", None)]
    before = call_app(app_python, tmp_path, "main", calls)
    extract(main, "label = _PREFIX")
    module = main.read_text()
    service = (tmp_path / "services/main_service.py").read_text()
    assert "log = logging.getLogger(__name__)" in module
    assert "log = logging.getLogger(__name__)" in service
    assert "from services.main_service import" not in module
    assert "_PREFIX" not in module  # private, used only by the moved logic: it moved
    assert (
        call_app(app_python, tmp_path, "main", calls)
        == before
        == [
            [200, {"label": "item:x"}],
            [200, {"logger": "main"}],
        ]
    )


def test_private_state_shared_with_other_endpoints_is_made_public_not_imported_private(
    tmp_path: Path, app_python: Path
) -> None:
    make_project(tmp_path, {"main.py": LOGGED})
    main = tmp_path / "main.py"
    calls: list[tuple[str, str, object]] = [("GET", "/items", None), ("GET", "/count", None)]
    before = call_app(app_python, tmp_path, "main", calls)
    extract(main, "found = list(_ITEMS)")
    module = main.read_text()
    service = (tmp_path / "services/main_service.py").read_text()
    assert 'ITEMS = ["a", "b"]' in service and "found = list(ITEMS)" in service
    assert "from services.main_service import ITEMS" in module
    assert "total = len(ITEMS)" in module and "_ITEMS" not in module + service
    assert call_app(app_python, tmp_path, "main", calls) == before == [[200, ["a", "b"]], [200, 2]]


def test_private_helper_still_used_by_the_module_is_made_public_not_imported_private(
    tmp_path: Path, app_python: Path
) -> None:
    make_project(
        tmp_path,
        {
            "main.py": """\
            from fastapi import FastAPI

            app = FastAPI()


            def _label(name: str) -> str:
                return "item:" + name


            @app.get("/a/{name}")
            def read_a(name: str) -> str:
                text = _label(name)
                return text


            @app.get("/b/{name}")
            def read_b(name: str) -> str:
                return _label(name).upper()
            """
        },
    )
    main = tmp_path / "main.py"
    calls: list[tuple[str, str, object]] = [("GET", "/a/x", None), ("GET", "/b/y", None)]
    before = call_app(app_python, tmp_path, "main", calls)
    extract(main, "text = _label")
    module = main.read_text()
    service = (tmp_path / "services/main_service.py").read_text()
    assert "def label(name: str) -> str:" in service
    assert "text = label(name)" in service
    assert "from services.main_service import label" in module
    assert "return label(name).upper()" in module
    assert "_label" not in module + service
    assert (
        call_app(app_python, tmp_path, "main", calls)
        == before
        == [
            [200, "item:x"],
            [200, "ITEM:Y"],
        ]
    )


def test_private_helper_is_not_made_public_under_a_name_the_module_already_binds(
    tmp_path: Path,
) -> None:
    text = """\
    from fastapi import FastAPI

    app = FastAPI()


    def _label(name: str) -> str:
        return "item:" + name


    @app.get("/a/{name}")
    def read_a(name: str) -> str:
        text = _label(name)
        return text


    @app.get("/b/{label}")
    def read_b(label: str) -> str:
        return _label(label)
    """
    make_project(tmp_path, {"main.py": text})
    with pytest.raises(ExtractRefusal) as refusal:
        extract(tmp_path / "main.py", "text = _label")
    assert str(refusal.value) == (
        "`_label` is private to main.py and still used there by `read_b`; it would become "
        "public as `label`, which is taken — rename it first"
    )


def test_moved_name_imported_by_other_modules_stays_importable_from_the_endpoint_module(
    tmp_path: Path, app_python: Path
) -> None:
    make_project(
        tmp_path,
        {
            "main.py": """\
            from fastapi import FastAPI

            app = FastAPI()


            def make_token(user: str) -> str:
                return "token-" + user


            @app.post("/token")
            def issue_token(user: str) -> dict[str, str]:
                token = make_token(user)
                return {"token": token}
            """,
            "tokens.py": "import main\n\n\ndef again(user: str) -> str:\n"
            "    return main.make_token(user)\n",
            "check.py": """\
            from main import app, make_token
            from tokens import again

            assert make_token("x") == again("x") == "token-x", make_token("x")
            """,
        },
    )
    calls: list[tuple[str, str, object]] = [("POST", "/token?user=ann", None)]
    before = call_app(app_python, tmp_path, "check", calls)
    extract(tmp_path / "main.py", "token = make_token")
    module = (tmp_path / "main.py").read_text()
    assert "from services.main_service import make_token\n" in module
    assert module.endswith(
        '\n\n__all__ = ["FastAPI", "app", "issue_token", "main_service", "make_token"]\n'
    )
    assert "def make_token" in (tmp_path / "services/main_service.py").read_text()
    assert (
        call_app(app_python, tmp_path, "check", calls) == before == [[200, {"token": "token-ann"}]]
    )
    ruff = subprocess.run(
        [str(app_python), "-m", "ruff", "check", "--no-cache", "--isolated", "main.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ruff.returncode == 0, ruff.stdout


def test_reexported_name_joins_an_existing_all(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "main.py": """\
            from fastapi import FastAPI

            __all__ = ["app"]

            app = FastAPI()


            def make_token(user: str) -> str:
                return "token-" + user


            @app.post("/token")
            def issue_token(user: str) -> str:
                token = make_token(user)
                return token
            """,
            "tests/test_tokens.py": "from main import make_token\n",
        },
    )
    extract(tmp_path / "main.py", "token = make_token")
    module = (tmp_path / "main.py").read_text()
    assert '__all__ = ["app", "make_token"]\n' in module
    assert module.count("__all__") == 1
