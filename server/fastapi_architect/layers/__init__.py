"""Layer diagnostics: where a FastAPI project breaks its api → services → models layers.

A pure engine (no LSP): ``check_module`` takes a module's text and a ``LayerProject`` (the
project's files, read through a ``ProjectFiles`` view) and returns ``LayerFinding``s with
stable codes FA103–FA107; ``route_findings`` turns the route index's FA101/FA102 into the
same shape for the command line.
"""

from __future__ import annotations

from fastapi_architect.layers.codes import CODES, LAYER_CODES
from fastapi_architect.layers.engine import check_module
from fastapi_architect.layers.model import LayerFinding
from fastapi_architect.layers.project import LayerProject

__all__ = ["CODES", "LAYER_CODES", "LayerFinding", "LayerProject", "check_module"]
