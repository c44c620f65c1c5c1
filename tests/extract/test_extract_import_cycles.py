"""Code moving into an existing service module must not make it import a module that imports
it back by name at module level (an import cycle that fails at start-up, depending on which
module starts first); cycles of module imports (``from app import billing``) work and are
allowed — the app answers the same."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from extract_support import call_app, extract, make_project

from fastapi_architect.extract.context import ExtractRefusal
from fastapi_architect.extract.import_cycles import ImportGraph
from fastapi_architect.project_files import DISK

sys.path.insert(0, str(Path(__file__).parents[1]))

from venvs import fixture_app_python

SERVICE = '''\
"""Order logic."""


def total(amount: int) -> int:
    """The amount with tax."""
    return amount * 2
'''

VIEWS = """\
from fastapi import APIRouter

{billing_import}

router = APIRouter()


@router.post("/orders/{{amount}}")
def create_order(amount: int) -> dict[str, int]:
    charged = {charge}(amount)
    return {{"charged": charged}}
"""

MAIN = """\
from fastapi import FastAPI

from app.orders.views import router

app = FastAPI()
app.include_router(router)
"""


def _project(root: Path, billing: str, billing_import: str, charge: str) -> Path:
    make_project(
        root,
        {
            "app/__init__.py": "",
            "app/main.py": MAIN,
            "app/billing.py": billing,
            "app/orders/__init__.py": "",
            "app/orders/models.py": "",
            "app/orders/service.py": SERVICE,
            "app/orders/views.py": VIEWS.format(billing_import=billing_import, charge=charge),
        },
    )
    return root / "app/orders/views.py"


def test_import_that_closes_a_cycle_by_name_is_refused_with_the_chain(tmp_path: Path) -> None:
    billing = (
        "from app.orders.service import total\n\n\n"
        "def charge(amount: int) -> int:\n    return total(amount)\n"
    )
    views = _project(tmp_path, billing, "from app.billing import charge", "charge")
    with pytest.raises(ExtractRefusal) as refusal:
        extract(views, "charged = charge(amount)")
    assert str(refusal.value) == (
        "app/orders/service.py would import `charge` from app.billing, which imports "
        "app/orders/service.py back at module level (app.billing → app.orders.service): an "
        "import cycle that fails at start-up; move `charge` to a module app.billing does not "
        "depend on, or extract by hand"
    )
    assert (tmp_path / "app/orders/service.py").read_text() == SERVICE


@pytest.mark.slow
def test_cycle_of_module_imports_is_allowed_and_the_app_answers_the_same(
    tmp_path: Path,
) -> None:
    python = fixture_app_python()
    billing = (
        "from app.orders import service as order_service\n\n\n"
        "def charge(amount: int) -> int:\n    return order_service.total(amount)\n"
    )
    views = _project(tmp_path, billing, "from app import billing", "billing.charge")
    calls: list[tuple[str, str, object]] = [("POST", "/orders/5", None)]
    before = call_app(python, tmp_path, "app.main", calls)
    extract(views, "charged = billing.charge(amount)")
    assert "from app import billing\n" in (tmp_path / "app/orders/service.py").read_text()
    (tmp_path / "first_billing.py").write_text("import app.billing\nfrom app.main import app\n")
    assert call_app(python, tmp_path, "app.main", calls) == before == [[200, {"charged": 10}]]
    assert call_app(python, tmp_path, "first_billing", calls) == before


def test_import_graph_reads_module_level_imports_only(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from typing import TYPE_CHECKING\n\nfrom . import b\nfrom .c import (\n"
            "    name,\n)\n\nif TYPE_CHECKING:\n    from pkg import d\n\n\ndef f() -> None:\n"
            "    import pkg.d\n",
            "pkg/b.py": "",
            "pkg/c.py": "name = 1\n",
            "pkg/d.py": "",
        },
    )
    graph = ImportGraph(tmp_path, DISK)
    assert graph.imports_of("pkg.a") == {"pkg": False, "pkg.b": False, "pkg.c": True}
