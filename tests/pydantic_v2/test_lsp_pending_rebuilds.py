"""Over the wire: PYD024 in the model's file (a report naming where the call goes) and in the
package ``__init__`` (a quick fix adding the ``model_rebuild`` call), for every client."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, next_diagnostics, quick_fix_text
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_support import open_document, uri_of

FILES = {
    "callback.py": 'from typing import Dict\n\nCallback = Dict[str, "PathItem"]\n',
    "operation.py": (
        "from typing import Optional\n\nfrom pydantic import BaseModel\n\n"
        "from .callback import Callback\n\n\n"
        "class Operation(BaseModel):\n    callbacks: Optional[Callback] = None\n"
    ),
    "path_item.py": (
        "from pydantic import BaseModel\n\nfrom .operation import Operation\n\n\n"
        "class PathItem(BaseModel):\n    get: Operation\n"
    ),
}
INIT = (
    "from .operation import Operation\nfrom .path_item import PathItem\n\n"
    "PathItem.update_forward_refs()\n"
)


@pytest.fixture
def initialization_options() -> Any:
    return {"diagnostics": {"debounceMs": 0}}


async def _open(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    waiting = asyncio.ensure_future(next_diagnostics(client, uri_of(path)))
    open_document(client, path, text)
    return [d for d in (await waiting).diagnostics if d.code == "PYD024"]


async def test_init_gets_the_rebuild_call_and_the_model_file_says_where(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    folder = workspace / "api"
    folder.mkdir()
    for name, text in {**FILES, "__init__.py": INIT}.items():
        (folder / name).write_text(text, encoding="utf-8")

    (report,) = await _open(client, folder / "operation.py", FILES["operation.py"])
    assert report.range.start.line == 8
    assert "api/__init__.py" in report.message and "`PathItem`" in report.message

    init = folder / "__init__.py"
    (finding,) = await _open(client, init, INIT)
    assert finding.range.start.line == 0
    encoding = encoding_of(client_name)
    fix, text = await quick_fix_text(client, uri_of(init), INIT, finding, encoding)
    assert fix.title == "Add `Operation.model_rebuild(_types_namespace={...})`"
    assert text == (
        "from .operation import Operation\nfrom .path_item import PathItem\n\n"
        "PathItem.update_forward_refs()\n"
        'Operation.model_rebuild(_types_namespace={"PathItem": PathItem})\n'
    )
