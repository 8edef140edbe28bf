"""The garbage collector is paused while a registry takes large additions,
and given back as it was, whatever happens meanwhile."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading

import pytest

import geonorm
from geonorm import _gcpause
from geonorm._gcpause import collector_paused
from geonorm.overlay import Overlay


@pytest.fixture(autouse=True)
def _collector_restored() -> object:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()
    assert _gcpause._depth == 0 and not _gcpause._by_thread, "a pause was left running"


def test_pauses_nest_and_restore() -> None:
    gc.enable()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_off_before_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
    reg = geonorm.Registry()
    reg.add_many("organisation", [{"id": "organisation:gc-a", "name": "Gc Alpha", "type": "company"}])
    assert not gc.isenabled()


def test_an_error_inside_gives_it_back() -> None:
    gc.enable()
    reg = geonorm.Registry()
    with pytest.raises(TypeError):
        reg.add_many("organisation", [{"id": "organisation:gc-b", "name": "Gc Beta", "type": "company"}, 7])
    assert gc.isenabled()
    with pytest.raises(geonorm.TableError):
        reg.load_text("[[organisation]]\nid = 3\n")
    assert gc.isenabled()


def test_overlapping_pauses_in_threads() -> None:
    # The collector resumes when the last pause ends, not the first.
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    def long_pause() -> None:
        with collector_paused():
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=long_pause)
    worker.start()
    try:
        assert inside.wait(10)
        with collector_paused():
            pass
        assert not gc.isenabled()  # the worker's pause still runs
    finally:
        release.set()
        worker.join(10)
    assert gc.isenabled()


_FORK_DURING_A_PAUSE = """
import gc, os, threading
from geonorm import _gcpause
from geonorm._gcpause import collector_paused

# Another thread's pause: gone in a child, whose collector comes back at once.
inside, release = threading.Event(), threading.Event()
def other():
    with collector_paused():
        inside.set()
        release.wait(30)
worker = threading.Thread(target=other)
worker.start()
inside.wait(30)
pid = os.fork()
if pid == 0:
    os._exit(0 if gc.isenabled() and _gcpause._depth == 0 else 1)
_, status = os.waitpid(pid, 0)
release.set()
worker.join(30)
print(os.WEXITSTATUS(status), gc.isenabled())

# The forking thread's own pause: kept in the child, whose collector comes
# back when that pause ends, and whose later pauses still pause.
with collector_paused():
    pid = os.fork()
    if pid == 0:
        paused_inside = not gc.isenabled()
    else:
        _, status = os.waitpid(pid, 0)
if pid == 0:
    after = gc.isenabled()
    with collector_paused():
        again = not gc.isenabled()
    ok = paused_inside and after and again and gc.isenabled() and _gcpause._depth == 0
    os._exit(0 if ok else 1)
print(os.WEXITSTATUS(status), gc.isenabled())
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_child_forked_during_a_pause_collects() -> None:
    # In a fresh interpreter: forking the test process itself would copy its threads.
    out = subprocess.run(
        [sys.executable, "-c", _FORK_DURING_A_PAUSE], check=False, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "True", "0", "True"]


def test_additions_and_their_matcher_are_built_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    gc.enable()
    seen: list[tuple[str, bool]] = []
    extend, with_additions = Overlay.extend, type(geonorm.extraction.matcher.matcher()).with_additions

    def watched_extend(self: Overlay, *args: object, **kwargs: object) -> object:
        seen.append(("extend", gc.isenabled()))
        return extend(self, *args, **kwargs)  # type: ignore[arg-type]

    def watched_matcher(self: object, *args: object, **kwargs: object) -> object:
        seen.append(("matcher", gc.isenabled()))
        return with_additions(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Overlay, "extend", watched_extend)
    monkeypatch.setattr(type(geonorm.extraction.matcher.matcher()), "with_additions", watched_matcher)
    reg = geonorm.Registry()
    reg.add_many("organisation", [{"id": "organisation:gc-p", "name": "Gcorp Paused", "type": "company"}])
    reg.load_text('[[organisation]]\nid = "organisation:gc-q"\nname = "Gcorp Quiet"\ntype = "company"\n')
    reg.add_alias("organisation:gc-p", "Gcorp P")
    assert [m.entity.id for m in reg.extract("Gcorp Quiet and Gcorp P.")] == ["organisation:gc-q", "organisation:gc-p"]
    assert seen == [("extend", False)] * 3 + [("matcher", False)]
    assert gc.isenabled()


def test_the_callers_rows_are_read_before_the_pause() -> None:
    gc.enable()
    states: list[bool] = []

    def rows() -> object:
        for i in range(3):
            states.append(gc.isenabled())
            yield {"id": f"organisation:gc-r{i}", "name": f"Gcorp Row {i}", "type": "company"}

    geonorm.Registry().add_many("organisation", rows())  # type: ignore[arg-type]
    assert states == [True, True, True]


def test_additions_and_their_matcher_leave_it_enabled() -> None:
    gc.enable()
    reg = geonorm.Registry()
    rows = [{"id": f"organisation:gc-{i}", "name": f"Gcorp Number {i}", "type": "company"} for i in range(50)]
    assert [e.id for e in reg.add_many("organisation", rows)][-1] == "organisation:gc-49"
    assert gc.isenabled()
    assert [m.entity.id for m in reg.extract("Gcorp Number 7 said so.")] == ["organisation:gc-7"]
    assert gc.isenabled()
