"""Countries: ISO 3166-1 states and ISO 3166-3 dissolved states."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Country, direct_constructor
from .base import KindSpec, TableLookup, any_key

_COUNTRY = direct_constructor(Country)  # Country(...), built for half the time

# Abbreviated words in place names, read both ways.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "is": "islands", "isl": "islands", "rep": "republic"}

__all__ = ["CountrySpec"]


def _country(r: Mapping[str, Any], successors: tuple[Country, ...] = ()) -> Country:
    return _COUNTRY(
        id=r["id"],
        name=r["name"],
        aliases=tuple(r["aliases"]),
        alpha2=r["alpha2"],
        alpha3=r["alpha3"],
        numeric=r["numeric"],
        official_name=r["official_name"],
        historic=bool(r.get("historic")),
        successors=successors,
    )


def _expanded(keys: list[str], out: list[str]) -> list[str]:
    """``out`` with the keys of ``keys`` whose abbreviations are expanded
    ("st lucia" -> "saint lucia") appended, where new."""
    for k in keys:
        words = k.split()
        if _ABBREVIATIONS.keys().isdisjoint(words):
            continue  # no abbreviation to expand (nearly every key)
        expanded = " ".join(_ABBREVIATIONS.get(w, w) for w in words)
        if expanded != k and expanded not in out:
            out.append(expanded)
    return out


class CountrySpec(KindSpec[Country]):
    kind = "country"
    entity_class = Country

    def query_keys(
        self,
        text: str,
        primary: str,
        keys: Mapping[str, Any],
        common: str | None = None,
        shared: list[str] | None = None,
    ) -> list[str]:
        out = super().query_keys(text, primary, keys, common, shared)
        return _expanded([primary, *out], out)

    def falls_back_from_word(self, word: str) -> bool:
        return word in _ABBREVIATIONS  # its expansion ("mt": "mount"), the one fallback key of a word

    def may_fall_back_to_key(self, k: str, keys: Mapping[str, Any], shared: Sequence[str] = ()) -> bool:
        # The common fallback keys, and the key's and theirs with their
        # abbreviations expanded (see _expanded).
        abbreviations = _ABBREVIATIONS.keys()
        if shared and (any_key(shared, keys) or not all(abbreviations.isdisjoint(s.split()) for s in shared)):
            return True
        return k in abbreviations if " " not in k else not abbreviations.isdisjoint(k.split())

    def written_keys(self, written: Sequence[str], primary: str, keys: Mapping[str, Any]) -> list[str]:
        out = super().written_keys(written, primary, keys)
        return _expanded(list(out), out) if out else out

    def build_entities(self, raw: Sequence[Mapping[str, Any]], lookup: TableLookup) -> list[Country]:
        current: dict[str, Country] = {}
        for r in raw:
            if r.get("historic"):
                continue
            current[r["id"]] = _country(r)
        historic: dict[str, Country] = {}
        # Successors may themselves be dissolved (Yugoslavia -> Serbia and
        # Montenegro), so build in dependency order.
        pending = [r for r in raw if r.get("historic")]
        while pending:
            progressed = False
            for r in list(pending):
                known = {**current, **historic}
                if all(s in known for s in r["successors"]):
                    historic[r["id"]] = _country(r, tuple(known[s] for s in r["successors"]))
                    pending.remove(r)
                    progressed = True
            if not progressed:
                raise RuntimeError("geonorm country index has a cycle of successors; reinstall geonorm")
        out = {**current, **historic}
        return [out[r["id"]] for r in raw]
