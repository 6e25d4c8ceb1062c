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


def main_currency(c: m.Company, marks: list[m.Event] | None = None) -> tuple[str, int]:
    """The currency most of the company's valuations are in, and how many are (``marks``: its
    valuation_marks, when the caller has them)."""
    counts: dict[str, int] = {}
    for e in valuation_marks(c) if marks is None else marks:
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
        if len(marks) >= 2 and main_currency(c, marks)[1] >= 2:
            out.append(Instance(chart_id(cid), ds.origin("companies", cid), (("companies", cid),)
                                + tuple(("sources", s) for s in _cited(ds, c, marks)), cid))
    return out


def _cited(ds, c: m.Company, marks: list[m.Event] | None = None) -> list[str]:
    return sorted({s for e in (valuation_marks(c) if marks is None else marks)
                   for s in e.sources if s in ds.sources})


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    c = ds.companies[instance.subject]
    ch = valuation_timeline(b, Timeline(
        instance.id, f"{c.name}: valuations over time", [c], main_currency(c)[0], {},
        instance.origin, publishers={s: ds.sources[s].publisher for s in _cited(ds, c)}))
    ch.png_download = False
    return ch


KIND = ChartKind("company-valuation", __name__, instances, build, lite=True)
