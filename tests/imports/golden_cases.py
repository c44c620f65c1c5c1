# ruff: noqa: E501  (golden before/after texts are kept on one line each)
"""The golden table of import edits: before, what is asked, after (ruff-clean by construction)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi_architect.imports import ImportBinding

B = ImportBinding


@dataclass(frozen=True)
class Case:
    """One import edit: ``before`` + ``add``/``remove`` in a project → ``after``."""

    id: str
    before: str
    after: str
    add: tuple[ImportBinding, ...] = ()
    remove: frozenset[str] = frozenset()
    config: str = ""
    """The body of the project's ``pyproject.toml`` (``[tool.ruff]`` tables)."""
    files: tuple[str, ...] = ()
    """Project files that make first-party modules (``app/__init__.py``, ``models.py``)."""
    package: str = ""
    lint: bool = True
    """False for half-typed buffers: ruff cannot check them, only the golden text is compared."""


CASES: list[Case] = [
    Case(
        id="stdlib_goes_before_third_party",
        before="from fastapi import Header\n\n\n\ndef handler() -> None:\n    pass\n",
        add=(B(None, "asyncio"),),
        after="import asyncio\n\nfrom fastapi import Header\n\n\ndef handler() -> None:\n    pass\n",
    ),
    Case(
        id="member_order_is_by_type_then_case_insensitive",
        before="from fastapi import Header\n\nx = Header\n",
        add=(
            B("fastapi", "HTTPException"),
            B("fastapi", "status"),
            B("fastapi", "API_VERSION"),
        ),
        after="from fastapi import API_VERSION, Header, HTTPException, status\n\nx = Header\n",
    ),
    Case(
        id="future_stays_first",
        before='"""Service."""\n\nfrom __future__ import annotations\n\n\ndef handler() -> None:\n    pass\n',
        add=(
            B("fastapi", "Depends"),
            B("typing", "Annotated"),
        ),
        after='"""Service."""\n\nfrom __future__ import annotations\n\nfrom typing import Annotated\n\nfrom fastapi import Depends\n\n\ndef handler() -> None:\n    pass\n',
    ),
    Case(
        id="new_block_after_docstring",
        before='"""Service."""\n\nx = 1\n',
        add=(
            B(None, "asyncio"),
            B("sqlalchemy.orm", "Session"),
        ),
        after='"""Service."""\n\nimport asyncio\n\nfrom sqlalchemy.orm import Session\n\nx = 1\n',
    ),
    Case(
        id="new_block_after_one_line_docstring_without_blank",
        before='"""Service."""\n\n\ndef handler() -> None:\n    pass\n',
        add=(B("fastapi", "Depends"),),
        after='"""Service."""\n\nfrom fastapi import Depends\n\n\ndef handler() -> None:\n    pass\n',
    ),
    Case(
        id="new_block_in_empty_module",
        before="",
        add=(B("fastapi", "APIRouter"),),
        after="from fastapi import APIRouter\n",
    ),
    Case(
        id="new_block_in_module_without_docstring",
        before="router = 1\n",
        add=(B("fastapi", "APIRouter"),),
        after="from fastapi import APIRouter\n\nrouter = 1\n",
    ),
    Case(
        id="first_party_package_under_src_root",
        before="import os\n\nfrom fastapi import Depends\n\nx = os, Depends\n",
        add=(B("app.models", "User"),),
        files=("app/__init__.py", "app/models.py"),
        after="import os\n\nfrom fastapi import Depends\n\nfrom app.models import User\n\nx = os, Depends\n",
    ),
    Case(
        id="flat_layout_module_is_first_party",
        before="from fastapi import Depends\n\nx = Depends\n",
        add=(B("models", "User"),),
        files=("models.py",),
        after="from fastapi import Depends\n\nfrom models import User\n\nx = Depends\n",
    ),
    Case(
        id="src_layout_is_first_party",
        before="from fastapi import Depends\n\nx = Depends\n",
        add=(B("shop.models", "Order"),),
        files=("src/shop/__init__.py", "src/shop/models.py"),
        after="from fastapi import Depends\n\nfrom shop.models import Order\n\nx = Depends\n",
    ),
    Case(
        id="known_first_party_setting",
        before="from fastapi import Depends\n\nx = Depends\n",
        add=(B("corelib", "thing"),),
        config='[tool.ruff.lint.isort]\nknown-first-party = ["corelib"]\n',
        after="from fastapi import Depends\n\nfrom corelib import thing\n\nx = Depends\n",
    ),
    Case(
        id="known_third_party_setting_beats_source_root",
        before="from fastapi import Depends\n\nx = Depends\n",
        add=(B("models", "User"),),
        config='[tool.ruff.lint.isort]\nknown-third-party = ["models"]\n',
        files=("models.py",),
        after="from fastapi import Depends\nfrom models import User\n\nx = Depends\n",
    ),
    Case(
        id="relative_import_is_local_section",
        before="from fastapi import Depends\n\nfrom . import deps\n\nx = Depends, deps\n",
        add=(
            B(".schemas", "UserOut"),
            B("..core", "settings"),
        ),
        after="from fastapi import Depends\n\nfrom ..core import settings\nfrom . import deps\nfrom .schemas import UserOut\n\nx = Depends, deps\n",
    ),
    Case(
        id="absolute_request_merges_into_relative_import",
        before="from .models import Item\n\nx = Item\n",
        add=(B("app.api.models", "Order"),),
        package="app.api",
        after="from .models import Item, Order\n\nx = Item\n",
    ),
    Case(
        id="aliases_are_their_own_statements",
        before="import numpy as np\nfrom fastapi import Depends\n\nx = np, Depends\n",
        add=(
            B("fastapi", "Query", "Q"),
            B(None, "pandas", "pd"),
        ),
        after="import numpy as np\nimport pandas as pd\nfrom fastapi import Depends\nfrom fastapi import Query as Q\n\nx = np, Depends\n",
    ),
    Case(
        id="alias_kept_when_merging",
        before="from fastapi import Depends as D\nfrom fastapi import Query\n\nx = D, Query\n",
        add=(B("fastapi", "Body"),),
        after="from fastapi import Body, Query\nfrom fastapi import Depends as D\n\nx = D, Query\n",
    ),
    Case(
        id="combine_as_imports_setting",
        before="from fastapi import Depends\n\nx = Depends\n",
        add=(B("fastapi", "Query", "Q"),),
        config="[tool.ruff.lint.isort]\ncombine-as-imports = true\n",
        after="from fastapi import Depends, Query as Q\n\nx = Depends\n",
    ),
    Case(
        id="force_single_line_setting",
        before="from fastapi import Depends\n\nx = Depends\n",
        add=(
            B("fastapi", "Query"),
            B("fastapi", "Body"),
        ),
        config="[tool.ruff.lint.isort]\nforce-single-line = true\n",
        after="from fastapi import Body\nfrom fastapi import Depends\nfrom fastapi import Query\n\nx = Depends\n",
    ),
    Case(
        id="force_sort_within_sections_setting",
        before="from os import path\nimport sys\n\nx = sys, path\n",
        add=(
            B(None, "json"),
            B("collections", "deque"),
        ),
        config="[tool.ruff.lint.isort]\nforce-sort-within-sections = true\n",
        after="from collections import deque\nimport json\nfrom os import path\nimport sys\n\nx = sys, path\n",
    ),
    Case(
        id="lines_after_imports_setting",
        before="import os\n\nx = os\n",
        add=(B("fastapi", "Depends"),),
        config="[tool.ruff.lint.isort]\nlines-after-imports = 2\n",
        after="import os\n\nfrom fastapi import Depends\n\n\nx = os\n",
    ),
    Case(
        id="legacy_ruff_isort_table",
        before="from fastapi import Depends\n\nx = Depends\n",
        add=(B("corelib", "thing"),),
        config='[tool.ruff.isort]\nknown-first-party = ["corelib"]\n',
        after="from fastapi import Depends\n\nfrom corelib import thing\n\nx = Depends\n",
    ),
    Case(
        id="removal_of_one_name",
        before="from fastapi import Depends, Header, Query\n\nx = Depends, Query\n",
        remove=frozenset(["Header"]),
        after="from fastapi import Depends, Query\n\nx = Depends, Query\n",
    ),
    Case(
        id="removal_of_a_whole_statement",
        before="import os\nimport sys\n\nfrom fastapi import Depends\n\nx = os, Depends\n",
        remove=frozenset(["sys"]),
        after="import os\n\nfrom fastapi import Depends\n\nx = os, Depends\n",
    ),
    Case(
        id="removal_of_a_whole_section",
        before="import os\n\nfrom fastapi import Depends\n\nx = Depends\n",
        remove=frozenset(["os"]),
        after="from fastapi import Depends\n\nx = Depends\n",
    ),
    Case(
        id="removal_of_the_last_section_leaves_no_extra_blank_line",
        before="from fastapi import Depends\n\nfrom corelib import thing\n\n\nclass A:\n    x = Depends\n",
        remove=frozenset(["thing"]),
        after="from fastapi import Depends\n\n\nclass A:\n    x = Depends\n",
    ),
    Case(
        id="removal_of_every_import",
        before='"""Doc."""\n\nimport os\n\nx = 1\n',
        remove=frozenset(["os"]),
        after='"""Doc."""\n\nx = 1\n',
    ),
    Case(
        id="removal_of_an_aliased_name",
        before="import numpy as np\nimport pandas as pd\n\nx = pd\n",
        remove=frozenset(["np"]),
        after="import pandas as pd\n\nx = pd\n",
    ),
    Case(
        id="removal_and_addition_at_once",
        before="from fastapi import Depends, Header\n\nx = Depends\n",
        add=(B("fastapi", "Query"),),
        remove=frozenset(["Header"]),
        after="from fastapi import Depends, Query\n\nx = Depends\n",
    ),
    Case(
        id="type_checking_block_receives_annotation_only_import",
        before="from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.models import User\n\n\ndef f(user: User) -> None:\n    pass\n",
        add=(B("sqlalchemy.orm", "Session", annotation_only=True),),
        after="from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.models import User\n    from sqlalchemy.orm import Session\n\n\ndef f(user: User) -> None:\n    pass\n",
    ),
    Case(
        id="annotation_only_without_type_checking_block_goes_to_module",
        before="from __future__ import annotations\n\nimport os\n\nx = os\n",
        add=(B("sqlalchemy.orm", "Session", annotation_only=True),),
        after="from __future__ import annotations\n\nimport os\n\nfrom sqlalchemy.orm import Session\n\nx = os\n",
    ),
    Case(
        id="emptied_type_checking_block_is_removed_with_its_import",
        before="from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.models import User\n\n\ndef f(user: object) -> None:\n    pass\n",
        remove=frozenset(["User"]),
        after="from __future__ import annotations\n\n\ndef f(user: object) -> None:\n    pass\n",
    ),
    Case(
        id="runtime_need_moves_import_out_of_type_checking",
        before="from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nfrom fastapi import Depends\n\nif TYPE_CHECKING:\n    from app.models import User\n    from app.schemas import Out\n\n\ndef f(user: User, out: Out) -> None:\n    pass\n",
        add=(B("app.models", "User"),),
        files=("app/__init__.py", "app/models.py", "app/schemas.py"),
        after="from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nfrom fastapi import Depends\n\nfrom app.models import User\n\nif TYPE_CHECKING:\n    from app.schemas import Out\n\n\ndef f(user: User, out: Out) -> None:\n    pass\n",
    ),
    Case(
        id="comment_above_statement_moves_with_it",
        before="# web framework\nfrom fastapi import Depends\n\nx = Depends\n",
        add=(B(None, "os"),),
        after="import os\n\n# web framework\nfrom fastapi import Depends\n\nx = Depends\n",
    ),
    Case(
        id="inline_comment_kept_on_merge",
        before="from fastapi import Depends  # noqa: F401\n\nx = 1\n",
        add=(B("fastapi", "Query"),),
        after="from fastapi import Depends, Query  # noqa: F401\n\nx = 1\n",
    ),
    Case(
        id="comment_on_a_name_keeps_the_statement_exploded",
        before="from fastapi import (\n    Depends,  # the injector\n    Query,\n)\n\nx = Depends, Query\n",
        add=(B("fastapi", "Body"),),
        after="from fastapi import (\n    Body,\n    Depends,  # the injector\n    Query,\n)\n\nx = Depends, Query\n",
    ),
    Case(
        id="crlf_line_endings_kept",
        before="import os\r\n\r\nx = os\r\n",
        add=(
            B("fastapi", "Depends"),
            B(None, "sys"),
        ),
        after="import os\r\nimport sys\r\n\r\nfrom fastapi import Depends\r\n\r\nx = os\r\n",
    ),
    Case(
        id="long_line_wrapped_in_parentheses",
        before="from app.services.accounting.ledger import LedgerEntryService, LedgerPostingPolicy\n\nx = 1\n",
        add=(B("app.services.accounting.ledger", "LedgerReconciler"),),
        after="from app.services.accounting.ledger import (\n    LedgerEntryService,\n    LedgerPostingPolicy,\n    LedgerReconciler,\n)\n\nx = 1\n",
    ),
    Case(
        id="line_length_setting_wraps_earlier",
        before="from fastapi import Depends, Query\n\nx = 1\n",
        add=(B("fastapi", "HTTPException"),),
        config="line-length = 40\n",
        after="from fastapi import (\n    Depends,\n    HTTPException,\n    Query,\n)\n\nx = 1\n",
    ),
    Case(
        id="line_length_setting_keeps_longer_lines",
        before="from app.services.accounting.ledger import LedgerEntryService, LedgerPostingPolicy\n\nx = 1\n",
        add=(B("app.services.accounting.ledger", "LedgerReconciler"),),
        config="line-length = 120\n",
        after="from app.services.accounting.ledger import LedgerEntryService, LedgerPostingPolicy, LedgerReconciler\n\nx = 1\n",
    ),
    Case(
        id="magic_trailing_comma_keeps_one_name_per_line",
        before="from fastapi import (\n    Depends,\n)\n\nx = Depends\n",
        add=(B("fastapi", "Query"),),
        after="from fastapi import (\n    Depends,\n    Query,\n)\n\nx = Depends\n",
    ),
    Case(
        id="wrapped_import_collapses_when_a_name_leaves",
        before="from fastapi import (\n    Depends,\n    Query,\n)\n\nx = Depends\n",
        remove=frozenset(["Query"]),
        after="from fastapi import Depends\n\nx = Depends\n",
    ),
    Case(
        id="already_imported_names_are_not_added",
        before="import os\n\nfrom fastapi import Depends as D\n\nx = os, D\n",
        add=(
            B(None, "os"),
            B("fastapi", "Depends", "D"),
        ),
        after="import os\n\nfrom fastapi import Depends as D\n\nx = os, D\n",
    ),
    Case(
        id="natural_order_of_modules",
        before="import mod2\n\nx = mod2\n",
        add=(
            B(None, "mod10"),
            B(None, "mod1"),
        ),
        after="import mod1\nimport mod2\nimport mod10\n\nx = mod2\n",
    ),
    Case(
        id="dotted_straight_import_sorted_by_full_name",
        before="import os\nimport sys\n\nx = os, sys\n",
        add=(B(None, "os.path"),),
        after="import os\nimport os.path\nimport sys\n\nx = os, sys\n",
    ),
    Case(
        id="unsorted_block_keeps_its_order",
        before="import sys\nimport os\n\nx = sys, os\n",
        add=(B(None, "json"),),
        lint=False,
        after="import json\nimport sys\nimport os\n\nx = sys, os\n",
    ),
    Case(
        id="half_typed_function_below_the_imports",
        before="from fastapi import Depends\n\n\n@router.get('/')\ndef read(x: int = Depends(\n",
        add=(B("fastapi", "Query"),),
        lint=False,
        after="from fastapi import Depends, Query\n\n\n@router.get('/')\ndef read(x: int = Depends(\n",
    ),
    Case(
        id="half_typed_import_is_left_alone",
        before="import os\nfrom fastapi import (\n\nx = os\n",
        add=(B(None, "sys"),),
        lint=False,
        after="import os\nimport sys\nfrom fastapi import (\n\nx = os\n",
    ),
    Case(
        id="shebang_and_comments_stay_on_top",
        before="#!/usr/bin/env python\n# A tool.\n\nx = 1\n",
        add=(B(None, "sys"),),
        after="#!/usr/bin/env python\n# A tool.\n\nimport sys\n\nx = 1\n",
    ),
    Case(
        id="decorated_definition_gets_two_blank_lines",
        before='"""Doc."""\n\n\n@decorator\ndef f() -> None:\n    pass\n',
        add=(B("app.deco", "decorator"),),
        files=("app/__init__.py", "app/deco.py"),
        after='"""Doc."""\n\nfrom app.deco import decorator\n\n\n@decorator\ndef f() -> None:\n    pass\n',
    ),
    Case(
        id="half_typed_line_above_the_imports",
        before="impo\nimport os\n\nx = os\n",
        add=(B(None, "sys"),),
        lint=False,
        after="impo\nimport os\nimport sys\n\nx = os\n",
    ),
    Case(
        id="annotation_only_needs_future_annotations_to_use_type_checking",
        before='from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.models import User\n\n\ndef f(user: "User") -> None:\n    pass\n',
        add=(B("sqlalchemy.orm", "Session", annotation_only=True),),
        after='from typing import TYPE_CHECKING\n\nfrom sqlalchemy.orm import Session\n\nif TYPE_CHECKING:\n    from app.models import User\n\n\ndef f(user: "User") -> None:\n    pass\n',
    ),
    Case(
        id="type_checking_block_with_comments_and_relative_import",
        before="from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    # only for hints\n    from .models import User\n\n\ndef f(user: User) -> None:\n    pass\n",
        add=(
            B("sqlalchemy.orm", "Session", annotation_only=True),
            B("pathlib", "Path", annotation_only=True),
        ),
        after="from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pathlib import Path\n\n    from sqlalchemy.orm import Session\n\n    # only for hints\n    from .models import User\n\n\ndef f(user: User) -> None:\n    pass\n",
    ),
    Case(
        id="comment_above_a_definition_counts_as_the_definition",
        before='"""Doc."""\n\n\n# The handler.\ndef handler() -> None:\n    pass\n',
        add=(B(None, "os"),),
        after='"""Doc."""\n\nimport os\n\n\n# The handler.\ndef handler() -> None:\n    pass\n',
    ),
    Case(
        id="comment_apart_from_code_counts_as_code",
        before="import sys\n\n# Notes.\n\nx = sys\n",
        add=(B(None, "os"),),
        after="import os\nimport sys\n\n# Notes.\n\nx = sys\n",
    ),
]
