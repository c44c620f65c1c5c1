"""Depends session-injection snippets as completions (placeholder until issue 6)."""

from __future__ import annotations

from typing import ClassVar

from fastapi_architect.lsp.features.base import Feature


class SnippetsFeature(Feature):
    """Serves the snippets of ``snippets/`` as completion items."""

    name: ClassVar[str] = "snippets"
