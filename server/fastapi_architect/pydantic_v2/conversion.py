"""One V1 construct other than a validator (``class Config``, ``Field(regex=...)``, ...) and
its conversion: where it is, what replaces it, which imports it adds and which it frees."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.source import Replacement


@dataclass
class Conversion:
    """A finding with its fix already planned (or the reason it has none).

    ``key`` is stable across edits elsewhere in the file (``Model.Config``, ``Model.x:Field``).
    ``consumed`` counts the uses of local names the fix removes (``Extra`` in
    ``extra = Extra.forbid``): their import goes when no use is left. ``remove`` names imports
    the fix replaces outright.
    """

    code: str
    key: str
    title: str
    message: str
    start: int
    end: int
    replacements: list[Replacement] = field(default_factory=list)
    add: set[ImportBinding] = field(default_factory=set)
    remove: set[str] = field(default_factory=set)
    consumed: dict[str, int] = field(default_factory=dict)
    refusal: str | None = None
    fixed_in: tuple[str, str] | None = None
    """``(path, key)`` of the finding of another file whose fix resolves this one."""

    @property
    def fixable(self) -> bool:
        """True when the conversion has a fix."""
        return self.refusal is None


def refused(code: str, key: str, message: str, start: int, end: int) -> Conversion:
    """A conversion reported with ``message`` and no fix."""
    return Conversion(code, key, "", message, start, end, refusal=message)
