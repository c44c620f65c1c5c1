"""The tolerant scanner reads imports of documents that do not parse."""

from __future__ import annotations

import ast

from fastapi_architect.imports import (
    DEFAULT_STYLE,
    ImportBinding,
    ImportStatement,
    plan_imports,
    scan_imports,
    type_checking_imports,
)
from fastapi_architect.textedit import apply_edits


def test_imports_above_a_syntax_error_are_found() -> None:
    scanned = scan_imports("import os\nfrom fastapi import Depends\n\ndef f(x: int = (\n")
    (block,) = scanned.blocks
    assert [s.module_text for s in block.statements] == ["", "fastapi"]
    assert block.statements[1].names[0].name == "Depends"


def test_import_words_inside_a_docstring_are_not_imports() -> None:
    text = '"""Usage:\n\nimport this\nfrom here import that\n"""\n\nx = 1\n'
    scanned = scan_imports(text)
    assert scanned.blocks == ()
    assert scanned.insert_line == 5
    assert scanned.after_docstring


def test_comments_are_attached_to_their_statement_and_names() -> None:
    text = (
        "# framework\nfrom fastapi import (  # web\n    # the injector\n    Depends,  # di\n"
        "    Query,\n)\n"
    )
    (statement,) = scan_imports(text).blocks[0].statements
    assert statement.leading_comments == ("# framework",)
    assert statement.inline_comments == ("# web",)
    depends, query = statement.names
    assert depends.leading_comments == ("# the injector",)
    assert depends.trailing_comments == ("# di",)
    assert query.trailing_comments == ()
    assert statement.magic_trailing_comma


def test_type_checking_block_is_found_in_scan_and_tree() -> None:
    text = (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from a import B\n\n    x = 1\n"
    )
    scanned = scan_imports(text)
    assert scanned.type_checking is not None
    assert scanned.type_checking.block is not None
    assert scanned.type_checking.block.statements[0].type_checking
    (node,) = type_checking_imports(ast.parse(text))
    assert isinstance(node, ast.ImportFrom)
    assert node.module == "a"


def test_merging_a_name_rewrites_only_that_statement() -> None:
    text = "import os\n\nfrom fastapi import Depends\n\n\ndef f() -> None:\n    pass\n"
    edits = plan_imports(text, [ImportBinding("fastapi", "Query")], (), DEFAULT_STYLE)
    assert len(edits) == 1
    assert (edits[0].start.line, edits[0].end.line) == (2, 3)
    assert apply_edits(text, edits).splitlines()[2] == "from fastapi import Depends, Query"


def test_a_name_bound_by_the_module_is_not_imported_again() -> None:
    text = "from fastapi import Depends as D\n\nx = D\n"
    assert plan_imports(text, [ImportBinding("fastapi", "Depends", "D")]) == []


def test_parsed_tree_and_tolerant_scan_read_the_same_statements() -> None:
    from fastapi_architect.imports import statements_from_tree

    text = (
        "from __future__ import annotations\n\nimport os.path as p  # c\n"
        "from ..pkg import (a, b as c)\nfrom typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n    from x import Y\n\nz = 1\n"
    )
    parsed = statements_from_tree(ast.parse(text))
    scanned = scan_imports(text).statements()

    def shape(statements: list[ImportStatement]) -> list[tuple[object, ...]]:
        return [
            (s.module_text, s.is_from, [(n.name, n.asname) for n in s.names], s.start, s.end)
            for s in statements
        ]

    assert shape(parsed) == shape(scanned)
    assert [s.type_checking for s in parsed] == [s.type_checking for s in scanned]
    assert [s.level for s in parsed] == [0, 0, 2, 0, 0]
    assert parsed[-1].type_checking
