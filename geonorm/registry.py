"""The registry: the shipped tables, loaded lazily, and run-time additions
kept apart from them; its look-ups are :class:`~geonorm.resolution.Resolution`'s,
its running text is read by the extraction scan with its additions.

The shipped tables are loaded once per process, on first use of their kind,
under a lock; every :class:`Registry` shares them read-only. Additions made
through one registry (``add_alias``) live in that registry only, so a library
that makes its own ``Registry()`` never sees, or disturbs, another's.
"""

from __future__ import annotations

import itertools
import os
import reprlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from . import _forksafe
from ._gcpause import collector_paused
from .compiled import CompiledTable, read_compiled, refer_through
from .extraction.matcher import Matcher, matcher
from .extraction.mentions import scan_text
from .model import KINDS, Country, Currency, Entity, Organisation, Person, Weapon
from .offices import PeopleResolver
from .overlay import Overlay
from .resolution import _NO_ADDITIONS, MAX_TEXT_LENGTH, Resolution, _compiled_of
from .resolvers import KindResolver
from .shipped import available_kinds
from .shipped import table as _shipped
from .tables import TableError, TableFile, parse_table, parse_toml, read_table
from .text import brief

if TYPE_CHECKING:
    from .extraction.mentions import Mention

__all__ = ["MAX_PACK_FILES", "MAX_TEXT_LENGTH", "PACK_GROUP", "KindResolver", "Registry", "available_kinds"]

#: The entry point group through which packages ship alias packs.
PACK_GROUP = "geonorm.tables"
#: The most table files one alias pack may list.
MAX_PACK_FILES = 1_000


class Registry(Resolution):
    """A set of tables to resolve against: the shipped ones plus this
    registry's own additions.

    >>> from geonorm import Registry
    >>> mine = Registry()
    >>> mine.add_alias("country:GB", "Blighty").id
    'country:GB'
    >>> mine.resolve("Blighty", kind="country").alpha2
    'GB'
    >>> import geonorm
    >>> geonorm.resolve("Blighty", kind="country") is None
    True
    """

    def __init__(self) -> None:
        self._lock = _forksafe.lock()
        # Copy-on-write: readers take one reference and never see half a change.
        self._ov = _NO_ADDITIONS
        # The extraction matcher with this registry's additions, and the
        # overlay it was built for.
        self._text_matcher: tuple[Overlay, Any] | None = None
        # The matcher of the compiled tables, kept while they stay (see _text_matcher).
        self._compiled_layers: dict[tuple[int, ...], tuple[tuple[CompiledTable, ...], Any, Matcher]] = {}
        self._people = PeopleResolver(self, "person", Person)
        self._compiled_views = {}

    # -- pickling -------------------------------------------------------------

    def __reduce__(self) -> Any:
        # The default registry unpickles as the default registry of the
        # other process; another one carries its additions only (the shipped
        # tables load lazily on the other side, as they do here).
        import geonorm

        if self is getattr(geonorm, "default_registry", None):
            return (_default_registry, ())
        # Its compiled tables travel as their paths and digests: the other
        # side reads the same files (and refuses changed ones).
        return (_registry_with, (self._ov,))

    # -- running text -------------------------------------------------------

    def extract(
        self,
        text: str,
        *,
        kinds: Iterable[str] | None = None,
        metonyms: bool = False,
    ) -> list[Mention]:
        """Every entity mention in ``text``, in order, without overlaps, with
        this registry's additions (``add``, ``add_alias``, ``load``, packs)
        found too; see :func:`geonorm.extract` for the rules and options.

        >>> from geonorm import Registry
        >>> mine = Registry()
        >>> _ = mine.add_alias("country:GB", "Blighty")
        >>> [(m.text, m.entity.id) for m in mine.extract("In Blighty, the pound fell against the dollar.")]
        [('Blighty', 'country:GB'), ('pound', 'currency:GBP'), ('dollar', 'currency:USD')]
        """
        ov = self._ov  # read once: an addition made meanwhile is all in it or not at all
        if (ov is _NO_ADDITIONS or not ov) and not ov.compiled:
            return scan_text(matcher(), text, kinds=kinds, metonyms=metonyms)
        built = self._text_matcher
        if built is None or built[0] is not ov:
            with collector_paused():  # a large build of objects that live on (see _gcpause)
                built = (ov, _text_matcher(ov, self._any_entity, self._compiled_layers))
            self._text_matcher = built
        mentions = scan_text(built[1], text, kinds=kinds, metonyms=metonyms)
        if ov.entities:
            # The registry's version of an entity it added names to.
            mentions = [
                attrs.evolve(m, entity=ov.entities[m.entity.id]) if m.entity.id in ov.entities else m for m in mentions
            ]
        return mentions

    def extract_many(
        self,
        texts: Iterable[object],
        *,
        kinds: Iterable[str] | None = None,
        metonyms: bool = False,
    ) -> list[list[Mention]]:
        """:meth:`extract` for every text, aligned with the input; see
        :func:`geonorm.extract_many`.

        >>> from geonorm import Registry
        >>> mine = Registry()
        >>> _ = mine.add_alias("country:GB", "Blighty")
        >>> [[m.entity.id for m in found] for found in mine.extract_many(["Back in Blighty.", 7])]
        [['country:GB'], []]
        """
        kinds = None if kinds is None else tuple(kinds) if not isinstance(kinds, str) else kinds
        self.extract("", kinds=kinds, metonyms=metonyms)  # a wrong option raises here
        done: dict[str, list[Mention]] = {}
        out: list[list[Mention]] = []
        for text in texts:
            if not isinstance(text, str):
                out.append([])
                continue
            found = done.get(text)
            if found is None:
                found = done[text] = self.extract(text, kinds=kinds, metonyms=metonyms)
            out.append(list(found))
        return out

    # -- entities by id (look-ups by name: Resolution) -------------------------

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        if not isinstance(entity_id, str):
            raise TypeError(f"entity_id must be a str, not {type(entity_id).__name__}")
        return self._any_entity(entity_id)

    def entities(self, kind: str | None = None) -> Iterator[Entity]:
        """Every entity of ``kind`` (all kinds when None): the shipped ones in
        id order, then those added to this registry, then those of its
        compiled tables (:meth:`load_compiled`), each in id order."""
        ov = self._ov
        for k in self._kinds(kind):
            for ent in _shipped(k).entities:
                yield ov.entities.get(ent.id, ent)
            for eid in ov.new.get(k, ()):
                yield ov.entities[eid]
            for ck in _compiled_of(ov, k):
                for ent in ck.entities:
                    yield ov.entities.get(ent.id, ent)

    # -- run-time additions -------------------------------------------------

    def _extend(self, files: list[TableFile]) -> None:
        for tf in files:
            for rec in tf.records:
                _shipped(rec.kind)  # configures the kind's spec for keying
            for kind in tf.not_names:
                _shipped(kind)
        with self._lock, collector_paused():  # the additions' keys and entities live on (see _gcpause)
            self._ov = self._ov.extend(files, self._lookup)

    def load_compiled(self, path: str | os.PathLike[str]) -> None:
        """Load a compiled table (written by :func:`geonorm.compile_table`)
        into this registry: its entities resolve, are found in text and are
        returned by :meth:`get` and :meth:`entities` as if the tables it was
        compiled from had been loaded with :meth:`load`, but a table of a
        million entities loads in seconds and a fraction of the memory
        (entities are built from their compact form when returned). The
        first :meth:`extract` reads the extraction patterns the compile step
        wrote (seconds for a million names, and tens of megabytes); after
        that a pattern is read from the file when a text first matches it,
        so the file must stay where it is, unchanged, while the registry
        extracts with it: a file gone or changed raises
        :class:`~geonorm.TableError` at the first :meth:`extract` that reads
        it.

        The checks :meth:`load` makes were made when it was compiled; here
        its ids must be new to this registry, and its strong names must not
        be another entity's strong name in this registry's additions or
        compiled tables. Loading is all-or-nothing, and readers on other
        threads see all of the table or none of it: a file that is not a
        compiled table of this version of geonorm, is damaged or conflicts
        raises :class:`~geonorm.TableError` and changes nothing.

        >>> import pathlib, tempfile, geonorm
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "depots.toml").write_text("".join(
        ...     f'[[organisation]]\\nid = "organisation:depot-{n}"\\nname = "Fuel Depot {n}"\\ntype = "company"\\n'
        ...     for n in range(100)))
        >>> geonorm.compile_table([d / "depots.toml"], d / "depots.compiled")
        {'organisation': 100}
        >>> mine = Registry()
        >>> mine.load_compiled(d / "depots.compiled")
        >>> mine.resolve("fuel depot 42").id, len(mine.organisations) - len(geonorm.organisations)
        ('organisation:depot-42', 100)
        >>> mine.load_compiled(d / "depots.toml")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
          ...
        geonorm.tables.TableError: ...depots.toml: not a compiled geonorm table (write one with geonorm.compile_table)
        """
        table = read_compiled(path)
        rest = table.rest
        used = {*table.kinds, *(r.kind for r in rest.records), *rest.not_names} if rest else set(table.kinds)
        for kind in KINDS:
            if kind in used:
                _shipped(kind)  # configures the kind's spec (its keys: legal forms, titles)
        with self._lock, collector_paused():
            ov = self._ov
            _check_new(table, ov)
            if ov.entities:
                refer_through(table, ov.entities)
            new = attrs.evolve(ov, compiled=(*ov.compiled, table))
            if rest is not None:
                new = new.extend([rest], self._lookup)
            self._ov = new  # one assignment: a reader sees all of the table or none of it

    def _lookup(self, entity_id: str) -> Entity | None:
        return self.get(entity_id)

    def load(self, path: str | os.PathLike[str]) -> None:
        """Load a TOML table file in the shipped format into this registry.

        New entities are added; entries whose id exists add names to that
        entity; ``[[not_<kind>]]`` lists block names. The user's strong names
        win over shipped ones. An entity is defined once per registry: a
        second entry with its name and facts (in this file or an earlier
        load) is an error, an entry with the id and names only is not. Only a
        regular file within the limits of :ref:`table-limits` is read.
        Loading is all-or-nothing: a malformed file raises
        :class:`~geonorm.TableError` naming the file, the entry and the
        problem, and changes nothing.
        """
        with collector_paused():  # the file's records live on in the registry (see _gcpause)
            self._extend([read_table(path)])

    def load_text(self, text: str, *, source: str = "<text>") -> None:
        """Like :meth:`load`, for TOML given as a string.

        >>> from geonorm import Registry
        >>> reg = Registry()
        >>> reg.load_text('[[not_country]]\\nnames = ["Georgia"]\\nreason = "US states only"\\n')
        >>> reg.resolve("Georgia", kind="country") is None
        True
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        with collector_paused():
            self._extend([parse_table(parse_toml(text, source), source)])

    def add(self, kind: str, **fields: Any) -> Entity:
        """Add an entity given in code, with the fields of the table format.

        >>> from geonorm import Registry
        >>> reg = Registry()
        >>> org = reg.add("organisation", id="organisation:acme-arms", name="Acme Arms", type="company",
        ...               country="IN", aliases=["Acme Arms Pvt Ltd"])
        >>> reg.resolve("ACME ARMS", kind="organisation") == org
        True
        """
        self._one_kind(kind)
        self._extend([parse_table({kind: [fields]}, f"<{kind} added in code>")])
        found = self.get(str(fields.get("id")))
        assert found is not None
        return found

    def add_many(self, kind: str, entries: Iterable[Mapping[str, Any]]) -> list[Entity]:
        """Add many entities (or names of existing ones) of one kind at once,
        each a mapping with the fields of the table format, as :meth:`add`
        takes them; returns the entities, in order.

        One call costs about what its entries cost, however many were added
        before; it is all-or-nothing, like :meth:`load`. Python's cyclic
        garbage collector is paused, for the whole process, while the
        additions are built (as by :meth:`load` and by the first
        :meth:`extract` after additions, which builds their patterns): it
        would scan every object again and again and find nothing to free.
        Garbage cycles made meanwhile wait until the build ends.

        >>> from geonorm import Registry
        >>> reg = Registry()
        >>> rows = [{"id": f"organisation:shop-{i}", "name": f"Corner Shop {i}", "type": "company"} for i in range(3)]
        >>> [e.id for e in reg.add_many("organisation", rows)]
        ['organisation:shop-0', 'organisation:shop-1', 'organisation:shop-2']
        >>> reg.resolve("corner shop 2").name
        'Corner Shop 2'
        """
        self._one_kind(kind)
        if isinstance(entries, (str, bytes, Mapping)) or not isinstance(entries, Iterable):
            raise TypeError("entries must be an iterable of mappings of table fields")
        rows = []
        for row in entries:  # the caller's iterable, read before the pause
            if not isinstance(row, Mapping):
                raise TypeError(f"each entry must be a mapping of table fields, not {type(row).__name__}")
            rows.append(dict(row))
        if not rows:
            return []
        with collector_paused():  # the rows' records live on in the registry (see _gcpause)
            self._extend([parse_table({kind: rows}, f"<{kind} added in code>")])
        found = [self.get(str(row.get("id"))) for row in rows]
        return [e for e in found if e is not None]

    def add_alias(self, entity_id: str, alias: str, *, weak: bool = False) -> Entity:
        """Teach this registry another name for an existing entity.

        The alias wins over shipped names (unless ``weak``); it is visible
        only through this registry. Returns the updated entity.
        """
        if not isinstance(entity_id, str):
            raise TypeError(f"entity_id must be a str, not {type(entity_id).__name__}")
        if not isinstance(alias, str):
            raise TypeError(f"alias must be a str, not {type(alias).__name__}")
        entity = self.get(entity_id)
        if entity is None:
            raise KeyError(f"no entity with id {brief(entity_id)}")
        field = "weak_aliases" if weak else "aliases"
        self._extend([parse_table({entity.kind: [{"id": entity_id, field: [alias]}]}, "<alias added in code>")])
        found = self.get(entity_id)
        assert found is not None
        return found

    def load_packs(self) -> list[str]:
        """Load every alias pack installed through the ``geonorm.tables``
        entry point group; returns the names of the packs loaded.

        A pack's entry point names a callable that returns a list (or other
        iterable) of the paths of its TOML files, at most 1,000 of them
        (``geonorm.registry.MAX_PACK_FILES``). All packs load together or, on any
        error, none does; the :class:`~geonorm.TableError` names the pack,
        also when the pack's own code fails.
        """
        from importlib.metadata import entry_points

        files: list[TableFile] = []
        names: list[str] = []
        for ep in sorted(entry_points(group=PACK_GROUP), key=lambda e: e.name):
            label = f"alias pack {ep.name!r}"
            try:
                paths = _pack_paths(ep.load, label, ep.value)
                files.extend(read_table(p, source=f"{label}: {p}") for p in paths)
            except TableError as exc:
                message = str(exc)
                raise TableError(message if message.startswith(label) else f"{label}: {message}") from exc
            names.append(ep.name)
        if files:
            self._extend(files)
        return names

    # -- typed resolvers ----------------------------------------------------

    @property
    def countries(self) -> KindResolver[Country]:
        """Countries in this registry."""
        return KindResolver(self, "country", Country)

    @property
    def currencies(self) -> KindResolver[Currency]:
        """Currencies in this registry."""
        return KindResolver(self, "currency", Currency)

    @property
    def organisations(self) -> KindResolver[Organisation]:
        """Organisations in this registry."""
        return KindResolver(self, "organisation", Organisation)

    @property
    def people(self) -> PeopleResolver:
        """People in this registry, with :meth:`PeopleResolver.holder` (one
        resolver per registry, which keeps its index of offices)."""
        # Made with the registry, not by functools.cached_property: on
        # Python 3.11 that holds one lock for every registry, which a fork
        # taken while another thread is in here would leave held in the child.
        return self._people

    @property
    def weapons(self) -> KindResolver[Weapon]:
        """Weapons systems in this registry."""
        return KindResolver(self, "weapon", Weapon)


def _check_new(table: CompiledTable, ov: Overlay) -> None:
    """Raise :class:`TableError` where ``table`` defines an id that the
    overlay ``ov`` (its additions, its compiled tables) defines, or gives a
    strong name that one of them gives another entity, as a load would."""
    for kind, ck in table.kinds.items():
        theirs = [eid for eid in itertools.chain(ov.new.get(kind, ()), ov.defined) if eid.startswith(f"{kind}:")]
        others = [ct.kinds[kind] for ct in ov.compiled if kind in ct.kinds]
        if not theirs and not others:
            continue
        mine = set(ck.entities.id_bytes())
        for eid in theirs:
            if eid.encode("utf-8") in mine:
                raise TableError(f"{table.path}: {eid} is already defined in this registry")
        for same_kind in others:
            both = mine.intersection(same_kind.entities.id_bytes())
            if both:
                eid = min(both).decode("utf-8")
                raise TableError(f"{table.path}: {eid} is already defined in this registry")
    for (kind, k), owner in ov.strong.items():
        found = table.strong_owner(kind, k)
        if found is not None and found != owner:
            raise TableError(f"{table.path}: the strong name {brief(k)} of {found} is already a strong name of {owner}")
    for other in ov.compiled:
        for kind in set(table.kinds) & set(other.kinds):
            small, large = sorted((table, other), key=lambda t: len(t.kinds[kind].keys))
            for k, owner in small.strong_names(kind):
                found = large.strong_owner(kind, k)
                if found is not None and found != owner:
                    raise TableError(
                        f"{table.path}: the strong name {brief(k)} of {owner} is already a strong name of {found}"
                    )


def _pack_paths(load: Callable[[], Any], label: str, target: str) -> list[str]:
    """The paths an alias pack's callable returns; anything that goes wrong
    (the import, the call, the value) is a :class:`TableError` naming the pack."""
    try:
        func = load()
    except Exception as exc:
        raise TableError(f"{label}: cannot import {target}: {type(exc).__name__}: {exc}") from exc
    if not callable(func):
        raise TableError(f"{label}: {target} is a {type(func).__name__}, not a callable that returns paths")
    try:
        result = func()
    except Exception as exc:
        raise TableError(f"{label}: {target}() raised {type(exc).__name__}: {exc}") from exc
    if isinstance(result, (str, bytes, os.PathLike)):
        raise TableError(
            f"{label}: {target}() returned one path, {reprlib.repr(result)}; it must return a list of paths"
        )
    try:
        # An endless iterable stops here: at most one more than allowed is taken.
        items = list(itertools.islice(iter(result), MAX_PACK_FILES + 1))
    except TypeError as exc:
        raise TableError(f"{label}: {target}() returned {reprlib.repr(result)}, not a list of paths") from exc
    except Exception as exc:
        raise TableError(f"{label}: reading the paths {target}() returned raised {type(exc).__name__}: {exc}") from exc
    if len(items) > MAX_PACK_FILES:
        raise TableError(f"{label}: {target}() returned more than {MAX_PACK_FILES} paths")
    paths: list[str] = []
    for item in items:
        try:
            path = os.fspath(item) if isinstance(item, (str, os.PathLike)) else None
        except Exception as exc:
            raise TableError(f"{label}: {target}() returned {reprlib.repr(item)}: {type(exc).__name__}: {exc}") from exc
        if not isinstance(path, str):
            raise TableError(
                f"{label}: {target}() returned {reprlib.repr(item)}, which is not a path (a str or os.PathLike)"
            )
        paths.append(path)
    return paths


def _default_registry() -> Registry:
    import geonorm

    return geonorm.default_registry


def _registry_with(overlay: Overlay) -> Registry:
    registry = Registry()
    registry._ov = overlay
    return registry


def _text_matcher(
    ov: Overlay,
    entity_of: Callable[[str, Overlay], Entity | None],
    layers: dict[tuple[int, ...], tuple[tuple[CompiledTable, ...], Any, Matcher]],
) -> Matcher:
    """The matcher of a registry's overlay ``ov``: the shipped patterns,
    each compiled table's (written by its compile step, read from its file
    and checked against their digest), and the additions' (derived here),
    in that order of growing precedence; ``entity_of(id, ov)`` is the
    registry's entity of an id. The layer of the compiled tables is kept in
    ``layers`` (by the tables and the names declared not to be names), so
    that an addition does not read the tables' patterns again."""
    with_tables = matcher()
    if ov.compiled:
        tables = tuple(id(ct) for ct in ov.compiled)
        kept = layers.get(tables)
        if kept is not None and kept[1] == ov.blocked:
            with_tables = kept[2]
        else:
            for ct in ov.compiled:
                with_tables = _with_compiled(with_tables, ct, ov)
            layers.clear()
            layers[tables] = (ov.compiled, ov.blocked, with_tables)  # (the tables kept: their ids stay theirs)
    names = {
        (eid, alias): (entity_of(eid, ov), alias, etype)
        for kind_keys in ov.keys.values()
        for entries in kind_keys.values()
        for eid, alias, etype in entries
    }
    found = [(ent, alias, etype) for ent, alias, etype in names.values() if ent is not None]
    return with_tables.with_additions(found, ov.blocked) if found or not ov.compiled else with_tables


def _with_compiled(base: Matcher, ct: CompiledTable, ov: Overlay) -> Matcher:
    """``base`` and the patterns of the compiled table ``ct``."""
    if ct.patterns is None:
        return base
    data, lines = ct.patterns.read(ct.path)

    def lookup(eid: str) -> Entity | None:
        return ov.entities.get(eid) or ct.get(eid)

    try:
        return base.with_compiled(
            [(data, lines, ct.patterns.offset, ct.patterns.offset + ct.patterns.length, ct.patterns.kinds, lookup)],
            ov.blocked,
        )
    except ValueError as exc:
        raise TableError(f"{ct.path}: {exc}; recompile it") from exc
    finally:
        data.close()  # read once: the lines are read from the file where a text matches them
