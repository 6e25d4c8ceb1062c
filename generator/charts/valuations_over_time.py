"""Chart kind ``valuations-over-time``: the post-money valuations of the companies with two or
more of them, one line each, over time. Only post-money valuations are compared: a price implied
by a share sale, an IPO valuation or a deal value is another measure (each profile charts them)."""

from __future__ import annotations

from .. import model as m
from ..facts import marks_of
from .base import Chart, ChartKind, Instance
from .spec import SpecBuilder
from .style import company_colors
from .timeline import Timeline, valuation_timeline

ID = "valuations-over-time"
# Eight lines is the number of distinct colours; the table below the chart lists every mark.
MAX_COMPANIES = 8
BASIS = "post-money"


def _usd_marks(c: m.Company) -> list:
    return [e.valuation.point for e in marks_of(c, BASIS) if e.valuation.currency == "USD"]


def _charted(ds) -> tuple[list[m.Company], int]:
    """The companies drawn (those with the highest marks, by name), and how many had two or more
    post-money valuations in US dollars."""
    marks = {c.id: _usd_marks(c) for c in ds.companies.values()}
    companies = [c for c in ds.companies.values() if len(marks[c.id]) >= 2]
    total = len(companies)
    if total > MAX_COMPANIES:  # the companies with the highest marks
        companies = sorted(companies, key=lambda c: (-max(marks[c.id]), c.name.casefold())
                           )[:MAX_COMPANIES]
    companies.sort(key=lambda c: c.name.casefold())
    return companies, total


def instances(ds) -> list[Instance]:
    if not any(len(_usd_marks(c)) >= 2 for c in ds.companies.values()):
        return []
    # every source is read too: a mark's tip names its sources' publishers
    return [Instance(ID, "data/companies", (("companies", None), ("sources", None)))]


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    companies, total = _charted(ds)
    ch = valuation_timeline(b, Timeline(ID, "Post-money valuations over time", companies, "USD",
                                        company_colors(ds.companies), "data/companies", BASIS,
                                        {s.id: s.publisher for s in ds.sources.values()}))
    if total > len(companies):
        ch.notes.append(f"The {len(companies)} companies with the highest marks are drawn, of "
                        f"{total} with two or more; the table below lists every mark.")
    return ch


KIND = ChartKind(ID, __name__, instances, build, lite=True)
