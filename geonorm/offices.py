"""Offices: who held an office when (:class:`PeopleResolver`), from the
people's dated roles, through an index by office built once per registry
state."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import TYPE_CHECKING, Any

from .kinds import SPECS
from .kinds.person import PersonSpec
from .model import Country, Organisation, Person, Role
from .resolvers import KindResolver
from .shipped import _SHIPPED
from .shipped import table as _shipped
from .text import brief

if TYPE_CHECKING:
    from .overlay import Overlay
    from .registry import Registry

__all__ = ["MAX_TITLE_LENGTH", "PeopleResolver", "StaleDataWarning"]

#: The longest office title :meth:`PeopleResolver.holders` reads, in
#: characters: the longest phrase in the tables with a country or body in
#: front of it is well under it.
MAX_TITLE_LENGTH = 200


class StaleDataWarning(UserWarning):
    """A question about a day after the people tables' as-of date: the
    answer is who held the office as far as the tables know, which may have
    changed since (see :attr:`PeopleResolver.as_of`).

    >>> import warnings, geonorm
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = geonorm.people.holder("President", country="FR", on="2030-01-01")
    >>> caught[0].category is geonorm.StaleDataWarning
    True
    """


class PeopleResolver(KindResolver[Person]):
    """The resolver of people, which also answers who held an office when.

    >>> import geonorm
    >>> geonorm.people.holder("Defence Minister", country="RU", on="2023-01-01").name
    'Sergei Shoigu'
    """

    def __init__(self, registry: Registry, kind: str, cls: type[Person]) -> None:
        super().__init__(registry, kind, cls)
        # Roles by office, and by office and country or organisation id, and
        # the overlay they were read from.
        self._by_office: tuple[Overlay, dict[Any, list[tuple[Person, Role]]]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_by_office": None}  # an index, made again on first use

    def holders(
        self,
        title: str,
        *,
        country: object = None,
        on: object = None,
        organisation: object = None,
        _stacklevel: int = 2,
    ) -> list[Person]:
        """Everyone who held the office ``title`` on the day ``on``.

        ``title`` is an office key (``"defence_minister"``) or a phrase news
        writers use ("Defence Minister", "Russian Defence Minister", "NATO
        Secretary General"). ``country`` is a Country or a code or name;
        ``organisation`` an Organisation or a name, for offices of
        international bodies. ``on`` is a :class:`datetime.date` or an ISO
        date string; None means today. Roles count from their start date, or
        for a role whose start the tables do not know, from the day it is
        known held on (``held_on``; the table's as-of date for ``current =
        true``). On a single-seat office, the day of a
        handover is the successor's. A day after the tables' as-of date
        warns with :class:`StaleDataWarning`: the answer is the holder as the
        tables last knew. That date is the one the tables know the office to in the
        country or organisation asked about (for a single seat, the earliest
        as-of date of the tables with its roles there, or a later recorded
        start or ``confirmed_on`` day there), or the earliest as-of date of the
        tables with the office anywhere when neither is given or the tables
        have no such roles (see :attr:`as_of`). A title that names no office, or
        is longer than ``geonorm.offices.MAX_TITLE_LENGTH`` (200 characters),
        raises ValueError.
        """

        if not isinstance(title, str):
            raise TypeError(f"title must be a str, not {type(title).__name__}")
        if len(title) > MAX_TITLE_LENGTH:
            raise ValueError(f"unknown office {brief(title)}: a title is at most {MAX_TITLE_LENGTH} characters")
        if on is None:
            day = dt.date.today()
        elif isinstance(on, dt.datetime):
            day = on.date()
        elif isinstance(on, dt.date):
            day = on
        elif isinstance(on, str):
            try:
                day = dt.date.fromisoformat(on.strip())
            except ValueError as exc:
                raise ValueError(f"on must be a date written YYYY-MM-DD, not {brief(on)}") from exc
        else:
            raise TypeError(f"on must be a date or an ISO date string, not {type(on).__name__}")
        spec = SPECS["person"]
        assert isinstance(spec, PersonSpec)
        if "person" not in _SHIPPED:
            _shipped("person")  # loading the table configures the spec's offices
        office, prefix = spec.office_and_prefix(title)
        if office is None:
            raise ValueError(f"unknown office {brief(title)}")
        if prefix:
            # The words before the office phrase, as written ("NATO", not "nato").
            prefix = " ".join(title.split()[: len(prefix.split())])
        want_country = self._registry._country_hint(country) if country is not None else None
        want_org = self._organisation(organisation) if organisation is not None else None
        if prefix and want_country is None and want_org is None:
            found = self._registry.resolve(prefix, kind="organisation")
            if isinstance(found, Organisation):
                want_org = found
            else:
                maybe = self._registry.resolve(prefix, kind="country")
                if isinstance(maybe, Country):
                    want_country = maybe
        offices = self._offices()
        found_by_title: str | None = None
        if want_country is not None:
            roles = offices.get((office, want_country.id), ())
        elif want_org is not None:
            roles = offices.get((office, want_org.id), ())
            if not roles:
                # An organisation's offices by their own titles ("World
                # Bank President" is its chief executive, not a head of
                # state), here and in the organisations under it ("EU": the
                # Commission's and the Council's presidents, so no one
                # answer).
                phrase = " ".join(title.split()[len(prefix.split()) :]).casefold() if prefix else title.casefold()
                roles = [
                    (person, role)
                    for person, role in offices.get(("*", want_org.id), ())
                    if phrase and phrase in role.title.casefold()
                ]
                found_by_title = want_org.id
                want_org = None  # the roles are the organisation's or its parts'
        else:
            roles = offices.get(office, ())
        # The day the tables know the office to: the seat's, or for an
        # organisation's office found by its title, the earliest of the
        # offices answering.
        if found_by_title is not None:
            days = [
                spec.seat_as_of.get((o, found_by_title)) or spec.office_as_of.get(o, spec.as_of)
                for o in {role.office for _, role in roles}
            ]
            known = min((d for d in days if d is not None), default=spec.as_of)
        else:
            seat = want_country or want_org
            known = spec.seat_as_of.get((office, seat.id)) if seat is not None else None
            if known is None:
                known = spec.office_as_of.get(office, spec.as_of)
        if known is not None and day > known:
            warnings.warn(
                StaleDataWarning(
                    f"the people tables are known to {known.isoformat()}; who held {title!r} on "
                    f"{day.isoformat()} is who held it then, as far as the tables know"
                ),
                stacklevel=_stacklevel,
            )
        held: list[tuple[Person, Role]] = []
        for person, role in roles:
            if not role.held_on(day) or (held and held[-1][0] is person):
                continue
            if want_country is not None and role.country != want_country:
                continue
            if want_org is not None and role.organisation != want_org:
                continue
            held.append((person, role))
        if len(held) > 1 and office in spec.seats and any(r.start == day for _, r in held):
            # A single seat on the day of a handover: the successor's.
            held = [(p, r) for p, r in held if r.end != day]
        return [person for person, _ in held]

    @property
    def as_of(self) -> dt.date | None:
        """The date the people tables are known to: the earliest ``as_of``
        of the shipped people tables. :meth:`holder` for a day after the
        as-of date of the tables that hold the office's roles (this date, or
        a later one) warns with :class:`StaleDataWarning`.

        >>> import geonorm
        >>> geonorm.people.as_of.isoformat()
        '2025-10-31'
        """
        spec = SPECS["person"]
        assert isinstance(spec, PersonSpec)
        if "person" not in _SHIPPED:
            _shipped("person")
        return spec.as_of

    def _offices(self) -> dict[Any, list[tuple[Person, Role]]]:
        """Every role by office, and by ``(office, country or organisation
        id)``, in the people's order, for this registry's current tables
        (rebuilt after an addition)."""
        ov = self._registry._ov
        built = self._by_office
        if built is None or built[0] is not ov:
            index: dict[Any, list[tuple[Person, Role]]] = {}
            for person in self:
                for role in person.roles:
                    index.setdefault(role.office, []).append((person, role))
                    for where in (role.country, role.organisation):
                        if where is not None:
                            index.setdefault((role.office, where.id), []).append((person, role))
                    org = role.organisation
                    seen: set[str] = set()
                    while org is not None and org.id not in seen:  # the organisation and those above it
                        seen.add(org.id)
                        index.setdefault(("*", org.id), []).append((person, role))
                        org = org.parent
            built = (ov, index)
            self._by_office = built
        return built[1]

    def holder(
        self,
        title: str,
        *,
        country: object = None,
        on: object = None,
        organisation: object = None,
    ) -> Person | None:
        """The one person who held ``title`` on ``on``, or None when nobody or
        several did (see :meth:`holders`)."""
        found = self.holders(title, country=country, on=on, organisation=organisation, _stacklevel=3)
        return found[0] if len(found) == 1 else None

    def _organisation(self, value: object) -> Organisation:
        if isinstance(value, Organisation):
            return value
        if isinstance(value, str):
            found = self._registry.resolve(value, kind="organisation")
            if isinstance(found, Organisation):
                return found
            raise ValueError(f"organisation {brief(value)} is not one geonorm knows")
        raise TypeError(f"organisation must be an Organisation or a str, not {type(value).__name__}")
