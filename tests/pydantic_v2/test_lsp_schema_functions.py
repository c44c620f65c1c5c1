"""``pydantic.schema`` functions (PYD023) over stdio: published with their keys, the quick fix
rewrites one call with V1's result shape, and fix-all converts the module as ``migrate`` does
(the ``pydantic.schema`` import goes, re-exported standard names come from their modules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, fix_all_text, open_and_wait, quick_fix_text
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = """from pydantic import BaseModel
from pydantic.schema import Optional, model_schema, schema

ref_prefix = "#/components/schemas/"


class Pet(BaseModel):
    name: Optional[str] = None


def components(models):
    return schema(models, ref_prefix=ref_prefix)


def one(model):
    return model_schema(model)
"""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_schema_calls_are_published_with_their_keys(
    client: LanguageClient, workspace: Path
) -> None:
    _, diagnostics = await open_and_wait(client, workspace, SOURCE)
    found = {
        (d.code, d.data["key"], d.range.start.line)
        for d in diagnostics
        if isinstance(d.data, dict) and d.code in ("PYD013", "PYD023")
    }
    assert found == {
        ("PYD013", "import:pydantic.schema.Optional", 1),
        ("PYD023", "components:schema", 11),
        ("PYD023", "one:model_schema", 15),
    }


async def test_the_quick_fix_rewrites_one_call_with_v1_shape(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    (diagnostic,) = [d for d in diagnostics if d.data and d.data["key"] == "components:schema"]
    fix, fixed = await quick_fix_text(client, uri, SOURCE, diagnostic, encoding_of(client_name))
    assert fix.title == "Use `models_json_schema` (V1's `definitions` shape)"
    assert (
        '    return {"definitions" if key == "$defs" else key: value for key, value in '
        'models_json_schema([(model, "validation") for model in models], '
        'ref_template=ref_prefix + "{model}")[1].items()}\n'
    ) in fixed
    assert "from pydantic.json_schema import models_json_schema\n" in fixed
    assert "from pydantic.schema import Optional, model_schema\n" in fixed  # still used
    compile(fixed, "models.py", "exec")


async def test_fix_all_converts_the_module_like_migrate(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, _ = await open_and_wait(client, workspace, SOURCE)
    _, fixed = await fix_all_text(client, uri, SOURCE, encoding_of(client_name))
    assert fixed == migrate_source(SOURCE)
    assert "pydantic.schema" not in fixed
    assert "from typing import Optional\n" in fixed
