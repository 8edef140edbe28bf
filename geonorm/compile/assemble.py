"""Turn name records into index keys, applying the collision rules.

The rules (documented for contributors in CONTRIBUTING.md and the docs):

* A key on a known-non-match list is dropped; a curated alias on that list is
  an error.
* For one entity and one key, curated entries decide over generated ones,
  except that a curated name that is not weak leaves the key to a standard
  name that ranks at least as high (a Polish "Estonią" folds like "Estonia";
  the Spanish adjective "argentina" is spelt like the country).
* Two entities may not both hold a key as a strong curated name: error.
* Where a curated entry holds a key, other entities' generated names for it are
  demoted to weak locale names (the curated one is the declared default).
* Among generated locale names, a name used for one entity in at least three
  times as many locales as for any other keeps it; the others are demoted.
* Anything else that stays shared is a tie, which ``resolve`` reports as None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import attrs

from .. import index as ix
from ..tables import TableError
from ..text import fold

__all__ = ["Name", "assemble"]


@attrs.frozen
class Name:
    """One name of one entity, before keying."""

    entity: str
    text: str
    type: int
    curated: bool
    where: str = ""
    count: int = 1


_STRONG_CURATED = frozenset({ix.STRONG, ix.CODE, ix.DEMONYM, ix.METONYM})


def _best(names: list[Name]) -> Name:
    curated = [n for n in names if n.curated and n.type not in ix.METONYM_TYPES]
    pool = curated or names
    capitals = [n for n in names if n.curated and n.type in ix.METONYM_TYPES]
    if not curated and capitals and all(n.type == ix.LOCALE for n in names if not n.curated):
        # A curated capital over a minor locale's name spelt the same
        # ("Brasília"; "Brasilia" is Brazil in Finnish): the place stays a place.
        pool = capitals
    best = max(pool, key=lambda n: (ix.SCORES[n.type], n.curated, n.count, n.text))
    if best.curated and best.type not in ix.WEAK_TYPES and best.type not in ix.METONYM_TYPES:
        # A curated name demotes nothing here, so the standard name keeps the
        # key where it ranks as high: "Estonia", not a Polish "Estonią" that
        # folds the same; "Argentina", not the Spanish adjective "argentina".
        top = ix.SCORES[best.type]
        standard = [
            n
            for n in names
            if not n.curated
            and n.type not in ix.METONYM_TYPES
            and n.type != ix.CODE  # "RUS" must be written in capitals; the Turkish "Rus" need not
            and (ix.SCORES[n.type] > top or (ix.SCORES[n.type] == top and n.type == ix.STRONG))
        ]
        if standard:
            # Still the curated claim on the key (it settles collisions), shown
            # with the standard spelling and rank.
            shown = max(standard, key=lambda n: (ix.SCORES[n.type], n.count, n.text))
            best = attrs.evolve(best, text=shown.text, type=shown.type)
    return best


def assemble(
    names: Iterable[Name],
    keys_for: Callable[[str], Iterable[str]],
    *,
    not_names: Iterable[str] = (),
    soft_not_names: Iterable[str] = (),
    priority: Callable[[str], int] = lambda eid: 0,
    kind: str,
) -> tuple[dict[str, list[Name]], list[str]]:
    """Group ``names`` by key and settle collisions.

    ``priority`` ranks entities for generated ties (a current currency over a
    historic one). Returns the kept names per key, best first, and a report of
    ties left in place (for the compile log).
    """
    hard_not = {k for n in not_names for k in keys_for(n)}
    soft_not = {k for n in soft_not_names for k in keys_for(n)} - {""}
    by_key: dict[str, dict[str, list[Name]]] = defaultdict(lambda: defaultdict(list))
    for name in names:
        for k in dict.fromkeys(keys_for(name.text)):
            if not k:
                if name.curated:
                    raise TableError(f"{name.where}: alias {name.text!r} is empty once normalised")
                continue
            by_key[k][name.entity].append(name)

    out: dict[str, list[Name]] = {}
    ties: list[str] = []
    for k in sorted(by_key):
        per_entity = by_key[k]
        if k in hard_not:
            for ent_names in per_entity.values():
                for n in ent_names:
                    if n.curated:
                        raise TableError(
                            f"{n.where}: alias {n.text!r} of {n.entity} is on the list of known "
                            f"non-{kind} names; remove one of the two"
                        )
            continue
        chosen = {eid: _best(ns) for eid, ns in per_entity.items()}
        if k in soft_not:
            chosen = {eid: n for eid, n in chosen.items() if n.curated}
            if not chosen:
                continue
        curated = {eid: n for eid, n in chosen.items() if n.curated}
        strong_curated = {eid: n for eid, n in curated.items() if n.type in _STRONG_CURATED}
        if len(strong_curated) > 1:
            places = "; ".join(f"{n.entity} ({n.where})" for n in strong_curated.values())
            raise TableError(
                f"alias key {k!r} is a strong name of several entities: {places}. "
                "Make it a weak alias of each (ambiguous) or of all but the declared default"
            )
        non_metonym_curated = [n for n in curated.values() if n.type not in ix.METONYM_TYPES]
        if non_metonym_curated:
            for eid, n in list(chosen.items()):
                if not n.curated:
                    chosen[eid] = attrs.evolve(n, type=ix.WEAK_LOCALE)
        else:
            generated = [n for n in chosen.values() if not n.curated]
            top = max((ix.SCORES[n.type] for n in generated), default=0.0)
            leaders = [n for n in generated if ix.SCORES[n.type] == top]
            if len(leaders) > 1:
                best = max(priority(n.entity) for n in leaders)
                preferred = [n for n in leaders if priority(n.entity) == best]
                if len(preferred) == 1:
                    for n in leaders:
                        if n is not preferred[0]:
                            chosen[n.entity] = attrs.evolve(n, type=ix.WEAK_LOCALE)
                    leaders = preferred
            if len(leaders) > 1 and all(n.type in ix.LOCALE_TYPES for n in leaders):
                leaders.sort(key=lambda n: -n.count)
                if leaders[0].count >= 3 * leaders[1].count:
                    for n in leaders[1:]:
                        chosen[n.entity] = attrs.evolve(n, type=ix.WEAK_LOCALE)
                else:
                    ties.append(f"{k!r}: " + ", ".join(f"{n.entity}×{n.count}" for n in leaders))
            elif len(leaders) > 1:
                ties.append(f"{k!r}: " + ", ".join(n.entity for n in leaders))
        out[k] = sorted(chosen.values(), key=lambda n: (-ix.SCORES[n.type], n.entity))
    return out, ties


def acronym_flag(text: str) -> bool:
    return ix.is_acronym(fold(text))
