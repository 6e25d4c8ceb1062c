"""Chart kind ``largest-ipos``: the proceeds of the largest IPOs (the table ``largest-ipos``),
base deal and over-allotment, largest first."""

from __future__ import annotations

from typing import Any

from .. import model as m
from ..facts import dedup
from ..values import Money
from .base import Chart, ChartKind, Col, Instance, chart
from .layout import bars_fit
from .spec import SpecBuilder
from .style import ACCENT, MUTED, NEUTRAL
from .words import bn, times

ID = "largest-ipos"
TABLE = "largest-ipos"


def _rows(ds) -> list[m.Row]:
    """The table's rows with proceeds in US dollars (none when the table or column is missing)."""
    t = ds.tables.get(TABLE)
    if t is None or "proceeds" not in {c.id for c in t.columns}:
        return []
    return [r for r in t.rows if isinstance(r.values.get("proceeds"), Money)
            and r.values["proceeds"].currency == "USD"]


def instances(ds) -> list[Instance]:
    if len(_rows(ds)) < 2:
        return []
    return [Instance(ID, ds.origin("tables", TABLE), (("tables", TABLE), ("companies", None)))]


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    t = ds.tables[TABLE]
    label_col = next((c.id for c in t.columns if c.type == "text"), None)
    rows_in = _rows(ds)
    rows_in.sort(key=lambda r: -r.values["proceeds"].amount)
    rows, table = [], []
    for i, r in enumerate(rows_in):
        base = r.values["proceeds"]
        total = r.values.get("proceeds_with_overallotment")
        if not (isinstance(total, Money) and total.currency == "USD" and total.amount > base.amount):
            total = None
        year = r.values.get("year")
        name = str(r.values.get(label_col) or r.label) if label_col else r.label
        label = f"{name} ({year})" if year else name
        profiled = bool(r.company and r.company in ds.companies)
        color = ACCENT if profiled else NEUTRAL
        rows.append({"label": label, "order": i, "base": bn(base),
                     "total": bn(total) if total else bn(base), "text": base.display(),
                     "color": color, "gs_fill": 0.3 if total else 0, "gs_line": 1 if total else 0})
        table.append({"company": name, "year": year, "base": base, "total": total,
                      "profiled": profiled, "status": r.status, "sources": list(r.sources)})
    spec = _spec(b, rows, table)
    first, second = table[0], table[1]
    takeaway = (f"{first['company']} ({first['year']}) is the largest IPO here, "
                f"{first['base'].display()} in its base deal, "
                f"{times(bn(first['base']), bn(second['base']))} the next, "
                f"{second['company']} ({second['year']}) at {second['base'].display()}.")
    last = table[-1]
    alt_text = (f"Bar chart of the proceeds of the {len(table)} largest IPOs in US$ billion, base deal "
                f"with the over-allotment as a lighter extension where known, largest first. "
                f"Largest: {first['company']} ({first['year']}), {first['base'].display()}"
                + (f" ({first['total'].display()} with over-allotment)" if first["total"] else "")
                + f". Smallest shown: {last['company']} ({last['year']}), {last['base'].display()}.")
    notes = ["The base deal is the offering before the over-allotment option (greenshoe); the "
             "lighter, dashed extension shows the total with it where that is known."]
    cols_out = [Col("company", "Company"), Col("year", "Year", "year"), Col("base", "Base deal", "money"),
                Col("total", "With over-allotment", "money"), Col("status", "Status", "status")]
    return chart(ID, t.title, takeaway, alt_text, notes, cols_out, table,
                 dedup(s for r in rows_in for s in r.sources), instance.origin, spec)


def _spec(b: SpecBuilder, rows: list[dict], table: list[dict]) -> dict[str, Any]:
    alt = b.alt
    plot_w, top = bars_fit([], [(r["total"], r["text"]) for r in rows])
    Y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=None)
    X = alt.X("base:Q", title="IPO proceeds, US$ billion", scale=alt.Scale(domain=[0, top],
                                                                            nice=False),
              axis=alt.Axis(format=",~r", tickCount=4))
    XT = alt.X("total:Q", scale=alt.Scale(domain=[0, top], nice=False))
    greenshoe = alt.Chart().mark_bar(height=15, strokeWidth=1.5, strokeDash=[3, 2]).encode(
        x=XT, y=Y, fill=alt.Fill("color:N", scale=None), stroke=alt.Stroke("color:N", scale=None),
        fillOpacity=alt.FillOpacity("gs_fill:Q", scale=None),
        strokeOpacity=alt.StrokeOpacity("gs_line:Q", scale=None))
    base_bars = alt.Chart().mark_bar(height=15).encode(
        x=X, y=Y, fill=alt.Fill("color:N", scale=None))
    text = alt.Chart().mark_text(align="left", baseline="middle", dx=5).encode(
        x=XT, y=Y, text="text:N")
    plot = b.layer(greenshoe, base_bars, text, b.bar_labels(Y), data=b.data(rows), width=plot_w,
                   height={"step": 40})
    items = [{"label": "Base deal", "color": MUTED, "fo": 1, "kind": "bar"}]
    if any(r["total"] > r["base"] for r in rows):
        items.append({"label": "With over-allotment", "color": MUTED, "fo": 0.3, "kind": "bar"})
    if any(x["profiled"] for x in table):
        items.append({"label": "Profiled on this site", "color": ACCENT, "fo": 1, "kind": "bar"})
    return b.finish(plot, b.legend(items, "Proceeds", plot_w))


KIND = ChartKind(ID, __name__, instances, build, lite=True)
