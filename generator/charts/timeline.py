"""The valuation timeline that two chart kinds draw (every company's marks, and one company's):
marks over time on a value axis, deal marks joined by a line, key rounds labelled, and the words
and table that go with it."""

from __future__ import annotations

from typing import Any

from .. import model as m
from ..facts import event_name, is_deal, sources_of, valuation_marks
from ..markup import short_date
from .base import Chart, Col, chart
from .layout import TimeAxis, ValueAxis, place_labels, segment_boxes, text_width
from .spec import SpecBuilder
from .style import ACCENT, STATUS_FILL, STATUS_SHAPE, WIDTH, status_legend_items
from .words import bn, cur_label, iso, list_words, num, status_phrase, times

HEIGHT = 300

VALUATION_COLS = [Col("company", "Company"), Col("date", "Date", "date"), Col("event", "Event"),
                  Col("kind", "Kind"), Col("value", "Post-money valuation", "money"),
                  Col("status", "Status", "status")]


def valuation_table_rows(pairs: list[tuple[m.Company, m.Event]]) -> list[dict]:
    return [{"company": c.name, "date": e.date, "event": event_name(e),
             "kind": m.EVENT_KIND_LABEL[e.kind], "value": e.post_money_valuation,
             "status": e.status, "sources": list(e.sources)} for c, e in pairs]


def marks_in(companies: list[m.Company], currency: str) -> list[tuple[m.Company, m.Event]]:
    """(company, event) of every valuation mark in ``currency``, unsorted."""
    return [(c, e) for c in companies for e in valuation_marks(c)
            if e.post_money_valuation.currency == currency]


class _Plot:
    """The axes and pixel positions of one timeline."""

    def __init__(self, pairs: list[tuple[m.Company, m.Event]], companies: list[m.Company],
                 single: bool):
        self.yaxis = ValueAxis([bn(e.post_money_valuation) for _, e in pairs], HEIGHT,
                               headroom=1.2)
        # the comparison names each line at its right end, in a margin kept free for the names
        margin = 0.0 if single else max(text_width(c.name) for c in companies) + 16
        self.xaxis = TimeAxis([e.date for _, e in pairs], WIDTH,
                              pad_right=0.04 + margin / (WIDTH - margin))

    def pos(self, e: m.Event) -> tuple[float, float]:
        return self.xaxis.px(e.date), self.yaxis.px(bn(e.post_money_valuation))


def valuation_timeline(b: SpecBuilder, chart_id: str, title: str, companies: list[m.Company],
                       currency: str, colors: dict[str, str], origin: str, single: bool) -> Chart:
    """The timeline of ``companies``' marks in ``currency`` (at least two of them)."""
    pairs = marks_in(companies, currency)
    pairs.sort(key=lambda ce: (ce[1].date, ce[0].name.casefold()))
    companies = [c for c in companies if any(cc.id == c.id for cc, _ in pairs)]
    plot = _Plot(pairs, companies, single)
    spec = _spec(b, plot, pairs, companies, colors, currency, single)
    takeaway, alt_text, notes = _words(plot, pairs, companies, currency, single)
    rows = valuation_table_rows(pairs)
    cols = VALUATION_COLS if not single else [c for c in VALUATION_COLS if c.key != "company"]
    return chart(chart_id, title, takeaway, alt_text, notes, cols, rows,
                 sources_of(e for _, e in pairs), origin, spec)


def _ends(plot: _Plot, pairs: list, companies: list[m.Company], colors: dict[str, str]
          ) -> list[dict]:
    """Names at the right edge, level with each company's last mark, pushed apart."""
    ends = []
    right = max(plot.xaxis.px(e.date) for _, e in pairs) + 12  # dx of the text mark
    for c in companies:
        last = [e for cc, e in pairs if cc.id == c.id][-1]
        ends.append({"text": c.name, "color": colors[c.id],
                     "py": plot.yaxis.px(bn(last.post_money_valuation))})
    ends.sort(key=lambda r: r["py"])
    for i in range(1, len(ends)):
        ends[i]["py"] = max(ends[i]["py"], ends[i - 1]["py"] + 15)
    overflow = ends[-1]["py"] - (HEIGHT - 6) if ends else 0
    if overflow > 0:
        for r in ends:
            r["py"] -= overflow
    last_date = iso(max(e.date for _, e in pairs))
    for r in ends:
        r["px"] = right
        r["date"], r["value"] = last_date, plot.yaxis.value_at(r["py"])
    return ends


def _labels(plot: _Plot, pairs: list, companies: list[m.Company], ends: list[dict], single: bool
            ) -> list[dict]:
    """Key rounds, most important first: each company's latest deal, then (one company) its first
    mark, its highest, and the other deals from the largest down; placed where they fit."""
    keys: list[tuple[m.Company, m.Event]] = []
    for c in companies:
        mine = [(cc, e) for cc, e in pairs if cc.id == c.id]
        deals = [ce for ce in mine if is_deal(ce[1])]
        keys.append(deals[-1] if deals else mine[-1])
    for c in companies:
        mine = [(cc, e) for cc, e in pairs if cc.id == c.id]
        extra = [mine[0], max(mine, key=lambda ce: ce[1].post_money_valuation.amount)]
        if single:
            extra += sorted((ce for ce in mine if is_deal(ce[1])),
                            key=lambda ce: -ce[1].post_money_valuation.amount)
        keys += [ce for ce in extra if ce not in keys]
    obstacles = [(x - 7, y - 7, x + 7, y + 7) for x, y in (plot.pos(e) for _, e in pairs)]
    for c in companies:
        obstacles += segment_boxes([plot.pos(e) for cc, e in pairs
                                    if cc.id == c.id and is_deal(e)])
    wanted = []
    for c, e in keys:
        v = e.post_money_valuation
        text = f"{event_name(e)}: {v.display()}" if single else f"{c.name}, {event_name(e)}"
        x, y = plot.pos(e)
        wanted.append({"px": x, "py": y, "text": text, "date": iso(e.date), "value": bn(v)})
    obstacles += [(r["px"], r["py"] - 8, r["px"] + text_width(r["text"]), r["py"] + 8)
                  for r in ends]
    return place_labels(wanted, obstacles, WIDTH, HEIGHT)


def _spec(b: SpecBuilder, plot: _Plot, pairs: list, companies: list[m.Company],
          colors: dict[str, str], currency: str, single: bool) -> dict[str, Any]:
    alt = b.alt
    X = plot.xaxis.encoding(alt)
    Y = plot.yaxis.encoding(alt, "value", f"Post-money valuation, {cur_label(currency)} billion")

    def color(c: m.Company) -> str:
        return ACCENT if single else colors[c.id]

    pts = [{"date": iso(e.date), "value": bn(e.post_money_valuation), "id": c.id,
            "color": color(c), "fo": STATUS_FILL[e.status], "shape": STATUS_SHAPE[e.status]}
           for c, e in pairs]
    line_rows = [p for p, (_, e) in zip(pts, pairs) if is_deal(e)]
    ends = [] if single else _ends(plot, pairs, companies, colors)
    labels = _labels(plot, pairs, companies, ends, single)
    layers = []
    if line_rows:
        layers.append(alt.Chart(b.data(line_rows)).mark_line(strokeWidth=2).encode(
            x=X, y=Y, detail="id:N", stroke=alt.Stroke("color:N", scale=None)))
    layers += b.status_points(X, Y, pts, color_field="color")
    layers += b.label_layers(labels, X, Y)
    if ends:
        ends = [{"date": r["date"], "value": r["value"], "text": r["text"], "color": r["color"]}
                for r in ends]
        layers.append(alt.Chart(b.data(ends)).mark_text(
            align="left", baseline="middle", fontWeight="bold", dx=12).encode(
            x=X, y=Y, text="text:N", fill=alt.Fill("color:N", scale=None)))
    drawn = b.layer(*layers, width=WIDTH, height=HEIGHT)
    legends = []
    if not single:
        legends.append(b.legend([{"label": c.name, "color": colors[c.id], "fo": 1,
                                  "shape": "circle"} for c in companies], "Company"))
    legends.append(b.legend(status_legend_items([e.status for _, e in pairs]), "Status"))
    return b.finish(drawn, *legends)


def _words(plot: _Plot, pairs: list, companies: list[m.Company], currency: str, single: bool
           ) -> tuple[str, str, list[str]]:
    """The takeaway, the alt text and the notes."""
    dates = [e.date for _, e in pairs]
    lo_c, lo_e = min(pairs, key=lambda ce: ce[1].post_money_valuation.amount)
    hi_c, hi_e = max(pairs, key=lambda ce: ce[1].post_money_valuation.amount)
    span = f"{short_date(dates[0])} to {short_date(dates[-1])}"

    def mark(c: m.Company, e: m.Event) -> str:
        who = "" if single else f"{c.name}, "
        return (f"{who}{event_name(e)}, {e.post_money_valuation.display()} "
                f"({short_date(e.date)}{status_phrase(e.status)})")

    growth = []
    for c in companies:
        deals = [e for cc, e in pairs if cc.id == c.id and is_deal(e)]
        if len(deals) >= 2:
            growth.append((bn(deals[-1].post_money_valuation) / bn(deals[0].post_money_valuation),
                           c, deals[0], deals[-1]))
    if growth:
        g, c, first, last = max(growth, key=lambda t: t[0])
        how = (f", {times(g, 1)} its first mark" if g >= 1.05 else
               ", about the same" if g > 0.95 else f", down to {num(g * 100, 0)}% of its first mark")
        verb = "rose" if g >= 1.05 else "moved" if g > 0.95 else "fell"
        takeaway = (f"{c.name}'s post-money valuation {verb} from "
                    f"{first.post_money_valuation.display()} ({short_date(first.date)}) to "
                    f"{last.post_money_valuation.display()} ({short_date(last.date)}){how}"
                    + (f", the steepest rise of the {len(growth)} companies charted."
                       if not single and len(growth) > 1 and g >= 1.05 else "."))
    else:
        takeaway = (f"Valuation marks range from {lo_e.post_money_valuation.display()} to "
                    f"{hi_e.post_money_valuation.display()} between {span}.")
    names = list_words([c.name for c in companies])
    alt_text = (f"Line chart of post-money valuation marks of {names}, {span}, on a "
                f"{'logarithmic' if plot.yaxis.log else 'linear'} scale in {cur_label(currency)} "
                f"billion; filled points are confirmed, tinted reported, hollow rumored or "
                f"unverified. Lowest: {mark(lo_c, lo_e)}. Highest: {mark(hi_c, hi_e)}.")
    notes = [plot.yaxis.note]
    if any(not is_deal(e) for _, e in pairs):
        notes.append("The line joins marks set by a deal; talks, declined offers and targets are "
                     "points only.")
    if any(e.post_money_valuation.qualifier for _, e in pairs):
        notes.append("Marks given as 'about' or 'more than' an amount are plotted at that amount.")
    others = sorted({c.name for c in companies for e in valuation_marks(c)
                     if e.post_money_valuation.currency != currency})
    if others:
        notes.append(f"Marks in other currencies are left out, not converted ({list_words(others)}).")
    return takeaway, alt_text, notes
