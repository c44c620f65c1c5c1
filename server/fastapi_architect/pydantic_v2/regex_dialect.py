"""A V1 ``regex`` (Python's ``re``) as V2's ``pattern`` (Rust's ``regex`` crate) must spell it.

V2 compiles ``pattern`` when it builds the model, so a construct the Rust engine lacks fails
the import with a ``SchemaError`` (Netflix Dispatch's ``constr(regex=r"^(?!\\s*$).+")``), and a
construct both engines accept but read differently silently changes what validates.
Spellings with a faithful Rust equivalent are rewritten:

- ``$`` (without MULTILINE) → ``(?:\\n?\\z)``: Python's ``$`` also matches before a final
  newline, Rust's only at the very end (V1 accepted ``"abc\\n"`` for ``^[a-z]+$``). The
  rewrite consumes that newline, so it is only exact where nothing that consumes can follow;
  elsewhere the pattern is refused. Under ``(?m)`` both engines' ``$`` agree and it is kept.
- ``\\Z`` → ``\\z``, ``{,n}`` → ``{0,n}``, ``(?#comment)`` dropped, ``[`` in a class escaped.
- ``\\w``/``\\W`` → ``\\p{L}\\p{N}_`` classes and ``\\s``/``\\S`` with ``\\x1c-\\x1f`` added:
  Python's ``\\w`` is ``str.isalnum()`` plus ``_`` (digits like ``²``, no combining marks) and
  its ``\\s`` includes the four separators ``\\x1c``-``\\x1f``; Rust's differ on both.
- Under ``(?i)``, ``i`` / ``I`` (and classes holding them) also take ``İ`` and ``ı``, which
  Python's case-insensitive matching equates with them and Rust's simple case folding does not.

Look-arounds, back-references, atomic and conditional groups, possessive quantifiers, word
boundaries (Rust's ``\\b`` uses its own ``\\w``) and the ``a``/``L`` flags have no equivalent
and are refused with what to do instead (the conversions then keep the pattern on Python's
``re``, see ``compiled_patterns``). Left as they are: ``\\d`` and the rewritten classes
differ only on code points the running Python's Unicode database does not assign yet.
"""

from __future__ import annotations

import re
import warnings

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
    "(?(": "conditional groups",
}
UP_TO = re.compile(r"\{,(\d+)\}")
FLAGS = re.compile(r"\(\?([aiLmsux]*)(?:-([imsx]*))?([:)])")
NAMED = re.compile(r"\(\?P<\w+>")
# Under IGNORECASE Python also equates `i`/`I` with the Turkish `İ`/`ı`; Rust's folding does not.
DOTTED_I, DOTTED_I_RUST = "iI\u0130\u0131", r"iI\u0130\u0131"
END = r"(?:\n?\z)"
WORD, SPACE = r"\p{L}\p{N}_", r"\s\x1c-\x1f"
# Python's class shorthands as Rust spells them: outside a class, then inside one.
SHORTHANDS = {
    "w": (f"[{WORD}]", WORD),
    "W": (f"[^{WORD}]", f"[^{WORD}]"),
    "s": (f"[{SPACE}]", SPACE),
    "S": (f"[^{SPACE}]", f"[^{SPACE}]"),
}


class UnsupportedPattern(ValueError):
    """The pattern uses a construct V2's regex engine does not have."""


def v2_pattern(pattern: str) -> str:
    """``pattern`` in the dialect of V2's engine, matching exactly what it matched under
    Python's ``re``; raises ``UnsupportedPattern`` with the reason when it has no equivalent."""
    out: list[str] = []
    index, in_class, class_extra = 0, False, ""
    flags, groups = "", list[str]()  # the inline flags in force, of ``i`` and ``m``
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            pair = pattern[index : index + 2]
            out.append(_escape(pair, in_class))
            index += len(pair)
            continue
        if in_class:
            in_class = char != "]"
            out.append("\\[" if char == "[" else class_extra + char if char == "]" else char)
            index += 1
            continue
        if char == "[":
            # ``[]a]`` and ``[^]a]``: a ``]`` right after the opening is a member.
            start = index + 1 + (pattern[index + 1 : index + 2] == "^")
            member = pattern[start : start + 1] == "]"
            out.append(pattern[index : start + member])
            members = pattern[start : _class_end(pattern, index) - 1]
            class_extra = DOTTED_I_RUST if "i" in flags and _has_an_i(members) else ""
            index, in_class = start + member, True
            continue
        if "i" in flags and char in DOTTED_I:
            out.append(f"[{DOTTED_I_RUST}]")
            index += 1
            continue
        if char == "$" and "m" not in flags:
            if not _nothing_consumes_after(pattern, index + 1):
                raise UnsupportedPattern(
                    "Python's `$` also matches before a final newline, Rust's only at the very "
                    "end, and what follows this `$` keeps V2 from matching the same; end the "
                    'pattern at the `$`, or keep Python\'s engine with `regex_engine="python-re"` '
                    "in the model's config"
                )
            out.append(END)
            index += 1
            continue
        refused = next((v for k, v in REFUSED_GROUPS.items() if pattern.startswith(k, index)), None)
        if refused is not None:
            raise UnsupportedPattern(_reason(refused))
        if pattern.startswith("(?#", index):
            close = pattern.find(")", index)
            index = len(pattern) if close < 0 else close + 1
            continue
        if char == "(":
            flags, opened = _enter_group(pattern, index, flags, groups)
            out.append(pattern[index:opened])
            index = opened
            continue
        if char == ")" and groups:
            flags = groups.pop()
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


def match_start(flags: str) -> str:
    """Where V1's ``re.match`` began, for a pattern opening with the inline ``flags``: under
    MULTILINE a plain ``^`` would also match after every newline."""
    return "(?-m:^)" if "m" in flags else "^"


def anchored_at_start(pattern: str) -> bool:
    """Whether every match of ``pattern`` must begin at the start of the string, as under
    V1's ``re.match``: it opens with ``^`` / ``\\A`` and has no ``|`` outside a group."""
    if not pattern.startswith(("^", "\\A")):
        return False
    index, depth = 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(pattern, index)
            continue
        if char == "|" and depth == 0:
            return False
        depth += (char == "(") - (char == ")")
        index += 1
    return True


def python_literal(pattern: str) -> str:
    """``pattern`` as a Python string literal: raw where it has backslashes and a raw literal
    can spell it, so the written pattern reads as the user wrote theirs."""
    trailing = len(pattern) - len(pattern.rstrip("\\"))
    if "\\" not in pattern or not pattern.isprintable() or trailing % 2:
        return repr(pattern)
    quote = next((q for q in ('"', "'") if q not in pattern), None)
    return repr(pattern) if quote is None else f"r{quote}{pattern}{quote}"


def _escape(pair: str, in_class: bool) -> str:
    """An escape as Rust must spell it to mean what it meant to Python."""
    letter = pair[1:]
    if letter in SHORTHANDS:
        return SHORTHANDS[letter][in_class]
    if in_class:
        return "\\x08" if letter == "b" else pair
    if letter == "Z":
        return "\\z"
    if letter in ("b", "B"):
        raise UnsupportedPattern(_reason("word boundaries with Python's meaning of a word"))
    if letter in tuple("123456789"):
        raise UnsupportedPattern(_reason("back-references"))
    return pair


def _enter_group(pattern: str, index: int, flags: str, groups: list[str]) -> tuple[str, int]:
    """The inline flags (of ``i`` and ``m``) in force after the ``(`` at ``index`` and where
    its opening syntax ends; pushes what holds after its ``)``."""
    named = NAMED.match(pattern, index)
    given = FLAGS.match(pattern, index)
    if given is None:
        groups.append(flags)
        return flags, named.end() if named else index + 1
    on, off, kind = given.group(1) or "", given.group(2) or "", given.group(3)
    if set(on) & set("aL"):
        raise UnsupportedPattern(_reason("ASCII or locale flags"))
    scoped = "".join(f for f in "im" if f in on or (f in flags and f not in off))
    if kind == ":":  # ``(?m:...)``: for that group; ``(?m)``: for the rest of the pattern
        groups.append(flags)
    return scoped, given.end()


def _has_an_i(members: str) -> bool:
    """Whether a class with these members holds one of ``i``, ``I``, ``İ``, ``ı``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # ``[`` as a member: nested sets
            return any(re.fullmatch(f"[{members}]", char) for char in DOTTED_I)
    except re.error:
        return False


def _nothing_consumes_after(pattern: str, index: int) -> bool:
    """Whether the match can only end (nothing consuming can follow) at ``index``."""
    while index < len(pattern):
        if pattern[index] == "$" or pattern.startswith("\\Z", index):
            index += 1 + (pattern[index] == "\\")
        elif pattern[index] == ")":
            index += 1
            if pattern[index : index + 1] in ("*", "+", "?", "{"):
                return False
        elif pattern[index] == "|":
            index = _group_close(pattern, index + 1)
        else:
            return False
    return True


def _group_close(pattern: str, index: int) -> int:
    """The index of the ``)`` closing the group ``index`` is in (at the top: the length)."""
    depth = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(pattern, index)
            continue
        if char == ")" and depth == 0:
            return index
        depth += (char == "(") - (char == ")")
        index += 1
    return index


def _class_end(pattern: str, index: int) -> int:
    """The index just past the class opened by the ``[`` at ``index``."""
    index += 1 + (pattern[index + 1 : index + 2] == "^")
    index += pattern[index : index + 1] == "]"
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index + 1


def _reason(what: str) -> str:
    return f"V2's regex engine has no {what}{ENGINE_HINT}"
