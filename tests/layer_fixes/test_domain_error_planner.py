"""The FA104 planner: which domain error a ``raise HTTPException`` becomes, where it is
defined and mapped, and when the fix is refused instead."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from domain_error_support import (
    BOOKS_SERVICE,
    SCAFFOLD_HANDLERS,
    bare,
    fix_at,
    fix_every_raise,
    imported,
    line_of,
    make_project,
    plan_at,
    read,
    scaffold_like,
)

from fastapi_architect.layers.domain_errors import DomainErrorRefusal, plan_domain_error
from fastapi_architect.project_files import DISK

SERVICE = "app/services/books.py"


def _service(body: str, imports: str = "from fastapi import HTTPException, status") -> str:
    return f'"""Book rules."""\n\n{imports}\n\n\n' + textwrap.dedent(body)


def _compiles(root: Path) -> None:
    for path in root.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_404_reuses_the_mapped_not_found_error_and_touches_only_the_service(
    tmp_path: Path,
) -> None:
    root = scaffold_like(tmp_path)
    handlers_before = read(root, "app/api/errors.py")
    errors_before = read(root, "app/services/errors.py")

    fix = fix_at(root, SERVICE, "status_code=404")

    assert fix.error_class == "NotFoundError"
    assert fix.handler_path is None
    assert [str(edit.path) for edit in fix.plan.edits] == [SERVICE]
    service = read(root, SERVICE)
    assert 'raise NotFoundError(f"book {book_id} not found")' in service
    assert "from app.services.errors import NotFoundError" in service
    assert "HTTPException" in service  # the 403 raise still needs it
    assert read(root, "app/api/errors.py") == handlers_before
    assert read(root, "app/services/errors.py") == errors_before


def test_409_constant_as_positional_argument_reuses_conflict_error(tmp_path: Path) -> None:
    service = _service(
        """\
        def rename(title: str) -> None:
            if title == "Dune":
                raise HTTPException(status.HTTP_409_CONFLICT, "title taken")
        """
    )
    root = scaffold_like(tmp_path, service)

    fix = fix_at(root, SERVICE, "raise HTTPException")

    assert fix.error_class == "ConflictError"
    text = read(root, SERVICE)
    assert 'raise ConflictError("title taken")' in text
    assert "fastapi" not in text  # HTTPException and status were only used there
    assert "from app.services.errors import ConflictError" in text


def test_403_adds_a_documented_class_and_maps_it_with_the_status_constant(
    tmp_path: Path,
) -> None:
    root = scaffold_like(tmp_path)

    fix = fix_at(root, SERVICE, "HTTP_403_FORBIDDEN")

    assert fix.error_class == "PermissionDeniedError"
    assert fix.handler_path == root / "app/api/errors.py"
    errors = read(root, "app/services/errors.py")
    assert errors.endswith(
        "\n\n\nclass PermissionDeniedError(ServiceError):\n"
        '    """The caller is not allowed to do this (HTTP 403)."""\n'
    )
    handlers = read(root, "app/api/errors.py")
    assert "    PermissionDeniedError: status.HTTP_403_FORBIDDEN,\n}" in handlers
    assert imported(handlers, "app.services.errors") == {
        "ConflictError",
        "NotFoundError",
        "PermissionDeniedError",
        "ServiceError",
    }
    assert 'raise PermissionDeniedError("this book is locked")' in read(root, SERVICE)
    _compiles(root)


def test_without_errors_module_and_handler_both_are_created_and_registered(
    tmp_path: Path,
) -> None:
    root = bare(tmp_path)

    fix = fix_at(root, SERVICE, "status_code=404")

    assert sorted(str(created.path) for created in fix.plan.creates) == [
        "app/api/errors.py",
        "app/services/errors.py",
    ]
    assert fix.registered_in == root / "app/main.py"
    errors = read(root, "app/services/errors.py")
    assert "class ServiceError(Exception):" in errors
    assert "class NotFoundError(ServiceError):" in errors
    handlers = read(root, "app/api/errors.py")
    assert "NotFoundError: status.HTTP_404_NOT_FOUND," in handlers
    assert "application.add_exception_handler(ServiceError, service_error_handler)" in handlers
    main = read(root, "app/main.py")
    assert "from app.api.errors import register_exception_handlers" in main
    assert 'app = FastAPI(title="Library")\nregister_exception_handlers(app)\n' in main
    _compiles(root)


def test_second_fix_extends_the_handler_the_first_one_created(tmp_path: Path) -> None:
    root = bare(tmp_path)

    assert fix_every_raise(root, SERVICE) == ["NotFoundError", "PermissionDeniedError"]

    handlers = read(root, "app/api/errors.py")
    assert "NotFoundError: status.HTTP_404_NOT_FOUND,\n" in handlers
    assert "PermissionDeniedError: status.HTTP_403_FORBIDDEN,\n}" in handlers
    assert read(root, "app/main.py").count("register_exception_handlers(app)") == 1
    assert "HTTPException" not in read(root, SERVICE)
    _compiles(root)


def test_handler_module_beside_the_application_without_an_api_package(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
            "app/orders_service.py": _service(
                """\
                def cancel(order_id: int) -> None:
                    raise HTTPException(status_code=422, detail="already shipped")
                """
            ),
        },
    )

    fix = fix_at(root, "app/orders_service.py", "raise HTTPException")

    assert fix.error_class == "UnprocessableError"
    assert fix.handler_path == root / "app/exception_handlers.py"
    assert "UnprocessableError: 422," in read(root, "app/exception_handlers.py")
    assert (root / "app/errors.py").is_file()
    _compiles(root)


def test_domain_package_uses_its_own_exceptions_module(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "src/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
            "src/auth/exceptions.py": (
                "class AuthError(Exception):\n    pass\n\n\n"
                "class TokenExpired(AuthError):\n    pass\n"
            ),
            "src/auth/service.py": _service(
                """\
                def login(name: str) -> None:
                    raise HTTPException(status_code=401, detail="bad credentials")
                """
            ),
        },
    )

    fix = fix_at(root, "src/auth/service.py", "raise HTTPException")

    assert fix.errors_path == root / "src/auth/exceptions.py"
    assert fix.error_class == "AuthenticationError"
    assert "class AuthenticationError(AuthError):" in read(root, "src/auth/exceptions.py")
    _compiles(root)


def test_aliased_http_exception_is_found_and_its_import_dropped(tmp_path: Path) -> None:
    service = _service(
        """\
        def get_title(book_id: int) -> str:
            raise HE(404, detail="gone")
        """,
        imports="from fastapi import HTTPException as HE",
    )
    root = scaffold_like(tmp_path, service)

    fix_at(root, SERVICE, "raise HE")

    text = read(root, SERVICE)
    assert 'raise NotFoundError("gone")' in text
    assert "HE" not in text.replace("NotFoundError", "")


def test_starlette_http_exception_is_rewritten_too(tmp_path: Path) -> None:
    service = _service(
        """\
        def get_title(book_id: int) -> str:
            raise HTTPException(status_code=404, detail="gone")
        """,
        imports="from starlette.exceptions import HTTPException",
    )
    root = scaffold_like(tmp_path, service)

    fix_at(root, SERVICE, "raise HTTPException")

    text = read(root, SERVICE)
    assert 'raise NotFoundError("gone")' in text
    assert "starlette" not in text


def test_module_attribute_and_httpstatus_spellings_are_understood(tmp_path: Path) -> None:
    service = _service(
        """\
        def get_title(book_id: int) -> str:
            raise fastapi.HTTPException(status_code=HTTPStatus.NOT_FOUND, detail="gone")
        """,
        imports="from http import HTTPStatus\n\nimport fastapi",
    )
    root = scaffold_like(tmp_path, service)

    fix_at(root, SERVICE, "raise fastapi")

    text = read(root, SERVICE)
    assert 'raise NotFoundError("gone")' in text
    assert "import fastapi" not in text and "HTTPStatus" not in text


def test_missing_detail_keeps_the_status_phrase_as_message(tmp_path: Path) -> None:
    service = _service(
        """\
        def get_title(book_id: int) -> str:
            raise HTTPException(status_code=404)
        """
    )
    root = scaffold_like(tmp_path, service)

    fix_at(root, SERVICE, "raise HTTPException")

    assert 'raise NotFoundError("Not Found")' in read(root, SERVICE)


def test_cause_and_multiline_detail_are_kept(tmp_path: Path) -> None:
    service = _service(
        """\
        def get_title(book_id: int) -> str:
            try:
                return str(book_id)
            except KeyError as error:
                raise HTTPException(
                    status_code=404,
                    detail="book "
                    "missing",
                ) from error
        """
    )
    root = scaffold_like(tmp_path, service)

    fix_at(root, SERVICE, "raise HTTPException")

    text = read(root, SERVICE)
    assert 'raise NotFoundError(("book "\n            "missing")) from error' in text
    _compiles(root)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(
            """\
            def login() -> None:
                raise HTTPException(401, "expired", headers={"WWW-Authenticate": "Bearer"})
            """,
            "headers",
            id="headers",
        ),
        pytest.param(
            """\
            def login() -> None:
                raise HTTPException(400, detail={"field": "email"})
            """,
            "not a string",
            id="non-string-detail",
        ),
        pytest.param(
            """\
            def login(code: int) -> None:
                raise HTTPException(code, "no")
            """,
            "status code",
            id="status-code-from-a-variable",
        ),
        pytest.param(
            """\
            def login() -> None:
                raise ValueError("no")
            """,
            "HTTPException",
            id="no-http-exception",
        ),
    ],
)
def test_a_raise_the_fix_cannot_express_is_refused_with_the_reason(
    tmp_path: Path, body: str, reason: str
) -> None:
    root = scaffold_like(tmp_path, _service(body))

    with pytest.raises(DomainErrorRefusal, match=reason):
        plan_at(root, SERVICE, "raise ")


def test_handler_without_a_mapping_is_refused_with_its_place(tmp_path: Path) -> None:
    handlers = """\
        from fastapi import FastAPI, Request
        from fastapi.responses import JSONResponse

        from app.services.errors import ServiceError


        def install(app: FastAPI) -> None:
            @app.exception_handler(ServiceError)
            async def handle(request: Request, error: ServiceError) -> JSONResponse:
                return JSONResponse(status_code=400, content={"detail": str(error)})
        """
    root = scaffold_like(tmp_path)
    (root / "app/api/errors.py").write_text(textwrap.dedent(handlers), encoding="utf-8")

    with pytest.raises(DomainErrorRefusal, match=r"errors\.py:8 has no mapping"):
        plan_at(root, SERVICE, "HTTP_403_FORBIDDEN")


def test_no_application_to_register_on_is_refused(tmp_path: Path) -> None:
    root = bare(tmp_path)
    (root / "app/main.py").write_text("from app.api.routes import router\n", encoding="utf-8")

    with pytest.raises(DomainErrorRefusal, match=r"no `app = FastAPI\(...\)`"):
        plan_at(root, SERVICE, "status_code=404")


def test_several_applications_are_refused(tmp_path: Path) -> None:
    root = bare(tmp_path)
    (root / "app/admin.py").write_text(
        "from fastapi import FastAPI\n\nadmin = FastAPI()\n", encoding="utf-8"
    )

    with pytest.raises(DomainErrorRefusal, match="several FastAPI applications"):
        plan_at(root, SERVICE, "status_code=404")


def test_applications_built_in_tests_do_not_count(tmp_path: Path) -> None:
    root = bare(tmp_path)
    (root / "tests/conftest.py").write_text(
        "from fastapi import FastAPI\n\nother = FastAPI()\n", encoding="utf-8"
    )

    fix = plan_at(root, SERVICE, "status_code=404")

    assert fix.registered_in == root / "app/main.py"


def test_crlf_files_keep_their_line_endings(tmp_path: Path) -> None:
    root = scaffold_like(tmp_path, BOOKS_SERVICE.replace("\n", "\r\n"))
    (root / "app/api/errors.py").write_text(
        SCAFFOLD_HANDLERS.replace("\n", "\r\n"), encoding="utf-8", newline=""
    )

    fix_at(root, SERVICE, "HTTP_403_FORBIDDEN")

    for relative in (SERVICE, "app/api/errors.py"):
        raw = (root / relative).read_bytes()
        assert raw.count(b"\n") == raw.count(b"\r\n"), relative


def test_the_plan_is_computed_on_the_text_given_not_the_disk(tmp_path: Path) -> None:
    root = scaffold_like(tmp_path)
    path = root / SERVICE
    unsaved = path.read_text(encoding="utf-8").replace("this book is locked", "unsaved text")

    fix = plan_domain_error(
        unsaved, path, line_of(path, "HTTP_403_FORBIDDEN"), root=root, files=DISK
    )

    (service_edit,) = [edit for edit in fix.plan.edits if str(edit.path) == SERVICE]
    assert any('PermissionDeniedError("unsaved text")' in e.new_text for e in service_edit.edits)


def test_fixing_twice_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    root = scaffold_like(tmp_path)
    fix_at(root, SERVICE, "HTTP_403_FORBIDDEN")
    snapshot = {p: p.read_text(encoding="utf-8") for p in root.rglob("*.py")}

    with pytest.raises(DomainErrorRefusal):
        plan_at(root, SERVICE, "raise PermissionDeniedError")

    assert {p: p.read_text(encoding="utf-8") for p in root.rglob("*.py")} == snapshot


def test_class_name_taken_by_an_unrelated_class_is_refused(tmp_path: Path) -> None:
    root = scaffold_like(tmp_path)
    errors = root / "app/services/errors.py"
    errors.write_text(
        errors.read_text(encoding="utf-8")
        + "\n\nclass PermissionDeniedError(Exception):\n    pass\n",
        encoding="utf-8",
    )

    with pytest.raises(DomainErrorRefusal, match="does not derive from ServiceError"):
        plan_at(root, SERVICE, "HTTP_403_FORBIDDEN")


def test_handler_given_to_the_fastapi_constructor_is_extended_not_replaced(
    tmp_path: Path,
) -> None:
    root = scaffold_like(tmp_path)
    handlers = read(root, "app/api/errors.py")
    handlers = handlers[: handlers.index("\n\ndef register_exception_handlers")] + "\n"
    (root / "app/api/errors.py").write_text(handlers, encoding="utf-8")
    (root / "app/main.py").write_text(
        "from fastapi import FastAPI\n\n"
        "from app.api.errors import service_error_handler\n"
        "from app.services.errors import ServiceError\n\n"
        "app = FastAPI(exception_handlers={ServiceError: service_error_handler})\n",
        encoding="utf-8",
    )

    fix = fix_at(root, SERVICE, "HTTP_403_FORBIDDEN")

    assert fix.handler_path == root / "app/api/errors.py"
    assert fix.registered_in is None
    assert "PermissionDeniedError: status.HTTP_403_FORBIDDEN," in read(root, "app/api/errors.py")
    assert "register" not in read(root, "app/main.py")


def test_any_line_of_any_prefix_plans_or_refuses_never_crashes(tmp_path: Path) -> None:
    root = scaffold_like(tmp_path)
    path = root / SERVICE
    full = read(root, SERVICE)
    outcomes: set[str] = set()
    for cut in range(0, len(full) + 1, 7):
        text = full[:cut]
        for line in range(text.count("\n") + 2):
            try:
                fix = plan_domain_error(text, path, line, root=root, files=DISK)
            except DomainErrorRefusal:
                outcomes.add("refused")
            else:
                outcomes.add(fix.error_class)
    assert outcomes == {"refused", "NotFoundError", "PermissionDeniedError"}


def test_relative_import_of_the_errors_module_is_extended(tmp_path: Path) -> None:
    service = _service(
        """\
        def rename(title: str) -> None:
            if not title:
                raise ConflictError("empty")
            raise HTTPException(404, "missing")
        """,
        imports="from fastapi import HTTPException\n\nfrom .errors import ConflictError",
    )
    root = scaffold_like(tmp_path, service)

    fix_at(root, SERVICE, "raise HTTPException")

    text = read(root, SERVICE)
    assert "from .errors import ConflictError, NotFoundError\n" in text
    assert "app.services.errors" not in text
