"""The FA104 fix keeps the app's HTTP behaviour: the app's own tests (TestClient: same status
codes, same ``{"detail": ...}`` bodies) pass before and after, and ruff at its defaults finds
nothing new. Also on a freshly scaffolded service with an ``HTTPException`` put into it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from domain_error_support import bare, fix_every_raise, read, scaffold_like

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parents[1] / "scaffold"))

from scaffold_gates import gate_venv  # noqa: I001 (tests/scaffold is on the path only now)
from venvs import fixture_app_python, venv_python

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

SERVICE = "app/services/books.py"


@pytest.fixture(scope="module")
def app_python() -> Path:
    """An interpreter with FastAPI, httpx, pytest and ruff (the fixture apps' cached venv)."""
    return fixture_app_python()


def _run_tests(python: Path, root: Path, *args: str) -> None:
    result = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def _ruff_findings(python: Path, root: Path, *config: str) -> set[tuple[str, str]]:
    """``(file, rule)`` pairs ruff reports (``--isolated``: its current default rules)."""
    result = subprocess.run(
        [str(python), "-m", "ruff", "check", *config, "--output-format", "json", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return {
        (Path(item["filename"]).relative_to(root).as_posix(), item["code"])
        for item in json.loads(result.stdout)
    }


@pytest.mark.parametrize("layout", [bare, scaffold_like], ids=["no-handler", "mapped-handler"])
def test_fixed_app_answers_as_before_and_ruff_finds_nothing_new(
    tmp_path: Path, app_python: Path, layout: object
) -> None:
    assert callable(layout)
    root = layout(tmp_path)
    _run_tests(app_python, root)
    ruff_before = _ruff_findings(app_python, root, "--isolated")

    assert fix_every_raise(root, SERVICE) == ["NotFoundError", "PermissionDeniedError"]

    assert "HTTPException" not in read(root, SERVICE)
    _run_tests(app_python, root)
    assert _ruff_findings(app_python, root, "--isolated") <= ruff_before


BLOCKED_TEST = '''


def test_blocked_user_is_forbidden_with_its_message(
    client: TestClient, superuser_headers: dict[str, str]
) -> None:
    """A blocked user's account answers 403 with the service's message."""
    account = {"email": "x@blocked.example", "password": "member-pass-123"}
    created = client.post("/api/v1/users/", json=account)
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    response = client.get(f"/api/v1/users/{user_id}", headers=superuser_headers)
    assert response.status_code == 403
    assert response.json() == {"detail": f"user {user_id} is blocked"}
'''


def test_scaffolded_service_keeps_its_responses_after_the_fix(tmp_path: Path) -> None:
    from fastapi_architect.plan import write_plan
    from fastapi_architect.scaffold import parse_options, plan_project

    root = tmp_path / "service"
    write_plan(plan_project(parse_options({"project_name": "service"})), root)
    service = root / "app/services/user_service.py"
    text = service.read_text(encoding="utf-8")
    text = text.replace(
        "from sqlalchemy import select\n",
        "from fastapi import HTTPException, status\nfrom sqlalchemy import select\n",
    ).replace(
        '            raise NotFoundError(f"user {user_id} not found")\n',
        '            raise NotFoundError(f"user {user_id} not found")\n'
        '        if user.email.endswith("@blocked.example"):\n'
        "            raise HTTPException(\n"
        "                status_code=status.HTTP_403_FORBIDDEN,\n"
        '                detail=f"user {user_id} is blocked",\n'
        "            )\n",
    )
    assert "raise HTTPException(" in text
    service.write_text(text, encoding="utf-8")
    users_tests = root / "tests/test_users.py"
    users_tests.write_text(
        users_tests.read_text(encoding="utf-8")
        + BLOCKED_TEST.replace('json={"email"', 'json={\n        "email"'),
        encoding="utf-8",
    )
    python = venv_python(gate_venv())
    _run_tests(python, root, "tests/test_users.py")
    ruff_before = _ruff_findings(python, root)

    assert fix_every_raise(root, "app/services/user_service.py") == ["PermissionDeniedError"]

    assert "fastapi" not in read(root, "app/services/user_service.py")
    assert "PermissionDeniedError: status.HTTP_403_FORBIDDEN," in read(root, "app/api/errors.py")
    _run_tests(python, root)
    assert _ruff_findings(python, root) <= ruff_before


FLAT_FILES = {
    "app/main.py": """\
        from fastapi import FastAPI

        from app import orders_service

        app = FastAPI()


        @app.post("/orders/{order_id}/cancel")
        def cancel(order_id: int) -> dict[str, int]:
            orders_service.cancel(order_id)
            return {"cancelled": order_id}


        @app.get("/orders/{order_id}")
        def read(order_id: int) -> dict[str, int]:
            return {"order": orders_service.find(order_id)}
        """,
    "app/errors.py": '''\
        class ServiceError(Exception):
            """Base class."""


        class GoneForGood(ServiceError):
            """Raised but never handled: the app answers 500."""
        ''',
    "app/orders_service.py": """\
        from fastapi import HTTPException

        from app.errors import GoneForGood

        SHIPPED = {1}


        def cancel(order_id: int) -> None:
            if order_id in SHIPPED:
                raise HTTPException(status_code=422, detail=f"order {order_id} has shipped")
            if order_id == 99:
                raise GoneForGood("archived")


        def find(order_id: int) -> int:
            if order_id > 10:
                raise HTTPException(404)
            return order_id
        """,
    "tests/test_orders.py": """\
        from fastapi.testclient import TestClient

        from app.main import app

        client = TestClient(app, raise_server_exceptions=False)


        def test_shipped_order_cannot_be_cancelled() -> None:
            response = client.post("/orders/1/cancel")
            assert response.status_code == 422
            assert response.json() == {"detail": "order 1 has shipped"}


        def test_unknown_order_is_404_with_the_status_phrase() -> None:
            response = client.get("/orders/11")
            assert response.status_code == 404
            assert response.json() == {"detail": "Not Found"}


        def test_an_unhandled_service_error_stays_a_500() -> None:
            response = client.post("/orders/99/cancel")
            assert response.status_code == 500
            assert response.text == "Internal Server Error"


        def test_a_good_order_is_cancelled() -> None:
            assert client.post("/orders/2/cancel").json() == {"cancelled": 2}
        """,
}


def test_flat_app_gets_a_handler_beside_it_and_unmapped_errors_stay_500(
    tmp_path: Path, app_python: Path
) -> None:
    from domain_error_support import make_project

    root = make_project(tmp_path, FLAT_FILES)
    _run_tests(app_python, root)
    ruff_before = _ruff_findings(app_python, root, "--isolated")

    assert fix_every_raise(root, "app/orders_service.py") == ["UnprocessableError", "NotFoundError"]

    assert (root / "app/exception_handlers.py").is_file()
    _run_tests(app_python, root)
    assert _ruff_findings(app_python, root, "--isolated") <= ruff_before
