"""What the user chooses when scaffolding: a validated pydantic model with clear errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from fastapi_architect.scaffold.errors import ScaffoldError
from fastapi_architect.scaffold.naming import distribution_name

Orm = Literal["sync", "async"]
Database = Literal["sqlite", "postgresql"]
DockerImage = Literal["tiangolo", "slim"]

DEFAULT_DESCRIPTION = "A layered FastAPI service"


class ScaffoldOptions(BaseModel):
    """Options of ``fastapi-architect new`` and the ``fastapi-architect.scaffold`` command."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    project_name: str = Field(min_length=1, max_length=60)
    """The directory name; the distribution name is derived from it, the package is ``app``."""
    description: str = Field(default=DEFAULT_DESCRIPTION, max_length=300)
    orm: Orm = "sync"
    database: Database = "sqlite"
    docker: DockerImage = "tiangolo"
    inference: bool = True

    @field_validator("project_name")
    @classmethod
    def project_name_is_a_valid_distribution_name(cls, value: str) -> str:
        """Reject names that cannot become a distribution name."""
        try:
            distribution_name(value)
        except ScaffoldError as error:
            raise ValueError(str(error)) from error
        return value

    @field_validator("description")
    @classmethod
    def description_is_one_line(cls, value: str) -> str:
        """Collapse whitespace; an empty description gets the default."""
        if any(char in value for char in '"\\') or any(
            ord(char) < 32 and not char.isspace() for char in value
        ):
            # Kept out so the description is a plain string literal in every generated file.
            raise ValueError('must be plain text without double quotes (") or backslashes (\\)')
        collapsed = " ".join(value.split())
        return collapsed.rstrip(".") or DEFAULT_DESCRIPTION

    @property
    def distribution_name(self) -> str:
        """The normalised distribution name (``pyproject.toml``'s ``name``)."""
        return distribution_name(self.project_name)

    @property
    def orm_async(self) -> bool:
        """Whether the project uses SQLAlchemy's asyncio extension."""
        return self.orm == "async"


def parse_options(values: Mapping[str, Any]) -> ScaffoldOptions:
    """Build ``ScaffoldOptions`` from loose input, turning validation errors into one message."""
    try:
        return ScaffoldOptions.model_validate(dict(values))
    except ValidationError as error:
        raise ScaffoldError(describe_validation_error(error)) from error


def describe_validation_error(error: ValidationError) -> str:
    """One line naming each bad option and what is allowed."""
    problems = []
    for detail in error.errors(include_url=False):
        where = ".".join(str(part) for part in detail["loc"]) or "options"
        message = detail["msg"]
        if message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        problems.append(f"{where}: {message}")
    return "; ".join(problems)
