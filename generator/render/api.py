"""What data-bound prose can reach: the functions articles and templates call (``fig``, ``cell``,
``ratio``, ``link``, ``cite``, ``term``, ``chart`` …), each returning a :class:`Figure` or Markup,
and every unknown id a RenderError with a suggestion."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Callable, Iterable, Iterator

from markupsafe import Markup

from .. import engine
from .. import model as m
from ..escape import md
from ..bounds import Span, Unbounded
from ..facts import (event_name, event_title, in_sentence, latest_check, latest_mark, parent_of,
                     secondary_only, weakest)
from ..markup import (cite_marks, current_page, deferred_marks, differ_marks, link, rel,
                      short_date, status_badge)
from ..suggest import suggest
from ..types import RenderError
from ..values import Money, PartialDate, parse_date


@dataclass(frozen=True)
class Figure:
    """A value from the data with its provenance; renders as the value plus its citations.
    ``computed``: the result of arithmetic on figures, whose citations go to the end of its
    sentence (markup.settle_citations); ``differ``: the sources of other reports' figures for
    the same field ('reports differ'); ``basis``: a valuation's kind of price, in words; ``span``:
    what the figure says about a number (exact, about, a bound, a range), for arithmetic;
    ``secondary``: it rests on secondary sources only (facts.secondary_only) and shows the mark."""

    value: Any
    sources: tuple[str, ...]
    status: str
    label: str = ""
    unit: str = ""  # shown after a number ("700 W"); arithmetic uses the number alone
    computed: bool = False
    differ: tuple[str, ...] = ()
    basis: str = ""
    span: Span | None = None
    secondary: bool = False

    def text(self) -> str:
        v = self.value
        if isinstance(v, (Money, PartialDate)):
            return v.display()
        if isinstance(v, Decimal):
            out = f"{v:,f}".rstrip("0").rstrip(".") if "." in f"{v:f}" else f"{v:,}"
        elif isinstance(v, int) and not isinstance(v, bool):
            out = f"{v:,}"
        else:
            out = str(v)
        return f"{out} {self.unit}" if self.unit else out

    def __html__(self) -> str:
        if self.computed:
            return str(md(self.text())) + deferred_marks(self.sources, self.status,
                                                         self.secondary)
        out = md(self.text()) + cite_marks(self.sources, self.status, secondary=self.secondary)
        return str(out + differ_marks(self.differ) if self.differ else out)

    def __str__(self) -> str:
        return self.text()

    @property
    def plain(self) -> Markup:
        """The value without citations (for a second mention in the same sentence)."""
        return md(self.text())


LIST_MOST = 20  # the longest list latest_marks() and latest_articles() make


def _note(read: str) -> None:
    try:
        current_page().reads.add(read)
    except LookupError:  # (no page is being rendered)
        pass


class Noted(Mapping):
    """A folder's records (the companies, the sources) as the Api reads them: each record looked
    up is noted on the page being rendered (PageState.reads: ``<folder>:<id>``, found or not),
    and going over all of them notes the folder (``<folder>:*``), so that a kept hand-written
    page is taken again only when none of what it read changed (render/reuse.HandCache)."""

    __slots__ = ("folder", "records")

    def __init__(self, folder: str, records: Mapping):
        self.folder = folder
        self.records = records

    def __getitem__(self, key: str) -> Any:
        _note(f"{self.folder}:{key}")
        return self.records[key]

    def get(self, key: str, default: Any = None) -> Any:
        _note(f"{self.folder}:{key}")
        return self.records.get(key, default)

    def __contains__(self, key: object) -> bool:
        _note(f"{self.folder}:{key}")
        return key in self.records

    def __iter__(self) -> Iterator[str]:
        _note(f"{self.folder}:*")
        return iter(self.records)

    def __len__(self) -> int:
        _note(f"{self.folder}:*")
        return len(self.records)

    def keys(self) -> Any:
        _note(f"{self.folder}:*")
        return self.records.keys()

    def values(self) -> Any:
        _note(f"{self.folder}:*")
        return self.records.values()

    def items(self) -> Any:
        _note(f"{self.folder}:*")
        return self.records.items()


class DataView:
    """The dataset as the Api reads it: its companies and sources :class:`Noted`; its glossary
    and tables as they are (every kept page's key covers their files: KeptPages.site_key).
    Nothing else of the dataset is reachable from here."""

    def __init__(self, ds: Any):
        self.companies = Noted("companies", ds.companies)
        self.sources = Noted("sources", ds.sources)
        self.glossary = ds.glossary
        self.tables = ds.tables


class Api:
    """What data-bound prose can reach. Every unknown id raises RenderError with a suggestion.
    ``charts``: the charts of the render (generator.charts.Charts), which ``chart()`` places."""

    def __init__(self, ds: Any, charts: Any):
        self.ds = DataView(ds) if ds is not None else None
        self.charts = charts
        # the articles rendered so far ({path, meta, minutes}), filled by site_src.py, which
        # renders them before the other hand-written pages (the home page lists the newest)
        self.articles: list[dict] = []

    # -- lookups
    def company_record(self, company_id: str) -> m.Company:
        c = self.ds.companies.get(company_id)
        if c is None:
            raise RenderError(f"unknown company '{company_id}'{suggest(company_id, self.ds.companies)}")
        return c

    def event_record(self, company_id: str, event_id: str) -> m.Event:
        c = self.company_record(company_id)
        e = c.event(event_id)
        if e is None:
            raise RenderError(f"company '{company_id}' has no event '{event_id}'"
                              f"{suggest(event_id, [x.id for x in c.events])}")
        current_page().event_dates.append(e.date)  # the page's "data as of"
        return e

    FIELDS = ("date", "amount_raised", "amount_committed", "pre_money_valuation", "valuation",
              "round")
    MOVED = {"post_money_valuation": "valuation"}

    def fig(self, path: str, alternative: int | None = None) -> Figure:
        """``fig('anthropic/series-h/valuation')``: one field of one event (its basis, for a
        valuation, in ``.basis``); ``alternative=1``: the first other report of that field."""
        parts = str(path).split("/")
        if len(parts) != 3:
            raise RenderError(f"fig('{path}'): expected 'company/event/field', such as "
                              "'anthropic/series-h/valuation'")
        e = self.event_record(parts[0], parts[1])
        name = parts[2]
        if name in self.MOVED:
            raise RenderError(f"fig('{path}'): '{name}' is now '{self.MOVED[name]}', whose kind of "
                              f"price is the event's valuation_basis; write "
                              f"fig('{parts[0]}/{parts[1]}/{self.MOVED[name]}')")
        if name not in self.FIELDS:
            raise RenderError(f"fig('{path}'): unknown field '{name}'{suggest(name, self.FIELDS)}")
        value = getattr(e, name)
        if value is None:
            raise RenderError(f"fig('{path}'): event '{parts[1]}' of '{parts[0]}' has no {name}")
        alts = [a for a in e.alternatives if a.field == name]
        basis = e.basis_words() if name == "valuation" else (
            m.BASIS_LABEL["pre-money"][1] if name == "pre_money_valuation" else "")
        if alternative is None:
            return Figure(value, tuple(e.sources), e.status, f"{parts[0]} {parts[1]} {name}",
                          differ=tuple(s for a in alts for s in a.sources), basis=basis,
                          span=Span.of(value) if isinstance(value, Money) else None,
                          secondary=self._secondary(e.sources))
        if not isinstance(alternative, int) or isinstance(alternative, bool) or \
                not 1 <= alternative <= len(alts):
            shown = repr(alternative) if len(repr(alternative)) <= 30 else "that"
            have = (f"numbers its other reports of {name} 1 to {len(alts)}" if len(alts) > 1 else
                    f"has one other report of {name}: alternative=1" if alts else
                    f"records no other report of {name}")
            raise RenderError(f"fig('{path}', alternative={shown}): the event {have}")
        a = alts[alternative - 1]
        words = m.BASIS_LABEL[a.valuation_basis][1] if a.valuation_basis else basis
        return Figure(a.value, tuple(a.sources), a.status or e.status,
                      f"{parts[0]} {parts[1]} {name} ({alternative})", basis=words,
                      span=Span.of(a.value), secondary=self._secondary(a.sources))

    def metric(self, company_id: str, kind: str, date: str) -> Figure:
        c = self.company_record(company_id)
        for mt in c.metrics:
            if mt.kind == kind and str(mt.date) == str(date):
                return Figure(mt.value, tuple(mt.sources), mt.status,
                              secondary=self._secondary(mt.sources))
        known = [f"{x.kind} {x.date}" for x in c.metrics]
        raise RenderError(f"company '{company_id}' has no {kind} metric dated {date}"
                          f"{suggest(f'{kind} {date}', known)}")

    def cell(self, table_id: str, row_id: str, column: str) -> Figure:
        t = self.ds.tables.get(table_id)
        if t is None:
            raise RenderError(f"unknown table '{table_id}'{suggest(table_id, self.ds.tables)}")
        row = next((r for r in t.rows if r.id == row_id), None)
        if row is None:
            raise RenderError(f"table '{table_id}' has no row '{row_id}'"
                              f"{suggest(row_id, [r.id for r in t.rows])}")
        cols = {c.id: c for c in t.columns}
        if column not in cols:
            raise RenderError(f"table '{table_id}' has no column '{column}'{suggest(column, cols)}")
        value = row.values.get(column)
        if value is None:
            raise RenderError(f"table '{table_id}', row '{row_id}' has no value for '{column}'")
        unit = cols[column].unit
        if cols[column].type == "year":
            value = str(value)
        return Figure(value, tuple(row.sources), row.status, unit=unit or "",
                      secondary=self._secondary(row.sources))

    # -- arithmetic on figures (results carry the union of sources and the weakest status)
    # Ranges (documented in CONTRIBUTING.md): numbers computed with, and results, are at most
    # 10^18 in size (every figure from the data is far below: amounts are capped per currency,
    # table numbers at 10^15), and digits run from 0 to 6. Within them Decimal's 28 digits hold
    # every result exactly enough, and nothing fails with a bare InvalidOperation.
    RESULT_MAX = Decimal(10) ** 18
    MAX_DIGITS = 6

    @classmethod
    def _span(cls, name: str, f: Any) -> Span:
        """What a figure says about its number, for arithmetic."""
        v = f.value if isinstance(f, Figure) else f
        if isinstance(f, Figure) and f.span is not None:
            return f.span
        if isinstance(v, Money):
            return Span.of(v)
        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
            if abs(v) > cls.RESULT_MAX:
                raise RenderError("cannot compute with a number larger than 10^18; the numbers in "
                                  "the data are far smaller")
            return Span.exact(v)
        shown = repr(v) if len(repr(v)) <= 60 else f"{repr(v)[:57]}..."
        raise RenderError(f"{name}(): cannot compute with {shown}; expected a figure holding an "
                          "amount or number")

    @classmethod
    def _digits(cls, name: str, digits: Any) -> Decimal:
        """The step to round a result of ``name()`` to: 1, 0.1, ... 0.000001."""
        if not isinstance(digits, int) or isinstance(digits, bool) or \
                not 0 <= digits <= cls.MAX_DIGITS:
            shown = repr(digits) if len(repr(digits)) <= 30 else "that"
            raise RenderError(f"{name}(): the number of decimals must be a whole number from 0 to "
                              f"{cls.MAX_DIGITS}, not {shown}")
        return Decimal(1).scaleb(-digits)

    @classmethod
    def _in_range(cls, name: str, result: Span) -> Span:
        try:
            result.check_bounded(f"{name}()'s result")
        except Unbounded as exc:
            raise RenderError(str(exc)) from None
        if any(x is not None and abs(x) > cls.RESULT_MAX for x in result.ends()):
            raise RenderError(f"{name}(): the result is larger than 10^18, beyond what a page "
                              "shows; check the figures")
        return result

    @staticmethod
    def _value(f: Any) -> Any:
        return f.value if isinstance(f, Figure) else None

    @staticmethod
    def _merge(*figs: Any) -> tuple[tuple[str, ...], str]:
        sources: list[str] = []
        statuses = []
        for f in figs:
            if isinstance(f, Figure):
                sources += [s for s in f.sources if s not in sources]
                statuses.append(f.status)
        return tuple(sources), weakest(statuses)

    def _computed(self, value: Any, span: Span | None, *figs: Any, unit: str = "") -> Figure:
        """A figure computed from ``figs``: the sources of them all, the weakest status, and the
        secondary mark if any of them rests on secondary sources only."""
        sources, status = self._merge(*figs)
        secondary = any(isinstance(f, Figure) and f.secondary for f in figs)
        return Figure(value, sources, status, unit=unit, computed=True, span=span,
                      secondary=secondary)

    def _secondary(self, sources: Iterable[str]) -> bool:
        return secondary_only(self.ds.sources, sources)

    def _quotient(self, name: str, a: Figure, b: Figure) -> Span:
        den = self._span(name, b)
        if den.hi is not None and den.hi == 0:
            raise RenderError(f"{name}(): division by zero")
        num = self._span(name, a)
        if (num.lo is not None and num.lo < 0) or (den.lo is not None and den.lo < 0):
            raise RenderError(f"{name}(): both figures must be positive")
        return num / den

    def ratio(self, a: Figure, b: Figure, digits: int = 1) -> Figure:
        """a ÷ b, shown as '2.5×' (a range '9.9–10.6×', a bound 'more than 4.0×')."""
        step = self._digits("ratio", digits)
        q = self._in_range("ratio", self._quotient("ratio", a, b)).rounded(step)
        return self._computed(q.words(str, "×"), q, a, b)

    def growth(self, a: Figure, b: Figure, digits: int = 0) -> Figure:
        """Change from b to a in per cent, shown as '+154%'."""
        step = self._digits("growth", digits)
        pct = self._in_range("growth", self._quotient("growth", a, b).map(
            lambda r: (r - 1) * 100)).rounded(step)
        return self._computed(pct.words(lambda d: f"{d:+}".replace("+", "+" if d > 0 else ""),
                                        "%", signed=True), pct, a, b)

    def diff(self, a: Figure, b: Figure) -> Figure:
        """|a − b| for two amounts of the same currency."""
        va, vb = self._value(a), self._value(b)
        if not (isinstance(va, Money) and isinstance(vb, Money)) or va.currency != vb.currency:
            raise RenderError("diff(): both figures must be amounts in the same currency")
        sa, sb = self._span("diff", a), self._span("diff", b)
        big, small = (sa, sb) if va.point >= vb.point else (sb, sa)  # by the figures as given
        d = self._in_range("diff", big.left_after(small))
        return self._computed(d.money(va.currency), d, a, b)

    def per(self, a: Figure, b: Figure, unit: str, digits: int = 1) -> Figure:
        """a ÷ b as a quantity with a unit: per(cell(fp8), cell(watts), "TFLOPS per watt")."""
        step = self._digits("per", digits)
        q = self._in_range("per", self._quotient("per", a, b)).rounded(step)
        lo, hi = q.ends()
        value = lo if lo is not None and lo == hi and not q.approx else q.words(str)
        return self._computed(value, q, a, b, unit=str(unit))

    def months(self, a: Figure, b: Figure) -> Figure:
        """Whole months between two dated figures (a after b), shown as '3 months'."""
        da, db = self._value(a), self._value(b)
        if not (isinstance(da, PartialDate) and isinstance(db, PartialDate)) or not (da.month and
                                                                                   db.month):
            raise RenderError("months(): both figures must be dates with a month, such as "
                              "fig('anthropic/series-h/date')")
        n = abs((da.year - db.year) * 12 + da.month - db.month)
        return self._computed(f"{n} month{'s' if n != 1 else ''}", None, a, b)

    def total(self, *figs: Figure) -> Figure:
        vals = [self._value(f) for f in figs]
        if not vals or not all(isinstance(v, Money) for v in vals) or \
                len({v.currency for v in vals}) != 1:
            raise RenderError("total(): every figure must be an amount in one currency")
        span = Span.exact(0)
        for f in figs:
            span = span + self._span("total", f)
        span = self._in_range("total", span)
        return self._computed(span.money(vals[0].currency), span, *figs)

    # -- links
    def link(self, company_id: str) -> Markup:
        c = self.company_record(company_id)
        return link(c.name, f"companies/{c.id}.md")

    def cite(self, *source_ids: str) -> Markup:
        for s in source_ids:
            if s not in self.ds.sources:
                raise RenderError(f"unknown source '{s}'{suggest(s, self.ds.sources)}")
        return cite_marks(source_ids, secondary=self._secondary(source_ids))

    def latest_check(self) -> Markup:
        """The latest day a company record was checked, as a date ('6 December 2026')."""
        checked = latest_check(self.ds.companies.values())
        return md(checked.display() if checked is not None else "never")

    def term(self, term_id: str, text: str | None = None) -> Markup:
        """A glossary term: linked to its entry the first time it appears on a page."""
        g = self.ds.glossary.get(term_id)
        if g is None:
            raise RenderError(f"unknown glossary term '{term_id}': there is no file "
                              f"data/glossary/{term_id}.yaml{suggest(term_id, self.ds.glossary)}")
        shown = md(text if text is not None else g.term.lower()
                   if not g.term.isupper() and not g.term[:2].isupper() else g.term)
        state = current_page()
        if term_id in state.terms or state.path == "glossary.md":
            return shown
        state.terms.add(term_id)
        return Markup(f'[{shown}]({rel("glossary.md#term-" + term_id)})'
                      + engine.attr_list(".fl-term"))

    def page_link(self, docs_path: str, text: str) -> Markup:
        return link(text, docs_path)

    def chart(self, chart_id: str, optional: bool = False) -> Markup:
        """The figure of a chart (see generator.charts); ``optional``: nothing when the data has
        no such chart (templates; articles name charts that exist)."""
        return self.charts.place(chart_id, optional)

    # -- lists for the home page
    @staticmethod
    def _count(name: str, count: Any) -> int:
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= LIST_MOST:
            raise RenderError(f"{name}(): the count must be a whole number from 1 to "
                              f"{LIST_MOST}, not {str(count)!r}")
        return count

    def latest_marks(self, count: int = 5) -> Markup:
        """The newest valuation marks, one a company (its latest deal, confirmed or reported),
        newest first, as a table: company, valuation with its kind of price and sources, date,
        event, status."""
        marks = sorted(((c, e) for c in self.ds.companies.values()
                        if not parent_of(self.ds.companies, c) and (e := latest_mark(c))),
                       key=lambda ce: (ce[1].date.order, ce[0].name.casefold()), reverse=True)
        shown = marks[:self._count("latest_marks", count)]
        current_page().event_dates.extend(e.date for _, e in shown)  # the page's "data as of"
        rows = [f"| {self.link(c.id)} | "
                f"{event_cell(e, 'valuation', e.sources, secondary=self._secondary)} | "
                f"{md(short_date(e.date))} | {md(event_title(e))} | {status_badge(e.status)} |"
                for c, e in shown]
        head = "| Company | Valuation | Date | Event | Status |\n|---|---:|---|---|---|"
        return Markup("\n\n" + "\n".join([head, *rows]) + "\n\n") if rows else Markup("")

    def latest_articles(self, count: int = 5) -> Markup:
        """The newest articles, newest first, as a list: each linked, with its date, reading
        time and description (the articles are rendered before the other hand-written pages)."""
        _note("articles")
        newest = sorted(self.articles, key=lambda a: (a["meta"].published, a["meta"].title),
                        reverse=True)[:self._count("latest_articles", count)]
        items = [f"- [{md(a['meta'].title)}]({rel(a['path'])}): "
                 f"{md(a['meta'].description)} <span class=\"fl-meta\">Published "
                 f"{md(parse_date(str(a['meta'].published)).display())} · {a['minutes']} min read"
                 "</span>"
                 for a in newest]
        return Markup("\n\n" + "\n".join(items) + "\n\n") if items else Markup("")



def investors_text(companies: dict[str, m.Company], c: m.Company, e: m.Event) -> Markup:
    """The investors of an event, linked to their profiles, with their role when they led and
    the money of each line: paid in, committed, or the same money as another event's."""
    parts = []
    for inv in e.investors:
        if inv.company:
            other = companies[inv.company]
            part = link(inv.name or other.name, f"companies/{other.id}.md")
        else:
            part = md(inv.name)
        extra = [inv.role] if inv.role != "participant" else []
        if inv.amount is not None:
            extra.append(f"paid {inv.amount.display()}")
        if inv.committed is not None:
            extra.append(f"committed {inv.committed.display()}")
        inner = c.event(inv.counted_in) if inv.counted_in else None
        if inner is not None:
            extra.append(f"the same money as its {event_name(inner)} of {inner.date.display()}, "
                         "counted there")
        parts.append(Markup(f"{part} ({md('; '.join(extra))})") if extra else part)
    return Markup(", ").join(parts)


def event_cell(e: m.Event, field: str, sources: Any = (), *,
               secondary: Callable[[Iterable[str]], bool] = lambda sources: False) -> Markup:
    """One amount of an event in a table: the figure (with ``sources`` cited, when the row cites
    them here); for a valuation, its kind of price; and where other reports give another figure,
    'reports differ' with that figure and its citations. ``secondary(sources)``: whether what
    cites them rests on secondary sources only (facts.secondary_only), which adds the mark."""
    value = getattr(e, field)
    if value is None:
        return Markup("—")
    out = md(value.display()) + (cite_marks(sources, secondary=secondary(sources)) if sources
                                 else Markup(""))
    if field == "valuation" and e.valuation_basis:
        out += Markup(f'<br><span class="fl-kind">{md(m.BASIS_LABEL[e.valuation_basis][0])}'
                      "</span>")
    for a in (a for a in e.alternatives if a.field == field):
        basis = (f", {in_sentence(m.BASIS_LABEL[a.valuation_basis][0])}"
                 if a.valuation_basis and a.valuation_basis != e.valuation_basis else "")
        out += Markup(f'<br><span class="fl-differ">reports differ: {md(a.value.display())}'
                      f"{md(basis)}</span>") + cite_marks(a.sources, a.status or "confirmed",
                                                          secondary=secondary(a.sources))
    return out


def template_globals(api: Api) -> dict[str, Any]:
    """The functions articles and hand-written pages can call."""
    return {
        "fig": api.fig, "metric": api.metric, "cell": api.cell, "ratio": api.ratio,
        "growth": api.growth, "diff": api.diff, "total": api.total, "months": api.months,
        "per": api.per, "link": api.link,
        "cite": api.cite, "term": api.term, "page_link": api.page_link, "company": api.company_record,
        "event": api.event_record, "chart": api.chart, "latest_check": api.latest_check,
        "latest_marks": api.latest_marks, "latest_articles": api.latest_articles,
    }


