"""FA105: imports that run against the layers."""

from __future__ import annotations

from pathlib import Path

import pytest
from layers_support import codes_and_lines, findings, line_of, make_project

DEPS = "from fastapi import Depends\n\n\ndef get_user() -> None:\n    pass\n"
ENDPOINTS = (
    "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
    "def helper() -> int:\n    return 1\n\n\n"
    '@router.get("/")\ndef read() -> int:\n    return helper()\n'
)


@pytest.mark.parametrize(
    ("importer", "statement"),
    [
        ("app/services/user_service.py", "from app.api.deps import get_user"),
        ("app/schemas/user.py", "from app.api.v1.endpoints import users"),
        ("app/models/user.py", "import app.api.v1.endpoints.users"),
        ("app/orders/service.py", "from app.orders.router import helper"),
        ("app/orders/schemas.py", "from .views import helper"),
    ],
)
def test_lower_layers_importing_the_api_layer_are_reported(
    tmp_path: Path, importer: str, statement: str
) -> None:
    root = make_project(
        tmp_path,
        {
            "app/api/deps.py": DEPS,
            "app/api/v1/endpoints/users.py": ENDPOINTS,
            "app/orders/router.py": ENDPOINTS,
            "app/orders/views.py": ENDPOINTS,
            importer: f"{statement}\n",
        },
    )
    (finding,) = findings(root, importer)
    assert finding.code == "FA105"
    assert (finding.start.line, finding.start.column) == (0, 0)
    assert finding.end.column == len(statement)
    assert "imports the API layer" in finding.message


def test_endpoint_module_importing_another_endpoint_module(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/api/deps.py": DEPS,
            "app/api/v1/endpoints/users.py": ENDPOINTS,
            "app/api/v1/endpoints/items.py": ENDPOINTS.replace(
                "router = APIRouter()",
                "from app.api.deps import get_user\n"
                "from app.api.v1.endpoints.users import helper as user_helper\n\n"
                "router = APIRouter()",
            ),
        },
    )
    line = line_of(root, "app/api/v1/endpoints/items.py", "endpoints.users import")
    found = findings(root, "app/api/v1/endpoints/items.py")
    assert codes_and_lines(found) == [("FA105", line)]
    assert "another endpoint module (app.api.v1.endpoints.users)" in found[0].message


def test_the_aggregation_module_may_import_every_endpoint_module(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/api/v1/endpoints/users.py": ENDPOINTS,
            "app/api/v1/endpoints/items.py": ENDPOINTS,
            "app/api/v1/api.py": """
            from fastapi import APIRouter

            from app.api.v1.endpoints import items, users

            api_router = APIRouter()
            api_router.include_router(items.router)
            api_router.include_router(users.router)


            @api_router.get("/ping")
            def ping() -> str:
                return "pong"
            """,
        },
    )
    assert findings(root, "app/api/v1/api.py") == []


def test_type_checking_imports_and_tools_are_not_reported(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/api/deps.py": DEPS,
            "app/services/user_service.py": """
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from app.api.deps import get_user
            """,
            "app/cli/commands/db.py": "from app.api.deps import get_user\n",
        },
    )
    assert findings(root, "app/services/user_service.py") == []
    assert findings(root, "app/cli/commands/db.py") == []


def test_an_api_package_of_plain_utilities_is_not_the_api_layer(tmp_path: Path) -> None:
    # fides-style: the whole application lives under ``<project>/api/``.
    root = make_project(
        tmp_path,
        {
            "fides/api/util/text.py": "def slug(value: str) -> str:\n    return value\n",
            "fides/service/user_service.py": "from fides.api.util.text import slug\n",
        },
    )
    assert findings(root, "fides/service/user_service.py") == []


def test_third_party_modules_named_like_layers_are_ignored(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {"app/services/mail_service.py": "from sendgrid.api import views\nimport api\n"},
    )
    assert findings(root, "app/services/mail_service.py") == []


def test_an_endpoint_module_under_a_tool_folder_is_still_an_endpoint_module(
    tmp_path: Path,
) -> None:
    root = make_project(
        tmp_path,
        {
            "polar/eventstream/endpoints.py": ENDPOINTS,
            "polar/cli/endpoints.py": ENDPOINTS.replace(
                "router = APIRouter()",
                "from polar.eventstream.endpoints import helper as subscribe\n\n"
                "router = APIRouter()",
            ),
        },
    )
    (finding,) = findings(root, "polar/cli/endpoints.py")
    assert "another endpoint module (polar.eventstream.endpoints)" in finding.message
