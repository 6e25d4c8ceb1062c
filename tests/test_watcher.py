"""How serve notices a change (#19): the system's file events, hearing writes and never reads
(every build reads every data file: a server rebuilding on reads would rebuild for ever), and
MkDocs's polling when the system's events cannot be had."""

from __future__ import annotations

import logging
import os
import queue
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from watchdog.events import FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from generator.watcher import ChangeWatcher, watch_changes
from support import make_project


class Heard(FileSystemEventHandler):
    """Every event a watcher passes on, in order."""

    def __init__(self) -> None:
        self.events: queue.Queue = queue.Queue()

    def on_any_event(self, event) -> None:
        if not event.is_directory:
            self.events.put((event.event_type, Path(os.fsdecode(event.src_path)).name))

    def until(self, name: str, limit: float = 30.0) -> list[tuple[str, str]]:
        """The events heard up to and including the first about ``name``."""
        got, deadline = [], time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                got.append(self.events.get(timeout=0.2))
            except queue.Empty:
                continue
            if got[-1][1] == name:
                return got
        raise AssertionError(f"nothing heard of {name}; heard {got}")


def test_the_watcher_hears_a_write_and_never_a_read(tmp_path: Path):
    (tmp_path / "data").mkdir()
    read = tmp_path / "data" / "read.yaml"
    read.write_text("name: a\n", encoding="utf-8")
    heard, watcher = Heard(), ChangeWatcher()
    watcher.schedule(heard, str(tmp_path), recursive=True)
    watcher.start()
    try:
        assert not watcher.polling
        for _ in range(3):
            read.read_text(encoding="utf-8")  # what every build does to every data file
        (tmp_path / "data" / "written.yaml").write_text("name: b\n", encoding="utf-8")
        # events come in order: anything heard of the reads would come before the write's
        got = heard.until("written.yaml")
        assert [name for _, name in got] == ["written.yaml"]
        assert got[0][0] in ("created", "modified", "closed")
    finally:
        watcher.stop()
        watcher.join()


def test_the_watcher_tells_of_a_change_before_the_server_hears_it(tmp_path: Path):
    (tmp_path / "data").mkdir()
    read = tmp_path / "data" / "read.yaml"
    read.write_text("name: a\n", encoding="utf-8")
    told: list[int] = []

    class Heard_(Heard):
        def on_any_event(self, event) -> None:
            # serve's idle collection is put off before its server has the change
            if not event.is_directory:
                self.events.put((len(told), Path(os.fsdecode(event.src_path)).name))

    heard, watcher = Heard_(), ChangeWatcher(on_change=lambda: told.append(1))
    watcher.schedule(heard, str(tmp_path), recursive=True)
    watcher.start()
    try:
        read.read_text(encoding="utf-8")  # no change: never told (the reads are not heard)
        (tmp_path / "data" / "written.yaml").write_text("name: b\n", encoding="utf-8")
        got = heard.until("written.yaml")
        assert got[0][0] >= 1
    finally:
        watcher.stop()
        watcher.join()


def test_without_the_system_s_events_the_watcher_says_so_and_polls(tmp_path: Path, monkeypatch,
                                                                   caplog):
    from watchdog.observers import inotify

    def no_more_watches(self):
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(inotify.InotifyEmitter, "on_thread_start", no_more_watches)
    heard, watcher = Heard(), ChangeWatcher(logging.getLogger("test.serve"))
    watcher.schedule(heard, str(tmp_path), recursive=True)
    with caplog.at_level(logging.WARNING, logger="test.serve"):
        watcher.start()
    try:
        assert watcher.polling
        assert caplog.messages == ["Watching for changes by polling every 0.5 s (the system's "
                                   "file events are not available: inotify watch limit reached)"]
        time.sleep(0.6)  # the poller's first look at the folder, before the write
        (tmp_path / "edited.yaml").write_text("name: b\n", encoding="utf-8")
        assert ("created", "edited.yaml") in heard.until("edited.yaml")
    finally:
        watcher.stop()
        watcher.join()


def test_serve_s_server_is_given_the_watcher_before_anything_is_watched():
    from generator.mkdocs_glue import ENGINE

    server = ENGINE.livereload.LiveReloadServer.__new__(ENGINE.livereload.LiveReloadServer)
    server.observer, server._watched_paths = PollingObserver(), {}
    assert isinstance(watch_changes(server).observer, ChangeWatcher)
    # a server already watching keeps its observer (its watches were scheduled on it)
    watching = ENGINE.livereload.LiveReloadServer.__new__(ENGINE.livereload.LiveReloadServer)
    watching.observer, watching._watched_paths = PollingObserver(), {"/x": 1}
    assert isinstance(watch_changes(watching).observer, PollingObserver)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _page(url: str, until: str, limit: float = 120.0) -> str:
    """The page at ``url`` once it holds ``until`` (serve answering and rebuilt)."""
    deadline, text = time.monotonic() + limit, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                text = r.read().decode("utf-8")
        except OSError:
            pass
        if until in text:
            return text
        time.sleep(0.2)
    raise AssertionError(f"{url} never showed {until!r}")


@pytest.mark.build
def test_serve_rebuilds_once_for_an_edit_and_not_for_its_own_reads(tmp_path: Path):
    project = make_project(tmp_path / "proj")
    port = _port()
    log = tmp_path / "serve.log"
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(project), "serve",
             "--addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=err,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        url = f"http://127.0.0.1:{port}/companies/acme-ai/"
        _page(url, "A fictional AI lab used by the tests.")
        acme = project / "data" / "companies" / "acme-ai.yaml"
        acme.write_text(acme.read_text(encoding="utf-8").replace(
            "A fictional AI lab used by the tests.", "A fictional AI lab the tests edited."),
            encoding="utf-8")
        _page(url, "A fictional AI lab the tests edited.")
        time.sleep(2)  # a server that rebuilt on its own reads would be rebuilding again by now
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert "polling" not in text
    assert text.count("Detected file changes") == 1, text
