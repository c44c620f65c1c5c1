"""Links from diagnostics to the README sections that explain them (``codeDescription``)."""

from __future__ import annotations

import functools

from lsprotocol import types


@functools.cache
def readme_section(anchor: str) -> types.CodeDescription | None:
    """A link to ``#anchor`` in the README shipped with the server (``None`` without one)."""
    from fastapi_architect.lsp.workspace_edits import path_uri
    from fastapi_architect.packaged_data import data_file

    readme = data_file("README.md")
    if readme is None:
        return None
    return types.CodeDescription(href=f"{path_uri(readme)}#{anchor}")
