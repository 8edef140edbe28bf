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
from geonorm._gcpause import collector_paused


@pytest.fixture(autouse=True)
def _collector_restored() -> object:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


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
    assert inside.wait(10)
    with collector_paused():
        pass
    assert not gc.isenabled()  # the worker's pause still runs
    release.set()
    worker.join(10)
    assert gc.isenabled()


_FORK_DURING_A_PAUSE = """
import gc, os
from geonorm._gcpause import collector_paused
with collector_paused():
    pid = os.fork()
    if pid == 0:  # the child: its collector is as before the pause
        os._exit(0 if gc.isenabled() else 1)
    _, status = os.waitpid(pid, 0)
print(os.WEXITSTATUS(status), gc.isenabled())
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_child_forked_during_a_pause_collects() -> None:
    # In a fresh interpreter: forking the test process itself would copy its threads.
    out = subprocess.run(
        [sys.executable, "-c", _FORK_DURING_A_PAUSE], check=False, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "True"]


def test_additions_and_their_matcher_leave_it_enabled() -> None:
    gc.enable()
    reg = geonorm.Registry()
    rows = [{"id": f"organisation:gc-{i}", "name": f"Gcorp Number {i}", "type": "company"} for i in range(50)]
    assert [e.id for e in reg.add_many("organisation", rows)][-1] == "organisation:gc-49"
    assert gc.isenabled()
    assert [m.entity.id for m in reg.extract("Gcorp Number 7 said so.")] == ["organisation:gc-7"]
    assert gc.isenabled()
