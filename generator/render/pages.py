"""The kinds of page, registered once: :data:`PAGE_KINDS` says, for each, which template renders it,
which pages of it the data makes (path, the file a contributor edits, title, description and what
the template is given), how search and link previews treat it, and one page of it in the shipped
site (for the weight budget and the browser tests).

Rendering loops over these entries in their order (which is also the order of the pages handed
to MkDocs). Articles and hand-written pages are kinds too, whose pages are the files of
``site_src/`` rather than records. Adding a kind of page: a template in ``templates/`` and one
:class:`PageKind` here (README, "How it works").
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from markupsafe import Markup

from ..downloads import LICENCE
from ..facts import event_title, latest_event, latest_mark, parent_of, secondary_only
from .frame import company_json_ld, data_as_of, json_ld
from .pagination import Pager, numbered, paginate, span


@dataclass(frozen=True)
class PageSpec:
    """One page of a kind, before it is rendered: where it goes, the project file a contributor
    edits for it, its title and description, and what its template is given."""

    path: str  # docs-relative, e.g. "companies/acme.md"
    origin: str
    title: str
    description: str
    context: dict[str, Any] = field(default_factory=dict)
    data_as_of: str | None = None  # what the dates line says; None: the page's own figures say
    jsonld: str | None = None
    last_checked: str | None = None  # when the record behind the page was last checked
    key_figure: tuple[str, str, str] | None = None  # (label, value, note) its share card shows


@dataclass
class Site:
    """What the pages of every kind are made from: the dataset and settings, the sources pages,
    the articles (rendered first, from site_src/), and the downloads."""

    ds: Any
    settings: Any
    source_pagers: list[Pager]
    citing: dict[str, list[tuple[str, str]]]  # source id → (text, docs path) of what cites it
    latest_event: str | None  # "data as of" of pages about all the data (frame.data_as_of)
    articles: list[dict] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)  # the downloads' sizes by path
    share: Any = None  # the pages' share cards (generator.share.ShareCards)


@dataclass(frozen=True)
class PageKind:
    """A kind of page. ``pages(site)``: the pages of the kind (None: the pages are the files of
    site_src/, see site_src.render_site_src); ``template``: in templates/ (None: the page is its
    own template). ``examples``: (label, address) of one page of the kind in the shipped site.
    ``og_type``: what the page is to link previews; ``search_boost``: how much search favours it
    (None: as any page); ``many``: one page a record, rendered in two processes by a big check."""

    name: str
    template: str | None
    pages: Callable[[Site], Iterable[PageSpec]] | None
    examples: tuple[tuple[str, str], ...] = ()
    og_type: str = "website"
    search_boost: float | None = None
    many: bool = False
    # what a page of the kind reads beyond what every page reads, as text for its key (see
    # render/reuse.py); None: its pages are rendered every time
    reads: Callable[[Site, PageSpec], list[str]] | None = None
    # the functions of the templates' environment whose reads ``reads`` covers, beyond those
    # that read nothing but their arguments (render.reuse.LIST_NAMES)
    uses: frozenset[str] = frozenset()


# ---------------------------------------------------------------------------------------------
# The pages of the project's kinds


def card_note(e: Any, sources: dict[str, Any]) -> str:
    """What a share card says under its figure, as a figure on a page does: the event's date
    and name, its status, and who reported it ('28 May 2026, Series H (primary round) ·
    confirmed · sources: Anthropic, Financial Times and 2 more')."""
    names = list(dict.fromkeys(sources[s].publisher for s in e.sources if s in sources))
    who = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
    if secondary_only(sources, e.sources):
        who += " (secondary only)"
    return f"{e.date.display()}, {event_title(e)} · {e.status} · sources: {who}"


def _profiles(site: Site) -> Iterable[PageSpec]:
    ds = site.ds
    for c in sorted(ds.companies.values(), key=lambda c: c.id):
        latest = latest_event([c])
        mark = latest_mark(c)
        figure = (f"Latest {mark.basis_words()}", mark.valuation.display(),
                  card_note(mark, ds.sources)) if mark else None
        yield PageSpec(f"companies/{c.id}.md", ds.origin("companies", c.id), c.name, c.summary,
                       {"c": c}, data_as_of=data_as_of(latest.date if latest else None),
                       jsonld=company_json_ld(c), last_checked=c.last_checked.display(),
                       key_figure=figure)


def _companies(site: Site) -> Iterable[PageSpec]:
    by_name = sorted(site.ds.companies.values(), key=lambda c: c.name.casefold())
    for pg in paginate(by_name, site.settings.lists.companies_per_page, "companies/index.md",
                       "companies", lambda a, b: span(a.name, b.name)):
        yield PageSpec(pg.path, "data/companies", numbered("Companies", pg),
                       "Every company profiled, with its latest valuation mark and where it comes "
                       "from.", {"companies": pg.items, "pager": pg},
                       data_as_of=site.latest_event)


def _company_list_reads(site: Site, spec: PageSpec) -> list[str]:
    """A page of the companies index reads its place in the list, the date the site's data is
    as of, and for each company it lists, its file and the file of the company it belongs to
    (named and linked in its row; found as the row finds it); the sources its marks cite are the
    kept page's own reads."""
    ds, pg = site.ds, spec.context["pager"]
    out = [repr((pg.number, pg.paths, pg.ranges, pg.start, pg.total)), site.latest_event or ""]
    for c in pg.items:
        parent = parent_of(ds.companies, c)
        out.append(f"{c.id}:{_file_digest(ds, 'companies', c.id)} " + (
            f"{parent.id}:{_file_digest(ds, 'companies', parent.id)}" if parent else "-"))
    return out


def _file_digest(ds: Any, folder: str, rid: str) -> str:
    found = ds.file_digest(folder, rid)
    return found if found is not None else f"unknown {os.urandom(8).hex()}"  # (never equal)


def _valuations(site: Site) -> Iterable[PageSpec]:
    yield PageSpec("valuations.md", "data/companies", "Valuations compared",
                   "Every valuation with its kind of price, status and sources, and the "
                   "post-money valuations compared across companies.",
                   data_as_of=site.latest_event)


def _tables(site: Site) -> Iterable[PageSpec]:
    ds = site.ds
    for t in sorted(ds.tables.values(), key=lambda t: t.id):
        yield PageSpec(f"tables/{t.id}.md", ds.origin("tables", t.id), t.title, t.description,
                       {"t": t})


def _glossary(site: Site) -> Iterable[PageSpec]:
    yield PageSpec("glossary.md", "data/glossary", "Glossary",
                   "The terms of private funding, public listings and AI hardware used on this "
                   "site, in plain words.",
                   {"terms": sorted(site.ds.glossary.values(), key=lambda g: g.term.casefold())})


def _sources(site: Site) -> Iterable[PageSpec]:
    for pg in site.source_pagers:
        yield PageSpec(pg.path, "data/sources", numbered("Sources", pg),
                       "Every source behind the figures on this site: publisher, title, address "
                       "and dates.", {"sources": pg.items, "pager": pg, "citing": site.citing},
                       data_as_of=site.latest_event)


def _source_reads(site: Site, spec: PageSpec) -> list[str]:
    """A page of the sources list reads its place in the list, its records (their files), what
    cites each, and the date the site's data is as of (its dates line)."""
    ds, pg = site.ds, spec.context["pager"]
    out = [repr((pg.number, pg.paths, pg.ranges, pg.start, pg.total)), site.latest_event or ""]
    for s in pg.items:
        rel = ds.origins.get(("sources", s.id))
        out.append(f"{s.id}:{ds.digests.get(rel) if rel else ''}:{site.citing.get(s.id, [])!r}")
    return out


def _articles(site: Site) -> Iterable[PageSpec]:
    # the lead article (front matter 'lead: true') first, then the others newest first
    ordered = sorted(site.articles, key=lambda a: not a["meta"].lead)
    yield PageSpec("articles/index.md", f"{site.settings.site_src}/articles", "Articles",
                   "Explainers on frontier AI valuations and the infrastructure behind them.",
                   {"articles": ordered})


def _data(site: Site) -> Iterable[PageSpec]:
    files = site.files
    csv_files = [{"name": Markup(f.name), "path": Markup(f.path),
                  "description": Markup(f.description)}
                 for k in site.ds.kinds for f in k.csv_files]
    jsonld = json_ld({
        "@context": "https://schema.org", "@type": "Dataset",
        "name": "Frontier Ledger: frontier AI valuations",
        "description": "Companies, funding and valuation events with status and sources, and the "
                       "source records themselves.",
        "license": LICENCE["url"],
        "variableMeasured": [
            {"@type": "PropertyValue", "name": "valuation",
             "description": "The price an event puts on a whole company, with its basis."},
            {"@type": "PropertyValue", "name": "valuation_basis",
             "description": "What kind of price a valuation is: post-money, pre-money, "
                            "not-stated (pre- or post-money), secondary (implied by a sale of "
                            "existing shares), ipo (at the IPO price), market-value, deal-value, "
                            "offer-declined, target (talks or a target)."},
            {"@type": "PropertyValue", "name": "amount_raised",
             "description": "Money paid in (for tender offers and secondary sales, shares sold)."},
            {"@type": "PropertyValue", "name": "amount_committed",
             "description": "Money committed, an 'up to' amount, including what was paid at "
                            "once."}],
        "distribution": [{"@type": "DataDownload", "contentUrl": path,
                          "encodingFormat": "text/csv" if path.endswith(".csv")
                          else "application/json"} for path in files
                         if path.endswith((".csv", ".json"))]})
    yield PageSpec("data.md", "data", "Download the data",
                   "Every company, event and source behind this site, as CSV and JSON files at "
                   "stable addresses.",
                   {"files": files, "csv_files": csv_files},
                   data_as_of=site.latest_event, jsonld=jsonld)


COMPANY = PageKind("company", "company.md.j2", _profiles,
                   (("company profile", "companies/anthropic/"),), search_boost=4, many=True)
COMPANIES = PageKind("companies", "companies.md.j2", _companies,
                     (("companies index", "companies/"),), reads=_company_list_reads,
                     uses=frozenset({"latest_mark", "parent_of", "event_cell"}))
VALUATIONS = PageKind("valuations", "valuations.md.j2", _valuations, (("valuations", "valuations/"),))
TABLE = PageKind("table", "table.md.j2", _tables, (("table", "tables/largest-ipos/"),))
GLOSSARY = PageKind("glossary", "glossary.md.j2", _glossary, (("glossary", "glossary/"),))
SOURCES = PageKind("sources", "sources.md.j2", _sources, (("sources", "sources/"),),
                   reads=_source_reads)
ARTICLE = PageKind("article", None, None, (("article", "articles/anthropic-series-h/"),
                                           ("explainer with tables", "articles/power-and-cooling/")),
                   og_type="article")
PAGE = PageKind("page", None, None, (("home", ""), ("methodology", "methodology/"),
                                     ("about", "about/")))
ARTICLES = PageKind("articles", "articles.md.j2", _articles, (("articles index", "articles/"),))
DATA = PageKind("data", "data.md.j2", _data, (("data", "data/"),))

PAGE_KINDS: tuple[PageKind, ...] = (COMPANY, COMPANIES, VALUATIONS, TABLE, GLOSSARY, SOURCES,
                                    ARTICLE, PAGE, ARTICLES, DATA)
