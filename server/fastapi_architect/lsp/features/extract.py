"""Extract endpoint logic into the service layer (placeholder until issue 5)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from lsprotocol import types

from fastapi_architect.lsp.features.base import Feature


class ExtractServiceFeature(Feature):
    """Offers ``refactor.extract`` inside path operation functions."""

    name: ClassVar[str] = "extract"
    code_action_kinds: ClassVar[Sequence[str]] = (types.CodeActionKind.RefactorExtract,)
