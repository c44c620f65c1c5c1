"""VS Code snippet syntax: parsing, expansion at the defaults, rendering for LSP clients."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastapi_architect.snippets.catalog import (
    Snippet,
    SnippetContext,
    SnippetFileError,
    classify,
    parse_snippet_file,
)
from fastapi_architect.snippets.grammar import SnippetSyntaxError, parse_body
from fastapi_architect.snippets.rendering import expand, render, snippet_variables
from fastapi_architect.snippets.selection import match_prefix, needed_imports, order_parameters


def expanded(body: str, **variables: str) -> str:
    return expand(parse_body(body), variables)


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("plain text", "plain text"),
        ("a $1 b", "a  b"),
        ("${1:name} = 1", "name = 1"),
        ("${1:outer ${2:inner}} end", "outer inner end"),
        ("${1:user}_id = ${1}", "user_id = user"),
        ("$1 then ${1:mirrored default}", "mirrored default then mirrored default"),
        ("${2:read_${1:user}}($1_id)", "read_user(user_id)"),
        ("${1|sync,async|} def", "sync def"),
        (r"${1|a\,b,c|}", "a,b"),
        ("end$0", "end"),
        (r"cost: \$5 \} \\ done", r"cost: $5 } \ done"),
        ("price $ 3", "price $ 3"),
        ("${1:a \\} b}", "a } b"),
    ],
)
def test_expansion_puts_every_placeholder_at_its_default(body: str, text: str) -> None:
    assert expanded(body) == text


def test_variables_take_their_value_else_their_default_else_their_name() -> None:
    body = "$TM_FILENAME ${TM_FILENAME_BASE} ${UNKNOWN:fallback} $UNKNOWN"
    assert expanded(body, TM_FILENAME="users.py", TM_FILENAME_BASE="users") == (
        "users.py users fallback UNKNOWN"
    )


def test_transforms_apply_regex_and_case_formats() -> None:
    body = "${TM_FILENAME_BASE/(.*)/${1:/capitalize}Service/} ${1:ab}${1/(a)/${1:/upcase}/g}"
    assert expanded(body, TM_FILENAME_BASE="user") == "UserService abAb"


def test_rendering_resolves_variables_and_escapes_their_values() -> None:
    nodes = parse_body(r"${1:a ${2:b}} $TM_FILENAME ${3|x,y\,z|} \$ $0")
    assert render(nodes, {"TM_FILENAME": "we$ird}.py"}) == (
        r"${1:a ${2:b}} we\$ird\}.py ${3|x,y\,z|} \$ ${0}"
    )


def test_rendering_then_parsing_round_trips_the_defaults() -> None:
    body = r"${1:outer ${2:inner}} ${3|a,b|} \$x ${4:\}} $1"
    assert expand(parse_body(render(parse_body(body)))) == expanded(body)


@pytest.mark.parametrize("body", ["${1:unclosed", "${1|a,b", "${}", "${1/re/fmt"])
def test_malformed_bodies_raise_a_syntax_error(body: str) -> None:
    with pytest.raises(SnippetSyntaxError):
        parse_body(body)


def test_classify_tells_parameters_from_module_code() -> None:
    assert classify("session: SessionDep") is SnippetContext.PARAMETER
    assert classify("SessionDep = Annotated[Session, Depends(get_db)]") is SnippetContext.MODULE
    assert classify("def f() -> None:\n    pass\n") is SnippetContext.MODULE
    with pytest.raises(SnippetSyntaxError):
        classify("def broken(:\n")


def test_prefix_matching_is_case_insensitive_and_ignores_the_namespace() -> None:
    (snippet,) = parse_snippet_file(
        '{"x": {"prefix": "fagetdb", "body": ["def get_db(): pass"], "scope": "python"}}'
    )
    assert match_prefix(snippet, "") == "fagetdb"
    assert match_prefix(snippet, "faGet") == "fagetdb"
    assert match_prefix(snippet, "getd") == "getdb"
    assert match_prefix(snippet, "session") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "expected a JSON object"),
        ('{"a": {"body": ["x = 1"]}}', "'prefix'"),
        ('{"a": {"prefix": "p", "body": 3}}', "'body'"),
        ('{"a": {"prefix": "p", "body": ["def f(:"]}}', "does not compile"),
        ('{"a": {"prefix": "p", "body": ["${1:x"]}}', "snippet 'a'"),
        ('{"a": {"prefix": "p", "body": "x = 1"}, "b": {"prefix": "p", "body": "y = 2"}}', "'p'"),
    ],
)
def test_bad_snippet_files_get_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(SnippetFileError, match=message):
        parse_snippet_file(text)


def test_snippets_of_other_languages_are_ignored() -> None:
    text = (
        '{"ts": {"prefix": "p", "body": "const x = 1;", "scope": "typescript"},'
        ' "py": {"prefix": "q", "body": "x = 1", "scope": "python,cython"}}'
    )
    assert [s.prefix for s in parse_snippet_file(text)] == ["q"]


def test_leading_tabs_become_four_spaces() -> None:
    (snippet,) = parse_snippet_file(
        '{"f": {"prefix": "f", "body": ["def f() -> None:", "\\tif True:", "\\t\\tpass"]}}'
    )
    assert snippet.default_text == "def f() -> None:\n    if True:\n        pass"


def test_file_variables_are_relative_to_the_workspace(tmp_path: Path) -> None:
    path = tmp_path / "app" / "api" / "users.py"
    values = snippet_variables(path, tmp_path)
    assert values["TM_FILENAME"] == "users.py"
    assert values["TM_FILENAME_BASE"] == "users"
    assert values["RELATIVE_FILEPATH"] == "app/api/users.py"
    assert values["WORKSPACE_NAME"] == tmp_path.name


def test_parameters_also_match_by_their_parameter_name() -> None:
    (snippet,) = parse_snippet_file(
        '{"x": {"prefix": "asyncsessiondep", "body": "${1:session}: AsyncSessionDep"}}'
    )
    assert match_prefix(snippet, "sess") == "session: AsyncSessionDep"
    assert match_prefix(snippet, "asy") == "asyncsessiondep"


def _parameters() -> list[tuple[Snippet, str]]:
    text = (
        '{"s": {"prefix": "sessiondep", "body": "${1:session}: SessionDep"},'
        ' "a": {"prefix": "asyncsessiondep", "body": "${1:session}: AsyncSessionDep"}}'
    )
    return [(snippet, snippet.prefix) for snippet in parse_snippet_file(text)]


def test_parameters_the_project_defines_come_alone_and_async_first_in_async_defs() -> None:
    pairs = _parameters()
    only_sync = order_parameters(pairs, {"SessionDep"}, in_async_def=True)
    assert [s.prefix for s, _ in only_sync] == ["sessiondep"]
    both = order_parameters(pairs, {"SessionDep", "AsyncSessionDep"}, in_async_def=True)
    assert [s.prefix for s, _ in both] == ["asyncsessiondep", "sessiondep"]
    unknown = order_parameters(pairs, set(), in_async_def=False)
    assert [s.prefix for s, _ in unknown] == ["sessiondep", "asyncsessiondep"]


def test_imports_come_from_libraries_and_the_project_but_never_for_local_names() -> None:
    (snippet,) = parse_snippet_file(
        '{"x": {"prefix": "x", "body": ["@router.get(\\"/\\")", '
        '"def f(session: SessionDep, user: Annotated[User, Depends(get_user)]) -> None:", '
        '"    pass"]}}'
    )
    modules = {"SessionDep": "app.api.deps", "router": "app.api.users", "User": "app.models"}
    assert needed_imports(snippet, modules) == {
        "SessionDep": "app.api.deps",
        "Annotated": "typing",
        "User": "app.models",
        "Depends": "fastapi",
    }
