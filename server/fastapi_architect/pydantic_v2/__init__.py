"""Pydantic V1 → V2 engine: source text → findings → minimal edits.

``find_findings`` reports every V1 ``@validator`` (PYD001) and ``@root_validator`` (PYD002);
``fix_edits`` returns the minimal edits for some or all of them; ``migrate_source`` applies them.
Pure functions of text: no editor, no file system.

The engine is imported on first use of one of these names (PEP 562), so importing a
submodule that does not need it (``runner`` to list files) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi_architect.pydantic_v2.engine import (
        find_findings,
        fix_edits,
        has_v1_markers,
        migrate_source,
    )
    from fastapi_architect.pydantic_v2.findings import (
        ROOT_VALIDATOR_CODE,
        VALIDATOR_CODE,
        Finding,
    )

_HOMES = {
    "find_findings": "engine",
    "fix_edits": "engine",
    "has_v1_markers": "engine",
    "migrate_source": "engine",
    "ROOT_VALIDATOR_CODE": "findings",
    "VALIDATOR_CODE": "findings",
    "Finding": "findings",
}

__all__ = [
    "ROOT_VALIDATOR_CODE",
    "VALIDATOR_CODE",
    "Finding",
    "find_findings",
    "fix_edits",
    "has_v1_markers",
    "migrate_source",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
