"""What a benchmark records of the interpreter it ran on, beside its
figures, so that runs on other machines or Python builds can be compared:
the machines are shared and differ, and a CPython built without
profile-guided optimisation runs pure Python about twice as slowly as a
distribution's build on the same machine.
"""

from __future__ import annotations

import sys
import timeit


def interpreter() -> dict[str, object]:
    """The Python version and its speed on a pure-Python loop: the best of
    five timings of ``sum(range(1000))``, in microseconds."""
    best = min(timeit.repeat("sum(range(1000))", number=20_000, repeat=5)) / 20_000
    return {"python": sys.version.split()[0], "python_sum_range_1000_us": round(best * 1e6, 2)}
