"""resolve(kind=None)'s answers decided once per key (geonorm.decisions)
equal what the per-kind loop answers, for every ASCII key of the shipped
tables, as written in capitals and in lower case, bare and with "the"."""

from __future__ import annotations

import geonorm
from geonorm.decisions import BY_KIND, Acronym
from geonorm.kinds import SPECS
from geonorm.registry import Registry
from geonorm.resolution import _AVAILABLE, _DECISIONS, _SLOW, _Slow
from geonorm.shipped import DERIVED


def _every_key() -> list[str]:
    geonorm.resolve("India")
    views = DERIVED[_AVAILABLE]
    return sorted({k for _, _, plain, _, _, _ in views for k in plain})


def _loop(registry: Registry, text: str) -> object:
    """The fast path's answer without the decisions (the per-kind loop)."""
    kinds = tuple(list(_AVAILABLE))  # equal, not the same tuple: the decisions are not used
    assert kinds is not _AVAILABLE
    return registry._fast_resolve(text, kinds, False)


def _same(a: object, b: object) -> bool:
    if isinstance(a, _Slow) and isinstance(b, _Slow):
        return a.kinds == b.kinds and a.alts == b.alts
    return a is b


def test_every_shipped_key_is_decided_as_the_loop_decides() -> None:
    registry = geonorm.default_registry
    keys = _every_key()
    assert len(keys) > 60_000
    texts = [*keys, *(k.upper() for k in keys), *(f"the {k}" for k in keys[::7])]
    differ = []
    for text in texts:
        decided, looped = registry._fast_resolve(text, _AVAILABLE, False), _loop(registry, text)
        if not _same(decided, looped):
            differ.append((text, decided, looped))
    assert not differ, differ[:5]


def test_the_decisions_cover_every_sort_of_key() -> None:
    _every_key()
    decisions = DERIVED[_DECISIONS][0]
    values = list(decisions.values())
    assert any(v is BY_KIND for v in values)
    assert any(isinstance(v, Acronym) for v in values)
    assert any(v is None for v in values)  # ties
    assert any(v is _SLOW for v in values)  # "the E3": the general path weighs it
    # The largest kind's keys that are its alone stay out of the dict.
    rest = DERIVED[_DECISIONS][1][0]
    assert len(decisions) < len(_every_key()) - len(rest) // 2


def test_an_ascii_key_is_refined_only_by_its_spaces() -> None:
    """What geonorm.decisions relies on (see KindSpec.refine)."""
    for k in [*_every_key()[::11], "s 400", "mig 29 smt", "the su 30 mki", "a  b"]:
        for spec in SPECS.values():
            refined = spec.refine(k)
            assert refined == k or refined == k.replace(" ", ""), (spec.kind, k, refined)


def test_weapons_written_apart_and_acronyms_in_any_case() -> None:
    assert getattr(geonorm.resolve("Su 30 MKI"), "id", None) == geonorm.resolve("Su-30MKI", kind="weapon").id  # type: ignore[union-attr]
    assert geonorm.resolve("CIA") is not None
    assert geonorm.resolve("cia") is None
    assert geonorm.resolve("the CIA") is geonorm.resolve("CIA")
