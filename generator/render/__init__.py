"""render: a dataset, the templates and the pages of ``site_src/`` → every page and file of the
site, as a short list of named phases (as MkDocs's own build is):

1. the charts the data supports are known, and built and set rendering (generator.charts);
2. the hand-written pages and articles are rendered (site_src.py), first, because the articles'
   index lists them;
3. the downloads are made (generator.downloads);
4. every kind of page is rendered, in the order of the page kinds (pages.py), the hand-written
   pages in their place;
5. the files: downloads, the feed, the charts' downloads;
6. the addresses are claimed (a hand-written page cannot take a generated page's), and the
   sources nothing cites are reported.

Pure: it reads ``templates/`` and ``site_src/`` and returns pages; it never writes into the source
tree and never imports MkDocs. :func:`write_tree` writes the pages to a folder for inspection
(``python -m generator export DIR``). Safety: every value that reaches a page through ``{{ … }}``
is escaped for *both* Markdown and HTML (generator.escape) unless it is Markup built by the
generator; templates and articles run in Jinja's immutable sandbox (sandbox.py).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .. import engine
from .. import model as m
from ..crossref import unused_sources
from ..derived import Derived, using
from ..facts import (basis_label, chart_gap, event_title, incoming_relations, latest_event,
                     latest_mark, parent_of, relations, secondary_only, valuation_marks)
from ..flows import investments_by, investments_index, investors_in
from ..markup import cite_marks, on_page, rel, settle_citations, status_badge
from ..problems import Problems
from ..share import SHARE_SIZE, Card, ShareCards
from ..types import FilePage, Page, PageMeta, PageState
from .api import Api, event_cell, investors_text, template_globals
from .frame import data_as_of, meta_line, source_entry, sources_footer, with_meta_line
from .pagination import paginate, pager_nav, pager_steps, source_span
from .pages import PageKind, PageSpec, Site
from .reuse import hand_pages, kept_pages
from .sandbox import TemplateLoader, bytecode_cache, make_env, render_template
from .site_src import claim_addresses, render_site_src


def render(ds: Any, settings: Any, problems: Problems, *, store: Any = None,
           kept: Any = None, derived: Derived | None = None) -> "Rendered":
    """Every page and file of the site, by the settings (generator.settings.Settings). Problems
    are added to ``problems``; pages with problems are left out, so callers must check
    ``problems`` before publishing anything.

    A check (``settings.check``) knows the charts from the data but neither builds nor renders
    them, and makes no downloads. Otherwise the charts are rendered in the background (see
    charts.pipeline): pages hold a placeholder for each chart's SVG, and chart downloads are
    files in the cache; Rendered.complete() waits for them. ``store``: the chart caches to use
    (serve keeps one across rebuilds), else the project's; ``kept``: the kept pages held in
    memory (serve's generator.render.reuse.KeptMemory), else none; ``derived``: the values
    computed from records to use (serve keeps one across rebuilds: generator.derived), else a
    new one."""
    derived = Derived() if derived is None else derived
    derived.keep(r for records in ds.records.values() for r in records.values())
    with using(derived):
        return _render(ds, settings, problems, store, kept)


def _render(ds: Any, settings: Any, problems: Problems, store: Any, kept: Any) -> "Rendered":
    from ..charts import ChartStore, Charts
    from ..downloadcache import Copy
    from ..downloads import atom_feed, dataset_downloads, download_cache, download_paths

    if store is None and not settings.check:
        store = ChartStore(settings.chart_folder(), keep_in_memory=settings.serve)
    charts = Charts(ds, problems, kinds=settings.kinds.charts, store=store,
                    render=not settings.check, workers=settings.chart_workers,
                    validate=settings.validate_specs)
    api = Api(ds, charts)
    source_pagers = paginate(sorted(ds.sources.values(), key=lambda s: (s.publisher.casefold(),
                                                                        s.as_of.order, s.id)),
                             settings.lists.sources_per_page, "sources.md", "sources", source_span)
    source_page = {s.id: pg.path for pg in source_pagers for s in pg.items}
    kinds = {k.name: k for k in settings.kinds.pages}
    share = ShareCards(None if settings.check else settings.chart_folder() / "share-cards")
    hand = render_site_src(ds.sources, settings, template_globals(api), problems, source_page,
                           kinds.get("article"), kinds.get("page"), share, api.articles,
                           hand_pages(settings, ds, charts.figure_key, source_page, api.articles,
                                      kept))
    # the check leaves out the downloads (about a second for a thousand companies): only the
    # data page's list of their sizes uses them
    files = dict.fromkeys(download_paths(ds.kinds), b"") if settings.check else \
        dataset_downloads(ds, cache=download_cache(settings))
    latest = latest_event(ds.companies.values())
    site = Site(ds, settings, source_pagers, _citing(ds),
                data_as_of(latest.date if latest else None), hand.articles,
                {p: d.size if isinstance(d, Copy) else len(d) for p, d in files.items()}, share)
    env = _template_env(ds, settings, api)
    pages: list = []
    cited = set(hand.cited)
    for kind in settings.kinds.pages:
        if kind.pages is None:  # written in site_src/: rendered above, in their place here
            pages += hand.pages
            hand.pages = []
            continue
        _render_kind(kind, site, env, source_page, problems, pages, cited,
                     kept_pages(kind, site, env, charts.figure_key, source_page, kept))
    if kept is not None:
        kept.forget_unused()
    # a download a file of the cache holds is linked from it, not held
    pages.extend(FilePage(p, d.path, "data") if isinstance(d, Copy) else Page(p, d, "data")
                 for p, d in files.items())
    if settings.site_url:
        pages.append(Page("feed.xml", atom_feed(hand.articles, settings.site_url),
                          f"{settings.site_src}/articles"))
    pages.extend(charts.assets())
    pages.extend(share.assets())
    claim_addresses(pages, hand.found, settings.site_src, problems)
    charts.release()
    if not problems.errors:
        unused_sources(ds, problems, cited)
    else:
        charts.abandon()  # nothing will be published: no chart need be rendered
    return Rendered(pages, charts)


def _citing(ds: Any) -> dict[str, list[tuple[str, str]]]:
    """Source id → (text, docs path) of each record that cites it, linked where it is shown."""
    out = {}
    for sid, refs in ds.citing().items():
        kinds = [(ds.kind(folder), rid) for folder, rid in refs]
        out[sid] = [k.cited_as(ds.records[k.folder][rid]) for k, rid in kinds if k.cited_as]
    return out


def _template_env(ds: Any, settings: Any, api: Api) -> Any:
    """The sandbox the templates of generated pages run in (code a maintainer reviewed: no
    budgets), with what they can call."""
    env = make_env(TemplateLoader(settings.root / settings.templates))
    env.bytecode_cache = None if settings.clean else bytecode_cache(settings.root)
    env.globals.update(template_globals(api))
    incoming = incoming_relations(ds.companies)
    invested: list = []  # investments_index, made when a template first asks for it

    def investments(c: Any) -> Any:
        if not invested:
            invested.append(investments_index(ds.companies))
        return investments_by(ds.companies, c.id, invested[0])

    env.globals.update({
        "ds": ds, "m": m, "rel": rel, "valuation_marks": valuation_marks, "latest_mark": latest_mark,
        "relations": lambda c: relations(ds.companies, c, incoming),
        "investors_text": lambda c, e: investors_text(ds.companies, c, e),
        "event_cell": lambda e, field, sources=(): event_cell(
            e, field, sources, secondary=lambda s: secondary_only(ds.sources, s)),
        "event_title": event_title, "basis_label": basis_label,
        "chart_gap": chart_gap,
        "investors_in": lambda c: investors_in(ds.companies, c),
        "investments_by": investments,
        "parent_of": lambda c: parent_of(ds.companies, c),
        "cite_marks": lambda sources, status="confirmed": cite_marks(
            sources, status, secondary=secondary_only(ds.sources, sources)),
        "status_badge": status_badge, "source_entry": source_entry,
        "every_mark_limit": settings.lists.every_mark, "pager_nav": pager_nav,
        "pager_steps": pager_steps,
        # (name.lower(): the order of Jinja's sort filter, which the template used before)
        "latest_marks": lambda: [(c, e) for c in sorted(ds.companies.values(),
                                                        key=lambda c: c.name.lower())
                                 if not parent_of(ds.companies, c) and (e := latest_mark(c))],
        "all_marks": lambda: sorted(((c, e) for c in ds.companies.values()
                                     for e in valuation_marks(c)),
                                    key=lambda ce: (ce[1].date.order, ce[0].name.casefold())),
    })
    return env


def _render_kind(kind: PageKind, site: Site, env: Any, source_page: dict[str, str],
                 problems: Problems, pages: list, cited: set[str], kept: Any = None) -> None:
    """Every page of ``kind``, appended to ``pages``; a big check renders a kind of many pages in
    two processes. ``kept``: the kind's kept pages (generator.render.reuse), or None."""
    settings = site.settings
    specs = list(kind.pages(site)) if kind.pages is not None else []

    def work(specs: Iterable[PageSpec]) -> None:
        for spec in specs:
            key = kept.key(spec) if kept is not None else None
            got = kept.get(key) if key is not None else None
            if got is not None:
                held, sources, _ = got
                cited.update(sources)
                _share_card(spec, site)  # its card is a file of the site, as if rendered
                pages.append(held.moved(spec.path, spec.origin))
                continue
            before = len(problems.items)
            state = PageState(spec.path)
            page = _render_page(kind, spec, site, env, source_page, problems, cited, state)
            if page is None:
                continue
            if key is not None and len(problems.items) == before:
                kept.put(key, page, list(state.sources), list(state.charts))
            pages.append(page)

    if kind.many and settings.check and len(specs) >= settings.parallel_check_min and can_fork():
        work(specs[:1])  # the template is compiled (and cached) before the fork
        in_two_processes(specs[1:], work, problems, pages, cited)
    else:
        work(specs)


def _render_page(kind: PageKind, spec: PageSpec, site: Site, env: Any,
                 source_page: dict[str, str], problems: Problems, cited: set[str],
                 state: PageState | None = None) -> Page | None:
    settings = site.settings
    state = state if state is not None else PageState(spec.path)
    with on_page(state):
        body = render_template(env, kind.template, f"{settings.templates}/{kind.template}",
                               spec.context, problems)
        if body is None:
            return None
        body = settle_citations(body)
        footer = sources_footer(site.ds.sources, source_page)
        cited.update(state.sources)
    image, alt = _share_card(spec, site)
    meta = PageMeta(spec.title, spec.description, kind.name, spec.origin,
                    data_as_of=spec.data_as_of or data_as_of(max(state.event_dates, default=None)),
                    og_type=kind.og_type, search_boost=kind.search_boost, jsonld=spec.jsonld,
                    last_checked=spec.last_checked, share_image=image, share_alt=alt,
                    share_size=SHARE_SIZE)
    body = with_meta_line(body, meta_line(meta))
    source = engine.page_source(meta, body + footer, settings.edit_url_base)
    return Page(spec.path, source.encode("utf-8"), spec.origin, engine.fingerprint(source))


def _share_card(spec: PageSpec, site: Site) -> tuple[str, str]:
    """The page's share card, named (made with the others): its site path and alt text."""
    label, figure, note = spec.key_figure or ("", "", "")
    return site.share.add(spec.path, spec.origin, Card(spec.title, label, figure,
                                                       spec.description, note))


@dataclass
class Rendered:
    """What render made: the pages and files, and the charts, whose rendering may still be going
    on (a build waits for it once MkDocs has converted the pages, see mkdocs_glue)."""

    pages: list
    charts: Any

    def complete(self) -> list:
        """Wait for the charts, and put each chart's SVG into the Markdown pages in place of its
        placeholder (export and tests; a build puts them into the finished HTML instead). The
        charts that could not be rendered are added to the render's problems."""
        self.charts.finish()
        out = []
        for p in self.pages:
            if isinstance(p, Page) and p.path.endswith(".md") and "fl-svg-chart-" in p.text:
                text = engine.place_charts(p.text, self.charts.inline_svg)
                p = Page(p.path, text.encode("utf-8"), p.origin)
            out.append(p)
        return out


# ---------------------------------------------------------------------------------------------
# A big check in two processes


def can_fork() -> bool:
    # Linux only: forking is safe in this process (no threads, no JS engine: charts are not
    # rendered in a check) and cheap; elsewhere the check stays in one process
    return sys.platform == "linux" and hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


def in_two_processes(items: list, work: Any, problems: Problems, pages: list,
                      cited: set[str]) -> None:
    """``work(items)`` as if in this process, with the second half done by a forked child that
    sends back its problems, pages and citations; they are added in the order one process
    would have made them. If the child fails, its half is done here."""
    import pickle

    mid = len(items) // 2
    n_problems, n_pages = len(problems.items), len(pages)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its half, then its results down the pipe, and nothing else
        code = 1
        try:
            os.close(read_end)
            work(items[mid:])
            with os.fdopen(write_end, "wb") as out:
                pickle.dump((problems.items[n_problems:], pages[n_pages:], cited), out,
                            protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
    os.close(write_end)
    got = os.fdopen(read_end, "rb")
    try:
        work(items[:mid])
        payload = got.read()  # the child waits on a full pipe until this reads it
    finally:
        # closed before waiting: if this half raised, a child blocked on the full pipe gets a
        # broken pipe and exits instead of waiting for a reader for ever
        got.close()
        _, status = os.waitpid(pid, 0)
    if status == 0 and payload:
        theirs, their_pages, their_cited = pickle.loads(payload)  # from our own child only
        problems.items.extend(theirs)
        pages.extend(their_pages)
        cited.update(their_cited)
    else:
        work(items[mid:])




def write_tree(pages: list[Page], out: Path) -> None:
    """Write the generated files to a folder, for inspection (never into the source tree)."""
    for p in pages:
        target = out / p.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(p.content, bytes):
            target.write_bytes(p.content)
        else:
            target.write_text(p.content, encoding="utf-8")
