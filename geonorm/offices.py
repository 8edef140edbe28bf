"""Offices: who held an office when (:class:`PeopleResolver`), from the
people's dated roles, through an index by office built once per registry
state."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .kinds import SPECS
from .kinds.person import PersonSpec
from .model import Country, Organisation, Person, Role
from .resolvers import KindResolver
from .shipped import _SHIPPED
from .shipped import table as _shipped

if TYPE_CHECKING:
    from .overlay import Overlay
    from .registry import Registry

__all__ = ["PeopleResolver"]


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
    ) -> list[Person]:
        """Everyone who held the office ``title`` on the day ``on``.

        ``title`` is an office key (``"defence_minister"``) or a phrase news
        writers use ("Defence Minister", "Russian Defence Minister", "NATO
        Secretary General"). ``country`` is a Country or a code or name;
        ``organisation`` an Organisation or a name, for offices of
        international bodies. ``on`` is a :class:`datetime.date` or an ISO
        date string; None means today. Roles count only where the tables are
        sure of their start date.
        """

        if not isinstance(title, str):
            raise TypeError(f"title must be a str, not {type(title).__name__}")
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
                raise ValueError(f"on must be a date written YYYY-MM-DD, not {on!r}") from exc
        else:
            raise TypeError(f"on must be a date or an ISO date string, not {type(on).__name__}")
        spec = SPECS["person"]
        assert isinstance(spec, PersonSpec)
        if "person" not in _SHIPPED:
            _shipped("person")  # loading the table configures the spec's offices
        office, prefix = spec.office_and_prefix(title)
        if office is None:
            raise ValueError(f"unknown office {title!r}")
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
        if want_country is not None:
            roles = offices.get((office, want_country.id), ())
        elif want_org is not None:
            roles = offices.get((office, want_org.id), ())
        else:
            roles = offices.get(office, ())
        out: list[Person] = []
        for person, role in roles:
            if not role.held_on(day) or (out and out[-1] is person):
                continue
            if want_country is not None and role.country != want_country:
                continue
            if want_org is not None and role.organisation != want_org:
                continue
            out.append(person)
        return out

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
        found = self.holders(title, country=country, on=on, organisation=organisation)
        return found[0] if len(found) == 1 else None

    def _organisation(self, value: object) -> Organisation:
        if isinstance(value, Organisation):
            return value
        if isinstance(value, str):
            found = self._registry.resolve(value, kind="organisation")
            if isinstance(found, Organisation):
                return found
            raise ValueError(f"organisation {value!r} is not one geonorm knows")
        raise TypeError(f"organisation must be an Organisation or a str, not {type(value).__name__}")
