"""Read the arguments of a V1 ``@validator(...)`` / ``@root_validator(...)`` call."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from fastapi_architect.pydantic_v2.plan import Refusal

VALIDATOR_KEYWORDS = frozenset(
    {"pre", "always", "each_item", "whole", "check_fields", "allow_reuse"}
)
ROOT_KEYWORDS = frozenset({"pre", "skip_on_failure", "allow_reuse"})


@dataclass
class DecoratorArgs:
    """Field names (as written) and the keyword arguments of a V1 validator decorator."""

    fields: list[ast.expr] = field(default_factory=list)
    keywords: dict[str, ast.expr] = field(default_factory=dict)

    def flag(self, name: str, default: bool) -> bool:
        """A boolean keyword; refuses when it is not a literal ``True`` / ``False``."""
        node = self.keywords.get(name)
        if node is None:
            return default
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return node.value
        raise Refusal(
            f"`{name}=` is not a literal True/False, so the V2 form cannot be chosen safely"
        )

    def field_names(self) -> list[str] | None:
        """The field names when every one is a string literal, else None."""
        names = []
        for node in self.fields:
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                return None
            names.append(node.value)
        return names


def read_args(call: ast.Call | None, allowed: frozenset[str]) -> DecoratorArgs:
    """Split a decorator call into field arguments and keywords; refuse anything unknown."""
    args = DecoratorArgs()
    if call is None:
        return args
    for node in call.args:
        if isinstance(node, ast.Starred):
            raise Refusal("the field names are passed with `*`, so they cannot be checked")
        args.fields.append(node)
    for keyword in call.keywords:
        if keyword.arg is None:
            raise Refusal("the decorator takes `**` keyword arguments that cannot be checked")
        if keyword.arg not in allowed:
            raise Refusal(f"the decorator has an unknown keyword `{keyword.arg}=`")
        args.keywords[keyword.arg] = keyword.value
    return args
