"""The domain-package layout (``case/views.py`` next to ``case/service.py``, ``models.py``,
``schemas.py``): logic goes into the domain's own service module, called the way the router
module already calls it, and the app answers the same before and after."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from extract_support import call_app, extract, line_of, make_project

from fastapi_architect.cli import main
from fastapi_architect.extract.context import ExtractRefusal
from fastapi_architect.extract.endpoints import index_endpoints, refusal_reason
from fastapi_architect.extract.layout import resolve_layout
from fastapi_architect.extract.service_call import _without_domain

sys.path.insert(0, str(Path(__file__).parents[1]))

from venvs import fixture_app_python

HELPDESK = Path(__file__).parent / "fixtures" / "helpdesk"
SRC = "src/helpdesk"
ROUTERS = [f"{SRC}/case/views.py", f"{SRC}/tag/router.py", f"{SRC}/comment/router.py"]


@pytest.fixture
def helpdesk(tmp_path: Path) -> Path:
    """A fresh copy of the help desk app (src layout, three domain packages)."""
    project = tmp_path / "helpdesk"
    shutil.copytree(HELPDESK, project)
    return project


def _functions(path: Path) -> dict[str, str]:
    """Top-level function names of a module and their source."""
    text = path.read_text(encoding="utf-8")
    return {
        node.name: ast.get_source_segment(text, node) or ""
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef)
    }


def test_domain_router_targets_its_own_service_and_the_module_holding_its_models(
    helpdesk: Path,
) -> None:
    case = resolve_layout(helpdesk / f"{SRC}/case/views.py")
    assert case.import_root == helpdesk / "src"
    assert (case.service.module, case.service.exists) == ("helpdesk.case.service", True)
    assert case.schemas.module == "helpdesk.case.models"  # Dispatch keeps Pydantic models there
    assert case.domain == helpdesk / f"{SRC}/case"
    tag = resolve_layout(helpdesk / f"{SRC}/tag/router.py")
    assert tag.service.module == "helpdesk.tag.service"
    assert tag.schemas.module == "helpdesk.tag.schemas"
    comment = resolve_layout(helpdesk / f"{SRC}/comment/router.py")
    assert (comment.service.module, comment.service.exists) == ("helpdesk.comment.service", False)
    assert comment.service.new_package_init is None


def test_models_next_to_the_router_are_not_the_routing_layer(helpdesk: Path) -> None:
    views = helpdesk / f"{SRC}/case/views.py"
    service = helpdesk / f"{SRC}/case/service.py"
    before = _functions(service)
    extraction = extract(views, "if case_in.status not in ALLOWED_STATUSES")
    assert extraction.service_path.as_posix() == "helpdesk/case/service.py"
    after = _functions(service)
    assert {name: after[name] for name in before} == before  # existing functions untouched
    assert extraction.service_function == "update"  # the domain dropped, as the module names
    assert "from .models import Case, CaseCreate, CaseUpdate\n" in service.read_text()
    assert not (helpdesk / f"{SRC}/services").exists()


def test_router_importing_service_functions_by_name_calls_the_new_one_by_name(
    helpdesk: Path,
) -> None:
    views = helpdesk / f"{SRC}/case/views.py"
    extract(views, "if case_in.status not in ALLOWED_STATUSES")
    text = views.read_text()
    assert "from .service import create, get, get_by_title, update\n" in text
    assert "    return update(db_session=db_session, case_id=case_id, case_in=case_in)\n" in text
    endpoint = index_endpoints(ast.parse(text)).at(line_of(views, "def update_case"))
    assert endpoint is not None
    assert refusal_reason(endpoint) == (
        "`update_case` already delegates to a single call; nothing left to extract"
    )


def test_name_taken_in_the_router_falls_back_to_calling_through_the_module(
    helpdesk: Path,
) -> None:
    views = helpdesk / f"{SRC}/case/views.py"
    extraction = extract(views, "title = _normalise_title")
    # `create` exists in the service; `create_case` is the endpoint itself in views.py.
    assert extraction.service_function == "create_case"
    text = views.read_text()
    assert "from . import service\n" in text
    assert "    return service.create_case(db_session=db_session, case_in=case_in)\n" in text


def test_service_module_read_through_its_alias_becomes_a_plain_name_inside_it(
    helpdesk: Path,
) -> None:
    router = helpdesk / f"{SRC}/tag/router.py"
    extraction = extract(router, "if tag_in.color not in COLOURS")
    assert extraction.service_function == "create"
    service = (helpdesk / f"{SRC}/tag/service.py").read_text()
    assert "    if get_by_name(session, name) is not None:\n" in service
    assert "tag_service" not in service  # never imports itself
    assert "from helpdesk.tag.schemas import TagCreate\n" in service  # absolute, as written
    assert "    return tag_service.create(session=session, tag_in=tag_in)\n" in router.read_text()


def test_domain_without_a_service_module_gets_service_py(helpdesk: Path) -> None:
    router = helpdesk / f"{SRC}/comment/router.py"
    extract(router, "count = len(")
    service = (helpdesk / f"{SRC}/comment/service.py").read_text()
    assert service.startswith('"""Business logic for comment, called by the API endpoints."""')
    assert "from helpdesk.case.models import Case\n" in service
    assert "MAX_COMMENTS = 3\n" in service
    assert "from . import service\n" in router.read_text()


def test_identical_function_already_in_the_service_is_called_not_duplicated(
    tmp_path: Path,
) -> None:
    route = """\
    from fastapi import APIRouter

    from . import service

    router = APIRouter()


    @router.get("/{key}")
    def read_entry(key: str) -> str:
        text = key.strip()
        return text.upper()
    """
    existing = '''\
    """Entry logic."""


    def read(key: str) -> str:
        """Business logic of the ``GET /{key}`` endpoint."""
        text = key.strip()
        return text.upper()
    '''
    make_project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/entry/__init__.py": "",
            "app/entry/router.py": route,
            "app/entry/service.py": existing,
            "app/entry/schemas.py": "",
        },
    )
    extraction = extract(tmp_path / "app/entry/router.py", "text = key.strip()")
    assert extraction.service_function == "read"
    assert list(_functions(tmp_path / "app/entry/service.py")) == ["read"]
    assert "    return service.read(key=key)\n" in (tmp_path / "app/entry/router.py").read_text()


def test_a_sibling_router_module_stays_the_routing_layer(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/entry/__init__.py": "",
            "app/entry/models.py": "",
            "app/entry/routes.py": """\
            from fastapi import APIRouter

            helper_router = APIRouter()
            LIMIT = 3


            @helper_router.get("/limit")
            def read_limit() -> int:
                return LIMIT
            """,
            "app/entry/views.py": """\
            from fastapi import APIRouter

            from .routes import LIMIT

            router = APIRouter()


            @router.get("/")
            def read_limit() -> int:
                doubled = LIMIT * 2
                return doubled
            """,
        },
    )
    with pytest.raises(ExtractRefusal) as refusal:
        extract(tmp_path / "app/entry/views.py", "doubled = LIMIT")
    assert str(refusal.value) == (
        "`LIMIT` comes from app.entry.routes, next to the endpoints; services must not import "
        "the routing layer — move it to the service or a shared module first"
    )


def test_a_helper_module_named_views_without_path_operations_is_not_the_routing_layer(
    tmp_path: Path,
) -> None:
    make_project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/common/__init__.py": "",
            "app/common/views.py": "def double(value: int) -> int:\n    return value * 2\n",
            "app/entry/__init__.py": "",
            "app/entry/service.py": '"""Entry logic."""\n',
            "app/entry/views.py": """\
            from fastapi import APIRouter

            from app.common.views import double

            router = APIRouter()


            @router.get("/{value}")
            def read_double(value: int) -> int:
                result = double(value)
                return result
            """,
        },
    )
    extract(tmp_path / "app/entry/views.py", "result = double(value)")
    service = (tmp_path / "app/entry/service.py").read_text()
    assert "from app.common.views import double\n" in service
    assert "def read_double(value: int) -> int:\n" in service


CALLS: list[tuple[str, str, object]] = [
    ("POST", "/cases", {"title": "  printer   on FIRE "}),
    ("POST", "/cases", {"title": "printer on fire"}),
    ("PATCH", "/cases/1", {"status": "lost"}),
    ("PATCH", "/cases/1", {"status": "closed", "priority": 1}),
    ("POST", "/cases", {"title": "Printer on fire"}),
    ("GET", "/cases/2", None),
    ("GET", "/cases/9", None),
    ("GET", "/cases?status_filter=closed", None),
    ("POST", "/tags", {"name": " Urgent "}),
    ("POST", "/tags", {"name": "urgent"}),
    ("POST", "/tags", {"name": "x", "color": "blue"}),
    ("GET", "/tags?color=grey", None),
    ("POST", "/cases/2/comments", {"body": " first "}),
    ("POST", "/cases/1/comments", {"body": "on a closed case"}),
    ("GET", "/cases/2/comments", None),
]


def _run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.slow
def test_every_endpoint_of_the_domain_package_app_extracts_and_behaviour_is_kept(
    helpdesk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    python = fixture_app_python()
    before = call_app(python, helpdesk / "src", "helpdesk.main", CALLS)
    suite = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    assert "6 passed" in _run(suite, helpdesk)
    for relative in ROUTERS:
        path = helpdesk / relative
        while True:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            open_lines = [
                e.node.lineno for e in index_endpoints(tree).endpoints if refusal_reason(e) is None
            ]
            if not open_lines:
                break
            assert main(["extract-service", str(path), "--line", str(open_lines[0])]) == 0
    assert capsys.readouterr().out.count("extracted ") == 8
    assert call_app(python, helpdesk / "src", "helpdesk.main", CALLS) == before
    created = {"id": 1, "title": "Printer on fire", "status": "open", "priority": 3}
    assert before[0] == [201, created]
    assert "6 passed" in _run(suite, helpdesk)
    _run([str(python), "-m", "ruff", "check", "--no-cache", "--isolated", "."], helpdesk)
    _run([str(python), "-m", "ruff", "check", "--no-cache", "."], helpdesk)
    mypy_cache = str(tmp_path / "mypy")
    _run([str(python), "-m", "mypy", "--strict", "--cache-dir", mypy_cache, "."], helpdesk)
    assert not (helpdesk / f"{SRC}/services").exists()
    assert sorted(_functions(helpdesk / f"{SRC}/case/service.py")) == [
        "_normalise_title",
        "create",
        "create_case",
        "get",
        "get_by_title",
        "get_case",
        "get_cases",
        "update",
    ]


@pytest.mark.parametrize(
    ("helpers_import", "service_import", "imported_back"),
    [
        (
            "from ...common.helpers import double",
            "from ..common.helpers import double\n",
            "from ...services import number_service\n",
        ),
        (
            "from app.common.helpers import double",
            "from app.common.helpers import double\n",
            "from app.services import number_service\n",  # never `...` in a `.`-only module
        ),
    ],
)
def test_generated_imports_reach_up_only_where_the_module_does(
    tmp_path: Path, helpers_import: str, service_import: str, imported_back: str
) -> None:
    make_project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/common/__init__.py": "",
            "app/common/helpers.py": "def double(value: int) -> int:\n    return value * 2\n",
            "app/api/__init__.py": "",
            "app/api/routers/__init__.py": "",
            "app/api/routers/limits.py": "LIMIT = 10\n",
            "app/api/routers/numbers.py": f"""\
            from fastapi import APIRouter

            {helpers_import}
            from .limits import LIMIT

            router = APIRouter()


            @router.get("/double/{{value}}")
            def read_double(value: int) -> int:
                result = double(value)
                return result


            @router.get("/limit")
            def read_limit() -> int:
                return LIMIT
            """,
        },
    )
    module = tmp_path / "app/api/routers/numbers.py"
    extract(module, "result = double")
    assert service_import in (tmp_path / "app/services/number_service.py").read_text()
    assert imported_back in module.read_text()


@pytest.mark.parametrize(
    ("endpoint", "domain", "function"),
    [
        ("create_case", "case", "create"),
        ("get_cases", "case", "get"),
        ("get_case_participants", "case", "get_participants"),
        ("get_incident_costs", "incident_cost", "get"),
        ("get_category", "categories", "get"),
        ("case", "case", None),
        ("update", "case", None),
    ],
)
def test_service_function_drops_the_domain_words_from_the_endpoint_name(
    endpoint: str, domain: str, function: str | None
) -> None:
    assert _without_domain(endpoint, domain) == function
