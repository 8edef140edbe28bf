"""One module per kind of entity; :data:`SPECS` lists those that ship."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .base import KindSpec
from .country import CountrySpec
from .currency import CurrencySpec
from .organisation import OrganisationSpec
from .person import PersonSpec
from .weapon import WeaponSpec

__all__ = ["SPECS", "KindSpec", "refinement"]

SPECS: dict[str, KindSpec[Any]] = {
    "country": CountrySpec(),
    "currency": CurrencySpec(),
    "organisation": OrganisationSpec(),
    "person": PersonSpec(),
    "weapon": WeaponSpec(),
}


def refinement(kind: str) -> Callable[[str], str] | None:
    """The kind's refinement of the common key (:meth:`KindSpec.refine`),
    or None where it keeps the key as it is.

    >>> refinement("country") is None, refinement("weapon")("s 400")
    (True, 's400')
    """
    spec = SPECS[kind]
    return None if type(spec).refine is KindSpec.refine else spec.refine
