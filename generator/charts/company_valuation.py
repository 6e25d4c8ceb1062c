"""Chart kind ``valuation-<company>``: one company's post-money valuation marks over time, on its
profile (a chart for each company with two or more marks in one currency)."""

from __future__ import annotations

from .. import model as m
from ..facts import valuation_marks
from .base import Chart, ChartKind, Instance
from .spec import SpecBuilder
from .timeline import valuation_timeline


def chart_id(company_id: str) -> str:
    return f"valuation-{company_id}"


def _currency(c: m.Company) -> tuple[str, int]:
    """The currency most of the company's marks are in, and how many are."""
    counts: dict[str, int] = {}
    for e in valuation_marks(c):
        counts[e.post_money_valuation.currency] = counts.get(e.post_money_valuation.currency, 0) + 1
    if not counts:
        return "", 0
    currency = max(sorted(counts), key=lambda k: counts[k])
    return currency, counts[currency]


def instances(ds) -> list[Instance]:
    return [Instance(chart_id(c.id), ds.origin("companies", c.id), (("companies", c.id),), c.id)
            for c in sorted(ds.companies.values(), key=lambda c: c.id) if _currency(c)[1] >= 2]


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    c = ds.companies[instance.subject]
    ch = valuation_timeline(b, instance.id, f"{c.name}: post-money valuation over time", [c],
                            _currency(c)[0], {}, instance.origin, single=True)
    ch.png_download = False
    return ch


KIND = ChartKind("company-valuation", __name__, instances, build, lite=True)
