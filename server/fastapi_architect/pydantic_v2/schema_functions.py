"""``pydantic.schema`` functions V2 removed → ``pydantic.json_schema`` (PYD023).

``schema(models, ...)`` → ``models_json_schema([(M, "validation"), ...], ...)`` and
``model_schema(M, ...)`` → ``model_json_schema(M, ...)`` (both from ``pydantic.json_schema``),
each result given V1's shape back: the definitions under ``definitions`` (V2 writes ``$defs``)
and every ``$ref`` to ``#/definitions/<name>`` or to the ``ref_prefix`` passed (V2 takes a
``ref_template`` only). ``default_ref_template`` / ``default_prefix`` become their V1 values and
``normalize_name(x)`` the ``re.sub`` V1 ran. The schemas themselves are V2's, and the finding
says so. The other ``pydantic.schema`` names are reported by PYD013 (``moved_names``).
"""

from __future__ import annotations

import ast
import bisect
import json

from fastapi_architect.imports import ImportBinding
from fastapi_architect.pydantic_v2.conversion import Conversion, refused
from fastapi_architect.pydantic_v2.findings import SCHEMA_FUNCTION_CODE
from fastapi_architect.pydantic_v2.module_reads import ModuleReads, module_reads
from fastapi_architect.pydantic_v2.names import PydanticNames, top_level_imports
from fastapi_architect.pydantic_v2.source import Replacement, Source

SCHEMA_MODULE = "pydantic.schema"
JSON_SCHEMA_MODULE = "pydantic.json_schema"
V1_TEMPLATE = "#/definitions/{model}"
LITERALS = {"default_ref_template": V1_TEMPLATE, "default_prefix": "#/definitions/"}
"""V1 constants of ``pydantic.schema`` and their values."""
FUNCTIONS = ("schema", "model_schema", "normalize_name")
CONVERTED = frozenset({*FUNCTIONS, *LITERALS})
"""The ``pydantic.schema`` names converted here (PYD013 leaves them alone)."""
NORMALIZE = 're.sub(r"[^a-zA-Z0-9.\\-_]", "_", {})'
"""What V1's ``normalize_name(name)`` ran."""
CONTENT_NOTE = (
    " The schemas inside are V2's (JSON Schema 2020-12) and differ from V1's in content: "
    "`Optional` fields become `anyOf` with `{'type': 'null'}` (valid in OpenAPI 3.1, not in "
    "3.0, which wants `nullable`), `Literal` values `const`, and titles or defaults may "
    "change; check what consumes them."
)
_ATOMS = (
    ast.Name,
    ast.Attribute,
    ast.Call,
    ast.Subscript,
    ast.Constant,
    ast.List,
    ast.ListComp,
    ast.Set,
    ast.SetComp,
    ast.Dict,
    ast.DictComp,
    ast.GeneratorExp,  # its position includes its parentheses (the call's, when alone)
)
"""Expressions that stay one operand wherever they are pasted."""


def plan_schema_functions(src: Source, names: PydanticNames) -> list[Conversion]:
    """A conversion for every use of a ``pydantic.schema`` function or constant V2 removed."""
    if SCHEMA_MODULE not in src.text:
        return []
    return _Planner(src, names).plan()


class _Planner:
    """One module's ``pydantic.schema`` uses, planned together (they share imports)."""

    def __init__(self, src: Source, names: PydanticNames) -> None:
        self.src = src
        self.names = names
        self.imported: dict[str, tuple[str, ast.alias]] = {}
        for stmt in top_level_imports(src.tree.body):
            if isinstance(stmt, ast.ImportFrom) and stmt.module == SCHEMA_MODULE and not stmt.level:
                for alias in stmt.names:
                    if alias.name in CONVERTED:
                        self.imported[alias.asname or alias.name] = (alias.name, alias)
        self.v2_imported = {
            alias.name
            for stmt in top_level_imports(src.tree.body)
            if isinstance(stmt, ast.ImportFrom) and stmt.module == JSON_SCHEMA_MODULE
            for alias in stmt.names
            if alias.asname is None
        }
        """Names the module already imports from ``pydantic.json_schema`` as they are."""
        self.constants = _module_strings(src.tree)
        self.reads: ModuleReads = module_reads(
            src.tree, {*self.imported, *self.constants}, src.lines
        )
        self.uses: list[tuple[ast.expr, str, str | None]] = []
        """Every use: the node (a name or ``pydantic.schema.x``), its V1 name, its local."""
        for local, (canonical, _) in self.imported.items():
            if local not in self.reads.rebound:
                self.uses.extend((node, canonical, local) for node in self.reads.reads[local])
        self.uses.extend(self._attribute_uses())
        self.uses.sort(key=lambda use: (self.src.start(use[0]), -self.src.end(use[0])))
        self.literal_nodes = {id(use[0]): use for use in self.uses if use[1] in LITERALS}
        self.seen: dict[str, int] = {}
        self.scopes = _Scopes(src.tree)

    def _attribute_uses(self) -> list[tuple[ast.expr, str, str | None]]:
        """``pydantic.schema.schema`` / ``ps.model_schema`` spelled through the module."""
        found: list[tuple[ast.expr, str, str | None]] = []
        for node in ast.walk(self.src.tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                self.reads.calls[id(node.func)] = node
            if (
                isinstance(node, ast.Attribute)
                and node.attr in CONVERTED
                and self.names.modules_of(node.value) == {SCHEMA_MODULE}
            ):
                found.append((node, node.attr, None))
        return found

    def plan(self) -> list[Conversion]:
        conversions: list[Conversion] = []
        parents = self.reads.calls
        taken: set[int] = set()  # literal uses a converted call already rewrote
        for node, canonical, local in self.uses:
            if canonical in LITERALS:
                continue
            call = parents.get(id(node))
            key = self._key(node, canonical)
            if call is None:
                conversions.append(self._value_use(node, canonical, key))
                continue
            conversion, inside = self._call(call, canonical, local, key)
            if conversion.fixable:
                taken.update(inside)
            conversions.append(conversion)
        for node, canonical, local in self.uses:
            if canonical in LITERALS and id(node) not in taken:
                conversions.append(self._literal(node, canonical, local))
        conversions.extend(self._imports())
        self._count_shadows(conversions)
        conversions.sort(key=lambda c: c.start)
        return conversions

    def _key(self, node: ast.AST, canonical: str) -> str:
        base = f"{self.scopes.of(node)}:{canonical}"
        self.seen[base] = self.seen.get(base, 0) + 1
        return base if self.seen[base] == 1 else f"{base}#{self.seen[base]}"

    def _value_use(self, node: ast.expr, canonical: str, key: str) -> Conversion:
        message = (
            f"`{SCHEMA_MODULE}.{canonical}` was removed in Pydantic V2 and is used here "
            f"without being called, so its calls cannot be rewritten: {_hint(canonical)}."
        )
        return refused(SCHEMA_FUNCTION_CODE, key, message, self.src.start(node), self.src.end(node))

    def _literal(self, node: ast.expr, canonical: str, local: str | None) -> Conversion:
        value = LITERALS[canonical]
        start, end = self.src.start(node), self.src.end(node)
        message = (
            f"`{SCHEMA_MODULE}.{canonical}` was removed in Pydantic V2: its V1 value "
            f'`"{value}"` replaces it (V2\'s own default template is `#/$defs/{{model}}`).'
        )
        return Conversion(
            SCHEMA_FUNCTION_CODE,
            self._key(node, canonical),
            f'Use its V1 value `"{value}"`',
            message,
            start,
            end,
            [Replacement(start, end, json.dumps(value))],
            consumed=_freed(local or _head(node)),
        )

    def _call(
        self, call: ast.Call, canonical: str, local: str | None, key: str
    ) -> tuple[Conversion, set[int]]:
        """The conversion of one call, and the literal uses inside it that it rewrites."""
        start, end = self.src.start(call), self.src.end(call)
        what = f"`{SCHEMA_MODULE}.{canonical}` was removed in Pydantic V2"
        texts = _Texts(self.src, self.literal_nodes)
        try:
            if canonical == "normalize_name":
                text, add = self._normalize(call, texts)
                message = (
                    f"{what}: the `re.sub` it ran replaces it (V2's "
                    "`GenerateJsonSchema.normalize_name` also turns `.` into `__`)."
                )
                title = "Use the `re.sub` V1's `normalize_name` ran"
            else:
                text, add, where = self._schema(call, canonical, texts)
                v2 = "models_json_schema" if canonical == "schema" else "model_json_schema"
                message = (
                    f"{what}: `{v2}` from `{JSON_SCHEMA_MODULE}` replaces it, its result "
                    f"given V1's shape (definitions under `definitions`, not `$defs`; "
                    f"`$ref`s to `{where}`)." + CONTENT_NOTE
                )
                title = f"Use `{v2}` (V1's `definitions` shape)"
        except ValueError as reason:
            return refused(
                SCHEMA_FUNCTION_CODE,
                key,
                f"{what}; not converted automatically: {reason}.",
                start,
                end,
            ), set()
        for inner in ast.walk(call):
            if isinstance(inner, ast.expr) and inner is not call.func:
                texts.note(inner)  # every V1 constant in the call is gone from the new text
        consumed = dict(texts.consumed)
        if local is None:  # ``pydantic.schema.schema(...)``: the module name goes from the text
            local = _head(call.func)
        if local is not None:
            consumed[local] = consumed.get(local, 0) + 1
        conversion = Conversion(
            SCHEMA_FUNCTION_CODE,
            key,
            title,
            message,
            start,
            end,
            [Replacement(start, end, text)],
            add,
            consumed=consumed,
        )
        return conversion, texts.rewritten

    def _normalize(self, call: ast.Call, texts: _Texts) -> tuple[str, set[ImportBinding]]:
        if len(call.args) + len(call.keywords) != 1 or (
            call.keywords and call.keywords[0].arg != "name"
        ):
            raise ValueError("it takes exactly one argument, `name`")
        argument = call.args[0] if call.args else call.keywords[0].value
        if isinstance(argument, ast.Starred):
            raise ValueError("its argument is unpacked with `*`")
        self._free("re")
        return NORMALIZE.format(texts.argument(argument)), {ImportBinding(None, "re")}

    def _schema(
        self, call: ast.Call, canonical: str, texts: _Texts
    ) -> tuple[str, set[ImportBinding], str]:
        """``models_json_schema`` / ``model_json_schema`` for ``call``, reshaped, with its
        imports and where its ``$ref``s point."""
        if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        ):
            raise ValueError("its arguments are unpacked with `*` / `**`, so they cannot be mapped")
        if canonical == "schema":
            order = ["models"]
            allowed = ["models", "by_alias", "title", "description", "ref_prefix", "ref_template"]
        else:
            order = ["model", "by_alias", "ref_prefix", "ref_template"]
            allowed = order
        if len(call.args) > len(order):
            raise ValueError(f"`{canonical}` takes {len(order)} positional argument(s) at most")
        given: dict[str, ast.expr] = dict(zip(order, call.args, strict=False))
        for keyword in call.keywords:
            assert keyword.arg is not None
            if keyword.arg not in allowed:
                raise ValueError(f"`{canonical}` has no `{keyword.arg}=` argument")
            if keyword.arg in given:
                raise ValueError(f"`{keyword.arg}` is given twice")
            given[keyword.arg] = keyword.value
        subject = given.pop(order[0], None)
        if subject is None:
            raise ValueError(f"the `{order[0]}` argument is missing")
        template, where = self._template(
            given.pop("ref_prefix", None), given.pop("ref_template", None), texts
        )
        options = [f"{name}={texts.value(value)}" for name, value in given.items()]
        options.append(f"ref_template={template}")
        function = "models_json_schema" if canonical == "schema" else "model_json_schema"
        self._free(function)
        if canonical == "schema":
            made = f"{function}({_pairs(subject, texts)}, {', '.join(options)})[1]"
        else:
            made = f"{function}({texts.argument(subject)}, {', '.join(options)})"
        reshaped = (
            f'{{"definitions" if key == "$defs" else key: value for key, value in {made}.items()}}'
        )
        return reshaped, {ImportBinding(JSON_SCHEMA_MODULE, function)}, where

    def _template(
        self, prefix: ast.expr | None, template: ast.expr | None, texts: _Texts
    ) -> tuple[str, str]:
        """The ``ref_template=`` text V2 needs for V1's ``ref_prefix`` / ``ref_template``, and
        where the ``$ref``s point. V1 used the prefix when it was a non-empty string."""
        if prefix is not None:
            known = self._static_string(prefix)
            if known is None:
                raise ValueError(
                    f"`ref_prefix={self.src.segment(prefix)}` is not a string this module "
                    "defines, and V2 takes `ref_template=` only: pass `ref_template=` with "
                    "the prefix followed by `{model}` (braces in the prefix doubled)"
                )
            value, constant = known
            if value:
                texts.note(prefix)
                escaped = value.replace("{", "{{").replace("}", "}}")
                if constant is not None and escaped == value:
                    return f'{constant} + "{{model}}"', f"{value}<name>"
                return json.dumps(escaped + "{model}"), f"{value}<name>"
        if template is None:
            return json.dumps(V1_TEMPLATE), "#/definitions/<name>"
        known = self._static_string(template)
        if known is not None and known[0] == V1_TEMPLATE:
            texts.note(template)
            return json.dumps(V1_TEMPLATE), "#/definitions/<name>"
        shown = known[0].replace("{model}", "<name>") if known else "the template given"
        return texts.value(template), shown

    def _static_string(self, expr: ast.expr) -> tuple[str, str | None] | None:
        """The value of ``expr`` when it is known here (``""`` for ``None``), and the module
        constant's name when it is one; None when unknown."""
        if isinstance(expr, ast.Constant) and (expr.value is None or isinstance(expr.value, str)):
            return (expr.value or ""), None
        use = self.literal_nodes.get(id(expr))
        if use is not None:
            return LITERALS[use[1]], None
        if isinstance(expr, ast.Name) and expr.id in self.constants:
            name = expr.id
            reads = self.reads
            alone = reads.stores.get(name) == 1 and name not in reads.declared_global
            if alone and any(node is expr for node in reads.reads.get(name, [])):
                return self.constants[name], name
        return None

    def _free(self, name: str) -> None:
        """Refuse when ``name`` means something else here (a converted call elsewhere may
        already have imported it from ``pydantic.json_schema``: that is the same name)."""
        other = self.names.other_bindings.get(name)
        if other is not None and name not in self.imported and name not in self.v2_imported:
            raise ValueError(
                f"the conversion needs `{name}`, but `{name}` in this module is {other}"
            )

    def _imports(self) -> list[Conversion]:
        """Imports of converted names: reported when the name is bound again; removed when
        nothing reads them (under Pydantic 2 the import alone fails)."""
        found: list[Conversion] = []
        for local, (canonical, alias) in self.imported.items():
            start, end = self.src.start(alias), self.src.end(alias)
            key = f"import:{SCHEMA_MODULE}.{canonical}" + (f" as {local}" if alias.asname else "")
            if local in self.reads.rebound:
                message = (
                    f"`{SCHEMA_MODULE}.{canonical}` was removed in Pydantic V2, and `{local}` "
                    "is bound again in this module, so its uses are not rewritten: "
                    f"{_hint(canonical)}."
                )
                found.append(refused(SCHEMA_FUNCTION_CODE, key, message, start, end))
            elif not self.reads.reads[local]:
                message = (
                    f"`{SCHEMA_MODULE}.{canonical}` was removed in Pydantic V2 (the import "
                    "fails) and nothing here uses it: the import goes."
                )
                title = f"Remove the unused import of `{canonical}`"
                found.append(
                    Conversion(
                        SCHEMA_FUNCTION_CODE, key, title, message, start, end, remove={local}
                    )
                )
        return found

    def _count_shadows(self, conversions: list[Conversion]) -> None:
        """Locals spelled like an imported name (``schema = Schema(...)`` in a function) do not
        read the import: the first conversion consuming the name counts them as well, so the
        import goes once every real use is converted."""
        ordered = sorted((c for c in conversions if c.fixable), key=lambda c: c.start)
        for local in self.imported:
            extra = self.reads.others.get(local, 0)
            first = next((c for c in ordered if local in c.consumed), None)
            if extra and first is not None:
                first.consumed[local] += extra


class _Texts:
    """Source text of arguments, with the V1 constants inside replaced by their values."""

    def __init__(self, src: Source, literal_nodes: dict[int, tuple[ast.expr, str, str | None]]):
        self.src = src
        self.literal_nodes = literal_nodes
        self.consumed: dict[str, int] = {}
        self.rewritten: set[int] = set()

    def note(self, node: ast.expr) -> None:
        """``node`` (a V1 constant, or a name read for its value) disappears from the text."""
        use = self.literal_nodes.get(id(node))
        if use is not None and id(node) not in self.rewritten:
            self.rewritten.add(id(node))
            local = use[2] or _head(use[0])
            if local is not None:
                self.consumed[local] = self.consumed.get(local, 0) + 1

    def value(self, node: ast.expr) -> str:
        """The text of ``node`` as a keyword value."""
        start, end = self.src.start(node), self.src.end(node)
        pieces: list[str] = []
        cursor = start
        inner = [n for n in ast.walk(node) if id(n) in self.literal_nodes]
        for literal in sorted(inner, key=self.src.start):
            self.note(literal)  # type: ignore[arg-type]
            pieces.append(self.src.text[cursor : self.src.start(literal)])
            pieces.append(json.dumps(LITERALS[self.literal_nodes[id(literal)][1]]))
            cursor = self.src.end(literal)
        pieces.append(self.src.text[cursor:end])
        return "".join(pieces)

    def argument(self, node: ast.expr) -> str:
        """The text of ``node`` as one operand (parenthesised unless it is an atom)."""
        text = self.value(node)
        return text if isinstance(node, _ATOMS) else f"({text})"


def _pairs(models: ast.expr, texts: _Texts) -> str:
    """``[(A, "validation"), (B, "validation")]`` for V1's list of models."""
    if isinstance(models, ast.List | ast.Tuple) and not any(
        isinstance(e, ast.Starred) for e in models.elts
    ):
        return "[" + ", ".join(f'({texts.argument(e)}, "validation")' for e in models.elts) + "]"
    return f'[(model, "validation") for model in {texts.argument(models)}]'


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments (candidates for a known ``ref_prefix``)."""
    found: dict[str, str] = {}
    for stmt in tree.body:
        target: ast.expr | None = None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target = stmt.target
        value = getattr(stmt, "value", None)
        if (
            isinstance(target, ast.Name)
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
        ):
            found[target.id] = value.value
    return found


def _freed(local: str | None) -> dict[str, int]:
    return {local: 1} if local is not None else {}


def _head(expr: ast.expr) -> str | None:
    """``pydantic`` for ``pydantic.schema.schema``."""
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


_Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


class _Scopes:
    """The qualified name of the function or class around a node (``<module>``), found by
    bisecting each body's definitions (a module may hold hundreds of calls)."""

    def __init__(self, tree: ast.Module) -> None:
        self._tree = tree
        self._bodies: dict[int, tuple[list[int], list[_Definition]]] = {}

    def of(self, node: ast.AST) -> str:
        line = node.lineno  # type: ignore[attr-defined]
        parts: list[str] = []
        body: list[ast.stmt] = self._tree.body
        while True:
            starts, defs = self._definitions(body)
            index = bisect.bisect_right(starts, line) - 1
            if index < 0 or line > (defs[index].end_lineno or defs[index].lineno):
                return ".".join(parts) or "<module>"
            inner = defs[index]
            parts.append(inner.name)
            body = inner.body

    def _definitions(self, body: list[ast.stmt]) -> tuple[list[int], list[_Definition]]:
        known = self._bodies.get(id(body))
        if known is None:
            defs: list[_Definition] = [
                stmt
                for stmt in body
                if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            ]
            known = self._bodies[id(body)] = ([stmt.lineno for stmt in defs], defs)
        return known


def _hint(canonical: str) -> str:
    if canonical == "schema":
        return (
            "use `pydantic.json_schema.models_json_schema([(Model, 'validation'), ...], "
            "ref_template=...)`, whose second result holds the definitions under `$defs`"
        )
    if canonical == "model_schema":
        return "use `pydantic.json_schema.model_json_schema(Model)` (definitions under `$defs`)"
    if canonical == "normalize_name":
        return 'use `re.sub(r"[^a-zA-Z0-9.\\-_]", "_", name)`, which is what V1 ran'
    return f'use its V1 value `"{LITERALS[canonical]}"`'
