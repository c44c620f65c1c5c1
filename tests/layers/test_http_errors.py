"""FA104: HTTPException raised in the service layer; range and data feed the domain-error fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from layers_support import findings, line_of, make_project

from fastapi_architect.textedit import TextPosition

SERVICE = "app/services/user_service.py"


def test_range_is_the_raise_statement_and_data_has_status_and_detail(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            SERVICE: """
            from fastapi import HTTPException, status


            def get_user(user_id: int) -> None:
                if user_id < 0:
                    raise HTTPException(
                        status_code=status.HTTP_404_NOT_FOUND,
                        detail="user not found",
                    )
            """
        },
    )
    (finding,) = findings(root, SERVICE)
    first = line_of(root, SERVICE, "raise HTTPException(") - 1
    assert finding.code == "FA104"
    assert finding.start == TextPosition(first, 8)
    assert finding.end == TextPosition(first + 3, 9)
    assert finding.data == {"status_code": 404, "detail": "user not found"}
    assert "HTTPException 404" in finding.message


@pytest.mark.parametrize(
    ("imports", "raised", "data"),
    [
        ("from fastapi import HTTPException", "HTTPException(409, 'taken')", (409, "taken")),
        (
            "from fastapi import HTTPException as HTTPError",
            "HTTPError(status_code=400)",
            (400, None),
        ),
        (
            "from starlette.exceptions import HTTPException",
            "HTTPException(500, detail=f'{x}')",
            (500, None),
        ),
        ("import fastapi", "fastapi.HTTPException(code, 'gone')", (None, "gone")),
        ("from fastapi.exceptions import HTTPException", "HTTPException", (None, None)),
    ],
)
def test_every_spelling_of_http_exception_is_found(
    tmp_path: Path, imports: str, raised: str, data: tuple[int | None, str | None]
) -> None:
    root = make_project(
        tmp_path,
        {"app/orders/service.py": f"{imports}\n\n\ndef f(x, code):\n    raise {raised}\n"},
    )
    (finding,) = findings(root, "app/orders/service.py")
    assert (finding.data["status_code"], finding.data["detail"]) == data
    assert (finding.start.line, finding.start.column) == (4, 4)
    assert finding.end.column == len(f"    raise {raised}")


@pytest.mark.parametrize(
    "relative", ["app/api/v1/endpoints/users.py", "app/core/security.py", "app/api/deps.py"]
)
def test_outside_the_service_layer_http_exception_is_fine(tmp_path: Path, relative: str) -> None:
    root = make_project(
        tmp_path,
        {
            relative: (
                "from fastapi import HTTPException\n\n\ndef f():\n    raise HTTPException(401)\n"
            )
        },
    )
    assert findings(root, relative) == []


def test_a_project_class_named_http_exception_is_not_fastapis(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/services/billing_service.py": """
            class HTTPException(Exception):
                pass


            def charge() -> None:
                raise HTTPException("remote billing API failed")
            """
        },
    )
    assert findings(root, "app/services/billing_service.py") == []
