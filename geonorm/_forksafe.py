"""Locks for lazy loading that survive :func:`os.fork`.

The tables, the extraction matcher and their indexes are built on first use,
each under a lock. A process forked while another of its threads holds one
of those locks (a warm-up thread loading the tables when a fork-based
``multiprocessing`` pool starts its workers) gets the lock still held, by a
thread that does not exist in the child: the child's first look-up would
wait for it forever.

Every such lock is made here, by :func:`lock` or :func:`rlock`, and is made
new, free, in the child right after a fork. What a loader interrupted by the
fork had built is in that dead thread's local variables only: every loader
publishes its result (``_SHIPPED[kind] = table``, ``self._keys = keys``...)
in one assignment once it is complete, so the child sees the thing either
whole or not at all, and builds it again when it first needs it. A state
set before the assignment (a kind's settings read by ``configure``) is set
again, the same, by the child's own load.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from types import TracebackType
from typing import Protocol

__all__ = ["ForkSafeLock", "lock", "rlock"]


class _Lock(Protocol):
    def acquire(self, blocking: bool = ..., timeout: float = ...) -> bool: ...
    def release(self) -> None: ...


class ForkSafeLock:
    """A :class:`threading.Lock` (or RLock) used as a context manager, made
    anew in the child of a fork, where it starts free whoever held it in the
    parent."""

    __slots__ = ("__weakref__", "_factory", "_lock")

    def __init__(self, factory: Callable[[], _Lock]) -> None:
        self._factory = factory
        self._lock = factory()
        _LOCKS.add(self)

    def __enter__(self) -> bool:
        return self._lock.acquire()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._lock.release()

    def _after_fork(self) -> None:
        self._lock = self._factory()


_LOCKS: weakref.WeakSet[ForkSafeLock] = weakref.WeakSet()


def lock() -> ForkSafeLock:
    """A lock, free again in the child of a fork."""
    return ForkSafeLock(threading.Lock)


def rlock() -> ForkSafeLock:
    """A re-entrant lock, free again in the child of a fork."""
    return ForkSafeLock(threading.RLock)


def _after_fork_in_child() -> None:
    # The child has one thread, this one: nothing can take a lock meanwhile.
    for held in list(_LOCKS):
        held._after_fork()


if hasattr(os, "register_at_fork"):  # not on Windows, which cannot fork
    os.register_at_fork(after_in_child=_after_fork_in_child)
