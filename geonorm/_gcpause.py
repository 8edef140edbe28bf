"""Pausing the cyclic garbage collector while a large structure is built.

Adding a user's table of a hundred thousand entities makes millions of
container objects that all live on; the collector, triggered by their
number, scans the whole heap again and again and finds nothing to free
(half the time of ``Registry.add_many`` on 100,000 entities, a third of the
matcher build for them). :func:`collector_paused` holds it off for the
duration of such a build, the way the host would with :func:`gc.disable`,
and gives it back as it was: pauses may nest and overlap across threads
(the collector resumes when the last ends, and only if it was enabled when
the first began), and a child forked during a pause starts with the
collector as it was before it.

Reference counting frees everything else as usual; only cycles wait until the
pause ends.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

from . import _forksafe

__all__ = ["collector_paused"]

_lock = _forksafe.lock()
_depth = 0  # pauses running now
_was_enabled = False  # whether the collector ran before the first of them


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the cyclic garbage collector paused.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def _after_fork_in_child() -> None:
    # The pauses belong to the parent's threads, which the child does not have.
    global _depth
    if _depth:
        _depth = 0
        if _was_enabled:
            gc.enable()


if hasattr(os, "register_at_fork"):  # not on Windows, which cannot fork
    os.register_at_fork(after_in_child=_after_fork_in_child)
