"""Rendered pages kept between builds: a build renders again only the pages whose inputs
changed since a build rendered them. Kept are the company profiles (most of a build's pages),
the pages of a kind that says what its pages read (``PageKind.reads``: the pages of the sources
list and of the companies index) and the pages of site_src, articles and hand-written pages, by their text and the records their
template code read (:class:`HandCache`); the other kinds, a few pages that list everything and
change with almost any edit, are always rendered.

What every kept page reads, in its key: the render's code and templates, the settings that shape
pages, and every data file that is not a company or a source (glossary, tables, …: any page can
link them) — :meth:`KeptPages.site_key`; its path; and, recorded while it was rendered, each
source it cites (its file, and the page of the sources list that holds it) and each chart it
places, by what its figure is made from (generator.charts.Charts.figure_key: the chart's key,
i.e. its code and the files it reads, and what the build sets on it from the sources), not by
the figure itself, which would be made again for every page of every build to be compared.

What a profile reads besides (:class:`ProfileCache`): its company's file, and the file of every
company its file names or that names it (relations, investors, what it invested, parents: a
profile shows what those say of it, and their names); a file is named by its id as a word of the
other's text, so the set is a superset of what the profile reads, and a company that appears or
disappears changes it. What a page of another kept kind reads besides (:class:`ListCache`): what
its kind says (for a page of the sources list, its place in the list, each record it shows,
their file's digest and what cites them, and the site's "data as of"; for a page of the
companies index, its place in the list, the file of each company it lists and of the company
that one belongs to, and the "data as of"), and the functions its template may call besides
(``PageKind.uses``) are those whose reads that covers.

A template that uses any other function or value it is given (any global of its environment not
in :data:`PROFILE_NAMES` or :data:`LIST_NAMES`, such as ``ds``, checked in its source) is never
kept (:func:`kept_pages`). Entries live in ``render/`` of the project's cache folder
(generator.cachedir, outside the project's tree): a line of JSON (what the page read, and its
Markdown's fingerprint for the page cache, generator.engine.fingerprint), then the page's bytes as
the render holds them (compressed), so that keeping a page costs no compressing and no hashing;
best effort: an entry that cannot be read, or whose bytes are not those it was written with, is a
page rendered again. A page whose rendering reported anything is not kept.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import engine
from ..cachedir import write_atomically
from ..pagecache import digest, folder_digest
from ..types import Page

# a kept page: its Page, the sources it cites, the charts it places, the records it read
# (PageState.reads), what all those were when it was kept (KeptPages._reads), and what its
# caller kept with it
Entry = tuple[Page, list[str], list[str], list[str], list[str], dict]

# What the profile template may use for its profiles to be cached: its company, and the
# functions whose reads the key covers (they read the company and the companies it names or that
# name it), the charts, the sources it cites, and what reads no data.
PROFILE_NAMES = frozenset({
    "c", "m", "rel", "relations", "investors_text", "investors_in", "investments_by", "parent_of",
    "valuation_marks", "latest_mark", "event_cell", "event_title", "basis_label", "chart_gap",
    "cite_marks", "status_badge", "chart", "link", "cite", "term", "every_mark_limit",
    "pager_nav", "pager_steps", "range", "loop", "true", "false", "none", "True", "False",
    "None", "dict", "lipsum", "cycler", "joiner", "namespace"})


# What a kept list kind's template may use besides its page's context: functions that read
# nothing but their arguments and the page being rendered, and Jinja's own names.
LIST_NAMES = frozenset({
    "m", "rel", "link", "page_link", "source_entry", "status_badge", "pager_nav", "pager_steps",
    "range", "loop", "true", "false", "none", "True", "False", "None", "dict", "lipsum",
    "cycler", "joiner", "namespace"})


class KeptPages:
    """The kept pages of one kind in one build: :meth:`get` a page's Markdown when nothing it
    read changed, :meth:`put` one rendered now, both by the page's key (:meth:`key`, None: the
    page is not kept). ``site``: the key of what every page reads."""

    def __init__(self, folder: Path, ds: Any, site: str, figure_key: Any,
                 source_page: dict[str, str], memory: "KeptMemory | None" = None):
        self.folder = folder
        self.memory = memory
        self.ds = ds
        self.site = site
        # chart id → what the figure placed on a page is made from ('' when there is none)
        self.figure_key = figure_key
        self.source_page = source_page
        self.hits = 0

    @staticmethod
    def site_key(ds: Any, settings: Any, template_text: str) -> str:
        from ..recordcache import code_version

        others = sorted((rel, d) for rel, d in ds.digests.items()
                        if not rel.startswith(("data/companies/", "data/sources/")))
        return digest(code_version(), template_text,
                      folder_digest(settings.root / settings.templates),
                      repr((settings.site_src, settings.templates, settings.site_url,
                            settings.edit_url_base, settings.check, settings.lists)),
                      json.dumps(others))

    def key(self, spec: Any) -> str | None:
        raise NotImplementedError

    def _reads(self, sources: list[str], charts: list[str], data: list[str]) -> list[str]:
        out = []
        for sid in sources:
            rel = self.ds.origins.get(("sources", sid))
            out.append(f"{sid}:{self.ds.digests.get(rel) if rel else ''}:"
                       f"{self.source_page.get(sid, '')}")
        for chart_id in charts:
            out.append(f"{chart_id}:{self.figure_key(chart_id)}")
        out += (f"{read}={self._read_digest(read)}" for read in data)
        return out

    def _read_digest(self, read: str) -> str:
        """What a record the page read is now (PageState.reads; see :class:`HandCache`)."""
        raise NotImplementedError

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.page"

    def get(self, key: str) -> tuple[Page, list[str], dict] | None:
        """The page's Markdown (as a Page, to be moved to its path), the sources it cites and
        what was kept with it (``extra``), when nothing it reads changed."""
        held = self.memory.get(key) if self.memory is not None else None
        entry = held if held is not None else self._read(key)
        if entry is None:
            return None
        page, sources, charts, data, reads, extra = entry
        if self._reads(sources, charts, data) != reads:
            return None
        if held is None and self.memory is not None:
            self.memory.keep(key, entry)
        self.hits += 1
        return page, list(sources), dict(extra)

    def _read(self, key: str) -> Entry | None:
        # an entry: a line of JSON, then the page's bytes as the render held them (compressed
        # from PACK_MIN up: nothing is compressed, decompressed or hashed again to keep it)
        try:
            with open(self._file(key), "rb") as f:
                head, _, data = f.read().partition(b"\n")
            entry = json.loads(head)
            sources, charts, reads = entry["sources"], entry["charts"], entry["reads"]
            read, extra = entry["data"], entry["extra"]
            (text_digest, placed), packed, check = entry["markdown"], entry["packed"], entry["check"]
            fingerprint = (text_digest, tuple(placed))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if check != digest(data) or not isinstance(packed, bool) or \
                not isinstance(text_digest, str) or not _strings(placed) or \
                not isinstance(extra, dict) or \
                not (_strings(sources) and _strings(charts) and _strings(read)):
            return None  # damaged
        return Page.held(data, packed, fingerprint), sources, charts, read, reads, extra

    def put(self, key: str, page: Page, sources: list[str], charts: list[str],
            data: list[str] | None = None, extra: dict | None = None) -> None:
        """Keep ``page`` under ``key``, with the sources it cites, the charts it places, the
        records it read (``data``: PageState.reads, for a kind whose key does not cover them)
        and ``extra`` (JSON: what the caller needs of it besides its bytes)."""
        data, extra = sorted(data or ()), dict(extra or {})
        reads = self._reads(sources, charts, data)
        if self.memory is not None:
            self.memory.keep(key, (page, list(sources), list(charts), data, reads, extra))
        stored, packed = page.stored()
        text_digest, placed = page.fingerprint or engine.fingerprint(page.text)
        head = {"sources": sources, "charts": charts, "data": data, "reads": reads,
                "extra": extra, "packed": packed, "markdown": [text_digest, list(placed)],
                "check": digest(stored)}
        write_atomically(self._file(key), json.dumps(head).encode("utf-8") + b"\n" + stored)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


class KeptMemory:
    """serve: the kept pages' entries, held in its process from one rebuild to the next, as the
    render made them (compressed), so that a rebuild reads no entry's file and compresses no
    kept page again; :meth:`forget_unused` lets go of those the last render did not use."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.used: set[str] = set()

    def get(self, key: str) -> Entry | None:
        """The entry held under ``key``, used by this render (None: none is held)."""
        entry = self.entries.get(key)
        if entry is not None:
            self.used.add(key)
        return entry

    def keep(self, key: str, entry: Entry) -> None:
        self.entries[key] = entry
        self.used.add(key)

    def forget_unused(self) -> None:
        for key in set(self.entries) - self.used:
            del self.entries[key]
        self.used = set()


class ProfileCache(KeptPages):
    """The company profiles: a profile's key names its company's file and those of the companies
    it names or that name it."""

    def __init__(self, folder: Path, ds: Any, site: str, figure_key: Any,
                 source_page: dict[str, str], memory: "KeptMemory | None" = None):
        super().__init__(folder, ds, site, figure_key, source_page, memory)
        ids = set(ds.companies)
        self.names = {cid: words & ids for cid, words in ds.words.items()}
        self.named_by: dict[str, set[str]] = {}
        for cid, named in self.names.items():
            for other in named:
                self.named_by.setdefault(other, set()).add(cid)

    def key(self, spec: Any) -> str | None:
        ds, cid = self.ds, spec.context["c"].id
        related = sorted(self.names.get(cid, set()) | self.named_by.get(cid, set()) | {cid})
        files = []
        for other in related:
            d = ds.file_digest("companies", other)
            if d is None:
                return None
            files.append(f"{other}:{d}")
        return digest(self.site, spec.path, *files)


class ListCache(KeptPages):
    """The pages of a kind that says what its pages read (``reads(spec)``: PageKind.reads, given
    the render's Site)."""

    def __init__(self, folder: Path, ds: Any, site: str, figure_key: Any,
                 source_page: dict[str, str], reads: Any, memory: "KeptMemory | None" = None):
        super().__init__(folder, ds, site, figure_key, source_page, memory)
        self.reads = reads

    def key(self, spec: Any) -> str | None:
        return digest(self.site, "list", spec.path, *self.reads(spec))


class HandCache(KeptPages):
    """The pages of site_src (articles and hand-written pages): a page's key is its front matter
    and body, and the budgets its template code runs under; what that code read through the Api
    (render.api.Noted: each company and source it looked up, found or not, every company when it
    went over them all, the articles list) is noted while it renders and kept with it, and the
    page is taken again only when none of that changed, nor its sources and charts. ``articles``:
    the articles of this render so far (the Api's list: they come before the pages that list
    them)."""

    def __init__(self, folder: Path, ds: Any, site: str, figure_key: Any,
                 source_page: dict[str, str], articles: list[dict],
                 memory: "KeptMemory | None" = None):
        super().__init__(folder, ds, site, figure_key, source_page, memory)
        self.articles = articles
        self._folders: dict[str, str] = {}  # "companies:*" → a digest of all their files

    def key_of(self, rel_doc: str, front_matter: str, body: str, limits: Any) -> str:
        return digest(self.site, "site_src", rel_doc, front_matter, body, repr(limits))

    def _read_digest(self, read: str) -> str:
        folder, _, rid = read.partition(":")
        if read == "articles":
            return digest(json.dumps([[a["path"], a["meta"].model_dump_json(), a["minutes"]]
                                      for a in self.articles]))
        if rid == "*":
            if read not in self._folders:
                prefix = f"data/{folder}/"
                self._folders[read] = digest(json.dumps(sorted(
                    (rel, d) for rel, d in self.ds.digests.items() if rel.startswith(prefix))))
            return self._folders[read]
        if (folder, rid) not in self.ds.origins:
            return "-"  # no such record
        found = self.ds.file_digest(folder, rid)
        return found if found is not None else f"unknown {os.urandom(8).hex()}"  # (never equal)


def hand_pages(settings: Any, ds: Any, figure_key: Any, source_page: dict[str, str],
               articles: list[dict], memory: KeptMemory | None = None) -> HandCache | None:
    """The kept pages of site_src in a render (None: a clean build, which keeps none)."""
    from ..cachedir import project_cache

    if settings.clean:
        return None
    return HandCache(project_cache(settings.root) / "render", ds,
                     KeptPages.site_key(ds, settings, ""), figure_key, source_page, articles,
                     memory)


def kept_pages(kind: Any, site: Any, env: Any, figure_key: Any,
               source_page: dict[str, str], memory: KeptMemory | None = None
               ) -> KeptPages | None:
    """The kept pages of ``kind`` in the render of ``site`` (render.pages.Site): the profiles,
    or a kind that says what its pages read, when its template uses only what their keys cover;
    else None (always rendered)."""
    from ..cachedir import project_cache

    settings = site.settings
    profiles = kind.name == "company"
    if settings.clean or kind.template is None or not (profiles or kind.reads is not None):
        return None
    folder = project_cache(settings.root) / "render"
    try:
        source, names = template_names(env, kind.template, memo=folder)
    except Exception:  # noqa: BLE001 - its own problem is reported when it is rendered
        return None
    # a name the template sets itself, or its page's context, is not among the globals
    allowed = PROFILE_NAMES if profiles else LIST_NAMES | kind.uses
    if names is None or {n for n in names if n in env.globals and n not in allowed}:
        return None
    args = (folder, site.ds, KeptPages.site_key(site.ds, settings, source), figure_key,
            source_page)
    if profiles:
        return ProfileCache(*args, memory)
    return ListCache(*args, lambda spec: kind.reads(site, spec), memory)


def template_names(env: Any, name: str, memo: Path | None = None
                   ) -> tuple[str, set[str] | None]:
    """The source of template ``name`` and the names it uses (None: it includes, imports or
    extends another template, whose names are not looked at). Looked at in an environment of
    its own: Jinja does not count a name it finds among ``env``'s globals. ``memo``: a folder
    where the answer is kept, by the template's name and source and the code that reads it
    (the generator's and Jinja's, recordcache.code_version), so that a build does not parse
    the profile template again to learn what it already knew (50 ms)."""
    from jinja2 import meta

    from ..recordcache import code_version
    from .sandbox import make_env

    source, _, _ = env.loader.get_source(env, name)
    file = memo / f"names-{digest(code_version(), name, source)}.json" if memo else None
    if file is not None:
        try:
            got = json.loads(file.read_bytes())["names"]
            if got is None or (isinstance(got, list) and all(isinstance(n, str) for n in got)):
                return source, None if got is None else set(got)
        except (OSError, ValueError, KeyError, TypeError):
            pass
    bare = make_env(env.loader)
    ast = bare.parse(source)
    names = None if list(meta.find_referenced_templates(ast)) else \
        set(meta.find_undeclared_variables(ast))
    if file is not None:
        write_atomically(file, json.dumps({"names": None if names is None else sorted(names)})
                         .encode("utf-8"))
    return source, names
