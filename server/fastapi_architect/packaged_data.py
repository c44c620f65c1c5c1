"""Files shipped next to the code: in the wheel under ``fastapi_architect/_data/``, in a
checkout at the repository root (``pyproject.toml`` force-includes them into the wheel)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
"""The checkout's root when running from a development (editable) install."""


def data_file(*parts: str) -> Path | None:
    """The shipped file at ``parts`` (e.g. ``"snippets", "x.code-snippets"``), if it exists."""
    try:
        packaged = resources.files("fastapi_architect").joinpath("_data", *parts)
        if packaged.is_file():
            return Path(str(packaged))
    except (ModuleNotFoundError, OSError, TypeError):  # pragma: no cover - unusual loaders
        pass
    in_checkout = REPOSITORY_ROOT.joinpath(*parts)
    return in_checkout if in_checkout.is_file() else None
