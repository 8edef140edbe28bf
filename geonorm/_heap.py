"""Giving the heap memory a large build freed back to the operating system.

Building an automaton of a hundred thousand patterns allocates several times
what the finished automaton keeps (the crate's intermediate automata, the
patterns read as strings). glibc keeps most of what is freed in the middle
of its heap as the process's own, so the process would stay that much
larger for its whole life; ``malloc_trim`` returns those pages. Elsewhere
(macOS, Windows, musl), :func:`give_back` does nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

__all__ = ["give_back"]

_trim: Callable[[int], int] | None = None
_looked = False


def _find_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


def give_back() -> None:
    """Return the free pages of the C heap to the operating system (glibc
    only; a few milliseconds at most).

    >>> give_back()
    """
    global _trim, _looked
    if not _looked:
        _trim, _looked = _find_trim(), True
    if _trim is not None:
        _trim(0)
