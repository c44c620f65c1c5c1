"""The scaffold engine's one error type: its message is meant for the user, as it is."""

from __future__ import annotations


class ScaffoldError(Exception):
    """Bad options, a non-empty target, existing files: one clear message."""
