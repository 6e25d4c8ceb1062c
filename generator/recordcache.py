"""The checked records' cache: a data file whose text, path and kind are those of a file that was
read, parsed and validated without a problem before is not parsed or validated again; its record
is taken from the cache (the cross-checks, which look across files, always run).

Entries live in ``records/`` of the project's cache folder (generator.cachedir: outside the
project's tree, private to the user; they are read with pickle, i.e. run, like the compiled
templates beside them, so never from anywhere a pull request can write), one file per entry,
named by a hash of the code of the generator and the Python and pydantic versions, the kind, the
file's path and its text. Best effort: an entry that cannot be read or written is a file checked
again. A file with any problem, warnings included, is never cached: it is checked, and reported,
every time.
"""

from __future__ import annotations

import copyreg
import functools
import io
import os
import pickle
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from .cachedir import write_atomically
# RACY_NS: a file whose change time is this recent when it is read is read again by the next load
from .checkcache import RACY_NS, code_digest, file_status
from .pagecache import digest
from .values import Money, PartialDate


@functools.cache
def code_version() -> str:
    """A hash of the generator's own code (every module of the package), the Python and the
    installed packages (generator.checkcache.code_digest): a record checked by other code is
    checked again."""
    return code_digest()


# the files a load read, by status, for the next load (see RecordCache.unchanged)
_INDEX = "files.index"  # (pickle)
_INDEX_FORMAT = 2


class RecordCache:
    """Checked records of the project whose cache folder is ``folder`` (see the module).
    ``in_memory``: the records are also kept in this process, by the same key, for the next load
    (serve's rebuilds: no file of the cache is read again; records are frozen models, never
    changed once checked, so one load's record can be the next one's); :meth:`forget_unused`
    lets go of those the last load did not use.

    A file is not read at all while its status is what it was when a load read it (as git's
    index trusts a file's status): each load ends by writing, in ``files.index``, every file's
    status, its entry's name, its text's digest and its words that name a company file; the next
    load (serve's next rebuild, or a new process) takes the record of a file whose status is
    unchanged from its entry. Call :meth:`begin` before a load and :meth:`finish` after it."""

    def __init__(self, folder: Path, *, in_memory: bool = False):
        self.folder = folder
        self.memory: dict[str, Any] | None = {} if in_memory else None
        self._used: set[str] = set()
        # (kind, path) → (the file's status as it was read, its entry's name, its text's digest,
        # its words, a digest of the company files they were cut to: None when they are all)
        self._files: dict[tuple[str, str], tuple] = {}
        self._index_read = False
        # whether a load recorded a file anew, and how many files the index on disk holds (-1:
        # none is known to be there): what finish() compares to know whether to write it
        self._changed = False
        self._written = -1
        self._names: frozenset[str] = frozenset()
        self._names_key = ""
        self._seen_now: set[tuple[str, str]] = set()

    def begin(self, names: frozenset[str]) -> None:
        """Before a load of a dataset whose company files are ``names`` (their ids)."""
        self._names = names
        self._names_key = digest(*sorted(names))
        self._seen_now = set()
        self._changed = False
        if not self._index_read:
            self._index_read = True
            for key, entry in self._read_index().items():
                self._files.setdefault(key, entry)

    def _read_index(self) -> dict[tuple[str, str], tuple]:
        try:
            with open(self.folder / _INDEX, "rb") as f:
                got = pickle.load(f)
            if got["format"] != _INDEX_FORMAT or got["code"] != code_version():
                return {}
            names_key, files = got["names"], got["files"]
            self._written = len(files)
            return {key: (*entry, None if entry[3] is None else names_key)
                    for key, entry in files.items()}
        except Exception:  # noqa: BLE001 - missing or damaged: every file is read
            return {}

    def finish(self) -> None:
        """After a load: the files it read or took, as :meth:`begin` of the next load reads them
        (written when they changed); in a build's process they are let go of."""
        # (a file gone, or one recorded anew: every file the load took was recorded on disk)
        if self._changed or len(self._seen_now) != self._written:
            names, names_key = self._names, self._names_key
            files = {key: (status, name, text_digest,
                           words if words is None or cut == names_key else words & names)
                     for key, (status, name, text_digest, words, cut) in self._files.items()
                     if key in self._seen_now}
            payload = pickle.dumps({"format": _INDEX_FORMAT, "code": code_version(),
                                    "names": names_key, "files": files},
                                   protocol=pickle.HIGHEST_PROTOCOL)
            del files
            self._written = len(self._seen_now) if write_atomically(
                self.folder / _INDEX, payload) else -1
        if self.memory is None:
            self._files, self._written, self._index_read = {}, -1, False
        else:  # serve: what the next rebuild may take (a file gone is forgotten)
            self._files = {k: v for k, v in self._files.items() if k in self._seen_now}

    def status(self, path: Path) -> tuple | None:
        """The file's status (generator.checkcache.file_status), taken before it is read; None
        when it cannot be taken."""
        try:
            st = os.stat(path, follow_symlinks=False)
        except OSError:
            return None
        return file_status(st)

    def unchanged(self, folder: str, rel: str, status: tuple | None
                  ) -> tuple[Any, str, Any] | None:
        """The record of a file whose :meth:`status` is what it was when a load read it —
        (record, its text's digest, its words) — without reading the file; else None."""
        seen = self._files.get((folder, rel)) if status is not None else None
        if seen is None or status != seen[0] or seen[4] not in (None, self._names_key):
            return None  # (words cut to other company files: a company came or went)
        record = self.get(seen[1])
        if record is None:
            return None
        self._seen_now.add((folder, rel))
        return record, seen[2], seen[3]

    def seen(self, folder: str, rel: str, status: tuple | None, name: str, text_digest: str,
             words: Any) -> None:
        """The file whose :meth:`status` before it was read is ``status`` was read, and its
        record is kept under ``name`` (:meth:`name`; see :meth:`unchanged`). A write during the
        read changes the file's status after it: the next load reads the file again. A file
        written in the last second is not trusted so (a file system's clock may tick coarsely,
        so that two writes of one size in one tick leave one status, as git's "racy" entries):
        it is read again next time. serve keeps all of a company file's words (a company added
        later may be named by one); a build only those naming a company file."""
        if status is None or time.time_ns() - status[4] < RACY_NS:
            return
        if words is not None and self.memory is None:
            words, cut = words & self._names, self._names_key
        else:
            cut = None
        self._files[(folder, rel)] = (status, name, text_digest, words, cut)
        self._seen_now.add((folder, rel))
        self._changed = True

    @staticmethod
    def name(folder: str, rel: str, text: str) -> str:
        """The entry of a file of kind ``folder`` at ``rel`` read as ``text`` (hashed once a
        file: :meth:`get`, :meth:`put` and :meth:`seen` take it)."""
        return f"{digest(code_version(), folder, rel, text)}.pickle"

    def get(self, name: str) -> Any:
        """The record kept under ``name``, or None."""
        if self.memory is not None:
            self._used.add(name)
            if name in self.memory:
                return self.memory[name]
        try:
            with open(self.folder / name, "rb") as f:
                record = pickle.load(f)
        except Exception:  # noqa: BLE001 - missing or damaged: the file is checked again
            return None
        if self.memory is not None:
            self.memory[name] = record
        return record

    def put(self, name: str, record: Any) -> None:
        try:
            data = dumps_shared(record)
        except Exception:  # noqa: BLE001 - not cached: checked again next time
            return
        if self.memory is not None:
            self._used.add(name)
            self.memory[name] = record
        write_atomically(self.folder / name, data)

    def forget_unused(self) -> None:
        """After a load: the records kept in memory that it did not use (a file's earlier texts)
        are let go of."""
        if self.memory is not None:
            for name in set(self.memory) - self._used:
                del self.memory[name]
            self._used = set()


def record_cache(settings: Any, *, in_memory: bool = False) -> RecordCache | None:
    """The record cache of a run by its settings (generator.settings.Settings): the project's,
    or None for a clean run. ``in_memory``: see :class:`RecordCache`."""
    if settings.clean:
        return None
    from .cachedir import project_cache

    return RecordCache(project_cache(settings.root) / "records", in_memory=in_memory)


# Values read back (a warm build reads 25,000 records at 5,000 companies, with about 100,000
# dates and 90,000 amounts among them, most of them repeated): one shared object per value, as
# values are immutable. Keyed by exact text (Decimal("1E+9") equals Decimal("1000000000") but is
# written otherwise), so a shared value is the value it stands for.
@functools.cache
def _shared_date(year: int, month: int, day: int) -> PartialDate:
    return PartialDate(year, month, day)


@functools.cache
def _shared_money(amount: str, currency: str, qualifier: str, high: str | None) -> Money:
    return Money(Decimal(amount), currency, qualifier, None if high is None else Decimal(high))


_SHARED = {
    PartialDate: lambda d: (_shared_date, (d.year, d.month, d.day)),
    Money: lambda m: (_shared_money, (str(m.amount), m.currency, m.qualifier,
                                      None if m.high is None else str(m.high))),
}


def dumps_shared(record: Any) -> bytes:
    """``record`` pickled so that its dates and amounts are read back shared (see above): the
    records' cache, and the built charts' (generator.charts.cache), whose rows hold them."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, **_SHARED}
    pickler.dump(record)
    return buf.getvalue()
