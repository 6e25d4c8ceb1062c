"""The plugin the engine runs, written once for every engine (it imports none): it hands the engine
the pages the core rendered and finishes each page as the engine writes it.

``on_files`` takes the pages :func:`generator.engine_run.build_site` checked and rendered (or,
when the engine runs the plugin itself, as ``mkdocs serve`` or ``mkdocs build`` would, loads and
renders them) and hands them over as in-memory files (nothing is written into ``site_src/``).
Any problem stops the build with the located report. Each page, as it is written, goes through
the finishing pass (generator.finish: sanitised content, Material's table wrappers, a safe table
of contents, the charts' SVGs, the CSP and the finishing mark), and so does Material's 404 page.
What one command shares with the plugin instances the engine makes for it (one per build, and
serve rebuilds) is a :class:`Session`. Each engine's adapter (generator.mkdocs_glue,
generator.properdocs_glue) makes the plugin class from :class:`PluginEvents` and its engine's
``BasePlugin``, and the configuration class with :func:`config_class`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import engine, finish, site_paths
from .collector import settle
from .load import load
from .problems import Problems
from .render import Rendered, render
from .settings import Settings
from .sitedir import link_file, prune_site
from .types import FilePage, Page

# Generated files larger than this are written to a temporary folder for MkDocs to copy.
SPILL_BYTES = 1 << 20
# the files holding the charts' SVGs as placed in pages (see on_post_page)
_CHART_FILE = re.compile(r"charts/([a-z0-9][a-z0-9-]*)\.inline\.svg")
# the engine's configuration that does not shape a page (where it is written, what serve watches)
_NOT_IN_PAGES = frozenset({"site_dir", "dev_addr", "watch", "config_file_path", "plugins",
                           "theme"})


def config_class(config_base: type, options: Any) -> type:
    """The plugin's settings in mkdocs.yml, as the engine's ``Config`` subclass (``options``: its
    ``config.config_options`` module)."""
    c = options
    return type("LedgerConfig", (config_base,), {
        # project folder holding data/ and templates/, relative to mkdocs.yml
        "data_root": c.Type(str, default="."),
        "templates": c.Type(str, default="templates"),
        "edit_url_base": c.Optional(c.Type(str)),  # e.g. https://github.com/OWNER/REPO/edit/main/
        "strict_data": c.Type(bool, default=True),  # warnings in data fail the build
    })


@dataclass
class Session:
    """What one command shares with the plugin: MkDocs makes a new plugin for every build (serve
    for every rebuild), so what outlives one build lives here. ``settings``: the run's settings,
    which the plugin completes with mkdocs.yml's folders and address; ``prepared``: the pages
    build_site checked and rendered, for the plugin to take (once); ``store``: the chart caches
    (serve keeps one, with built charts in memory, across rebuilds); ``digests``: serve only, for
    each site folder, a digest of every generated file as the last successful build wrote it;
    ``failed``: the report of charts that could not be rendered, for build_site to print."""

    settings: Settings | None = None
    serving: bool = False
    prepared: Rendered | None = None
    store: Any = None
    digests: dict[str, dict[str, bytes]] = field(default_factory=dict)
    failed: str | None = None
    # build_site and serve: a page whose inputs did not change since the last successful build is
    # taken from the page cache (generator.pagecache), not converted again; ``clean``: the cache
    # is not read (every page is built, and recorded afresh)
    incremental: bool = False
    clean: bool = False
    page_cache: Any = None  # the command's PageCache (serve keeps it across rebuilds)
    records: Any = None  # serve: the checked records, kept in memory (generator.recordcache)
    kept: Any = None  # serve: the kept pages, held in memory (generator.render.reuse)
    derived: Any = None  # serve: values computed from its records (generator.derived)
    # build_site: the site folder is the previous site, kept (generator.sitedir.take_spare),
    # which the plugin prunes before anything is written into it
    site_reused: bool = False

    def commit(self) -> None:
        """The build succeeded: what it recorded of its pages becomes the page cache's."""
        if self.page_cache is not None:
            self.page_cache.commit()

    def settings_for(self, root: Path, **values: Any) -> Settings:
        if self.settings is None:
            return Settings.for_project(root, serve=self.serving, **values)
        return self.settings.but(root=root, **values)


def attach(config: Any, session: Session) -> "PluginEvents | None":
    """Give the plugin of a loaded configuration the command's session; the plugin (None when
    mkdocs.yml does not use it)."""
    for plugin in config.plugins.values():
        if isinstance(plugin, PluginEvents):
            plugin.session = session
            return plugin
    return None


def check_and_render(settings: Settings, problems: Problems, store: Any = None,
                     records: Any = None, kept: Any = None,
                     derived: Any = None) -> Rendered | None:
    """Load and render by ``settings``; None when the data has errors. Charts missing from the
    cache are rendered in the background while MkDocs works (see charts.pipeline);
    LedgerPlugin.on_env waits for them. ``records``: the record cache to use (serve keeps one in
    memory across rebuilds), else the project's; ``kept``: the kept pages held in memory
    (serve's, generator.render.reuse.KeptMemory); ``derived``: the values computed from records
    (serve's, generator.derived.Derived)."""
    from .recordcache import record_cache

    if records is None or settings.clean:
        records = record_cache(settings)
    ds = load(settings.root, problems, **settings.load_options(), cache=records)
    if records is not None:
        records.forget_unused()
    if problems.errors:
        return None
    settle(settings)  # the dataset lives until the build ends
    rendered = render(ds, settings, problems, store=store, kept=kept, derived=derived)
    settle(settings)  # and so do the pages
    return rendered


def _docs_rel(config, root: Path) -> str:
    # not resolved: a docs folder that is a link is reported by the check, never followed here
    return Path(os.path.relpath(config.docs_dir, root)).as_posix()


def _unmodified() -> bool:
    return False


def _modified() -> bool:  # ``f.is_modified`` for a file copied whatever its times
    return True


def _in_place(dirty: bool = False) -> None:
    """``f.copy_file`` for a file already in place (see PluginEvents._prune_site)."""


def _linker(f: Any) -> Any:
    """``f.copy_file`` for a build into a new folder: a hard link to the file, where the file
    system allows one, else the engine's copy."""
    copy = f.copy_file

    def copy_file(dirty: bool = False) -> None:
        try:
            link_file(f.abs_src_path, f.abs_dest_path)
        except OSError:
            copy(dirty)
    return copy_file


def _known_plugins(config: Any) -> tuple[bool, Any]:
    """Whether the plugins of ``config`` are only this one and Material's search, whose per-page
    work the page cache knows to redo, and whose files are written only after the navigation
    (see PluginEvents._prune_site); and the search plugin, if any."""
    search = None
    for plugin in config.plugins.values():
        if isinstance(plugin, PluginEvents):
            continue
        if type(plugin).__module__ == "material.plugins.search.plugin":
            search = plugin
            continue
        return False, None
    return True, search


def builds_in_kept_site(config: Any, session: Session) -> bool:
    """Whether a build with ``config`` may start from the previous site (generator.sitedir):
    an incremental build, not clean, run by this plugin and no plugin it does not know."""
    return session.incremental and not session.clean and _known_plugins(config)[0]


class PluginEvents:
    """The plugin's events. An adapter's plugin class is ``PluginEvents`` and its engine's
    ``BasePlugin``, with ``engine`` (generator.engines.Engine) set."""

    engine: Any = None
    config: Any

    def __init__(self) -> None:
        self.session = Session()  # build_site and serve give theirs (see attach)
        self.origins: dict[str, str] = {}
        self._spilled: str | None = None  # folder of the large generated files of this build
        self.charts: Any = None  # the charts of the pages being built
        self._held: dict[str, bytes] = {}  # page HTML between conversion and writing
        self._chart_svgs: dict[str, str] = {}
        self._digests: dict[str, bytes] | None = None
        self._cache_files: dict[str, str] = {}  # by path: the site's files that are a cache's
        self._cache: Any = None  # the page cache, when this build uses it (see on_nav)
        self._search: Any = None  # the search plugin whose index the cache completes
        self._order: list[str] = []  # every page, in the order the engine builds them
        self._keys: dict[str, str] = {}  # the pages built now: their keys
        self._reused: dict[str, Any] = {}  # the pages taken from the cache: their records
        self._records: dict[str, Any] = {}  # the pages built now: their new records
        # the pages built now that are not recorded, or whose entries the cache could not keep:
        # their search entries (a recorded page's are read back from the cache, see _complete)
        self._fragments: dict[str, str] = {}
        self._seen = 0  # search entries taken so far
        self._nav: Any = None
        # the pages' Markdown, compressed (generator.types.Page), while MkDocs's files stand in
        # for them empty: a build with the page cache (see on_files)
        self._sources: dict[str, Page] = {}
        # a build into a new folder: the files linked, not copied, into it, by destination
        self._linked: dict[str, Any] = {}

    def on_config(self, config):
        self.root = (Path(config.config_file_path).parent / self.config.data_root).resolve()
        engine.list_theme_without_hidden(config.theme)
        return config

    def _rendered(self, config) -> Rendered:
        rendered, self.session.prepared = self.session.prepared, None
        if rendered is not None:
            return rendered
        # serve, or mkdocs build run directly
        settings = self.session.settings_for(self.root, site_src=_docs_rel(config, self.root),
                                             templates=self.config.templates,
                                             site_url=config.site_url,
                                             edit_url_base=self.config.edit_url_base)
        problems = Problems()
        if self.session.serving and self.session.records is None and not self.session.clean:
            from .derived import Derived
            from .recordcache import record_cache
            from .render.reuse import KeptMemory

            self.session.records = record_cache(settings, in_memory=True)
            self.session.kept = KeptMemory()
            self.session.derived = Derived()
        rendered = check_and_render(settings, problems, self.session.store, self.session.records,
                                    self.session.kept, self.session.derived)
        if problems.failed(strict=self.config.strict_data):
            if rendered is not None:
                rendered.charts.abandon()
            raise self.engine.plugin_error("the data or articles have problems:\n" +
                                           problems.report())
        log = logging.getLogger(self.engine.logger("plugins.frontier_ledger"))
        for w in problems.warnings + problems.notices:
            log.info(w.format())
        assert rendered is not None
        return rendered

    def on_files(self, files, config):
        rendered = self._rendered(config)
        self.charts, pages = rendered.charts, rendered.pages
        del rendered
        self._refuse_unsafe_files(files, config)
        self.origins, self._linked, self._cache_files = {}, {}, {}
        self._discard_spilled()
        File = self.engine.file
        # Memory: a build with the page cache hands MkDocs its pages' files empty and keeps their
        # Markdown as the render made it, compressed; the page cache keys each page from it
        # (_reuse_pages), and a page that is built gets its text just before MkDocs reads it
        # (on_pre_page). So no page's text is whole in memory longer than it takes to key or
        # convert it (at 5,000 companies the pages' Markdown is 100 MB, 20 compressed). serve
        # does the same: a page it does not build again is never decompressed (see
        # _markdown_digest).
        lazy = self._cache_for(config)[0] is not None
        self._sources = {}
        by_uri = {f.src_uri: f for f in files}  # (the engine's lookup makes a path each time)
        for page in pages:
            existing = by_uri.pop(page.path, None)
            if existing is not None:
                files.remove(existing)
            if isinstance(page, FilePage):
                f = File.generated(config, page.path, abs_src_path=str(page.source))
                self._cache_files[page.path] = f.abs_src_path
                if self.session.incremental and not self.session.serving:
                    # a chart's files, from the chart cache: linked, not copied, into the new
                    # folder of a build (nothing writes into a built site's files)
                    f.copy_file = _linker(f)  # an instance attribute: this file only
                    self._linked[f.dest_uri] = f
                files.append(f)
            elif lazy and page.path.endswith(".md"):
                # empty, not None: MkDocs reads None as "not read yet"
                f = File.generated(config, page.path, content="")
                files.append(f)
                self._sources[page.path] = page
            else:
                content = page.content
                if isinstance(content, bytes) and len(content) > SPILL_BYTES:
                    # a large download (the dataset's JSON and CSVs: 50 MB at 5,000 companies)
                    # waits on disk, not in memory, until MkDocs copies it after the last page
                    # is written
                    f = File.generated(config, page.path,
                                       abs_src_path=self._spill(page.path, content))
                else:
                    f = File.generated(config, page.path, content=content)
                files.append(f)
                del content
            by_uri[page.path] = f
            self.origins[page.path] = page.origin
        # Markdown that the core did not render (not under site_src) is never published raw.
        for f in list(files.documentation_pages()):
            if f.src_uri not in self.origins:
                files.remove(f)
        # in the order of an exported docs folder, so that both builds list pages alike; the
        # theme's own files after them, as the engine had them
        docs = os.path.normpath(config.docs_dir)
        ours = [f for f in files if f.src_dir is None or os.path.normpath(f.src_dir) == docs]
        theme = [f for f in files if not (f.src_dir is None or os.path.normpath(f.src_dir) == docs)]
        return type(files)(sorted(ours, key=lambda f: engine.docs_order(f.src_uri)) + theme)

    def _refuse_unsafe_files(self, files, config) -> None:
        # MkDocs collects everything under docs_dir and follows links while doing so; a file that is
        # a link, lies under a linked folder, is not a regular file or resolves outside docs_dir is
        # never published (the check reports these first; this is the second line of defence).
        docs = Path(config.docs_dir)
        docs_rel = _docs_rel(config, self.root)
        refused = Problems()
        for f in list(files):
            if f.generated_by or f.src_dir is None or \
                    os.path.normpath(f.src_dir) != os.path.normpath(docs):
                continue  # the theme's own files, and pages generated here
            p, bad = docs, ""
            for part in Path(f.src_uri).parts:
                p = p / part
                if p.is_symlink():
                    bad = "is a symbolic link; links are never followed"
                    break
            else:
                if not p.is_file():
                    bad = "is not a regular file; commit a plain file here"
                elif docs.resolve() not in p.resolve().parents:
                    bad = "lies outside the folder of articles and pages"
            where = p.relative_to(docs).as_posix()
            if not bad:
                # what site_src/ may hold (pages, and assets of the listed types), as the check
                # has it: any other file would be published as it is
                if any(site_paths.ignored(part) for part in Path(f.src_uri).parts):
                    files.remove(f)  # hidden: never published (MkDocs excludes it too)
                    continue
                got = site_paths.path_problem(f.src_uri)
                if got is not None:
                    where, bad = got
                elif any(os.path.isfile(os.path.join(d, f.src_uri)) for d in config.theme.dirs):
                    bad = "has the path of one of the theme's own files, which it would replace"
            if bad:
                files.remove(f)
                refused.error(f"{docs_rel}/{where}", bad)
        if refused.items:
            raise self.engine.plugin_error("the data or articles have problems:\n" +
                                           refused.report())

    def _spill(self, name: str, content: bytes) -> str:
        if self._spilled is None:
            self._spilled = tempfile.mkdtemp(prefix="fl-files-")
        path = os.path.join(self._spilled, hashlib.sha256(name.encode()).hexdigest())
        with open(path, "wb") as f:
            f.write(content)
        return path

    def _discard_spilled(self) -> None:
        if self._spilled is not None:
            shutil.rmtree(self._spilled, ignore_errors=True)
            self._spilled = None

    def on_pre_build(self, config):
        self._held = {}

    def on_pre_page(self, page, config, files):
        # a page handed over compressed (see on_files): its text, as MkDocs reads it next
        source = self._sources.pop(page.file.src_uri, None)
        if source is not None:
            page.file.content_string = source.text
        return page

    def on_nav(self, nav, config, files):
        self._chart_svgs = {}
        for f in files:
            m = _CHART_FILE.fullmatch(f.src_uri)
            if m and f.generated_by is not None and f.abs_src_path:
                self._chart_svgs[m.group(1)] = f.abs_src_path
        self._reuse_pages(config, files, nav)
        # serve: a generated file whose content is what the last build wrote is not built again
        # (MkDocs's dirty build skips files that are not "modified"); see serve()
        if not self.session.serving:
            return nav
        state = self.session.digests.setdefault(os.path.abspath(config.site_dir), {})
        self._digests = {}
        for f in files:
            if f.generated_by is None:
                continue
            if f._content is None:
                # a cache's file the last build placed here is in place: not looked at again
                # (MkDocs compares times: 6,000 stats at 1,000 companies); another is copied
                # whatever the times say (an edit undone brings back an older chart file)
                source = self._cache_files.get(f.src_uri)
                if source is not None and source == f.abs_src_path:
                    mark = b"file:" + os.fsencode(source)
                    self._digests[f.src_uri] = mark
                    if state.get(f.src_uri) == mark:
                        f.copy_file = _in_place  # an instance attribute: this file only
                    else:
                        f.is_modified = _modified
                continue
            if f.src_uri in self._keys or f.src_uri in self._reused:
                continue  # a page: the page cache decides (see _reuse_pages)
            content = f._content if isinstance(f._content, bytes) else f._content.encode("utf-8")
            digest = hashlib.blake2b(content, digest_size=16).digest()
            self._digests[f.src_uri] = digest
            if state.get(f.src_uri) == digest and os.path.isfile(f.abs_dest_path):
                f.is_modified = _unmodified  # an instance attribute: this file only
        return nav

    # -----------------------------------------------------------------------------------------
    # The page cache (generator.pagecache): pages whose inputs did not change are not built

    def _cache_for(self, config) -> tuple[Any, Any]:
        """The page cache this build uses, and the search plugin whose index it completes; (None,
        None) when the build is not incremental: run by the engine itself (mkdocs build), or with
        a plugin whose per-page work the cache does not know to redo (only this plugin and
        Material's search are known)."""
        if not self.session.incremental:
            return None, None
        known, search = _known_plugins(config)
        if not known or search is not None and not isinstance(
                getattr(getattr(search, "search_index", None), "entries", None), list):
            return None, None
        if self.session.page_cache is None:
            from .cachedir import project_cache
            from .pagecache import PageCache

            kind = "serve" if self.session.serving else "build"
            self.session.page_cache = PageCache(project_cache(self.root) / "pages",
                                                f"{self.engine.name}-{kind}",
                                                clean=self.session.clean)
        return self.session.page_cache, search

    def _site_key(self, config, files) -> str:
        """What shapes every page alike (see generator.pagecache): the engine, Markdown, its
        extensions and the theme (their versions), the generator's code (this plugin and the
        finishing pass among it), the configuration as loaded, the theme's override templates,
        the list of files and the build's date."""
        from importlib import metadata

        from .pagecache import CACHE_VERSION, digest, folder_digest
        from .recordcache import code_version

        versions = []
        for dist in (self.engine.name, "mkdocs-material", "Markdown", "pymdown-extensions"):
            try:
                versions.append(f"{dist} {metadata.version(dist)}")
            except metadata.PackageNotFoundError:
                versions.append(f"{dist} -")
        conf = {k: v for k, v in config.items() if k not in _NOT_IN_PAGES}
        theme = {"name": config.theme.name, "options": dict(config.theme),
                 "dirs": list(config.theme.dirs)}
        plugins = [(name, dict(p.config)) for name, p in config.plugins.items()]
        custom = getattr(config.theme, "custom_dir", None)
        listing = "\n".join(f"{f.src_uri}\t{f.dest_uri}" for f in files)
        return digest(CACHE_VERSION, *versions,
                      code_version(),
                      json.dumps([conf, theme, plugins], sort_keys=True, default=repr),
                      folder_digest(Path(custom)) if custom else "", listing,
                      os.environ.get("SOURCE_DATE_EPOCH", ""))

    def _reuse_pages(self, config, files, nav) -> None:
        """Before any page is converted: each page whose key the last build recorded is put
        into the site from the cache and marked not modified (the engine's dirty build skips it);
        the others are built, and recorded as they are written (on_post_page)."""
        from .pagecache import digest

        self._cache, self._search = self._cache_for(config)
        self._order, self._keys, self._reused, self._records = [], {}, {}, {}
        self._fragments, self._seen, self._nav = {}, 0, nav
        if self._cache is None:
            if self.session.site_reused:
                self._prune_site(config, [])
            return
        site = self._site_key(config, files)
        in_nav = {p.file.src_uri for p in nav.pages}
        found = []
        for f in files.documentation_pages():
            self._order.append(f.src_uri)
            if f.generated_by is None or f._content is None:
                continue  # not ours to record
            source = self._sources.get(f.src_uri)
            text_digest, charts = self._markdown_digest(f, source)
            # a chart's file is named by what it was rendered from, in the chart cache in use
            key = digest(site, f.src_uri, text_digest,
                         *(self._chart_svgs.get(c, "") for c in charts))
            rec = self._cache.get(f.src_uri, key)
            if rec is None:
                self._keys[f.src_uri] = key
            else:
                found.append((f, key, rec))
        placed = self._prune_site(config, found) if self.session.site_reused else set()
        for f, key, rec in found:
            if f.dest_uri in placed or self._cache.place(rec, f.abs_dest_path):
                f.is_modified = _unmodified  # an instance attribute: this file only
                self._reused[f.src_uri] = rec
                if f.src_uri not in in_nav and not self.session.serving:
                    # memory: nothing reads it any more (a navigation page's metadata is read
                    # again, see _restore_reused); at 5,000 companies the pages' Markdown is
                    # 100 MB. Empty, not None: MkDocs reads None as "not read yet".
                    f.content_string = ""
                    self._sources.pop(f.src_uri, None)
            else:
                self._keys[f.src_uri] = key

    def _prune_site(self, config, found: list) -> set[str]:
        """A build into the previous site, kept (generator.sitedir), before anything is written
        into it: every file of it goes but those that already are the file this build links
        there (a kept page, a chart's file), which are left in place; their paths."""
        keep = {}
        for dest, src in [*((f.dest_uri, str(self._cache.blob_path(rec.blob)))
                            for f, _, rec in found),
                          *((dest, f.abs_src_path) for dest, f in self._linked.items())]:
            try:
                st = os.stat(src)
            except OSError:
                continue
            keep[dest] = (st.st_dev, st.st_ino)
        placed = prune_site(config.site_dir, keep)
        for dest in placed.intersection(self._linked):
            self._linked[dest].copy_file = _in_place  # an instance attribute: this file only
        return placed

    def _markdown_digest(self, f: Any, source: Page | None) -> tuple[str, tuple[str, ...]]:
        """A page's Markdown, as its key in the page cache has it (generator.engine.fingerprint:
        a digest of the text and the charts it places): known already for the pages the render
        made or kept (a kept page's is kept with it), so that only the others are decompressed
        and hashed here."""
        if source is not None and source.fingerprint is not None:
            return source.fingerprint
        return engine.fingerprint(source.text if source is not None else f.content_string)

    def _restore_reused(self, config, files) -> None:
        """What the rest of the build reads of the pages it did not build: their anchors and the
        anchors they link to (MkDocs checks every page's links to anchors after writing) and,
        for the pages in the navigation (which every page shows), their title and metadata."""
        if not self._reused:
            return
        by_uri = {f.src_uri: f for f in files}  # (the engine's lookup makes a path each time)
        for uri, rec in self._reused.items():
            f = by_uri.get(uri)
            page = f.page if f is not None else None
            if page is None:
                continue
            page.present_anchor_ids = set(rec.anchors) if rec.anchors is not None else None
            links = {}
            for target, anchors in rec.links.items():
                tf = by_uri.get(target)
                if tf is not None:
                    links[tf] = dict(anchors)
            page.links_to_anchors = links
            page._title_from_render = rec.title
        for page in self._nav.pages if self._nav is not None else []:
            if page.file.src_uri in self._reused:
                source = self._sources.pop(page.file.src_uri, None)
                if source is not None:  # handed over compressed (see on_files)
                    page.file.content_string = source.text
                page.read_source(config)
                if source is not None:
                    page.file.content_string = ""  # read: let go, as a built page's

    def _record(self, page, output: str) -> None:
        """A page built now, as it is written: kept in the cache with its record."""
        from .pagecache import Record, entries_text

        uri = page.file.src_uri
        fragment = ""
        if self._search is not None:
            entries = self._search.search_index.entries
            fragment = entries_text(entries[self._seen:])
            self._seen = len(entries)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(page.file.abs_dest_path)  # serve: a page put from the cache, never written
        key = self._keys.get(uri)
        if key is None:
            self._fragments[uri] = fragment
            return
        blob = self._cache.store(output.encode("utf-8", errors="xmlcharrefreplace"))
        search, kept = self._cache.store_search(fragment)
        if not kept:
            self._fragments[uri] = fragment
        anchors = page.present_anchor_ids
        self._records[uri] = Record(
            key, blob, page._title_from_render,
            sorted(anchors) if anchors is not None else None,
            {tf.src_uri: dict(v) for tf, v in (page.links_to_anchors or {}).items()}, search)

    def _complete(self, config) -> None:
        """After the last page: the search index holds every page's entries (the pages taken from
        the cache gave theirs from their records), in the order of the pages, as a build of every
        page writes it; the records wait for the build to succeed (Session.commit)."""
        from .pagecache import write_search_index

        if self._cache is None:
            return
        if self._search is not None and self._search.config.enabled:
            path = Path(config.site_dir) / "search" / "search_index.json"
            try:
                written = json.loads(path.read_text(encoding="utf-8"))
                part = written["config"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise self.engine.plugin_error(f"search/search_index.json: cannot complete the "
                                               f"search index: {exc}") from None
            del written
            recorded = {**self._reused, **self._records}

            def fragments():
                # one page's entries at a time: a recorded page's are read from the cache
                for u in self._order:
                    if u in self._fragments:
                        yield self._fragments[u]
                    elif u in recorded:
                        yield self._cache.search_text(recorded[u])

            path.unlink()
            try:
                write_search_index(path, part, fragments())
            except OSError as exc:
                raise self.engine.plugin_error(f"search/search_index.json: cannot complete the "
                                               f"search index: {exc.strerror or exc}") from None
        self._cache.stage({**self._reused, **self._records})

    def on_build_error(self, error):
        if self.charts is not None:
            self.charts.abandon()  # the build stopped: its chart workers stop too
        self._discard_spilled()
        self._sources = {}
        for state in self.session.digests.values():
            state.clear()  # what is on disk is not known: the next build writes everything

    def on_page_markdown(self, markdown, page, config, files):
        # Memory (thousands of pages): MkDocs converts every page before it writes any, and keeps
        # each page's Markdown, HTML and source file until the build ends. A build lets go of each
        # as soon as nothing needs it any more: the generated source here (it has been read), the
        # Markdown once converted (on_page_content) and the HTML once the page is written
        # (on_post_page). Empty strings, not None: MkDocs reads None as "not read yet". serve keeps
        # them (its rebuilds compare generated files with the last build's).
        if not self.session.serving and page.file.generated_by is not None and \
                page.file.abs_src_path is None:
            page.file.content_string = ""
        return markdown

    def on_page_content(self, html, page, config, files):
        # Sanitised before anything reads it (the search index, next), by the finishing pass's
        # own code; the page is finished as a whole when it is written (on_post_page).
        html = finish.clean_content(html)
        if self.session.serving:
            return html
        # MkDocs converts every page before it writes the first, so a build of thousands of pages
        # held all their HTML at once (about 60 KB of memory a profile: one dash makes Python
        # store a text at two bytes a character). Until the page is written it waits here
        # compressed (zlib level 1, a tenth of a millisecond a page), and on_page_context puts it
        # back. The Markdown is let go: converted, the page's title was taken while converting.
        page.markdown = ""
        self._held[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        return ""

    def on_page_context(self, context, page, config, nav):
        held = self._held.pop(page.file.src_uri, None)
        if held is not None:
            page.content = zlib.decompress(held).decode("utf-8")
        # The edit link is the page's metadata (edit_url in its front matter, written by render;
        # overrides/partials/actions.html shows it), as in an exported project: none of the
        # engine's own, which would point at the generated page's path.
        page.edit_url = None
        return context

    # before the search plugin indexes the page's HTML (both engines' event_priority(100) sets
    # this attribute, and they run the events in its order)
    on_page_context.mkdocs_priority = 100  # type: ignore[attr-defined]

    def on_env(self, env, config, files):
        # Every page has been converted, and MkDocs is about to copy the files and write the
        # pages: the charts rendered in the background must be there now.
        failed = self.charts.finish() if self.charts is not None else []
        if failed:
            report = Problems()
            report.items.extend(failed)
            self.session.failed = report.report()  # build_site prints it as the check would
            raise self.engine.plugin_error("the data or articles have problems:\n" +
                                           report.report())
        # Material's templates are compiled on every build; keep their bytecode (jinja2 checks each
        # template's source against it) in the project's cache folder, outside its tree: bytecode
        # is loaded with pickle and marshal, i.e. runs, so never from a folder a pull request can
        # write. Best effort: without the folder every template is compiled, as before.
        from .render.sandbox import theme_bytecode_cache

        cache = None if self.session.clean else theme_bytecode_cache(self.root)
        if cache is not None:
            env.bytecode_cache = cache
        if self._cache is not None:
            self._restore_reused(config, files)
        return env

    def on_post_page(self, output, page, config):
        try:
            output = finish.finish_page(output, self._chart_svg)
        except finish.Unfinished as exc:
            raise self.engine.plugin_error(f"{page.file.src_uri}: {exc}") from None
        if self._cache is not None:
            self._record(page, output)
        if not self.session.serving:
            page.content = ""  # written next; the search index has taken its text already
        return output

    def _chart_svg(self, chart_id: str) -> str:
        path = self._chart_svgs.get(chart_id)
        if path is None:
            return ""  # no such chart: nothing is placed
        with open(path, encoding="utf-8") as f:
            return f.read()

    def on_serve(self, server, config, builder):
        # `mkdocs serve` run directly: its live-reload script, inline in every page, would be
        # blocked by the pages' policy; the server delivers it as a file of the site instead
        return serve_script_as_file(server, self.engine)

    def on_post_build(self, config):
        # Material's 404 page is not a Page, so on_post_page never saw it.
        p = Path(config.site_dir) / engine.NOT_FOUND_PAGE
        if p.is_file():
            html = p.read_text(encoding="utf-8")
            if not self.session.serving or not engine.is_finished(html):
                p.write_text(finish.finish_theme_page(html), encoding="utf-8")
        state = self.session.digests.get(os.path.abspath(config.site_dir))
        if state is not None and self._digests is not None:
            state.clear()
            state.update(self._digests)
        self._discard_spilled()  # copied into the site by now
        self._sources = {}
        self._complete(config)

    # after the search plugin has written its index (see _complete)
    on_post_build.mkdocs_priority = -100  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# serve

LIVERELOAD_PATH = "/.fl-livereload.js"


def serve_script_as_file(server: Any, engine: Engine) -> Any:
    """The engine's live-reload ``server``, made to deliver its script as a file of the site's
    own origin (the plugin does this in on_serve, so ``mkdocs serve`` run directly reloads too).

    The engine puts the script inline into every page, and the Content-Security-Policy of every
    page (which serve keeps, so that the preview behaves as the site will) blocks inline scripts
    whose hash it does not list; this one changes on every request, so the browser never
    reloaded. A script from 'self' is allowed, so the page gets ``<script
    src="/.fl-livereload.js" data-epoch=… data-request-id=…>`` instead, and the file holds the
    engine's own script. A server of a version we do not know is left as it is, and says so."""
    lr = engine.livereload
    if isinstance(server, getattr(lr, "LiveReloadServer", ())) and \
            getattr(server, "_fl_script", None) is not None:
        return server  # done already
    source = getattr(lr, "_SCRIPT_TEMPLATE_STR", "")
    head, sep, _ = source.rpartition("livereload(${epoch}, ${request_id});")
    if not sep or "var livereload = function(epoch, requestId)" not in head or \
            not isinstance(server, getattr(lr, "LiveReloadServer", ())):
        logging.getLogger(engine.logger("plugins.frontier_ledger")).warning(
            "this %s's live reload is not known to Frontier Ledger: pages will not reload by "
            "themselves (the pages' Content-Security-Policy blocks its inline script); use "
            "./ledger serve", engine.name)
        return server
    script = (head + ";(function(s) { livereload(parseFloat(s.dataset.epoch), "
              "parseFloat(s.dataset.requestId)); })(document.currentScript);\n").encode("utf-8")
    base = type(server)

    class Server(base):  # type: ignore[misc, valid-type]
        _fl_script = script

        def _inject_js_into_html(self, content, epoch):
            try:
                end = content.rindex(b"</body>")
            except ValueError:
                end = len(content)
            tag = (f'<script src="{LIVERELOAD_PATH}" data-epoch="{int(epoch)}" '
                   f'data-request-id="{int(lr._timestamp())}"></script>').encode()
            return content[:end] + tag + content[end:]

        def _serve_request(self, environ, start_response):
            if environ.get("PATH_INFO") == LIVERELOAD_PATH:
                start_response("200 OK", [("Content-Type", "application/javascript"),
                                          ("Content-Length", str(len(self._fl_script))),
                                          ("Cache-Control", "no-store")])
                return [self._fl_script]
            return super()._serve_request(environ, start_response)

    server.__class__ = Server
    return server
