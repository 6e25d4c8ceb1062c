"""The built pages' cache: each page as the last build published it, so that a build converts and
renders only the pages whose inputs changed (the plugin decides, generator.plugin).

A page's key is a hash of everything that shapes its finished HTML: its Markdown as the core
rendered it (which holds all it read of the data, the templates and the articles), the file of
each chart it places (named in the chart cache by what the chart was rendered from), and the
site's part (generator.plugin's ``_site_key``): the engine and the versions of Markdown, its
extensions and the theme, the generator's code (the finishing pass among it), mkdocs.yml as
loaded (extensions and their settings, navigation, theme options, the address), the theme's
override templates, the list of files (a link is checked against it) and the build's date. A
page whose key is the one its last build recorded is not converted or rendered again: its
finished HTML is hard-linked from the cache into the new site, and what the rest of the build
needs of it (its title, its anchors and the anchors it links to, for MkDocs's link check; its
entries of the search index) comes from its record. Its search entries are a file of their own,
which the record names: the build that reuses the page reads them only while it writes the search
index, one page after another, so that they are never all in memory (at 5,000 companies they are
40 MB, and the record of every page is read before any page is built).

Where it lives: ``pages/`` of the project's cache folder (generator.cachedir), outside the
project's tree, private to the user, never read from anywhere a pull request can write::

    pages/blobs/<32 hex>.html      finished pages by the hash of their bytes (read-only files)
    pages/blobs/<32 hex>.json      a page's search index entries, by the hash of their text
    pages/<engine>-<build|serve>.json   the last successful build's record of every page

Everything is best effort: a record or a file that cannot be read is a page built again, never a
failed build; ``--clean`` reads nothing (and records afresh). The record is written only when the
build succeeded (:meth:`PageCache.commit`), so a page that warned is converted again next time
and warns again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .cachedir import write_atomically
from .collector import paused
from .sitedir import link_file

# Changed whenever what a record holds, or how a key is made, changes.
CACHE_VERSION = "3"


def digest(*parts: str | bytes) -> str:
    """32 hex digits of a hash of ``parts`` (each delimited, so parts never run together)."""
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        b = p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def folder_digest(folder: Path | None) -> str:
    """A hash of every file under ``folder`` (its path and bytes); '' when there is none."""
    if folder is None or not folder.is_dir():
        return ""
    parts: list[str | bytes] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            try:
                parts += [p.relative_to(folder).as_posix(), p.read_bytes()]
            except OSError:
                parts += [p.relative_to(folder).as_posix(), "(unreadable)"]
    return digest(*parts)


@dataclass
class Record:
    """One page as a build published it: its key, the hash of its finished HTML (the blob), the
    title its conversion found, the anchors it has and the anchors it links to (by target page),
    and the hash naming the file of its search index entries ('' when it has none; see
    :meth:`PageCache.store_search`)."""

    key: str
    blob: str
    title: str | None
    anchors: list[str] | None
    links: dict[str, dict[str, str]]
    search: str

    def to_json(self) -> list[Any]:
        return [self.key, self.blob, self.title, self.anchors, self.links, self.search]

    @classmethod
    def from_json(cls, v: Any) -> "Record | None":
        try:
            key, blob, title, anchors, links, search = v
        except (TypeError, ValueError):
            return None
        if not (isinstance(key, str) and _is_hash(blob) and (search == "" or _is_hash(search))
                and (title is None or isinstance(title, str)) and isinstance(links, dict)
                and (anchors is None or isinstance(anchors, list))):
            return None
        return cls(key, blob, title, anchors, links, search)


def _is_hash(v: Any) -> bool:
    # a file's name in blobs/: nothing else is ever joined to the folder's path
    return isinstance(v, str) and len(v) == 32 and all(c in "0123456789abcdef" for c in v)


class PageCache:
    """The pages of the last successful build of one kind (``name``: engine and build or serve)
    in ``folder``; ``clean``: nothing is read (every page is built), and the records are
    written afresh."""

    def __init__(self, folder: Path, name: str, *, clean: bool = False):
        self.folder = folder
        self.blobs = folder / "blobs"
        self.manifest = folder / f"{name}.json"
        self.clean = clean
        # how many files blobs/ held after the last prune (_prune): what its growth is told by
        self.left = 0
        self.records: dict[str, Record] = {} if clean else self._read()
        self.pending: dict[str, Record] | None = None

    def _read(self) -> dict[str, Record]:
        try:
            with open(self.manifest, encoding="utf-8") as f, paused():
                data = json.load(f)  # (2 MB at 1,000 companies: no collection meanwhile)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or \
                not isinstance(data.get("pages"), dict):
            return {}
        left = data.get("left", 0)
        self.left = left if type(left) is int and left >= 0 else 0
        out = {}
        for uri, v in data["pages"].items():
            rec = Record.from_json(v)
            if rec is not None:
                out[uri] = rec
        return out

    def get(self, uri: str, key: str) -> Record | None:
        """The record of page ``uri`` if the last build made it from the same inputs."""
        rec = self.records.get(uri)
        if rec is None or rec.key != key:
            return None
        if rec.search and not self.search_path(rec.search).is_file():
            return None  # its search entries are gone: the page is built again
        return rec

    def blob_path(self, blob: str) -> Path:
        return self.blobs / f"{blob}.html"

    def search_path(self, name: str) -> Path:
        return self.blobs / f"{name}.json"

    def store_search(self, fragment: str) -> tuple[str, bool]:
        """Keep a page's search entries (JSON, see :func:`entries_text`): the name to record
        ('' for none), and whether they are kept (False: the caller keeps them itself)."""
        if not fragment:
            return "", True
        data = fragment.encode("utf-8")
        name = digest(data)
        path = self.search_path(name)
        if self.clean or not path.is_file():
            return name, write_atomically(path, data, mode=0o444)
        return name, True

    def search_text(self, rec: Record) -> str:
        """The search entries of a page taken from the cache; OSError when they cannot be read
        (removed since :meth:`get` found them, by hand: the build stops, and the next one builds
        the page again)."""
        if not rec.search:
            return ""
        with open(self.search_path(rec.search), encoding="utf-8") as f:
            return f.read()

    def store(self, data: bytes) -> str:
        """Keep a finished page's bytes; their hash. A clean build writes every one again (a kept
        file is trusted by its name otherwise: --clean repairs a damaged cache)."""
        blob = digest(data)
        path = self.blob_path(blob)
        if self.clean or not path.is_file():
            # read-only: shared by hard links with the sites, never written to (not kept when
            # it cannot be written: the page is built again next time)
            write_atomically(path, data, mode=0o444)
        return blob

    def place(self, rec: Record, dest: str) -> bool:
        """Put the page of ``rec`` at ``dest`` (a hard link to the kept file, or a copy where
        linking is not possible); False when the kept file is gone."""
        try:  # (a file there, from serve's previous build or a kept site, is never written through)
            link_file(str(self.blob_path(rec.blob)), dest)
        except OSError:
            return False
        return True

    def stage(self, records: dict[str, Record]) -> None:
        """The records of a build that has not finished yet (see :meth:`commit`)."""
        self.pending = records

    def commit(self) -> None:
        """The build succeeded: its records become the cache's, and kept pages that no record
        of this kind or another names any more are let go."""
        if self.pending is None:
            return
        self.records, self.pending = self.pending, None
        self.clean = False  # serve: its later rebuilds read what this one recorded
        self._prune()
        data = {"version": CACHE_VERSION, "left": self.left,
                "pages": {uri: r.to_json() for uri, r in self.records.items()}}
        write_atomically(self.manifest, json.dumps(data, separators=(",", ":")).encode("utf-8"))

    def _prune(self) -> None:
        """Now and then, not after every build: the kept files no record of any kind names are
        removed once blobs/ holds more than twice what the last prune left (or than this kind's
        records name), plus 64. (It used to compare with this kind's records alone: with serve's
        records beside a build's, every build read serve's and listed the folder in vain.) A
        file removed before the new records are written is a page that its old record named: it
        is built again, as a damaged entry is."""
        try:
            names = os.listdir(self.blobs)
        except OSError:
            return
        if len(names) <= 2 * max(self.left, 2 * len(self.records)) + 64:
            return
        used = {f"{r.blob}.html" for r in self.records.values()} | \
            {f"{r.search}.json" for r in self.records.values() if r.search}
        for other in self.folder.glob("*.json"):
            if other != self.manifest:
                for r in PageCache(self.folder, other.stem).records.values():
                    used |= {f"{r.blob}.html", f"{r.search}.json"}
        left = 0
        for name in names:
            if name.endswith((".html", ".json")) and name not in used:
                with contextlib.suppress(OSError):
                    os.unlink(self.blobs / name)
                    continue
            left += 1
        self.left = left


def write_search_index(path: Path, config_part: dict[str, Any], fragments: Iterable[str]) -> None:
    """Write the search index file as Material writes it (``json.dumps`` of ``{"config",
    "docs"}``, compact), from its settings and every page's entries, already JSON, in page order;
    each page's entries are written as they come (they may be read from the cache one by one)."""
    head = json.dumps({"config": config_part}, separators=(",", ":"), default=str)[:-1]
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + ',"docs":[')
        first = True
        for fragment in fragments:
            if fragment:
                f.write(fragment if first else "," + fragment)
                first = False
        f.write("]}")


def entries_text(entries: list[dict[str, Any]]) -> str:
    """A page's search entries as JSON, as they appear in the index file."""
    return ",".join(json.dumps(e, separators=(",", ":"), default=str) for e in entries)
