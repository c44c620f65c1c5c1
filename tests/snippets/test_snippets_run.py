"""The snippets at their defaults, assembled into small projects, really serve requests.

Each project module is built the way the editor builds it: start from a few hand-written lines,
then for every snippet apply the server's own import edits and append the expanded body. The
projects' own pytest suites (written from the override snippets) then run in a cached venv
with FastAPI, SQLAlchemy and pydantic-settings.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect.snippets.catalog import Snippet, load_snippets
from fastapi_architect.snippets.document import import_edits
from fastapi_architect.snippets.selection import needed_imports
from fastapi_architect.textedit import apply_edits
from venvs import cached_venv, venv_python

REQUIREMENTS = [
    "fastapi>=0.115",
    "sqlalchemy[asyncio]>=2.0",
    "pydantic-settings>=2.4",
    "httpx>=0.27",
    "aiosqlite>=0.20",
    "pytest>=8",
    "pytest-asyncio>=0.24",
]
RUFF = Path(sys.executable).with_name("ruff")
SNIPPETS = {snippet.prefix: snippet for snippet in load_snippets()}

MODELS = """from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str]


class UserCreate(BaseModel):
    email: str


class UserResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    email: str
"""


def module(modules: dict[str, str], own: str, head: str, *prefixes: str) -> str:
    """``head`` plus each snippet, with the imports the completion would add."""
    text = head
    visible = {name: where for name, where in modules.items() if where != own}
    for prefix in prefixes:
        snippet: Snippet = SNIPPETS[prefix]
        text = apply_edits(text, import_edits(text, needed_imports(snippet, visible)))
        text = text.rstrip("\n") + "\n\n\n" + snippet.default_text.rstrip("\n") + "\n"
    return text


def write_project(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def sync_project() -> dict[str, str]:
    where = {
        "Base": "app.models",
        "User": "app.models",
        "UserCreate": "app.models",
        "UserResponse": "app.models",
        "SessionLocal": "app.db",
        "get_db": "app.db",
        "SessionDep": "app.deps",
        "get_settings": "app.config",
        "app": "app.main",
    }
    db_head = (
        "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n\n"
        'engine = create_engine("sqlite://")\nSessionLocal = sessionmaker(engine)\n'
    )
    users_head = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    return {
        "app/__init__.py": "",
        "app/models.py": MODELS,
        "app/config.py": module(where, "app.config", "", "fasettings"),
        "app/db.py": module(where, "app.db", db_head, "fagetdb"),
        "app/deps.py": module(where, "app.deps", "", "fasessiondep"),
        "app/users.py": module(where, "app.users", users_head, "faget", "fapost"),
        "app/services.py": module(where, "app.services", users_head, "faserviceclass")
        + (
            '\n\n@router.get("/by-service/{user_id}")\n'
            "def by_service(user_id: int, service: UserServiceDep) -> dict[str, bool]:\n"
            "    return {'found': service.get(user_id) is not None}\n"
        ),
        "app/main.py": "from fastapi import FastAPI\n\nfrom app import services, users\n\n"
        "app = FastAPI()\napp.include_router(users.router, prefix='/users')\n"
        "app.include_router(services.router)\n",
        "app/lifespan_app.py": module(where, "app.lifespan_app", "", "falifespan"),
        "tests/conftest.py": module(where, "tests.conftest", "", "faoverride"),
        "tests/test_app.py": (
            "from fastapi.testclient import TestClient\n\n"
            "from app import lifespan_app\n\n\n"
            "def test_post_then_get_then_404(client: TestClient) -> None:\n"
            "    created = client.post('/users/', json={'email': 'a@example.com'})\n"
            "    assert created.status_code == 201, created.text\n"
            "    user_id = created.json()['id']\n"
            "    assert client.get(f'/users/{user_id}').json() == created.json()\n"
            "    assert client.get('/users/999').status_code == 404\n"
            "    assert client.get(f'/by-service/{user_id}').json() == {'found': True}\n\n\n"
            "def test_lifespan_creates_the_session_factory(monkeypatch) -> None:\n"
            "    monkeypatch.setenv('DATABASE_URL', 'sqlite://')\n"
            "    with TestClient(lifespan_app.app) as client:\n"
            "        assert client.app.state.session_factory is not None\n"
        ),
    }


def async_project() -> dict[str, str]:
    where = {
        "Base": "app.models",
        "User": "app.models",
        "UserCreate": "app.models",
        "UserResponse": "app.models",
        "SessionLocal": "app.db",
        "get_db": "app.db",
        "AsyncSessionDep": "app.deps",
        "get_settings": "app.config",
        "app": "app.main",
    }
    db_head = (
        "from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine\n\n"
        'engine = create_async_engine("sqlite+aiosqlite://")\n'
        "SessionLocal = async_sessionmaker(engine, expire_on_commit=False)\n"
    )
    users_head = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    return {
        "app/__init__.py": "",
        "app/models.py": MODELS,
        "app/config.py": module(where, "app.config", "", "fasettings"),
        "app/db.py": module(where, "app.db", db_head, "fagetdbasync"),
        "app/deps.py": module(where, "app.deps", "", "faasyncsessiondep"),
        "app/users.py": module(where, "app.users", users_head, "fagetasync", "fapostasync"),
        "app/main.py": "from fastapi import FastAPI\n\nfrom app import users\n\n"
        "app = FastAPI()\napp.include_router(users.router, prefix='/users')\n",
        "app/lifespan_app.py": module(where, "app.lifespan_app", "", "falifespanasync"),
        "tests/conftest.py": module(where, "tests.conftest", "", "faoverrideasync"),
        "tests/test_app.py": (
            "from httpx import AsyncClient\n\n"
            "from app import lifespan_app\n\n\n"
            "async def test_post_then_get_then_404(client: AsyncClient) -> None:\n"
            "    created = await client.post('/users/', json={'email': 'a@example.com'})\n"
            "    assert created.status_code == 201, created.text\n"
            "    user_id = created.json()['id']\n"
            "    assert (await client.get(f'/users/{user_id}')).json() == created.json()\n"
            "    assert (await client.get('/users/999')).status_code == 404\n\n\n"
            "async def test_lifespan_creates_the_session_factory() -> None:\n"
            "    async with lifespan_app.lifespan(lifespan_app.app):\n"
            "        assert lifespan_app.app.state.session_factory is not None\n"
        ),
        "pytest.ini": "[pytest]\nasyncio_mode = auto\n",
        ".env": "DATABASE_URL=sqlite+aiosqlite://\n",
    }


def check_and_run(root: Path) -> None:
    for path in root.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    lint = subprocess.run(
        [str(RUFF), "check", "--isolated", "--no-cache", "--select", "F,FAST", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    python = venv_python(cached_venv("snippets-run", REQUIREMENTS))
    result = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_sync_snippets_serve_requests_and_pass_their_override_tests(tmp_path: Path) -> None:
    write_project(tmp_path, sync_project())
    check_and_run(tmp_path)


@pytest.mark.slow
def test_async_snippets_serve_requests_and_pass_their_override_tests(tmp_path: Path) -> None:
    write_project(tmp_path, async_project())
    check_and_run(tmp_path)
