"""A deterministic synthetic corpus of Pydantic V1 modules for the migration benchmarks.

``python -m bench corpus OUT [--files 200] [--seed 7]`` writes ``OUT/pkg/module_NNN.py``: each
module holds about five models with two V1 validators each, drawn from every kind the
migration handles (plain, ``pre``, several fields, ``values``, ``field``, ``always``,
``each_item``, ``"*"``, ``@classmethod`` above, reused validators, every ``@root_validator``
form) and all three import styles (``from pydantic import``, aliased, ``import pydantic``).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FILES = 200
DEFAULT_SEED = 7
MODELS_PER_FILE = 5
VALIDATORS_PER_MODEL = 2

NOUNS = (
    "Order",
    "Invoice",
    "Customer",
    "Shipment",
    "Ticket",
    "Booking",
    "Account",
    "Payment",
    "Product",
    "Review",
)

FIELDS = """    name: str
    quantity: int = 1
    tags: List[str] = []
    start: int = 0
    end: int = 0
    email: Optional[str] = None
    scores: Dict[str, int] = {}
"""


@dataclass(frozen=True)
class ImportStyle:
    """How a module imports pydantic: the header and the names its decorators use."""

    name: str
    header: str
    base: str
    field_decorator: str
    root_decorator: str


STYLES = (
    ImportStyle(
        "from-import",
        "from pydantic import BaseModel, Field, root_validator, validator\n",
        "BaseModel",
        "validator",
        "root_validator",
    ),
    ImportStyle(
        "aliased",
        "from pydantic import BaseModel\n"
        "from pydantic import root_validator as model_check\n"
        "from pydantic import validator as field_check\n",
        "BaseModel",
        "field_check",
        "model_check",
    ),
    ImportStyle(
        "module",
        "import pydantic\n",
        "pydantic.BaseModel",
        "pydantic.validator",
        "pydantic.root_validator",
    ),
)


def _plain(d: str, r: str, n: int) -> str:
    return f"""    @{d}("name")
    def name_not_blank_{n}(cls, value):
        # a name must contain something other than spaces
        if not value.strip():
            raise ValueError("name must not be blank")
        return value.strip()
"""


def _pre(d: str, r: str, n: int) -> str:
    return f"""    @{d}("quantity", pre=True)
    def quantity_from_text_{n}(cls, value):
        if isinstance(value, str):
            return int(value.replace(",", ""))
        return value
"""


def _several_fields(d: str, r: str, n: int) -> str:
    return f"""    @{d}("start", "end", allow_reuse=True)
    def not_negative_{n}(cls, value):
        if value < 0:
            raise ValueError("must not be negative")
        return value
"""


def _values(d: str, r: str, n: int) -> str:
    return f"""    @{d}("end")
    def end_after_start_{n}(cls, value, values):
        if "start" in values and value < values["start"]:
            raise ValueError("end must not be before start")
        return value
"""


def _values_get(d: str, r: str, n: int) -> str:
    return f"""    @{d}("scores")
    def scores_need_name_{n}(cls, value, values):
        if value and not values.get("name"):
            raise ValueError("scores need a name")
        return value
"""


def _field(d: str, r: str, n: int) -> str:
    return f"""    @{d}("email")
    def email_has_at_{n}(cls, value, field):
        if value is not None and "@" not in value:
            raise ValueError(f"{{field.name}} must contain @")
        return value
"""


def _always(d: str, r: str, n: int) -> str:
    return f"""    @{d}("quantity", always=True)
    def quantity_positive_{n}(cls, value):
        if value < 1:
            raise ValueError("quantity must be positive")
        return value
"""


def _each_item(d: str, r: str, n: int) -> str:
    return f"""    @{d}("tags", each_item=True)
    def tag_lowercase_{n}(cls, item):
        return item.lower()
"""


def _star(d: str, r: str, n: int) -> str:
    return f"""    @{d}("*", pre=True)
    def strip_strings_{n}(cls, value):
        return value.strip() if isinstance(value, str) else value
"""


def _classmethod_above(d: str, r: str, n: int) -> str:
    return f"""    @classmethod
    @{d}("name")
    def name_title_{n}(cls, value):
        return value.title()
"""


def _root_pre(d: str, r: str, n: int) -> str:
    return f"""    @{r}(pre=True)
    def default_end_{n}(cls, values):
        if isinstance(values, dict) and "end" not in values and "start" in values:
            values = dict(values)
            values["end"] = values["start"]
        return values
"""


def _root_bare(d: str, r: str, n: int) -> str:
    return f"""    @{r}
    def check_range_{n}(cls, values):
        start, end = values.get("start"), values.get("end")
        if start is not None and end is not None and end < start:
            raise ValueError("end must not be before start")
        return values
"""


def _root_skip(d: str, r: str, n: int) -> str:
    return f"""    @{r}(skip_on_failure=True)
    def lowercase_email_{n}(cls, values):
        if values.get("email"):
            values["email"] = values["email"].lower()
        return values
"""


def _root_empty_call(d: str, r: str, n: int) -> str:
    return f"""    @{r}()
    def name_or_email_{n}(cls, values):
        if not values.get("name") and not values.get("email"):
            raise ValueError("name or email is required")
        return values
"""


Kind = Callable[[str, str, int], str]

KINDS: tuple[Kind, ...] = (
    _plain,
    _pre,
    _several_fields,
    _values,
    _values_get,
    _field,
    _always,
    _each_item,
    _star,
    _classmethod_above,
    _root_pre,
    _root_bare,
    _root_skip,
    _root_empty_call,
)
"""Every validator kind the corpus contains (the reused-validator form is added per module)."""


@dataclass
class CorpusStats:
    """What was generated."""

    files: int = 0
    lines: int = 0
    models: int = 0
    validators: int = 0


@dataclass(frozen=True)
class Module:
    """A generated module's text and how many validators it holds."""

    text: str
    validators: int


def generate_module(rng: random.Random, number: int, models: int = MODELS_PER_FILE) -> Module:
    """One module with ``models`` models and about two validators each."""
    style = STYLES[number % len(STYLES)]
    parts = [
        f'"""Synthetic module {number}: Pydantic V1 models for the migration benchmark."""\n\n',
        "from typing import Dict, List, Optional\n\n",
        style.header,
        "\n\n",
        "def normalise_spaces(value):\n",
        '    """Collapse runs of whitespace (a validator reused by several models)."""\n',
        '    return " ".join(value.split())\n',
    ]
    counter = 0
    for index in range(models):
        noun = NOUNS[rng.randrange(len(NOUNS))]
        parts.append(f"\n\nclass {noun}{number}x{index}({style.base}):\n")
        parts.append(f'    """The {noun.lower()} payload as the API receives it."""\n\n')
        parts.append(FIELDS)
        if style.name == "from-import" and index == 0:
            # The reused-validator form (module-level function shared by models).
            parts.append(
                f'\n    _normalise_name = {style.field_decorator}("name", allow_reuse=True)'
                "(normalise_spaces)\n"
            )
            counter += 1
        for kind in rng.sample(KINDS, VALIDATORS_PER_MODEL):
            counter += 1
            parts.append("\n")
            parts.append(kind(style.field_decorator, style.root_decorator, counter))
    return Module("".join(parts), counter)


def generate(root: Path, files: int = DEFAULT_FILES, seed: int = DEFAULT_SEED) -> CorpusStats:
    """Write ``files`` modules under ``root/pkg`` (a package) and return what was written."""
    rng = random.Random(seed)
    package = root / "pkg"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    stats = CorpusStats()
    for number in range(files):
        module = generate_module(rng, number)
        (package / f"module_{number:03d}.py").write_text(module.text, encoding="utf-8")
        stats.files += 1
        stats.lines += module.text.count("\n")
        stats.models += MODELS_PER_FILE
        stats.validators += module.validators
    return stats


def large_module(seed: int = DEFAULT_SEED, min_lines: int = 2_000) -> str:
    """One module of at least ``min_lines`` lines (for the editor latency benchmark)."""
    rng = random.Random(seed)
    models = MODELS_PER_FILE
    while True:
        text = generate_module(rng, 0, models=models).text
        if text.count("\n") >= min_lines:
            return text
        models += 5


def main(argv: list[str]) -> int:
    """Write a corpus and print its size."""
    parser = argparse.ArgumentParser(prog="python -m bench corpus")
    parser.add_argument(
        "out", type=Path, nargs="?", help="where to write (default: a temporary folder, removed)"
    )
    parser.add_argument("--files", type=int, default=DEFAULT_FILES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as temp:
        out = arguments.out or Path(temp)
        started = time.perf_counter()
        stats = generate(out, arguments.files, arguments.seed)
        elapsed = time.perf_counter() - started
    where = out / "pkg" if arguments.out else "a temporary folder"
    print(
        f"wrote {stats.files} files, {stats.lines:,} lines, {stats.models} models, "
        f"{stats.validators} V1 validators to {where} in {elapsed * 1000:.0f} ms "
        f"(seed {arguments.seed})"
    )
    return 0
