"""Class-based views (``@cbv(router)`` classes, fastapi-utils / fastapi-restful): a path
operation method extracts into a service function that gets the class's dependencies as
arguments (``self.session`` → ``session``), or is refused with the reason."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from extract_support import call_app, extract, line_of

from fastapi_architect.extract.context import ExtractRefusal
from fastapi_architect.extract.endpoints import index_endpoints, refusal_reason

sys.path.insert(0, str(Path(__file__).parents[1]))

from venvs import fixture_app_python

STOCK = Path(__file__).parent / "fixtures" / "stock"
VIEWS = "app/api/stock.py"


@pytest.fixture
def stock(tmp_path: Path) -> Path:
    """A fresh copy of the stock app (its endpoints are methods of one ``@cbv`` class)."""
    project = tmp_path / "stock"
    shutil.copytree(STOCK, project)
    return project


def test_method_of_a_class_based_view_is_an_endpoint(stock: Path) -> None:
    path = stock / VIEWS
    tree = ast.parse(path.read_text())
    endpoint = index_endpoints(tree).at(line_of(path, "row.count = min"))
    assert endpoint is not None
    assert (endpoint.name, endpoint.method, endpoint.route) == ("add_stock", "post", "/{name}")
    assert endpoint.owner is not None and endpoint.owner.name == "StockViews"
    assert refusal_reason(endpoint) is None
    helper = index_endpoints(tree).at(line_of(path, "return list(self.session.scalars"))
    assert helper is None  # `_names` has no route decorator


@pytest.mark.parametrize(
    "decorator",
    ["@cbv(router)", "@fastapi_utils.cbv.cbv(router)", "@fastapi_restful.cbv.cbv(router)"],
)
def test_cbv_decorator_is_recognised_under_any_module_prefix(decorator: str) -> None:
    source = f"""\
    {decorator}
    class Views:
        @router.get("/")
        def read(self) -> int:
            return 1
    """
    endpoints = index_endpoints(ast.parse(textwrap.dedent(source))).endpoints
    assert [e.name for e in endpoints] == ["read"]


def test_methods_of_a_plain_class_are_not_endpoints() -> None:
    source = 'class Views:\n    @router.get("/")\n    def read(self) -> int:\n        return 1\n'
    assert index_endpoints(ast.parse(source)).endpoints == ()


def test_self_dependencies_become_arguments_passed_by_the_method(stock: Path) -> None:
    extraction = extract(stock / VIEWS, "raise HTTPException(status_code=404")
    assert extraction.service_function == "read_stock"
    service = (stock / "app/services/stock_service.py").read_text()
    assert "def read_stock(session: Session, clerk: str, name: str) -> dict[str, int | str]:\n" in (
        service
    )
    assert '    """How many of ``name`` are in stock, and who asked."""\n' in service
    assert "    row = session.scalar(select(Stock).where(Stock.name == name))\n" in service
    assert '    return {"name": row.name, "count": row.count, "clerk": clerk}\n' in service
    assert "self" not in service
    views = (stock / VIEWS).read_text()
    assert (
        "        return stock_service.read_stock(\n"
        "            session=self.session,\n"
        "            clerk=self.clerk,\n"
        "            name=name,\n"
        "        )\n"
    ) in views
    assert "    session: Session = Depends(get_db)\n" in views  # the class keeps its dependencies


def test_extracted_method_is_not_offered_again(stock: Path) -> None:
    extract(stock / VIEWS, "row.count = min")
    path = stock / VIEWS
    endpoint = index_endpoints(ast.parse(path.read_text())).at(line_of(path, "def add_stock"))
    assert endpoint is not None
    assert refusal_reason(endpoint) == (
        "`add_stock` already delegates to a single call; nothing left to extract"
    )


@pytest.mark.parametrize(
    ("needle", "reason"),
    [
        (
            "self.last_removed = name",
            "`remove_stock` of the class-based view `StockViews` assigns `self.last_removed`; "
            "the service cannot change the view's state — return the value instead",
        ),
        (
            "names = self._names()",
            "`list_stock` of the class-based view `StockViews` calls the method `self._names`; "
            "move that method to a module-level function first",
        ),
    ],
)
def test_what_cannot_be_kept_about_self_is_refused_with_the_reason(
    stock: Path, needle: str, reason: str
) -> None:
    before = (stock / VIEWS).read_text()
    with pytest.raises(ExtractRefusal) as refusal:
        extract(stock / VIEWS, needle)
    assert str(refusal.value) == reason
    assert (stock / VIEWS).read_text() == before
    assert not (stock / "app/services/stock_service.py").exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            "total = self.cache.get(key)\n        return total",
            "`read` of the class-based view `Views` reads `self.cache`, which is not a "
            "dependency declared on the class (`cache: Type = Depends(...)`)",
        ),
        (
            "helper = audit(self)\n        return helper",
            "`read` of the class-based view `Views` passes `self` itself on; only reads of its "
            "declared dependencies (`self.<attribute>`) can become service arguments",
        ),
        (
            "store = {}\n        return self.store.get(key, store)",
            "`read` of the class-based view `Views` reads `self.store`, which would become the "
            "argument `store`, but the method already uses that name; rename one of them first",
        ),
        (
            'text = f"""{self.store}\n        """\n        return text',
            "`self.store` is split over lines (or inside a multi-line f-string) in `read` of "
            "the class-based view `Views`; put it on one line first",
        ),
        (
            "value = Views.LIMIT\n        return value",
            "`read` of the class-based view `Views` uses its own class `Views`; the service cannot",
        ),
    ],
)
def test_self_uses_a_service_cannot_express_are_refused(
    tmp_path: Path, body: str, reason: str
) -> None:
    source = f"""\
from fastapi import APIRouter, Depends

from cbv import cbv

router = APIRouter()
LIMIT = 3


def get_store() -> dict[str, int]:
    return {{}}


def audit(views: object) -> int:
    return 1


@cbv(router)
class Views:
    store: dict[str, int] = Depends(get_store)

    @router.get("/{{key}}")
    def read(self, key: str) -> object:
        {body}
"""
    (tmp_path / "main.py").write_text(source)
    with pytest.raises(ExtractRefusal) as refusal:
        extract(tmp_path / "main.py", body.splitlines()[0])
    assert str(refusal.value) == reason


def test_method_body_moves_to_module_level_with_multiline_strings_kept(tmp_path: Path) -> None:
    source = '''\
from fastapi import APIRouter, Depends

from cbv import cbv

router = APIRouter()


def get_prefix() -> str:
    return ">"


@cbv(router)
class Views:
    prefix: str = Depends(get_prefix)

    @router.get("/")
    def banner(self) -> str:
        text = """line
        indented stays"""
        if text:
            return self.prefix + text.upper()
        return ""
'''
    (tmp_path / "main.py").write_text(source)
    extract(tmp_path / "main.py", "if text:")
    service = (tmp_path / "services/main_service.py").read_text()
    assert (
        "def banner(prefix: str) -> str:\n"
        '    """Business logic of the ``GET /`` endpoint."""\n'
        '    text = """line\n'
        '        indented stays"""\n'
        "    if text:\n"
        "        return prefix + text.upper()\n"
        '    return ""\n'
    ) in service


CALLS: list[tuple[str, str, object]] = [
    ("POST", "/stock/bolts?amount=60", None),
    ("POST", "/stock/bolts?amount=60", None),
    ("GET", "/stock/bolts", None),
    ("GET", "/stock/nuts", None),
    ("POST", "/stock/nuts", None),
    ("GET", "/stock", None),
]


def _run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_class_based_view_app_answers_the_same_and_stays_clean_after_extraction(
    stock: Path, tmp_path: Path
) -> None:
    python = fixture_app_python()
    before = call_app(python, stock, "app.main", CALLS)
    extract(stock / VIEWS, "raise HTTPException(status_code=404")
    extract(stock / VIEWS, "row.count = min")
    after = call_app(python, stock, "app.main", CALLS)
    assert after == before
    assert before[:3] == [
        [201, {"bolts": 60}],
        [201, {"bolts": 100}],
        [200, {"name": "bolts", "count": 100, "clerk": "anonymous"}],
    ]
    _run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], stock)
    _run([str(python), "-m", "ruff", "check", "--no-cache", "--isolated", "."], stock)
    mypy_cache = str(tmp_path / "mypy")
    _run([str(python), "-m", "mypy", "--strict", "--cache-dir", mypy_cache, "."], stock)
