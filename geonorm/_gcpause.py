"""Pausing the cyclic garbage collector while a large structure is built.

Adding a user's table of a hundred thousand entities makes millions of
container objects that all live on; the collector, triggered by their
number, scans the whole heap again and again and finds nothing to free
(almost half the time of ``Registry.add_many`` on 100,000 entities, a third
of the matcher build for them). :func:`collector_paused` holds it off for
the duration of such a build, as the host would with :func:`gc.disable`, and
gives it back: pauses may nest and overlap across threads, and the
collector resumes when the last ends, if it ran when the first began.
Reference counting frees everything else as usual; only garbage cycles
(any thread's) wait until the pause ends.

What it cannot see: a host that calls :func:`gc.disable` itself during a
pause gets the collector back on when the pause ends.

A child forked during a pause keeps only the pauses of the thread that
forked (the others' threads are not in the child), so its collector comes
back when those end, or at once if there are none. The lock is a C-level
:class:`threading.RLock`, held across :func:`os.fork` and made anew in the
child, so that neither a fork nor an interrupt between two steps of the
bookkeeping can leave it held or the count wrong.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

_lock = threading.RLock()
_depth = 0  # pauses running now, in every thread
_by_thread: dict[int, int] = {}  # the same, per thread (for a fork)
_was_enabled = False  # whether the collector ran when the first of them began


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
    me = threading.get_ident()
    counted = False
    try:
        with _lock:
            # Counted first, flagged at once (no call in between, where an
            # interrupt could land): the finally undoes exactly what was done.
            _depth += 1
            counted = True
            _by_thread[me] = _by_thread.get(me, 0) + 1
            if _depth == 1:
                _was_enabled = gc.isenabled()
                gc.disable()
        yield
    finally:
        if counted:
            with _lock:
                _depth -= 1
                left = _by_thread.get(me, 0) - 1
                if left > 0:
                    _by_thread[me] = left
                else:
                    _by_thread.pop(me, None)
                if _depth == 0 and _was_enabled:
                    gc.enable()


def _before_fork() -> None:
    _lock.acquire()  # no pause is half begun or half ended in the child


def _after_fork_in_parent() -> None:
    _lock.release()


def _after_fork_in_child() -> None:
    global _lock, _depth, _by_thread
    _lock = threading.RLock()
    mine = _by_thread.get(threading.get_ident(), 0)
    paused = _depth > 0
    _depth, _by_thread = mine, ({threading.get_ident(): mine} if mine else {})
    if paused and not mine and _was_enabled:
        gc.enable()  # every pause was another thread's, gone in the child


if hasattr(os, "register_at_fork"):  # not on Windows, which cannot fork
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child)
