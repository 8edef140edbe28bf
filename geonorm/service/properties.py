"""The properties the service offers for data extension, per kind: what each
means, and its values for one entity as the Reconciliation API's cells.

>>> import geonorm
>>> from geonorm.service.properties import values
>>> values(geonorm.default_registry, geonorm.get("country:IN"), "alpha3")
[{'str': 'IND'}]
>>> values(geonorm.default_registry, geonorm.get("weapon:s-400"), "nato_name")
[{'str': 'Growler'}]
>>> values(geonorm.default_registry, geonorm.get("country:IN"), "code")
[]
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from ..model import Currency, Entity, Person
from ..registry import Registry

__all__ = ["KIND_NAMES", "PROPERTIES", "Property", "get", "values"]

#: The Reconciliation API type of each kind: its id is the kind.
KIND_NAMES = {
    "country": "Country",
    "currency": "Currency",
    "organisation": "Organisation",
    "person": "Person",
    "weapon": "Weapons system",
}

Cell = dict[str, Any]


@attrs.frozen
class Property:
    """One property: its id, its name, what it means, the kinds that have it,
    and the kind of entity its values are (None for text)."""

    id: str
    name: str
    description: str
    kinds: tuple[str, ...]
    read: Callable[[Registry, Entity], Iterable[object]] = attrs.field(repr=False)
    #: For a property whose values are entities, their kind.
    target: str | None = None


def _attr(name: str) -> Callable[[Registry, Entity], Iterable[object]]:
    def read(_registry: Registry, entity: Entity) -> Iterable[object]:
        value = getattr(entity, name, None)
        if isinstance(value, tuple):
            return value
        return () if value is None or value == "" else (value,)

    return read


# Per registry (and its state), each country's currencies, current first.
_CURRENCIES: weakref.WeakKeyDictionary[Registry, tuple[object, dict[str, list[Currency]]]] = weakref.WeakKeyDictionary()


def _currencies(registry: Registry, entity: Entity) -> Iterable[object]:
    state = registry._ov
    known = _CURRENCIES.get(registry)
    if known is None or known[0] is not state:
        by_country: dict[str, list[Currency]] = {}
        currencies = [c for c in registry.entities("currency") if isinstance(c, Currency)]
        for currency in sorted(currencies, key=lambda c: (c.historic, c.id)):
            for country in currency.countries:
                by_country.setdefault(country.id, []).append(currency)
        known = _CURRENCIES[registry] = (state, by_country)
    return known[1].get(entity.id, ())


def _offices(_registry: Registry, entity: Entity) -> Iterable[object]:
    # Roles the tables date, with no end: held as of the tables' date.
    if not isinstance(entity, Person):
        return ()
    return tuple(dict.fromkeys(r.title for r in entity.roles if r.start is not None and r.end is None))


PROPERTIES: tuple[Property, ...] = (
    Property("name", "Name", "The entity's English name.", tuple(KIND_NAMES), _attr("name")),
    Property("alpha2", "ISO alpha-2", "The ISO 3166-1 two-letter code.", ("country",), _attr("alpha2")),
    Property("alpha3", "ISO alpha-3", "The ISO 3166-1 three-letter code.", ("country",), _attr("alpha3")),
    Property(
        "numeric", "ISO numeric", "The ISO 3166-1 or ISO 4217 numeric code.", ("country", "currency"), _attr("numeric")
    ),
    Property("official_name", "Official name", "The ISO 3166-1 official name.", ("country",), _attr("official_name")),
    Property("currencies", "Currencies", "The currencies used in the country.", ("country",), _currencies, "currency"),
    Property("code", "ISO 4217 code", "The currency's three-letter code.", ("currency",), _attr("code")),
    Property("symbols", "Symbols", "The currency's symbols (₹, Rs...).", ("currency",), _attr("symbols")),
    Property(
        "countries", "Countries", "The countries using the currency.", ("currency",), _attr("countries"), "country"
    ),
    Property(
        "country",
        "Country",
        "The organisation's or person's country.",
        ("organisation", "person"),
        _attr("country"),
        "country",
    ),
    Property("parent", "Parent", "The organisation it belongs to.", ("organisation",), _attr("parent"), "organisation"),
    Property("type", "Organisation type", "company, ministry, agency, bloc...", ("organisation",), _attr("type")),
    Property(
        "office",
        "Current office",
        "Offices the tables record as held, with no end date, as of the tables' date.",
        ("person",),
        _offices,
    ),
    Property("origin", "Origin", "The country that designed the system.", ("weapon",), _attr("origin"), "country"),
    Property(
        "manufacturer",
        "Manufacturer",
        "The company that makes (or made) it.",
        ("weapon",),
        _attr("manufacturer"),
        "organisation",
    ),
    Property("family", "Family", "The system it is a variant of.", ("weapon",), _attr("family"), "weapon"),
    Property("nato_name", "NATO reporting name", "Its NATO reporting names.", ("weapon",), _attr("reporting_names")),
    Property("designations", "Designations", "Its designations (S-400, SA-21...).", ("weapon",), _attr("designations")),
    Property("category", "Category", "What kind of system it is.", ("weapon",), _attr("category")),
)

_BY_ID = {p.id: p for p in PROPERTIES}


def get(pid: str) -> Property | None:
    """The property ``pid``, or None."""
    return _BY_ID.get(pid)


def values(registry: Registry, entity: Entity, pid: str) -> list[Cell]:
    """The values of property ``pid`` for ``entity`` as data-extension cells:
    ``{"id", "name"}`` for entities, ``{"str"}`` for text; empty where the
    entity's kind has no such property or no value."""
    prop = _BY_ID.get(pid)
    if prop is None or entity.kind not in prop.kinds:
        return []
    out: list[Cell] = []
    for value in prop.read(registry, entity):
        if isinstance(value, Entity):
            out.append({"id": value.id, "name": value.name})
        elif isinstance(value, bool):
            continue
        else:
            out.append({"str": str(value)})
    return out
