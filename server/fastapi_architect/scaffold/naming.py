"""Names derived from what the user typed: distribution names, resource singular/plural/class."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from fastapi_architect.scaffold.errors import ScaffoldError

_RESOURCE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
MAX_RESOURCE_NAME = 24
_PROJECT_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")

RESERVED_RESOURCE_NAMES = frozenset(
    {"app", "api", "base", "core", "db", "deps", "errors", "health", "main", "ml", "model"}
    | {"models", "router", "schemas", "services", "session", "settings", "test", "tests"}
    | {"predict", "prediction", "security", "config"}
)
"""Names that would collide with the generated project's own modules."""

_IRREGULAR_PLURALS = {
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "mouse": "mice",
    "goose": "geese",
    "tooth": "teeth",
    "foot": "feet",
}
_UNCOUNTABLE = frozenset({"data", "equipment", "information", "news", "series", "species"})


def distribution_name(project_name: str) -> str:
    """The PyPI-style distribution name for a project directory name (PEP 503 normalised)."""
    if not _PROJECT_NAME.match(project_name):
        raise ScaffoldError(
            f"invalid project name {project_name!r}: use letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit"
        )
    return re.sub(r"[-_.]+", "-", project_name).lower()


def pluralize(word: str) -> str:
    """English plural of a lower-case word (the last ``_`` part of a snake_case name)."""
    head, _, last = word.rpartition("_")
    prefix = f"{head}_" if head else ""
    if last in _UNCOUNTABLE:
        return word
    if last in _IRREGULAR_PLURALS:
        return prefix + _IRREGULAR_PLURALS[last]
    if re.search(r"[^aeiou]y$", last):
        return prefix + last[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", last):
        return prefix + last + "es"
    return prefix + last + "s"


@dataclass(frozen=True)
class ResourceNames:
    """Every spelling of a resource name the templates need."""

    singular: str
    """snake_case singular: module names (``app/models/order_item.py``), variables."""
    plural: str
    """snake_case plural: table, endpoint module, route (``/order-items``)."""
    class_name: str
    """PascalCase model class (``OrderItem``)."""
    route: str
    """URL path segment (``order-items``)."""
    title: str
    """Words for docstrings (``order item``)."""


def resource_names(name: str) -> ResourceNames:
    """Validate a singular snake_case resource name and derive its other spellings."""
    if not _RESOURCE_NAME.match(name) or len(name) > MAX_RESOURCE_NAME:
        raise ScaffoldError(
            f"invalid resource name {name!r}: use a singular snake_case name such as 'order' "
            f"or 'order_item' (lower-case letters, digits and single underscores, at most "
            f"{MAX_RESOURCE_NAME} characters)"
        )
    plural = pluralize(name)
    if keyword.iskeyword(name) or keyword.iskeyword(plural) or plural == name:
        raise ScaffoldError(
            f"invalid resource name {name!r}: it must be a countable noun that is not a "
            "Python keyword"
        )
    if name in RESERVED_RESOURCE_NAMES or plural in RESERVED_RESOURCE_NAMES:
        raise ScaffoldError(
            f"invalid resource name {name!r}: it collides with a module of the generated project"
        )
    return ResourceNames(
        singular=name,
        plural=plural,
        class_name="".join(part.capitalize() for part in name.split("_")),
        route=plural.replace("_", "-"),
        title=name.replace("_", " "),
    )
