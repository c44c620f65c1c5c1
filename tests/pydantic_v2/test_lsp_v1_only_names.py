"""``ConstrainedStr`` subclasses and annotation-only ``ModelField`` (PYD013) over stdio: the
quick fix turns the subclass into an ``Annotated`` alias, and fix-all converts the module as
``migrate`` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, fix_all_text, open_and_wait, quick_fix_text
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = """from typing import Any, Optional

from pydantic import BaseModel, ConstrainedStr
from pydantic.fields import ModelField


class Label(ConstrainedStr):
    min_length = 1
    max_length = 200
    strip_whitespace = True


class Item(BaseModel):
    label: Label
    note: Optional[Label] = None


def check(value: Any, field: ModelField) -> Any:
    return value
"""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_the_quick_fix_turns_the_subclass_into_an_annotated_alias(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    (diagnostic,) = [
        d for d in diagnostics if d.data and d.data["key"] == "import:pydantic.ConstrainedStr"
    ]
    assert diagnostic.code == "PYD013"
    fix, fixed = await quick_fix_text(client, uri, SOURCE, diagnostic, encoding_of(client_name))
    assert fix.title == "Turn `Label` into `Annotated[...]`"
    assert (
        "Label = Annotated[str, StringConstraints(min_length=1, max_length=200, "
        "strip_whitespace=True)]\n"
    ) in fixed
    assert "from pydantic import BaseModel, StringConstraints\n" in fixed
    assert "from typing import Annotated, Any, Optional\n" in fixed
    assert "from pydantic.fields import ModelField\n" in fixed  # another finding's fix
    compile(fixed, "models.py", "exec")


async def test_fix_all_converts_both_like_migrate(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, _ = await open_and_wait(client, workspace, SOURCE)
    _, fixed = await fix_all_text(client, uri, SOURCE, encoding_of(client_name))
    assert fixed == migrate_source(SOURCE)
    assert "from pydantic.v1.fields import ModelField\n" in fixed
    assert "ConstrainedStr" not in fixed
