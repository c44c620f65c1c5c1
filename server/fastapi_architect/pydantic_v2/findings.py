"""The finding type every Pydantic V2 surface consumes (diagnostics, quick fixes, CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi_architect.textedit import TextPosition

VALIDATOR_CODE = "PYD001"
ROOT_VALIDATOR_CODE = "PYD002"


@dataclass(frozen=True)
class Finding:
    """One V1 validator: where its decorator is, whether it converts, and how to ask for the fix.

    ``key`` names the validator by its qualified name (``Model.check_a``, ``Outer.Inner.check``;
    a second definition with the same name gets ``#2``). It survives edits elsewhere in the
    file, so a fix can be recomputed from the text alone.
    """

    code: str
    message: str
    start: TextPosition
    end: TextPosition
    fixable: bool
    key: str
    title: str
