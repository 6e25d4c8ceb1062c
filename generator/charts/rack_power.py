"""Chart kind ``rack-power``: the power one rack draws, per row of the table ``rack-power``, as
horizontal bars from zero in the table's order, each with its terms ("below, on average", "at
most", "about") beside its figure, so that a ceiling is never read as a measurement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import model as m
from ..facts import dedup
from .base import Chart, ChartKind, Col, Instance, chart
from .layout import bars_fit
from .spec import SpecBuilder
from .style import ACCENT, STATUS_FILL, status_legend_items
from .words import list_words, num, times

ID = "rack-power"
TABLE = "rack-power"
VALUE, TERMS, NAME = "power_kw", "power_terms", "rack"
# terms that make a figure a ceiling: the racks it stands for draw less
CEILING_WORDS = ("below", "at most", "less than", "up to")


def _rows(ds) -> list[m.Row]:
    """The table's rows with a power figure (none when the table or its column is missing)."""
    t = ds.tables.get(TABLE)
    if t is None or VALUE not in {c.id for c in t.columns}:
        return []
    return [r for r in t.rows if isinstance(r.values.get(VALUE), (int, Decimal))
            and not isinstance(r.values.get(VALUE), bool)]


def instances(ds) -> list[Instance]:
    if len(_rows(ds)) < 2:
        return []
    return [Instance(ID, ds.origin("tables", TABLE), (("tables", TABLE),))]


def _name(r: m.Row) -> str:
    return str(r.values.get(NAME) or r.label)


def _terms(r: m.Row) -> str:
    return str(r.values.get(TERMS) or "").strip()


def _figure(r: m.Row, unit: str) -> str:
    """'10 kW (below, on average)': the figure with its terms, as the bar's label says it."""
    text = f"{num(r.values[VALUE])} {unit}".strip()
    return f"{text} ({_terms(r)})" if _terms(r) else text


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    t = ds.tables[TABLE]
    unit = next((c.unit for c in t.columns if c.id == VALUE), None) or ""
    rows_in = _rows(ds)
    rows, table = [], []
    for i, r in enumerate(rows_in):
        value = float(r.values[VALUE])  # at most 10^15 (values.NUMBER_MAX): a finite float
        rows.append({"label": _name(r), "order": i, "value": value, "text": _figure(r, unit),
                     "fo": STATUS_FILL[r.status]})
        table.append({"rack": _name(r), "power": r.values[VALUE], "terms": _terms(r) or None,
                      "status": r.status, "sources": list(r.sources)})
    spec = _spec(b, rows, unit, [r.status for r in rows_in])
    takeaway, alt_text, notes = _words(rows_in, unit)
    cols = [Col("rack", "Rack"), Col("power", f"Power per rack ({unit})" if unit else "Power",
                                     "number"),
            Col("terms", "Terms"), Col("status", "Status", "status")]
    return chart(ID, t.title, takeaway, alt_text, notes, cols, table,
                 dedup(s for r in rows_in for s in r.sources), instance.origin, spec)


def _spec(b: SpecBuilder, rows: list[dict], unit: str, statuses: list[str]) -> dict[str, Any]:
    alt = b.alt
    plot_w, top = bars_fit([], [(r["value"], r["text"]) for r in rows])
    Y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=None)
    # from zero, always: a bar's length is its figure
    X = alt.X("value:Q", title=f"Power per rack, {unit}" if unit else "Power per rack",
              scale=alt.Scale(domain=[0, top], nice=False, zero=True),
              axis=alt.Axis(format=",~r", tickCount=4))
    bars = alt.Chart().mark_bar(height=15, strokeWidth=1.5).encode(
        x=X, y=Y, fill=alt.value(ACCENT), stroke=alt.value(ACCENT),
        fillOpacity=alt.FillOpacity("fo:Q", scale=None))
    text = alt.Chart().mark_text(align="left", baseline="middle", dx=5).encode(
        x=X, y=Y, text="text:N")
    plot = b.layer(bars, text, b.bar_labels(Y), data=b.data(rows), width=plot_w,
                   height={"step": 40})
    return b.finish(plot, b.legend(status_legend_items(statuses, ACCENT, "bar"), "Status", plot_w))


def _words(rows: list[m.Row], unit: str) -> tuple[str, str, list[str]]:
    """The takeaway (the densest rack against the lightest), the alt text and the notes."""
    hi = max(rows, key=lambda r: r.values[VALUE])
    lo = min(rows, key=lambda r: r.values[VALUE])
    ratio = times(float(hi.values[VALUE]), float(lo.values[VALUE]))
    takeaway = (f"{hi.label}: {_figure(hi, unit)}, {ratio} the {_figure(lo, unit)} of the "
                f"{lo.label[:1].lower()}{lo.label[1:]}.")
    alt_text = (f"Horizontal bar chart of the power one rack draws, in {unit or 'units'}, for "
                f"{len(rows)} racks in the table's order, bars starting at zero: "
                + "; ".join(f"{_name(r)}, {_figure(r, unit)}" for r in rows)
                + ". Solid bars are confirmed, tinted reported, hollow rumored or unverified.")
    notes = ["Bars start at zero, so their lengths compare directly. Each figure keeps the terms "
             "its source gives it."]
    ceilings = [_name(r) for r in rows if _terms(r).lower().startswith(CEILING_WORDS)]
    if ceilings:
        notes.append(f"{list_words(ceilings)}: the figure is a ceiling, not a measurement; the "
                     "racks it describes draw less.")
    return takeaway, alt_text, notes


KIND = ChartKind(ID, __name__, instances, build, lite=True)
