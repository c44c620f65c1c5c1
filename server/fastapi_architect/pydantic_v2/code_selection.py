"""``--select`` / ``--ignore`` for the Pydantic codes: prefixes resolved like ruff's.

A selector is a code (``PYD001``) or a prefix of codes (``PYD01`` → PYD010–PYD019, ``PYD`` →
all). For each code the longest matching selector decides; an ignore beats a select of the
same length. Without ``--select`` every code is selected.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from fastapi_architect.pydantic_v2.findings import CODES


class UnknownCode(ValueError):
    """A selector that matches no code."""


def parse_selectors(values: Iterable[str], known: Collection[str] = tuple(CODES)) -> list[str]:
    """Split ``CODE[,CODE…]`` arguments into upper-case selectors; raise ``UnknownCode``
    naming the first one that matches none of ``known`` (or an argument with no selector)."""
    selectors: list[str] = []
    for value in values:
        items = [item.strip().upper() for item in value.split(",") if item.strip()]
        if not items:
            raise UnknownCode(f"expected CODE[,CODE...], got {value!r}")
        for item in items:
            if not any(code.startswith(item) for code in known):
                raise UnknownCode(
                    f"unknown code {item!r} (known: {', '.join(known)}, or a prefix of them)"
                )
            selectors.append(item)
    return selectors


def _longest_match(code: str, selectors: Iterable[str]) -> int:
    return max((len(s) for s in selectors if code.startswith(s)), default=-1)


def selected_codes(
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
    known: Collection[str] = tuple(CODES),
) -> frozenset[str]:
    """The codes of ``known`` that ``select`` (None: all) keeps after ``ignore``, resolved by
    specificity."""
    select_list = list(select) if select is not None else [""]
    ignore_list = list(ignore or ())
    return frozenset(
        code
        for code in known
        if _longest_match(code, select_list) > _longest_match(code, ignore_list)
    )
