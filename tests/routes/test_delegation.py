"""Which service function a path operation delegates to, across the project's modules."""

from __future__ import annotations

import ast
from textwrap import dedent

import pytest

from fastapi_architect.routes import RouteIndex
from fastapi_architect.routes.delegation import has_inline_logic, service_call

PROJECT = {
    "app/__init__.py": "",
    "app/services/__init__.py": "",
    "app/services/user_service.py": "class UserService:\n    def create(self): ...\n",
    "app/services/order_service.py": "def place_order(): ...\n",
    "app/api/deps.py": dedent(
        """
        from typing import Annotated
        from fastapi import Depends
        from app.services.user_service import UserService

        def get_user_service() -> UserService: ...

        UserServiceDep = Annotated[UserService, Depends(get_user_service)]
        """
    ),
}

ENDPOINTS = """
    from fastapi import APIRouter, Depends
    from app.api.deps import UserServiceDep, get_user_service
    from app.services import order_service
    from app.services.order_service import place_order
    from app.services.user_service import UserService

    router = APIRouter()

    def by_alias(service: UserServiceDep):
        return service.create()

    def by_default(service: UserService = Depends(get_user_service)):
        return service.create()

    def by_module():
        order = order_service.place_order()
        return order

    def by_function():
        return place_order()

    def by_local(db):
        service = UserService(db)
        return service.create()

    def inline(db):
        user = db.get(1)
        return user

    def factory_only():
        return get_user_service()
"""


def delegations() -> dict[str, str | None]:
    files = {**PROJECT, "app/api/endpoints.py": dedent(ENDPOINTS)}
    index = RouteIndex(files.get)
    index.sync(dict.fromkeys(files, 1))
    tree = ast.parse(files["app/api/endpoints.py"])
    imports = index.imports_of("app/api/endpoints.py")
    found: dict[str, str | None] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            call = service_call(node, imports, index.module)
            found[node.name] = None if call is None else call.qualified_name
    return found


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        ("by_alias", "app.services.user_service.UserService.create"),
        ("by_default", "app.services.user_service.UserService.create"),
        ("by_module", "app.services.order_service.place_order"),
        ("by_function", "app.services.order_service.place_order"),
        ("by_local", "app.services.user_service.UserService.create"),
        ("inline", None),
        ("factory_only", None),
    ],
)
def test_handler_names_the_service_function_it_calls(handler: str, expected: str | None) -> None:
    assert delegations()[handler] == expected


@pytest.mark.parametrize(
    ("body", "inline"),
    [
        ('"""Doc."""\nreturn current_user', False),
        ("return 42", False),
        ("user = db.get(1)\nreturn user", True),
        ("return db.scalars(select(User)).all()", True),
    ],
)
def test_inline_logic_is_more_than_returning_a_name(body: str, inline: bool) -> None:
    source = "def handler(current_user, db):\n" + "".join(
        f"    {line}\n" for line in body.split("\n")
    )
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    assert has_inline_logic(node) == inline
