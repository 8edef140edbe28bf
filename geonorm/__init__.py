"""geonorm: turn the many ways people write geopolitical entities into
canonical, typed entities.

>>> import geonorm
>>> geonorm.resolve("Bharat", kind="country").alpha3
'IND'
>>> geonorm.resolve("₹", kind="currency").code
'INR'
>>> [m.entity.id for m in geonorm.candidates("Congo", kind="country")]
['country:CD', 'country:CG']

Tables load lazily, per kind, on first use; importing geonorm reads no data.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from .compiled import compile_table
from .extraction import Mention, extract
from .model import (
    KINDS,
    Country,
    Currency,
    Entity,
    Kind,
    Match,
    Organisation,
    Person,
    Role,
    Weapon,
)
from .offices import PeopleResolver, StaleDataWarning
from .registry import Registry
from .resolvers import KindResolver
from .tables import TableError

__all__ = [
    "KINDS",
    "Country",
    "Currency",
    "Entity",
    "Kind",
    "KindResolver",
    "Match",
    "Mention",
    "Organisation",
    "PeopleResolver",
    "Person",
    "Registry",
    "Role",
    "StaleDataWarning",
    "TableError",
    "Weapon",
    "__version__",
    "candidates",
    "compile_table",
    "countries",
    "currencies",
    "default_registry",
    "entities",
    "extract",
    "extract_many",
    "get",
    "load",
    "load_packs",
    "organisations",
    "people",
    "resolve",
    "resolve_many",
    "weapons",
]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("geonorm")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def __getattr__(name: str) -> str:
    # ``__version__`` is read from the installed metadata when first asked
    # for: importlib.metadata costs every process about 10 ms to import.
    if name == "__version__":
        value = _version()
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module 'geonorm' has no attribute {name!r}")


#: The process-wide registry that the module-level functions use.
default_registry = Registry()

#: The one best entity that a text names, or None: the default registry's
#: :meth:`Registry.resolve` itself, which documents it (a module function
#: around it would cost every look-up one call more).
resolve = default_registry.resolve

#: Countries: ISO 3166-1 states, Kosovo and dissolved states (ISO 3166-3).
countries: KindResolver[Country] = default_registry.countries
#: Currencies: ISO 4217, current and historic.
currencies: KindResolver[Currency] = default_registry.currencies
#: Organisations: companies, international and government bodies, armed groups.
organisations: KindResolver[Organisation] = default_registry.organisations
#: People in public life, with dated roles and :meth:`PeopleResolver.holder`.
people: PeopleResolver = default_registry.people
#: Weapons systems, with designations, reporting names and families.
weapons: KindResolver[Weapon] = default_registry.weapons


def resolve_many(
    values: Iterable[object],
    kind: str | None = None,
    *,
    fuzzy: bool = False,
    metonyms: bool = False,
    **hints: Any,
) -> list[Entity | None]:
    """:func:`resolve` for every value of a column or list, aligned with the
    input: one result per value, in order.

    A value that is not a str (None, NaN, pandas' NA, a number) gives None,
    never an exception; a repeated value is resolved once. The options are
    those of :func:`resolve` and apply to every value; a wrong one (an
    unknown kind or hint) raises at once.

    >>> import geonorm
    >>> column = ["India", None, "Bharat", float("nan"), "Atlantis"]
    >>> [c.alpha3 if c else None for c in geonorm.resolve_many(column, kind="country")]
    ['IND', None, 'IND', None, None]
    """
    return default_registry.resolve_many(values, kind, fuzzy=fuzzy, metonyms=metonyms, **hints)


def extract_many(
    texts: Iterable[object],
    *,
    kinds: Iterable[str] | None = None,
    metonyms: bool = False,
) -> list[list[Mention]]:
    """:func:`extract` for every text, aligned with the input: one list of
    mentions per text, in order. A value that is not a str gives an empty
    list; a repeated text is read once.

    >>> import geonorm
    >>> [[m.entity.id for m in found] for found in geonorm.extract_many(["Modi met Putin in Delhi.", None])]
    [['person:narendra-modi', 'person:vladimir-putin'], []]
    """
    return default_registry.extract_many(texts, kinds=kinds, metonyms=metonyms)


def candidates(
    text: str,
    kind: str | None = None,
    *,
    fuzzy: bool = False,
    metonyms: bool = False,
    **hints: Any,
) -> list[Match]:
    """Every entity ``text`` may name, best first.

    Each :class:`Match` carries the entity, a score, the alias that matched
    and how (``exact``, ``normalised``, ``code``, ``demonym``, ``metonym``,
    ``fuzzy``). Arguments are those of :func:`resolve`.

    >>> import geonorm
    >>> [(m.entity.alpha2, m.weak) for m in geonorm.candidates("Korea", kind="country")]
    [('KP', True), ('KR', True)]
    """
    return default_registry.candidates(text, kind, fuzzy=fuzzy, metonyms=metonyms, **hints)


def entities(kind: str | None = None) -> Iterator[Entity]:
    """Every entity of ``kind``, or of every kind when None.

    >>> import geonorm
    >>> sum(1 for c in geonorm.entities("country") if not c.historic) >= 250
    True
    """
    return default_registry.entities(kind)


def get(entity_id: str) -> Entity | None:
    """The entity with this id (``"country:IN"``, ``"currency:EUR"``), or None.

    >>> import geonorm
    >>> geonorm.get("currency:EUR").name
    'Euro'
    >>> geonorm.get("country:ZZ") is None
    True
    """
    return default_registry.get(entity_id)


def load(path: str | os.PathLike[str]) -> None:
    """Load your own TOML table file (the shipped format) into the default
    registry; your strong names win over shipped ones. All-or-nothing: a
    malformed file raises :class:`TableError` naming the file, entry and
    problem. Use a :class:`Registry` of your own to keep additions private,
    as here:

    >>> import pathlib, tempfile, geonorm
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.toml"
    >>> _ = path.write_text('[[country]]\\nid = "country:GB"\\naliases = ["Blighty"]\\n', encoding="utf-8")
    >>> mine = geonorm.Registry()
    >>> mine.load(path)
    >>> mine.resolve("Blighty", kind="country").alpha2
    'GB'
    """
    default_registry.load(path)


def load_packs() -> list[str]:
    """Load every installed alias pack (entry point group ``geonorm.tables``)
    into the default registry; returns their names.

    A pack is a package whose ``pyproject.toml`` declares, for example::

        [project.entry-points."geonorm.tables"]
        my-pack = "my_pack:tables"

    where ``my_pack.tables()`` returns a list of the paths of its TOML files.

    >>> import geonorm
    >>> isinstance(geonorm.Registry().load_packs(), list)
    True
    """
    return default_registry.load_packs()
