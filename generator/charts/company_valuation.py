"""Chart kind ``valuation-<company>``: one company's valuations over time, every kind of price
(post-money, share sale, IPO, deal value, talks …) told apart by colour, on its profile (a chart
for each company with two or more valuations in one currency)."""

from __future__ import annotations

from .. import model as m
from ..facts import valuation_marks
from .base import Chart, ChartKind, Instance
from .spec import SpecBuilder
from .timeline import Timeline, valuation_timeline


def chart_id(company_id: str) -> str:
    return f"valuation-{company_id}"


def main_currency(marks: list[m.Event]) -> tuple[str, int]:
    """The currency most of a company's valuations (``marks``: facts.valuation_marks) are in,
    and how many are."""
    counts: dict[str, int] = {}
    for e in marks:
        counts[e.valuation.currency] = counts.get(e.valuation.currency, 0) + 1
    if not counts:
        return "", 0
    currency = max(sorted(counts), key=lambda k: counts[k])
    return currency, counts[currency]


def instances(ds) -> list[Instance]:
    # the sources its marks cite are read too: a mark's tip names their publishers
    out = []
    for cid in sorted(ds.companies):
        c = ds.companies[cid]
        marks = valuation_marks(c)
        if main_currency(marks)[1] >= 2:
            out.append(Instance(chart_id(cid), ds.origin("companies", cid), (("companies", cid),)
                                + tuple(("sources", s) for s in _cited(ds, marks)), cid))
    return out


def _cited(ds, marks: list[m.Event]) -> list[str]:
    return sorted({s for e in marks for s in e.sources if s in ds.sources})


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    c = ds.companies[instance.subject]
    marks = valuation_marks(c)
    ch = valuation_timeline(b, Timeline(
        instance.id, f"{c.name}: valuations over time", [c], main_currency(marks)[0], {},
        instance.origin, publishers={s: ds.sources[s].publisher for s in _cited(ds, marks)}))
    ch.png_download = False
    return ch


KIND = ChartKind("company-valuation", __name__, instances, build, lite=True)
