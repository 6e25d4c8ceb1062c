"""Chart kind ``latest-valuations``: each company's latest confirmed or reported post-money
valuation set by a deal, as bars, largest first."""

from __future__ import annotations

from .. import model as m
from ..facts import latest_mark, parent_of, sources_of
from ..markup import short_date
from .base import Chart, ChartKind, Instance, chart
from .layout import bars_fit
from .spec import SpecBuilder
from .style import ACCENT, STATUS_FILL, status_legend_items
from .timeline import VALUATION_COLS, valuation_table_rows
from .words import bn, list_words, month_year, status_phrase, times

ID = "latest-valuations"
# The chart shows the largest marks, so that it stays readable and costs the same however many
# companies the data holds; the table below it lists every company.
MAX_BARS = 12


def _marks(ds) -> tuple[list[tuple[m.Company, m.Event]], list, list[str]]:
    """(company, latest mark) in US dollars, those in other currencies, and the companies left
    out as part of another."""
    pairs, others, absorbed = [], [], []
    for c in ds.companies.values():
        e = latest_mark(c)
        if e is None:
            continue
        parent = parent_of(ds.companies, c)
        if parent is not None:
            absorbed.append(f"{c.name} (now part of {parent.name})")
            continue
        (pairs if e.post_money_valuation.currency == "USD" else others).append((c, e))
    return pairs, others, absorbed


def instances(ds) -> list[Instance]:
    return [Instance(ID, "data/companies", (("companies", None),))] if _marks(ds)[0] else []


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    pairs, others, absorbed = _marks(ds)
    alt = b.alt
    pairs.sort(key=lambda ce: (-ce[1].post_money_valuation.amount, ce[0].name.casefold()))
    total = len(pairs)
    pairs = pairs[:MAX_BARS]
    rows = []
    for i, (c, e) in enumerate(pairs):
        v = e.post_money_valuation
        rows.append({"label": f"{c.name} ({month_year(e.date)})", "value": bn(v),
                     "text": v.display(), "order": i, "color": ACCENT, "fo": STATUS_FILL[e.status]})
    plot_w, top = bars_fit([], [(r["value"], r["text"]) for r in rows])
    Y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=None)
    X = alt.X("value:Q", title="Post-money valuation, US$ billion",
              scale=alt.Scale(domain=[0, top], nice=False), axis=alt.Axis(format=",~r", tickCount=4))
    bars = alt.Chart().mark_bar(height=15, strokeWidth=1.5).encode(
        x=X, y=Y, fill=alt.value(ACCENT), stroke=alt.value(ACCENT),
        fillOpacity=alt.FillOpacity("fo:Q", scale=None))
    text = alt.Chart().mark_text(align="left", baseline="middle", dx=5).encode(
        x=X, y=Y, text="text:N")
    plot = b.layer(bars, text, b.bar_labels(Y), data=b.data(rows), width=plot_w,
                   height={"step": 40})
    spec = b.finish(plot, b.legend(status_legend_items([e.status for _, e in pairs], ACCENT, "bar"),
                                   "Status", plot_w))
    hi_c, hi_e = pairs[0]
    lo_c, lo_e = pairs[-1]
    takeaway = (f"{hi_c.name} has the highest latest mark, {hi_e.post_money_valuation.display()} "
                f"({short_date(hi_e.date)}{status_phrase(hi_e.status)})"
                + (f", {times(bn(hi_e.post_money_valuation), bn(lo_e.post_money_valuation))} "
                   f"{lo_c.name}'s {lo_e.post_money_valuation.display()}." if len(pairs) > 1 else "."))
    alt_text = (f"Bar chart of the latest confirmed or reported post-money valuation of "
                f"{len(pairs)} companies in US$ billion, largest first; solid bars are confirmed, "
                f"tinted reported. Highest: {hi_c.name}, {hi_e.post_money_valuation.display()} "
                f"({short_date(hi_e.date)}). Lowest: {lo_c.name}, "
                f"{lo_e.post_money_valuation.display()} ({short_date(lo_e.date)}).")
    notes = ["Each company's latest confirmed or reported mark set by a deal (talks, declined offers "
             "and targets are left out); the date is in brackets, so older marks stand out."]
    if others:
        notes.append("Marks in other currencies are left out, not converted ("
                     f"{list_words(sorted(c.name for c, _ in others))}).")
    if absorbed:
        notes.append(f"Left out, as no longer valued on their own: {list_words(sorted(absorbed))}.")
    if total > len(pairs):
        notes.append(f"The {len(pairs)} highest of {total} latest marks are shown; the table "
                     "below lists every company.")
    return chart(ID, "Latest post-money valuation by company", takeaway, alt_text,
                 notes, VALUATION_COLS, valuation_table_rows(pairs),
                 sources_of(e for _, e in pairs), "data/companies", spec)


KIND = ChartKind(ID, __name__, instances, build)
