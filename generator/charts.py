"""Charts from data: Vega-Lite specs built with Altair from the Dataset, rendered at build time.

Every chart the data supports is registered by id (``valuations-over-time``, ``valuation-anthropic``,
…). Templates and articles place one with ``{{ chart("id") }}``; the page then holds, inside one
``<figure>``:

- a title and a one-sentence takeaway computed from the data;
- the chart as inline SVG (rendered by vl-convert: no browser, no network, visible with JavaScript
  off), in a container with ``role="img"`` and alt text generated from the data;
- notes (such as why the scale is logarithmic), the data as a table in a collapsed ``<details>``;
- Markdown links to the downloads (``charts/<id>.csv``, ``.vl.json``, ``.svg`` with title and source
  line, ``.png``, written by :meth:`Registry.assets`), so MkDocs rewrites and checks them; the
  inline SVG is published too (``charts/<id>.inline.svg``), which is how the site's sanitiser
  (:func:`mkdocs_glue.sanitize`) knows it for one the generator made;
- a citation line whose numbers join the page's list of sources, and the date of the data.

Safety: text from data only ever travels in Vega-Lite *data values* (never in an expression, a sort
array, a scale domain or an axis label formula; the downloadable spec's title and description are
plain strings), so it is printed as text and never evaluated; the SVG comes back with it
entity-escaped, and everything this module writes into HTML goes through :func:`render.md_escape`.
Legends are drawn as ordinary layers (so filled and hollow status marks show as they are), which is
also why the charts carry no Vega legends.

Speed (``python -m generator bench`` measures it at scale):

- the SVG and PNG of each chart are cached in the project's cache folder outside its tree
  (``charts/`` of :func:`generator.cachedir.project_cache`) under a hash of the spec,
  the vl-convert version and this module's output version, so an unchanged chart is never
  rendered twice; the files made from them (the SVG as placed in pages, the download SVG, the
  spec) are kept next to them;
- a built chart (words, table, spec) is kept too, by a hash of its inputs (a company's record for
  its chart; every company and table for a comparison), so an unchanged chart is not built again;
  the company charts are built without Altair (see :class:`_Lite`), which took longer than
  rendering them;
- in a site build, charts missing from the cache are rendered in worker processes while the pages
  are rendered and converted (vl-convert serialises calls inside one process, so threads do not
  help), straight into the cache, and the build copies them from there (see :class:`Registry`);
  see :data:`PARALLEL_MIN_JOBS`;
- a comparison chart draws at most a few companies (:data:`MAX_BARS` and the like), so that it
  costs the same however many companies the data holds; the pages beside it list them all.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import math
import os
import re
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from markupsafe import Markup

from . import model as m
from .load import Dataset, suggest
from .problems import Problems
from .escape import csv_cell, json_for_html, md, xml_text
from .markup import cite_marks, current_page, rel, short_date, status_badge
from .types import FilePage, Page, RenderError
from .values import CURRENCIES, Money, PartialDate

# ---------------------------------------------------------------------------------------------
# Look

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"  # Arial metrics: what vl-convert measures with
WIDTH = 380  # plot width in px of the time charts; the SVG scales to the column by CSS
TOTAL = 440  # about the whole width of the bar charts (labels, bars and the figures after them):
# kept small, because at phone width a chart is scaled down to about 330 px, text and all
TEXT = "#222222"  # text in downloads; the inline SVG is recoloured by charts.css for each palette
MUTED = "#666666"
# Mid-tone colours with at least 3:1 contrast on white and on Material's dark (slate) background.
PALETTE = ["#3b7dd8", "#d9771a", "#4a9e5c", "#c85a9a", "#7a6fd0", "#3a9aa0", "#e15759", "#9c755f"]
NEUTRAL = "#8c8c8c"
ACCENT = PALETTE[0]

STATUSES = ["confirmed", "reported", "rumored", "unverified"]
# Status is drawn the same way in every chart: filled = confirmed, tinted = reported, hollow = rumored
# or unverified, with the shape telling the last two apart.
STATUS_FILL = {"confirmed": 1.0, "reported": 0.3, "rumored": 0.0, "unverified": 0.0}
STATUS_SHAPE = {"confirmed": "circle", "reported": "circle", "rumored": "diamond",
                "unverified": "triangle-up"}

LOG_RATIO = 10  # a value axis spanning this ratio or more is logarithmic
# Comparison charts show at most this many companies (the largest), so that a chart stays readable
# and costs the same to build and render however many companies the data holds; the pages and
# tables beside them list every company. Eight lines is also the number of distinct colours.
MAX_TIMELINE_COMPANIES = 8
MAX_BARS = 12
MAX_CAPITAL_LABS = 8
MAX_FUNDING_LABS = 8
MAX_FUNDERS = 8
DEAL_KINDS_EXCLUDED = ("reported-talks", "declined-offer")  # marks that are not prices of a deal
STRATEGIC_KINDS = ("cloud-provider", "chipmaker", "technology-company")
LABS = ("ai-lab",)
IPO_TABLE = "largest-ipos"
GPU_TABLE = "gpu-specs"

OUTPUT_VERSION = "1"  # bump when the post-processing of rendered SVG or PNG changes
PNG_SCALE = 2
# Altair checks every spec against the Vega-Lite schema; that costs about as much as building the
# spec, so builds skip it and the tests (tests/test_charts.py) turn it on.
VALIDATE = os.environ.get("FL_CHART_VALIDATE", "") == "1"
# Worker processes pay about 1.5 to 2 s to start (Python, Altair, the JS engine of vl-convert) and
# then render two charts at a time; one process renders a chart in about 0.3 s (SVG and 2x PNG).
# Measured on 2 cores with the 10 charts of the shipped site (python -m generator bench-charts): a
# cold full build took 7.4 s with one process and 5.5 s with 2 workers when the machine was fairly
# quiet, 8.4 s against 8.2 s when it was busy; rendering alone, in a process whose vl-convert had
# started, took 3.8 s against 6.1 s with 2 workers. The gain is small and not reliable at this size,
# so workers are used only from this many uncached charts up (FL_CHART_WORKERS=N forces N).
PARALLEL_MIN_JOBS = 16
MAX_WORKERS = 2

_CONFIG: dict[str, Any] = {
    "font": FONT,
    "aria": False,  # the container carries role="img" and the alt text; per-mark labels only add weight
    "background": None,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
             "labelColor": TEXT, "titleColor": TEXT, "gridColor": "#e3e3e3",
             "domainColor": "#888888", "tickColor": "#888888", "labelLimit": 260},
    "header": {"labelFontSize": 12, "labelColor": TEXT, "titleFontSize": 12, "titleColor": TEXT,
               "labelAnchor": "start", "labelAngle": 0, "labelOrient": "top",
               "labelFontWeight": "bold"},
    "text": {"fontSize": 12, "color": TEXT},
    "title": {"fontSize": 12, "color": TEXT, "anchor": "start", "fontWeight": "bold"},
    "legend": {"disable": True},
}


# ---------------------------------------------------------------------------------------------
# Numbers and words


def _bn(money: Money) -> float:
    """An amount in billions of its currency, for plotting (the tables keep the exact figure).
    The check caps every amount (values.CURRENCIES, at most 3·10^16), so this float is finite."""
    return float(money.amount / Decimal(10**9))


def _cur_label(currency: str) -> str:
    return CURRENCIES[currency][0].strip()


def _short_date(d: PartialDate) -> str:
    return short_date(d)


def _month_year(d: PartialDate) -> str:
    return _short_date(PartialDate(d.year, d.month))


def _iso(d: PartialDate) -> str:
    return d.earliest.isoformat()


def _num(x: float | Decimal | int, digits: int = 2) -> str:
    """1234.5 → '1,234.5'; trailing zeros dropped."""
    q = f"{float(x):,.{digits}f}"
    return q.rstrip("0").rstrip(".") if "." in q else q


def _times(a: float, b: float) -> str:
    """How many times a is b: '2.9 times', '235 times'."""
    r = a / b
    return f"{_num(r, 1 if r < 10 else 0)} times"


def _list_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _status_phrase(status: str) -> str:
    return "" if status == "confirmed" else f", {status}"


def _text_width(text: str, size: float = 12) -> float:
    """A generous estimate of rendered width (Arial metrics average about 0.55 em a character)."""
    return len(text) * size * 0.58


def _valuation_marks(c: m.Company) -> list[m.Event]:
    return sorted((e for e in c.events if e.post_money_valuation), key=lambda e: e.date)


def _is_deal(e: m.Event) -> bool:
    return e.kind not in DEAL_KINDS_EXCLUDED


def _event_name(e: m.Event) -> str:
    return e.round or m.EVENT_KIND_LABEL[e.kind]


def _company_colors(ds: Dataset) -> dict[str, str]:
    """One colour per company across every chart (labs first, then the others, by id)."""
    order = sorted(ds.companies.values(), key=lambda c: (c.kind not in LABS, c.id))
    return {c.id: PALETTE[i % len(PALETTE)] for i, c in enumerate(order)}


def _dedup(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))  # first occurrences, in order (linear, not quadratic)


# ---------------------------------------------------------------------------------------------
# A chart: what the page shows besides the picture, and the spec


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    kind: str = "text"  # text | date | money | number | status


@dataclass
class Chart:
    id: str
    title: str
    takeaway: str
    alt: str
    notes: list[str]
    columns: list[Col]
    rows: list[dict[str, Any]]
    sources: list[str]
    origin: str  # the data file (or folder) a contributor edits to change this chart
    base: dict[str, Any]  # Vega-Lite spec as shown inline: no title, transparent background
    data_as_of: PartialDate | None = None
    svg_raw: str | None = None  # vl-convert output of ``base``
    png: bytes | None = None
    # Comparison charts offer a PNG download too; a company's own chart offers CSV, spec and SVG
    # (a 2x PNG costs twice the SVG to render and ~280 KB a profile: 1.4 GB for 5,000 companies).
    png_download: bool = True
    error: str | None = None
    build_seconds: float = 0.0  # time to build the spec (for the benchmark)

    @property
    def spec(self) -> dict[str, Any]:
        """The downloadable spec: the inline one with its title, description and a white background."""
        spec = dict(self.base_dict())
        spec["title"] = {"text": self.title, "subtitle": self.takeaway}
        spec["description"] = self.alt
        spec["config"] = {**spec.get("config", {}), "background": "white"}
        return dict(sorted(spec.items()))

    def spec_json(self, *, keep: bool = True) -> str:
        """The downloadable spec as JSON text. ``keep=False``: not kept on the chart (a cold build
        writes it to the cache once; at 5,000 charts keeping them all took 125 MB)."""
        cached = self.__dict__.get("_spec_json")
        if cached is not None:
            return cached
        # JSON that stays inert even if pasted into HTML
        text = json_for_html(json.dumps(self.spec, indent=2, ensure_ascii=False,
                                        sort_keys=True)) + "\n"
        if keep:
            self.__dict__["_spec_json"] = text
        return text

    def base_json(self) -> str:
        """``base`` as compact JSON with sorted keys (what the render cache's key is made of)."""
        text = self.__dict__.get("_base_json")
        if text is None:
            text = self.__dict__["_base_json"] = json.dumps(self.base, sort_keys=True,
                                                            separators=(",", ":"))
        return text

    def base_dict(self) -> dict[str, Any]:
        """``base``; a chart from the built cache keeps it as JSON text until it is needed."""
        if not self.base and "_base_json" in self.__dict__:
            return json.loads(self.__dict__["_base_json"])
        return self.base

    def inline(self) -> str:
        """The SVG as placed in pages (see :func:`inline_svg`), made once per build."""
        cached = self.__dict__.get("_inline")
        if cached is None or cached[0] is not self.svg_raw:
            cached = self.__dict__["_inline"] = (self.svg_raw, inline_svg(self.svg_raw or "", self.id))
        return cached[1]

    # -- the data, as CSV and as an HTML table
    def csv_text(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        header: list[str] = []
        for c in self.columns:
            if c.kind == "money":
                header += [c.key, f"{c.key}_currency", f"{c.key}_qualifier"]
            else:
                header.append(c.key)
        header.append("sources")
        w.writerow(header)
        for r in self.rows:
            out: list[str] = []
            for c in self.columns:
                v = r.get(c.key)
                if c.kind == "money":
                    out += ([_plain(v.amount), v.currency, v.qualifier] if isinstance(v, Money)
                            else ["", "", ""])
                else:
                    out.append(_csv_cell(v))
            out.append(" ".join(r.get("sources", ())))
            w.writerow(out)
        return buf.getvalue()

    def table_html(self) -> str:
        md_escape = md

        def cell(v: Any, kind: str) -> str:
            if kind == "status" and v in m.STATUS_MEANING:
                return str(status_badge(v))
            return str(md_escape(_display(v, kind)))

        head = "".join(f'<th{_align(c)}>{md_escape(c.label)}</th>' for c in self.columns)
        body = []
        for r in self.rows:
            cells = "".join(f"<td{_align(c)}>{cell(r.get(c.key), c.kind)}</td>"
                            for c in self.columns)
            body.append(f"<tr>{cells}</tr>")
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _align(c: Col) -> str:
    return ' style="text-align:right"' if c.kind in ("money", "number") else ""


def _plain(d: Decimal) -> str:
    s = f"{d:f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def _csv_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, PartialDate):
        return str(v)
    if isinstance(v, Decimal):
        return _plain(v)
    if isinstance(v, float):
        return _num(v, 4).replace(",", "")
    return csv_cell(str(v))


def _display(v: Any, kind: str) -> str:
    if v is None:
        return "—"
    if isinstance(v, Money):
        return v.display()
    if isinstance(v, PartialDate):
        return _short_date(v)
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float, Decimal)):
        return _num(v, 2)
    return str(v)


# ---------------------------------------------------------------------------------------------
# Spec building blocks (Altair is imported only when charts are built)


class ChartExists(Exception):
    """Raised by _alt() in probe mode: the maker got past every check that could make it return
    None, so the chart exists. Probing tells which charts the data supports without importing
    Altair or building any spec (the check uses it; it must stay under a second)."""


_PROBING = False
_LITE = False  # set while a valuation timeline is built: see _Lite
LITE_TIMELINES = True  # False: build the timelines with Altair too (the tests compare the two)


def _alt():
    if _PROBING:
        raise ChartExists
    if _LITE:
        return _Lite
    import altair as alt

    return alt


# A stand-in for the part of Altair's API that the valuation timelines use, producing the same
# Vega-Lite dicts without Altair's objects: building a company's spec with Altair took ~60 ms, more
# than rendering it, and there is one per company. Every other chart is built with Altair itself.
# tests/test_charts.py checks that both give the same spec, for every timeline of the test data
# and of the shipped data, and the golden files and the Vega-Lite schema check the result.

_TYPES = {"N": "nominal", "Q": "quantitative", "T": "temporal", "O": "ordinal"}


def _lite_value(v: Any) -> Any:
    return v.to_dict() if hasattr(v, "to_dict") else v


class _LiteObj:
    """A schema object: keyword arguments as they are (None stays null)."""

    def __init__(self, **kwargs: Any):
        self.kwargs = kwargs

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        return {k: _lite_value(v) for k, v in self.kwargs.items()}


class _LiteChannel(_LiteObj):
    def __init__(self, shorthand: str, **kwargs: Any):
        field_, _, kind = shorthand.partition(":")
        if kind not in _TYPES or not field_:
            raise ValueError(f"shorthand {shorthand!r} is not 'field:N|Q|T|O'")
        super().__init__(field=field_, type=_TYPES[kind], **kwargs)


class _LiteValue:
    def __init__(self, value: Any):
        self.value = value

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        return {"value": self.value}


class _LiteChart:
    def __init__(self, data: Any = None, name: str | None = None):
        self.data, self.name = data, name
        self.mark: dict[str, Any] | None = None
        self.encoding: dict[str, Any] = {}

    def _copy(self) -> "_LiteChart":
        c = _LiteChart(self.data, self.name)
        c.mark, c.encoding = self.mark, dict(self.encoding)
        return c

    def _mark(self, kind: str, kwargs: dict[str, Any]) -> "_LiteChart":
        c = self._copy()
        c.mark = {"type": kind, **kwargs}
        return c

    def mark_point(self, **kwargs: Any) -> "_LiteChart":
        return self._mark("point", kwargs)

    def mark_line(self, **kwargs: Any) -> "_LiteChart":
        return self._mark("line", kwargs)

    def mark_text(self, **kwargs: Any) -> "_LiteChart":
        return self._mark("text", kwargs)

    def encode(self, **channels: Any) -> "_LiteChart":
        c = self._copy()
        for k, v in channels.items():
            if isinstance(v, str):
                v = _LiteChannel(v)
            c.encoding[k] = v
        return c

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.data is not None:
            out["data"] = _lite_value(self.data)
        if self.mark is not None:
            out["mark"] = dict(self.mark)
        if self.encoding:
            out["encoding"] = {k: _lite_value(v) for k, v in self.encoding.items()}
        if self.name is not None:
            out["name"] = self.name
        return out


class _Lite:
    Chart = _LiteChart
    X = Y = Shape = Size = Stroke = Fill = FillOpacity = _LiteChannel
    Scale = Axis = _LiteObj

    @staticmethod
    def value(v: Any) -> _LiteValue:
        return _LiteValue(v)

    @staticmethod
    def NamedData(name: str) -> _LiteObj:  # noqa: N802 - Altair's name
        return _LiteObj(name=name)


def _lite_schema_url() -> str:
    global _SCHEMA_URL
    if _SCHEMA_URL is None:
        import altair as alt

        _SCHEMA_URL = alt.SCHEMA_URL
    return _SCHEMA_URL


_SCHEMA_URL: str | None = None


_DATASETS: dict[str, list[dict]] = {}  # rows of the spec being built, by name (see _finish)


def _data(rows: list[dict]) -> Any:
    """A named dataset: Altair deep-copies inline values at every layer, so the rows are kept
    aside and put into the spec's ``datasets`` at the end (names are content hashes)."""
    rows = [{k: (float(f"{v:.6g}") if isinstance(v, float) else v) for k, v in r.items()}
            for r in rows]  # six significant figures: plenty for drawing, and stable specs
    name = "d" + hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:12]
    _DATASETS[name] = rows
    return _alt().NamedData(name=name)


def _status_points(x: Any, y: Any, rows: list[dict], *, color_field: str | None, color: str = ACCENT,
                   size: float | str = 80, name: str = "knockout") -> list[Any]:
    """A knockout layer (so a hollow mark hides the line under it) and the status-encoded points.

    Every visual value is a field of the row computed here (``color``, ``fo`` fill opacity, ``shape``,
    and ``size`` in square pixels when given as a field name) with ``scale=None``, so the marks show
    exactly what the legend shows."""
    alt = _alt()
    size_enc = alt.Size(f"{size}:Q", scale=None) if isinstance(size, str) else alt.value(size)
    knock = alt.Chart(_data(rows), name=name).mark_point(
        filled=True, opacity=1, color="white", strokeWidth=0).encode(
        x=x, y=y, shape=alt.Shape("shape:N", scale=None), size=size_enc)
    pts = alt.Chart(_data(rows)).mark_point(filled=False, opacity=1, strokeWidth=2).encode(
        x=x, y=y, shape=alt.Shape("shape:N", scale=None), size=size_enc,
        stroke=alt.Stroke("color:N", scale=None) if color_field else alt.value(color),
        fill=alt.Fill("color:N", scale=None) if color_field else alt.value(color),
        fillOpacity=alt.FillOpacity("fo:Q", scale=None))
    return [knock, pts]


def _legend(items: list[dict], title: str, width: int = WIDTH) -> Any:
    """A legend drawn as a layer: items {label, color, fo, shape, kind: point|bar, area}, in rows."""
    alt = _alt()
    rows, x, line, y = [], 0.0, 0, 0.0
    line_h = 20.0
    for it in items:
        area = float(it.get("area", 80 if it.get("kind", "point") == "point" else 140))
        d = round(max(14.0, 2 * math.sqrt(area / math.pi) if it.get("shape") == "circle" else 14.0), 1)
        w = d + 8 + _text_width(it["label"]) + 18
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
    height = round(acc, 1)
    X = alt.X("x:Q", scale=alt.Scale(domain=[0, width], range=[0, width]), axis=None)
    TX = alt.X("tx:Q", scale=alt.Scale(domain=[0, width], range=[0, width]), axis=None)
    Y = alt.Y("y:Q", scale=alt.Scale(domain=[0, height], range=[0, height]), axis=None)
    points = [r for r in rows if r.get("kind", "point") == "point"]
    bars = [r for r in rows if r.get("kind") == "bar"]
    layers = []
    for r in rows:
        del r["kind"]
    if bars:
        layers.append(alt.Chart(_data(bars)).mark_point(
            filled=False, opacity=1, strokeWidth=1.5, shape="square").encode(
            x=X, y=Y, size=alt.Size("area:Q", scale=None), stroke=alt.Stroke("color:N", scale=None),
            fill=alt.Fill("color:N", scale=None), fillOpacity=alt.FillOpacity("fo:Q", scale=None)))
    if points:
        layers.append(alt.Chart(_data(points)).mark_point(
            filled=False, opacity=1, strokeWidth=2).encode(
            x=X, y=Y, shape=alt.Shape("shape:N", scale=None), size=alt.Size("area:Q", scale=None),
            stroke=alt.Stroke("color:N", scale=None), fill=alt.Fill("color:N", scale=None),
            fillOpacity=alt.FillOpacity("fo:Q", scale=None)))
    layers.append(alt.Chart(_data(rows)).mark_text(align="left", baseline="middle").encode(
        x=TX, y=Y, text="label:N"))
    return _layer(*layers, width=width, height=height, title=title)


def _bars_fit(labels: Iterable[str], rows: list[tuple[float, str]], total: float = TOTAL,
              bold: bool = False) -> tuple[float, float]:
    """Plot width and value-axis maximum for horizontal bars with a label column on the left and
    a figure after each bar: the bars get what the labels leave of ``total``, and the axis runs far
    enough for the longest figure to fit inside the plot. rows: (value, figure text)."""
    label_w = max((_text_width(t) * (1.08 if bold else 1) for t in labels), default=0) + 12
    plot = max(170.0, total - label_w)
    top = 0.0
    for v, text in rows:
        room = max(plot - _text_width(text) - 10, plot * 0.25)
        top = max(top, v * plot / room)
    return round(plot), top or 1.0


def _bar_labels(y: Any, field_: str = "label") -> Any:
    """Category names written above their bars (rather than in a column to the left), so that
    the bars get the whole width, which matters once a chart is scaled down to a phone."""
    alt = _alt()
    return alt.Chart().mark_text(align="left", baseline="bottom", dy=-9, fontSize=12).encode(
        x=alt.value(0), y=y, text=f"{field_}:N")


def _layer(*charts: Any, data: Any = None, **props: Any) -> dict[str, Any]:
    """Layers as a Vega-Lite dict, each unit chart converted on its own (see :func:`_finish`)."""
    layers = []
    for c in charts:
        d = c.to_dict(validate=VALIDATE)
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


def _status_legend_items(statuses: Iterable[str], color: str = MUTED, kind: str = "point"
                         ) -> list[dict]:
    seen = set(statuses)
    present = [s for s in STATUSES if s in seen]
    return [{"label": s, "color": color, "fo": STATUS_FILL[s], "shape": STATUS_SHAPE[s],
             "kind": kind} for s in present]


def _finish(*parts: Any) -> dict[str, Any]:
    """Stack the chart and its legends, apply the shared look, return the Vega-Lite dict."""
    # Each part is turned into a dict on its own and the parts stacked here: Altair deep-copies a
    # nested chart at every level, which made building the specs slower than rendering them.
    try:
        dicts = [p if isinstance(p, dict) else p.to_dict(validate=VALIDATE) for p in parts]
        used = sorted(set(re.findall(r'"name": "(d[0-9a-f]{12})"', json.dumps(dicts))))
        datasets = {name: _DATASETS[name] for name in used}
    finally:
        _DATASETS.clear()
    schema = _lite_schema_url() if _LITE else _alt().SCHEMA_URL
    for d in dicts:
        for key in ("$schema", "config", "datasets"):
            d.pop(key, None)
    spec: dict[str, Any] = {"$schema": schema, **(
        {"vconcat": dicts, "spacing": 14} if len(dicts) > 1 else dicts[0])}
    spec["datasets"] = datasets
    spec["config"] = _CONFIG
    return spec


class ValueAxis:
    """A value axis with an explicit domain, so labels can be placed in pixels before rendering.

    Logarithmic when the values span LOG_RATIO or more (with the note that says why), else linear
    from zero."""

    def __init__(self, values: list[float], height: float, headroom: float = 1.0):
        lo, hi = min(values), max(values)
        self.height = height
        self.log = lo > 0 and hi / lo >= LOG_RATIO
        if self.log:
            self.lo = 10 ** math.floor(math.log10(lo) + 1e-9)
            self.hi = hi * (1.6 if headroom > 1 else 1.15)
            ticks, k = [], math.floor(math.log10(self.lo))
            while 10 ** k <= self.hi:
                for mult in (1, 3):
                    v = mult * 10 ** k
                    if self.lo <= v <= self.hi:
                        ticks.append(v if v >= 1 else round(v, 6))
                k += 1
            self.ticks = ticks
            self.note = (f"Logarithmic scale: the values span a {_num(hi / lo, 0)}-fold range, so "
                         "equal vertical steps mean equal growth rates and the early, smaller marks "
                         "stay visible.")
        else:
            self.lo, self.hi = 0.0, hi * (1.12 if headroom > 1 else 1.05)
            self.ticks = None
            self.note = (f"Linear scale from zero: the values span only a {_num(hi / lo, 1)}-fold "
                         "range, so heights compare directly." if lo > 0 else "Linear scale from zero.")

    def px(self, v: float) -> float:
        """Pixels from the top of the plot."""
        if self.log:
            a, b = math.log10(self.lo), math.log10(self.hi)
            return self.height * (1 - (math.log10(v) - a) / ((b - a) or 1))
        return self.height * (1 - (v - self.lo) / ((self.hi - self.lo) or 1))

    def value_at(self, px: float) -> float:
        """The value drawn px pixels from the top (the inverse of :meth:`px`)."""
        f = 1 - px / self.height
        if self.log:
            a, b = math.log10(self.lo), math.log10(self.hi)
            return 10 ** (a + f * (b - a))
        return self.lo + f * (self.hi - self.lo)

    def encoding(self, field_: str, title: str) -> Any:
        alt = _alt()
        scale = alt.Scale(type="log" if self.log else "linear", domain=[self.lo, self.hi], nice=False,
                          zero=not self.log)
        axis = alt.Axis(title=title, format=",~r", grid=True, **(
            {"values": self.ticks} if self.ticks else {"tickCount": 6}))
        return alt.Y(f"{field_}:Q", scale=scale, axis=axis)


class TimeAxis:
    def __init__(self, dates: list[PartialDate], width: float, pad_left: float = 0.03,
                 pad_right: float = 0.03):
        import datetime as dt

        days = [d.earliest.toordinal() for d in dates]
        lo, hi = min(days), max(days)
        span = max(hi - lo, 60)
        self.d0, self.d1 = lo - span * pad_left, hi + span * pad_right
        self.width = width
        self.domain = [dt.date.fromordinal(int(self.d0)).isoformat(),
                       dt.date.fromordinal(int(math.ceil(self.d1))).isoformat()]
        self.d0, self.d1 = float(int(self.d0)), float(int(math.ceil(self.d1)))
        self.long = hi - lo > 700
        # ticks on 1 January of each year inside the plotted range, but not in the right margin
        self.years = [y for y in range(dt.date.fromordinal(int(self.d0)).year,
                                       dt.date.fromordinal(hi).year + 1)
                      if self.d0 <= dt.date(y, 1, 1).toordinal() <= hi] if self.long else []

    def px(self, d: PartialDate) -> float:
        return (d.earliest.toordinal() - self.d0) / ((self.d1 - self.d0) or 1) * self.width

    def encoding(self, field_: str = "date") -> Any:
        alt = _alt()
        return alt.X(f"{field_}:T", title=None, scale=alt.Scale(domain=self.domain, nice=False),
                     axis=alt.Axis(format="%Y" if self.long else "%b %Y", grid=False,
                                   labelOverlap=True, **(
                                       {"values": [{"year": y, "month": 1, "date": 1}
                                                   for y in self.years]}
                                       if self.years else {"tickCount": 5})))


def place_labels(labels: list[dict], obstacles: list[tuple[float, float, float, float]],
                 width: float, height: float, size: float = 11.5) -> list[dict]:
    """Greedy label placement: each label {px, py, text} tries right, left, above and below its
    point and takes the first spot that overlaps no point, line, plot edge or earlier label; a
    label with no free spot is left out (labels come in order of importance)."""
    boxes = list(obstacles)
    out = []
    for lab in labels:
        w, h = _text_width(lab["text"], size), size + 3
        px, py = lab["px"], lab["py"]
        for align, dx, dy in (("left", 11, 0), ("right", -11, 0), ("right", -8, -13),
                              ("left", 8, 13), ("left", 8, -13), ("right", -8, 13)):
            left = px + dx if align == "left" else px + dx - w
            top = py + dy - h / 2
            box = (left, top, left + w, top + h)
            if left < 0 or left + w > width + 40 or top < -4 or top + h > height:
                continue
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
                continue
            boxes.append(box)
            out.append({**lab, "align": align, "dx": dx, "dy": dy})
            break
    return out


def _segment_boxes(points: list[tuple[float, float]], r: float = 2.5
                   ) -> list[tuple[float, float, float, float]]:
    """Small boxes along a polyline, so labels keep off the line."""
    out = []
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        n = max(1, int(math.hypot(x2 - x1, y2 - y1) / 4))
        for i in range(n + 1):
            x, y = x1 + (x2 - x1) * i / n, y1 + (y2 - y1) * i / n
            out.append((x - r, y - r, x + r, y + r))
    return out


def _label_layers(rows: list[dict], x: Any, y: Any) -> list[Any]:
    alt = _alt()
    layers = []
    for key in sorted({(r["align"], r["dx"], r["dy"]) for r in rows}):
        align, dx, dy = key
        part = [{"date": r["date"], "value": r["value"], "text": r["text"]}
                for r in rows if (r["align"], r["dx"], r["dy"]) == key]
        layers.append(alt.Chart(_data(part)).mark_text(
            align=align, baseline="middle", dx=dx, dy=dy, fontSize=11.5).encode(
            x=x, y=y, text="text:N"))
    return layers


def _rounded(mn: Money) -> str:
    """A sum shown to four significant figures: 'about US$138.3 billion'."""
    a = mn.amount
    if a <= 0:
        return mn.display()
    q = Decimal(10) ** (int(math.floor(math.log10(a))) - 3)
    r = (a / q).quantize(Decimal(1)) * q
    if r == a:
        return mn.display()
    return Money(r.normalize() if r != r.to_integral() else r.quantize(Decimal(1)), mn.currency,
                 mn.qualifier or "about").display()


# ---------------------------------------------------------------------------------------------
# The charts


def _sources_of(events: Iterable[Any]) -> list[str]:
    return _dedup(s for e in events for s in e.sources)


def _valuation_table_rows(pairs: list[tuple[m.Company, m.Event]]) -> list[dict]:
    return [{"company": c.name, "date": e.date, "event": _event_name(e),
             "kind": m.EVENT_KIND_LABEL[e.kind], "value": e.post_money_valuation,
             "status": e.status, "sources": list(e.sources)} for c, e in pairs]


VALUATION_COLS = [Col("company", "Company"), Col("date", "Date", "date"), Col("event", "Event"),
                  Col("kind", "Kind"), Col("value", "Post-money valuation", "money"),
                  Col("status", "Status", "status")]


def _valuation_timeline(chart_id: str, title: str, companies: list[m.Company], currency: str,
                        colors: dict[str, str], origin: str, single: bool) -> Chart | None:
    global _LITE
    before = _LITE
    _LITE = LITE_TIMELINES
    try:
        return _valuation_timeline_spec(chart_id, title, companies, currency, colors, origin, single)
    finally:
        _LITE = before


def _valuation_timeline_spec(chart_id: str, title: str, companies: list[m.Company], currency: str,
                             colors: dict[str, str], origin: str, single: bool) -> Chart | None:
    pairs = [(c, e) for c in companies for e in _valuation_marks(c)
             if e.post_money_valuation.currency == currency]
    if len(pairs) < 2:
        return None
    alt = _alt()  # from here on the chart exists (a probe stops here)
    pairs.sort(key=lambda ce: (ce[1].date, ce[0].name.casefold()))
    companies = [c for c in companies if any(cc.id == c.id for cc, _ in pairs)]
    height = 300
    yaxis = ValueAxis([_bn(e.post_money_valuation) for _, e in pairs], height, headroom=1.2)
    # the comparison names each line at its right end, in a margin kept free for the names
    margin = 0.0 if single else max(_text_width(c.name) for c in companies) + 16
    xaxis = TimeAxis([e.date for _, e in pairs], WIDTH, pad_right=0.04 + margin / (WIDTH - margin))
    cur = _cur_label(currency)
    dates = [e.date for _, e in pairs]
    X = xaxis.encoding()
    Y = yaxis.encoding("value", f"Post-money valuation, {cur} billion")

    def color(c: m.Company) -> str:
        return ACCENT if single else colors[c.id]

    pts = [{"date": _iso(e.date), "value": _bn(e.post_money_valuation), "id": c.id,
            "color": color(c), "fo": STATUS_FILL[e.status], "shape": STATUS_SHAPE[e.status]}
           for c, e in pairs]
    line_rows = [p for p, (_, e) in zip(pts, pairs) if _is_deal(e)]

    # key rounds, most important first: each company's latest deal, then (one company) its first
    # mark, its highest, and the other deals from the largest down
    def pos(e: m.Event) -> tuple[float, float]:
        return xaxis.px(e.date), yaxis.px(_bn(e.post_money_valuation))

    keys: list[tuple[m.Company, m.Event]] = []
    for c in companies:
        mine = [(cc, e) for cc, e in pairs if cc.id == c.id]
        deals = [ce for ce in mine if _is_deal(ce[1])]
        keys.append(deals[-1] if deals else mine[-1])
    ends = []
    if not single:  # names at the right edge, level with each company's last mark, pushed apart
        right = max(xaxis.px(e.date) for _, e in pairs) + 12  # dx of the text mark
        for c in companies:
            last = [e for cc, e in pairs if cc.id == c.id][-1]
            ends.append({"text": c.name, "color": colors[c.id], "py": yaxis.px(_bn(last.post_money_valuation))})
        ends.sort(key=lambda r: r["py"])
        for i in range(1, len(ends)):
            ends[i]["py"] = max(ends[i]["py"], ends[i - 1]["py"] + 15)
        overflow = ends[-1]["py"] - (height - 6) if ends else 0
        if overflow > 0:
            for r in ends:
                r["py"] -= overflow
        last_date = _iso(max(e.date for _, e in pairs))
        for r in ends:
            r["px"] = right
            r["date"], r["value"] = last_date, yaxis.value_at(r["py"])
    for c in companies:
        mine = [(cc, e) for cc, e in pairs if cc.id == c.id]
        extra = [mine[0], max(mine, key=lambda ce: ce[1].post_money_valuation.amount)]
        if single:
            extra += sorted((ce for ce in mine if _is_deal(ce[1])),
                            key=lambda ce: -ce[1].post_money_valuation.amount)
        keys += [ce for ce in extra if ce not in keys]
    obstacles = [(x - 7, y - 7, x + 7, y + 7) for x, y in (pos(e) for _, e in pairs)]
    for c in companies:
        obstacles += _segment_boxes([pos(e) for cc, e in pairs if cc.id == c.id and _is_deal(e)])
    wanted = []
    for c, e in keys:
        v = e.post_money_valuation
        text = f"{_event_name(e)}: {v.display()}" if single else f"{c.name}, {_event_name(e)}"
        x, y = pos(e)
        wanted.append({"px": x, "py": y, "text": text, "date": _iso(e.date), "value": _bn(v)})
    obstacles += [(r["px"], r["py"] - 8, r["px"] + _text_width(r["text"]), r["py"] + 8) for r in ends]
    labels = place_labels(wanted, obstacles, WIDTH, height)

    layers = []
    if line_rows:
        layers.append(alt.Chart(_data(line_rows)).mark_line(strokeWidth=2).encode(
            x=X, y=Y, detail="id:N", stroke=alt.Stroke("color:N", scale=None)))
    layers += _status_points(X, Y, pts, color_field="color")
    layers += _label_layers(labels, X, Y)
    if ends:
        ends = [{"date": r["date"], "value": r["value"], "text": r["text"], "color": r["color"]}
                for r in ends]
        layers.append(alt.Chart(_data(ends)).mark_text(
            align="left", baseline="middle", fontWeight="bold", dx=12).encode(
            x=X, y=Y, text="text:N", fill=alt.Fill("color:N", scale=None)))
    plot = _layer(*layers, width=WIDTH, height=height)
    legends = []
    if not single:
        legends.append(_legend([{"label": c.name, "color": colors[c.id], "fo": 1, "shape": "circle"}
                                for c in companies], "Company"))
    legends.append(_legend(_status_legend_items([e.status for _, e in pairs]), "Status"))
    spec = _finish(plot, *legends)

    # words
    lo_c, lo_e = min(pairs, key=lambda ce: ce[1].post_money_valuation.amount)
    hi_c, hi_e = max(pairs, key=lambda ce: ce[1].post_money_valuation.amount)
    span = f"{_short_date(dates[0])} to {_short_date(dates[-1])}"

    def mark(c: m.Company, e: m.Event) -> str:
        who = "" if single else f"{c.name}, "
        return (f"{who}{_event_name(e)}, {e.post_money_valuation.display()} "
                f"({_short_date(e.date)}{_status_phrase(e.status)})")

    growth = []
    for c in companies:
        deals = [e for cc, e in pairs if cc.id == c.id and _is_deal(e)]
        if len(deals) >= 2:
            growth.append((_bn(deals[-1].post_money_valuation) / _bn(deals[0].post_money_valuation),
                           c, deals[0], deals[-1]))
    if growth:
        g, c, first, last = max(growth, key=lambda t: t[0])
        how = (f", {_times(g, 1)} its first mark" if g >= 1.05 else
               ", about the same" if g > 0.95 else f", down to {_num(g * 100, 0)}% of its first mark")
        verb = "rose" if g >= 1.05 else "moved" if g > 0.95 else "fell"
        takeaway = (f"{c.name}'s post-money valuation {verb} from "
                    f"{first.post_money_valuation.display()} ({_short_date(first.date)}) to "
                    f"{last.post_money_valuation.display()} ({_short_date(last.date)}){how}"
                    + (f", the steepest rise of the {len(growth)} companies charted."
                       if not single and len(growth) > 1 and g >= 1.05 else "."))
    else:
        takeaway = (f"Valuation marks range from {lo_e.post_money_valuation.display()} to "
                    f"{hi_e.post_money_valuation.display()} between {span}.")
    names = _list_words([c.name for c in companies])
    alt_text = (f"Line chart of post-money valuation marks of {names}, {span}, on a "
                f"{'logarithmic' if yaxis.log else 'linear'} scale in {cur} billion; filled points "
                f"are confirmed, tinted reported, hollow rumored or unverified. Lowest: "
                f"{mark(lo_c, lo_e)}. Highest: {mark(hi_c, hi_e)}.")
    notes = [yaxis.note]
    if any(not _is_deal(e) for _, e in pairs):
        notes.append("The line joins marks set by a deal; talks, declined offers and targets are "
                     "points only.")
    if any(e.post_money_valuation.qualifier for _, e in pairs):
        notes.append("Marks given as 'about' or 'more than' an amount are plotted at that amount.")
    others = sorted({c.name for c in companies for e in _valuation_marks(c)
                     if e.post_money_valuation.currency != currency})
    if others:
        notes.append(f"Marks in other currencies are left out, not converted ({_list_words(others)}).")
    rows = _valuation_table_rows(pairs)
    cols = VALUATION_COLS if not single else [c for c in VALUATION_COLS if c.key != "company"]
    return Chart(chart_id, title, takeaway, alt_text, notes, cols, rows,
                 _sources_of(e for _, e in pairs), origin, spec)


def chart_valuations_over_time(ds: Dataset, colors: dict[str, str]) -> Chart | None:
    marks = {c.id: [e.post_money_valuation.amount for e in _valuation_marks(c)
                    if e.post_money_valuation.currency == "USD"] for c in ds.companies.values()}
    companies = [c for c in ds.companies.values() if len(marks[c.id]) >= 2]
    if not companies:
        return None
    total = len(companies)
    if total > MAX_TIMELINE_COMPANIES:  # the companies with the highest marks
        companies = sorted(companies, key=lambda c: (-max(marks[c.id]), c.name.casefold())
                           )[:MAX_TIMELINE_COMPANIES]
    companies.sort(key=lambda c: c.name.casefold())
    ch = _valuation_timeline("valuations-over-time", "Post-money valuations over time",
                             companies, "USD", colors, "data/companies", single=False)
    if ch is not None and total > len(companies):
        ch.notes.append(f"The {len(companies)} companies with the highest marks are drawn, of "
                        f"{total} with two or more; the table below lists every mark.")
    return ch


def chart_company_valuation(ds: Dataset, c: m.Company, colors: dict[str, str]) -> Chart | None:
    marks = _valuation_marks(c)
    if len(marks) < 2:
        return None
    counts: dict[str, int] = {}
    for e in marks:
        counts[e.post_money_valuation.currency] = counts.get(e.post_money_valuation.currency, 0) + 1
    currency = max(sorted(counts), key=lambda k: counts[k])
    ch = _valuation_timeline(f"valuation-{c.id}", f"{c.name}: post-money valuation over time",
                             [c], currency, colors, ds.origin("companies", c.id), single=True)
    if ch is not None:
        ch.png_download = False
    return ch


def chart_latest_valuations(ds: Dataset, colors: dict[str, str]) -> Chart | None:
    from .facts import latest_mark, parent_of

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
    if not pairs:
        return None
    alt = _alt()  # from here on the chart exists (a probe stops here)
    pairs.sort(key=lambda ce: (-ce[1].post_money_valuation.amount, ce[0].name.casefold()))
    total = len(pairs)
    pairs = pairs[:MAX_BARS]
    rows = []
    for i, (c, e) in enumerate(pairs):
        v = e.post_money_valuation
        rows.append({"label": f"{c.name} ({_month_year(e.date)})", "value": _bn(v),
                     "text": v.display(), "order": i, "color": ACCENT, "fo": STATUS_FILL[e.status]})
    plot_w, top = _bars_fit([], [(r["value"], r["text"]) for r in rows])
    Y = alt.Y("label:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=None)
    X = alt.X("value:Q", title="Post-money valuation, US$ billion",
              scale=alt.Scale(domain=[0, top], nice=False), axis=alt.Axis(format=",~r", tickCount=4))
    bars = alt.Chart().mark_bar(height=15, strokeWidth=1.5).encode(
        x=X, y=Y, fill=alt.value(ACCENT), stroke=alt.value(ACCENT),
        fillOpacity=alt.FillOpacity("fo:Q", scale=None))
    text = alt.Chart().mark_text(align="left", baseline="middle", dx=5).encode(
        x=X, y=Y, text="text:N")
    plot = _layer(bars, text, _bar_labels(Y), data=_data(rows), width=plot_w,
                  height={"step": 40})
    spec = _finish(plot, _legend(_status_legend_items([e.status for _, e in pairs], ACCENT, "bar"),
                                 "Status", plot_w))
    hi_c, hi_e = pairs[0]
    lo_c, lo_e = pairs[-1]
    takeaway = (f"{hi_c.name} has the highest latest mark, {hi_e.post_money_valuation.display()} "
                f"({_short_date(hi_e.date)}{_status_phrase(hi_e.status)})"
                + (f", {_times(_bn(hi_e.post_money_valuation), _bn(lo_e.post_money_valuation))} "
                   f"{lo_c.name}'s {lo_e.post_money_valuation.display()}." if len(pairs) > 1 else "."))
    alt_text = (f"Bar chart of the latest confirmed or reported post-money valuation of "
                f"{len(pairs)} companies in US$ billion, largest first; solid bars are confirmed, "
                f"tinted reported. Highest: {hi_c.name}, {hi_e.post_money_valuation.display()} "
                f"({_short_date(hi_e.date)}). Lowest: {lo_c.name}, "
                f"{lo_e.post_money_valuation.display()} ({_short_date(lo_e.date)}).")
    notes = ["Each company's latest confirmed or reported mark set by a deal (talks, declined offers "
             "and targets are left out); the date is in brackets, so older marks stand out."]
    if others:
        notes.append("Marks in other currencies are left out, not converted ("
                     f"{_list_words(sorted(c.name for c, _ in others))}).")
    if absorbed:
        notes.append(f"Left out, as no longer valued on their own: {_list_words(sorted(absorbed))}.")
    if total > len(pairs):
        notes.append(f"The {len(pairs)} highest of {total} latest marks are shown; the table "
                     "below lists every company.")
    return Chart("latest-valuations", "Latest post-money valuation by company", takeaway, alt_text,
                 notes, VALUATION_COLS, _valuation_table_rows(pairs),
                 _sources_of(e for _, e in pairs), "data/companies", spec)


CAPITAL_CATEGORIES = [
    ("primary", "Primary rounds, raised", ("primary-round", "ipo"), "raised"),
    ("strategic", "Strategic investments, paid in", ("strategic-investment",), "raised"),
    ("committed", "Committed, up to", None, "committed"),
    ("secondary", "Secondary sales and tender offers", ("tender-offer", "secondary-sale"), "raised"),
]


def chart_capital(ds: Dataset, colors: dict[str, str]) -> Chart | None:
    labs = [c for c in ds.companies.values() if c.kind in LABS]
    totals: dict[tuple[str, str], list] = {}
    skipped: dict[str, str] = {}  # company id → name
    used: list[tuple[str, m.Event]] = []
    counted: list[tuple[str, str]] = []  # (company id, words)
    for c in labs:
        for e in c.events:
            for key, _, kinds, what in CAPITAL_CATEGORIES:
                amount = e.amount_committed if what == "committed" else e.amount_raised
                if amount is None or (kinds is not None and e.kind not in kinds):
                    continue
                if what == "raised" and e.counted_in:
                    inner = c.event(e.counted_in)
                    counted.append((c.id,
                        f"{c.name}'s {_event_name(e)} ({amount.display()}) is part of its "
                        f"{_event_name(inner) if inner else e.counted_in}"))
                    continue
                if amount.currency != "USD":
                    skipped[c.id] = c.name
                    continue
                t = totals.setdefault((c.id, key), [Decimal(0), 0, c, set()])
                t[0] += amount.amount
                t[1] += 1
                t[3].add(e.status)
                used.append((c.id, e))
    if not totals:
        return None
    alt = _alt()  # from here on the chart exists (a probe stops here)
    money_in: dict[str, Decimal] = {}
    for (cid, key), v in totals.items():
        money_in[cid] = money_in.get(cid, Decimal(0)) + (v[0] if key != "committed" else 0)
    companies = _dedup(cid for cid, _ in sorted(totals, key=lambda k: -money_in[k[0]]))
    total_labs = len(companies)
    companies = companies[:MAX_CAPITAL_LABS]
    charted = set(companies)
    totals = {k: v for k, v in totals.items() if k[0] in charted}
    used_events = [e for cid, e in used if cid in charted]
    used_ids = {id(e) for e in used_events}
    counted_elsewhere = [words for cid, words in counted if cid in charted or cid not in money_in]
    skipped = {cid: name for cid, name in skipped.items() if cid in charted or cid not in money_in}
    cat_color = {"primary": PALETTE[0], "strategic": PALETTE[1], "committed": PALETTE[1],
                 "secondary": NEUTRAL}
    cat_fo = {"primary": 1.0, "strategic": 1.0, "committed": 0.15, "secondary": 1.0}
    present = [c for c in CAPITAL_CATEGORIES if any(k[1] == c[0] for k in totals)]
    rows, table = [], []
    for i, cid in enumerate(companies):
        c = ds.companies[cid]
        for j, (key, label, _, _) in enumerate(present):
            t = totals.get((cid, key))
            if t is None:
                continue
            money = Money(t[0], "USD")
            rows.append({"company": c.name, "order": i, "cat": label, "cat_order": j,
                         "value": _bn(money), "text": _rounded(money), "color": cat_color[key],
                         "fo": cat_fo[key]})
            table.append({"company": c.name, "category": label, "amount": money, "events": t[1],
                          "status": ", ".join(s for s in STATUSES if s in t[3]),
                          "sources": _sources_of(e for e in c.events if id(e) in used_ids)})
    plot_w, top = _bars_fit([], [(r["value"], r["text"]) for r in rows])
    Y = alt.Y("cat:N", title=None, sort=alt.EncodingSortField("cat_order", order="ascending"),
              axis=None)
    X = alt.X("value:Q", title="US$ billion, summed over events",
              scale=alt.Scale(domain=[0, top], nice=False),
              axis=alt.Axis(format=",~r", tickCount=4))
    bars = alt.Chart().mark_bar(height=13, strokeWidth=1.5).encode(
        x=X, y=Y, fill=alt.Fill("color:N", scale=None), stroke=alt.Stroke("color:N", scale=None),
        fillOpacity=alt.FillOpacity("fo:Q", scale=None))
    text = alt.Chart().mark_text(align="left", baseline="middle", dx=5).encode(
        x=X, y=Y, text="text:N")
    plot = alt.layer(bars, text, _bar_labels(Y, "cat"), data=_data(rows)).properties(
        width=plot_w, height=alt.Step(36)).facet(
        row=alt.Row("company:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
                    header=alt.Header(labelPadding=2)),
        spacing=8).resolve_scale(y="independent")
    legend = _legend([{"label": label, "color": cat_color[key], "fo": cat_fo[key], "kind": "bar"}
                      for key, label, _, _ in present], "Kind of money", plot_w)
    spec = _finish(plot, legend)

    raised = {cid: sum((totals[(cid, k)][0] for k in ("primary", "strategic") if (cid, k) in totals),
                       Decimal(0)) for cid in companies}
    lead = max(companies, key=lambda cid: raised[cid])
    lead_c = ds.companies[lead]
    committed = totals.get((lead, "committed"))
    takeaway = (f"{lead_c.name} has raised the most, {_rounded(Money(raised[lead], 'USD'))} in "
                f"primary rounds and strategic investments"
                + (f", with up to {_rounded(Money(committed[0], 'USD'))} committed in "
                   "'up to' deals" if committed else "") + ".")
    biggest = max(rows, key=lambda r: r["value"])
    alt_text = (f"Grouped bar chart of money raised, committed and sold per AI lab for "
                f"{len(companies)} labs in US$ billion, summed over each lab's events. Largest bar: "
                f"{biggest['company']}, {biggest['cat'].lower()}, {biggest['text']}. "
                f"{_list_words([ds.companies[cid].name for cid in companies])}.")
    notes = ["Committed amounts are 'up to' totals, including money tied to milestones and money "
             "later paid in; they are drawn apart (pale) and never added to what was raised. "
             "Secondary sales and tender offers are shares changing hands, not money for the company.",
             "Totals add up each event as recorded, except money the data marks as counted inside "
             "another event, which is not added twice."]
    if counted_elsewhere:
        notes.append("Not added again: " + "; ".join(counted_elsewhere) + ".")
    if skipped:
        notes.append(f"Amounts in other currencies are left out, not converted "
                     f"({_list_words(sorted(skipped.values()))}).")
    if total_labs > len(companies):
        notes.append(f"The {len(companies)} labs that raised the most are shown, of {total_labs}; "
                     "each lab's events are on its profile.")
    cols = [Col("company", "Company"), Col("category", "Kind of money"),
            Col("amount", "Total", "money"), Col("events", "Events", "number"),
            Col("status", "Status")]
    return Chart("capital-raised", "Capital raised and committed per AI lab", takeaway, alt_text,
                 notes, cols, table, _sources_of(used_events), "data/companies", spec)


def chart_who_funds_whom(ds: Dataset, colors: dict[str, str]) -> Chart | None:
    investors = {c.id for c in ds.companies.values() if c.kind in STRATEGIC_KINDS}
    found = []
    for lab in ds.companies.values():
        if lab.kind not in LABS:
            continue
        for e in lab.events:
            ours = [i for i in e.investors if i.company in investors]
            for inv in ours:
                if inv.amount is not None:
                    amount, basis = inv.amount, "paid in"
                elif len(e.investors) == 1 and e.amount_raised is not None:
                    amount, basis = e.amount_raised, "paid in"
                elif len(e.investors) == 1 and e.amount_committed is not None:
                    amount, basis = e.amount_committed, "up to (committed)"
                else:
                    amount, basis = None, "share not disclosed"
                if amount is not None and amount.currency != "USD":
                    amount, basis = None, "share not disclosed"
                committed = e.amount_committed if len(e.investors) == 1 else None
                found.append((ds.companies[inv.company], lab, e, amount, basis, committed))
    if not found:
        return None
    alt = _alt()  # from here on the chart exists (a probe stops here)
    every = (len(found), len({t[1].id for t in found}), len({t[0].id for t in found}))
    for pos, limit in ((1, MAX_FUNDING_LABS), (0, MAX_FUNDERS)):  # the labs, then the investors
        count: dict[str, int] = {}
        for t in found:
            count[t[pos].id] = count.get(t[pos].id, 0) + 1
        if len(count) > limit:
            names = {t[pos].id: t[pos].name.casefold() for t in found}
            kept = set(sorted(count, key=lambda k: (-count[k], names[k]))[:limit])
            found = [t for t in found if t[pos].id in kept]
    found.sort(key=lambda t: (t[0].name.casefold(), t[2].date))
    per_investor: dict[str, int] = {}
    for t in found:
        per_investor[t[0].id] = per_investor.get(t[0].id, 0) + 1
    inv_order = _dedup(t[0].id for t in sorted(found, key=lambda t: (-per_investor[t[0].id],
                                                                     t[0].name.casefold())))
    shape_of = {"paid in": "circle", "up to (committed)": "diamond", "share not disclosed": "cross"}
    top = max([_bn(t[3]) for t in found if t[3] is not None], default=1.0)
    max_area = 1100.0  # square pixels for the largest amount: area is proportional to the amount

    def area(v: float) -> float:
        return max_area * v / top

    rows = []
    for inv, lab, e, amount, basis, _ in found:
        rows.append({"investor": inv.name, "order": inv_order.index(inv.id), "date": _iso(e.date),
                     "size": area(_bn(amount)) if amount else 70.0, "color": colors[lab.id],
                     "fo": STATUS_FILL[e.status], "shape": shape_of[basis]})
    rows.sort(key=lambda r: -r["size"])  # small marks drawn last, on top of big ones
    plot_w = round(max(300.0, TOTAL + 40 - max(_text_width(t[0].name) * 1.08 for t in found) - 12))
    xaxis = TimeAxis([t[2].date for t in found], plot_w, pad_left=0.05, pad_right=0.05)
    X = xaxis.encoding()
    Y = alt.Y("investor:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=alt.Axis(ticks=False, domain=False, labelFontWeight="bold"),
              scale=alt.Scale(padding=0.5))
    layers = _status_points(X, Y, rows, color_field="color", size="size")
    plot = _layer(*layers, width=plot_w, height={"step": 60})
    labs_present = _dedup(t[1].id for t in sorted(found, key=lambda t: t[1].name.casefold()))
    leg_labs = _legend([{"label": ds.companies[lid].name, "color": colors[lid], "fo": 1,
                         "shape": "circle"} for lid in labs_present], "Invested in", plot_w)
    keys = [v for v in (1, 3, 10, 30, 100, 300) if v <= top][-3:]
    items = [{"label": f"US${v} billion", "color": MUTED, "fo": 0, "shape": "circle",
              "area": area(v)} for v in keys]
    bases = [b for b in shape_of if any(t[4] == b for t in found)]
    items += [{"label": b, "color": MUTED, "fo": 1, "shape": shape_of[b]} for b in bases
              if b != "paid in"]
    leg_basis = _legend(items, "Amount (circle area)", plot_w)
    leg_status = _legend(_status_legend_items([t[2].status for t in found]), "Status", plot_w)
    spec = _finish(plot, leg_labs, leg_basis, leg_status)

    known = [t for t in found if t[3] is not None]
    if known:
        inv, lab, e, amount, basis, committed = max(known, key=lambda t: t[3].amount)
        extra = (f", with up to {committed.display()} committed" if committed and committed != amount
                 else "")
        takeaway = (f"The largest single investment charted is {inv.name}'s {amount.display()} in "
                    f"{lab.name} ({_short_date(e.date)}{_status_phrase(e.status)}{extra}), among "
                    f"{len(found)} investments by {_list_words([ds.companies[i].name for i in inv_order])}.")
    else:
        takeaway = (f"{len(found)} investments by "
                    f"{_list_words([ds.companies[i].name for i in inv_order])}; no amounts disclosed.")
    first, last = min(t[2].date for t in found), max(t[2].date for t in found)
    extremes = ""
    if known:
        big = max(known, key=lambda t: t[3].amount)
        small = min(known, key=lambda t: t[3].amount)
        extremes = (f"Largest: {big[0].name} in {big[1].name}, {big[3].display()} "
                    f"({_short_date(big[2].date)}). Smallest disclosed: {small[0].name} in "
                    f"{small[1].name}, {small[3].display()} ({_short_date(small[2].date)}).")
    alt_text = (f"Timeline of {len(found)} investments in AI labs by "
                f"{_list_words([ds.companies[i].name for i in inv_order])}, "
                f"{_short_date(first)} to {_short_date(last)}; one row per investor, circle area "
                f"shows the amount, colour the lab. " + extremes).strip()
    notes = ["Investments by cloud providers, chipmakers and technology companies profiled here, "
             "taken from the investors named on each lab's events. The area shows what this "
             "investor paid in, or its 'up to' commitment where nothing was paid in yet; a cross "
             "marks a round it joined without its share being disclosed."]
    if every[0] > len(found):
        notes.append(f"Shown: the investments in the {len({t[1].id for t in found})} labs that "
                     f"received the most of them, by the {len(inv_order)} investors with the most, "
                     f"of {every[0]} investments in {every[1]} labs by {every[2]} companies; each "
                     "lab's profile lists its investors.")
    table = [{"investor": inv.name, "lab": lab.name, "date": e.date, "event": _event_name(e),
              "amount": amount, "basis": basis, "committed": committed, "status": e.status,
              "sources": list(e.sources)} for inv, lab, e, amount, basis, committed in found]
    cols = [Col("investor", "Investor"), Col("lab", "Invested in"), Col("date", "Date", "date"),
            Col("event", "Event"), Col("amount", "Amount", "money"), Col("basis", "Amount is"),
            Col("committed", "Event's commitment, up to", "money"), Col("status", "Status", "status")]
    return Chart("who-funds-whom", "Who funds whom: big technology companies' investments in AI labs",
                 takeaway, alt_text, notes, cols, table, _sources_of(t[2] for t in found),
                 "data/companies", spec)


def chart_largest_ipos(ds: Dataset, colors: dict[str, str]) -> Chart | None:
    t = ds.tables.get(IPO_TABLE)
    if t is None:
        return None
    cols = {c.id: c for c in t.columns}
    if "proceeds" not in cols:
        return None
    label_col = next((c.id for c in t.columns if c.type == "text"), None)
    rows_in = [r for r in t.rows if isinstance(r.values.get("proceeds"), Money)
               and r.values["proceeds"].currency == "USD"]
    if len(rows_in) < 2:
        return None
    alt = _alt()  # from here on the chart exists (a probe stops here)
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
        rows.append({"label": label, "order": i, "base": _bn(base),
                     "total": _bn(total) if total else _bn(base), "text": base.display(),
                     "color": color, "gs_fill": 0.3 if total else 0, "gs_line": 1 if total else 0})
        table.append({"company": name, "year": year, "base": base, "total": total,
                      "profiled": profiled, "status": r.status, "sources": list(r.sources)})
    plot_w, top = _bars_fit([], [(r["total"], r["text"]) for r in rows])
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
    plot = _layer(greenshoe, base_bars, text, _bar_labels(Y), data=_data(rows), width=plot_w,
                  height={"step": 40})
    items = [{"label": "Base deal", "color": MUTED, "fo": 1, "kind": "bar"}]
    if any(r["total"] > r["base"] for r in rows):
        items.append({"label": "With over-allotment", "color": MUTED, "fo": 0.3, "kind": "bar"})
    if any(x["profiled"] for x in table):
        items.append({"label": "Profiled on this site", "color": ACCENT, "fo": 1, "kind": "bar"})
    spec = _finish(plot, _legend(items, "Proceeds", plot_w))

    first, second = table[0], table[1]
    takeaway = (f"{first['company']} ({first['year']}) is the largest IPO here, "
                f"{first['base'].display()} in its base deal, "
                f"{_times(_bn(first['base']), _bn(second['base']))} the next, "
                f"{second['company']} ({second['year']}) at {second['base'].display()}.")
    last = table[-1]
    alt_text = (f"Bar chart of the proceeds of the {len(table)} largest IPOs in US$ billion, base deal "
                f"with the over-allotment as a lighter extension where known, largest first. "
                f"Largest: {first['company']} ({first['year']}), {first['base'].display()}"
                + (f" ({first['total'].display()} with over-allotment)" if first["total"] else "")
                + f". Smallest shown: {last['company']} ({last['year']}), {last['base'].display()}.")
    notes = ["The base deal is the offering before the over-allotment option (greenshoe); the "
             "lighter, dashed extension shows the total with it where that is known."]
    cols_out = [Col("company", "Company"), Col("year", "Year"), Col("base", "Base deal", "money"),
                Col("total", "With over-allotment", "money"), Col("status", "Status", "status")]
    return Chart("largest-ipos", t.title, takeaway, alt_text, notes, cols_out, table,
                 _dedup(s for r in rows_in for s in r.sources), ds.origin("tables", t.id), spec)


def chart_gpus(ds: Dataset, colors: dict[str, str]) -> Chart | None:
    t = ds.tables.get(GPU_TABLE)
    if t is None:
        return None
    cols = {c.id: c for c in t.columns}
    power = cols.get("max_tdp_w")
    metrics: list[tuple[str, str, Any]] = []  # (key, label, row -> value or None)

    def val(r: m.Row, cid: str) -> float | None:
        # table numbers are 0 to 10^15 with at most six decimals (values.NUMBER_MAX), so the
        # float is finite, and so is a ratio of two of them
        v = r.values.get(cid)
        return float(v) if isinstance(v, (int, Decimal)) and not isinstance(v, bool) and v > 0 else None

    def unit(c: m.Column) -> str:
        return f" ({c.unit})" if c.unit else ""

    if power:
        metrics.append(("max_tdp_w", f"Power per GPU{unit(power)}", lambda r: val(r, "max_tdp_w")))
    if "memory_gb" in cols:
        metrics.append(("memory_gb", f"{cols['memory_gb'].label}{unit(cols['memory_gb'])}",
                        lambda r: val(r, "memory_gb")))
    if power:
        for cid in ("fp8_dense_tflops", "fp4_dense_tflops"):
            if cid in cols:
                c = cols[cid]
                per = f" ({c.unit} per W)" if c.unit else " per W"

                def per_watt(r: m.Row, cid: str = cid) -> float | None:
                    a, w = val(r, cid), val(r, "max_tdp_w")
                    return a / w if a is not None and w else None

                metrics.append((f"{cid}_per_w", f"{c.label} per watt{per}", per_watt))
    dropped = [mt for mt in metrics if sum(1 for r in t.rows if mt[2](r) is not None) < 2]
    metrics = [mt for mt in metrics if mt not in dropped]
    if len(metrics) < 2 or len(t.rows) < 2:
        return None
    alt = _alt()  # from here on the chart exists (a probe stops here)
    name = lambda r: str(r.values.get("gpu") or r.label)  # noqa: E731
    rows, table = [], []
    for j, (key, label, f) in enumerate(metrics):
        for i, r in enumerate(t.rows):
            v = f(r)
            if v is None:
                continue
            rows.append({"metric": label, "metric_order": j, "gpu": name(r), "order": i, "value": v,
                         "text": _num(v, 2 if v < 100 else 0), "fo": STATUS_FILL[r.status]})
    for r in t.rows:
        row = {"gpu": name(r), "status": r.status, "sources": list(r.sources)}
        for key, _, f in metrics:
            v = f(r)
            row[key] = round(v, 2) if v is not None else None
        table.append(row)
    plot_w, _ = _bars_fit((r["gpu"] for r in rows), [(r["value"], r["text"]) for r in rows])
    for r in rows:  # each panel has its own scale; an invisible mark makes room for the figures
        room = max(plot_w - _text_width(r["text"]) - 10, plot_w * 0.25)
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
    plot = alt.layer(bars, text, room, data=_data(rows)).properties(
        width=plot_w, height=alt.Step(22)).facet(
        row=alt.Row("metric:N", title=None, sort=alt.EncodingSortField("metric_order", order="ascending"),
                    header=alt.Header(labelPadding=4)),
        spacing=10).resolve_scale(x="independent")
    spec = _finish(plot, _legend(_status_legend_items([r.status for r in t.rows], ACCENT, "bar"),
                                 "Status", plot_w))

    # words: the best per-watt figure against the others
    pw = [mt for mt in metrics if mt[0].endswith("_per_w")]
    if pw:
        key, label, f = pw[0]
        have = [(f(r), r) for r in t.rows if f(r) is not None]
        (bv, br), (wv, wr) = max(have, key=lambda x: x[0]), min(have, key=lambda x: x[0])
        pwr = lambda r: val(r, "max_tdp_w")  # noqa: E731
        takeaway = (f"{name(br)} does {_num(bv, 2)} {label.split(' per watt')[0]} TFLOPS per watt, "
                    f"{_times(bv, wv)} the {name(wr)}'s {_num(wv, 2)}, at "
                    f"{_times(pwr(br), pwr(wr))} the power ({_num(pwr(br), 0)} W against "
                    f"{_num(pwr(wr), 0)} W).")
    else:
        key, label, f = metrics[0]
        have = sorted(((f(r), r) for r in t.rows if f(r) is not None), key=lambda x: x[0])
        takeaway = (f"{name(have[-1][1])} has the highest {label.lower()}: {_num(have[-1][0])}, "
                    f"{_times(have[-1][0], have[0][0])} the {name(have[0][1])}.")
    parts = []
    for key, label, f in metrics:
        have = sorted(((f(r), r) for r in t.rows if f(r) is not None), key=lambda x: x[0])
        parts.append(f"{label}: from {_num(have[0][0])} ({name(have[0][1])}) to "
                     f"{_num(have[-1][0])} ({name(have[-1][1])})")
    alt_text = (f"Bar charts comparing {len(t.rows)} GPUs ({_list_words([name(r) for r in t.rows])}) "
                f"on {len(metrics)} measures, one panel each. " + "; ".join(parts) + ".")
    missing = []
    for key, label, f in metrics:
        lacking = [name(r) for r in t.rows if f(r) is None]
        if lacking:
            missing.append(f"no {label.split(' (')[0]} figure for {_list_words(lacking)}")
    notes = ["Throughput per watt is computed here: the table's dense tensor throughput divided by "
             "the GPU's maximum power (TDP). Each panel has its own scale."]
    if missing:
        notes.append("Missing bars: " + "; ".join(missing) + " (see the table's notes).")
    for key, label, f in dropped:
        having = [name(r) for r in t.rows if f(r) is not None]
        notes.append(f"{label.split(' (')[0]} is not compared: "
                     + (f"only {_list_words(having)} has a figure." if having else "no GPU has a figure."))
    cols_out = [Col("gpu", "GPU")] + [Col(k, lbl, "number") for k, lbl, _ in metrics] + \
               [Col("status", "Status", "status")]
    return Chart("gpu-generations", "GPU generations compared", takeaway, alt_text, notes, cols_out,
                 table, _dedup(s for r in t.rows for s in r.sources), ds.origin("tables", t.id), spec)


CHART_IDS = {"chart_valuations_over_time": "valuations-over-time",
             "chart_latest_valuations": "latest-valuations", "chart_capital": "capital-raised",
             "chart_who_funds_whom": "who-funds-whom", "chart_largest_ipos": "largest-ipos",
             "chart_gpus": "gpu-generations"}


def available_ids(ds: Dataset) -> list[str]:
    """The ids of the charts the data supports, found by running each maker only up to the point
    where it would import Altair (see ChartExists). Kept equal to build_charts by a test."""
    global _PROBING
    colors = _company_colors(ds)
    out = []
    _PROBING = True
    try:
        for make in (chart_valuations_over_time, chart_latest_valuations, chart_capital,
                     chart_who_funds_whom, chart_largest_ipos, chart_gpus):
            try:
                make(ds, colors)
            except ChartExists:
                out.append(CHART_IDS[make.__name__])
        for c in sorted(ds.companies.values(), key=lambda c: c.id):
            try:
                chart_company_valuation(ds, c, colors)
            except ChartExists:
                out.append(f"valuation-{c.id}")
    finally:
        _PROBING = False
    return out


# ---------------------------------------------------------------------------------------------
# Built charts by their inputs: a company's chart is a function of that company's record alone,
# so an unchanged company's chart is not built again (building a spec with Altair costs about as
# much as rendering it). Kept in memory (for serve) and as JSON next to the rendered SVGs.

_CODE: str | None = None


def _code_version() -> str:
    """What a built chart depends on besides its inputs: the code that builds it, Altair's version."""
    global _CODE
    if _CODE is None:
        from importlib.metadata import version

        h = hashlib.sha256(OUTPUT_VERSION.encode())
        here = Path(__file__).resolve().parent
        for name in ("charts.py", "render.py", "values.py", "model.py"):
            h.update((here / name).read_bytes())
        for dist in ("altair", "vl-convert-python"):
            try:
                h.update(version(dist).encode())
            except Exception:  # noqa: BLE001 - not installed the usual way: no caching across runs
                h.update(str(time.time()).encode())
        _CODE = h.hexdigest()
    return _CODE


def _enc(v: Any) -> Any:
    if isinstance(v, Money):
        return {"$money": [str(v.amount), v.currency, v.qualifier]}
    if isinstance(v, PartialDate):
        return {"$date": [v.year, v.month, v.day]}
    if isinstance(v, Decimal):
        return {"$dec": str(v)}
    if isinstance(v, dict):
        return {str(k): _enc(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_enc(x) for x in v]
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    raise TypeError(f"cannot keep {type(v).__name__} in the chart cache")


def _dec(v: Any) -> Any:
    if isinstance(v, dict):
        if len(v) == 1:
            (k, x), = v.items()
            if k == "$money":
                return Money(Decimal(x[0]), x[1], x[2])
            if k == "$date":
                return PartialDate(*x)
            if k == "$dec":
                return Decimal(x)
        return {k: _dec(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_dec(x) for x in v]
    return v


_BUILT_FIELDS = ("id", "title", "takeaway", "alt", "notes", "rows", "sources", "origin",
                 "png_download")


class BuiltCharts:
    """Charts as their makers returned them, by a hash of the maker's inputs. The spec stays JSON
    text (Chart.base_json) unless something needs it as a dict."""

    # serve keeps them in memory too, for the life of the process (it rebuilds on every change);
    # a build does not, so that it does not hold every chart of thousands until it ends
    keep_in_memory = False
    _memory: dict[str, Chart] = {}

    def __init__(self, directory: Path | None):
        self.dir = directory / "built" if directory is not None else None

    def key(self, kind: str, *inputs: str) -> str:
        h = hashlib.sha256(_code_version().encode())
        for part in (kind, *inputs):
            h.update(b"\0" + part.encode("utf-8"))
        return h.hexdigest()

    @staticmethod
    def _light(ch: Chart) -> Chart:
        """A copy with fresh render state and the spec as JSON text only."""
        out = dataclasses.replace(ch, notes=list(ch.notes), base={})
        out.__dict__["_base_json"] = ch.base_json()
        return out

    def get(self, key: str) -> Chart | None:
        ch = self._memory.get(key)
        if ch is None and self.dir is not None:
            try:
                d = json.loads((self.dir / f"{key}.json").read_text(encoding="utf-8"))
                ch = Chart(**{k: _dec(d[k]) for k in _BUILT_FIELDS}, base={},
                           columns=[Col(*c) for c in d["columns"]])
                ch.__dict__["_base_json"] = d["base_json"]
            except (OSError, ValueError, KeyError, TypeError):
                return None
            if self.keep_in_memory:
                self._memory[key] = ch
        if ch is None:
            return None
        return self._light(ch)

    def put(self, key: str, ch: Chart) -> None:
        if self.keep_in_memory:
            self._memory[key] = self._light(ch)
        if self.dir is None:
            return
        try:
            d = {k: _enc(getattr(ch, k)) for k in _BUILT_FIELDS}
            d["columns"] = [[c.key, c.label, c.kind] for c in ch.columns]
            d["base_json"] = ch.base_json()
            text = json.dumps(d, ensure_ascii=False, separators=(",", ":"))  # (json.dump is slow)
        except TypeError:
            return  # not kept: the chart is built again next time
        # best effort, like the render cache
        _write_atomic(self.dir / f"{key}.json", text.encode("utf-8"))


def _cached(built: BuiltCharts | None, key: Any, make: Any) -> Chart | None:
    """make(), or what it returned when the inputs hashed into key() were last the same."""
    if built is None:
        return make()
    k = built.key(*key())
    ch = built.get(k)
    if ch is None:
        ch = make()
        if ch is not None:
            built.put(k, ch)
            # the spec as JSON text only, as a chart from the cache has it: its dicts and lists
            # took about 60 KB a chart, 300 MB at 5,000 companies when nothing was cached
            ch = built._light(ch)
    return ch


def build_charts(ds: Dataset, built: BuiltCharts | None = None) -> list[Chart]:
    """Every chart the data supports, in a stable order (comparisons first, then profiles).
    With ``built``, a chart whose inputs have not changed is taken from there: a company's chart
    depends on its own record only, a comparison on every company and table."""
    colors = _company_colors(ds)
    records: dict[str, str] = {}

    def record(c: m.Company) -> str:
        if c.id not in records:
            records[c.id] = c.model_dump_json()
        return records[c.id]

    everything: list[str] = []

    def all_inputs() -> list[str]:
        if not everything:
            h = hashlib.sha256()
            for c in sorted(ds.companies.values(), key=lambda c: c.id):
                h.update(f"{c.id}\0{record(c)}\0".encode("utf-8"))
            for tb in sorted(ds.tables.values(), key=lambda tb: tb.id):
                h.update(f"{ds.origin('tables', tb.id)}\0{tb.model_dump_json()}\0".encode("utf-8"))
            everything.append(h.hexdigest())
        return everything

    def comparison(make: Any) -> Any:
        return lambda ds, colors: _cached(built, lambda: [make.__name__, *all_inputs()],
                                          lambda: make(ds, colors))

    def company(c: m.Company) -> Any:
        if len(_valuation_marks(c)) < 2:
            return lambda ds, colors: None
        return lambda ds, colors: _cached(
            built, lambda: ["company", record(c), ds.origin("companies", c.id)],
            lambda: chart_company_valuation(ds, c, colors))

    makers: list[Any] = [comparison(mk) for mk in (
        chart_valuations_over_time, chart_latest_valuations, chart_capital, chart_who_funds_whom,
        chart_largest_ipos, chart_gpus)]
    makers += [company(c) for c in sorted(ds.companies.values(), key=lambda c: c.id)]
    charts = []
    for make in makers:
        t = time.perf_counter()
        ch = make(ds, colors)
        if ch is None:
            continue
        ch.build_seconds = time.perf_counter() - t
        dates = [ds.sources[s].as_of for s in ch.sources if s in ds.sources]
        ch.data_as_of = max(dates) if dates else None
        charts.append(ch)
    return charts


# ---------------------------------------------------------------------------------------------
# Rendering: vl-convert, cached by content hash, in worker processes when that pays


def _vl_version() -> str | None:
    import altair as alt
    import vl_convert as vlc

    want = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return want if want in vlc.get_vegalite_versions() else None


_VERSIONS: tuple[str, str | None] | None = None


def _render_versions(cache_dir: Path | None = None) -> tuple[str, str | None]:
    """(vl-convert's version, the Vega-Lite version specs are rendered with). Finding them imports
    Altair and vl-convert (a second, and 25 MB), so they are remembered in the cache folder for the
    installed versions of both, and a build whose charts are all cached imports neither."""
    global _VERSIONS
    if _VERSIONS is None:
        memo = None
        try:
            from importlib.metadata import version

            stamp = re.sub(r"[^A-Za-z0-9.+-]", "_",
                           f"{version('altair')}-{version('vl-convert-python')}")
            memo = cache_dir / f"versions-{stamp}.json" if cache_dir is not None else None
        except Exception:  # noqa: BLE001 - not installed the usual way: ask the modules
            pass
        got = None
        if memo is not None:
            try:
                got = tuple(json.loads(memo.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                got = None
        if got is None or len(got) != 2:
            import vl_convert as vlc

            got = (str(getattr(vlc, "__version__", "?")), _vl_version())
            if memo is not None:
                _write_atomic(memo, json.dumps(got).encode("utf-8"))
        _VERSIONS = (got[0], got[1])
    return _VERSIONS


def _write_atomic(path: Path, data: bytes) -> bool:
    """Write a file so that a reader never sees half of it; best effort (False on failure)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        return True
    except OSError:
        return False


def _render_job(spec_json: str, wrap: dict[str, Any]) -> tuple[str, bytes | None]:
    """Spec → (SVG as vl-convert returns it, PNG of the downloadable SVG or None when the chart
    has no PNG download). Runs in workers too."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(json.loads(spec_json), vl_version=wrap["vl_version"],
                              allowed_base_urls=[])
    png = vlc.svg_to_png(download_svg(svg, wrap), scale=PNG_SCALE) if wrap.get("png", True) \
        else None
    return svg, png


_NUM = re.compile(r"(-?\d+\.\d\d)\d+")
_TAG = re.compile(r"<[^>]+>")


def _round_numbers(svg: str) -> str:
    """Two decimals are plenty for coordinates; only attribute text inside tags is touched."""
    return _TAG.sub(lambda t: _NUM.sub(r"\1", t.group(0)), svg)


def _size(svg: str) -> tuple[float, float]:
    m_ = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return (float(m_.group(1)), float(m_.group(2))) if m_ else (WIDTH, 300.0)


def _wrap_words(text: str, size: float, width: float) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        if cur and _text_width(cur + " " + word, size) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    return lines + ([cur] if cur else [])


def download_svg(svg: str, wrap: dict[str, Any]) -> str:
    """The standalone SVG: title, takeaway, the chart on white, and a source line under it."""
    w, h = _size(svg)
    width = max(w, 480.0)
    pad = 16
    out: list[str] = []
    y = pad
    for size, weight, color, text in ((17, "bold", "#111111", wrap["title"]),
                                      (13, "normal", "#444444", wrap["takeaway"])):
        for line in _wrap_words(text, size, width - 2 * pad):
            y += size * 1.3
            out.append(f'<text x="{pad}" y="{y:.0f}" font-family="{FONT}" font-size="{size}" '
                       f'font-weight="{weight}" fill="{color}">{xml_text(line)}</text>')
    y += 12
    inner = re.sub(r"^<svg\b", f'<svg x="0" y="{y:.0f}"', svg, count=1)
    y += h + 8
    foot = []
    for line in _wrap_words(wrap["footer"], 11, width - 2 * pad):
        y += 14
        foot.append(f'<text x="{pad}" y="{y:.0f}" font-family="{FONT}" font-size="11" '
                    f'fill="#555555">{xml_text(line)}</text>')
    total = y + pad
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'version="1.1" width="{width:.0f}" height="{total:.0f}" '
            f'viewBox="0 0 {width:.0f} {total:.0f}"><title>{xml_text(wrap["title"])}</title>'
            f'<desc>{xml_text(wrap["alt"])}</desc>'
            f'<rect width="100%" height="100%" fill="white"/>{"".join(out)}{inner}{"".join(foot)}'
            f"</svg>\n")


def inline_svg(svg: str, chart_id: str) -> str:
    """The SVG as placed in a page: ids made unique per chart, numbers shortened, hidden from AT
    (the container carries role="img" and the alt text)."""
    prefix = f"fl-{chart_id}-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m_: f'id="{prefix}{m_.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m_: f"url(#{prefix}{m_.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m_: f'href="#{prefix}{m_.group(1)}"', svg)
    svg = re.sub(r"^<svg\b", '<svg aria-hidden="true" focusable="false"', svg, count=1)
    return _round_numbers(svg).replace("\n", " ")


class Cache:
    """Rendered output by content hash (best effort: never fails a build), in ``charts/`` of the
    project's cache folder, outside the project: its inline SVGs are placed into pages as the
    generator's own, so they are never read from a folder a pull request can write (a project's
    own ``.cache/`` is not read at all)."""

    def __init__(self, root: Path):
        from .cachedir import project_cache

        # FL_CHART_CACHE moves the cache, e.g. to share one between the scratch projects of a test run
        override = os.environ.get("FL_CHART_CACHE")
        self.dir = Path(override) if override else project_cache(root) / "charts"

    @classmethod
    def at(cls, directory: Path) -> "Cache":
        cache = cls.__new__(cls)
        cache.dir = directory
        return cache

    def key(self, *parts: str) -> str:
        h = hashlib.sha256()
        for p in (_render_versions(self.dir)[0], OUTPUT_VERSION, *parts):
            h.update(p.encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()

    def path(self, key: str, kind: str, made_by: str | None = None) -> Path:
        """A file of one rendering: "svg" and "png" as rendered, and the files made from them
        ("inline.svg", "dl.svg", "vl.json"), which also depend on this module's code (made_by:
        its version, as the main process sees it)."""
        if kind in ("svg", "png"):
            return self.dir / f"{key}.{kind}"
        return self.dir / f"{key}.{made_by or _code_version()[:12]}.{kind}"

    def get(self, key: str, png: bool = True) -> tuple[str, bytes | None] | None:
        try:
            svg = (self.dir / f"{key}.svg").read_text(encoding="utf-8")
            png_bytes = (self.dir / f"{key}.png").read_bytes() if png else None
        except OSError:
            return None
        return svg, png_bytes

    def put(self, key: str, svg: str, png: bytes | None) -> None:
        if png is not None:  # the PNG first: the SVG is what says "rendered"
            _write_atomic(self.path(key, "png"), png)
        _write_atomic(self.path(key, "svg"), svg.encode("utf-8"))


def _render_key(ch: Chart, cache: Cache) -> tuple[str, dict[str, Any]]:
    wrap = {"title": ch.title, "takeaway": ch.takeaway, "alt": ch.alt,
            "footer": _footer(ch), "vl_version": _render_versions(cache.dir)[1]}
    if not ch.png_download:
        wrap["png"] = False
    return cache.key(ch.base_json(), json.dumps(wrap, sort_keys=True)), wrap


def _derive_files(cache_dir: str, key: str, svg: str, wrap: dict[str, Any], chart_id: str,
                  made_by: str) -> None:
    """The files made from a rendered SVG: as placed in pages, and the download with its words."""
    cache = Cache.at(Path(cache_dir))
    for kind, make in (("inline.svg", lambda: inline_svg(svg, chart_id)),
                       ("dl.svg", lambda: download_svg(svg, wrap))):
        path = cache.path(key, kind, made_by)
        if not path.is_file():
            _write_atomic(path, make().encode("utf-8"))


def _render_to_files(cache_dir: str, key: str, spec: str | Path, wrap: dict[str, Any],
                     chart_id: str, made_by: str) -> float:
    """Render one chart into the cache folder (SVG, PNG if it has one, and the files made from
    them). Runs in worker processes while the main process goes on building the pages. ``spec``:
    the spec as JSON text, or a file holding it (removed once the chart is rendered)."""
    t = time.perf_counter()
    spec_json = spec.read_text(encoding="utf-8") if isinstance(spec, Path) else spec
    svg, png = _render_job(spec_json, wrap)
    Cache.at(Path(cache_dir)).put(key, svg, png)
    _derive_files(cache_dir, key, svg, wrap, chart_id, made_by)
    if isinstance(spec, Path):
        spec.unlink(missing_ok=True)
    return time.perf_counter() - t


@dataclass
class RenderStats:
    """What the last render did, for the benchmark: per chart seconds, and cache hits."""

    seconds: dict[str, float] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    workers: int = 1
    wall: float = 0.0


def render_charts(charts: list[Chart], cache: Cache, *, workers: int | None = None,
                  problems: Problems | None = None) -> RenderStats:
    """Fill in svg_raw and png of each chart, from the cache or by rendering the missing ones."""
    t0 = time.perf_counter()
    stats = RenderStats()
    jobs: list[tuple[Chart, str, str, dict]] = []
    for ch in charts:
        key, wrap = _render_key(ch, cache)
        spec_json = ch.base_json()
        got = cache.get(key, png=ch.png_download)
        if got is not None:
            ch.svg_raw, ch.png = got
            stats.hits += 1
        else:
            jobs.append((ch, key, spec_json, wrap))
    stats.misses = len(jobs)
    if workers is None:
        env = os.environ.get("FL_CHART_WORKERS", "")
        workers = int(env) if env.isdigit() else (
            min(MAX_WORKERS, os.cpu_count() or 1) if len(jobs) >= PARALLEL_MIN_JOBS else 1)
    workers = max(1, min(workers, len(jobs) or 1))
    stats.workers = workers

    def done(ch: Chart, key: str, result: tuple[str, bytes] | BaseException, secs: float) -> None:
        stats.seconds[ch.id] = secs
        if isinstance(result, BaseException):
            ch.error = f"{type(result).__name__}: {str(result).splitlines()[0] if str(result) else ''}"
            if problems is not None:
                problems.error(ch.origin, f"chart '{ch.id}' could not be rendered: {ch.error}")
            return
        ch.svg_raw, ch.png = result
        cache.put(key, *result)

    if workers == 1:
        for ch, key, spec_json, wrap in jobs:
            t = time.perf_counter()
            try:
                res: Any = _render_job(spec_json, wrap)
            except Exception as exc:  # noqa: BLE001 - reported as a located problem
                res = exc
            done(ch, key, res, time.perf_counter() - t)
    elif jobs:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")  # never fork a process that runs a JS engine
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as ex:
            futures = [(ch, key, time.perf_counter(), ex.submit(_render_job, spec_json, wrap))
                       for ch, key, spec_json, wrap in jobs]
            for ch, key, t, fut in futures:
                try:
                    res = fut.result()
                except Exception as exc:  # noqa: BLE001
                    res = exc
                done(ch, key, res, time.perf_counter() - t)
    stats.wall = time.perf_counter() - t0
    return stats


def _footer(ch: Chart) -> str:
    when = f"; data as of {ch.data_as_of.display()}" if ch.data_as_of else ""
    n = len(ch.sources)
    return (f"Frontier Ledger, from {n} cited source{'s' if n != 1 else ''}{when}. "
            f"Chart id: {ch.id}.")


# ---------------------------------------------------------------------------------------------
# The registry that templates and articles talk to


class Registry:
    """Every chart the data supports, placed by id from templates and articles.

    ``deferred=True`` (the site build): rendering does not hold up the pages. Charts missing from
    the cache are rendered in worker processes, straight into the cache folder, while the pages are
    rendered and converted; a page holds a reference to its chart's SVG (``<span
    class="fl-svg-chart-ID">``), which mkdocs_glue replaces with the SVG in the finished page, and
    the downloads are files in the cache folder that MkDocs copies. :func:`finish_rendering` waits
    for the workers and reports charts that could not be rendered. Nothing rendered is held in
    memory."""

    def __init__(self, ds: Dataset, root: Path, problems: Problems, *, workers: int | None = None,
                 check_only: bool = False, deferred: bool = False):
        self.problems = problems
        self.workers = workers
        self.check_only = check_only  # ids and data are checked; nothing is rendered
        self.deferred = deferred and not check_only
        self.cache = Cache(root)
        self.stats: RenderStats | None = None
        self._keys: dict[str, str] = {}  # deferred: chart id → render key
        # (chart id, origin, key, future or job): not the chart itself, so that a build does not
        # hold every chart (and, through them, the data) while MkDocs converts the pages
        self._pending: list[tuple[str, str, str, Any]] = []
        self._pool: Any = None
        try:
            charts = [] if check_only else build_charts(ds, BuiltCharts(self.cache.dir))
            self.ids = set(available_ids(ds)) if check_only else {c.id for c in charts}
        except Exception as exc:  # noqa: BLE001 - a located problem, never a traceback
            problems.error("data", f"charts could not be built from the data: "
                           f"{type(exc).__name__}: {exc}")
            charts, self.ids = [], set()
        self.charts: dict[str, Chart] = {c.id: c for c in charts}
        if self.deferred and charts:
            self._start()

    def has(self, chart_id: str) -> bool:
        return chart_id in self.ids

    def ensure_rendered(self) -> RenderStats:
        if self.stats is None:
            self.stats = render_charts(list(self.charts.values()), self.cache,
                                       workers=self.workers, problems=self.problems)
        return self.stats

    # -- deferred rendering

    def _start(self) -> None:
        t0 = time.perf_counter()
        self.stats = stats = RenderStats()
        jobs = []
        for ch in self.charts.values():
            key, wrap = _render_key(ch, self.cache)
            self._keys[ch.id] = key
            vl = self.cache.path(key, "vl.json")
            if not vl.is_file():
                _write_atomic(vl, ch.spec_json(keep=False).encode("utf-8"))
            svg = self.cache.path(key, "svg")
            if svg.is_file() and (not ch.png_download or self.cache.path(key, "png").is_file()):
                stats.hits += 1
                if not (self.cache.path(key, "inline.svg").is_file() and
                        self.cache.path(key, "dl.svg").is_file()):
                    try:
                        _derive_files(str(self.cache.dir), key, svg.read_text(encoding="utf-8"),
                                      wrap, ch.id, _code_version()[:12])
                    except OSError:
                        jobs.append((ch, key, wrap))
                continue
            jobs.append((ch, key, wrap))
        stats.misses = len(jobs)
        workers = self.workers
        if workers is None:
            env = os.environ.get("FL_CHART_WORKERS", "")
            workers = int(env) if env.isdigit() else (
                min(MAX_WORKERS, os.cpu_count() or 1) if len(jobs) >= PARALLEL_MIN_JOBS else 1)
        stats.workers = workers = max(1, min(workers, len(jobs) or 1))
        # each job's spec waits in a file, not in this process: the executor holds the arguments
        # of every job until it is done, and at 5,000 charts their specs were 60 MB
        args = [(ch, key, (str(self.cache.dir), key, self._spec_file(key, ch), wrap, ch.id,
                           _code_version()[:12])) for ch, key, wrap in jobs]
        if workers > 1 and args:
            import multiprocessing

            ctx = multiprocessing.get_context("spawn")  # never fork a process that runs a JS engine
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
            self._pending = [(ch.id, ch.origin, key, self._pool.submit(_render_to_files, *a))
                             for ch, key, a in args]
        else:  # a few charts: rendered here, when they are needed (no worker to start)
            self._pending = [(ch.id, ch.origin, key, a) for ch, key, a in args]
        stats.wall = time.perf_counter() - t0
        if self._pending:
            _PENDING.append(self)

    def _spec_file(self, key: str, ch: Chart) -> str | Path:
        # A file of this build alone: the worker removes it once the chart is rendered, and a
        # name shared by simultaneous builds of one project (<key>.spec.json, as it was) let one
        # build's worker remove the spec another build's worker was about to read, which failed
        # that build with "chart … could not be rendered: FileNotFoundError", blaming the data.
        try:
            self.cache.dir.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.cache.dir, prefix=f"{key}.", suffix=".spec.json")
            with os.fdopen(fd, "wb") as f:
                f.write(ch.base_json().encode("utf-8"))
        except OSError:
            return ch.base_json()
        return Path(name)

    def finish(self) -> list:
        """Wait for the deferred rendering; the charts that could not be rendered, as problems
        (also added to the registry's Problems)."""
        failed = []
        for chart_id, origin, key, job in self._pending:
            t = time.perf_counter()
            try:
                secs = job.result() if hasattr(job, "result") else _render_to_files(*job)
            except Exception as exc:  # noqa: BLE001 - reported as a located problem
                text = str(exc)
                error = f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"
                self.problems.error(origin, f"chart '{chart_id}' could not be rendered: {error}")
                failed.append(self.problems.items[-1])
                secs = time.perf_counter() - t
            if self.stats is not None:
                self.stats.seconds[chart_id] = secs
        self._pending = []
        self.abandon()
        return failed

    def placed_all(self) -> None:
        """Every page is rendered: let go of the charts (what is still to be rendered was handed
        to the workers with everything it needs)."""
        self.charts = {}

    def abandon(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._pending = []
        if self in _PENDING:
            _PENDING.remove(self)

    # -- placing

    def place(self, chart_id: str, optional: bool = False) -> Markup:
        """The figure for one chart, for the page being rendered. ``optional=True`` places nothing
        when the data has no such chart (for templates; articles should name charts that exist)."""
        if str(chart_id) not in self.ids:
            if optional:
                return Markup("")
            raise RenderError(f"unknown chart '{chart_id}'{suggest(str(chart_id), self.ids)}")
        if self.check_only:
            return Markup("")
        ch = self.charts[str(chart_id)]
        if self.deferred:
            return figure_markup(ch, self._anchor(ch.id),
                                 svg=f'<span class="fl-svg-chart-{ch.id}"></span>')
        self.ensure_rendered()
        if ch.svg_raw is None:
            raise RenderError(f"chart '{chart_id}' could not be rendered: {ch.error}")
        return figure_markup(ch, self._anchor(ch.id))

    def _anchor(self, chart_id: str) -> str:
        placed = current_page().charts
        n = placed[chart_id] = placed.get(chart_id, 0) + 1
        return f"chart-{chart_id}" + (f"-{n}" if n > 1 else "")

    def assets(self) -> list:
        """The download files of every chart: charts/<id>.csv, .vl.json, .svg and .png."""
        if self.check_only:
            return []
        out = []
        if self.deferred:  # files in the cache folder, which MkDocs copies
            for ch in self.charts.values():
                key = self._keys[ch.id]
                out += [Page(f"charts/{ch.id}.csv", ch.csv_text().encode("utf-8"), ch.origin),
                        FilePage(f"charts/{ch.id}.vl.json", self.cache.path(key, "vl.json"),
                                 ch.origin, finish_rendering),
                        FilePage(f"charts/{ch.id}.svg", self.cache.path(key, "dl.svg"), ch.origin,
                                 finish_rendering)]
                if ch.png_download:
                    out.append(FilePage(f"charts/{ch.id}.png", self.cache.path(key, "png"),
                                        ch.origin, finish_rendering))
                out.append(FilePage(f"charts/{ch.id}.inline.svg", self.cache.path(key, "inline.svg"),
                                    ch.origin, finish_rendering))
            return out
        self.ensure_rendered()
        for ch in self.charts.values():
            if ch.svg_raw is None or (ch.png_download and ch.png is None):
                continue
            wrap = {"title": ch.title, "takeaway": ch.takeaway, "alt": ch.alt, "footer": _footer(ch)}
            out += [
                Page(f"charts/{ch.id}.csv", ch.csv_text().encode("utf-8"), ch.origin),
                Page(f"charts/{ch.id}.vl.json", ch.spec_json().encode("utf-8"), ch.origin),
                Page(f"charts/{ch.id}.svg", download_svg(ch.svg_raw, wrap).encode("utf-8"),
                     ch.origin),
                *([Page(f"charts/{ch.id}.png", ch.png, ch.origin)] if ch.png is not None else []),
                # the SVG exactly as placed in pages: the site's sanitiser (mkdocs_glue.sanitize)
                # keeps an inline SVG only when it is byte for byte one the generator published
                Page(f"charts/{ch.id}.inline.svg", ch.inline().encode("utf-8"),
                     ch.origin),
            ]
        return out


_PENDING: list[Registry] = []  # deferred registries whose rendering has not been waited for


def finish_rendering() -> list:
    """Wait for every deferred rendering; the located problems of charts that failed."""
    failed: list = []
    while _PENDING:
        failed += _PENDING[0].finish()
    return failed


def abandon_rendering() -> None:
    """A build that stopped: stop its workers (nothing is waited for)."""
    while _PENDING:
        _PENDING[0].abandon()


def figure_markup(ch: Chart, anchor: str, svg: str | None = None) -> Markup:
    """The figure as Markdown with HTML blocks. Raw HTML for the picture and the table (every piece
    of data text escaped by md_escape); Markdown for the download links, so that MkDocs rewrites
    and checks them; cite_marks for the sources, so they join the page's numbered list. ``svg``:
    what stands for the picture (the inline SVG by default)."""
    e = md
    notes = "".join(f'<p class="fl-chart__note">{e(n)}</p>' for n in ch.notes)
    links = " · ".join(f"[{label}]({rel(f'charts/{ch.id}{ext}')})" for label, ext in (
        ("CSV", ".csv"), ("Vega-Lite spec", ".vl.json"), ("SVG", ".svg"), ("PNG", ".png"))
        if ext != ".png" or ch.png_download)
    when = f" · data as of {e(ch.data_as_of.display())}" if ch.data_as_of else ""
    n = len(ch.rows)
    parts = [
        "",
        f'<figure class="fl-chart" id="{anchor}" markdown>',
        f'<figcaption class="fl-chart__caption"><span class="fl-chart__title">{e(ch.title)}</span> '
        f'<span class="fl-chart__takeaway">{e(ch.takeaway)}</span></figcaption>',
        f'<div class="fl-chart__svg" role="img" aria-label="{e(ch.alt)}">'
        f"{ch.inline() if svg is None else svg}</div>",
        notes,
        f'<details class="fl-chart__data"><summary>The data behind this chart ({n} '
        f'row{"s" if n != 1 else ""})</summary>',
        f'<div class="fl-chart__table">{ch.table_html()}</div>',
        "</details>",
        "",
        f"Download: {links}",
        "{: .fl-chart__downloads }",
        "",
        f"Sources: {cite_marks(ch.sources)}{when}",
        "{: .fl-chart__sources }",
        "",
        "</figure>",
        "",
    ]
    return Markup("\n".join(p for p in parts if p is not None))
