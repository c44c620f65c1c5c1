"""Pydantic V1 → V2 engine: source text → findings → minimal edits.

``find_findings`` reports every V1 ``@validator`` (PYD001) and ``@root_validator`` (PYD002);
``fix_edits`` returns the minimal edits for some or all of them; ``migrate_source`` applies them.
Pure functions of text: no editor, no file system.
"""

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

__all__ = [
    "ROOT_VALIDATOR_CODE",
    "VALIDATOR_CODE",
    "Finding",
    "find_findings",
    "fix_edits",
    "has_v1_markers",
    "migrate_source",
]
