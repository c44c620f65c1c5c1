"""Over the wire: inside a ``@cbv(router)`` method the extract action is offered and applied
(VS Code, Neovim, Emacs capability sets); a method the service cannot express shows why."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytest_lsp import LanguageClient
from test_extract_lsp import _actions, _line

from lsp_support import editor, open_document, run_command

STOCK = Path(__file__).parent / "fixtures" / "stock"
VIEWS = "app/api/stock.py"


def _open_views(client: LanguageClient, workspace: Path) -> tuple[str, str]:
    """Copy the stock app into the workspace and open its class-based views: text and URI."""
    shutil.copytree(STOCK, workspace, dirs_exist_ok=True)
    path = workspace / VIEWS
    text = path.read_text()
    return text, open_document(client, path, text)


async def test_extract_is_offered_and_applied_inside_a_class_based_view_method(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    text, uri = _open_views(client, workspace)
    (action,) = await _actions(client, uri, _line(text, "row.count = min"))
    assert action.disabled is None
    assert action.title == "Extract endpoint logic to app/services/stock_service.py"
    if client_name == "vscode":
        resolved = await client.code_action_resolve_async(action)
        assert resolved.edit is not None
        editor(client).apply(resolved.edit)
    else:
        assert action.command is not None
        await run_command(client, action.command)
    buffer = editor(client).buffers[uri]
    assert (
        "        return stock_service.add_stock(session=self.session, name=name, amount=amount)\n"
        in (buffer)
    )
    service = (workspace / "app/services/stock_service.py").read_text()
    assert (
        "def add_stock(session: Session, name: str, amount: int = 1) -> dict[str, int]:" in service
    )


async def test_class_based_view_method_the_service_cannot_express_shows_why(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    text, uri = _open_views(client, workspace)
    actions = await _actions(client, uri, _line(text, "names = self._names()"))
    if client_name == "vscode":
        (action,) = actions
        assert action.disabled is not None
        assert action.disabled.reason == (
            "`list_stock` of the class-based view `StockViews` calls the method `self._names`; "
            "move that method to a module-level function first"
        )
    else:
        assert actions == []
