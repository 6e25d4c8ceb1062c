"""A chart as it stands on a page: the figure with its caption, picture, notes, data table,
download links and citations, and its data as CSV.

Raw HTML for the picture and the table (every piece of data text escaped), Markdown for the
download links, so that MkDocs rewrites and checks them, and citation marks that join the page's
numbered list of sources.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from markupsafe import Markup

from .. import engine
from ..escape import csv_cell, md
from ..markup import cite_marks, rel, secondary_mark, status_badge
from ..model import STATUS_MEANING
from ..downloads import MONEY_SUFFIXES, money_cells
from ..values import Money
from .base import Chart, Col
from .words import csv_value, display


def _align(c: Col) -> str:
    return ' style="text-align:right"' if c.kind in ("money", "number") else ""


def table_html(ch: Chart) -> str:
    """The chart's data as an HTML table; a row resting on secondary sources only has the mark
    after its status (or, without a status column, its first cell)."""
    def cell(v: Any, kind: str) -> str:
        if kind == "status" and v in STATUS_MEANING:
            return str(status_badge(v))
        return str(md(display(v, kind)))

    head = "".join(f'<th{_align(c)}>{md(c.label)}</th>' for c in ch.columns)
    marked = next((j for j, c in enumerate(ch.columns) if c.kind == "status"), 0)
    body = []
    for i, r in enumerate(ch.rows):
        mark = f" {secondary_mark()}" if i in ch.secondary_rows else ""
        cells = "".join(f"<td{_align(c)}>{cell(r.get(c.key), c.kind)}"
                        f"{mark if j == marked else ''}</td>" for j, c in enumerate(ch.columns))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def csv_text(ch: Chart) -> str:
    """The chart's data as CSV: amounts as exact numbers with their low and high ends, currency
    and qualifier in columns of their own (as in downloads/events.csv), and the sources of each
    row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    header: list[str] = []
    for c in ch.columns:
        if c.kind == "money":
            header += [f"{c.key}{suffix}" for suffix in MONEY_SUFFIXES]
        else:
            header.append(c.key)
    header.append("sources")
    w.writerow(header)
    for r in ch.rows:
        out: list[str] = []
        for c in ch.columns:
            v = r.get(c.key)
            if c.kind == "money":
                out += [csv_value(x) for x in money_cells(v if isinstance(v, Money) else None)]
            else:
                out.append(csv_cell(csv_value(v)))
        out.append(" ".join(r.get("sources", ())))
        w.writerow(out)
    return buf.getvalue()


def figure_markup(ch: Chart, anchor: str, picture: str) -> Markup:
    """The figure as Markdown with HTML blocks, for the page being rendered. ``picture``: what
    stands for the SVG (the engine's placeholder, replaced in the finished page)."""
    e = md
    notes = "".join(f'<p class="fl-chart__note">{e(n)}</p>' for n in ch.notes)
    links = " · ".join(f"[{label}]({rel(f'charts/{ch.id}{ext}')})" for label, ext in (
        ("CSV", ".csv"), ("Vega-Lite spec", ".vl.json"), ("SVG", ".svg"), ("PNG", ".png"))
        if ext != ".png" or ch.png_download)
    # the newest source, said as such: "data as of" is the page's, the latest event it states
    when = f" · newest source {e(ch.data_as_of.display())}" if ch.data_as_of else ""
    n = len(ch.rows)
    parts = [
        "",
        f'<figure class="fl-chart" id="{anchor}" markdown>',
        f'<figcaption class="fl-chart__caption"><span class="fl-chart__title">{e(ch.title)}</span> '
        f'<span class="fl-chart__takeaway">{e(ch.takeaway)}</span></figcaption>',
        f'<div class="fl-chart__svg" role="img" aria-label="{e(ch.alt)}">{picture}</div>',
        notes,
        f'<details class="fl-chart__data"><summary>The data behind this chart ({n} '
        f'row{"s" if n != 1 else ""})</summary>',
        f'<div class="fl-chart__table">{table_html(ch)}</div>',
        "</details>",
        "",
        f"Download: {links}",
        engine.attr_list(".fl-chart__downloads"),
        "",
        f"Sources: {cite_marks(ch.sources)}{when}",
        engine.attr_list(".fl-chart__sources"),
        "",
        "</figure>",
        "",
    ]
    return Markup("\n".join(parts))
