"""Python's cyclic garbage collector, told what lives long.

A build makes millions of objects that live until it ends (the dataset, the rendered pages, the
engine's pages), and Python's collector scans every one of them again at each full collection:
at 1,000 companies six full collections took 1.3-2.5 s of a 10-18 s warm build, finding nothing
to free. A run that is the whole of its process (a command: ``Settings.own_process``) moves what
load and render made out of the collector's sight (``gc.freeze``) as each is done; the objects
stay freed by reference counting as usual, only cycles among them are not looked for again
(there are none to find: they live until the process ends). Serve lives on: once it has been
idle a moment after a rebuild, it brings them back into sight, collects what the rebuilds left
and freezes the rest (:class:`IdleCollector`), off the path from an edit to the browser; a
rebuild that comes first runs with the heap still frozen (brought back into sight at once, the
objects of every earlier rebuild were scanned again and again by the next one's collections:
at 1,000 companies, rebuilds two seconds apart took 1.8 s, 2.0 s, 2.1 s, 2.4 s...).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from typing import Any, Iterator


def settle(settings: Any) -> None:
    """What exists now lives until the command ends: out of the collector's sight (a run inside
    another program's process, such as a test's, changes nothing)."""
    if settings.own_process:
        gc.freeze()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector held off for a stretch that makes many objects and no garbage: reading back
    a thousand kept charts (no cycles among their objects) onto a heap that holds the data made it
    go over the whole heap again and again, 0.2 to 0.5 s of the 0.05 s the reading itself takes."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class IdleCollector:
    """Serve's collection: ``delay`` seconds after :meth:`after_build`, unless another build
    came first, every frozen object is brought back into the collector's sight, what the builds
    left is collected, and the rest is frozen again."""

    def __init__(self, delay: float = 2.0):
        self.delay = delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self.collections = 0

    def after_build(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self._collect)
            self._timer.daemon = True
            self._timer.start()

    def put_off(self) -> None:
        """A change was heard: a rebuild is coming, and the pending collection waits for it (the
        rebuild's end sets it again). A collection that started as the rebuild did held it up:
        with an edit 1.5 s after the browser showed the last (the benchmark's loop), serve's
        rebuilds at 1,000 companies took 1.56 s instead of 1.76 (medians of twenty)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def _collect(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.collections += 1

    def wait(self) -> None:
        """Until the pending collection is done (tests, and serve's shutdown)."""
        with self._lock:
            timer = self._timer
        if timer is not None:
            timer.join()

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        gc.unfreeze()
