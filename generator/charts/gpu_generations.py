"""Chart kind ``gpu-generations``: the GPUs of the table ``gpu-specs`` compared on power, memory
and throughput per watt, one panel per measure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from .. import model as m
from ..facts import dedup
from .base import Chart, ChartKind, Col, Instance, chart
from .layout import bars_fit, text_width
from .spec import SpecBuilder
from .style import ACCENT, STATUS_FILL, status_legend_items
from .words import list_words, num, times

ID = "gpu-generations"
TABLE = "gpu-specs"

Metric = tuple[str, str, Callable[[m.Row], "float | None"]]  # (key, label, row → value or None)


def _val(r: m.Row, cid: str) -> float | None:
    # table numbers are 0 to 10^15 with at most six decimals (values.NUMBER_MAX), so the float is
    # finite, and so is a ratio of two of them
    v = r.values.get(cid)
    return float(v) if isinstance(v, (int, Decimal)) and not isinstance(v, bool) and v > 0 else None


def _metrics(t: m.Table) -> tuple[list[Metric], list[Metric]]:
    """The measures compared (two or more GPUs have a figure), and those left out."""
    cols = {c.id: c for c in t.columns}
    power = cols.get("max_tdp_w")
    metrics: list[Metric] = []

    def unit(c: m.Column) -> str:
        return f" ({c.unit})" if c.unit else ""

    if power:
        metrics.append(("max_tdp_w", f"Power per GPU{unit(power)}", lambda r: _val(r, "max_tdp_w")))
    if "memory_gb" in cols:
        metrics.append(("memory_gb", f"{cols['memory_gb'].label}{unit(cols['memory_gb'])}",
                        lambda r: _val(r, "memory_gb")))
    if power:
        for cid in ("fp8_dense_tflops", "fp4_dense_tflops"):
            if cid in cols:
                c = cols[cid]
                per = f" ({c.unit} per W)" if c.unit else " per W"

                def per_watt(r: m.Row, cid: str = cid) -> float | None:
                    a, w = _val(r, cid), _val(r, "max_tdp_w")
                    return a / w if a is not None and w else None

                metrics.append((f"{cid}_per_w", f"{c.label} per watt{per}", per_watt))
    dropped = [mt for mt in metrics if sum(1 for r in t.rows if mt[2](r) is not None) < 2]
    return [mt for mt in metrics if mt not in dropped], dropped


def instances(ds) -> list[Instance]:
    t = ds.tables.get(TABLE)
    if t is None or len(_metrics(t)[0]) < 2 or len(t.rows) < 2:
        return []
    return [Instance(ID, ds.origin("tables", TABLE), (("tables", TABLE),))]


def _name(r: m.Row) -> str:
    return str(r.values.get("gpu") or r.label)


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    t = ds.tables[TABLE]
    metrics, dropped = _metrics(t)
    rows, table = [], []
    for j, (key, label, f) in enumerate(metrics):
        for i, r in enumerate(t.rows):
            v = f(r)
            if v is None:
                continue
            rows.append({"metric": label, "metric_order": j, "gpu": _name(r), "order": i,
                         "value": v, "text": num(v, 2 if v < 100 else 0),
                         "fo": STATUS_FILL[r.status]})
    for r in t.rows:
        row = {"gpu": _name(r), "status": r.status, "sources": list(r.sources)}
        for key, _, f in metrics:
            v = f(r)
            row[key] = round(v, 2) if v is not None else None
        table.append(row)
    spec = _spec(b, t, rows)
    takeaway, alt_text, notes = _words(t, metrics, dropped)
    cols_out = [Col("gpu", "GPU")] + [Col(k, lbl, "number") for k, lbl, _ in metrics] + \
               [Col("status", "Status", "status")]
    return chart(ID, "GPU generations compared", takeaway, alt_text, notes, cols_out,
                 table, dedup(s for r in t.rows for s in r.sources), instance.origin, spec)


def _spec(b: SpecBuilder, t: m.Table, rows: list[dict]) -> dict[str, Any]:
    alt = b.alt
    plot_w, _ = bars_fit((r["gpu"] for r in rows), [(r["value"], r["text"]) for r in rows])
    for r in rows:  # each panel has its own scale; an invisible mark makes room for the figures
        room = max(plot_w - text_width(r["text"]) - 10, plot_w * 0.25)
        r["pad"] = r["value"] * plot_w / room
    Y = alt.Y("gpu:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=alt.Axis(ticks=False, domain=False, labelLimit=200))
    X = alt.X("value:Q", title=None, axis=alt.Axis(format=",~r", tickCount=4, labels=False,
                                                   grid=False, domain=False, ticks=False),
              scale=alt.Scale(zero=True, nice=False))
    base = alt.Chart().encode(x=X, y=Y)
    bars = base.mark_bar(height={"band": 0.7}, strokeWidth=1.5, color=ACCENT, stroke=ACCENT).encode(
        fillOpacity=alt.FillOpacity("fo:Q", scale=None))
    text = base.mark_text(align="left", baseline="middle", dx=5).encode(text="text:N")
    room = alt.Chart().mark_point(opacity=0).encode(x=alt.X("pad:Q"), y=Y)
    plot = alt.layer(bars, text, room, data=b.data(rows)).properties(
        width=plot_w, height=alt.Step(22)).facet(
        row=alt.Row("metric:N", title=None, sort=alt.EncodingSortField("metric_order", order="ascending"),
                    header=alt.Header(labelPadding=4)),
        spacing=10).resolve_scale(x="independent")
    return b.finish(plot, b.legend(status_legend_items([r.status for r in t.rows], ACCENT, "bar"),
                                   "Status", plot_w))


def _words(t: m.Table, metrics: list[Metric], dropped: list[Metric]) -> tuple[str, str, list[str]]:
    """The takeaway (the best per-watt figure against the others), the alt text and the notes."""
    pw = [mt for mt in metrics if mt[0].endswith("_per_w")]
    if pw:
        key, label, f = pw[0]
        have = [(f(r), r) for r in t.rows if f(r) is not None]
        (bv, br), (wv, wr) = max(have, key=lambda x: x[0]), min(have, key=lambda x: x[0])
        pwr = lambda r: _val(r, "max_tdp_w")  # noqa: E731
        takeaway = (f"{_name(br)} does {num(bv, 2)} {label.split(' per watt')[0]} TFLOPS per watt, "
                    f"{times(bv, wv)} the {_name(wr)}'s {num(wv, 2)}, at "
                    f"{times(pwr(br), pwr(wr))} the power ({num(pwr(br), 0)} W against "
                    f"{num(pwr(wr), 0)} W).")
    else:
        key, label, f = metrics[0]
        have = sorted(((f(r), r) for r in t.rows if f(r) is not None), key=lambda x: x[0])
        takeaway = (f"{_name(have[-1][1])} has the highest {label.lower()}: {num(have[-1][0])}, "
                    f"{times(have[-1][0], have[0][0])} the {_name(have[0][1])}.")
    parts = []
    for key, label, f in metrics:
        have = sorted(((f(r), r) for r in t.rows if f(r) is not None), key=lambda x: x[0])
        parts.append(f"{label}: from {num(have[0][0])} ({_name(have[0][1])}) to "
                     f"{num(have[-1][0])} ({_name(have[-1][1])})")
    alt_text = (f"Bar charts comparing {len(t.rows)} GPUs ({list_words([_name(r) for r in t.rows])}) "
                f"on {len(metrics)} measures, one panel each. " + "; ".join(parts) + ".")
    missing = []
    for key, label, f in metrics:
        lacking = [_name(r) for r in t.rows if f(r) is None]
        if lacking:
            missing.append(f"no {label.split(' (')[0]} figure for {list_words(lacking)}")
    notes = ["Throughput per watt is computed here: the table's dense tensor throughput divided by "
             "the GPU's maximum power (TDP). Each panel has its own scale."]
    if missing:
        notes.append("Missing bars: " + "; ".join(missing) + " (see the table's notes).")
    for key, label, f in dropped:
        having = [_name(r) for r in t.rows if f(r) is not None]
        notes.append(f"{label.split(' (')[0]} is not compared: "
                     + (f"only {list_words(having)} has a figure." if having else "no GPU has a figure."))
    return takeaway, alt_text, notes


KIND = ChartKind(ID, __name__, instances, build, lite=True)
