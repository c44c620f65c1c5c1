"""A V1 ``regex`` (Python's ``re``) as V2's ``pattern`` (Rust's ``regex`` crate) must spell it.

V2 compiles ``pattern`` when it builds the model, so a construct the Rust engine lacks fails
the import with a ``SchemaError`` (Netflix Dispatch's ``constr(regex=r"^(?!\\s*$).+")``).
Spellings with a faithful Rust equivalent are rewritten (``\\Z`` → ``\\z``, ``{,n}`` →
``{0,n}``, ``(?#comment)`` dropped); look-arounds, back-references, atomic groups and
possessive quantifiers have none and are refused with what to do instead.
"""

from __future__ import annotations

import re

ENGINE_HINT = (
    "; rewrite the pattern without them, or keep Python's engine with "
    '`regex_engine="python-re"` in the model\'s config'
)
REFUSED_GROUPS = {
    "(?=": "look-arounds",
    "(?!": "look-arounds",
    "(?<=": "look-arounds",
    "(?<!": "look-arounds",
    "(?P=": "back-references",
    "(?>": "atomic groups",
}
UP_TO = re.compile(r"\{,(\d+)\}")


class UnsupportedPattern(ValueError):
    """The pattern uses a construct V2's regex engine does not have."""


def v2_pattern(pattern: str) -> str:
    """``pattern`` in the dialect of V2's engine; raises ``UnsupportedPattern`` with the reason
    when it has no equivalent there."""
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            pair = pattern[index : index + 2]
            if not in_class and pair == "\\Z":
                pair = "\\z"
            elif not in_class and pair[1:] in tuple("123456789"):
                raise UnsupportedPattern(_reason("back-references"))
            out.append(pair)
            index += len(pair)
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
            index += 1
            continue
        if char == "[":
            # ``[]a]`` and ``[^]a]``: a ``]`` right after the opening is a member.
            start = index + 1 + (pattern[index + 1 : index + 2] == "^")
            member = pattern[start : start + 1] == "]"
            out.append(pattern[index : start + member])
            index, in_class = start + member, True
            continue
        refused = next((v for k, v in REFUSED_GROUPS.items() if pattern.startswith(k, index)), None)
        if refused is not None:
            raise UnsupportedPattern(_reason(refused))
        if pattern.startswith("(?#", index):
            close = pattern.find(")", index)
            index = len(pattern) if close < 0 else close + 1
            continue
        up_to = UP_TO.match(pattern, index)
        if up_to is not None:
            out.append(f"{{0,{up_to.group(1)}}}")
            index = up_to.end()
            continue
        if char in "*+?}" and pattern[index + 1 : index + 2] == "+" and out and out[-1] != "(":
            raise UnsupportedPattern(_reason("possessive quantifiers"))
        out.append(char)
        index += 1
    return "".join(out)


def _reason(what: str) -> str:
    return f"V2's regex engine has no {what}{ENGINE_HINT}"
