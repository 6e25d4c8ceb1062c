"""Chart kind ``valuations-over-time``: the post-money valuation marks of the companies with the
highest marks, one line each, over time."""

from __future__ import annotations

from .. import model as m
from ..facts import valuation_marks
from .base import Chart, ChartKind, Instance
from .spec import SpecBuilder
from .style import company_colors
from .timeline import valuation_timeline

ID = "valuations-over-time"
# Eight lines is the number of distinct colours; the table below the chart lists every mark.
MAX_COMPANIES = 8


def _charted(ds) -> tuple[list[m.Company], int]:
    """The companies drawn (those with the highest marks, by name), and how many had two or more
    marks in US dollars."""
    marks = {c.id: [e.post_money_valuation.amount for e in valuation_marks(c)
                    if e.post_money_valuation.currency == "USD"] for c in ds.companies.values()}
    companies = [c for c in ds.companies.values() if len(marks[c.id]) >= 2]
    total = len(companies)
    if total > MAX_COMPANIES:  # the companies with the highest marks
        companies = sorted(companies, key=lambda c: (-max(marks[c.id]), c.name.casefold())
                           )[:MAX_COMPANIES]
    companies.sort(key=lambda c: c.name.casefold())
    return companies, total


def instances(ds) -> list[Instance]:
    if not any(sum(1 for e in valuation_marks(c) if e.post_money_valuation.currency == "USD") >= 2
               for c in ds.companies.values()):
        return []
    return [Instance(ID, "data/companies", (("companies", None),))]


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    companies, total = _charted(ds)
    ch = valuation_timeline(b, ID, "Post-money valuations over time", companies, "USD",
                            company_colors(ds.companies), "data/companies", single=False)
    if total > len(companies):
        ch.notes.append(f"The {len(companies)} companies with the highest marks are drawn, of "
                        f"{total} with two or more; the table below lists every mark.")
    return ch


KIND = ChartKind(ID, __name__, instances, build, lite=True)
