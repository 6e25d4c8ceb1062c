"""Running an engine, written once for every engine (it imports none; it is given a
generator.engines.Engine): ``build_site``, the atomic build, and ``serve``, the preview with live
reload, both around the engine's own build.

:func:`build_site` builds into a fresh folder and swaps it into place only when everything
succeeded and every page carries the finishing pass's mark (a page without it was written by an
engine that did not run the plugin: the build fails, naming it), so a failed build leaves the
previous ``site/`` as it was. :func:`serve` makes the engine's live-reload server deliver its
script as a file of the site's own origin, which the pages' policy allows
(generator.plugin.serve_script_as_file).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

from .collector import IdleCollector
from .engines import DEFAULT_ENGINE, Engine, EngineMissing, load_engine
from .escape import escape_unseen
from .finish import site_pages, unfinished_pages
from .plugin import (Session, _docs_rel, attach, builds_in_kept_site, check_and_render,
                     serve_script_as_file)
from .problems import Problems
from .settings import Settings
from .sitedir import (SITE_MARKER, SITE_MARKER_TEXT, clean_leftovers, keep_spare, shown_path,
                      site_target, source_date_epoch, spare_slot, take_spare)

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


def _log_to_report(engine: Engine, level: int = logging.WARNING) -> logging.Handler:
    """Route the engine's log through :class:`_ReportHandler` (once), showing ``level`` and
    above."""
    logger = logging.getLogger(engine.logger())
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


class _CheckedAs:
    """What a build found in its data and articles, kept as a check's answer
    (generator.checkcache), so that a check of the same files after the build need not load
    or render anything: a build checks everything a check does, and more. Kept only when the
    build found nothing failing (notices, which come from the data alone, are kept with it)
    and no file changed while it ran."""

    def __init__(self, run: Settings):
        from .checkcache import check_cache

        self.inputs = run.check_inputs()
        self.cache = check_cache(run.root) if self.inputs is not None else None
        self.key = self.cache.key(self.inputs) if self.cache is not None else None

    def remember(self, problems: Problems, pages: list) -> None:
        from .checkcache import page_count

        if self.cache is not None and self.cache.key(self.inputs) == self.key:
            self.cache.remember(self.key, problems, page_count(pages))


def build_site(root: Path, site_dir: Path, *, strict: bool = True, site_url: str | None = None,
               settings: Settings | None = None, engine: str = DEFAULT_ENGINE,
               clean: bool = False) -> int:
    """Check and build into a new folder; swap it in only if everything passed. Simultaneous
    builds of one project take turns (:func:`generator.cachedir.build_lock`). ``site_url``: the
    address the site is built for, instead of mkdocs.yml's; ``settings``: the run's settings
    (the plugin completes them with mkdocs.yml's folders); ``engine``: mkdocs or properdocs;
    ``clean``: read no page cache (generator.pagecache): every page is converted."""
    from .cachedir import build_lock

    try:
        eng = load_engine(engine)
    except EngineMissing as exc:
        print(exc, file=sys.stderr)
        return 1
    root = Path(root).resolve()
    with build_lock(root):
        target, refusal = site_target(root, site_dir)
        if refusal:
            print(refusal, file=sys.stderr)
            return 1
        clean_leftovers(root, target)
        with _dated(root), contextlib.ExitStack() as stack:
            if clean:  # every cache ignored: the charts are rendered into a folder of this build
                charts = stack.enter_context(tempfile.TemporaryDirectory(prefix="fl-clean-"))
                settings = (settings or Settings.for_project(root)).but(
                    chart_cache=Path(charts), clean=True)
            return _build_site(eng, root, target, strict=strict, site_url=site_url,
                               settings=settings, clean=clean)


def _build_site(eng: Engine, root: Path, site_dir: Path, *, strict: bool, site_url: str | None,
                settings: Settings | None, clean: bool = False) -> int:
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
        return _build_into(eng, root, site_dir, tmp, strict=strict, site_url=site_url,
                           settings=settings, clean=clean)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already when the build succeeded


def _build_into(eng: Engine, root: Path, site_dir: Path, tmp: Path, *, strict: bool,
                site_url: str | None, settings: Settings | None, clean: bool = False) -> int:
    t0 = time.perf_counter()
    _log_to_report(eng)
    stopped = f"build stopped; {site_dir.name}/ was left as it was"
    try:
        cfg = eng.load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp), strict=strict,
                          **({"site_url": site_url} if site_url else {}))
    except eng.abort as exc:
        print(f"mkdocs.yml: {exc}", file=sys.stderr)
        print(stopped, file=sys.stderr)
        return 1
    # incremental: the pages whose inputs did not change are hard-linked from the page cache
    # into the new folder (generator.pagecache), as a dirty build of the engine skips them
    session = Session(settings=settings, incremental=True, clean=clean)
    plugin = attach(cfg, session)
    data_root = (root / plugin.config.data_root).resolve() if plugin is not None else root
    run = session.settings_for(data_root, site_src=_docs_rel(cfg, data_root),
                               site_url=cfg.site_url,
                               **({"edit_url_base": plugin.config.edit_url_base} if plugin else {}),
                               **({"templates": plugin.config.templates} if plugin else {}))
    problems = Problems()
    checked = _CheckedAs(run)
    rendered = check_and_render(run, problems)
    charts = rendered.charts if rendered is not None else None
    if rendered is not None and not problems.failed(strict=True):
        checked.remember(problems, rendered.pages)
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
    # the previous site, kept, to build in (generator.sitedir): the plugin prunes it first
    spare = None
    if plugin is not None and builds_in_kept_site(cfg, session):
        from .cachedir import project_cache

        spare = spare_slot(project_cache(root), site_dir)
        session.site_reused = take_spare(spare, tmp)
    try:
        with _dirty_quietly(eng):
            eng.build(cfg, dirty=True)
        session.commit()
    except Exception as exc:  # the engine reports its own problems through logging
        if charts is not None:
            charts.abandon()
        print(session.failed or escape_unseen(f"build failed: {exc}"), file=sys.stderr)
        print(stopped, file=sys.stderr)
        return 1
    finally:
        session.prepared = None
    # No silent loss: every page went through the finishing pass (sanitised, with its policy),
    # or the site is not published. An engine that ignores plugins would have written pages of
    # its own from the raw articles.
    html = site_pages(tmp)
    unfinished = unfinished_pages(tmp, html)
    if unfinished:
        report = Problems()
        for rel in unfinished:
            report.error(f"{site_dir.name}/{rel}", "was not finished: the frontier-ledger plugin "
                         f"did not run on it (mkdocs.yml lists it under plugins; {eng.name} "
                         "must run it)")
        print(report.report(), file=sys.stderr)
        print(stopped, file=sys.stderr)
        return 1
    (tmp / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(dir=site_dir.parent,
                                    prefix=f".{site_dir.name}.old-{os.getpid()}-"))
        os.replace(site_dir, old)  # onto the empty folder just made
        os.replace(tmp, site_dir)
        if spare is not None:
            keep_spare(spare, old)  # the next build's folder
        else:
            shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, site_dir)
    n = sum(1 for rel in html if rel.rpartition("/")[2] == "index.html")  # (one walk, not two)
    print(f"built {n} pages into {site_dir} in {time.perf_counter() - t0:.1f} s")
    return 0


# ---------------------------------------------------------------------------------------------
# serve


class _NoDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


@contextlib.contextmanager
def _dirty_quietly(eng: Engine) -> Iterator[None]:
    """The engine's warning that a build is "dirty" left out for the length of one build: every
    build here is dirty by design (only changed pages are converted), and a warning would fail
    the strict build."""
    quiet = _NoDirtyWarning()
    log = logging.getLogger(eng.logger("commands.build"))
    log.addFilter(quiet)
    try:
        yield
    finally:
        log.removeFilter(quiet)


def serve_builder(eng: Engine, root: Path, settings: Settings, site_dir: str, addr: str, *,
                  clean: bool = False) -> tuple[Any, Any]:
    """serve's configuration and rebuild, for a site in ``site_dir`` served at ``addr``
    (host:port): ``get_config()`` loads mkdocs.yml with the plugin given serve's
    :class:`Session`, and ``rebuild(config=None)`` builds into ``site_dir`` as serve does after
    every change (a "dirty" build: only what changed is converted and written), keeping in the
    session what the next rebuild reuses (checked records, kept pages, built charts)."""
    from .charts import ChartStore

    host, _, port = addr.rpartition(":")
    serve_url = f"http://{host}:{port}/"
    session = Session(settings=settings.but(serve=True), serving=True,
                      store=ChartStore(settings.chart_folder(), keep_in_memory=True),
                      incremental=True, clean=clean)

    def get_config():
        config = eng.load_config(config_file=str(root / "mkdocs.yml"), site_dir=site_dir,
                                 dev_addr=addr, site_url=serve_url)
        config.watch.extend([str(root / "data"), str(root / "templates")])
        attach(config, session)
        return config

    def rebuild(config=None) -> None:
        with _dirty_quietly(eng):
            eng.build(config or get_config(), serve_url=serve_url, dirty=True)
        session.commit()

    return get_config, rebuild


def serve(root: Path, addr: str, settings: Settings | None = None,
          engine: str = DEFAULT_ENGINE, clean: bool = False) -> int:
    """Serve the site at ``addr`` (host:port), with live reload, rebuilding after every change to
    data, templates, articles or configuration; MkDocs's own serve loop, written with its public
    pieces (load_config, build, its live-reload server) so that every rebuild's plugin gets this
    command's :class:`Session`. Rebuilds are "dirty" builds in MkDocs's sense: everything is
    checked and rendered again, but only the pages and files whose content changed are converted
    and written (a changed template or mkdocs.yml changes every page, so all are). As with mkdocs
    serve --dirty, a page that disappears stays in the preview until serve restarts. The site is
    served at the root of the address, whatever its published sub-path is. ``engine``: mkdocs or
    properdocs."""
    try:
        eng = load_engine(engine)
    except EngineMissing as exc:
        print(exc, file=sys.stderr)
        return 1
    _log_to_report(eng, logging.INFO)
    root = Path(root).resolve()
    host, _, port = addr.rpartition(":")
    from .watcher import watch_changes  # (watchdog: serve's alone, as the livereload server)

    site_dir = tempfile.mkdtemp(prefix="mkdocs_")
    get_config, rebuild = serve_builder(eng, root, settings or Settings.for_project(root),
                                        site_dir, addr, clean=clean)
    idle = IdleCollector()  # what a rebuild left is collected once serve is idle

    def builder(config=None) -> None:
        try:
            rebuild(config)
        finally:
            idle.after_build()

    try:
        config = get_config()
    except eng.abort as exc:
        print(f"mkdocs.yml: {exc}", file=sys.stderr)
        return 1
    config.plugins.on_startup(command="serve", dirty=True)
    server = serve_script_as_file(watch_changes(eng.livereload.LiveReloadServer(
        builder=builder, host=host, port=int(port), root=site_dir),
        logging.getLogger(eng.logger()), on_change=idle.put_off), eng)
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
            logging.getLogger(eng.logger()).info("Shutting down...")
        finally:
            server.shutdown()
    except (eng.abort, eng.plugin_error) as exc:
        print(escape_unseen(str(exc)), file=sys.stderr)
        return 1
    finally:
        config.plugins.on_shutdown()
        idle.stop()
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
