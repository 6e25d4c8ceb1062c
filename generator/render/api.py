"""What data-bound prose can reach: the functions articles and templates call (``fig``, ``cell``,
``ratio``, ``link``, ``cite``, ``term``, ``chart`` …), each returning a :class:`Figure` or Markup,
and every unknown id a RenderError with a suggestion."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from markupsafe import Markup

from .. import engine
from .. import model as m
from ..escape import md
from ..facts import latest_check, secondary_only, weakest
from ..markup import cite_marks, current_page, link, rel
from ..suggest import suggest
from ..types import RenderError
from ..values import Money, PartialDate


@dataclass(frozen=True)
class Figure:
    """A value from the data with its provenance; renders as the value plus its citations."""

    value: Any
    sources: tuple[str, ...]
    status: str
    label: str = ""
    unit: str = ""  # shown after a number ("700 W"); arithmetic uses the number alone
    secondary: bool = False  # it rests on secondary sources only (facts.secondary_only)

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
        return str(md(self.text()) + cite_marks(self.sources, self.status,
                                                secondary=self.secondary))

    def __str__(self) -> str:
        return self.text()

    @property
    def plain(self) -> Markup:
        """The value without citations (for a second mention in the same sentence)."""
        return md(self.text())



class Api:
    """What data-bound prose can reach. Every unknown id raises RenderError with a suggestion.
    ``charts``: the charts of the render (generator.charts.Charts), which ``chart()`` places."""

    def __init__(self, ds: Any, charts: Any):
        self.ds = ds
        self.charts = charts

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

    def fig(self, path: str) -> Figure:
        """``fig('anthropic/series-h/post_money_valuation')``: one field of one event."""
        parts = str(path).split("/")
        if len(parts) != 3:
            raise RenderError(f"fig('{path}'): expected 'company/event/field', such as "
                              "'anthropic/series-h/post_money_valuation'")
        e = self.event_record(parts[0], parts[1])
        fields = ["date", "amount_raised", "amount_committed", "pre_money_valuation",
                  "post_money_valuation", "round"]
        if parts[2] not in fields:
            raise RenderError(f"fig('{path}'): unknown field '{parts[2]}'{suggest(parts[2], fields)}")
        value = getattr(e, parts[2])
        if value is None:
            raise RenderError(f"fig('{path}'): event '{parts[1]}' of '{parts[0]}' has no "
                              f"{parts[2]}")
        return Figure(value, tuple(e.sources), e.status, f"{parts[0]} {parts[1]} {parts[2]}",
                      secondary=self._secondary(e.sources))

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
    def _num(cls, f: Any) -> Decimal:
        v = f.value if isinstance(f, Figure) else f
        if isinstance(v, Money):
            return v.amount
        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
            if abs(v) > cls.RESULT_MAX:
                raise RenderError("cannot compute with a number larger than 10^18; the numbers in "
                                  "the data are far smaller")
            return Decimal(v)
        shown = repr(v) if len(repr(v)) <= 60 else f"{repr(v)[:57]}..."
        raise RenderError(f"cannot compute with {shown}; expected a figure holding an amount or "
                          "number")

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
    def _in_range(cls, name: str, result: Decimal) -> Decimal:
        if abs(result) > cls.RESULT_MAX:
            raise RenderError(f"{name}(): the result is larger than 10^18, beyond what a page "
                              "shows; check the figures")
        return result

    @staticmethod
    def _value(f: Any) -> Any:
        return f.value if isinstance(f, Figure) else None

    def _secondary(self, sources: Any) -> bool:
        return secondary_only(self.ds.sources, sources)

    @staticmethod
    def _merge(*figs: Any) -> dict[str, Any]:
        """What a figure computed from ``figs`` carries: the sources of them all, the weakest
        status, and the secondary mark if any of them rests on secondary sources only."""
        sources: list[str] = []
        statuses = []
        for f in figs:
            if isinstance(f, Figure):
                sources += [s for s in f.sources if s not in sources]
                statuses.append(f.status)
        return {"sources": tuple(sources), "status": weakest(statuses),
                "secondary": any(isinstance(f, Figure) and f.secondary for f in figs)}

    def ratio(self, a: Figure, b: Figure, digits: int = 1) -> Figure:
        """a ÷ b, shown as '2.5×'."""
        step = self._digits("ratio", digits)
        den = self._num(b)
        if den == 0:
            raise RenderError("ratio(): division by zero")
        q = self._in_range("ratio", self._num(a) / den).quantize(step, rounding=ROUND_HALF_EVEN)
        return Figure(f"{q}×", **self._merge(a, b))

    def growth(self, a: Figure, b: Figure, digits: int = 0) -> Figure:
        """Change from b to a in per cent, shown as '154%'."""
        step = self._digits("growth", digits)
        den = self._num(b)
        if den == 0:
            raise RenderError("growth(): division by zero")
        pct = self._in_range("growth", (self._num(a) - den) / den * 100).quantize(
            step, rounding=ROUND_HALF_EVEN)
        return Figure(f"{pct:+}%".replace("+", "+" if pct > 0 else ""), **self._merge(a, b))

    def diff(self, a: Figure, b: Figure) -> Figure:
        """a − b for two amounts of the same currency."""
        va, vb = self._value(a), self._value(b)
        if not (isinstance(va, Money) and isinstance(vb, Money)) or va.currency != vb.currency:
            raise RenderError("diff(): both figures must be amounts in the same currency")
        d = self._in_range("diff", abs(va.amount - vb.amount))
        return Figure(Money(d, va.currency), **self._merge(a, b))

    def per(self, a: Figure, b: Figure, unit: str, digits: int = 1) -> Figure:
        """a ÷ b as a quantity with a unit: per(cell(fp8), cell(watts), "TFLOPS per watt")."""
        step = self._digits("per", digits)
        den = self._num(b)
        if den == 0:
            raise RenderError("per(): division by zero")
        q = self._in_range("per", self._num(a) / den).quantize(step, rounding=ROUND_HALF_EVEN)
        return Figure(q, **self._merge(a, b), unit=str(unit))

    def months(self, a: Figure, b: Figure) -> Figure:
        """Whole months between two dated figures (a after b), shown as '3 months'."""
        da, db = self._value(a), self._value(b)
        if not (isinstance(da, PartialDate) and isinstance(db, PartialDate)) or not (da.month and
                                                                                   db.month):
            raise RenderError("months(): both figures must be dates with a month, such as "
                              "fig('anthropic/series-h/date')")
        n = abs((da.year - db.year) * 12 + da.month - db.month)
        return Figure(f"{n} month{'s' if n != 1 else ''}", **self._merge(a, b))

    def total(self, *figs: Figure) -> Figure:
        vals = [self._value(f) for f in figs]
        if not vals or not all(isinstance(v, Money) for v in vals) or \
                len({v.currency for v in vals}) != 1:
            raise RenderError("total(): every figure must be an amount in one currency")
        amount = self._in_range("total", sum((v.amount for v in vals), Decimal(0)))
        return Figure(Money(amount, vals[0].currency), **self._merge(*figs))

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



def investors_text(companies: dict[str, m.Company], e: m.Event) -> Markup:
    """The investors of an event, linked to their profiles, with their role when they led."""
    parts = []
    for inv in e.investors:
        if inv.company:
            c = companies[inv.company]
            parts.append(link(inv.name or c.name, f"companies/{c.id}.md"))
        else:
            parts.append(md(inv.name))
        if inv.role != "participant":
            parts[-1] = Markup(f"{parts[-1]} ({inv.role})")
    return Markup(", ").join(parts)



def template_globals(api: Api) -> dict[str, Any]:
    """The functions articles and hand-written pages can call."""
    return {
        "fig": api.fig, "metric": api.metric, "cell": api.cell, "ratio": api.ratio,
        "growth": api.growth, "diff": api.diff, "total": api.total, "months": api.months,
        "per": api.per, "link": api.link,
        "cite": api.cite, "term": api.term, "page_link": api.page_link, "company": api.company_record,
        "event": api.event_record, "chart": api.chart, "latest_check": api.latest_check,
    }


