"""isort's import sections, shared by every engine that adds import lines."""

from __future__ import annotations

import sys
from collections.abc import Collection

FUTURE, STDLIB, THIRD_PARTY, FIRST_PARTY, LOCAL = range(5)
"""Sections in the order isort (and ruff's ``I`` rules) lays them out."""


def import_section(module: str, first_party: Collection[str] = ()) -> int:
    """isort's section of ``module``: future, standard library, third party, first party, local.

    ``first_party`` names the project's own top-level packages; relative modules are local.
    """
    if module.startswith("."):
        return LOCAL
    root = module.split(".", 1)[0]
    if root == "__future__":
        return FUTURE
    if root in first_party:
        return FIRST_PARTY
    if root in sys.stdlib_module_names:
        return STDLIB
    return THIRD_PARTY
