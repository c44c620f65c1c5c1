"""What one conversion needs: text replacements, names to import, and a message or a refusal."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.analysis import ValidatorSite
from fastapi_architect.pydantic_v2.names import PydanticNames, dotted_name
from fastapi_architect.pydantic_v2.source import Replacement

PYDANTIC_EXPORTS = frozenset(
    {
        "field_validator",
        "model_validator",
        "ValidationInfo",
        "Field",
        "AfterValidator",
        "BeforeValidator",
    }
)


class Refusal(Exception):
    """Raised while planning when a validator cannot be converted safely; the text says why."""


@dataclass
class Plan:
    """The outcome of planning one validator's conversion."""

    replacements: list[Replacement] = field(default_factory=list)
    imports: set[str] = field(default_factory=set)  # canonical names to import
    add: set[ImportBinding] = field(default_factory=set)  # other imports the fix needs
    consumed: str | None = None  # local decorator name whose use this fix removes
    message: str = ""
    refusal: str | None = None

    @property
    def fixable(self) -> bool:
        """True when the plan converts the validator."""
        return self.refusal is None


@dataclass
class Spelling:
    """Spells Pydantic and typing names the way the module already refers to them."""

    names: PydanticNames
    site: ValidatorSite
    imports: set[str] = field(default_factory=set)
    target: tuple[int, int] | None = None
    """The oldest Python the project supports (``None``: unknown), which decides how types
    the conversion writes are spelled: Pydantic evaluates annotations at run time."""

    @property
    def pep604(self) -> bool:
        """Write ``X | None`` / ``X | Y`` rather than ``Optional`` / ``Union``."""
        return self.target is not None and self.target >= (3, 10)

    @property
    def pep585(self) -> bool:
        """Write ``list[str]`` rather than ``typing.List[str]``."""
        return self.target is not None and self.target >= (3, 9)

    def pydantic(self, name: str) -> str:
        """Local spelling of ``pydantic.<name>``; records an import when one is needed."""
        for local, canonical in self.names.pydantic_from.items():
            if canonical == name:
                return local
        prefix = self._site_prefix()
        if prefix is not None:
            return f"{prefix}.{name}"
        if self.names.star_import:
            return name
        self._check_free(name)
        self.imports.add(name)
        return name

    def typing(self, name: str) -> str:
        """Local spelling of ``typing.<name>``; records an import when one is needed."""
        for local, canonical in self.names.typing_from.items():
            if canonical == name:
                return local
        if self.names.typing_modules:
            return f"{self.names.typing_modules[0]}.{name}"
        self._check_free(name)
        self.imports.add(name)
        return name

    def _check_free(self, name: str) -> None:
        """Refuse to import ``name`` over a module-level name that means something else."""
        other = self.names.other_bindings.get(name)
        if other is not None:
            raise Refusal(
                f"the conversion needs `{name}`, but `{name}` in this module is {other}; "
                "importing Pydantic's would shadow it"
            )

    def _site_prefix(self) -> str | None:
        """``pd`` when the site wrote ``@pd.validator``, so new names follow that style."""
        callee = self.site.callee
        if not isinstance(callee, ast.Attribute):
            return None
        dotted = dotted_name(callee.value)
        if dotted is None:
            return None
        head = dotted.split(".")[0]
        if self.names.modules.get(head) == "pydantic":
            return head
        return None
