"""The entity model: frozen, typed values that every resolver returns.

Every entity has an ``id`` that is unique across kinds and never changes
(``country:IN``, ``currency:INR``, ``organisation:rosneft``), a ``kind``, a
canonical English ``name`` and ``aliases``: every name the tables know it by.
Two entities are equal when their ids are equal, so an entity that a user
extended at run time still equals the shipped one.

>>> import geonorm
>>> india = geonorm.get("country:IN")
>>> india.kind, india.alpha3, india.name
('country', 'IND', 'India')
>>> india == geonorm.resolve("Bharat", kind="country")
True
"""

from __future__ import annotations

import datetime as _dt
import pickle
from array import array
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any, ClassVar, Literal, TypeVar

import attrs

__all__ = [
    "KINDS",
    "Country",
    "Currency",
    "Entity",
    "How",
    "Kind",
    "Match",
    "Organisation",
    "Person",
    "Role",
    "Weapon",
]

Kind = Literal["country", "currency", "organisation", "person", "weapon"]
#: Every kind of entity, in the order resolvers are consulted.
KINDS: tuple[Kind, ...] = ("country", "currency", "organisation", "person", "weapon")

_E = TypeVar("_E", bound="Entity")

How = Literal["exact", "normalised", "code", "demonym", "metonym", "fuzzy"]


def _ref_repr(value: object) -> str:
    """Show referenced entities by id, so reprs stay short and acyclic."""
    if isinstance(value, Entity):
        return f"<{value.id}>"
    if isinstance(value, tuple):
        return "(" + ", ".join(_ref_repr(v) for v in value) + ")"
    return repr(value)


_SEP = "\x1f"  # between two aliases in a packed blob (no alias has it: see _packed)
_SEP_BYTES = _SEP.encode()


class _Packed:
    """An entity's aliases in one UTF-8 blob, between separators: a few
    bytes an alias where a tuple of strings costs about fifty more (the
    shipped tables hold 129,000 aliases). Read whole by
    :attr:`Entity.aliases`, one at a time by :meth:`at` (which finds where
    each alias starts on its first call)."""

    __slots__ = ("_blob", "_starts")

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._starts: array[int] | None = None

    def at(self, i: int) -> str:
        starts = self._starts
        if starts is None:
            lengths = map(len, self._blob.split(_SEP_BYTES))
            # The last start is one past the blob's end: 0xFFFF for a blob of 0xFFFE bytes.
            starts = array("H" if len(self._blob) < 0xFFFF else "I", accumulate(map((1).__add__, lengths), initial=0))
            self._starts = starts
        # One start more than aliases: the last is one past the blob's end.
        count = len(starts) - 1
        if i < 0:
            i += count  # from the end, as a tuple reads it
        if not 0 <= i < count:
            raise IndexError("alias index out of range")
        return self._blob[starts[i] : starts[i + 1] - 1].decode("utf-8")

    def every(self) -> tuple[str, ...]:
        return tuple(self._blob.decode("utf-8").split(_SEP))


def _packed(aliases: Iterable[str] | None) -> tuple[str, ...] | _Packed:
    """``aliases`` packed (:class:`_Packed`) where that is smaller: three or
    more strings that UTF-8 can hold, none with the separator; a tuple
    otherwise."""
    if type(aliases) is tuple and len(aliases) < 3:
        return aliases  # (what the lines below make of it, without them)
    if isinstance(aliases, str):
        raise TypeError("aliases must be an iterable of strings (a tuple or a list), not one str")
    names = () if aliases is None else tuple(aliases)
    if len(names) < 3:
        return names
    try:
        blob = _SEP.join(names).encode("utf-8")
    except (TypeError, UnicodeEncodeError):
        return names  # not strings, or a lone surrogate: kept as given
    if blob.count(_SEP_BYTES) != len(names) - 1:
        return names  # an alias with the separator in it
    return _Packed(blob)


@attrs.frozen(eq=False, repr=True)
class Entity:
    """Base of every entity kind.

    ``aliases`` holds every name the tables know the entity by, strong and
    weak, in every language; ``name`` is the canonical English display name.
    """

    kind: ClassVar[Kind]

    id: str
    name: str
    # Its slot holds the aliases packed where that is smaller (see _packed
    # and the property that replaces the slot's descriptor below the class).
    aliases: tuple[str, ...] = attrs.field(default=(), repr=False)

    def alias_at(self, i: int) -> str:
        """``aliases[i]``, without making the whole tuple.

        >>> import geonorm
        >>> india = geonorm.get("country:IN")
        >>> india.alias_at(0) == india.aliases[0]
        True
        """
        names = _ALIASES_SLOT.__get__(self, Entity)
        return names[i] if type(names) is tuple else names.at(i)  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Entity):
            return self.id == other.id
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, Entity):
            return self.id != other.id
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.id)

    def __reduce_ex__(self, protocol: Any) -> Any:
        # A shipped entity pickles as its id and unpickles to the shipped
        # entity of that id (tens of bytes, not every alias); one a user added
        # or extended pickles whole.
        from .shipped import is_shipped

        if is_shipped(self):
            return (_shipped_entity, (self.id,))
        return super().__reduce_ex__(protocol)

    def to_dict(self, *, aliases: bool = False) -> dict[str, Any]:
        """A JSON-serialisable dict: ``id``, ``kind``, ``name`` and the kind's
        fields, with other entities as their ids and dates in ISO form; every
        alias only with ``aliases=True``.

        >>> import geonorm
        >>> geonorm.get("country:IN").to_dict()["alpha3"]
        'IND'
        >>> geonorm.get("currency:INR").to_dict()["countries"]
        ['country:BT', 'country:IN']
        >>> "aliases" in geonorm.get("country:IN").to_dict(aliases=True)
        True
        """
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "name": self.name}
        for field in attrs.fields(type(self)):
            if field.name in ("id", "name", "aliases"):
                continue
            out[field.name] = _plain(getattr(self, field.name))
        if aliases:
            out["aliases"] = list(self.aliases)
        return out

    def name_in(self, locale: str) -> str | None:
        """The entity's name in ``locale`` (a CLDR locale such as ``"de"`` or
        ``"ru_RU"``), or None when no localised name is known.

        Kinds without locale data return None.

        >>> import geonorm
        >>> geonorm.get("country:DE").name_in("fr")
        'Allemagne'
        """
        return None


# The aliases slot keeps what _packed makes of them; the attribute reads
# them back as a tuple. attrs' __init__, evolve and __setstate__ all set the
# attribute (through object.__setattr__, which finds this property), so every
# way in packs; assigning it on an entity still raises FrozenInstanceError.
_ALIASES_SLOT: Any = Entity.__dict__["aliases"]


def _read_aliases(entity: Entity) -> tuple[str, ...]:
    names = _ALIASES_SLOT.__get__(entity, Entity)
    return names if type(names) is tuple else names.every()


def _store_aliases(entity: Entity, aliases: Iterable[str]) -> None:
    _ALIASES_SLOT.__set__(entity, _packed(aliases))


Entity.aliases = property(  # type: ignore[assignment]
    _read_aliases,
    _store_aliases,
    doc="""Every name the tables know the entity by, as a tuple (made
    afresh on each read where the entity keeps them packed: every entity
    with three aliases or more).""",
)


def direct_constructor(cls: type[_E]) -> Callable[..., _E]:
    """A function that builds a ``cls`` from the arguments ``cls(...)``
    takes, as its attrs ``__init__`` does, each slot set through its own
    descriptor (the ``__init__`` of a frozen class sets each through
    ``object.__setattr__`` by name: twice the time, where a compiled
    table builds an entity per look-up). Made once per class from its
    fields (the code is written from their names, as attrs writes
    ``__init__``), so a field added to the class is set too.

    >>> make = direct_constructor(Organisation)
    >>> org = make(id="organisation:x", name="X Group", aliases=("X Group", "XG"), type="company")
    >>> org == Organisation(id="organisation:x", name="X Group"), org.aliases, org.country
    (True, ('X Group', 'XG'), None)
    """
    fields = attrs.fields(cls)
    if any(f.converter or f.validator or isinstance(f.default, attrs.Factory) for f in fields):  # type: ignore[arg-type]
        return cls  # what the code below does not do: attrs' own __init__
    names = [f.name for f in fields]
    defaults: dict[str, Any] = {f"_d_{f.name}": f.default for f in fields if f.default is not attrs.NOTHING}
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_packed": _packed, **defaults}
    for name in names:
        slot = _ALIASES_SLOT if name == "aliases" else _slot_of(cls, name)
        scope[f"_s_{name}"] = slot.__set__
    params = ", ".join(name if f"_d_{name}" not in defaults else f"{name}=_d_{name}" for name in names)
    # A tuple of one or two aliases is what _packed keeps as it is (most
    # entities of a user's table): not another call for it.
    aliases = "aliases if aliases.__class__ is tuple and len(aliases) < 3 else _packed(aliases)"
    body = "".join(f"    _s_{n}(o, {aliases if n == 'aliases' else n})\n" for n in names)
    # Code written from the fields' names alone (identifiers), never from data.
    exec(f"def make({params}):\n    o = _new(_cls)\n{body}    return o\n", scope)
    made: Callable[..., _E] = scope["make"]
    made.__qualname__ = made.__name__ = f"make_{cls.__name__}"
    return made


def _slot_of(cls: type, name: str) -> Any:
    """The descriptor of the slot ``name`` among ``cls``'s classes."""
    for base in cls.__mro__:
        if name in base.__dict__:
            return base.__dict__[name]
    raise AttributeError(name)


def _plain(value: object) -> Any:
    """``value`` as JSON can hold it: entities as ids, dates in ISO form."""
    if isinstance(value, Entity):
        return value.id
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Role):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(Role)}
    return value


def _shipped_entity(entity_id: str) -> Entity:
    """The shipped entity of ``entity_id`` (how a pickled one comes back)."""
    from .shipped import lookup

    found = lookup(entity_id)
    if found is None:
        raise pickle.UnpicklingError(f"geonorm has no entity {entity_id!r} (a pickle from another version?)")
    return found


def _babel_locale(locale: str) -> Any:
    """Parse a locale through babel, imported only when a name is asked for."""
    if not isinstance(locale, str):
        raise TypeError(f"locale must be a str such as 'de' or 'ru_RU', not {type(locale).__name__}")
    import babel

    try:
        return babel.Locale.parse(locale.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError) as exc:
        raise ValueError(f"unknown locale {locale!r}") from exc


@attrs.frozen(eq=False)
class Country(Entity):
    """A country (ISO 3166-1), or a dissolved state (ISO 3166-3).

    >>> import geonorm
    >>> ussr = geonorm.resolve("USSR", kind="country")
    >>> ussr.alpha3, ussr.historic, len(ussr.successors)
    ('SUN', True, 15)
    """

    kind: ClassVar[Kind] = "country"

    alpha2: str = ""
    alpha3: str = ""
    numeric: str = ""
    official_name: str = attrs.field(default="", repr=False)
    historic: bool = False
    #: The successor states of a dissolved state, as entities.
    successors: tuple[Country, ...] = attrs.field(default=(), repr=_ref_repr)

    def name_in(self, locale: str) -> str | None:
        """The country's CLDR name in ``locale``.

        >>> import geonorm
        >>> geonorm.get("country:IN").name_in("ru")
        'Индия'
        """
        loc = _babel_locale(locale)
        if self.historic:
            return None
        name = loc.territories.get(self.alpha2)
        return str(name) if name else None


@attrs.frozen(eq=False)
class Currency(Entity):
    """A currency (ISO 4217), current or historic.

    >>> import geonorm
    >>> rupee = geonorm.resolve("₹", kind="currency")
    >>> rupee.code, rupee.numeric, "₹" in rupee.symbols
    ('INR', '356', True)
    """

    kind: ClassVar[Kind] = "currency"

    code: str = ""
    numeric: str = ""
    symbols: tuple[str, ...] = attrs.field(default=(), repr=False)
    #: Countries where it is legal tender today, as entities.
    countries: tuple[Country, ...] = attrs.field(default=(), repr=_ref_repr)
    historic: bool = False

    def name_in(self, locale: str) -> str | None:
        """The currency's CLDR display name in ``locale``.

        >>> import geonorm
        >>> geonorm.get("currency:INR").name_in("de")
        'Indische Rupie'
        """
        loc = _babel_locale(locale)
        name = loc.currencies.get(self.code)
        return str(name) if name else None


@attrs.frozen(eq=False)
class Organisation(Entity):
    """A company, international organisation, government body or armed group."""

    kind: ClassVar[Kind] = "organisation"

    type: str = ""
    country: Country | None = attrs.field(default=None, repr=_ref_repr)
    parent: Organisation | None = attrs.field(default=None, repr=_ref_repr)


@attrs.frozen
class Role:
    """An office a person held, with dates where the tables are sure of them.

    ``start`` and ``end`` are the first and last days (a successor's first
    day may be the predecessor's last: the day of the handover). A role
    whose start the tables do not know but which the person held on a known
    day (``held_on`` in a table, or the table's as-of date for ``current =
    true``) has no ``start`` and ``held_from`` set to that day.

    >>> import datetime as dt
    >>> from geonorm import Role
    >>> role = Role("defence_minister", "Defence Minister", start=dt.date(2024, 5, 14))
    >>> role.held_on(dt.date(2024, 5, 14)), role.held_on(dt.date(2024, 5, 13))
    (True, False)
    >>> Role("chief_executive", "CEO", held_from=dt.date(2025, 10, 31)).held_on(dt.date(2025, 1, 1))
    False
    """

    office: str
    title: str
    country: Country | None = attrs.field(default=None, repr=_ref_repr)
    organisation: Organisation | None = attrs.field(default=None, repr=_ref_repr)
    start: _dt.date | None = None
    end: _dt.date | None = None
    #: For a role whose start is unknown: a day the person held it
    #: (``held_on``, or the table's as-of date for ``current = true``).
    held_from: _dt.date | None = None

    def held_on(self, day: _dt.date) -> bool:
        """Whether the role was held on ``day``, as far as the tables know
        (an unknown start counts from ``held_from``, or never)."""
        first = self.start or self.held_from
        if first is None or day < first:
            return False
        return self.end is None or day <= self.end


@attrs.frozen(eq=False)
class Person(Entity):
    """A person in public life, with dated roles."""

    kind: ClassVar[Kind] = "person"

    full_name: str = ""
    country: Country | None = attrs.field(default=None, repr=_ref_repr)
    roles: tuple[Role, ...] = attrs.field(default=(), repr=False)


@attrs.frozen(eq=False)
class Weapon(Entity):
    """A weapons system, with its designations and family."""

    kind: ClassVar[Kind] = "weapon"

    category: str = ""
    origin: Country | None = attrs.field(default=None, repr=_ref_repr)
    manufacturer: Organisation | None = attrs.field(default=None, repr=_ref_repr)
    family: Weapon | None = attrs.field(default=None, repr=_ref_repr)
    designations: tuple[str, ...] = attrs.field(default=(), repr=False)
    reporting_names: tuple[str, ...] = attrs.field(default=(), repr=False)


@attrs.frozen
class Match:
    """One candidate for a piece of text: the entity, a score in (0, 1.2],
    which alias matched and how.

    ``how`` is ``"exact"`` (the text is the alias as written), ``"normalised"``
    (equal after folding case, accents and punctuation), ``"code"`` (an ISO
    code), ``"demonym"``, ``"metonym"`` (a capital city standing for its
    country) or ``"fuzzy"`` (a spelling mistake within a bounded edit
    distance). ``weak`` says the alias is shared or is a weak name, which
    never wins over a strong one.

    >>> import geonorm
    >>> [ (m.entity.id, m.how) for m in geonorm.candidates("Emirati", kind="country") ]
    [('country:AE', 'demonym')]
    """

    entity: Entity = attrs.field(repr=_ref_repr)
    score: float
    how: How
    alias: str
    weak: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict: the entity's (see :meth:`Entity.to_dict`)
        under ``entity``, and ``score``, ``how``, ``alias``, ``weak``.

        >>> import geonorm
        >>> geonorm.candidates("Emirati", kind="country")[0].to_dict()["entity"]["id"]
        'country:AE'
        """
        return {
            "entity": self.entity.to_dict(),
            "score": self.score,
            "how": self.how,
            "alias": self.alias,
            "weak": self.weak,
        }
