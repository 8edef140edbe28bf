"""Organisations: companies, international bodies, government bodies, armed
groups. Legal forms fold away ("Rosneft PJSC", "ПАО «НК «Роснефть»»"); a
``country=`` hint picks one country's body among generic names
("Ministry of Defence")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Country, Organisation, direct_constructor
from ..text import key
from .base import LinkedKindSpec, TableLookup, any_key

_ORGANISATION = direct_constructor(Organisation)  # Organisation(...), built for half the time

__all__ = ["OrganisationSpec", "strip_forms"]


def strip_forms(
    k: str, forms: frozenset[str], max_words: int, ends: tuple[frozenset[str], frozenset[str]] | None = None
) -> str:
    """Remove legal-form phrases from both ends of a key. ``ends``, where
    given, holds the first and the last words of the phrases (a key whose
    end words are neither keeps its every word: most keys).

    >>> strip_forms("pjsc rosneft oil company", frozenset({"pjsc", "company"}), 3)
    'rosneft oil'
    """
    words = k.split()
    lo, hi = 0, len(words)  # what is left is words[lo:hi]
    changed = True
    while changed and hi - lo > 1:
        if ends is not None and words[lo] not in ends[0] and words[hi - 1] not in ends[1]:
            break  # no phrase begins or ends here
        changed = False
        for n in range(min(max_words, hi - lo - 1), 0, -1):
            if " ".join(words[lo : lo + n]) in forms:
                rest = (lo + n, hi)
            elif " ".join(words[hi - n : hi]) in forms:
                rest = (lo, hi - n)
            else:
                continue
            if not _has_letters(words, *rest):
                return " ".join(words[lo:hi])  # "22 SAS": what is left is no name
            (lo, hi), changed = rest, True
            break
    return " ".join(words[lo:hi])


def _has_letters(words: list[str], lo: int, hi: int, needed: int = 3) -> bool:
    """Whether ``words[lo:hi]`` hold at least ``needed`` letters (reading
    only as far as it takes to tell)."""
    for i in range(lo, hi):
        for ch in words[i]:
            if ch.isalpha():
                needed -= 1
                if not needed:
                    return True
    return False


class OrganisationSpec(LinkedKindSpec[Organisation]):
    kind = "organisation"
    entity_class = Organisation
    hints = frozenset({"country"})
    fuzzy = False
    falls_back_from_one_word = False  # a legal form is stripped from a name of two words or more

    def __init__(self) -> None:
        self.forms: frozenset[str] = frozenset()
        self.max_form_words = 1
        self.form_ends: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())

    def configure(self, extra: Mapping[str, Any]) -> None:
        forms = {key(f) for f in extra.get("forms", ())} - {""}
        self.forms = frozenset(forms)
        self.max_form_words = max((len(f.split()) for f in forms), default=1)
        # The first and last words of the legal forms (see strip_forms).
        self.form_ends = (frozenset(f.split()[0] for f in forms), frozenset(f.split()[-1] for f in forms))

    def may_fall_back_to_key(self, k: str, keys: Mapping[str, Any], shared: Sequence[str] = ()) -> bool:
        # The common fallback keys, and the key with a legal form taken off
        # (see query_keys), where one begins or ends it.
        if shared and any_key(shared, keys):
            return True
        starts, ends = self.form_ends
        return " " in k and (k.partition(" ")[0] in starts or k.rpartition(" ")[2] in ends)

    def index_keys(self, text: str) -> list[str]:
        keys = super().index_keys(text)
        stripped = [strip_forms(k, self.forms, self.max_form_words) for k in keys]
        out = keys + [s for s in stripped if s and s not in keys]
        # "GazpromNeft" meets "Gazprom Neft": names of two or three words are
        # also indexed without spaces.
        compact = [k.replace(" ", "") for k in out if 1 < len(k.split()) <= 3]
        return out + [c for c in compact if c not in out]

    def query_keys(
        self,
        text: str,
        primary: str,
        keys: Mapping[str, Any],
        common: str | None = None,
        shared: list[str] | None = None,
    ) -> list[str]:
        out = super().query_keys(text, primary, keys, common, shared)
        starts, ends = self.form_ends
        if primary.partition(" ")[0] not in starts and primary.rpartition(" ")[2] not in ends:
            return out  # no legal form begins or ends the key (strip_forms keeps it whole)
        stripped = strip_forms(primary, self.forms, self.max_form_words, self.form_ends)
        if stripped and stripped != primary:
            out.insert(0, stripped)
        return out

    @staticmethod
    def of_fields(entity_id: str, name: str, aliases: Sequence[str], fields: Mapping[str, Any]) -> Organisation | None:
        """The organisation of a record of names and a type alone, no
        country or parent (see :attr:`KindSpec.of_fields`)."""
        if len(fields) != 1 or "type" not in fields:
            return None
        return _ORGANISATION(entity_id, name, aliases, type=fields["type"])

    def make(self, raw: Mapping[str, Any], linked: Organisation | None, lookup: TableLookup) -> Organisation:
        country = lookup(raw["country"]) if raw.get("country") else None
        return _ORGANISATION(
            id=raw["id"],
            name=raw["name"],
            aliases=tuple(raw["aliases"]),
            type=raw["type"],
            country=country if isinstance(country, Country) else None,
            parent=linked,
        )
