"""The workspace's route index: module facts linked into full paths, kept current file by file."""

from __future__ import annotations

import ast
import itertools
import operator
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from fastapi_architect.routes.model import (
    ChainLink,
    IncludeDecl,
    ModuleFacts,
    Prefix,
    Route,
    RouteDecl,
    RouterDecl,
    ShadowedRoute,
)
from fastapi_architect.routes.rescan import ScanState, rescan
from fastapi_architect.routes.scan import module_name, scan_module

ReadText = Callable[[str], "str | None"]
"""Relative POSIX path → the file's text (the open buffer first), ``None`` if unreadable."""

TreeOf = Callable[[str, str], "ast.Module | None"]
"""(relative path, text) → the caller's ``ast`` tree of that text (an open document's), if any;
raises ``SyntaxError`` when the caller knows the text does not parse."""

RouterId = tuple[str, str]
"""(module, name) of a router or application."""

MAX_HOPS = 12
"""Re-exports followed when resolving a name (``from .users import router`` chains)."""

MAX_CONTEXTS = 3
"""Mount contexts cached per router before the graph is linked afresh (a prefix typed in
place leaves the caches of the contexts it replaced behind)."""

BLOCK_SIZE = 32
"""Routes per block: a keystroke re-checks the shadowing of one block, not the router's."""


@dataclass(frozen=True)
class _Include:
    path: str
    prefix: Prefix
    child: RouterDecl


Member = tuple[bool, int, "RouteDecl | _Include"]
"""(declared in another file than the router, line, what): a router's routes and includes."""


@dataclass
class _Links:
    """The linked router graph, and caches valid as long as it is."""

    routers: dict[RouterId, RouterDecl] = field(default_factory=dict)
    included: dict[RouterId, int] = field(default_factory=dict)
    """Router → how many ``include_router`` calls include it."""
    includes: dict[RouterId, list[Member]] = field(default_factory=dict)
    edges_of: dict[str, list[_Edge]] = field(default_factory=dict)
    """File → the includes it declares that link two routers."""
    by_router: dict[RouterId, dict[str, list[Member]]] = field(default_factory=dict)
    """Router → file → the routes that file declares on it."""
    routes_of: dict[str, list[RouterId]] = field(default_factory=dict)
    """File → the routers its routes belong to."""
    owners: dict[str, dict[tuple[str, ...], tuple[RouterDecl | None, frozenset[str]]]] = field(
        default_factory=dict
    )
    """File → dotted name used in it → the router it names, and the files looked up."""
    depends: dict[str, set[str]] = field(default_factory=dict)
    """File → the files its names were looked up in."""
    dependents: dict[str, set[str]] = field(default_factory=dict)
    """File → the files whose names were looked up in it."""
    prefixes: dict[tuple[str, Prefix], str] = field(default_factory=dict)
    prefix_deps: dict[tuple[str, Prefix], tuple[frozenset[str], bool]] = field(default_factory=dict)
    """(file, prefix) → the files looked up, and whether every settings class was read."""
    members: dict[RouterId, list[Member]] = field(default_factory=dict)
    blocks: dict[RouterId, dict[int, list[list[Route] | _Mounted]]] = field(default_factory=dict)
    """Router → mount context → its routes in runs between includes (``Route``s reused)."""
    dirty: set[RouterId] = field(default_factory=set)
    shadows: _ShadowCache = field(default_factory=lambda: _ShadowCache())
    parents: dict[RouterId, dict[RouterId, int]] = field(default_factory=dict)
    """Router → the routers that include it → how many times."""
    subtrees: dict[RouterId, dict[int, _Subtree]] = field(default_factory=dict)
    """Router → mount context → its routes and its included routers' (reused while none
    of them changed)."""
    ordered: list[tuple[RouterId, RouterDecl]] = field(default_factory=list)
    """``routers`` sorted by id."""
    contexts: dict[Hashable, int] = field(default_factory=dict)
    """Mount context → its number."""
    made: dict[tuple[RouterId, int], dict[int, tuple[RouteDecl, tuple[Route, ...]]]] = field(
        default_factory=dict
    )
    """(router, context) → ``id`` of a declaration → it and its ``Route``s."""
    runs: dict[tuple[RouterId, int], dict[int, list[Route]]] = field(default_factory=dict)
    """(router, context) → ``id`` of a block's first route → the block."""
    mounts: dict[tuple[RouterId, int], dict[int, tuple[_Include, _Mounted]]] = field(
        default_factory=dict
    )
    """(router, context) → ``id`` of an include → it and where it mounts its router."""

    def moved(self, path: str, routers: Iterable[RouterDecl]) -> None:
        """Take the new positions of ``path``'s routers (nothing else about them changed)."""
        for decl in routers:
            self.routers[(path, decl.name)] = decl
        self.ordered = sorted(self.routers.items(), key=operator.itemgetter(0))


_Edge = tuple[IncludeDecl, RouterId, RouterId, "Member"]
"""An include linking two routers: (declaration, parent, child, member of the parent)."""


@dataclass(frozen=True)
class _Mounted:
    """A router mounted in one context: (its full base path, its chain, whether included)."""

    router: RouterDecl
    key: RouterId
    context: tuple[str, tuple[ChainLink, ...], bool]
    number: int
    """Numbers ``context`` (hashing chains is slow): the key of caches per mount context."""


_NO_SUBTREES: Mapping[int, _Subtree] = {}


@dataclass(frozen=True)
class _Subtree:
    """A router mounted in one context: its blocks of routes, then its children's, in order."""

    blocks: list[list[Route]]
    reached: frozenset[RouterId]


def _link_key(facts: ModuleFacts) -> Hashable:
    """What the router graph depends on in one module (its routes and where its routers
    are declared excluded)."""
    return (
        facts.complete,
        tuple(facts.imports.items()),
        tuple((r.name, r.is_app, r.prefix) for r in facts.routers.values()),
        tuple(facts.includes),
        tuple(facts.constants.items()),
        tuple(facts.class_constants.items()),
    )


@dataclass
class _Resolved:
    routes: tuple[Route, ...]
    never_included: tuple[RouterDecl, ...]
    shadowed: tuple[ShadowedRoute, ...]
    by_file: dict[str, _FileAnswers] | None = None
    """Filled on the first question about one file: every file's findings at once."""
    routes_by_file: dict[str, list[Route]] = field(default_factory=dict)
    """The routes of the files asked about, in source order."""

    def findings_in(self, path: str) -> _FileAnswers:
        """The routers never included and the routes shadowed in ``path``."""
        if self.by_file is None:
            by_file: dict[str, _FileAnswers] = {}
            for router in self.never_included:
                by_file.setdefault(router.path, _FileAnswers()).never_included.append(router)
            for shadowed in self.shadowed:
                by_file.setdefault(shadowed.route.path, _FileAnswers()).shadowed.append(shadowed)
            self.by_file = by_file
        return self.by_file.get(path, _NOTHING)

    def routes_in(self, path: str) -> list[Route]:
        """The routes declared in ``path``, in source order."""
        found = self.routes_by_file.get(path)
        if found is None:
            found = [route for route in self.routes if route.path == path]
            found.sort(key=lambda r: (r.declaration_span.start_line, r.full_path))
            self.routes_by_file[path] = found
        return found


@dataclass
class _FileAnswers:
    """One file's routers never included and shadowed routes."""

    never_included: list[RouterDecl] = field(default_factory=list)
    shadowed: list[ShadowedRoute] = field(default_factory=list)


_NOTHING = _FileAnswers()


class RouteIndex:
    """Every path operation of a workspace; ``sync`` or ``update`` re-read only changed files."""

    def __init__(self, read_text: ReadText, tree_of: TreeOf | None = None) -> None:
        self._read_text = read_text
        self._tree_of = tree_of
        self._stamps: dict[str, Hashable] = {}
        self._facts: dict[str, ModuleFacts] = {}
        """Path → facts (``imports_only`` facts for modules without route markers)."""
        self._modules: dict[str, str] = {}
        """Module name → path."""
        self._suffixes: dict[str, str] | None = None
        self._resolved: _Resolved | None = None
        self._trees: dict[str, tuple[Hashable, ast.Module | None]] = {}
        """Path → (stamp, tree) of modules parsed for ``module``."""
        self._links: _Links | None = None
        """The router graph; kept while no file's routers, includes or imports change."""
        self._relink: set[str] = set()
        """Files whose routes changed (and nothing else) since the last resolution."""
        self._regraph: dict[str, ModuleFacts] = {}
        """Files whose imports, routers, includes or constants changed since the last
        resolution → their facts the graph was linked with."""
        self._visits: set[str] | None = None
        """While set: every file a lookup reads a name in."""
        self._scans: dict[str, ScanState] = {}
        """Path → its statements, for files re-indexed after the first time (edited ones)."""

    # --- keeping current ------------------------------------------------------------------

    def sync(self, stamps: Mapping[str, Hashable]) -> list[str]:
        """Make the index match ``stamps`` (path → version or mtime); returns the paths re-read."""
        changed = [path for path, stamp in stamps.items() if self._stamps.get(path) != stamp]
        for path in [path for path in self._stamps if path not in stamps]:
            self.remove(path)
        for path in changed:
            self.update(path, stamp=stamps[path])
        return changed

    def update(self, path: str, text: str | None = None, *, stamp: Hashable = None) -> None:
        """Re-index one file (its new ``text``, or read through ``read_text``)."""
        if text is None:
            text = self._read_text(path)
        if text is None:
            self.remove(path)
            return
        old = self._facts.get(path)
        tree_of = self._tree_of
        given = None if tree_of is None else (lambda: tree_of(path, text))
        full = old is not None and old.complete
        if old is None:  # first sight (the cold index): keep no statements
            facts = scan_module(path, text, full=full, tree_of=given)
        else:  # an edit: re-scan only the statements it touched from now on
            facts, state = rescan(path, text, self._scans.get(path), full=full, tree_of=given)
            if state is None:
                self._scans.pop(path, None)
            else:
                self._scans[path] = state
        if old is None:
            self._modules.setdefault(facts.module, path)
            self._suffixes = None
        if old is None:
            self._links = None  # a new module: names may resolve differently everywhere
        elif _link_key(old) != _link_key(facts):
            if self._links is not None:  # relink the files that looked names up in it
                self._regraph.setdefault(path, old)
        else:
            if old.routers != facts.routers and self._links is not None:
                self._links.moved(path, facts.routers.values())  # lines added above them
                self._resolved = None
            if old.routes != facts.routes:
                self._relink.add(path)  # only its routes changed
        self._facts[path] = facts
        self._stamps[path] = stamp
        if self._links is None or path in self._relink or path in self._regraph:
            self._resolved = None

    def remove(self, path: str) -> None:
        """Forget a deleted or unreadable file."""
        self._stamps.pop(path, None)
        self._trees.pop(path, None)
        self._scans.pop(path, None)
        if self._facts.pop(path, None) is not None:
            name = module_name(path)
            if self._modules.get(name) == path:
                del self._modules[name]
            self._suffixes = None
            self._resolved = None
            self._links = None

    def forget_scans(self) -> None:
        """Drop every file's statements: the next edit re-scans the whole file (cold path)."""
        self._scans.clear()

    def forget_links(self) -> None:
        """Drop the linked router graph: the next answer relinks every file (cold path)."""
        self._links = None
        self._resolved = None

    @property
    def paths(self) -> list[str]:
        """The indexed files."""
        return sorted(self._facts)

    # --- answers --------------------------------------------------------------------------

    def routes(self) -> tuple[Route, ...]:
        """Every route: mounted ones in registration order, then those of unincluded routers."""
        return self._resolve().routes

    def routes_in(self, path: str) -> list[Route]:
        """The routes declared in ``path``, in source order."""
        return list(self._resolve().routes_in(path))

    def routes_at(self, path: str, line: int) -> list[Route]:
        """The routes whose decorators or handler name (``def`` line) cover ``line`` of ``path``."""
        return [
            route
            for route in self.routes_in(path)
            if route.declaration_span.start_line <= line <= route.handler_span.end_line
        ]

    def routers_never_included(self) -> tuple[RouterDecl, ...]:
        """``APIRouter``s no ``include_router`` reaches (only when the workspace has an app)."""
        return self._resolve().never_included

    def shadowed_routes(self) -> tuple[ShadowedRoute, ...]:
        """Routes that never run because an earlier route matches the same method and path."""
        return self._resolve().shadowed

    def routers_never_included_in(self, path: str) -> list[RouterDecl]:
        """The routers ``path`` declares that no ``include_router`` reaches (grouped once
        per change of the index, so asking for every open file costs one pass)."""
        return list(self._resolve().findings_in(path).never_included)

    def shadowed_routes_in(self, path: str) -> list[ShadowedRoute]:
        """The shadowed routes ``path`` declares, in registration order."""
        return list(self._resolve().findings_in(path).shadowed)

    def search(self, query: str) -> list[Route]:
        """Routes whose ``METHOD path handler`` contains every word of ``query`` (any case)."""
        words = query.lower().split()
        return [
            route
            for route in self.routes()
            if all(w in f"{route.title} {route.handler}".lower() for w in words)
        ]

    def imports_of(self, path: str) -> Mapping[str, tuple[str, str | None]]:
        """The names ``path`` imports: local name → (absolute module, attribute or ``None``)."""
        facts = self._facts.get(path)
        return facts.imports if facts is not None else {}

    def module(self, name: str) -> tuple[ast.Module, Mapping[str, tuple[str, str | None]]] | None:
        """The tree and imports of the workspace module ``name`` (parsed once per stamp)."""
        path = self._module_path(name)
        if path is None:
            return None
        stamp = self._stamps.get(path)
        cached = self._trees.get(path)
        if cached is None or cached[0] != stamp or stamp is None:
            tree: ast.Module | None = None
            text = self._read_text(path)
            if text is not None:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        tree = ast.parse(text)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    tree = None
            cached = self._trees[path] = (stamp, tree)
        return None if cached[1] is None else (cached[1], self.imports_of(path))

    # --- linking modules ------------------------------------------------------------------

    def _module_path(self, name: str) -> str | None:
        path = self._modules.get(name)
        if path is not None:
            return path
        if self._suffixes is None:  # ``app.api`` also names ``backend/app/api.py``
            suffixes: dict[str, str] = {}
            for module, module_path in sorted(self._modules.items(), key=lambda i: len(i[0])):
                parts = module.split(".")
                for start in range(1, len(parts)):
                    suffixes.setdefault(".".join(parts[start:]), module_path)
            self._suffixes = suffixes
        return self._suffixes.get(name)

    def _module_facts(self, path: str) -> ModuleFacts:
        return self._facts[path]

    def _complete_facts(self, path: str) -> ModuleFacts:
        """Scan a module that was scanned for imports only in full (a constant is wanted)."""
        facts = self._facts[path]
        if not facts.complete:
            text = self._read_text(path)
            facts = scan_module(path, text or "", full=True)
            self._facts[path] = facts
            self._scans.pop(path, None)
        return facts

    def _lookup(self, path: str, parts: tuple[str, ...], hops: int = 0) -> tuple[str, str] | None:
        """Where the dotted name ``parts`` used in ``path`` is defined: (path, name)."""
        if hops > MAX_HOPS or not parts:
            return None
        if self._visits is not None:
            self._visits.add(path)
        facts = self._module_facts(path)
        head, rest = parts[0], parts[1:]
        if head not in facts.imports and not facts.complete:
            facts = self._complete_facts(path)
        if head in facts.routers or head in facts.constants:
            return (path, head) if not rest else None
        imported = facts.imports.get(head)
        if imported is None:
            return None
        module, attribute = imported
        if attribute is not None:
            submodule = self._module_path(f"{module}.{attribute}")
            if submodule is not None:
                return self._lookup_in_module(submodule, rest, hops + 1)
            target = self._module_path(module)
            if target is None:
                return None
            return self._lookup(target, (attribute, *rest), hops + 1)
        name = module
        while rest and self._module_path(f"{name}.{rest[0]}") is not None:
            name, rest = f"{name}.{rest[0]}", rest[1:]
        target = self._module_path(name)
        return self._lookup_in_module(target, rest, hops + 1) if target else None

    def _lookup_in_module(
        self, path: str, parts: tuple[str, ...], hops: int
    ) -> tuple[str, str] | None:
        module = module_name(path)
        while parts and self._module_path(f"{module}.{parts[0]}") is not None:
            module = f"{module}.{parts[0]}"
            path = self._module_path(module) or path
            parts = parts[1:]
        return self._lookup(path, parts, hops) if parts else None

    def _router(self, path: str, parts: tuple[str, ...]) -> RouterDecl | None:
        links = self._links
        owned = links.owners.setdefault(path, {}) if links is not None else {}
        known = owned.get(parts)
        if known is not None:
            return known[0]
        visits: set[str] = set()
        self._visits = visits
        try:
            found = self._lookup(path, parts)
        finally:
            self._visits = None
        router = None if found is None else self._module_facts(found[0]).routers.get(found[1])
        owned[parts] = (router, frozenset(visits))
        if links is not None:
            links.depends.setdefault(path, set()).update(visits)
            for visited in visits:
                links.dependents.setdefault(visited, set()).add(path)
        return router

    def _prefix(self, path: str, prefix: Prefix) -> str:
        if prefix.literal is not None:
            return prefix.literal
        links = self._links
        key = (path, prefix)
        if links is not None and key in links.prefixes:
            return links.prefixes[key]
        visits: set[str] = set()
        self._visits = visits
        try:
            value, every_settings_class = self._resolve_prefix(path, prefix)
        finally:
            self._visits = None
        if links is not None:
            links.prefixes[key] = value
            links.prefix_deps[key] = (frozenset(visits), every_settings_class)
        return value

    def _resolve_prefix(self, path: str, prefix: Prefix) -> tuple[str, bool]:
        """The prefix's value, and whether every module's settings classes were read."""
        found = self._lookup(path, prefix.reference)
        if found is not None and found[1] in self._module_facts(found[0]).constants:
            return self._module_facts(found[0]).constants[found[1]], False
        if prefix.reference:  # ``settings.API_V1_PREFIX``: a settings class's default
            values = {
                facts.class_constants[prefix.reference[-1]]
                for facts in self._facts.values()
                if prefix.reference[-1] in facts.class_constants
            }
            if len(values) == 1:
                return values.pop(), True
            return "{" + prefix.source + "}", True
        return "{" + prefix.source + "}", False

    # --- resolution -----------------------------------------------------------------------

    def _resolve(self) -> _Resolved:
        if self._resolved is None:
            self._resolved = self._link()
        return self._resolved

    def _link_graph(self) -> _Links:
        """Routers, includes and which router each file's routes belong to."""
        links = self._links = _Links()
        for path, facts in sorted(self._facts.items()):
            for decl in facts.routers.values():
                links.routers[(path, decl.name)] = decl
        for path in sorted(self._facts):
            self._add_includes(links, path)
            self._add_routes(links, path)
        links.ordered = sorted(links.routers.items(), key=operator.itemgetter(0))
        return links

    def _patch(self, links: _Links, changed: Mapping[str, ModuleFacts]) -> bool:
        """Relink only the files that looked a name up in a ``changed`` file (the graph was
        linked with the facts ``changed`` maps them to); ``False``: relink everything."""
        paths = set(changed)
        if any(path not in self._facts for path in paths):
            return False
        settings_changed = any(
            before.class_constants != self._facts[path].class_constants
            for path, before in changed.items()
        )
        for visits, every_settings_class in links.prefix_deps.values():
            if visits & paths or (every_settings_class and settings_changed):
                return False  # a prefix may change: every mount below it moves
        affected = set(paths)
        for path in paths:
            affected.update(links.dependents.get(path, ()))
        for path in affected:
            if path in paths:  # its own names: every lookup starts in it
                links.owners.pop(path, None)
                for visited in links.depends.pop(path, ()):
                    links.dependents.get(visited, set()).discard(path)
                continue
            owned = links.owners.get(path, {})
            for parts in [parts for parts, (_, seen) in owned.items() if seen & paths]:
                del owned[parts]
        for path in sorted(paths):
            for key in [key for key in links.routers if key[0] == path]:
                del links.routers[key]
                self._touch(links, key)
            for decl in self._facts[path].routers.values():
                links.routers[(path, decl.name)] = decl
                self._touch(links, (path, decl.name))
        for path in sorted(affected):
            self._add_includes(links, path)
            self._add_routes(links, path)
        links.ordered = sorted(links.routers.items(), key=operator.itemgetter(0))
        return True

    @staticmethod
    def _touch(links: _Links, key: RouterId) -> None:
        """Mark a router and the routers including it as changed."""
        links.dirty.add(key)
        links.dirty.update(links.parents.get(key, ()))

    def _add_includes(self, links: _Links, path: str) -> None:
        """Record the includes ``path`` declares (replacing those it declared before; one
        that still links the same routers stays the same member)."""
        before = {id(edge[0]): edge for edge in links.edges_of.get(path, ())}
        edges: list[_Edge] = []
        for include in self._facts[path].includes:
            parent_decl = self._router(path, include.parent)
            child_decl = self._router(path, include.child)
            if parent_decl is None or child_decl is None:
                continue
            parent = (parent_decl.path, parent_decl.name)
            child = (child_decl.path, child_decl.name)
            member: Member = (
                path != parent_decl.path,
                include.line,
                _Include(path, include.prefix, child_decl),
            )
            same = before.get(id(include))
            if same is not None and same[0] is include and same[1:] == (parent, child, member):
                edges.append(same)
            else:
                edges.append((include, parent, child, member))
        kept = {id(edge) for edge in edges}
        gone: dict[RouterId, set[int]] = {}
        for edge in before.values():
            if id(edge) not in kept:
                _, parent, child, member = edge
                gone.setdefault(parent, set()).add(id(member))
                _count_down(links.included, child)
                _count_down(links.parents.get(child, {}), parent)
        for parent, members in gone.items():
            kept_members = [m for m in links.includes.get(parent, ()) if id(m) not in members]
            links.includes[parent] = kept_members
            links.dirty.add(parent)
        known = {id(edge) for edge in before.values()}
        for edge in edges:
            if id(edge) in known:
                continue
            _, parent, child, member = edge
            links.includes.setdefault(parent, []).append(member)
            links.included[child] = links.included.get(child, 0) + 1
            counts = links.parents.setdefault(child, {})
            counts[parent] = counts.get(parent, 0) + 1
            links.dirty.add(parent)
        links.edges_of[path] = edges

    def _add_routes(self, links: _Links, path: str) -> None:
        """Record the routes of ``path`` as members of their routers (marking those dirty)."""
        for key in links.routes_of.pop(path, ()):
            links.by_router.get(key, {}).pop(path, None)
            links.dirty.add(key)
        owned: dict[RouterId, list[Member]] = {}
        for route in self._facts[path].routes:
            owner = self._router(path, route.owner)
            if owner is not None:
                key = (owner.path, owner.name)
                owned.setdefault(key, []).append((path != owner.path, route.line, route))
        for key, entries in owned.items():
            links.by_router.setdefault(key, {})[path] = entries
            links.dirty.add(key)
        links.routes_of[path] = list(owned)

    def _members(self, links: _Links, key: RouterId) -> list[Member]:
        """The router's routes and includes in registration order (cached until it changes)."""
        members = links.members.get(key)
        if members is None:
            members = list(links.includes.get(key, ()))
            for entries in links.by_router.get(key, {}).values():
                members.extend(entries)
            members.sort(key=_registration_order)
            links.members[key] = members
        return members

    def _link(self) -> _Resolved:
        links = self._links
        if links is not None and len(links.contexts) > MAX_CONTEXTS * (len(links.routers) + 50):
            links = self._links = None  # caches of mount contexts no longer used: start afresh
        if links is not None and self._regraph and not self._patch(links, self._regraph):
            links = self._links = None
        self._regraph.clear()
        if links is None:
            self._relink.clear()
            links = self._link_graph()
        for path in sorted(self._relink):
            if path in self._facts:
                self._add_routes(links, path)
        self._relink.clear()
        stale = set(links.dirty)
        pending = list(links.dirty)
        while pending:  # a router's subtree changes with any router it includes
            for parent in links.parents.get(pending.pop(), ()):
                if parent not in stale:
                    stale.add(parent)
                    pending.append(parent)
        for key in links.dirty:
            links.members.pop(key, None)
            links.blocks.pop(key, None)
        for key in stale:
            links.subtrees.pop(key, None)
        links.dirty.clear()

        mounted: list[Route] = []
        shadowed: list[ShadowedRoute] = []
        reached: set[RouterId] = set()
        for key, decl in links.ordered:
            if decl.is_app:
                app_blocks: list[list[Route]] = []
                self._mount(
                    links, self._entry(links, decl, "", (), True), app_blocks, reached, {key}
                )
                shadowed.extend(links.shadows.shadowed(key, app_blocks))
                mounted.extend(itertools.chain.from_iterable(app_blocks))
        loose: list[Route] = []
        for key, decl in links.ordered:
            if key not in reached and not decl.is_app and key not in links.included:
                router_blocks: list[list[Route]] = []
                entry = self._entry(links, decl, "", (), False)
                self._mount(links, entry, router_blocks, set(), {key})
                shadowed.extend(links.shadows.shadowed(key, router_blocks))
                loose.extend(itertools.chain.from_iterable(router_blocks))
        has_app = any(decl.is_app for _, decl in links.ordered)
        never = tuple(
            decl
            for key, decl in links.ordered
            if has_app and not decl.is_app and key not in links.included
        )
        return _Resolved(tuple(mounted + loose), never, tuple(shadowed))

    def _entry(
        self,
        links: _Links,
        decl: RouterDecl,
        base: str,
        chain: tuple[ChainLink, ...],
        included_flag: bool,
    ) -> _Mounted:
        """Where ``decl`` is mounted when reached at ``base`` through ``chain``: its own
        prefix added to both."""
        own = self._prefix(decl.path, decl.prefix)
        step = chain[-1].prefix if chain else ""
        chain = (*chain[:-1], ChainLink(decl.name, decl.path, _join(step, own)))
        context = (_join(base, own), chain, included_flag)
        number = links.contexts.setdefault(context, len(links.contexts))
        return _Mounted(decl, (decl.path, decl.name), context, number)

    def _mount(
        self,
        links: _Links,
        at: _Mounted,
        out: list[list[Route]],
        reached: set[RouterId],
        visiting: set[RouterId],
    ) -> bool:
        """Append the router's blocks and its children's to ``out``; ``False`` when an
        include cycle was cut on the way (the result then depends on ``visiting``)."""
        subtrees = links.subtrees
        known = subtrees.get(at.key, _NO_SUBTREES).get(at.number)
        if known is not None:
            out.extend(known.blocks)
            reached.update(known.reached)
            return True
        by_context = links.blocks.setdefault(at.key, {})
        blocks = by_context.get(at.number)
        if blocks is None:
            blocks = by_context[at.number] = self._blocks(links, at)
        start = len(out)
        mine = {at.key}
        whole = True
        for block in blocks:
            if isinstance(block, list):
                out.append(block)
            elif block.key in visiting:
                whole = False
            else:
                known = subtrees.get(block.key, _NO_SUBTREES).get(block.number)
                if known is not None:  # the common case, inlined
                    out.extend(known.blocks)
                    mine.update(known.reached)
                    continue
                visiting.add(block.key)
                whole &= self._mount(links, block, out, mine, visiting)
                visiting.discard(block.key)
        reached.update(mine)
        if whole:
            subtrees.setdefault(at.key, {})[at.number] = _Subtree(out[start:], frozenset(mine))
        return whole

    def _blocks(self, links: _Links, at: _Mounted) -> list[list[Route] | _Mounted]:
        """The router's own routes, in runs between where its includes mount their routers.

        Runs are cut into blocks of at most ``BLOCK_SIZE`` routes; a declaration that did not
        change keeps its ``Route``s and a block whose routes did not change stays the same
        list, so the shadowing check recounts only the blocks a keystroke touched.
        """
        decl = at.router
        base, chain, included_flag = at.context
        made_before = links.made.get((at.key, at.number), {})
        made: dict[int, tuple[RouteDecl, tuple[Route, ...]]] = {}
        runs_before = links.runs.get((at.key, at.number), {})
        runs: dict[int, list[Route]] = {}
        mounts_before = links.mounts.get((at.key, at.number), {})
        mounts: dict[int, tuple[_Include, _Mounted]] = {}
        blocks: list[list[Route] | _Mounted] = []
        run: list[Route] = []

        def cut() -> None:
            for start in range(0, len(run), BLOCK_SIZE):
                block = run[start : start + BLOCK_SIZE]
                before = runs_before.get(id(block[0]))
                if before is not None and _same(before, block):
                    block = before
                runs[id(block[0])] = block
                blocks.append(block)

        for _, _, member in self._members(links, at.key):
            if isinstance(member, RouteDecl):
                known = made_before.get(id(member))
                if known is not None and known[0] is member:
                    routes = known[1]
                else:
                    routes = tuple(_routes(member, decl, base, chain, included_flag))
                made[id(member)] = (member, routes)
                run.extend(routes)
                continue
            cut()
            run = []
            mounted = mounts_before.get(id(member))
            if mounted is None or mounted[0] is not member:
                step = self._prefix(member.path, member.prefix)
                child = member.child
                entry = self._entry(
                    links,
                    child,
                    _join(base, step),
                    (*chain, ChainLink(child.name, child.path, step)),
                    included_flag,
                )
                mounted = (member, entry)
            mounts[id(member)] = mounted
            blocks.append(mounted[1])
        cut()
        links.made[(at.key, at.number)] = made
        links.runs[(at.key, at.number)] = runs
        links.mounts[(at.key, at.number)] = mounts
        return blocks


def _registration_order(member: Member) -> tuple[bool, int, bool, str]:
    """Own file first, then by line; on one line includes before routes, then by file
    (the order members are first added in, whatever order they were re-added in)."""
    other_file, line, what = member
    if isinstance(what, RouteDecl):
        return other_file, line, True, what.file
    return other_file, line, False, what.path


def _count_down(counts: dict[RouterId, int], key: RouterId) -> None:
    count = counts.get(key, 0) - 1
    if count > 0:
        counts[key] = count
    else:
        counts.pop(key, None)


def _join(base: str, step: str) -> str:
    if not step:
        return base
    if base.endswith("/") and step.startswith("/"):
        return base + step[1:]
    return base + step


def _routes(
    decl: RouteDecl,
    router: RouterDecl,
    base: str,
    chain: tuple[ChainLink, ...],
    included: bool,
) -> Iterable[Route]:
    for method in decl.methods:
        yield Route(
            method=method,
            full_path=_join(base, decl.path) or "/",
            handler=decl.handler,
            path=decl.file,
            handler_span=decl.handler_span,
            declaration_span=decl.declaration_span,
            response_model=decl.response_model,
            status_code=decl.status_code,
            chain=chain,
            included=included or router.is_app,
        )


class _PatternTrie:
    """Earlier routes' paths by segment: ``{param}`` matches one non-empty segment,
    ``{param:path}`` the rest; finds the earliest registered route matching a path."""

    __slots__ = ("end", "literal", "param", "rest")

    def __init__(self) -> None:
        self.literal: dict[str, _PatternTrie] = {}
        self.param: _PatternTrie | None = None
        self.rest: tuple[int, Route] | None = None
        self.end: tuple[int, Route] | None = None

    def add(self, segments: list[str], order: int, route: Route) -> None:
        node = self
        for segment in segments:
            if segment[:1] == "{" and segment[-1:] == "}":
                if segment.endswith(":path}"):
                    node.rest = node.rest or (order, route)
                    return
                if node.param is None:
                    node.param = _PatternTrie()
                node = node.param
            else:
                child = node.literal.get(segment)
                if child is None:
                    child = node.literal[segment] = _PatternTrie()
                node = child
        node.end = node.end or (order, route)

    def first_match(self, segments: list[str], start: int = 0) -> tuple[int, Route] | None:
        best = self.rest
        if start == len(segments):
            candidate = self.end
        else:
            segment = segments[start]
            literal = self.literal.get(segment)
            candidate = literal.first_match(segments, start + 1) if literal is not None else None
            if self.param is not None and segment:
                other = self.param.first_match(segments, start + 1)
                if other is not None and (candidate is None or other[0] < candidate[0]):
                    candidate = other
        if candidate is not None and (best is None or candidate[0] < best[0]):
            best = candidate
        return best


_Group = tuple[str, int, tuple[str, ...]]
"""(method, number of ``/`` or -1, the segments at positions no route parameterises)."""


@dataclass
class _Block:
    """One run of routes with its routes' shapes, and their groups under ``fixed``."""

    routes: list[Route]
    shapes: list[tuple[str, int, int, tuple[str, ...]]]
    """Per route: method, segment count, parameter positions as bits, segments."""
    masks: dict[tuple[str, int], int]
    fixed: dict[tuple[str, int], tuple[int, ...]] = field(default_factory=dict)
    keys: list[_Group] = field(default_factory=list)


@dataclass
class _AppShadows:
    """One application's groups, kept current block by block."""

    blocks: dict[int, _Block] = field(default_factory=dict)
    fixed: dict[tuple[str, int], tuple[int, ...]] = field(default_factory=dict)
    rest: frozenset[str] = frozenset()
    counts: dict[_Group, int] = field(default_factory=dict)
    holders: dict[_Group, dict[int, None]] = field(default_factory=dict)
    results: dict[_Group, tuple[list[Route], list[ShadowedRoute]]] = field(default_factory=dict)
    shapes: dict[tuple[str, int], dict[int, int]] = field(default_factory=dict)
    """(method, segments or -1 for ``{p:path}``) → each block's parameter bits → how many
    blocks have them."""
    order: list[int] = field(default_factory=list)
    """The blocks ``found`` was computed for, in order."""
    found: list[ShadowedRoute] = field(default_factory=list)


class _ShadowCache:
    """Shadowing per application, recomputed only for groups of routes that changed.

    A route can only shadow one with the same method and as many segments (unless the method
    has ``{param:path}`` routes: then the method is one group), and two such routes never
    overlap when they differ at a position where no route of theirs has a parameter. Groups
    are counted block by block (a block is a router's run of routes, reused while unchanged),
    so a keystroke costs the blocks that changed, not every route.
    """

    def __init__(self) -> None:
        self._apps: dict[RouterId, _AppShadows] = {}

    def shadowed(self, application: RouterId, blocks: list[list[Route]]) -> list[ShadowedRoute]:
        """The shadowed routes among one application's ``blocks`` (in registration order)."""
        if len({id(block) for block in blocks}) != len(blocks):  # a router mounted twice alike
            self._apps.pop(application, None)
            return list(_shadowed(list(itertools.chain.from_iterable(blocks))))
        state = self._apps.get(application) or _AppShadows()
        known = state.blocks
        current: dict[int, _Block] = {}
        added: list[int] = []
        for block in blocks:
            info = known.get(id(block))
            if info is None or info.routes is not block:
                info = _block(block)
                added.append(id(block))
            current[id(block)] = info
        removed = [key for key in known if key not in current]
        shapes = state.shapes
        for key in removed:
            _tally(shapes, known[key], -1)
        for key in added:
            if key in known:
                _tally(shapes, known[key], -1)
            _tally(shapes, current[key], 1)
        rest = frozenset(method for (method, size) in shapes if size < 0)
        fixed = {}
        for (method, size), masks in shapes.items():
            mask = 0
            for each in masks:
                mask |= each
            fixed[(method, size)] = tuple(i for i in range(size + 1) if not mask >> i & 1)
        if fixed != state.fixed or rest != state.rest:
            state = _AppShadows(fixed=fixed, rest=rest, shapes=shapes)
            removed, added = [], list(current)
        touched: set[_Group] = set()
        for key in removed:
            self._count(state, key, state.blocks[key], -1, touched)
        for key in added:
            if key in state.blocks:
                self._count(state, key, state.blocks[key], -1, touched)
            info = current[key]
            _group_keys(info, fixed, rest)
            self._count(state, key, info, 1, touched)
        state.blocks = current
        self._apps[application] = state
        order = list(current)
        if not touched and order == state.order:
            return list(state.found)
        position = {key: number for number, key in enumerate(order)}
        for group in touched:
            if state.counts.get(group, 0) < 2:
                state.results.pop(group, None)
                continue
            members = [
                route
                for holder in sorted(state.holders[group], key=position.__getitem__)
                for route, key in zip(current[holder].routes, current[holder].keys, strict=True)
                if key == group
            ]
            cached = state.results.get(group)
            if cached is None or not _same(cached[0], members):
                state.results[group] = (members, list(_shadowed(members)))
        found = [shadowed for _, result in state.results.values() for shadowed in result]
        if len(found) > 1:
            rank = {id(route): n for n, route in enumerate(r for b in blocks for r in b)}
            found.sort(key=lambda shadowed: rank[id(shadowed.route)])
        state.order, state.found = order, found
        return list(found)

    @staticmethod
    def _count(
        state: _AppShadows, holder: int, info: _Block, step: int, touched: set[_Group]
    ) -> None:
        for group in info.keys:
            touched.add(group)
            count = state.counts.get(group, 0) + step
            holders = state.holders.setdefault(group, {})
            if count > 0:
                state.counts[group] = count
            else:
                state.counts.pop(group, None)
            if step > 0:
                holders[holder] = None
            else:
                holders.pop(holder, None)


def _tally(shapes: dict[tuple[str, int], dict[int, int]], info: _Block, step: int) -> None:
    """Count (``step=1``) or uncount a block's parameter positions per shape."""
    for shape, mask in info.masks.items():
        masks = shapes.setdefault(shape, {})
        count = masks.get(mask, 0) + step
        if count > 0:
            masks[mask] = count
        else:
            masks.pop(mask, None)
            if not masks:
                del shapes[shape]


def _block(routes: list[Route]) -> _Block:
    shapes: list[tuple[str, int, int, tuple[str, ...]]] = []
    masks: dict[tuple[str, int], int] = {}
    for route in routes:
        if ":path}" in route.full_path:
            masks[(route.method, -1)] = 0
        segments = tuple(route.full_path.split("/"))
        mask = 0
        for position, segment in enumerate(segments):
            if _is_param(segment):
                mask |= 1 << position
        shape = (route.method, len(segments) - 1)
        masks[shape] = masks.get(shape, 0) | mask
        shapes.append((route.method, len(segments) - 1, mask, segments))
    return _Block(routes, shapes, masks)


def _group_keys(
    info: _Block, fixed: dict[tuple[str, int], tuple[int, ...]], rest: frozenset[str]
) -> None:
    info.keys = [
        (method, -1, ())
        if method in rest
        else (method, size, tuple(segments[i] for i in fixed[(method, size)]))
        for method, size, _, segments in info.shapes
    ]


def _is_param(segment: str) -> bool:
    return segment[:1] == "{" and segment[-1:] == "}"


def _same(old: list[Route], new: list[Route]) -> bool:
    return len(old) == len(new) and all(map(operator.is_, old, new))


def _shadowed(routes: list[Route]) -> Iterable[ShadowedRoute]:
    earlier: dict[str, _PatternTrie] = {}
    for order, route in enumerate(routes):
        segments = route.full_path.split("/")
        trie = earlier.setdefault(route.method, _PatternTrie())
        match = trie.first_match(segments)
        if match is not None:
            yield ShadowedRoute(route, match[1])
        trie.add(segments, order, route)
