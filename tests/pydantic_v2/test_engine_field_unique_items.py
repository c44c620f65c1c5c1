"""PYD011 ``unique_items``: V2 has no equivalent, so it is reported with what to write instead."""

from __future__ import annotations

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = (
    "from typing import List\n"
    "from pydantic import BaseModel, Field\n\n"
    "class M(BaseModel):\n"
    "    tags: List[int] = Field(default_factory=list, unique_items=True)\n"
)


def test_unique_items_report_says_what_to_write_instead_and_leaves_the_field() -> None:
    [(fixable, message)] = [(f.fixable, f.message) for f in find_findings(SOURCE)]

    assert not fixable
    assert "V2 has no `unique_items` and accepts duplicates" in message
    assert (
        "drops duplicates instead of rejecting them, loses the order and needs hashable" in message
    )
    assert "keep the `list` and add a `field_validator` that raises `ValueError`" in message
    assert migrate_source(SOURCE) == SOURCE
