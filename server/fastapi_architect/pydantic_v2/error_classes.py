"""A project's own V1 error classes (``class NotFoundError(PydanticValueError)``) as
``ErrorWrapper`` conversions need them: V1's error ``type`` and message template.

V1 reported such an error as ``value_error.<code>`` (``type_error.<code>`` under
``PydanticTypeError``), ``code`` read through the bases and, when unset, the class name
without ``Error`` in lower case; its message was ``msg_template.format(**kwargs)``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from fastapi_architect.pydantic_v2.names import PydanticNames, in_packages

V1_ERROR_ROOTS = {"PydanticValueError": "value_error", "PydanticTypeError": "type_error"}
"""V1's error bases and the type prefix of their subclasses."""
V1_ERROR_MODULES = ("pydantic", "pydantic.errors", "pydantic.v1", "pydantic.v1.errors")
V1_NAMESPACE_ERROR_MODULES = ("pydantic.v1", "pydantic.v1.errors")
"""Where V1's error bases live inside pydantic 2 (``in_packages`` never counts them)."""
MAX_CHAIN = 24

UNKNOWN = "\x00unknown"
"""An attribute assigned something other than a string literal (no real template or code
holds a NUL character)."""
OWN_INIT = "\x00init"
"""``class_attributes``' template for a class that defines ``__init__`` / ``__new__``: V1's
``PydanticErrorMixin.__init__(self, **ctx)`` no longer builds its instances."""
CONSTRUCTORS = ("__init__", "__new__")


@dataclass(frozen=True)
class ErrorClass:
    """What a V1 error class and its bases set: the type prefix, ``code`` and
    ``msg_template`` (None when no class of the chain sets it, ``UNKNOWN`` when one sets
    it to something computed)."""

    kind: str
    code: str | None
    template: str | None
    name: str = ""
    """The class's own name (V1 derived the code from it when no class sets one)."""
    own_init: bool = False
    """True when the class or a base below V1's defines ``__init__`` / ``__new__``."""

    def below(self, name: str, attributes: tuple[str | None, str | None]) -> ErrorClass:
        """This class's facts seen from its subclass ``name`` that sets
        ``(code, msg_template)``."""
        code, template = attributes
        own_init = template == OWN_INIT
        return ErrorClass(
            self.kind,
            code if code is not None else self.code,
            template if template is not None and not own_init else self.template,
            name,
            self.own_init or own_init,
        )

    def raises_type_error(self, call: ast.Call) -> bool:
        """True when building the class with ``call``'s arguments raises ``TypeError`` in
        V1: a positional argument to ``PydanticErrorMixin.__init__(self, **ctx)`` (``*x``
        alone may be empty, so it does not count)."""
        return not self.own_init and any(not isinstance(a, ast.Starred) for a in call.args)

    def error_type(self) -> str | None:
        """V1's error type for an instance of the class; None when unknown."""
        if self.code == UNKNOWN:
            return None
        code = self.code or self.name.replace("Error", "").lower()
        return f"{self.kind}.{code}"


def class_attributes(node: ast.ClassDef) -> tuple[str | None, str | None]:
    """The ``code`` and ``msg_template`` the class body assigns (``UNKNOWN`` when not a
    string literal, None when not assigned; ``OWN_INIT`` for the template when the class
    defines ``__init__`` / ``__new__``)."""
    found: dict[str, str | None] = {"code": None, "msg_template": None}
    for stmt in node.body:
        defined = [stmt.name] if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) else []
        if isinstance(stmt, ast.Assign):
            defined = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
        if any(name in CONSTRUCTORS for name in defined):
            found["msg_template"] = OWN_INIT
            break
        if not isinstance(stmt, ast.Assign | ast.AnnAssign) or stmt.value is None:
            continue  # ``code: str`` alone sets nothing
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        value = stmt.value
        text = value.value if isinstance(value, ast.Constant) else None
        for target in targets:
            if isinstance(target, ast.Name) and target.id in found:
                found[target.id] = text if isinstance(text, str) else UNKNOWN
    return found["code"], found["msg_template"]


def v1_error_root(module: str, name: str) -> str | None:
    """The type prefix when ``name`` of ``module`` is V1's ``PydanticValueError`` /
    ``PydanticTypeError``."""
    known = in_packages(module, V1_ERROR_MODULES) or module in V1_NAMESPACE_ERROR_MODULES
    return V1_ERROR_ROOTS.get(name) if known else None


def local_error_classes(
    tree: ast.Module, names: PydanticNames, imported: dict[str, ErrorClass]
) -> dict[str, ErrorClass]:
    """The module's top-level V1 error classes, their bases resolved in the module, as
    Pydantic's, or among ``imported`` (the workspace's, by local name)."""
    nodes = {s.name: s for s in tree.body if isinstance(s, ast.ClassDef)}
    found: dict[str, ErrorClass] = {}
    from_v1 = _v1_error_imports(tree)

    def describe(name: str, depth: int) -> ErrorClass | None:
        if name in found or depth > MAX_CHAIN:
            return found.get(name)
        node = nodes[name]
        if len(node.bases) != 1 or node.keywords:
            return None  # several bases: V1's MRO is not followed here
        base = node.bases[0]
        pydantic = names.pydantic_name(base, V1_ERROR_MODULES)
        if pydantic is None and isinstance(base, ast.Name):
            pydantic = from_v1.get(base.id)  # the resolver never reads `pydantic.v1`
        parent: ErrorClass | None
        if pydantic in V1_ERROR_ROOTS:
            parent = ErrorClass(V1_ERROR_ROOTS[pydantic], None, None)
        elif isinstance(base, ast.Name) and base.id in nodes:
            parent = describe(base.id, depth + 1)
        else:
            parent = imported.get(ast.unparse(base))
        if parent is None:
            return None
        found[name] = parent.below(name, class_attributes(node))
        return found[name]

    for name in nodes:
        describe(name, 0)
    return found


def _v1_error_imports(tree: ast.Module) -> dict[str, str]:
    """Local name → V1 error base the module imports from ``pydantic.v1`` (``from
    pydantic.v1.errors import PydanticValueError``, as the moved-names fix writes it)."""
    found: dict[str, str] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module in V1_NAMESPACE_ERROR_MODULES:
            for alias in stmt.names:
                if alias.name in V1_ERROR_ROOTS:
                    found[alias.asname or alias.name] = alias.name
    return found
