"""The downloads' cache: each download (generator.downloads) is made of fixed text and of the
parts of records (a record's JSON text, its rows of a CSV file), and a part is taken from the
download the last build made when its key is the one it had then. A key is a hash of everything
the part is made of (generator.downloads: the record's file, the source records it reads, the
generator's code), so a part whose inputs changed is never taken again.

What is kept is the download itself: in ``downloads/`` of the project's cache folder
(generator.cachedir: outside the project's tree, private to the user), for each download, a copy
of its bytes (``<name>.<token>.bin``) and an index (``<name>.index``, JSON: the copy's token and
size, and the key, start and end of each record's part in it). One file per download rather than
one per record: reading thousands of small files would cost what it saves. The copy is read a
slice at a time into the new download, never held whole beside it (memory: at 5,000 companies the
JSON file is some 50 MB). Nothing in them is run (no pickle): they are bytes and numbers.

A download the cache holds is handed on as a :class:`Copy` (its file and size), never read back:
a build links that file into the site.

Best effort: an index or copy that cannot be read or does not fit is a download made whole again,
never a failed build; one that cannot be written is made whole next time.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable

from .cachedir import write_atomically


CHUNK = 1 << 18  # bytes of the kept copy read at a time


@dataclass(frozen=True)
class Copy:
    """A download that a file of the cache holds byte for byte, readable by all: a build links
    ``path`` into the site instead of holding, compressing and copying its bytes (14 MB at 1,000
    companies, 68 MB at 5,000). The file is never written again once named."""

    path: Path
    size: int

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


@dataclass
class Kept:
    """A download as the last build made it: its copy, open (a copy is never written again once
    named, so what is read is what was indexed), its size, and where each key's part starts and
    ends in it (two flat maps: a build's collector of cycles would walk a tuple per record)."""

    file: IO[bytes]
    size: int
    starts: dict[str, int]
    ends: dict[str, int]

    def read(self, start: int, n: int) -> bytes:
        data = os.pread(self.file.fileno(), n, start)
        if len(data) != n:
            raise OSError(f"{self.file.name}: cut short")
        return data

    def close(self) -> None:
        self.file.close()


class DownloadCache:
    """The kept downloads in ``folder``; ``read=False`` (a clean build): nothing is read, and
    what is made is written afresh."""

    def __init__(self, folder: Path, *, read: bool = True):
        self.folder = folder
        self.read = read

    def _index(self, name: str) -> Path:
        return self.folder / f"{name}.index"

    def _copy(self, name: str, token: str) -> Path:
        return self.folder / f"{name}.{token}.bin"

    def load(self, name: str) -> Kept | None:
        """The download ``name`` (a file name in downloads/) as kept, or None."""
        if not self.read:
            return None
        file = None
        try:
            index = json.loads(self._index(name).read_bytes())
            token, size = index["token"], index["size"]
            if not (isinstance(token, str) and token.isalnum() and type(size) is int):
                return None
            file = open(self._copy(name, token), "rb")
            if os.fstat(file.fileno()).st_size != size:
                file.close()
                return None
            parts = index["parts"]
            starts, ends = {}, {}
            for i in range(0, len(parts), 3):
                key, start, end = parts[i:i + 3]
                if not (isinstance(key, str) and type(start) is int and type(end) is int
                        and 0 <= start <= end <= size):
                    file.close()
                    return None
                starts[key], ends[key] = start, end
        except Exception:  # noqa: BLE001 - missing or damaged: the download is made whole
            if file is not None:
                file.close()
            return None
        return Kept(file, size, starts, ends)

    def store(self, name: str, data: bytes, parts: list[str | int], *, spare: str = ""
              ) -> Copy | None:
        """Keep ``data`` as the download ``name``, with its parts (key, start, end, key, …): the
        copy first, under a new token, then the index naming it (each written atomically, so a
        reader finds a whole copy or none), then every other copy of the download is removed
        but ``spare`` (a name: the copy this one was made from, which a build running beside
        this one, such as serve's, may be about to link). Copies are readable by all, as the
        site's files they become; their folder is the user's alone. The copy kept, or None."""
        token = os.urandom(8).hex()
        copy = self._copy(name, token)
        if not write_atomically(copy, data, mode=0o644):
            return None
        index = json.dumps({"token": token, "size": len(data), "parts": parts},
                           separators=(",", ":")).encode()
        keep = copy.name if write_atomically(self._index(name), index) else ""
        with contextlib.suppress(OSError):
            for p in self.folder.glob(f"{_glob_escape(name)}.*.bin"):
                if p.name not in (keep, spare):
                    p.unlink()
        return Copy(copy, len(data)) if keep else None


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


class Assembly:
    """One download put together from fixed text and records' parts, each part taken from the
    kept copy when its key is there, else made (``make(*args)`` → its bytes, and whether they may
    be kept under the key: False when the part read something its key does not cover).

    What comes in the order of the kept copy (all of it but the records that changed, in a
    rebuild) is taken as one slice of it: text that is the kept copy's next bytes extends the
    slice, as does a part that starts where it ends. A slice is read a chunk at a time into the
    new download when something else comes after it."""

    def __init__(self, kept: Kept | None):
        self.kept = kept
        self.out = io.BytesIO()
        self.parts: list[str | int] = []  # key, start, end, key, …
        self.size = 0
        self.made = 0  # parts made, not taken from the kept copy
        self._start = self._end = 0  # the slice of the kept copy being taken (empty: none)

    def _flush(self) -> None:
        if self.kept is not None:
            for at in range(self._start, self._end, CHUNK):
                self.out.write(self.kept.read(at, min(CHUNK, self._end - at)))
        self._start = self._end = -1

    def text(self, b: bytes) -> None:
        kept = self.kept
        if kept is not None and 0 <= self._end <= kept.size - len(b) and \
                kept.read(self._end, len(b)) == b:
            self._end += len(b)
        else:
            self._flush()
            self.out.write(b)
        self.size += len(b)

    def part(self, key: str | None, make: Callable[..., tuple[bytes, bool]], *args: Any) -> None:
        begin = self.size
        start = self.kept.starts.get(key) if self.kept is not None and key is not None else None
        if start is not None:
            if start != self._end:
                self._flush()
                self._start = self._end = start
            self._end = self.kept.ends[key]  # type: ignore[index, union-attr]
            self.size += self._end - start
        else:
            piece, ok = make(*args)
            self.made += 1
            key = key if ok else None
            self._flush()
            self.out.write(piece)
            self.size += len(piece)
        if key is not None:
            self.parts.append(key)
            self.parts.append(begin)
            self.parts.append(self.size)

    def finish(self, cache: DownloadCache, name: str) -> bytes | Copy:
        """The download, kept in ``cache`` unless it is the kept copy already: that copy (or the
        new one) when a file of the cache holds it, its bytes when none does. A copy that cannot
        be read to the end (OSError) is the caller's to make whole."""
        kept = self.kept
        try:
            if kept is not None and self.made == 0 and self.out.tell() == 0 and \
                    self._start == 0 and self._end == kept.size and \
                    len(self.parts) == 3 * len(kept.starts):
                # all of it, in its order: nothing to write, nothing to read
                if os.fstat(kept.file.fileno()).st_mode & 0o044 == 0o044:  # (readable by all)
                    return Copy(Path(kept.file.name), kept.size)
                return kept.read(0, kept.size)
            self._flush()
        finally:
            self.kept = None
            if kept is not None:
                kept.close()
        data = self.out.getvalue()
        self.out = io.BytesIO()
        copy = cache.store(name, data, self.parts,
                           spare=Path(kept.file.name).name if kept is not None else "")
        return data if copy is None else copy
