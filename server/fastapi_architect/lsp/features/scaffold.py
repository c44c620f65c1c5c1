"""Scaffold a service and add resources to it (placeholder until issue 3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from fastapi_architect.lsp.features.base import CommandHandler, Feature

if TYPE_CHECKING:
    from fastapi_architect.lsp.server import ArchitectServer

SCAFFOLD_COMMAND = "fastapi-architect.scaffold"
ADD_RESOURCE_COMMAND = "fastapi-architect.addResource"


class ScaffoldFeature(Feature):
    """Executes the scaffold and add-resource commands."""

    name: ClassVar[str] = "scaffold"

    def commands(self) -> Mapping[str, CommandHandler]:
        return {SCAFFOLD_COMMAND: _not_yet, ADD_RESOURCE_COMMAND: _not_yet}


async def _not_yet(server: ArchitectServer, arguments: Sequence[Any]) -> None:
    server.show_message("FastAPI Architect: scaffolding is not yet available.")
