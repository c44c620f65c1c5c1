"""Helpers for the FA104 fix tests: small layered projects on disk and applying the fix."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from fastapi_architect.layers.domain_errors import DomainErrorFix, plan_domain_error
from fastapi_architect.plan import read_text_exact, write_plan
from fastapi_architect.project_files import DISK

SCAFFOLD_ERRORS = '''\
"""Domain errors raised by the services; the API maps each to an HTTP status code."""


class ServiceError(Exception):
    """Base class of the errors a service raises on purpose."""


class NotFoundError(ServiceError):
    """The requested object does not exist (HTTP 404)."""


class ConflictError(ServiceError):
    """The change conflicts with existing data, e.g. a duplicate email (HTTP 409)."""
'''

SCAFFOLD_HANDLERS = '''\
"""Turn service errors into HTTP responses."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from app.services.errors import ConflictError, NotFoundError, ServiceError

STATUS_BY_ERROR: dict[type[ServiceError], int] = {
    NotFoundError: status.HTTP_404_NOT_FOUND,
    ConflictError: status.HTTP_409_CONFLICT,
}


async def service_error_handler(request: Request, error: Exception) -> JSONResponse:
    """Answer a ``ServiceError`` with its status code and message as ``detail``."""
    status_code = next(
        (code for kind, code in STATUS_BY_ERROR.items() if isinstance(error, kind)),
        status.HTTP_400_BAD_REQUEST,
    )
    return JSONResponse(status_code=status_code, content={"detail": str(error)})


def register_exception_handlers(application: FastAPI) -> None:
    """Install the handlers on ``application``."""
    application.add_exception_handler(ServiceError, service_error_handler)
'''

SCAFFOLD_MAIN = '''\
"""The application."""

from fastapi import FastAPI

from app.api.errors import register_exception_handlers
from app.api.routes import router


def create_app() -> FastAPI:
    """Build the application."""
    application = FastAPI(title="Library")
    register_exception_handlers(application)
    application.include_router(router)
    return application


app = create_app()
'''

PLAIN_MAIN = '''\
"""The application."""

from fastapi import FastAPI

from app.api.routes import router

app = FastAPI(title="Library")
app.include_router(router)
'''

ROUTES = '''\
"""Book endpoints."""

from fastapi import APIRouter

from app.services import books

router = APIRouter()


@router.get("/books/{book_id}")
def read_book(book_id: int) -> dict[str, str]:
    return {"title": books.get_title(book_id)}


@router.delete("/books/{book_id}")
def delete_book(book_id: int) -> dict[str, bool]:
    books.delete(book_id)
    return {"deleted": True}
'''

BOOKS_SERVICE = '''\
"""Book rules."""

from fastapi import HTTPException, status

BOOKS = {1: "Dune", 2: "Solaris"}
LOCKED = {2}


def get_title(book_id: int) -> str:
    if book_id not in BOOKS:
        raise HTTPException(status_code=404, detail=f"book {book_id} not found")
    return BOOKS[book_id]


def delete(book_id: int) -> None:
    get_title(book_id)
    if book_id in LOCKED:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this book is locked")
    del BOOKS[book_id]
'''

APP_TESTS = """\
from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_missing_book_is_404_with_its_message() -> None:
    response = client.get("/books/9")
    assert response.status_code == 404
    assert response.json() == {"detail": "book 9 not found"}


def test_locked_book_is_403_with_its_message() -> None:
    response = client.delete("/books/2")
    assert response.status_code == 403
    assert response.json() == {"detail": "this book is locked"}


def test_existing_book_is_read() -> None:
    assert client.get("/books/1").json() == {"title": "Dune"}
"""


def make_project(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path → dedented text) under ``root``; add package inits."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8", newline="")
    for path in list(root.rglob("*.py")):
        folder = path.parent
        while folder != root:
            init = folder / "__init__.py"
            if not init.exists() and folder.name != "tests":
                init.write_text("", encoding="utf-8")
            folder = folder.parent
    return root


def scaffold_like(root: Path, service: str = BOOKS_SERVICE) -> Path:
    """A project in the scaffold's layout: errors module, mapped handler, ``create_app``."""
    return make_project(
        root,
        {
            "app/main.py": SCAFFOLD_MAIN,
            "app/api/errors.py": SCAFFOLD_HANDLERS,
            "app/api/routes.py": ROUTES,
            "app/services/errors.py": SCAFFOLD_ERRORS,
            "app/services/books.py": service,
            "tests/test_books.py": APP_TESTS,
        },
    )


def bare(root: Path, service: str = BOOKS_SERVICE) -> Path:
    """A project with a services package but no errors module and no exception handler."""
    return make_project(
        root,
        {
            "app/main.py": PLAIN_MAIN,
            "app/api/routes.py": ROUTES,
            "app/services/books.py": service,
            "tests/test_books.py": APP_TESTS,
        },
    )


def line_of(path: Path, needle: str) -> int:
    """0-based line of the first line of ``path`` containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def plan_at(root: Path, relative: str, needle: str) -> DomainErrorFix:
    """Plan the fix for the ``raise`` on the line containing ``needle``."""
    path = root / relative
    text = read_text_exact(path)
    return plan_domain_error(text, path, line_of(path, needle), root=root, files=DISK)


def fix_at(root: Path, relative: str, needle: str) -> DomainErrorFix:
    """Plan the fix at ``needle`` and write it."""
    fix = plan_at(root, relative, needle)
    write_plan(fix.plan, root)
    return fix


def fix_every_raise(root: Path, relative: str, marker: str = "HTTPException(") -> list[str]:
    """Fix every ``raise`` of ``relative`` that contains ``marker``; the classes raised now."""
    raised: list[str] = []
    path = root / relative
    while marker in path.read_text(encoding="utf-8"):
        raised.append(fix_at(root, relative, marker).error_class)
    return raised


def read(root: Path, relative: str) -> str:
    return (root / relative).read_text(encoding="utf-8")


def imported(text: str, module: str) -> set[str]:
    """The names ``text`` imports from ``module`` (``from module import ...``)."""
    return {
        alias.name
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ImportFrom) and node.module == module
        for alias in node.names
    }
