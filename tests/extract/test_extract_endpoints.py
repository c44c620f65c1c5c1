"""Which functions count as path operations, and the cheap per-endpoint refusals."""

from __future__ import annotations

import ast

from fastapi_architect.extract.endpoints import index_endpoints, refusal_reason

MODULE = """\
import fastapi

app = fastapi.FastAPI()
router = fastapi.APIRouter()


def helper() -> int:
    return 1


@app.get("/a")
def on_app() -> int:
    return helper()


@router.api_route("/b", methods=["GET"])
@some.other_decorator
async def generic() -> int:
    return 2


@app.websocket("/ws")
async def socket() -> None:
    return None


@router.delete(path="/c")
def delete() -> None:
    value = 3
    # trailing comment inside the body
"""


def test_index_finds_decorated_module_level_path_operations_only() -> None:
    index = index_endpoints(ast.parse(MODULE))
    assert [e.name for e in index.endpoints] == ["on_app", "generic", "delete"]
    assert [e.method for e in index.endpoints] == ["get", "api_route", "delete"]
    assert index.endpoints[2].route == "/c"


def test_lookup_covers_decorators_and_body_but_not_gaps() -> None:
    index = index_endpoints(ast.parse(MODULE))
    lines = MODULE.splitlines()

    def at(needle: str) -> str | None:
        endpoint = index.at(next(n for n, line in enumerate(lines) if needle in line))
        return endpoint.name if endpoint else None

    assert at('@router.api_route("/b"') == "generic"
    assert at("@some.other_decorator") == "generic"
    assert at("return helper()") == "on_app"
    assert at("value = 3") == "delete"
    assert at("def helper") is None
    assert at("async def socket") is None
    assert at("router = fastapi.APIRouter()") is None


def test_nested_generators_and_parameter_mutation_are_allowed() -> None:
    source = (
        '@app.get("/")\ndef ok(items: list[int]) -> list[int]:\n'
        "    def gen() -> object:\n        yield 1\n"
        "    items.append(1)\n    return [items for items in [items]][0]\n"
    )
    (endpoint,) = index_endpoints(ast.parse(source)).endpoints
    assert refusal_reason(endpoint) is None
