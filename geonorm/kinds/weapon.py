"""Weapons systems. Designators fold: hyphens, spaces and their absence
("S-400", "S400", "S 400"), Cyrillic letters that look Latin in designators
("С-400" with a Cyrillic С), plurals ("S-400s") and word order
("Triumf S-400")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Country, Organisation, Weapon, direct_constructor
from ..scripts import CYRILLIC
from ..text import key, without_article
from .base import LinkedKindSpec, TableLookup, rotations

_WEAPON = direct_constructor(Weapon)  # Weapon(...), built for half the time

__all__ = ["WeaponSpec", "designator_key"]

# Cyrillic letters that writers use for Latin ones in designators.
_LOOKALIKE = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "s",
        "т": "t",
        "у": "y",
        "х": "x",
    }
)
# Words that describe a system rather than name it: "S-400 missile system".
_GENERIC = frozenset(
    {
        "system",
        "systems",
        "missile",
        "missiles",
        "air",
        "defence",
        "defense",
        "aircraft",
        "jet",
        "jets",
        "fighter",
        "fighters",
        "tank",
        "tanks",
        "drone",
        "drones",
        "helicopter",
        "helicopters",
        "launcher",
        "launchers",
        "complex",
        "sam",
        "rocket",
        "rockets",
        "battery",
        "batteries",
        "unit",
        "units",
        "uav",
        "uavs",
        "mbt",
    }
)


_CYRILLIC = re.compile(f"[{CYRILLIC}]")
_NOT_CYRILLIC_LETTER = re.compile(rf"[^\W\d_{CYRILLIC}]")
#: A letter or digit beyond Cyrillic: where a key with Cyrillic letters has
#: none, no word of it mixes scripts or stands before a number.
_BEYOND_CYRILLIC = re.compile(rf"[^\W_{CYRILLIC}]")


def designator_key(k: str) -> str:
    """The weapon key: spaces removed, and Cyrillic look-alike letters read as
    Latin where a writer mixed them into a Latin designator: a lone Cyrillic
    letter before a number ("С-400") or a word mixing both scripts.

    >>> designator_key("с 400"), designator_key("s 400"), designator_key("mig 29"), designator_key("ан 2")
    ('s400', 's400', 'mig29', 'ан2')
    """
    if k.isascii():
        return k.replace(" ", "")
    words = k.split()
    if _CYRILLIC.search(k) and _BEYOND_CYRILLIC.search(k):
        for i, w in enumerate(words):
            if not _CYRILLIC.search(w):
                continue
            lone = len(w) == 1 and i + 1 < len(words) and words[i + 1][:1].isdigit()
            if lone or _NOT_CYRILLIC_LETTER.search(w):
                words[i] = w.translate(_LOOKALIKE)
    return "".join(words)


class WeaponSpec(LinkedKindSpec[Weapon]):
    kind = "weapon"
    entity_class = Weapon
    hints = frozenset({"country"})
    fuzzy = False

    def refine(self, k: str) -> str:
        return designator_key(k)

    def falls_back_from_word(self, word: str) -> bool:
        # One word's fallback key is its designator's singular (see query_keys).
        designator = designator_key(word)
        return _singular(designator) != designator

    def may_fall_back_to_key(self, k: str, keys: Mapping[str, Any], shared: Sequence[str] = ()) -> bool:
        if not k.isascii() or (shared and not all(map(str.isascii, shared))):
            return True  # (Cyrillic look-alike letters: see designator_key)
        # A designator of a common fallback key ("the S-400s": the S-400),
        # or the words of the key run together, in the orders query_keys
        # takes, perhaps without generic words; each perhaps without a last
        # "s". (ASCII: the ASCII keys alone, which KeyTable.plain holds.)
        plain = getattr(keys, "plain", keys)
        joined = [designator_key(s) for s in shared] if shared else []
        if " " not in k:
            joined.append(k)
        else:
            words = k.split()
            orders = [words]
            if not _GENERIC.isdisjoint(words):
                trimmed = [w for w in words if w not in _GENERIC]
                if trimmed and len(trimmed) < len(words):
                    orders.append(trimmed)
            for order in orders:
                joined.extend(_rotations_joined(order))
        for designator in joined:  # noqa: SIM110 (a loop: no generator to build, on resolve's fast path)
            if designator in plain or (designator[-1:] == "s" and designator[:-1] in plain):
                return True  # (without its "s": what _singular gives, and more)
        return False

    def query_keys(
        self,
        text: str,
        primary: str,
        keys: Mapping[str, Any],
        common: str | None = None,
        shared: list[str] | None = None,
    ) -> list[str]:
        out = super().query_keys(text, primary, keys, common, shared)
        base = key(text) if common is None else common
        if " " not in base:
            # One word (nearly every look-up): no "the" to take off, no other
            # word order, no generic word to trim (see below).
            designator = designator_key(base)
            for cand in (designator, _singular(designator)):
                if cand and cand != primary and cand not in out:
                    out.append(cand)
            return out
        # The weapon key has no spaces, so the common fallback cannot see a
        # leading "the": the key without it comes first here too ("the Killjoy").
        bare = without_article(base)
        if bare != base:
            designator = designator_key(bare)
            for cand in (_singular(designator), designator):  # "the S-400s": the S-400
                if cand and cand != primary and cand not in out:
                    out.insert(0, cand)
        words = base.split()
        trimmed = words if _GENERIC.isdisjoint(words) else [w for w in words if w not in _GENERIC] or words
        variants = [" ".join(trimmed)] if trimmed != words else []
        if base.isascii():
            # An ASCII designator is its words run together (designator_key):
            # the same candidates, in the same order, without the strings
            # of the words' other orders.
            orders = [words, trimmed] if variants else [words]
            joined = ["".join(w) for w in orders]
            for w in orders:
                n = len(w)
                if 1 < n <= 4:
                    twice = w + w
                    joined += ["".join(twice[i : i + n]) for i in range(1, n)]
        else:
            for v in [base, *variants]:
                variants.extend(rotations(v, 4))
            joined = [designator_key(v) for v in [base, *variants]]
        seen = {"", primary, *out}
        for designator in joined:
            for cand in (designator, _singular(designator)):
                if cand not in seen:
                    seen.add(cand)
                    out.append(cand)
        return out

    def make(self, raw: Mapping[str, Any], linked: Weapon | None, lookup: TableLookup) -> Weapon:
        origin = lookup(raw["origin"]) if raw.get("origin") else None
        maker = lookup(raw["manufacturer"]) if raw.get("manufacturer") else None
        return _WEAPON(
            id=raw["id"],
            name=raw["name"],
            aliases=tuple(raw["aliases"]),
            category=raw["category"],
            origin=origin if isinstance(origin, Country) else None,
            manufacturer=maker if isinstance(maker, Organisation) else None,
            family=linked,
            designations=tuple(raw.get("designations", ())),
            reporting_names=tuple(raw.get("reporting_names", ())),
        )


def _rotations_joined(words: list[str]) -> tuple[str, ...] | list[str]:
    """The words run together in each of their orders that :meth:`WeaponSpec.query_keys`
    takes: as they come, and for two to four words each rotation.

    >>> _rotations_joined(["triumf", "s", "400"])
    ('triumfs400', 's400triumf', '400triumfs')
    """
    n = len(words)
    if n == 2:
        a, b = words
        return a + b, b + a
    if n == 3:
        a, b, c = words
        return a + b + c, b + c + a, c + a + b
    if n == 4:
        a, b, c, d = words
        return a + b + c + d, b + c + d + a, c + d + a + b, d + a + b + c
    return ["".join(words)]


def _singular(k: str) -> str:
    """``s400s`` -> ``s400``; ``su57s`` -> ``su57``; words ending in "s" after a
    digit or a capital designator lose it."""
    if len(k) > 2 and k.endswith("s") and not k.endswith("ss"):
        return k[:-1]
    return k
