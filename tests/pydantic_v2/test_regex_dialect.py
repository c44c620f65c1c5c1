"""V1's ``regex`` is Python's ``re``; V2's ``pattern`` is Rust's regex engine, compiled when the
model is built, so an unsupported construct fails the import. ``migrate`` rewrites what has a
faithful Rust spelling and reports the rest (found on Netflix Dispatch: a look-ahead in
``NameStr`` would have failed every model using it)."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.regex_dialect import UnsupportedPattern, v2_pattern


@pytest.mark.parametrize(
    ("v1", "v2"),
    [
        (r"^[a-z]+\Z", r"^[a-z]+\z"),
        (r"\d{,3}", r"\d{0,3}"),
        (r"a(?#a comment)b", r"ab"),
        (r"\\Z", r"\\Z"),  # an escaped backslash, then a plain Z
        (r"[]\Z]", r"[]\Z]"),  # inside a class nothing is rewritten
        (r"[^]{,2}]x", r"[^]{,2}]x"),
        (r"a+?b*?", r"a+?b*?"),
        (r"(?:a|b){2,}", r"(?:a|b){2,}"),
        (r"^[a-z]+$", r"^[a-z]+(?:\n?\z)"),
        (r"^(low|high)$|^none$", r"^(low|high)(?:\n?\z)|^none(?:\n?\z)"),
        (r"a\$[$]", r"a\$[$]"),  # an escaped `$` and one in a class are literals
        (r"(?m)^a$", r"(?m)^a$"),  # under MULTILINE both engines' `$` agree
        (r"(?m:a$)|b$", r"(?m:a$)|b(?:\n?\z)"),
        (r"(?m)(?-m:a$)", r"(?m)(?-m:a(?:\n?\z))"),
        # under IGNORECASE Python equates i and I with the Turkish İ and ı, Rust does not
        (r"(?i)id[a-z][^0-9]", r"(?i)[iI\u0130\u0131]d[a-ziI\u0130\u0131][^0-9]"),
        (r"(?i:i)(?-i:i)(?P<i>x)", r"(?i:[iI\u0130\u0131])(?-i:i)(?P<i>x)"),
        (r"\w[^\W\d]", r"[\p{L}\p{N}_][^[^\p{L}\p{N}_]\d]"),
        (r"\s*\S[\s,]", r"[\s\x1c-\x1f]*[^\s\x1c-\x1f][\s\x1c-\x1f,]"),
        # Rust would read `[` in a class as a nested class, and has no `\b` (backspace) there
        (r"[[(\b]", r"[\[(\x08]"),
    ],
)
def test_spellings_with_a_rust_equivalent_are_rewritten(v1: str, v2: str) -> None:
    assert v2_pattern(v1) == v2


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (r"^(?!\s*$).+", "look-arounds"),
        (r"(?<=a)b", "look-arounds"),
        (r"(a)\1", "back-references"),
        (r"(?P<x>a)(?P=x)", "back-references"),
        (r"(?>a)", "atomic groups"),
        (r"a++", "possessive quantifiers"),
        (r"\bword\b", "word boundaries"),
        (r"(<)?a(?(1)>)", "conditional groups"),
        (r"(?a)\w+", "ASCII"),
        (r"^a$\n", "final newline"),
        (r"^(a$)+", "final newline"),
        (r"^(a|b$)c", "final newline"),
    ],
)
def test_constructs_without_an_equivalent_are_refused_with_what_to_do(
    pattern: str, what: str
) -> None:
    with pytest.raises(UnsupportedPattern, match=what) as refused:
        v2_pattern(pattern)
    assert 'regex_engine="python-re"' in str(refused.value)


SOURCE = """\
from pydantic import BaseModel, Field, constr

Digits = constr(regex=r"\\d{,3}\\Z")


class Account(BaseModel):
    slug: str = Field(..., regex=r"[a-z]+\\Z")
    code: Digits = "0"
    note: str = Field("", regex="x(?#marker)y|")
"""

INPUTS = [
    {"slug": "abc"},
    {"slug": "abc\\n"},
    {"slug": "abc\n"},
    {"slug": "ABC"},
    {"slug": "abc", "code": "12"},
    {"slug": "abc", "code": "1234"},
    {"slug": "abc", "code": "12\n"},
    {"slug": "abc", "note": "xy"},
    {"slug": "abc", "note": "x#y"},
]


def _outcome(module: Any, data: dict[str, str]) -> tuple[str, object]:
    errors = (module.ValidationError,)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            model = module.Account(**data)
    except errors as error:
        return "rejected", sorted(tuple(e["loc"]) for e in error.errors())
    return "ok", dict(model)


def test_rewritten_patterns_build_under_v2_and_match_what_v1_matched() -> None:
    migrated = migrate_source(SOURCE)
    assert r'Annotated[str, StringConstraints(pattern=r"^(?:\d{0,3}\z)")]' in migrated
    assert r'pattern=r"^(?:[a-z]+\z)"' in migrated
    assert "pattern='^(?:xy|)'" in migrated
    assert find_findings(migrated) == []
    v1 = _load(_as_v1(SOURCE) + "\nfrom pydantic.v1 import ValidationError\n", "regex_v1")
    v2 = _load(migrated + "\nfrom pydantic import ValidationError\n", "regex_v2")
    for data in INPUTS:
        assert _outcome(v2, data) == _outcome(v1, data), data


# Patterns from the V1 code bases this was measured on (Dispatch's QueryStr and
# OrganizationSlug) and common shapes, each probed with the inputs where the engines differ.
PROBED_PATTERNS = [
    r"^[ -~]+$",
    r"^[\w]+(?:_[\w]+)*$",
    r"^[a-z]+$",
    r"(low|medium|high)$",
    r"^\d{2,4}$|^none$",
    r"\w+\s\S+$",
    r"[^\W_]+\Z",
    r"(?m)^[a-z]+$",
    r"(?m:^x$)|y$",
    r"[[a-c]+$$",
    r"(?i)^[a-z]+$",
    r"(?i)id$",
    r"(?i:x[^h-j])y",
    r"(?i)[\u0130\u0131]|(?-i:k)",
    r"^a|bc",  # `^` opens only the first alternative: V1's `re.match` anchored both
    r"(?x) [a-z]+ b  # a comment to the end",
]
PROBE_INPUTS = [
    "",
    "abc",
    "abc\n",
    "abc\n\n",
    "\nabc",
    "ab\nc",
    "abc\r\n",
    "abc ",
    "ABC_def",
    "_",
    "x_y",
    "low",
    "low\n",
    "medium\nx",
    "2024",
    "2024\n",
    "none\n",
    "\u0663\u0664",
    "x\u00b2",
    "\u00bd",
    "e\u0301",
    "\u00e9t\u00e9",
    "\u0133",
    "a\x1cb",
    "a\x1c",
    "a\u00a0b",
    "a b",
    "[ab",
    "x\ny",
    "x\n",
    "y\n",
    "tab\there",
    "\u0130d",
    "\u0131D",
    "ID\n",
    "Id",
    "x\u0131y",
    "xIy",
    "xhy",
    "I",
    "\u0131",
    "k",
    "\u212a",
    "xbc",
]


@pytest.mark.parametrize("pattern", PROBED_PATTERNS)
def test_migrated_patterns_accept_and_reject_exactly_what_v1_did(pattern: str) -> None:
    source = (
        "from typing import List\n"
        "from pydantic import BaseModel, Field, conlist, constr\n\n"
        f"Text = constr(regex={pattern!r})\n\n\n"
        "class Account(BaseModel):\n"
        f"    field: str = Field('abc', regex={pattern!r})\n"
        "    typed: Text = 'abc'\n"
        f"    nested: conlist(constr(regex={pattern!r}), min_items=0) = []\n"
    )
    migrated = migrate_source(source)
    assert "regex" not in migrated
    v1 = _load(_as_v1(source) + "\nfrom pydantic.v1 import ValidationError\n", "regex_probe_v1")
    v2 = _load(migrated + "\nfrom pydantic import ValidationError\n", "regex_probe_v2")
    for text in PROBE_INPUTS:
        for data in ({"field": text}, {"typed": text}, {"nested": ["abc", text]}):
            assert _outcome(v2, data) == _outcome(v1, data), (pattern, data)
