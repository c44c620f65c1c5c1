"""Odd, broken and half-typed documents: planning never raises, never breaks code, and
planning the same change again changes nothing."""

from __future__ import annotations

import itertools

import pytest

from fastapi_architect.imports import ImportBinding, plan_imports
from fastapi_architect.textedit import apply_edits

DOCUMENTS = [
    '"""unterminated\nimport os\n',
    'import os\n"""unterminated\n',
    "from a import (b,\n c)\nimport \\\n  os\n\nx = 1\n",
    "from . import (a,\n b)  # c\n",
    "\tif True:\n import os\n",
    "import os\x0cimport sys\n",
    "\ufeffimport os\n\nx = 1\n",
    "from __future__ import annotations\nif TYPE_CHECKING:\n",
    "if TYPE_CHECKING:\n    import os\nelse:\n    import sys\n",
    "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
    "if TYPE_CHECKING:\n    import os\n\nx: os.PathLike\n",
    "try:\n    import a\nexcept ImportError:\n    a = None\n",
    "try:\n    # c\n    from a import b\nexcept ImportError:\n    b = None\n",
    "import os; import sys\n",
    "from x import *\n\ny = 1\n",
    "from\n",
    "import\n",
    "",
    "\n\n\n",
    'x = """\nfrom a import b\n"""\n',
    "from a import b as c, d as e\n",
    "import os\r\nimport sys\r\n",
    "import os\rimport sys\r",
    "def f():\n    import os\n",
    "class A:\n    import os\n",
    "# only a comment",
    '"""doc"""',
    "'''doc'''\nimport os",
    "from fastapi import (\n",
]
REQUESTS = [
    ImportBinding("os", "path"),
    ImportBinding(None, "sys"),
    ImportBinding("a", "b"),
    ImportBinding("fastapi", "Depends", annotation_only=True),
    ImportBinding(".x", "y"),
    ImportBinding(None, "os.path"),
    ImportBinding("a", "b", "c"),
]
REMOVALS = [frozenset(), frozenset({"b"}), frozenset({"os"}), frozenset({"b", "os", "a", "sys"})]


def _compiles(text: str) -> bool:
    try:
        compile(text, "<document>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


@pytest.mark.parametrize("document", DOCUMENTS)
def test_planning_never_breaks_a_document_and_is_idempotent(document: str) -> None:
    compiled = _compiles(document)
    for size in range(3):
        for requests in itertools.combinations(REQUESTS, size):
            for removal in REMOVALS:
                add = [r for r in requests if r.bound not in removal]
                after = apply_edits(document, plan_imports(document, add, removal))
                if compiled:
                    assert _compiles(after), (add, removal, after)
                assert plan_imports(after, add, removal) == [], (add, removal, after)


def test_an_emptied_try_body_keeps_a_statement() -> None:
    text = "try:\n    import ujson\nexcept ImportError:\n    ujson = None\n"
    after = apply_edits(text, plan_imports(text, (), {"ujson"}))
    assert after == "try:\n    pass\nexcept ImportError:\n    ujson = None\n"
