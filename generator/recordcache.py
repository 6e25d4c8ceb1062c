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

import functools
import pickle
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from .cachedir import write_atomically
from .pagecache import digest


@functools.cache
def code_version() -> str:
    """A hash of the generator's own code (every module of the package) and of the Python and
    pydantic versions: a record checked by other code is checked again."""
    package = Path(__file__).resolve().parent
    parts: list[str | bytes] = [sys.version]
    try:
        parts.append(metadata.version("pydantic"))
    except metadata.PackageNotFoundError:
        parts.append("-")
    for p in sorted(package.rglob("*.py")):
        parts += [p.relative_to(package).as_posix(), p.read_bytes()]
    return digest(*parts)


class RecordCache:
    """Checked records of the project whose cache folder is ``folder`` (see the module).
    ``in_memory``: the records are also kept in this process, by the same key, for the next load
    (serve's rebuilds: no file of the cache is read again; records are frozen models, never
    changed once checked, so one load's record can be the next one's); :meth:`forget_unused`
    lets go of those the last load did not use."""

    def __init__(self, folder: Path, *, in_memory: bool = False):
        self.folder = folder
        self.memory: dict[str, Any] | None = {} if in_memory else None
        self._used: set[str] = set()

    def _name(self, folder: str, rel: str, text: str) -> str:
        return f"{digest(code_version(), folder, rel, text)}.pickle"

    def get(self, folder: str, rel: str, text: str) -> Any:
        name = self._name(folder, rel, text)
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

    def put(self, folder: str, rel: str, text: str, record: Any) -> None:
        name = self._name(folder, rel, text)
        try:
            data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
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
