"""Route symbols and the route card over stdio, in the VS Code, Neovim and Emacs capability sets."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.scaffold.options import ScaffoldOptions
from fastapi_architect.scaffold.project import plan_project
from lsp_support import (
    editor,
    initialize_result,
    lsp_position,
    open_document,
    uri_of,
    wait_for_diagnostics,
)

USERS = "app/api/v1/endpoints/users.py"


@pytest.fixture
def service(workspace: Path) -> Path:
    """A freshly scaffolded service in the workspace."""
    for generated in plan_project(ScaffoldOptions(project_name="shop")).creates:
        path = workspace / generated.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated.content, encoding="utf-8")
    return workspace


def position_of(text: str, needle: str, client: LanguageClient) -> types.Position:
    offset = text.index(needle)
    return lsp_position(text, offset, editor(client).encoding)


def test_server_advertises_symbols_hover_and_definition(client: LanguageClient) -> None:
    capabilities = initialize_result(client).capabilities
    assert capabilities.workspace_symbol_provider
    assert capabilities.document_symbol_provider
    assert capabilities.hover_provider
    assert capabilities.definition_provider


async def test_workspace_symbol_finds_route_by_method_and_full_path(
    client: LanguageClient, service: Path
) -> None:
    found = await client.workspace_symbol_async(
        types.WorkspaceSymbolParams(query="POST /api/v1/users/")
    )
    assert found is not None
    assert [(s.name, s.container_name) for s in found] == [("POST /api/v1/users/", "create_user")]
    (symbol,) = found
    assert isinstance(symbol, types.SymbolInformation)
    text = (service / USERS).read_text(encoding="utf-8")
    assert symbol.location.uri == uri_of(service / USERS)
    start = position_of(text, "create_user(", client)
    assert symbol.location.range.start == start


async def test_workspace_symbol_sees_an_unsaved_route_in_an_open_buffer(
    client: LanguageClient, service: Path
) -> None:
    path = service / USERS
    text = path.read_text(encoding="utf-8") + (
        '\n\n@router.get("/{user_id}/orders")\ndef list_orders(user_id: int) -> None:\n'
        '    """Orders."""\n'
    )
    open_document(client, path, text)
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="orders"))
    assert found is not None
    assert [s.name for s in found] == ["GET /api/v1/users/{user_id}/orders"]


async def test_document_symbols_list_the_routes_of_an_endpoint_module(
    client: LanguageClient, service: Path
) -> None:
    path = service / USERS
    text = path.read_text(encoding="utf-8")
    uri = open_document(client, path, text)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri))
    )
    assert symbols is not None
    names = [s.name for s in symbols]
    crud = [
        "POST /api/v1/users/",
        "GET /api/v1/users/",
        "GET /api/v1/users/{user_id}",
        "PATCH /api/v1/users/{user_id}",
        "DELETE /api/v1/users/{user_id}",
    ]
    assert [name for name in names if name in crud] == crud
    assert all(name.split(" ")[1].startswith("/api/v1/users/") for name in names)
    assert len(names) == text.count("\n@router.")
    caps = client.capabilities.text_document if client.capabilities else None
    hierarchical = bool(
        caps and caps.document_symbol and caps.document_symbol.hierarchical_document_symbol_support
    )
    first = symbols[0]
    if hierarchical:
        assert isinstance(first, types.DocumentSymbol)
        assert first.range.start == position_of(text, "@router.post(", client)
        assert first.selection_range.start == position_of(text, "create_user(", client)
    else:
        assert isinstance(first, types.SymbolInformation)
        assert first.location.uri == uri


async def test_hover_on_a_path_operation_decorator_shows_its_route_card(
    client: LanguageClient, service: Path
) -> None:
    path = service / USERS
    text = path.read_text(encoding="utf-8")
    uri = open_document(client, path, text)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri),
            position=position_of(text, "response_model=UserResponse,", client),
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    card = hover.contents.value
    for expected in (
        "POST /api/v1/users/",
        "create_user",
        "application",
        "api_router",
        "/api/v1",
        "/users",
        "app/api/v1/router.py",
        "UserResponse",
        "201 (status.HTTP_201_CREATED)",
    ):
        assert expected in card
    caps = client.capabilities.text_document if client.capabilities else None
    markdown = bool(
        caps and caps.hover and types.MarkupKind.Markdown in (caps.hover.content_format or [])
    )
    assert hover.contents.kind == (
        types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    )
    assert ("**POST /api/v1/users/**" in card) == markdown


async def test_hover_names_the_route_that_shadows_this_one(
    client: LanguageClient, service: Path
) -> None:
    path = service / USERS
    text = path.read_text(encoding="utf-8") + (
        '\n\n@router.get("/admins")\ndef list_admins() -> None:\n    """Admins."""\n'
    )
    uri = open_document(client, path, text)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri),
            position=position_of(text, "list_admins", client),
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert "GET /api/v1/users/{user_id}" in hover.contents.value
    assert "read_user" in hover.contents.value


async def test_hover_inside_a_handler_body_or_outside_any_route_is_empty(
    client: LanguageClient, service: Path
) -> None:
    path = service / USERS
    text = path.read_text(encoding="utf-8")
    uri = open_document(client, path, text)
    for needle in ("return service.create(data)", "Responses = dict"):
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri),
                position=position_of(text, needle, client),
            )
        )
        assert hover is None


async def test_router_never_included_and_shadowed_route_get_information_diagnostics(
    client: LanguageClient, service: Path
) -> None:
    orders = service / "app/api/v1/endpoints/orders.py"
    text = (
        "from fastapi import APIRouter\n\n"
        "router = APIRouter()\n\n\n"
        '@router.get("/{order_id}")\ndef read_order(order_id: int) -> None:\n    """One."""\n\n\n'
        '@router.get("/latest")\ndef latest_order() -> None:\n    """Latest."""\n'
    )
    orders.write_text(text, encoding="utf-8")
    uri = open_document(client, orders, text)
    found = await wait_for_diagnostics(client, uri, 1)
    ours = sorted(
        (d for d in found if d.source == "fastapi-architect" and str(d.code).startswith("FA1")),
        key=lambda d: str(d.code),
    )
    assert [(d.code, d.severity) for d in ours] == [
        ("FA101", types.DiagnosticSeverity.Information),
        ("FA102", types.DiagnosticSeverity.Information),
    ]
    never, shadowed = ours
    assert never.range.start == position_of(text, "router = ", client)
    assert shadowed.range.start == position_of(text, "latest_order", client)
    assert "GET /{order_id}" in shadowed.message
    assert "read_order" in shadowed.message


async def test_scaffolded_endpoint_module_has_no_route_diagnostics(
    client: LanguageClient, service: Path
) -> None:
    path = service / USERS
    uri = open_document(client, path, path.read_text(encoding="utf-8"))
    found = await wait_for_diagnostics(client, uri, 1)
    assert [d.code for d in found if str(d.code).startswith("FA1")] == []


async def test_an_unsaved_prefix_change_in_another_module_moves_the_routes(
    client: LanguageClient, service: Path
) -> None:
    router = service / "app/api/v1/router.py"
    text = router.read_text(encoding="utf-8").replace('prefix="/users"', 'prefix="/people"')
    open_document(client, router, text)
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="POST people"))
    assert found is not None
    assert [s.name for s in found] == ["POST /api/v1/people/"]
    assert (service / "app/api/v1/router.py").read_text(encoding="utf-8") != text


def supports_links(client: LanguageClient) -> bool:
    caps = client.capabilities.text_document if client.capabilities else None
    return bool(caps and caps.definition and caps.definition.link_support)


def target_of(found: object) -> tuple[str, types.Range]:
    assert isinstance(found, (types.Location, types.LocationLink))
    if isinstance(found, types.LocationLink):
        return found.target_uri, found.target_selection_range
    return found.uri, found.range


async def test_definition_from_a_test_client_call_goes_to_the_handler(
    client: LanguageClient, service: Path
) -> None:
    tests = service / "tests/test_users.py"
    text = tests.read_text(encoding="utf-8")
    uri = open_document(client, tests, text)
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri),
            position=position_of(text, "URL, json=", client),
        )
    )
    assert isinstance(found, list)
    assert len(found) == 1
    users = (service / USERS).read_text(encoding="utf-8")
    assert target_of(found[0]) == (
        uri_of(service / USERS),
        types.Range(
            position_of(users, "create_user(", client),
            position_of(users, "(data: UserCreate", client),
        ),
    )
    assert isinstance(found[0], types.LocationLink) == supports_links(client)
    if isinstance(found[0], types.LocationLink):
        assert found[0].origin_selection_range is not None
        assert found[0].origin_selection_range.start == position_of(text, "URL, json=", client)


async def test_definition_follows_an_f_string_path_and_ignores_the_query_string(
    client: LanguageClient, service: Path
) -> None:
    tests = service / "tests/test_routes_navigation.py"
    text = (
        "from fastapi.testclient import TestClient\n\n\n"
        "def test_paths(client: TestClient, user_id: int) -> None:\n"
        '    client.patch(f"/api/v1/users/{user_id}", json={})\n'
        '    client.get("/api/v1/users/me?fields=email")\n'
        '    client.get("/api/v1/nowhere")\n'
    )
    uri = open_document(client, tests, text)
    users = (service / USERS).read_text(encoding="utf-8")
    expected = {"client.patch": "update_user(", 'client.get("/api/v1/users/me': "read_me("}
    for needle, handler in expected.items():
        found = await client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri),
                position=position_of(text, needle, client),
            )
        )
        assert isinstance(found, list)
        assert [target_of(item)[1].start for item in found] == [
            position_of(users, handler, client)
        ], needle
    nowhere = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri),
            position=position_of(text, "/api/v1/nowhere", client),
        )
    )
    assert not nowhere


GREETING = (
    '\n\n@router.get("/{user_id}/greeting")\n'
    "def greet_user(user_id: int) -> dict[str, str]:\n"
    '    """Greet."""\n'
    '    greeting = f"hello {user_id}"\n'
    '    return {"greeting": greeting}\n'
)


async def lenses_of(client: LanguageClient, uri: str) -> dict[int, types.Command]:
    found = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri))
    )
    assert found is not None
    commands = {lens.range.start.line: lens.command for lens in found}
    assert None not in commands.values()
    return {line: command for line, command in commands.items() if command is not None}


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n")


async def test_code_lens_names_the_service_function_each_endpoint_calls(
    client: LanguageClient, service: Path
) -> None:
    assert initialize_result(client).capabilities.code_lens_provider is not None
    path = service / USERS
    text = path.read_text(encoding="utf-8")
    uri = open_document(client, path, text)
    lenses = await lenses_of(client, uri)
    create = lenses[line_of(text, "@router.post(")]
    assert create.title == "\u2192 app.services.user_service.UserService.create"
    assert create.command == ""
    listing = lenses[line_of(text, '@router.get("/", response_model=list')]
    assert listing.title == "\u2192 app.services.user_service.UserService.list_users"
    assert line_of(text, '@router.get("/me"') not in lenses  # returns current_user: no logic
    assert all(c.title.startswith("\u2192 app.services.") for c in lenses.values())


async def test_code_lens_offers_the_extraction_for_inline_logic_and_it_runs(
    client: LanguageClient, service: Path
) -> None:
    path = service / USERS
    text = path.read_text(encoding="utf-8") + GREETING
    uri = open_document(client, path, text)
    lenses = await lenses_of(client, uri)
    extract = lenses[line_of(text, '@router.get("/{user_id}/greeting")')]
    assert extract.title == "Extract to service"
    assert (
        extract.command
        in (
            initialize_result(client).capabilities.execute_command_provider
            or types.ExecuteCommandOptions([])
        ).commands
    )
    assert list(extract.arguments or ()) == [{"uri": uri, "line": line_of(text, "def greet_user")}]
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=extract.command, arguments=extract.arguments)
    )
    assert any("extracted greet_user" in m.message for m in client.messages)
    assert "def greet_user(" in (service / "app/services/user_service.py").read_text("utf-8")


def replace_document(client: LanguageClient, uri: str, text: str, version: int) -> None:
    """Send ``didChange`` replacing the whole buffer."""
    editor(client).buffers[uri] = text
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def test_an_edit_in_the_shadowing_module_clears_fa102_in_the_shadowed_one(
    client: LanguageClient, workspace: Path
) -> None:
    sources = {
        "app/main.py": "from fastapi import FastAPI\nfrom app.api import users, items\n\n"
        "app = FastAPI()\napp.include_router(users.router)\napp.include_router(items.router)\n",
        "app/api/users.py": "from fastapi import APIRouter\nrouter = APIRouter()\n\n\n"
        '@router.get("/{thing_id}")\ndef read_thing(thing_id: int) -> None: ...\n',
        "app/api/items.py": "from fastapi import APIRouter\nrouter = APIRouter()\n\n\n"
        '@router.get("/latest")\ndef latest_thing() -> None: ...\n',
    }
    for relative, text in sources.items():
        (workspace / relative).parent.mkdir(parents=True, exist_ok=True)
        (workspace / relative).write_text(text, encoding="utf-8")
    items = open_document(client, workspace / "app/api/items.py", sources["app/api/items.py"])
    found = await wait_for_diagnostics(client, items, 1)
    assert [d.code for d in found if str(d.code).startswith("FA1")] == ["FA102"]

    users = open_document(client, workspace / "app/api/users.py", sources["app/api/users.py"])
    await wait_for_diagnostics(client, users, 1)
    moved = sources["app/api/users.py"].replace('"/{thing_id}"', '"/things/{thing_id}"')
    replace_document(client, users, moved, 2)
    await wait_for_diagnostics(client, users, 2)
    replace_document(client, items, sources["app/api/items.py"] + "\n", 2)
    found = await wait_for_diagnostics(client, items, 2)
    assert [d.code for d in found if str(d.code).startswith("FA1")] == []
