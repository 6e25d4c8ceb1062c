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
    """Checked records of the project whose cache folder is ``folder`` (see the module)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, folder: str, rel: str, text: str) -> Path:
        return self.folder / f"{digest(code_version(), folder, rel, text)}.pickle"

    def get(self, folder: str, rel: str, text: str) -> Any:
        try:
            with open(self._path(folder, rel, text), "rb") as f:
                return pickle.load(f)
        except Exception:  # noqa: BLE001 - missing or damaged: the file is checked again
            return None

    def put(self, folder: str, rel: str, text: str, record: Any) -> None:
        try:
            data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - not cached: checked again next time
            return
        write_atomically(self._path(folder, rel, text), data)


def record_cache(settings: Any) -> RecordCache | None:
    """The record cache of a run by its settings (generator.settings.Settings): the project's,
    or None for a clean run."""
    if settings.clean:
        return None
    from .cachedir import project_cache

    return RecordCache(project_cache(settings.root) / "records")
