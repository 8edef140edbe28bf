"""An immutable mapping that is cheap to extend: the store behind a
registry's run-time additions.

:class:`Layers` keeps its items in a few dicts, newest last; a newer dict's
value for a key hides an older one. Extending adds one dict of the new
items and merges the newest dicts while the one before is not at least
twice as big, so there are at most about log2(n) dicts and each item is
copied about log2(n) times over any run of additions: n single additions
cost O(n log n) in all, where copying the whole mapping each time would
cost O(n²). Readers hold a reference to one version and never see another
change under them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

__all__ = ["Layers"]

K = TypeVar("K")
V = TypeVar("V")


class Layers(Mapping[K, V]):
    """An immutable mapping; :meth:`extended` returns a new one.

    >>> a = Layers[str, int]().extended({"x": 1, "y": 2})
    >>> b = a.extended({"y": 3})
    >>> dict(a), dict(b)
    ({'x': 1, 'y': 2}, {'x': 1, 'y': 3})
    >>> b.get("y"), b.get("z")
    (3, None)
    """

    __slots__ = ("_layers",)

    def __init__(self, layers: tuple[dict[K, V], ...] = ()) -> None:
        self._layers = layers

    def extended(self, items: Mapping[K, V]) -> Layers[K, V]:
        """A new mapping with ``items`` added (replacing values of the same
        keys); ``self`` is unchanged."""
        if not items:
            return self
        layers = [*self._layers, dict(items)]
        while len(layers) > 1 and len(layers[-2]) <= 2 * len(layers[-1]):
            newest = layers.pop()
            merged = dict(layers[-1])
            merged.update(newest)
            layers[-1] = merged
        return Layers(tuple(layers))

    def __getitem__(self, k: K) -> V:
        for layer in reversed(self._layers):
            if k in layer:
                return layer[k]
        raise KeyError(k)

    def get(self, k: K, default: V | None = None) -> V | None:  # type: ignore[override]
        for layer in reversed(self._layers):
            if k in layer:
                return layer[k]
        return default

    def __contains__(self, k: object) -> bool:
        return any(k in layer for layer in self._layers)

    def __iter__(self) -> Iterator[K]:
        if len(self._layers) == 1:
            yield from self._layers[0]
            return
        seen: set[K] = set()
        for layer in self._layers:
            for k in layer:
                if k not in seen:
                    seen.add(k)
                    yield k

    def __len__(self) -> int:
        if len(self._layers) == 1:
            return len(self._layers[0])
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return bool(self._layers)

    def __repr__(self) -> str:
        return f"Layers({len(self)} items in {len(self._layers)} layers)"

    def __reduce__(self) -> tuple[type[Layers[K, V]], tuple[tuple[dict[K, V], ...]]]:
        return (Layers, (self._layers,))
