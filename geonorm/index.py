"""The compiled index: how entries are typed and scored, and how a kind's
index file is loaded.

The compile step (:mod:`geonorm.compile`) writes one JSON file per kind in
``geonorm/data/index/``. Each maps a normalisation key (:func:`geonorm.text.key`)
to entries ``[entity, alias, type]`` (plus ``1`` when the alias is an acronym
that must be written in capitals). JSON, not pickle: loading never runs code.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Final

__all__ = [
    "CODE",
    "COUNTRY_ALIAS",
    "DEMONYM",
    "FORMAT",
    "LOCALE",
    "METONYM",
    "METONYM_TYPES",
    "SCORES",
    "STRONG",
    "USER",
    "WEAK",
    "WEAK_DEMONYM",
    "WEAK_LOCALE",
    "WEAK_METONYM",
    "WEAK_TYPES",
    "is_acronym",
    "load_index",
]

FORMAT: Final = 1

# Entry types. The numbers are part of the index format.
STRONG: Final = 0  #: a curated or standard name in English
LOCALE: Final = 1  #: a standard name in another locale (CLDR)
WEAK: Final = 2  #: a curated name shared with others or also a common word
CODE: Final = 3  #: an ISO code
DEMONYM: Final = 4
WEAK_DEMONYM: Final = 5
METONYM: Final = 6  #: a capital city standing for its country
WEAK_METONYM: Final = 7
USER: Final = 8  #: added at run time by the user: wins over shipped names
WEAK_LOCALE: Final = 9  #: a locale name that another entity's curated name overrides
COUNTRY_ALIAS: Final = 10  #: a generic name that needs a country hint ("Ministry of Defence")

SCORES: Final[dict[int, float]] = {
    USER: 1.1,
    STRONG: 1.0,
    CODE: 1.0,
    LOCALE: 0.9,
    DEMONYM: 0.9,
    METONYM: 0.8,
    WEAK: 0.7,
    WEAK_DEMONYM: 0.6,
    COUNTRY_ALIAS: 0.6,
    WEAK_METONYM: 0.5,
    WEAK_LOCALE: 0.5,
}
WEAK_TYPES: Final = frozenset({WEAK, WEAK_DEMONYM, WEAK_METONYM, WEAK_LOCALE, COUNTRY_ALIAS})
METONYM_TYPES: Final = frozenset({METONYM, WEAK_METONYM})
DEMONYM_TYPES: Final = frozenset({DEMONYM, WEAK_DEMONYM})


#: How the table format's name fields are typed (see :data:`geonorm.tables.NAME_FIELDS`).
NAME_TYPES: Final[dict[str, int]] = {
    "strong": STRONG,
    "weak": WEAK,
    "country_alias": COUNTRY_ALIAS,
    "demonym": DEMONYM,
    "weak_demonym": WEAK_DEMONYM,
    "metonym": METONYM,
    "weak_metonym": WEAK_METONYM,
}


def is_acronym(folded: str) -> bool:
    """Whether a folded alias is a short acronym that must match in capitals.

    Letters only: designators with digits ("G20", "S-400", "Su-57") match in
    any case.

    >>> is_acronym("UAE"), is_acronym("NATO"), is_acronym("Rs"), is_acronym("G20"), is_acronym("LeT")
    (True, True, False, False, True)
    """
    compact = folded.replace(" ", "")
    if not (0 < len(compact) <= 5 and compact.isalpha()):
        return False
    # All capitals ("NATO"), or capitals inside the word ("LeT", "BoE").
    return compact.isupper() or any(ch.isupper() for ch in compact[1:])


def load_index(kind: str) -> dict[str, Any]:
    """Load the shipped index of ``kind`` from the package data."""
    ref = resources.files("geonorm").joinpath("data", "index", f"{kind}.json")
    with ref.open("rb") as fh:
        data: dict[str, Any] = json.load(fh)
    if data.get("format") != FORMAT or data.get("kind") != kind:
        raise RuntimeError(f"geonorm index for {kind!r} has an unexpected format; reinstall geonorm")
    return data
