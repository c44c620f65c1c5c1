"""PYD027: V1 types called to build a value V2 cannot build that way. ``EmailStr(x)`` becomes
the string V1 built (the literal, else ``str(x)``); URL types called with their parts,
``isinstance`` checks and subclasses of ``EmailStr`` are reported."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source


def _codes(source: str) -> list[tuple[str, bool]]:
    return [(f.key, f.fixable) for f in find_findings(source) if f.code == "PYD027"]


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ('EmailStr("a@b.c")', '"a@b.c"'),
        ("EmailStr('a@b.c')", "'a@b.c'"),
        ('EmailStr(f"{user}@b.c")', 'f"{user}@b.c"'),
        ("EmailStr(user)", "str(user)"),
        ("EmailStr()", '""'),
        ('pydantic.EmailStr("a@b.c")', '"a@b.c"'),
        ('E("a@b.c")', '"a@b.c"'),
    ],
)
def test_email_str_call_becomes_the_string_v1_built(call: str, expected: str) -> None:
    source = (
        "import pydantic\nfrom pydantic import EmailStr\nfrom pydantic import EmailStr as E\n\n\n"
        f"def f(user):\n    return {call}\n"
    )
    migrated = migrate_source(source)
    assert f"    return {expected}\n" in migrated
    compile(migrated, "<migrated>", "exec")


def test_import_goes_when_the_call_was_its_only_use() -> None:
    source = 'from pydantic import BaseModel, EmailStr\n\nADMIN = EmailStr("a@b.c")\n'
    assert migrate_source(source) == 'from pydantic import BaseModel\n\nADMIN = "a@b.c"\n'


def test_import_stays_while_an_annotation_uses_it() -> None:
    source = (
        "from pydantic import BaseModel, EmailStr\n\n\nclass M(BaseModel):\n"
        '    to: EmailStr = EmailStr("a@b.c")\n'
    )
    migrated = migrate_source(source)
    assert 'to: EmailStr = "a@b.c"\n' in migrated
    assert "from pydantic import BaseModel, EmailStr\n" in migrated


def test_implicitly_concatenated_literal_over_lines_keeps_its_parentheses() -> None:
    source = 'from pydantic import EmailStr\n\nADMIN = EmailStr(\n    "a"\n    "@b.c"\n)\n'
    migrated = migrate_source(source)
    assert 'ADMIN = ("a"\n    "@b.c")\n' in migrated
    namespace: dict[str, object] = {}
    exec(compile(migrated, "<migrated>", "exec"), namespace)
    assert namespace["ADMIN"] == "a@b.c"


def test_keys_name_the_scope_and_count_repeats() -> None:
    source = (
        "from pydantic import BaseModel, EmailStr\n\nA = EmailStr('a@b.c')\nB = EmailStr('b@b.c')\n"
        "\n\nclass M(BaseModel):\n    to: str = EmailStr('c@b.c')\n"
    )
    assert _codes(source) == [
        ("<module>:EmailStr()", True),
        ("<module>:EmailStr()#2", True),
        ("M:EmailStr()", True),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "X = EmailStr(object='a@b.c')",
        "X = EmailStr(*parts)",
        "X = EmailStr('a', 'b')",
    ],
)
def test_unusual_arguments_are_reported_not_rewritten(line: str) -> None:
    source = f"from pydantic import EmailStr\n\nparts = ['a']\n{line}\n"
    [finding] = [f for f in find_findings(source) if f.code == "PYD027"]
    assert not finding.fixable and "write the string" in finding.message
    assert line in migrate_source(source)


def test_rebound_str_is_reported_for_a_non_literal() -> None:
    source = "from pydantic import EmailStr\n\nstr = bytes\nuser = 'u'\nX = EmailStr(user)\n"
    [finding] = [f for f in find_findings(source) if f.code == "PYD027"]
    assert not finding.fixable and "`str` names something else" in finding.message


def test_url_type_called_with_its_parts_is_reported() -> None:
    source = (
        "from pydantic import AnyUrl, HttpUrl\n\n"
        "A = AnyUrl('http://x.com', scheme='http', host='x.com')\n"
        "B = HttpUrl('http://x.com')\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD027"]
    assert finding.key == "<module>:AnyUrl()" and not finding.fixable
    assert "takes only the URL" in finding.message


def test_isinstance_checks_and_subclasses_of_email_str_are_reported() -> None:
    source = (
        "from pydantic import EmailStr\n\n\nclass Mine(EmailStr):\n    pass\n\n\n"
        "def f(v):\n    return isinstance(v, (int, EmailStr)) or issubclass(v, EmailStr)\n"
    )
    assert _codes(source) == [
        ("Mine:EmailStr base", False),
        ("f:isinstance EmailStr", False),
        ("f:isinstance EmailStr#2", False),
    ]


@pytest.mark.parametrize(
    "source",
    [
        "from pydantic.v1 import EmailStr\n\nX = EmailStr('a@b.c')\n",
        "from pydantic import BaseModel\n\n\nclass EmailStr(str): ...\n\n\nX = EmailStr('')\n",
        "from email_types import EmailStr\nimport pydantic\n\nX = EmailStr('a@b.c')\n",
    ],
)
def test_other_email_str_classes_are_left_alone(source: str) -> None:
    assert _codes(source) == []
    assert migrate_source(source) == source


def test_sites_in_decorators_nested_classes_and_over_lines_are_found() -> None:
    source = (
        "from pydantic import BaseModel, EmailStr\n\n\ndef tag(x):\n    return lambda f: f\n\n\n"
        "class Outer:\n    class Inner(BaseModel):\n        to: str = EmailStr('a@b.c')\n\n"
        "    @tag(EmailStr('d@b.c'))\n    def f(self, v):\n        return isinstance(\n"
        "            v,\n            EmailStr,\n        )\n"
    )
    assert _codes(source) == [
        ("Outer.Inner:EmailStr()", True),
        ("Outer.f:EmailStr()", True),
        ("Outer.f:isinstance EmailStr", False),
    ]
