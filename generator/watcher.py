"""How serve notices that a file changed: the system's file events (inotify on Linux, FSEvents
on macOS, ...) where it has them, MkDocs's polling where it does not.

MkDocs's live-reload server polls every watched folder every half second: on average a quarter
of a second passes before an edit is seen, and each poll stats every file (at 5,000 companies,
5,000 data files twice a second). :class:`ChangeWatcher` is told of a change as it is made. It
hears only changes of content (a file made, written, moved or removed): the native observers
also report a file opened or read, which every build does to every data file, and a server
rebuilding on those would rebuild for ever. Where the system's events cannot be had (no inotify,
or its limit of watches reached), it says so once and polls as MkDocs would.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent,
                             FileCreatedEvent, FileDeletedEvent, FileModifiedEvent,
                             FileMovedEvent, FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

# what a change of content is: never FileOpenedEvent or FileClosedNoWriteEvent (a read)
CHANGES = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent,
           FileClosedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent]

POLLING_INTERVAL = 0.5  # seconds: MkDocs's own, for the fallback

log = logging.getLogger(__name__)


class _Told(FileSystemEventHandler):
    """A handler that tells ``on_change`` of each event before ``handler`` has it."""

    def __init__(self, handler: Any, on_change: Callable[[], None]) -> None:
        self.handler, self.on_change = handler, on_change

    def dispatch(self, event: Any) -> None:
        self.on_change()
        self.handler.dispatch(event)


class ChangeWatcher(Observer):  # type: ignore[misc,valid-type] - Observer is chosen per system
    """An observer of the system's file events that hears changes of content only, and falls
    back to polling when the system's events cannot be had when it starts. ``logger``: where
    the fallback is said (serve's log); ``on_change``: called as each change is heard, before
    the server has it (serve puts its idle collection off: generator.collector)."""

    def __init__(self, logger: logging.Logger | None = None,
                 on_change: Callable[[], None] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._log = logger or log
        self._on_change = on_change
        self._scheduled: list[tuple[Any, str, bool]] = []
        self._fallback: PollingObserver | None = None

    def schedule(self, event_handler: Any, path: Any, *, recursive: bool = False,
                 event_filter: Any = None, **kwargs: Any) -> Any:
        if self._on_change is not None:
            event_handler = _Told(event_handler, self._on_change)
        self._scheduled.append((event_handler, str(path), recursive))
        return super().schedule(event_handler, path, recursive=recursive,
                                event_filter=event_filter or CHANGES, **kwargs)

    def start(self) -> None:
        try:
            super().start()
        except OSError as exc:
            self.unschedule_all()  # what started before the failure stops
            self._log.warning("Watching for changes by polling every %s s (the system's file "
                              "events are not available: %s)", POLLING_INTERVAL,
                              exc.strerror or exc)
            self._fallback = PollingObserver(timeout=POLLING_INTERVAL)
            for handler, path, recursive in self._scheduled:
                self._fallback.schedule(handler, path, recursive=recursive)
            self._fallback.start()

    @property
    def polling(self) -> bool:
        """Whether it fell back to polling."""
        return self._fallback is not None

    def stop(self) -> None:
        if self._fallback is not None:
            self._fallback.stop()
        else:
            super().stop()

    def join(self, timeout: float | None = None) -> None:
        if self._fallback is not None:
            self._fallback.join(timeout)
        else:
            super().join(timeout)


def watch_changes(server: Any, logger: logging.Logger | None = None,
                  on_change: Callable[[], None] | None = None) -> Any:
    """``server`` (MkDocs's live-reload server, before anything is watched) made to hear changes
    from the system's file events (``on_change``: see :class:`ChangeWatcher`); a server whose
    observer is not MkDocs's polling one is left as it is."""
    if isinstance(getattr(server, "observer", None), PollingObserver) and \
            not getattr(server, "_watched_paths", None):
        server.observer = ChangeWatcher(logger, on_change)
    return server
