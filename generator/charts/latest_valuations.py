"""Chart kind ``latest-valuations``: each private company's latest confirmed or reported
post-money valuation, as bars, largest first. Like is compared with like: a company whose latest
price is of another kind (a valuation at an IPO price, a deal value, a share sale's price) is not
drawn beside the rounds' post-money valuations but named apart, with its date and kind."""

from __future__ import annotations

from .. import model as m
from ..facts import basis_label, in_sentence, latest_mark, parent_of, sources_of
from ..markup import short_date
from ..values import LOWER_BOUNDS, UPPER_BOUNDS
from .base import Chart, ChartKind, Instance, chart
from .layout import bars_fit
from .spec import SpecBuilder
from .style import ACCENT, STATUS_FILL, status_legend_items
from .timeline import VALUATION_COLS, valuation_table_rows
from .words import bn, list_words, month_year, status_phrase, times

ID = "latest-valuations"
BASIS = "post-money"
# The chart shows the largest marks, so that it stays readable and costs the same however many
# companies the data holds; the table below it lists every company.
MAX_BARS = 12


class _Marks:
    """What the chart compares: (company, latest post-money valuation) in US dollars; and what it
    names apart: latest post-money valuations in other currencies, latest prices of another kind,
    and the companies now part of another."""

    def __init__(self, ds):
        self.pairs: list[tuple[m.Company, m.Event]] = []
        self.other_currency: list[tuple[m.Company, m.Event]] = []
        self.other_kind: list[tuple[m.Company, m.Event]] = []
        self.absorbed: list[str] = []
        for c in ds.companies.values():
            group, e, parent = _group(ds, c)
            if group == "absorbed":
                self.absorbed.append(f"{c.name} (now part of {parent.name})")
            elif group is not None:
                getattr(self, group).append((c, e))


def _group(ds, c: m.Company) -> tuple[str | None, m.Event | None, m.Company | None]:
    """Where ``c`` goes in :class:`_Marks` (None: it has no latest mark), its latest mark, and
    the company it is now part of."""
    e = latest_mark(c)
    if e is None:
        return None, None, None
    parent = parent_of(ds.companies, c)
    if parent is not None:
        return "absorbed", e, parent
    if e.valuation_basis != BASIS:
        return "other_kind", e, None
    return ("other_currency" if e.valuation.currency != "USD" else "pairs"), e, None


def instances(ds) -> list[Instance]:
    # (the first company drawn answers: every company's marks were 25 ms at 1,000)
    has = any(_group(ds, c)[0] == "pairs" for c in ds.companies.values())
    return [Instance(ID, "data/companies", (("companies", None),))] if has else []


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    marks = _Marks(ds)
    pairs = sorted(marks.pairs, key=lambda ce: (-ce[1].valuation.point, ce[0].name.casefold()))
    total = len(pairs)
    pairs = pairs[:MAX_BARS]
    spec = _spec(b, pairs)
    hi_c, hi_e = pairs[0]
    lo_c, lo_e = pairs[-1]
    takeaway = (f"{hi_c.name}'s latest post-money valuation, {hi_e.valuation.display()} "
                f"({short_date(hi_e.date)}{status_phrase(hi_e.status)}), is the highest compared "
                "here")
    if len(pairs) > 1:
        nc, ne = pairs[1]
        takeaway += (f", {times(bn(hi_e.valuation.point), bn(ne.valuation.point))} {nc.name}'s "
                     f"{ne.valuation.display()} ({short_date(ne.date)})")
    takeaway += "."
    n = len(pairs)
    alt_text = (f"Bar chart of the latest confirmed or reported post-money valuation of "
                f"{n} private compan{'y' if n == 1 else 'ies'} in US$ billion, largest first, "
                "each the price of a round counting its new money; solid bars are confirmed, "
                "tinted reported. "
                f"Highest: {hi_c.name}, {hi_e.valuation.display()} ({short_date(hi_e.date)}). "
                f"Lowest: {lo_c.name}, {lo_e.valuation.display()} ({short_date(lo_e.date)}).")
    notes = _notes(marks, pairs, total)
    return chart(ID, "Latest post-money valuation by company", takeaway, alt_text,
                 notes, VALUATION_COLS, valuation_table_rows(pairs),
                 sources_of(e for _, e in pairs), "data/companies", spec)


def _spec(b: SpecBuilder, pairs: list[tuple[m.Company, m.Event]]) -> dict:
    alt = b.alt
    rows = []
    for i, (c, e) in enumerate(pairs):
        v = e.valuation
        rows.append({"label": f"{c.name} ({month_year(e.date)})", "value": bn(v.point),
                     "lo": bn(v.amount), "hi": bn(v.high if v.high is not None else v.amount),
                     "text": v.display(), "order": i, "color": ACCENT,
                     "fo": STATUS_FILL[e.status]})
    plot_w, top = bars_fit([], [(max(r["value"], r["hi"]), r["text"]) for r in rows])
    Y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=None)
    scale = alt.Scale(domain=[0, top], nice=False)
    X = alt.X("value:Q", title="Post-money valuation, US$ billion", scale=scale,
              axis=alt.Axis(format=",~r", tickCount=4))
    bars = alt.Chart().mark_bar(height=15, strokeWidth=1.5).encode(
        x=X, y=Y, fill=alt.value(ACCENT), stroke=alt.value(ACCENT),
        fillOpacity=alt.FillOpacity("fo:Q", scale=None))
    layers = [bars]
    if any(r["hi"] > r["lo"] for r in rows):  # a range: a line from its low to its high end
        layers.append(alt.Chart().mark_rule(strokeWidth=2, color=ACCENT).encode(
            x=alt.X("lo:Q", scale=scale), x2=alt.X2("hi"), y=Y))
    end = alt.X("hi:Q", scale=scale)
    layers.append(alt.Chart().mark_text(align="left", baseline="middle", dx=5).encode(
        x=end, y=Y, text="text:N"))
    plot = b.layer(*layers, b.bar_labels(Y), data=b.data(rows), width=plot_w,
                   height={"step": 40})
    return b.finish(plot, b.legend(status_legend_items([e.status for _, e in pairs], ACCENT,
                                                       "bar"), "Status", plot_w))


def _notes(marks: _Marks, pairs: list, total: int) -> list[str]:
    drawn = list_words([c.name for c, _ in pairs])
    notes = [f"Compared: the latest confirmed or reported post-money valuation of each private "
             f"company with one ({drawn}); the date is in brackets, so older marks stand out. "
             "Talks, declined offers and targets are left out."]
    values = [e.valuation for _, e in pairs]
    if any(v.high is not None for v in values):
        notes.append("A range is drawn to its middle, with a line from its low to its high end.")
    if any(v.qualifier in LOWER_BOUNDS + UPPER_BOUNDS for v in values):
        notes.append("A bar for 'more than', 'at least' or 'up to' an amount is drawn to that "
                     "amount; its figure says which.")
    if marks.other_kind:
        apart = [f"{c.name}, {e.valuation.display()} ({in_sentence(basis_label(e))}, "
                 f"{month_year(e.date)})" for c, e in sorted(marks.other_kind,
                                                             key=lambda ce: ce[0].name.casefold())]
        notes.append("Not compared, as their latest price is of another kind: "
                     + "; ".join(apart) + ". A valuation at an IPO price or a deal value is not a "
                     "private round's post-money valuation, and it dates from its own year.")
    if marks.other_currency:
        apart = [f"{c.name}, {e.valuation.display()} ({month_year(e.date)})"
                 for c, e in sorted(marks.other_currency, key=lambda ce: ce[0].name.casefold())]
        notes.append("Shown apart, in their own currency and not converted (no exchange rate is "
                     "recorded): " + "; ".join(apart) + ".")
    if marks.absorbed:
        notes.append(f"Left out, as no longer valued on their own: "
                     f"{list_words(sorted(marks.absorbed))}.")
    if total > len(pairs):
        notes.append(f"The {len(pairs)} highest of {total} latest marks are shown; the table "
                     "below lists every company.")
    return notes


KIND = ChartKind(ID, __name__, instances, build, lite=True)
