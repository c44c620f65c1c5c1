"""PYD035: names quoted inside ``Callable[...]`` that the module does not bind at run time
(V1 never resolved them, V2 refuses the model) become ``Any``; names V2 can resolve, modules
with postponed annotations and modules that rebuild with extra names are left alone."""

from __future__ import annotations

import warnings

import pytest
from test_behaviour_models import _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = """\
from typing import TYPE_CHECKING, Callable, Optional

from pydantic import BaseModel

if TYPE_CHECKING:
    from decimal import Decimal as Amount


class Hooks(BaseModel):
    on_amount: Callable[["Amount"], None]
    maybe: Optional[Callable[["Amount", int], "Rate"]] = None
    late: Callable[["Later"], "Hooks"]
    plain: Callable[[int], None] = print


class Later:
    pass
"""


def _refs(source: str) -> list[tuple[str, bool]]:
    return [(f.key, f.fixable) for f in find_findings(source) if f.code == "PYD035"]


def test_unbound_quoted_names_become_any_and_the_emptied_type_checking_import_goes() -> None:
    assert _refs(SOURCE) == [("Hooks.on_amount:callable", True), ("Hooks.maybe:callable", True)]
    migrated = migrate_source(SOURCE)
    assert "    on_amount: Callable[[Any], None]\n" in migrated
    assert "    maybe: Optional[Callable[[Any, int], Any]] = None\n" in migrated
    assert '    late: Callable[["Later"], "Hooks"]\n' in migrated
    assert "TYPE_CHECKING" not in migrated and "Amount" not in migrated
    assert "from typing import Any, Callable, Optional\n" in migrated
    assert migrate_source(migrated) == migrated


def test_the_message_names_the_missing_names_and_the_alternative() -> None:
    (finding, _) = [f for f in find_findings(SOURCE) if f.code == "PYD035"]
    assert "`Amount` is not defined at run time" in finding.message
    assert "`Hooks` is not fully defined" in finding.message
    assert "importing `Amount` at run time is the alternative" in finding.message


def test_a_type_checking_import_still_used_elsewhere_stays() -> None:
    source = SOURCE.replace("    plain:", '    other: Optional["Amount"] = None\n    plain:')
    migrated = migrate_source(source)
    assert "    from decimal import Decimal as Amount\n" in migrated


def test_the_migrated_model_validates_like_v1_instead_of_being_unusable() -> None:
    migrated = migrate_source(SOURCE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = _load(SOURCE, "callable_refs_unmigrated")
        after = _load(migrated, "callable_refs_migrated")
    from pydantic import PydanticUserError, ValidationError

    with pytest.raises(PydanticUserError, match="not fully defined"):
        before.Hooks(on_amount=print, late=print)
    assert after.Hooks(on_amount=print, late=print).on_amount is print
    with pytest.raises(ValidationError):
        after.Hooks(on_amount=1, late=print)


@pytest.mark.parametrize(
    "change",
    [
        ("from typing import", "from __future__ import annotations\n\nfrom typing import"),
        ("class Later:", "Hooks.update_forward_refs(Amount=int)\n\n\nclass Later:"),
        ("class Later:", "from decimal import *\n\n\nclass Later:"),
        ("if TYPE_CHECKING:", "if True:"),
        ('Callable[["Amount"], None]', "'Callable[[Amount], None]'"),
    ],
    ids=["postponed", "rebuilt-with-names", "star-import", "runtime-import", "whole-string"],
)
def test_names_v1_resolved_too_or_v2_can_resolve_are_left_alone(change: tuple[str, str]) -> None:
    source = SOURCE.replace(*change)
    if change[0] == "if TYPE_CHECKING:":
        source = source.replace('"Rate"', '"Amount"')
    assert "Hooks.on_amount:callable" not in dict(_refs(source))


def test_a_typing_any_the_module_rebinds_is_never_written() -> None:
    source = SOURCE.replace(
        "from typing import TYPE_CHECKING, Callable, Optional\n",
        "from typing import TYPE_CHECKING, Any, Callable, Optional\n\nAny = object\n",
    )
    findings = [f for f in find_findings(source) if f.code == "PYD035"]
    assert [f.fixable for f in findings] == [False, False]
    assert "`Any` in this module is assigned in this module" in findings[0].message
    assert migrate_source(source).count('"Amount"') == 2
