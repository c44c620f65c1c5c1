"""Import edits of a conversion: the V2 names it uses, the V1 decorators nobody uses any more.

The import engine places them (``fastapi_architect.imports``): new names join the module's
``from pydantic import ...`` / ``from typing import ...`` at their isort place, so converting
validators one at a time or all at once ends with the same import lines.
"""

from __future__ import annotations

from collections.abc import Collection

from fastapi_architect.imports import DEFAULT_STYLE, ImportBinding, ImportStyle, plan_imports
from fastapi_architect.pydantic_v2.source import Replacement, Source
from fastapi_architect.textedit import offset_of


def import_edits(
    src: Source,
    pydantic_needed: Collection[str],
    typing_needed: Collection[str],
    unused_decorators: Collection[str],
    style: ImportStyle = DEFAULT_STYLE,
    bindings: Collection[ImportBinding] = (),
) -> list[Replacement]:
    """Replacements that add ``pydantic_needed``/``typing_needed`` and ``bindings``, and drop
    the imports of ``unused_decorators`` (any local names no code reads any more)."""
    add = [ImportBinding("pydantic", name) for name in sorted(pydantic_needed)]
    add += [ImportBinding("typing", name) for name in sorted(typing_needed)]
    add += sorted(bindings, key=ImportBinding.sort_key)
    edits = plan_imports(src.text, add, set(unused_decorators), style)
    return [
        Replacement(
            offset_of(src.text, edit.start, src.starts),
            offset_of(src.text, edit.end, src.starts),
            edit.new_text,
        )
        for edit in edits
    ]
