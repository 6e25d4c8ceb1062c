"""The adapter to MkDocs, and the only module that imports it: a plugin that hands MkDocs the pages
the core rendered, and the build and serve commands around MkDocs's own.

``on_files`` takes the pages :func:`build_site` checked and rendered (or, when MkDocs runs the
plugin itself, as ``mkdocs serve`` or ``mkdocs build`` would, loads and renders them) and hands them
to MkDocs as in-memory files (nothing is written into ``site_src/``). Any problem stops the build
with the located report. The finished pages get what generator.engine makes of them (sanitised
content, Material's table wrappers, a safe table of contents, the charts' SVGs, the CSP).
:func:`build_site` builds into a fresh folder and swaps it into place only when everything
succeeded, so a failed build leaves the previous ``site/`` as it was. What one command shares with
the plugin instances MkDocs makes for it (one per build, and serve rebuilds) is a :class:`Session`.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import engine, site_paths
from .escape import escape_unseen, sanitize, url_path
from .load import load
from .problems import Problems
from .render import Rendered, render
from .settings import Settings
from .sitedir import (SITE_MARKER, SITE_MARKER_TEXT, clean_leftovers, shown_path, site_target,
                      source_date_epoch)
from .types import FilePage

log = logging.getLogger("mkdocs.plugins.frontier_ledger")

# Generated files larger than this are written to a temporary folder for MkDocs to copy.
SPILL_BYTES = 1 << 20
# the files holding the charts' SVGs as placed in pages (see on_post_page)
_CHART_FILE = re.compile(r"charts/([a-z0-9][a-z0-9-]*)\.inline\.svg")


class LedgerConfig(Config):
    data_root = c.Type(str, default=".")  # project folder holding data/ and templates/, relative to mkdocs.yml
    templates = c.Type(str, default="templates")
    edit_url_base = c.Optional(c.Type(str))  # e.g. https://github.com/OWNER/REPO/edit/main/
    strict_data = c.Type(bool, default=True)  # warnings in data fail the build


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

    def settings_for(self, root: Path, **values: Any) -> Settings:
        if self.settings is None:
            return Settings.for_project(root, serve=self.serving, **values)
        return self.settings.but(root=root, **values)


def attach(config: Any, session: Session) -> "LedgerPlugin | None":
    """Give the plugin of a loaded configuration the command's session; the plugin (None when
    mkdocs.yml does not use it)."""
    for plugin in config.plugins.values():
        if isinstance(plugin, LedgerPlugin):
            plugin.session = session
            return plugin
    return None


def check_and_render(settings: Settings, problems: Problems, store: Any = None
                     ) -> Rendered | None:
    """Load and render by ``settings``; None when the data has errors. Charts missing from the
    cache are rendered in the background while MkDocs works (see charts.pipeline);
    LedgerPlugin.on_env waits for them."""
    ds = load(settings.root, problems, **settings.load_options())
    if problems.errors:
        return None
    return render(ds, settings, problems, store=store)


def _docs_rel(config, root: Path) -> str:
    # not resolved: a docs folder that is a link is reported by the check, never followed here
    return Path(os.path.relpath(config.docs_dir, root)).as_posix()


def _unmodified() -> bool:
    return False


class LedgerPlugin(BasePlugin[LedgerConfig]):
    def __init__(self) -> None:
        self.session = Session()  # build_site and serve give theirs (see attach)
        self.origins: dict[str, str] = {}
        self._spilled: str | None = None  # folder of the large generated files of this build
        self.charts: Any = None  # the charts of the pages being built
        self._held: dict[str, bytes] = {}  # page HTML between conversion and writing
        self._chart_svgs: dict[str, str] = {}
        self._digests: dict[str, bytes] | None = None

    def on_config(self, config):
        self.root = (Path(config.config_file_path).parent / self.config.data_root).resolve()
        return config

    def _rendered(self, config) -> Rendered:
        rendered, self.session.prepared = self.session.prepared, None
        if rendered is not None:
            return rendered
        # serve, or mkdocs build run directly
        settings = self.session.settings_for(self.root, site_src=_docs_rel(config, self.root),
                                             templates=self.config.templates,
                                             site_url=config.site_url)
        problems = Problems()
        rendered = check_and_render(settings, problems, self.session.store)
        if problems.failed(strict=self.config.strict_data):
            if rendered is not None:
                rendered.charts.abandon()
            raise PluginError("the data or articles have problems:\n" + problems.report())
        for w in problems.warnings + problems.notices:
            log.info(w.format())
        assert rendered is not None
        return rendered

    def on_files(self, files: Files, config) -> Files:
        rendered = self._rendered(config)
        self.charts = rendered.charts
        pages = rendered.pages
        del rendered
        self._refuse_unsafe_files(files, config)
        self.origins = {}
        self._discard_spilled()
        for page in pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)
            if isinstance(page, FilePage):
                files.append(File.generated(config, page.path, abs_src_path=str(page.source)))
            elif isinstance(page.content, bytes) and len(page.content) > SPILL_BYTES:
                # a large download (the dataset's JSON and CSVs: 50 MB at 5,000 companies) waits
                # on disk, not in memory, until MkDocs copies it after the last page is written
                files.append(File.generated(config, page.path, abs_src_path=self._spill(page)))
            else:
                files.append(File.generated(config, page.path, content=page.content))
            self.origins[page.path] = page.origin
        # Markdown that the core did not render (not under site_src) is never published raw.
        for f in list(files.documentation_pages()):
            if f.src_uri not in self.origins:
                files.remove(f)
        return files

    def _refuse_unsafe_files(self, files: Files, config) -> None:
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
            raise PluginError("the data or articles have problems:\n" + refused.report())

    def _spill(self, page) -> str:
        if self._spilled is None:
            self._spilled = tempfile.mkdtemp(prefix="fl-files-")
        path = os.path.join(self._spilled, hashlib.sha256(page.path.encode()).hexdigest())
        with open(path, "wb") as f:
            f.write(page.content)
        return path

    def _discard_spilled(self) -> None:
        if self._spilled is not None:
            shutil.rmtree(self._spilled, ignore_errors=True)
            self._spilled = None

    def on_pre_build(self, config):
        self._held = {}

    def on_nav(self, nav, config, files):
        self._chart_svgs = {}
        for f in files:
            m = _CHART_FILE.fullmatch(f.src_uri)
            if m and f.generated_by is not None and f.abs_src_path:
                self._chart_svgs[m.group(1)] = f.abs_src_path
        # serve: a generated file whose content is what the last build wrote is not built again
        # (MkDocs's dirty build skips files that are not "modified"); see serve()
        if not self.session.serving:
            return nav
        state = self.session.digests.setdefault(os.path.abspath(config.site_dir), {})
        self._digests = {}
        for f in files:
            if f.generated_by is None or f._content is None:
                continue
            content = f._content if isinstance(f._content, bytes) else f._content.encode("utf-8")
            digest = hashlib.blake2b(content, digest_size=16).digest()
            self._digests[f.src_uri] = digest
            if state.get(f.src_uri) == digest and os.path.isfile(f.abs_dest_path):
                f.is_modified = _unmodified  # an instance attribute: this file only
        return nav

    def on_build_error(self, error):
        if self.charts is not None:
            self.charts.abandon()  # the build stopped: its chart workers stop too
        self._discard_spilled()
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
        html = engine.wrap_tables(sanitize(html, engine.SANITIZE_EXTRA_ATTRIBUTES))
        html = engine.clean_toc(page.toc, html)
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

    @event_priority(100)  # before the search plugin indexes the page's HTML
    def on_page_context(self, context, page, config, nav):
        held = self._held.pop(page.file.src_uri, None)
        if held is not None:
            page.content = zlib.decompress(held).decode("utf-8")
        origin = self.origins.get(page.file.src_uri)
        base = self.config.edit_url_base
        # the theme writes the edit link into href="…" as it is: the file's path is
        # percent-encoded, so that no file name can leave the address (names are checked too)
        page.edit_url = f"{base.rstrip('/')}/{url_path(origin)}" if base and origin else None
        return context

    def on_env(self, env, config, files):
        # Every page has been converted, and MkDocs is about to copy the files and write the
        # pages: the charts rendered in the background must be there now.
        failed = self.charts.finish() if self.charts is not None else []
        if failed:
            report = Problems()
            report.items.extend(failed)
            self.session.failed = report.report()  # build_site prints it as the check would
            raise PluginError("the data or articles have problems:\n" + report.report())
        # Material's templates are compiled on every build; keep their bytecode (jinja2 checks each
        # template's source against it) in the project's cache folder, outside its tree: bytecode
        # is loaded with pickle and marshal, i.e. runs, so never from a folder a pull request can
        # write. Best effort: without the folder every template is compiled, as before.
        from .cachedir import bytecode_cache

        cache = bytecode_cache(self.root, "jinja-theme")
        if cache is not None:
            env.bytecode_cache = cache
        return env

    def on_post_page(self, output, page, config):
        output = engine.with_csp(output, page.content)
        output = engine.place_charts(output, self._chart_svg)
        if not self.session.serving:
            page.content = ""  # written next; the search index has taken its text already
        return output

    def _chart_svg(self, chart_id: str) -> str:
        path = self._chart_svgs.get(chart_id)
        if path is None:
            return ""  # no such chart: nothing is placed
        with open(path, encoding="utf-8") as f:
            return f.read()

    def on_post_build(self, config):
        # Material's 404 page is not a Page, so on_post_page never saw it.
        p = Path(config.site_dir) / engine.NOT_FOUND_PAGE
        if p.is_file():
            p.write_text(engine.with_csp(p.read_text(encoding="utf-8")), encoding="utf-8")
        state = self.session.digests.get(os.path.abspath(config.site_dir))
        if state is not None and self._digests is not None:
            state.clear()
            state.update(self._digests)
        self._discard_spilled()  # copied into the site by now


# ---------------------------------------------------------------------------------------------
# The commands


class _ReportHandler(logging.Handler):
    """MkDocs's log lines, printed as a report prints its lines: any control, line-breaking or
    invisible character a file name or a message holds is written as an escape (each line of a
    message stays a line). Written to ``sys.stderr`` as it is when a line is logged."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            print("\n".join(escape_unseen(line) for line in text.split("\n")), file=sys.stderr)
        except Exception:  # noqa: BLE001 - logging's own way of reporting a handler that failed
            self.handleError(record)


def _log_to_report(level: int = logging.WARNING) -> logging.Handler:
    """Route MkDocs's log through :class:`_ReportHandler` (once), showing ``level`` and above."""
    logger = logging.getLogger("mkdocs")
    handler = next((h for h in logger.handlers if isinstance(h, _ReportHandler)), None)
    if handler is None:
        handler = _ReportHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(handler)
    handler.setLevel(level)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler


@contextlib.contextmanager
def _dated(root: Path) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set for the length of a build (unless it is set already), so that two
    builds of one commit are byte-identical. MkDocs reads the build's date from the environment
    only (mkdocs.utils.get_build_datetime), so this is the one setting given that way, by the
    command around MkDocs and for that call alone."""
    epoch = source_date_epoch(root)
    if not epoch or os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def build_site(root: Path, site_dir: Path, *, strict: bool = True, site_url: str | None = None,
               settings: Settings | None = None) -> int:
    """Check and build into a new folder; swap it in only if everything passed. Simultaneous
    builds of one project take turns (:func:`generator.cachedir.build_lock`). ``site_url``: the
    address the site is built for, instead of mkdocs.yml's; ``settings``: the run's settings
    (the plugin completes them with mkdocs.yml's folders)."""
    from .cachedir import build_lock

    root = Path(root).resolve()
    with build_lock(root):
        target, refusal = site_target(root, site_dir)
        if refusal:
            print(refusal, file=sys.stderr)
            return 1
        clean_leftovers(root, target)
        with _dated(root):
            return _build_site(root, target, strict=strict, site_url=site_url, settings=settings)


def _build_site(root: Path, site_dir: Path, *, strict: bool, site_url: str | None,
                settings: Settings | None) -> int:
    """The build itself, into ``site_dir``: absolute, and accepted by :func:`site_target`."""
    # Folders of this build alone, new (nothing of that name is ever reused or removed first):
    # the site is built into one, and the previous site moved into the other while the new one
    # takes its place. Left behind by a build that was killed, they are removed by the next.
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=site_dir.parent,
                                    prefix=f".{site_dir.name}.building-{os.getpid()}-"))
        os.chmod(tmp, 0o755)  # as MkDocs makes it (mkdtemp's folder is the user's alone)
    except OSError as exc:
        print(f"{shown_path(site_dir, root)}: cannot build here: {exc.strerror}",
              file=sys.stderr)
        return 1
    try:
        return _build_into(root, site_dir, tmp, strict=strict, site_url=site_url,
                           settings=settings)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already when the build succeeded


def _build_into(root: Path, site_dir: Path, tmp: Path, *, strict: bool, site_url: str | None,
                settings: Settings | None) -> int:
    from mkdocs.commands.build import build

    t0 = time.perf_counter()
    _log_to_report()
    stopped = f"build stopped; {site_dir.name}/ was left as it was"
    try:
        cfg = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp), strict=strict,
                          **({"site_url": site_url} if site_url else {}))
    except Abort as exc:
        print(f"mkdocs.yml: {exc}", file=sys.stderr)
        print(stopped, file=sys.stderr)
        return 1
    session = Session(settings=settings)
    plugin = attach(cfg, session)
    data_root = (root / plugin.config.data_root).resolve() if plugin is not None else root
    run = session.settings_for(data_root, site_src=_docs_rel(cfg, data_root),
                               site_url=cfg.site_url,
                               **({"templates": plugin.config.templates} if plugin else {}))
    problems = Problems()
    rendered = check_and_render(run, problems)
    charts = rendered.charts if rendered is not None else None
    if problems.failed(strict=strict):
        if charts is not None:
            charts.abandon()
        print(problems.report(), file=sys.stderr)
        print(stopped, file=sys.stderr)
        return 1
    if problems.notices:  # they inform, and the build goes on
        print(problems.report())
    session.prepared = rendered  # the plugin takes them (on_files): each page's Markdown is let
    del rendered  # go of once it is read
    try:
        build(cfg)
    except (Abort, Exception) as exc:  # MkDocs reports its own problems through logging
        if charts is not None:
            charts.abandon()
        print(session.failed or escape_unseen(f"build failed: {exc}"), file=sys.stderr)
        print(stopped, file=sys.stderr)
        return 1
    finally:
        session.prepared = None
    (tmp / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(dir=site_dir.parent,
                                    prefix=f".{site_dir.name}.old-{os.getpid()}-"))
        os.replace(site_dir, old)  # onto the empty folder just made
        os.replace(tmp, site_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, site_dir)
    n = sum(1 for _ in site_dir.rglob("index.html"))
    print(f"built {n} pages into {site_dir} in {time.perf_counter() - t0:.1f} s")
    return 0


# ---------------------------------------------------------------------------------------------
# serve


_LIVERELOAD_PATH = "/.fl-livereload.js"


def _livereload_server():
    """MkDocs's live-reload server, with its script served as a file of the site's own origin.

    MkDocs puts the script inline into every page, and the Content-Security-Policy of every page
    (which serve keeps, so that the preview behaves as the site will) blocks inline scripts whose
    hash it does not list; this one changes on every request, so the browser never reloaded. A
    script from 'self' is allowed, so the page gets ``<script src="/.fl-livereload.js"
    data-epoch=… data-request-id=…>`` instead, and the file holds MkDocs's own script."""
    import mkdocs.livereload as lr

    source = getattr(lr, "_SCRIPT_TEMPLATE_STR", "")
    head, sep, _ = source.rpartition("livereload(${epoch}, ${request_id});")
    if not sep or "var livereload = function(epoch, requestId)" not in head:
        return lr.LiveReloadServer  # a MkDocs we do not know: leave it as it is
    script = (head + ";(function(s) { livereload(parseFloat(s.dataset.epoch), "
              "parseFloat(s.dataset.requestId)); })(document.currentScript);\n").encode("utf-8")

    class Server(lr.LiveReloadServer):
        def _inject_js_into_html(self, content, epoch):
            try:
                end = content.rindex(b"</body>")
            except ValueError:
                end = len(content)
            tag = (f'<script src="{_LIVERELOAD_PATH}" data-epoch="{int(epoch)}" '
                   f'data-request-id="{int(lr._timestamp())}"></script>').encode()
            return content[:end] + tag + content[end:]

        def _serve_request(self, environ, start_response):
            if environ.get("PATH_INFO") == _LIVERELOAD_PATH:
                start_response("200 OK", [("Content-Type", "application/javascript"),
                                          ("Content-Length", str(len(script))),
                                          ("Cache-Control", "no-store")])
                return [script]
            return super()._serve_request(environ, start_response)

    return Server


class _NoDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def serve(root: Path, addr: str, settings: Settings | None = None) -> int:
    """Serve the site at ``addr`` (host:port), with live reload, rebuilding after every change to
    data, templates, articles or configuration; MkDocs's own serve loop, written with its public
    pieces (load_config, build, its live-reload server) so that every rebuild's plugin gets this
    command's :class:`Session`. Rebuilds are "dirty" builds in MkDocs's sense: everything is
    checked and rendered again, but only the pages and files whose content changed are converted
    and written (a changed template or mkdocs.yml changes every page, so all are). As with mkdocs
    serve --dirty, a page that disappears stays in the preview until serve restarts. The site is
    served at the root of the address, whatever its published sub-path is."""
    from mkdocs.commands.build import build

    from .charts import ChartStore

    _log_to_report(logging.INFO)
    root = Path(root).resolve()
    run = settings or Settings.for_project(root, serve=True)
    session = Session(settings=run.but(serve=True), serving=True,
                      store=ChartStore(run.chart_folder(), keep_in_memory=True))
    host, _, port = addr.rpartition(":")
    serve_url = f"http://{host}:{port}/"
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")

    def get_config():
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=site_dir,
                             dev_addr=addr, site_url=serve_url)
        config.watch.extend([str(root / "data"), str(root / "templates")])
        attach(config, session)
        return config

    def builder(config=None) -> None:
        build(config or get_config(), serve_url=serve_url, dirty=True)

    quiet = _NoDirtyWarning()  # a warning would fail the strict build; the docstring says it
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    try:
        config = get_config()
    except Abort as exc:
        print(f"mkdocs.yml: {exc}", file=sys.stderr)
        return 1
    config.plugins.on_startup(command="serve", dirty=True)
    server = _livereload_server()(builder=builder, host=host, port=int(port), root=site_dir)
    server.error_handler = lambda code: _error_page(site_dir, code)
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    except (Abort, PluginError) as exc:
        print(escape_unseen(str(exc)), file=sys.stderr)
        return 1
    finally:
        config.plugins.on_shutdown()
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0


def _error_page(site_dir: str, code: int) -> bytes | None:
    """The site's own 404 (or 500) page, as MkDocs's serve answers with it."""
    if code in (404, 500):
        page = os.path.join(site_dir, f"{code}.html")
        if os.path.isfile(page):
            with open(page, "rb") as f:
                return f.read()
    return None
