"""Pydantic V1 → V2 migration: diagnostics, quick fixes, fix-all (placeholder until issue 4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from lsprotocol import types

from fastapi_architect.lsp.features.base import CommandHandler, Feature

if TYPE_CHECKING:
    from fastapi_architect.lsp.server import ArchitectServer

FIX_ALL_KIND = "source.fixAll.fastapi-architect"
MIGRATE_WORKSPACE_COMMAND = "fastapi-architect.migrateWorkspace"


class PydanticMigrationFeature(Feature):
    """Finds Pydantic V1 validators and offers their V2 conversion."""

    name: ClassVar[str] = "pydantic_v2"
    code_action_kinds: ClassVar[Sequence[str]] = (types.CodeActionKind.QuickFix, FIX_ALL_KIND)

    def commands(self) -> Mapping[str, CommandHandler]:
        return {MIGRATE_WORKSPACE_COMMAND: _migrate_workspace}


async def _migrate_workspace(server: ArchitectServer, arguments: Sequence[Any]) -> None:
    server.show_message("FastAPI Architect: workspace migration is not yet available.")
