"""add-resource: new modules in the project's flavour, minimal wiring edits, safe refusals."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from fastapi_architect.plan import read_text_exact, write_plan, write_text_exact
from fastapi_architect.scaffold import ScaffoldError, parse_options, plan_add_resource, plan_project
from fastapi_architect.scaffold.naming import resource_names
from fastapi_architect.scaffold.resource import find_project_root, migration_head
from fastapi_architect.scaffold.wiring import add_service_dependency, add_to_models, add_to_router
from fastapi_architect.textedit import apply_edits


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    write_plan(plan_project(parse_options({"project_name": "shop"})), root)
    return root


def test_router_gets_a_sorted_import_and_an_include_line() -> None:
    before = (
        '"""Routes."""\n\n'
        "from fastapi import APIRouter\n\n"
        "from app.api.v1.endpoints import predict, users  # keep\n\n"
        "api_router = APIRouter()\n"
        'api_router.include_router(users.router, prefix="/users", tags=["users"])\n'
        "# the end\n"
    )
    after = add_to_router(before, resource_names("order"))
    assert after == (
        '"""Routes."""\n\n'
        "from fastapi import APIRouter\n\n"
        "from app.api.v1.endpoints import orders, predict, users  # keep\n\n"
        "api_router = APIRouter()\n"
        'api_router.include_router(users.router, prefix="/users", tags=["users"])\n'
        'api_router.include_router(orders.router, prefix="/orders", tags=["orders"])\n'
        "# the end\n"
    )


def test_models_package_imports_the_model_and_lists_it_in_all() -> None:
    before = (
        '"""Models."""\n\nfrom app.db.base import Base\nfrom app.models.user import User\n\n'
        '__all__ = ["Base", "User"]\n'
    )
    after = add_to_models(before, resource_names("category"))
    assert after == (
        '"""Models."""\n\nfrom app.db.base import Base\nfrom app.models.category import Category\n'
        'from app.models.user import User\n\n__all__ = ["Base", "Category", "User"]\n'
    )


def test_an_import_sorted_first_keeps_the_block_together() -> None:
    before = '"""Models."""\n\nfrom app.models.user import User\n\n__all__ = ["User"]\n'
    after = add_to_models(before, resource_names("address"))
    assert after == (
        '"""Models."""\n\nfrom app.models.address import Address\n'
        'from app.models.user import User\n\n__all__ = ["Address", "User"]\n'
    )


def test_deps_gets_the_service_dependency_appended() -> None:
    before = (
        "from typing import Annotated\n\nfrom fastapi import Depends\n\n"
        "from app.services.user_service import UserService\n\nSessionDep = 1\n"
    )
    after = add_service_dependency(before, resource_names("order"))
    assert "from app.services.order_service import OrderService\n" in after
    assert after.index("order_service") < after.index("user_service")
    assert after.endswith(
        "def get_order_service(session: SessionDep) -> OrderService:\n"
        '    """The ``OrderService`` of the request\'s session."""\n'
        "    return OrderService(session)\n\n\n"
        "OrderServiceDep = Annotated[OrderService, Depends(get_order_service)]\n"
    )


def test_plan_creates_every_layer_and_edits_three_files_minimally(project: Path) -> None:
    plan = plan_add_resource(project, "order")
    assert sorted(str(f.path) for f in plan.creates) == [
        "app/api/v1/endpoints/orders.py",
        "app/models/order.py",
        "app/schemas/order.py",
        "app/services/order_service.py",
        "migrations/versions/0002_orders.py",
        "tests/test_orders.py",
    ]
    assert [str(edit.path) for edit in plan.edits] == [
        "app/api/v1/router.py",
        "app/models/__init__.py",
        "app/api/deps.py",
    ]
    for edit in plan.edits:
        assert 1 <= len(edit.edits) <= 3
    migration = next(f.content for f in plan.creates if "migrations" in f.path.parts)
    assert 'revision: str = "0002"' in migration
    assert 'down_revision: str | None = "0001"' in migration


def test_flavour_follows_the_project(tmp_path: Path) -> None:
    root = tmp_path / "svc"
    write_plan(plan_project(parse_options({"project_name": "svc", "orm": "async"})), root)
    plan = plan_add_resource(root, "order")
    service = next(f.content for f in plan.creates if f.path.name == "order_service.py")
    endpoints = next(f.content for f in plan.creates if f.path.name == "orders.py")
    assert "AsyncSession" in service
    assert "await self.session.commit()" in service
    assert "async def create_order(" in endpoints


def test_second_resource_chains_migrations(project: Path) -> None:
    write_plan(plan_add_resource(project, "order"), project)
    write_plan(plan_add_resource(project, "invoice"), project)
    head, revisions = migration_head(project / "migrations/versions")
    assert (head, sorted(revisions)) == ("0003", ["0001", "0002", "0003"])


def test_existing_files_are_refused_with_their_list(project: Path) -> None:
    with pytest.raises(ScaffoldError) as raised:
        plan_add_resource(project, "user")
    assert "app/models/user.py" in str(raised.value)
    write_plan(plan_add_resource(project, "order"), project)
    with pytest.raises(ScaffoldError, match="would overwrite existing files"):
        plan_add_resource(project, "order")


def test_several_migration_heads_are_refused(project: Path) -> None:
    for revision in ("0098", "0099"):
        branch = project / f"migrations/versions/{revision}_branch.py"
        branch.write_text(f'revision = "{revision}"\ndown_revision = "0001"\n', encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"several heads \(0098, 0099\)"):
        plan_add_resource(project, "invoice")


def test_not_a_project_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="is not a scaffolded FastAPI project"):
        plan_add_resource(tmp_path, "order")
    assert find_project_root(tmp_path) is None


def test_project_root_is_found_from_a_folder_inside_it(project: Path) -> None:
    assert find_project_root(project / "app" / "models") == project


def test_crlf_files_keep_their_line_endings(project: Path) -> None:
    router = project / "app/api/v1/router.py"
    write_text_exact(router, read_text_exact(router).replace("\n", "\r\n"))
    plan = plan_add_resource(project, "order")
    edit = next(e for e in plan.edits if e.path == PurePosixPath("app/api/v1/router.py"))
    after = apply_edits(read_text_exact(router), edit.edits)
    assert "\n" not in after.replace("\r\n", "")
    assert "orders.router" in after


def test_a_project_without_get_current_user_needs_a_public_resource(project: Path) -> None:
    deps = project / "app/api/deps.py"
    source = read_text_exact(deps)
    write_text_exact(deps, source.replace("def get_current_user(", "def current_account("))
    with pytest.raises(ScaffoldError, match="defines no get_current_user"):
        plan_add_resource(project, "order")
    plan = plan_add_resource(project, "order", public=True)
    endpoints = next(f for f in plan.creates if f.path.name == "orders.py")
    assert "get_current_user" not in endpoints.content
