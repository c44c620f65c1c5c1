"""A V1 ``regex`` V2's Rust engine cannot run (look-arounds, back-references, ...) is kept on
Python's ``re``: ``pattern=re.compile(...)``, which Pydantic 2.9+ runs with ``re`` for that
field only (Netflix Dispatch's ``NameStr = constr(regex=r"^(?!\\s*$).+", ...)`` otherwise
stays V1 and every module importing it fails under Pydantic 2)."""

from __future__ import annotations

import warnings
from typing import Any

import pydantic
import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

NEEDS_COMPILED_PATTERNS = pytest.mark.skipif(
    tuple(int(p) for p in pydantic.VERSION.split(".")[:2]) < (2, 9),
    reason="Pydantic accepts a compiled `pattern` from 2.9 on",
)

DISPATCH = 'from pydantic import constr\n\nNameStr = constr(regex=r"^(?!\\s*$).+")\n'


def test_a_look_ahead_becomes_a_compiled_python_pattern_with_an_import() -> None:
    migrated = migrate_source(DISPATCH)
    assert migrated.startswith("import re\n")
    assert 'StringConstraints(pattern=re.compile(r"^(?!\\s*$).+"))' in migrated
    assert find_findings(migrated) == []


def test_the_finding_says_which_pydantic_versions_accept_a_compiled_pattern() -> None:
    [finding] = find_findings(DISPATCH)
    assert (finding.code, finding.fixable) == ("PYD015", True)
    assert "from 2.9 on" in finding.message
    assert 'regex_engine="python-re"' in finding.message


def test_an_unanchored_pattern_is_anchored_as_v1_matched_it() -> None:
    source = (
        "from pydantic import BaseModel, Field\n\n\n"
        "class Pair(BaseModel):\n"
        '    twice: str = Field("aa", regex=r"(\\w)\\1")\n'
        '    either: str = Field("a", regex=r"^a|b(?=c)")\n'
        '    flagged: str = Field("a", regex=r"(?i)a(?!x)")\n'
    )
    migrated = migrate_source(source)
    assert 'pattern=re.compile(r"^(?:(\\w)\\1)")' in migrated
    # `^` opens only the first alternative: the whole pattern is anchored
    assert 'pattern=re.compile(r"^(?:^a|b(?=c))")' in migrated
    assert 'pattern=re.compile(r"(?i)^(?:a(?!x))")' in migrated
    [finding] = [f for f in find_findings(source) if f.key == "Pair.twice:Field"]
    assert finding.code == "PYD011"
    assert "from 2.9 on" in finding.message


def test_a_module_where_re_is_something_else_is_reported_not_converted() -> None:
    source = 'import regex as re\nfrom pydantic import constr\n\nA = constr(regex=r"(?=a)a")\n'
    [finding] = find_findings(source)
    assert not finding.fixable
    assert "look-arounds" in finding.message
    assert "`re` in this module is imported as `regex`" in finding.message
    assert migrate_source(source) == source


def test_a_pattern_python_cannot_compile_is_reported_not_converted() -> None:
    source = 'from pydantic import constr\n\nA = constr(regex=r"(?=a")\n'
    [finding] = find_findings(source)
    assert not finding.fixable
    assert "Python's `re` cannot compile it" in finding.message


# Dispatch's NameStr and other shapes the Rust engine cannot run.
PATTERNS = [
    r"^(?!\s*$).+",
    r"(\w)\1",
    r"(?P<q>['\"]).*(?P=q)",
    r"[a-z]+(?<!x)",
    r"^a|b(?=c)",
    r"(?i)a(?!x)",
    r"\bword\b",
    r"^[a-z]+$(?<!z)",
    r"(?x) (?<!x) [a-z]+  # a verbose comment to the end",
]
INPUTS = [
    "",
    " ",
    "   ",
    "\t\n ",
    "ab",
    " ab ",
    "abc",
    "  abc  ",
    "abc\n",
    "\n\nabc",
    "aa",
    "ab1",
    "éé",
    "\u00e9t\u00e9",
    "'quoted'",
    "'mixed\"",
    "xyz",
    "abx",
    "a",
    "bc",
    "xbc",
    "A",
    "Ax",
    "word",
    "word!",
    "words",
    "abz",
    "abc\u00a0",
    "\u3000\u3000\u3000",
    "名前です",
]


def _outcome(module: Any, data: dict[str, Any]) -> tuple[str, object]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            model = module.Account(**data)
    except module.ValidationError as error:
        return "rejected", sorted(tuple(e["loc"]) for e in error.errors())
    return "ok", dict(model)


@NEEDS_COMPILED_PATTERNS
@pytest.mark.parametrize("pattern", PATTERNS)
def test_compiled_patterns_accept_reject_and_strip_exactly_as_v1_did(pattern: str) -> None:
    source = (
        "from pydantic import BaseModel, Field, conlist, constr\n\n"
        f"Text = constr(regex={pattern!r}, strip_whitespace=True, min_length=3)\n\n\n"
        "class Account(BaseModel):\n"
        f"    field: str = Field('abc', regex={pattern!r})\n"
        "    typed: Text = 'abc'\n"
        f"    nested: conlist(constr(regex={pattern!r}), min_items=0) = []\n"
    )
    migrated = migrate_source(source)
    assert "regex=" not in migrated
    assert "re.compile(" in migrated
    v1 = _load(_as_v1(source) + "\nfrom pydantic.v1 import ValidationError\n", "compiled_v1")
    v2 = _load(migrated + "\nfrom pydantic import ValidationError\n", "compiled_v2")
    for text in INPUTS:
        for data in ({"field": text}, {"typed": text}, {"nested": ["abc", text]}):
            assert _outcome(v2, data) == _outcome(v1, data), (pattern, data)


@NEEDS_COMPILED_PATTERNS
def test_dispatch_name_str_keeps_v1s_schema_pattern_and_error_order() -> None:
    source = (
        "from pydantic import BaseModel, constr\n\n"
        'NameStr = constr(regex=r"^(?!\\s*$).+", strip_whitespace=True, min_length=3)\n\n\n'
        "class Account(BaseModel):\n"
        "    name: NameStr\n"
    )
    migrated = migrate_source(source)
    v1 = _load(_as_v1(source) + "\nfrom pydantic.v1 import ValidationError\n", "dispatch_v1")
    v2 = _load(migrated + "\nfrom pydantic import ValidationError\n", "dispatch_v2")
    v1_schema = v1.Account.schema()["properties"]["name"]
    v2_schema = v2.Account.model_json_schema()["properties"]["name"]
    assert v2_schema["pattern"] == v1_schema["pattern"] == r"^(?!\s*$).+"
    # V1 stripped, then checked the length, then the pattern: so does V2
    for text, kind in (("    ", "string_too_short"), (" ab ", "string_too_short")):
        with pytest.raises(v2.ValidationError) as raised:
            v2.Account(name=text)
        assert [e["type"] for e in raised.value.errors()] == [kind]
        with pytest.raises(v1.ValidationError) as raised_v1:
            v1.Account(name=text)
        assert [e["type"] for e in raised_v1.value.errors()] == ["value_error.any_str.min_length"]
    assert v2.Account(name="  Incident  ").name == v1.Account(name="  Incident  ").name
