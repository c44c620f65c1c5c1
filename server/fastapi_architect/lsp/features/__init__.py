"""The capability adapters, one module each; ``default_features`` lists them all."""

from __future__ import annotations

from fastapi_architect.lsp.features.base import Feature


def default_features() -> list[Feature]:
    """One instance of every feature the server offers, in dispatch order."""
    from fastapi_architect.lsp.features.extract import ExtractServiceFeature
    from fastapi_architect.lsp.features.layer_fixes import LayerFixesFeature
    from fastapi_architect.lsp.features.layers import LayersFeature
    from fastapi_architect.lsp.features.pydantic_v2 import PydanticMigrationFeature
    from fastapi_architect.lsp.features.routes import RoutesFeature
    from fastapi_architect.lsp.features.scaffold import ScaffoldFeature
    from fastapi_architect.lsp.features.snippets import SnippetsFeature

    return [
        PydanticMigrationFeature(),
        ExtractServiceFeature(),
        ScaffoldFeature(),
        SnippetsFeature(),
        RoutesFeature(),
        LayerFixesFeature(),
        LayersFeature(),
    ]
