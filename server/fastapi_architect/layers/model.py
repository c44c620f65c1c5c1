"""What the layers engine reports: one finding with its code, range and fix data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi_architect.textedit import TextPosition


@dataclass(frozen=True)
class LayerFinding:
    """One layer problem in a module; positions are 0-based lines and code-point columns."""

    code: str
    message: str
    start: TextPosition
    end: TextPosition
    data: Mapping[str, Any] = field(default_factory=dict)
    """What a fix needs (FA103: ``endpoint_line``; FA104: ``status_code``, ``detail``)."""
    fixable: bool = False
    """True when ``migrate`` could fix it from the shell (no FA code is; the editor's quick
    fixes are the language server's)."""
