"""The shared types of the core: a generated page or file, a page's metadata, the state of the page
being rendered, and the error a template or article raises for a reference the data cannot satisfy.

Imports nothing of the package, so that every other module can use these.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


# A generated file's bytes from this size on are kept compressed (see Page).
PACK_MIN = 2048


class Page:
    """A generated file: a Markdown page or an asset such as a chart download (``text`` decodes).
    Immutable, compared by its path, content and origin.

    Memory: the render makes every page before the build converts any, while it holds the
    dataset, so all the pages' text is in memory at once at the build's peak (at 5,000
    companies, 100 MB of Markdown). A page's bytes of at least ``PACK_MIN`` are kept compressed
    (zlib's fastest level: a fifth of the size, about 0.1 ms a profile) and ``content``
    decompresses them on each read; only the reader holds them whole, for as long as it needs."""

    __slots__ = ("path", "origin", "_data", "_packed", "fingerprint")

    path: str  # docs-relative POSIX path, e.g. "companies/anthropic.md" or "charts/x.svg"
    origin: str  # project-relative file a contributor edits for this page
    # what the page cache keys a Markdown page by (generator.engine.fingerprint: a hash of its
    # text and the charts it places), when known without reading the text again; else None
    fingerprint: Any

    def __init__(self, path: str, content: str | bytes, origin: str,
                 fingerprint: Any = None) -> None:
        # Markdown pages are given as UTF-8 (a page with one "–" in it would take two bytes
        # a character as a str: at 5,000 companies, 200 MB of Markdown instead of 100 MB)
        packed = isinstance(content, bytes) and len(content) >= PACK_MIN
        self._fill(path, zlib.compress(content, 1) if packed else content, packed, origin,
                   fingerprint)

    def _fill(self, path: str, data: str | bytes, packed: bool, origin: str,
              fingerprint: Any) -> None:
        for name, value in (("path", path), ("origin", origin), ("_data", data),
                            ("_packed", packed), ("fingerprint", fingerprint)):
            object.__setattr__(self, name, value)

    @classmethod
    def _unpickle(cls, path: str, data: str | bytes, packed: bool, origin: str,
                  fingerprint: Any = None) -> "Page":
        page = cls.__new__(cls)
        page._fill(path, data, packed, origin, fingerprint)
        return page

    @classmethod
    def held(cls, data: bytes, packed: bool, fingerprint: Any) -> "Page":
        """A page (of no path yet, see :meth:`moved`) from what :meth:`stored` gave: its bytes
        as they were held, whether they are compressed, and its fingerprint."""
        return cls._unpickle("", data, packed, "", fingerprint)

    def stored(self) -> tuple[bytes, bool]:
        """The content as it is held (compressed from ``PACK_MIN`` up; UTF-8), and whether it
        is compressed: what :meth:`held` takes back."""
        data = self._data
        return (data if isinstance(data, bytes) else data.encode("utf-8")), self._packed

    def __reduce__(self) -> tuple:
        # sent between processes (render.in_two_processes) as it is held: compressed
        return (Page._unpickle, (self.path, self._data, self._packed, self.origin,
                                 self.fingerprint))

    def moved(self, path: str, origin: str) -> "Page":
        """The same content at another path, from another origin, as it is held (a page kept
        in memory between serve's rebuilds is not compressed again)."""
        return Page._unpickle(path, self._data, self._packed, origin, self.fingerprint)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    __delattr__ = __setattr__  # type: ignore[assignment]

    @property
    def content(self) -> str | bytes:
        return zlib.decompress(self._data) if self._packed else self._data  # type: ignore

    @property
    def packed(self) -> bool:
        """Whether the content is kept compressed (see the class)."""
        return self._packed

    @property
    def text(self) -> str:
        content = self.content
        return content.decode("utf-8") if isinstance(content, bytes) else content

    def _fields(self) -> tuple:
        # zlib at one level gives one output for one input: the compressed bytes stand for them
        return (self.path, self._packed, self._data, self.origin)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"Page(path={self.path!r}, content={self.content!r}, origin={self.origin!r})"


class FilePage:
    """A generated file whose content is a file on disk (a chart download in the render cache),
    so that the build does not hold thousands of them in memory. ``ready`` is called before the
    file is read (it waits for the chart to be rendered); MkDocs copies the file itself."""

    __slots__ = ("path", "source", "origin", "ready")

    def __init__(self, path: str, source: Path, origin: str, ready: Any = None):
        self.path, self.source, self.origin, self.ready = path, source, origin, ready

    @property
    def content(self) -> bytes:
        if self.ready is not None:
            self.ready()
        return self.source.read_bytes()

    def __repr__(self) -> str:
        return f"FilePage({self.path!r}, {str(self.source)!r}, {self.origin!r})"


class RenderError(Exception):
    """A reference an article or template made that the data cannot satisfy."""


@dataclass
class PageState:
    """The page being rendered: its path, its sources numbered in order of first citation, the
    glossary terms already linked on it, the charts placed on it, the dates of the events whose
    figures it states (its "data as of" is the latest) and the records it read."""

    path: str
    sources: list[str] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)  # glossary terms already linked on this page
    charts: dict[str, int] = field(default_factory=dict)  # chart id → times placed on this page
    event_dates: list = field(default_factory=list)  # dates of the events its figures come from
    # the records its template code looked up through the Api ("companies:<id>", "sources:<id>",
    # "companies:*" when it went over all of them, "articles": the articles list), for the key
    # of a kept hand-written page (render/reuse.HandCache)
    reads: set[str] = field(default_factory=set)
    # citations of computed figures, placed at the end of their sentence (markup.settle_citations)
    deferred: list[tuple[list[int], str, bool]] = field(default_factory=list)
    _numbers: dict[str, int] = field(default_factory=dict, repr=False)  # source id → number

    def number(self, source_id: str) -> int:
        n = self._numbers.get(source_id)
        if n is None:  # a dict, not list.index: pages that cite thousands of sources stay linear
            self.sources.append(source_id)
            n = self._numbers[source_id] = len(self.sources)
        return n


@dataclass(frozen=True)
class PageMeta:
    """What the core knows about a page beside its text; the engine (generator.engine) writes it
    in the form its theme reads (front matter)."""

    title: str
    description: str
    kind: str  # the name of its page kind (generator.render.pages)
    edit_path: str  # the project file a contributor edits for this page
    published: str | None = None  # ISO dates, articles
    author: str | None = None  # who wrote it, articles
    updated: str | None = None
    reading_minutes: int | None = None
    data_as_of: str | None = None  # the latest event the page's figures come from, for readers
    last_checked: str | None = None  # when the record behind the page was last checked
    og_type: str = "website"  # what the page is to link previews (OpenGraph): website, article
    search_boost: float | None = None  # how much search favours the page (None: as any page)
    show_toc: bool = True  # the table of contents beside the page
    jsonld: str | None = None  # structured data (JSON-LD) about the page, JSON for HTML
    # the picture link previews show (generator.share): its site path, alt text and size
    share_image: str | None = None
    share_alt: str | None = None
    share_size: tuple[int, int] | None = None
