"""Over stdio: an ``ErrorWrapper`` around the project's own V1 error class, defined in
another workspace file, is published as a fixable PYD019; its quick fix writes V1's type,
template and context, and drops the import of the class (the other file is not touched)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, fix_all_text, next_diagnostics, quick_fix_text
from pytest_lsp import LanguageClient

from lsp_support import open_document, uri_of

EXCEPTIONS = """\
from pydantic.errors import PydanticValueError


class NotFoundError(PydanticValueError):
    code = "not_found"
    msg_template = "{msg}"
"""

VIEWS = """\
from pydantic import BaseModel
from pydantic.error_wrappers import ErrorWrapper, ValidationError

from app.exceptions import NotFoundError


class CaseRead(BaseModel):
    id: int


def missing(query):
    raise ValidationError(
        [ErrorWrapper(NotFoundError(msg="No case with this id.", query=query), loc="case")],
        model=CaseRead,
    )
"""

CONVERTED = """\
def missing(query):
    raise ValidationError.from_exception_data(
        CaseRead.__name__,
        [
            {
                "type": PydanticCustomError(
                    "value_error.not_found",
                    "{msg}",
                    {"msg": "No case with this id.", "query": query},
                ),
                "loc": ("case",),
                "input": None,
            },
        ],
    )
"""


@pytest.fixture
def initialization_options() -> Any:
    return {"diagnostics": {"debounceMs": 0}}


async def test_an_error_class_of_another_file_gets_a_quick_fix_with_its_v1_type(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    (workspace / "app").mkdir()
    (workspace / "app" / "__init__.py").write_text("", encoding="utf-8")
    (workspace / "app" / "exceptions.py").write_text(EXCEPTIONS, encoding="utf-8")
    path = workspace / "app" / "views.py"
    path.write_text(VIEWS, encoding="utf-8")
    waiting = asyncio.ensure_future(next_diagnostics(client, uri_of(path)))
    uri = open_document(client, path, VIEWS)
    diagnostics = list((await waiting).diagnostics)
    [finding] = [d for d in diagnostics if d.code == "PYD019"]
    assert isinstance(finding.data, dict) and finding.data["fixable"]

    fix, fixed = await quick_fix_text(client, uri, VIEWS, finding, encoding)
    assert fix.title == "Use `ValidationError.from_exception_data`"
    assert fixed.endswith(CONVERTED)
    assert "NotFoundError" not in fixed and "ErrorWrapper" not in fixed
    assert "from pydantic_core import PydanticCustomError\n" in fixed
    compile(fixed, str(path), "exec")

    _, everything = await fix_all_text(client, uri, VIEWS, encoding)
    assert everything.endswith(CONVERTED)
    assert (workspace / "app" / "exceptions.py").read_text(encoding="utf-8") == EXCEPTIONS
