"""Building one chart's Vega-Lite spec: the library that builds it (the stand-in for Altair of
:mod:`.lite`, or Altair itself, which the tests compare it with), its named datasets, layers,
legends drawn as layers, and the finished dict with the shared look.

Text from data only ever travels in the spec's *data values* (never in an expression, a sort
array, a scale domain or an axis label formula), so it is printed as text and never evaluated.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from .layout import text_width
from .lite import Lite
from .style import ACCENT, CONFIG, WIDTH


class SpecBuilder:
    """The spec of one chart as it is built. ``alt``: :class:`~.lite.Lite`, or Altair;
    ``validate``: the spec is checked against the Vega-Lite schema (Altair checks every part,
    Lite the finished spec; about as costly as building it, so builds leave it off and the tests
    and FL_CHART_VALIDATE=1 turn it on)."""

    def __init__(self, alt: Any, *, validate: bool = False, schema: str | None = None):
        self.alt = alt
        self.validate = validate
        self.schema = schema  # the Vega-Lite schema's address, when known (else asked of Altair)
        self.datasets: dict[str, list[dict]] = {}  # the rows of each named dataset

    @classmethod
    def altair(cls, *, validate: bool = False) -> "SpecBuilder":
        """With Altair itself. Every chart kind is built with :meth:`lite` (ChartKind.lite), so
        only the tests use this, as the reference that Lite's specs must equal."""
        import altair

        return cls(altair, validate=validate)

    @classmethod
    def lite(cls, *, validate: bool = False, schema: str | None = None) -> "SpecBuilder":
        """Without Altair; ``schema``: its schema's address (charts.cache.schema_url), which
        otherwise imports Altair to ask."""
        return cls(Lite, validate=validate, schema=schema)

    def data(self, rows: list[dict]) -> Any:
        """A named dataset: Altair deep-copies inline values at every layer, so the rows are kept
        aside and put into the spec's ``datasets`` at the end (names are content hashes)."""
        rows = [{k: (float(f"{v:.6g}") if isinstance(v, float) else v) for k, v in r.items()}
                for r in rows]  # six significant figures: plenty for drawing, and stable specs
        name = "d" + hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:12]
        self.datasets[name] = rows
        return self.alt.NamedData(name=name)

    def layer(self, *charts: Any, data: Any = None, **props: Any) -> dict[str, Any]:
        """Layers as a Vega-Lite dict, each unit chart converted on its own (see :meth:`finish`)."""
        layers = []
        for c in charts:
            d = c.to_dict(validate=self.validate)
            for key in ("$schema", "config", "datasets"):
                d.pop(key, None)
            if d.get("data") == {"name": "empty"}:  # Altair's stand-in for "the layer's data"
                del d["data"]
            layers.append(d)
        out: dict[str, Any] = {}
        if data is not None:
            out["data"] = data.to_dict()
        out["layer"] = layers
        for k, v in props.items():
            out[k] = v.to_dict() if hasattr(v, "to_dict") else v
        return out

    def finish(self, *parts: Any) -> dict[str, Any]:
        """Stack the chart and its legends, apply the shared look, return the Vega-Lite dict."""
        # Each part is turned into a dict on its own and the parts stacked here: Altair deep-copies
        # a nested chart at every level, which made building the specs slower than rendering them.
        dicts = [p if isinstance(p, dict) else p.to_dict(validate=self.validate) for p in parts]
        used = sorted(set(re.findall(r'"name": "(d[0-9a-f]{12})"', json.dumps(dicts))))
        datasets = {name: self.datasets[name] for name in used}
        schema = self.schema or (Lite.schema_url() if self.alt is Lite else self.alt.SCHEMA_URL)
        for d in dicts:
            for key in ("$schema", "config", "datasets"):
                d.pop(key, None)
        spec: dict[str, Any] = {"$schema": schema, **(
            {"vconcat": dicts, "spacing": 14} if len(dicts) > 1 else dicts[0])}
        spec["datasets"] = datasets
        if self.validate and self.alt is Lite:  # Altair has checked the parts as it built them
            Lite.validate(spec)  # (not the shared look: its null background is not the schema's)
        spec["config"] = CONFIG
        return spec

    # -- parts several charts share

    def status_points(self, x: Any, y: Any, rows: list[dict], *, color_field: str | None,
                      color: str = ACCENT, size: float | str = 80, name: str = "knockout"
                      ) -> list[Any]:
        """A knockout layer (so a hollow mark hides the line under it) and the status-encoded
        points. Every visual value is a field of the row computed here (``color``, ``fo`` fill
        opacity, ``shape``, and ``size`` in square pixels when given as a field name) with
        ``scale=None``, so the marks show exactly what the legend shows."""
        alt = self.alt
        size_enc = alt.Size(f"{size}:Q", scale=None) if isinstance(size, str) else alt.value(size)
        knock = alt.Chart(self.data(rows), name=name).mark_point(
            filled=True, opacity=1, color="white", strokeWidth=0).encode(
            x=x, y=y, shape=alt.Shape("shape:N", scale=None), size=size_enc)
        # a row's "tip" (what the mark is, in words) becomes the mark's description: Vega writes
        # it on the mark's SVG element, and generator.charts.svg turns it into data-tip, which the
        # page's script shows on a tap, hover or focus (charts stay readable without it)
        tips = {"description": alt.Description("tip:N")} if rows and "tip" in rows[0] else {}
        pts = alt.Chart(self.data(rows)).mark_point(
            filled=False, opacity=1, strokeWidth=2, **({"aria": True} if tips else {})).encode(
            x=x, y=y, shape=alt.Shape("shape:N", scale=None), size=size_enc,
            stroke=alt.Stroke("color:N", scale=None) if color_field else alt.value(color),
            fill=alt.Fill("color:N", scale=None) if color_field else alt.value(color),
            fillOpacity=alt.FillOpacity("fo:Q", scale=None), **tips)
        return [knock, pts]

    def legend(self, items: list[dict], title: str, width: int = WIDTH) -> Any:
        """A legend drawn as a layer: items {label, color, fo, shape, kind: point|bar, area}, in
        rows."""
        rows, height = _legend_rows(items, width)
        alt = self.alt
        X = alt.X("x:Q", scale=alt.Scale(domain=[0, width], range=[0, width]), axis=None)
        TX = alt.X("tx:Q", scale=alt.Scale(domain=[0, width], range=[0, width]), axis=None)
        Y = alt.Y("y:Q", scale=alt.Scale(domain=[0, height], range=[0, height]), axis=None)
        points = [r for r in rows if r.get("kind", "point") == "point"]
        bars = [r for r in rows if r.get("kind") == "bar"]
        layers = []
        for r in rows:
            del r["kind"]
        if bars:
            layers.append(alt.Chart(self.data(bars)).mark_point(
                filled=False, opacity=1, strokeWidth=1.5, shape="square").encode(
                x=X, y=Y, size=alt.Size("area:Q", scale=None),
                stroke=alt.Stroke("color:N", scale=None), fill=alt.Fill("color:N", scale=None),
                fillOpacity=alt.FillOpacity("fo:Q", scale=None)))
        if points:
            layers.append(alt.Chart(self.data(points)).mark_point(
                filled=False, opacity=1, strokeWidth=2).encode(
                x=X, y=Y, shape=alt.Shape("shape:N", scale=None),
                size=alt.Size("area:Q", scale=None), stroke=alt.Stroke("color:N", scale=None),
                fill=alt.Fill("color:N", scale=None),
                fillOpacity=alt.FillOpacity("fo:Q", scale=None)))
        layers.append(alt.Chart(self.data(rows)).mark_text(align="left", baseline="middle").encode(
            x=TX, y=Y, text="label:N"))
        return self.layer(*layers, width=width, height=height, title=title)

    def bar_labels(self, y: Any, field_: str = "label") -> Any:
        """Category names written above their bars (rather than in a column to the left), so that
        the bars get the whole width, which matters once a chart is scaled down to a phone."""
        alt = self.alt
        return alt.Chart().mark_text(align="left", baseline="bottom", dy=-9, fontSize=12).encode(
            x=alt.value(0), y=y, text=f"{field_}:N")

    def label_layers(self, rows: list[dict], x: Any, y: Any) -> list[Any]:
        """Text layers for placed labels (see layout.place_labels), one per placement."""
        alt = self.alt
        layers = []
        for key in sorted({(r["align"], r["dx"], r["dy"]) for r in rows}):
            align, dx, dy = key
            part = [{"date": r["date"], "value": r["value"], "text": r["text"]}
                    for r in rows if (r["align"], r["dx"], r["dy"]) == key]
            layers.append(alt.Chart(self.data(part)).mark_text(
                align=align, baseline="middle", dx=dx, dy=dy, fontSize=12).encode(
                x=x, y=y, text="text:N"))
        return layers


def _legend_rows(items: list[dict], width: float) -> tuple[list[dict], float]:
    """Where each legend item goes: rows that wrap at ``width``; returns the rows and the height."""
    rows, x, line, y = [], 0.0, 0, 0.0
    line_h = 20.0
    for it in items:
        area = float(it.get("area", 80 if it.get("kind", "point") == "point" else 140))
        d = round(max(14.0, 2 * math.sqrt(area / math.pi) if it.get("shape") == "circle" else 14.0), 1)
        w = d + 8 + text_width(it["label"]) + 18
        if x and x + w > width:
            x, line = 0.0, line + 1
            y += line_h
            line_h = 20.0
        line_h = max(line_h, d + 6)
        rows.append({"label": it["label"], "color": it["color"], "fo": it["fo"],
                     "shape": it.get("shape", "square"), "kind": it.get("kind", "point"),
                     "area": area, "x": x + d / 2, "tx": x + d + 8, "line": line})
        x += w
    # y of each row's centre
    heights: dict[int, float] = {}
    for r in rows:
        d = round(max(14.0, 2 * math.sqrt(r["area"] / math.pi) if r.get("shape") == "circle"
                      else 14.0), 1)
        heights[r["line"]] = max(heights.get(r["line"], 20.0), d + 6)
    tops, acc = {}, 0.0
    for ln in sorted(heights):
        tops[ln] = acc + heights[ln] / 2
        acc += heights[ln]
    for r in rows:
        r["y"] = tops[r.pop("line")]
    return rows, round(acc, 1)

