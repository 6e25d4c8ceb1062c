"""The cyclic collector told what lives long (generator.collector): a command's load and render
are frozen out of its sight; serve brings them back after each rebuild and collects once idle."""

from __future__ import annotations

import gc
import weakref

from generator.collector import IdleCollector, settle
from generator.settings import Settings


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_only_a_run_that_is_its_own_process_freezes(project):
    gc.unfreeze()
    settle(Settings.for_project(project))
    assert gc.get_freeze_count() == 0
    settle(Settings.for_project(project, own_process=True))
    assert gc.get_freeze_count() > 0


def test_the_commands_say_they_are_their_own_process(project, check, capsys, monkeypatch):
    from support import run_cli

    froze: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: froze.append(1))
    assert check(project).code == 0
    assert len(froze) == 1  # after load (a check renders nothing that outlives it)
    froze.clear()
    assert run_cli(capsys, project, "build").code == 0
    assert len(froze) == 2  # after load, after render


def _left_frozen() -> weakref.ref:
    """A cycle a rebuild left, frozen as a rebuild's settle freezes it."""
    gc.freeze()
    left = Node()
    gone = weakref.ref(left)
    del left
    gc.freeze()
    gc.collect()
    assert gone() is not None  # frozen: not collected
    return gone


def test_until_serve_is_idle_its_heap_stays_frozen():
    """A rebuild that comes before the idle collection does not scan every earlier rebuild's
    objects again."""
    idle = IdleCollector(delay=60)
    gone = _left_frozen()
    idle.after_build()
    gc.collect()
    assert gc.get_freeze_count() > 0 and gone() is not None
    idle.stop()
    assert gc.get_freeze_count() == 0


def test_serve_collects_what_a_rebuild_left_once_idle():
    idle = IdleCollector(delay=0.01)
    gone = _left_frozen()
    idle.after_build()
    idle.wait()
    assert (gone(), idle.collections) == (None, 1)
    assert gc.get_freeze_count() > 0  # the rest is frozen again until the next rebuild
    idle.stop()
    assert gc.get_freeze_count() == 0


def test_a_rebuild_before_serve_was_idle_puts_the_collection_off():
    idle = IdleCollector(delay=30)
    idle.after_build()
    idle.after_build()
    idle.stop()
    assert idle.collections == 0 and gc.get_freeze_count() == 0


def test_a_change_heard_before_serve_was_idle_puts_the_collection_off():
    """The collection waits for the rebuild a change starts (the rebuild's end sets it again):
    one that ran into the rebuild held it up."""
    idle = IdleCollector(delay=0.05)
    idle.after_build()
    idle.put_off()
    idle.wait()  # nothing pending: at once
    assert idle.collections == 0
    idle.after_build()
    idle.wait()
    assert idle.collections == 1
    idle.stop()


def test_the_collector_is_held_off_for_a_stretch_and_left_as_it_was():
    from generator.collector import paused

    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
