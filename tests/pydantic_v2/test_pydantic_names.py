"""One answer to "does this expression mean Pydantic's X here", for every form and every pass.

Each case is a module with ``__probe__(expr)`` at the point asked about; the expected answer is
what Python binds there. The same table is put to ``PydanticNames.refers_to`` and to the check
of every pass that asks the question for that kind of name, so none of them can drift apart.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from fastapi_architect.pydantic_v2 import (
    config_class,
    constrained_types,
    defaults,
    error_wrappers,
    field_args,
    field_keyword,
    field_reads,
    generic_models,
    moved_names,
    optional_defaults,
    plain_generics,
    type_adapters,
)
from fastapi_architect.pydantic_v2.names import SETTINGS, PydanticNames, read_names


@dataclass(frozen=True)
class Kind:
    """A Pydantic name the passes look for, the V1 module defining it, and whether V1's
    ``pydantic`` exports it (``from pydantic import *`` binds it)."""

    name: str
    home: str
    exported: bool = True


KINDS = [
    Kind("Field", "fields"),
    Kind("BaseModel", "main"),
    Kind("BaseSettings", "env_settings"),
    Kind("constr", "types"),
    Kind("conint", "types"),
    Kind("conlist", "types"),
    Kind("parse_obj_as", "tools"),
    Kind("schema_of", "tools"),
    Kind("ErrorWrapper", "error_wrappers", exported=False),
    Kind("ValidationError", "error_wrappers"),
    Kind("Extra", "config"),
    Kind("BaseConfig", "config"),
    Kind("NoneStr", "types"),
    Kind("validator", "class_validators"),
    Kind("root_validator", "class_validators"),
    Kind("GenericModel", "generics", exported=False),
]


@dataclass(frozen=True)
class Form:
    """A way of writing a reference: module text and probe, ``{n}`` / ``{h}`` filled in."""

    id: str
    source: str
    expected: bool | Callable[[Kind], bool]
    only_exported: bool = False


FORMS = [
    Form("bare", "from pydantic import {n}\n__probe__({n})\n", True, only_exported=True),
    Form("alias", "from pydantic.{h} import {n} as Alias\n__probe__(Alias)\n", True),
    Form("original-of-alias", "from pydantic.{h} import {n} as Alias\n__probe__({n})\n", False),
    Form("submodule", "from pydantic.{h} import {n}\n__probe__({n})\n", True),
    Form("attribute", "import pydantic\n__probe__(pydantic.{n})\n", True, only_exported=True),
    Form("module-alias", "import pydantic as pd\n__probe__(pd.{n})\n", True, only_exported=True),
    Form("dotted-submodule", "import pydantic.{h}\n__probe__(pydantic.{h}.{n})\n", True),
    Form("submodule-alias", "import pydantic.{h} as m\n__probe__(m.{n})\n", True),
    Form("from-submodule", "from pydantic import {h}\n__probe__({h}.{n})\n", True),
    Form("star", "from pydantic import *\n__probe__({n})\n", lambda kind: kind.exported),
    Form(
        "star-then-other-import",
        "from pydantic import *\nfrom sqlmodel import {n}\n__probe__({n})\n",
        False,
    ),
    Form(
        "other-import-then-star",
        "from sqlmodel import {n}\nfrom pydantic import *\n__probe__({n})\n",
        lambda kind: kind.exported,
    ),
    Form(
        "import-then-other-import",
        "from pydantic import {n}\nfrom sqlmodel import {n}\n__probe__({n})\n",
        False,
        only_exported=True,
    ),
    Form(
        "star-then-definition",
        "from pydantic import *\n\ndef {n}(*args, **kwargs): ...\n\n__probe__({n})\n",
        False,
    ),
    Form(
        "import-then-definition",
        "from pydantic.{h} import {n}\n\nclass {n}: ...\n\n__probe__({n})\n",
        False,
    ),
    Form(
        "import-then-assignment",
        "from pydantic import {n}\n{n} = None\n__probe__({n})\n",
        False,
        only_exported=True,
    ),
    Form(
        "use-before-assignment",
        "from pydantic import {n}\n__probe__({n})\n{n} = None\n",
        True,
        only_exported=True,
    ),
    Form(
        "function-runs-after-assignment",
        "from pydantic import {n}\n\ndef f():\n    __probe__({n})\n\n{n} = None\n",
        False,
        only_exported=True,
    ),
    Form(
        "class-base-before-own-definition",
        "from pydantic import {n}\n\nclass {n}(__probe__({n})): ...\n",
        True,
        only_exported=True,
    ),
    Form(
        "parameter",
        "from pydantic import {n}\n\ndef f({n}):\n    __probe__({n})\n",
        False,
        only_exported=True,
    ),
    Form(
        "local-assignment",
        "from pydantic import {n}\n\ndef f():\n    {n} = None\n    __probe__({n})\n",
        False,
        only_exported=True,
    ),
    Form(
        "enclosing-function-local",
        "from pydantic import {n}\n\ndef f({n}):\n    def g():\n        __probe__({n})\n",
        False,
        only_exported=True,
    ),
    Form(
        "global-declaration",
        "from pydantic import {n}\n\ndef f():\n    global {n}\n    __probe__({n})\n",
        True,
        only_exported=True,
    ),
    Form(
        "function-local-import",
        "def f():\n    from pydantic.{h} import {n}\n    __probe__({n})\n",
        True,
    ),
    Form(
        "comprehension-variable-elsewhere",
        "from pydantic import {n}\n\ndef f(xs):\n    [{n} for {n} in xs]\n    __probe__({n})\n",
        True,
        only_exported=True,
    ),
    Form(
        "type-checking-only",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from pydantic import {n}\n__probe__({n})\n",
        True,
        only_exported=True,
    ),
    Form(
        "fallback-to-other-library",
        "try:\n    from pydantic import {n}\nexcept ImportError:\n"
        "    from compat import {n}\n__probe__({n})\n",
        False,
        only_exported=True,
    ),
    Form(
        "same-object-from-two-modules",
        "try:\n    from pydantic.{h} import {n}\nexcept ImportError:\n"
        "    from pydantic import {n}\n__probe__({n})\n",
        True,
    ),
    Form(
        "else-branch-sees-earlier-binding",
        "from pydantic import {n}\nimport sys\nif sys.flags.optimize:\n    {n} = None\n"
        "else:\n    __probe__({n})\n",
        True,
        only_exported=True,
    ),
    Form(
        "submodule-import-then-assignment",
        "from pydantic.{h} import {n}\n{n} = None\n__probe__({n})\n",
        False,
    ),
    Form(
        "submodule-import-then-parameter",
        "from pydantic.{h} import {n}\n\ndef f({n}):\n    __probe__({n})\n",
        False,
    ),
    Form(
        "submodule-import-then-other-import",
        "from pydantic.{h} import {n}\nfrom sqlmodel import {n}\n__probe__({n})\n",
        False,
    ),
    Form("v1-namespace", "from pydantic.v1 import {n}\n__probe__({n})\n", False),
    Form("v1-attribute", "import pydantic\n__probe__(pydantic.v1.{n})\n", False),
    Form("v1-module-alias", "import pydantic.v1 as pd\n__probe__(pd.{n})\n", False),
    Form("other-library", "from sqlmodel import {n}\n__probe__({n})\n", False),
    Form("other-module-named-pd", "import sqlmodel as pd\n__probe__(pd.{n})\n", False),
    Form("relative-pydantic", "from .pydantic import {n}\n__probe__({n})\n", False),
    Form("unbound", "__probe__({n})\n", False),
    Form(
        "attribute-of-a-class", "from pydantic import BaseModel\n__probe__(BaseModel.{n})\n", False
    ),
    Form(
        "attribute-of-shadowed-module",
        "import pydantic\npydantic = None\n__probe__(pydantic.{h}.{n})\n",
        False,
    ),
]

CASES = [
    pytest.param(form, kind, id=f"{form.id}-{kind.name}")
    for form in FORMS
    for kind in KINDS
    if kind.exported or not form.only_exported
]


def _probe(form: Form, kind: Kind) -> tuple[PydanticNames, ast.expr, bool]:
    source = form.source.format(n=kind.name, h=kind.home)
    tree = ast.parse(source)
    probes = [
        node.args[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "__probe__"
    ]
    assert len(probes) == 1, source
    expected = form.expected(kind) if callable(form.expected) else form.expected
    return read_names(tree), probes[0], expected


@pytest.mark.parametrize(("form", "kind"), CASES)
def test_refers_to_answers_as_python_binds_the_name(form: Form, kind: Kind) -> None:
    names, expr, expected = _probe(form, kind)
    assert names.refers_to(expr, kind.name) is expected
    if expected:
        assert names.pydantic_name(expr) == kind.name
    assert names.refers_to(expr, "Other") is False


def _pass_answers(names: PydanticNames, expr: ast.expr, kind: Kind) -> dict[str, bool]:
    """What each pass's own check says about ``expr`` for this kind of name."""
    call = ast.Call(func=expr, args=[], keywords=[])
    answers: dict[str, bool] = {}
    if kind.name == "Field":
        answers["field_args._is_field"] = field_args._is_field(expr, names)
        answers["field_keyword.is_field_call"] = field_keyword.is_field_call(call, names)
        answers["defaults._is_pydantic_field_call"] = defaults._is_pydantic_field_call(call, names)
        declared = ast.parse("x: int = Field()").body[0]
        assert isinstance(declared, ast.AnnAssign)
        declared.value = call
        answers["field_reads._declared_builtin"] = field_reads._declared_builtin(declared, names)
    if kind.name.startswith("con"):
        answers["constrained_types._kind"] = constrained_types._kind(expr, names) == kind.name
    if kind.name in type_adapters.HELPERS:
        answers["type_adapters._helper_of"] = type_adapters._helper_of(expr, names)[0] == kind.name
    spelled = error_wrappers._Names(names)
    if kind.name == "ErrorWrapper":
        answers["error_wrappers.is_wrapper"] = spelled.is_wrapper(expr)
    if kind.name == "ValidationError":
        answers["error_wrappers.error_kind"] = spelled.error_kind(expr) == "pydantic"
    if kind.name == "Extra":
        member = ast.Attribute(value=expr, attr="forbid", ctx=ast.Load())
        answers["config_class._extra_member"] = (
            config_class._extra_member(member, names) is not None
        )
    if kind.name == "BaseConfig":
        answers["config_class._is_base_config"] = config_class._is_base_config(expr, names)
    if kind.name in ("validator", "root_validator"):
        answers["names.decorator_kind"] = names.decorator_kind(call) == kind.name
    if kind.name in ("BaseModel", "BaseSettings", "GenericModel"):
        answers["names.is_model_base"] = names.is_model_base(expr)
    if kind.name == "GenericModel":
        answers["generic_models._generic_model"] = (
            generic_models._generic_model(expr, names) is not None
        )
    if kind.name in ("BaseSettings", "NoneStr") and isinstance(expr, ast.Attribute):
        answers["moved_names.moved_attribute"] = (
            moved_names.moved_attribute(expr, names) == kind.name
        )
    if kind.name in ("BaseModel", "BaseSettings"):
        answers["plain_generics._pydantic_base"] = plain_generics._pydantic_base(expr, names)
    if kind.name == "BaseSettings":
        answers["names.is_settings_base"] = names.is_settings_base(expr)
    if kind.name == "NoneStr":
        answers["defaults._implicitly_optional"] = defaults._implicitly_optional(expr, names)
        answers["optional_defaults._defaults_to_none"] = optional_defaults._defaults_to_none(
            expr, names
        )
    return answers


@pytest.mark.parametrize(("form", "kind"), CASES)
def test_every_pass_gives_the_same_answer(form: Form, kind: Kind) -> None:
    names, expr, expected = _probe(form, kind)
    answers = _pass_answers(names, expr, kind)
    assert answers, "every kind is asked about by at least one pass"
    assert {check: expected for check in answers} == answers


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from pydantic_settings import BaseSettings\n__probe__(BaseSettings)\n", True),
        ("import pydantic_settings as ps\n__probe__(ps.BaseSettings)\n", True),
        (
            "try:\n    from pydantic import BaseSettings\nexcept ImportError:\n"
            "    from pydantic_settings import BaseSettings\n__probe__(BaseSettings)\n",
            True,
        ),
        ("from settings_lib import BaseSettings\n__probe__(BaseSettings)\n", False),
    ],
)
def test_a_settings_base_may_come_from_pydantic_settings(source: str, expected: bool) -> None:
    tree = ast.parse(source)
    names = read_names(tree)
    probe = next(
        n.args[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and ast.unparse(n.func) == "__probe__"
    )
    assert names.is_settings_base(probe) is expected
    assert names.is_model_base(probe) is expected
    assert names.refers_to(probe, "BaseSettings", SETTINGS) is expected
    assert names.refers_to(probe, "BaseSettings") is (
        expected and "pydantic_settings" not in source
    )


def test_a_pydantic_alias_spelled_as_another_pydantic_name_means_the_imported_one() -> None:
    tree = ast.parse("from pydantic import Field as constr\nx = constr(max_length=3)\n")
    names = read_names(tree)
    call = tree.body[1].value
    assert isinstance(call, ast.Call)
    assert names.pydantic_name(call.func) == "Field"
    assert constrained_types._kind(call.func, names) is None
    assert field_args._is_field(call.func, names)
