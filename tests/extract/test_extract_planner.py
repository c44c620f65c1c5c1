"""The extract engine: what moves where, before/after on small projects."""

from __future__ import annotations

from pathlib import Path

import pytest
from extract_support import DEPS, extract, line_of, make_project

from fastapi_architect.extract.planner import ExtractRefusal, plan_extract

HEADER = """\
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy.orm import Session

from app.api.deps import SessionDep
from app.db import get_db

router = APIRouter()
"""


def _users(tmp_path: Path, body: str, extra: dict[str, str] | None = None) -> Path:
    make_project(
        tmp_path,
        {
            "app/db.py": "def get_db(): ...\n",
            "app/api/deps.py": DEPS,
            "app/api/v1/endpoints/users.py": HEADER + body,
            **(extra or {}),
        },
    )
    return tmp_path / "app/api/v1/endpoints/users.py"


def test_session_dep_alias_becomes_plain_session_imported_from_its_source(
    tmp_path: Path,
) -> None:
    endpoint = _users(
        tmp_path,
        '''

@router.get("/{user_id}")
def read_user(user_id: int, db: SessionDep) -> dict[str, int]:
    """Read one user.

    More text.
    """
    # a comment that moves too
    if user_id < 0 or db is None:
        raise HTTPException(status_code=404)
    return {"id": user_id}
''',
    )
    extraction = extract(endpoint, "return {")
    service = (tmp_path / "app/services/user_service.py").read_text()
    assert "def read_user(user_id: int, db: Session) -> dict[str, int]:" in service
    assert '    """Read one user."""\n    # a comment that moves too\n' in service
    assert "from sqlalchemy.orm import Session" in service
    assert "from fastapi import HTTPException" in service
    assert "app.api" not in service  # services never import the API layer
    assert (tmp_path / "app/services/__init__.py").exists()
    module = endpoint.read_text()
    assert '    """\n    return user_service.read_user(user_id=user_id, db=db)\n' in module
    assert "from app.services import user_service" in module
    assert "HTTPException" not in module  # no longer used: import removed
    assert extraction.service_path.as_posix() == "app/services/user_service.py"


def test_annotated_markers_and_depends_defaults_are_stripped(tmp_path: Path) -> None:
    endpoint = _users(
        tmp_path,
        """

@router.get("/")
def list_users(
    limit: Annotated[int, Query(ge=1)] = 10,
    db: Session = Depends(get_db),
    unused: int = 0,
) -> list[int]:
    return list(range(limit)) if db else []
""",
    )
    extract(endpoint, "return list")
    service = (tmp_path / "app/services/user_service.py").read_text()
    assert "def list_users(limit: int, db: Session) -> list[int]:" in service
    assert "unused" not in service
    assert "return user_service.list_users(limit=limit, db=db)" in endpoint.read_text()


def test_service_is_async_only_when_the_body_awaits(tmp_path: Path) -> None:
    endpoint = _users(
        tmp_path,
        """

async def _fetch(n: int) -> int:
    return n


@router.get("/a")
async def awaiting(n: int) -> int:
    return await _fetch(n)


@router.get("/b")
async def not_awaiting(n: int) -> int:
    return n + 1
""",
    )
    extract(endpoint, "return await _fetch")
    extract(endpoint, "return n + 1")
    service = (tmp_path / "app/services/user_service.py").read_text()
    assert "async def awaiting(n: int) -> int:" in service
    assert "\ndef not_awaiting(n: int) -> int:" in service
    module = endpoint.read_text()
    assert "return await user_service.awaiting(n=n)" in module
    assert "return user_service.not_awaiting(n=n)" in module
    assert "_fetch" not in module


def test_models_move_to_schemas_and_helpers_to_the_service(tmp_path: Path) -> None:
    endpoint = _users(
        tmp_path,
        """
from pydantic import BaseModel

PREFIX = "user-"


class UserIn(BaseModel):
    name: str


class UserOut(UserIn):
    slug: str


def _slug(name: str) -> str:
    return PREFIX + name.lower()


@router.post("/", response_model=UserOut)
def create_user(payload: UserIn):
    return UserOut(name=payload.name, slug=_slug(payload.name))


@router.get("/other")
def other(payload: UserIn) -> str:
    return _slug(payload.name)
""",
    )
    extraction = extract(endpoint, "return UserOut(")
    schemas = (tmp_path / "app/schemas/user.py").read_text()
    service = (tmp_path / "app/services/user_service.py").read_text()
    assert "class UserIn(BaseModel):" in schemas and "class UserOut(UserIn):" in schemas
    assert "from pydantic import BaseModel" in schemas
    assert "def slug(name: str) -> str:" in service and 'PREFIX = "user-"' in service
    assert "def create_user(payload: UserIn) -> UserOut:" in service  # from response_model
    assert "from app.schemas.user import UserIn, UserOut" in service
    module = endpoint.read_text()
    assert "class UserIn" not in module and "def _slug" not in module
    assert "from app.schemas.user import UserIn, UserOut" in module
    # still used by `other`: made public, never imported as a private name
    assert "from app.services.user_service import slug" in module
    assert "return slug(payload.name)" in module and "_slug" not in module
    assert "BaseModel" not in module
    assert extraction.schemas_path is not None


def test_endpoint_returning_none_calls_the_service_without_return(tmp_path: Path) -> None:
    endpoint = _users(
        tmp_path,
        """

@router.delete("/{user_id}", status_code=204)
def delete_user(user_id: int, db: SessionDep) -> None:
    db.delete(user_id)
""",
    )
    extract(endpoint, "db.delete")
    assert "\n    user_service.delete_user(user_id=user_id, db=db)\n" in endpoint.read_text()


def test_existing_service_module_is_appended_with_a_unique_name(tmp_path: Path) -> None:
    endpoint = _users(
        tmp_path,
        """

@router.get("/count")
def count_users(db: SessionDep) -> int:
    return 3 if db else 0
""",
        {
            "app/services/__init__.py": "",
            "app/services/user_service.py": '''\
"""User services."""

from sqlalchemy.orm import Session


def count_users(db: Session) -> int:
    return 0
''',
        },
    )
    extraction = extract(endpoint, "return 3 if db")
    service = (tmp_path / "app/services/user_service.py").read_text()
    assert service.count("from sqlalchemy.orm import Session") == 1
    assert "def count_users(db: Session) -> int:\n    return 0" in service
    assert "\n\n\ndef count_users_2(db: Session) -> int:" in service
    assert extraction.service_function == "count_users_2"
    assert "return user_service.count_users_2(db=db)" in endpoint.read_text()


def test_plain_module_names_are_followed_when_services_do_not_end_in_service(
    tmp_path: Path,
) -> None:
    endpoint = _users(
        tmp_path,
        '\n\n@router.get("/")\ndef ping() -> str:\n    return "pong"\n',
        {"app/services/__init__.py": "", "app/services/orders.py": "X = 1\n"},
    )
    extraction = extract(endpoint, 'return "pong"')
    assert extraction.service_path.as_posix() == "app/services/users.py"
    assert "from app.services import users_service" not in endpoint.read_text()
    assert "from app.services import users\n" in endpoint.read_text()


def test_setting_pattern_overrides_the_convention(tmp_path: Path) -> None:
    endpoint = _users(tmp_path, '\n\n@router.get("/")\ndef ping() -> str:\n    return "pong"\n')
    extraction = extract(endpoint, 'return "pong"', service_module="{name}_logic")
    assert extraction.service_path.as_posix() == "app/services/users_logic.py"


def test_flat_main_module_gets_services_package_next_to_it(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "main.py": """\
from fastapi import FastAPI

app = FastAPI()
GREETING = "hi"


@app.get("/")
def root() -> str:
    return GREETING
"""
        },
    )
    extraction = extract(tmp_path / "main.py", "return GREETING")
    assert extraction.service_path.as_posix() == "services/main_service.py"
    assert "from services import main_service" in (tmp_path / "main.py").read_text()
    assert 'GREETING = "hi"' in (tmp_path / "services/main_service.py").read_text()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("def gen() -> object:\n    yield 1\n", "generator"),
        ("def g() -> int:\n    global COUNT\n    COUNT = 1\n    return COUNT\n", "global"),
        ("def p(n: int) -> int:\n    n = n + 1\n    return n\n", "reassigns its parameter `n`"),
        ('def d() -> None:\n    """Only a docstring."""\n', "no logic"),
        ("def r() -> object:\n    return router.routes\n", "router"),
        ("def u() -> object:\n    return undefined_name\n", "undefined_name"),
    ],
)
def test_refusals_name_the_reason(tmp_path: Path, body: str, reason: str) -> None:
    endpoint = _users(tmp_path, '\n\n@router.get("/x")\n' + body)
    with pytest.raises(ExtractRefusal, match=reason):
        plan_extract(endpoint.read_text(), endpoint, line_of(endpoint, "@router.get"))


def test_refuses_outside_endpoints_and_unparsable_code(tmp_path: Path) -> None:
    endpoint = _users(tmp_path, '\n\n@router.get("/")\ndef ping() -> str:\n    return "pong"\n')
    text = endpoint.read_text()
    with pytest.raises(ExtractRefusal, match="not inside a path operation"):
        plan_extract(text, endpoint, line_of(endpoint, "router = APIRouter()"))
    with pytest.raises(ExtractRefusal, match="does not parse"):
        plan_extract(text + "def (:\n", endpoint, line_of(endpoint, "return"))


def test_extracting_twice_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    endpoint = _users(tmp_path, '\n\n@router.get("/")\ndef ping() -> str:\n    return "pong"\n')
    extract(endpoint, 'return "pong"')
    text = endpoint.read_text()
    with pytest.raises(ExtractRefusal, match="already delegates"):
        plan_extract(text, endpoint, line_of(endpoint, "def ping"))


def test_edits_to_the_endpoint_module_are_minimal_and_keep_crlf(tmp_path: Path) -> None:
    endpoint = _users(tmp_path, '\n\n@router.get("/")\ndef ping() -> str:\n    return "pong"\n')
    endpoint.write_bytes(endpoint.read_bytes().replace(b"\n", b"\r\n"))
    text = endpoint.read_bytes().decode()
    extraction = plan_extract(text, endpoint, line_of(endpoint, "return"))
    (edit,) = [e for e in extraction.plan.edits if e.path.name == "users.py"]
    assert all("\n" not in e.new_text.replace("\r\n", "") for e in edit.edits)
    assert len(edit.edits) <= 3


def test_relative_imports_are_made_absolute_and_module_imports_kept(tmp_path: Path) -> None:
    endpoint = _users(
        tmp_path,
        """
import os
import os.path

from ...deps import SessionDep as Db


@router.get("/env")
def env(db: Db) -> str:
    return os.path.join(os.sep, "x") if db else ""
""",
    )
    extract(endpoint, "return os.path")
    service = (tmp_path / "app/services/user_service.py").read_text()
    assert "import os\n" in service
    assert "def env(db: Session) -> str:" in service  # alias resolved through app/api/deps.py
    assert "from sqlalchemy.orm import Session" in service
    module = endpoint.read_text()
    assert "import os" not in module


def test_helpers_imported_from_the_endpoints_package_are_refused(tmp_path: Path) -> None:
    endpoint = _users(
        tmp_path,
        """
from app.api.v1.endpoints.common import paginate


@router.get("/page")
def page() -> list[int]:
    return paginate([1, 2])
""",
        {"app/api/v1/endpoints/common.py": "def paginate(x): return x\n"},
    )
    with pytest.raises(ExtractRefusal, match="routing layer"):
        plan_extract(endpoint.read_text(), endpoint, line_of(endpoint, "return paginate"))


@pytest.mark.parametrize(
    "endpoint_text",
    [
        '@router.get("/")\ndef one(\n    n: int,\n): return n\n',
        '@router.get("/")\ndef two(n: int) -> int:\n    """Doc."""; return n\n',
    ],
)
def test_logic_sharing_a_line_with_the_signature_is_refused(
    tmp_path: Path, endpoint_text: str
) -> None:
    endpoint = _users(tmp_path, "\n\n" + endpoint_text)
    with pytest.raises(ExtractRefusal, match="own lines"):
        plan_extract(endpoint.read_text(), endpoint, line_of(endpoint, "@router.get"))


def test_names_bound_inside_top_level_if_are_refused_but_nested_locals_are_not(
    tmp_path: Path,
) -> None:
    endpoint = _users(
        tmp_path,
        """
import sys

LIMIT = 3

if sys.version_info >= (3, 11):
    FAST = True

    def _helper() -> int:
        LIMIT = 4  # a local of the nested function, not a second module binding
        return LIMIT
else:
    FAST = False


@router.get("/fast")
def fast() -> bool:
    return FAST


@router.get("/limit")
def limit() -> int:
    return LIMIT
""",
    )
    with pytest.raises(ExtractRefusal, match="`FAST` is bound by a top-level `if` statement"):
        plan_extract(endpoint.read_text(), endpoint, line_of(endpoint, "return FAST"))
    extract(endpoint, "def limit()")
    assert "LIMIT = 3" in (tmp_path / "app/services/user_service.py").read_text()


@pytest.mark.parametrize(
    ("helper", "use", "gap"),
    [
        # A statement right after the imports: isort (ruff I001) wants one blank line.
        ("MAX_DAYS = 90\n", "min(days, MAX_DAYS)", "\n"),
        # A def: two blank lines, as E302 and isort both want.
        ("def clamp(days: int) -> int:\n    return min(days, 90)\n", "clamp(days)", "\n\n"),
    ],
)
def test_new_service_module_keeps_isort_spacing_after_its_imports(
    tmp_path: Path, helper: str, use: str, gap: str
) -> None:
    body = (
        f"\n{helper}\n\n"
        '@router.get("/count")\n'
        "def count_users(db: SessionDep, days: int = 30) -> int:\n"
        '    """Count users."""\n'
        "    if db is None:\n"
        "        raise HTTPException(status_code=400)\n"
        f"    return {use}\n"
    )
    endpoint = _users(tmp_path, body)
    extract(endpoint, "if db is None")
    service = (tmp_path / "app/services/user_service.py").read_text()
    last_import = "from sqlalchemy.orm import Session\n"
    after_imports = service[service.index(last_import) + len(last_import) :]
    assert after_imports.startswith(gap + helper.splitlines()[0])
