"""The valuation timeline that two chart kinds draw (the post-money valuations of several
companies, and every valuation of one company by its kind of price): marks over time on a value
axis, marks of one kind joined by a line, ranges and bounds drawn as such, key marks labelled, and
the words and table that go with it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .. import model as m
from ..facts import basis_label, event_name, event_title, is_deal, sources_of, valuation_marks
from ..markup import short_date
from ..values import LOWER_BOUNDS, UPPER_BOUNDS
from .base import Chart, Col, chart
from .layout import TimeAxis, ValueAxis, place_labels, segment_boxes, text_width
from .spec import SpecBuilder
from .style import BASIS_COLOR, STATUS_FILL, STATUS_SHAPE, WIDTH, status_legend_items
from .words import bn, cur_label, iso, list_words, num, status_phrase, times

HEIGHT = 300
BOUND_PX = 16  # how far the stroke of a bound reaches from its mark
# Marks whose centres would lie closer than this (a mark is about 9 px wide) are drawn apart,
# the later one moved right, by at most MAX_NUDGE px (its date is in its tip and the table)
GAP = 11.0
MAX_NUDGE = 12.0

VALUATION_COLS = [Col("company", "Company"), Col("date", "Date", "date"), Col("event", "Event"),
                  Col("value", "Valuation", "money"), Col("basis", "Kind of price"),
                  Col("status", "Status", "status")]


def valuation_table_rows(pairs: list[tuple[m.Company, m.Event]]) -> list[dict]:
    return [{"company": c.name, "date": e.date, "event": event_title(e), "value": e.valuation,
             "basis": basis_label(e), "status": e.status, "sources": list(e.sources)}
            for c, e in pairs]


def marks_in(companies: list[m.Company], currency: str, basis: str | None = None
             ) -> list[tuple[m.Company, m.Event]]:
    """(company, event) of every valuation in ``currency`` (of one basis, if given), unsorted."""
    return [(c, e) for c in companies for e in valuation_marks(c)
            if e.valuation.currency == currency and (basis is None or e.valuation_basis == basis)]


@dataclass
class Timeline:
    """What one timeline shows: whose marks, of which kind (``basis`` None: every kind, coloured
    by kind), in which currency."""

    chart_id: str
    title: str
    companies: list[m.Company]
    currency: str
    colors: dict[str, str]  # company id → colour (comparisons)
    origin: str
    basis: str | None = None
    publishers: dict[str, str] = field(default_factory=dict)  # source id → publisher, for tips

    @property
    def single(self) -> bool:
        return self.basis is None

    def color(self, c: m.Company, e: m.Event) -> str:
        return BASIS_COLOR[e.valuation_basis] if self.single else self.colors[c.id]


class _Plot:
    """The axes and pixel positions of one timeline."""

    def __init__(self, pairs: list[tuple[m.Company, m.Event]], companies: list[m.Company],
                 single: bool):
        values = [bn(e.valuation.point) for _, e in pairs]
        values += [bn(e.valuation.high) for _, e in pairs if e.valuation.high is not None]
        self.yaxis = ValueAxis(values, HEIGHT, headroom=1.2)
        # the comparison names each line at its right end, in a margin kept free for the names
        margin = 0.0 if single else max(text_width(c.name) for c in companies) + 16
        self.xaxis = TimeAxis([e.date for _, e in pairs], WIDTH,
                              pad_right=0.04 + margin / (WIDTH - margin))
        self.nudge = self._nudges(pairs)

    def _nudges(self, pairs: list[tuple[m.Company, m.Event]]) -> dict[int, float]:
        """How far right each mark is drawn from its date (by id() of its event), so that no two
        marks overlap: in order of date, each is moved until it is GAP px from those before."""
        placed: list[tuple[float, float]] = []
        out: dict[int, float] = {}
        for _, e in sorted(pairs, key=lambda ce: (ce[1].date.earliest, ce[1].valuation.point)):
            x, y = self.xaxis.px(e.date), self.yaxis.px(bn(e.valuation.point))
            nx = x
            for px, py in placed:
                if abs(py - y) < GAP and abs(px - nx) < GAP:
                    nx = max(nx, px + (GAP ** 2 - (py - y) ** 2) ** 0.5)
            nx = min(nx, x + MAX_NUDGE, self.xaxis.width)
            if nx > x:
                out[id(e)] = nx - x
            placed.append((nx, y))
        return out

    def pos(self, e: m.Event) -> tuple[float, float]:
        return self.xaxis.px(e.date) + self.nudge.get(id(e), 0.0), \
            self.yaxis.px(bn(e.valuation.point))

    def date(self, e: m.Event) -> str:
        """Where the mark of ``e`` is drawn on the time axis, as an ISO date."""
        shift = self.nudge.get(id(e))
        if not shift:
            return iso(e.date)
        day = e.date.earliest.toordinal() + shift / self.xaxis.width * (self.xaxis.d1 -
                                                                        self.xaxis.d0)
        return dt.date.fromordinal(round(day)).isoformat()

    def extent(self, e: m.Event) -> tuple[float, float] | None:
        """The values a range or a bound is drawn between (None: one value)."""
        v = e.valuation
        if v.high is not None:
            return bn(v.amount), bn(v.high)
        y = self.yaxis.px(bn(v.amount))
        if v.qualifier in LOWER_BOUNDS:
            return bn(v.amount), self.yaxis.value_at(max(0.0, y - BOUND_PX))
        if v.qualifier in UPPER_BOUNDS:
            return self.yaxis.value_at(min(HEIGHT, y + BOUND_PX)), bn(v.amount)
        return None


def valuation_timeline(b: SpecBuilder, t: Timeline) -> Chart:
    """The timeline of ``t.companies``' marks (at least two of them)."""
    pairs = marks_in(t.companies, t.currency, t.basis)
    pairs.sort(key=lambda ce: (ce[1].date.order, ce[0].name.casefold()))
    companies = [c for c in t.companies if any(cc.id == c.id for cc, _ in pairs)]
    plot = _Plot(pairs, companies, t.single)
    spec = _spec(b, t, plot, pairs, companies)
    takeaway, alt_text, notes = _words(t, plot, pairs, companies)
    rows = valuation_table_rows(pairs)
    cols = VALUATION_COLS if not t.single else [c for c in VALUATION_COLS if c.key != "company"]
    return chart(t.chart_id, t.title, takeaway, alt_text, notes, cols, rows,
                 sources_of(e for _, e in pairs), t.origin, spec)


def _lines(t: Timeline, pairs: list, companies: list[m.Company]) -> list[tuple[str, list]]:
    """The marks each line joins: per company (comparison) or per kind of price (one company),
    deals only, where there are two or more; (key, pairs)."""
    groups: dict[str, list] = {}
    for c, e in pairs:
        if is_deal(e):
            groups.setdefault(c.id if not t.single else e.valuation_basis or "", []).append((c, e))
    return [(k, v) for k, v in groups.items() if len(v) >= 2]


def _ends(plot: _Plot, pairs: list, companies: list[m.Company], colors: dict[str, str]
          ) -> list[dict]:
    """Names at the right edge, level with each company's last mark, pushed apart."""
    ends = []
    right = max(plot.pos(e)[0] for _, e in pairs) + 12  # dx of the text mark
    for c in companies:
        last = [e for cc, e in pairs if cc.id == c.id][-1]
        ends.append({"text": c.name, "color": colors[c.id], "py": plot.pos(last)[1]})
    ends.sort(key=lambda r: r["py"])
    for i in range(1, len(ends)):
        ends[i]["py"] = max(ends[i]["py"], ends[i - 1]["py"] + 15)
    overflow = ends[-1]["py"] - (HEIGHT - 6) if ends else 0
    if overflow > 0:
        for r in ends:
            r["py"] -= overflow
    last_date = plot.date(max((e for _, e in pairs), key=lambda e: plot.pos(e)[0]))
    for r in ends:
        r["px"] = right
        r["date"], r["value"] = last_date, plot.yaxis.value_at(r["py"])
    return ends


def _labels(t: Timeline, plot: _Plot, pairs: list, companies: list[m.Company], ends: list[dict]
            ) -> list[dict]:
    """Key marks, most important first: each company's latest deal, then (one company) its first
    mark, its highest, and the other deals from the largest down; placed where they fit."""
    keys: list[tuple[m.Company, m.Event]] = []
    for c in companies:
        mine = [(cc, e) for cc, e in pairs if cc.id == c.id]
        deals = [ce for ce in mine if is_deal(ce[1])]
        keys.append(deals[-1] if deals else mine[-1])
    for c in companies:
        mine = [(cc, e) for cc, e in pairs if cc.id == c.id]
        extra = [mine[0], max(mine, key=lambda ce: ce[1].valuation.point)]
        if t.single:
            extra += sorted((ce for ce in mine if is_deal(ce[1])),
                            key=lambda ce: -ce[1].valuation.point)
        keys += [ce for ce in extra if ce not in keys]
    obstacles = [(x - 7, y - 7, x + 7, y + 7) for x, y in (plot.pos(e) for _, e in pairs)]
    for _, line in _lines(t, pairs, companies):
        obstacles += segment_boxes([plot.pos(e) for _, e in line])
    wanted = []
    for c, e in keys:
        v = e.valuation
        text = f"{event_name(e)}: {v.display()}" if t.single else f"{c.name}, {event_name(e)}"
        x, y = plot.pos(e)
        wanted.append({"px": x, "py": y, "text": text, "date": plot.date(e),
                       "value": bn(v.point)})
    obstacles += [(r["px"], r["py"] - 8, r["px"] + text_width(r["text"]), r["py"] + 8)
                  for r in ends]
    return place_labels(wanted, obstacles, WIDTH, HEIGHT)


def _spec(b: SpecBuilder, t: Timeline, plot: _Plot, pairs: list, companies: list[m.Company]
          ) -> dict[str, Any]:
    alt = b.alt
    X = plot.xaxis.encoding(alt)
    what = "Post-money valuation" if t.basis == "post-money" else "Valuation"
    title = f"{what}, {cur_label(t.currency)} billion"
    Y = plot.yaxis.encoding(alt, "value", title)
    layers = []
    for key, line in _lines(t, pairs, companies):
        solid = not t.single or key == "post-money"
        rows = [{"date": plot.date(e), "value": bn(e.valuation.point), "color": t.color(c, e)}
                for c, e in line]
        layers.append(alt.Chart(b.data(rows)).mark_line(
            strokeWidth=2 if solid else 1.5, **({} if solid else {"strokeDash": [4, 3]})).encode(
            x=X, y=Y, stroke=alt.Stroke("color:N", scale=None)))
    spans = [{"date": plot.date(e), "lo": ext[0], "hi": ext[1], "color": t.color(c, e)}
             for c, e in pairs if (ext := plot.extent(e)) is not None]
    if spans:
        layers.append(alt.Chart(b.data(spans)).mark_rule(strokeWidth=2).encode(
            x=X, y=plot.yaxis.encoding(alt, "lo", title), y2=alt.Y2("hi"),
            stroke=alt.Stroke("color:N", scale=None)))
    pts = [{"date": plot.date(e), "value": bn(e.valuation.point), "id": c.id,
            "color": t.color(c, e), "fo": STATUS_FILL[e.status], "shape": STATUS_SHAPE[e.status],
            "tip": mark_tip(t, c, e)} for c, e in pairs]
    layers += b.status_points(X, Y, pts, color_field="color")
    ends = [] if t.single else _ends(plot, pairs, companies, t.colors)
    layers += b.label_layers(_labels(t, plot, pairs, companies, ends), X, Y)
    if ends:
        ends = [{"date": r["date"], "value": r["value"], "text": r["text"], "color": r["color"]}
                for r in ends]
        layers.append(alt.Chart(b.data(ends)).mark_text(
            align="left", baseline="middle", fontWeight="bold", dx=12).encode(
            x=X, y=Y, text="text:N", fill=alt.Fill("color:N", scale=None)))
    drawn = b.layer(*layers, width=WIDTH, height=HEIGHT)
    legends = []
    if t.single:
        bases = [x for x in m.BASIS_LABEL if any(e.valuation_basis == x for _, e in pairs)]
        legends.append(b.legend([{"label": m.BASIS_LABEL[x][0], "color": BASIS_COLOR[x], "fo": 1,
                                  "shape": "circle"} for x in bases], "Kind of price"))
    else:
        legends.append(b.legend([{"label": c.name, "color": t.colors[c.id], "fo": 1,
                                  "shape": "circle"} for c in companies], "Company"))
    legends.append(b.legend(status_legend_items([e.status for _, e in pairs]), "Status"))
    return b.finish(drawn, *legends)


def mark_tip(t: Timeline, c: m.Company, e: m.Event) -> str:
    """What a mark is, in words, its parts joined by ' · ' (the page's script shows one a line):
    whose event, the value, its kind of price, the date, the status and the sources."""
    sources = list_words(list(dict.fromkeys(t.publishers.get(s, s) for s in e.sources)))
    return " · ".join([f"{c.name}, {event_name(e)}", e.valuation.display(), basis_label(e),
                       short_date(e.date), e.status, f"Source: {sources}"])


def _words(t: Timeline, plot: _Plot, pairs: list, companies: list[m.Company]
           ) -> tuple[str, str, list[str]]:
    """The takeaway, the alt text and the notes."""
    dates = [e.date for _, e in pairs]
    lo_c, lo_e = min(pairs, key=lambda ce: ce[1].valuation.point)
    hi_c, hi_e = max(pairs, key=lambda ce: ce[1].valuation.point)
    span = f"{short_date(dates[0])} to {short_date(dates[-1])}"

    def mark(c: m.Company, e: m.Event) -> str:
        who = "" if t.single else f"{c.name}, "
        kind = f", {e.basis_words()}" if t.single else ""
        return (f"{who}{event_name(e)}, {e.valuation.display()}{kind} "
                f"({short_date(e.date)}{status_phrase(e.status)})")

    takeaway = _takeaway(t, pairs, companies)
    names = list_words([c.name for c in companies])
    if t.single:
        kinds = list_words([m.BASIS_LABEL[x][1] for x in m.BASIS_LABEL
                            if any(e.valuation_basis == x for _, e in pairs)])
        what = f"Chart of {names}'s valuations over time, coloured by kind of price ({kinds})"
    else:
        what = (f"Line chart of the post-money valuations of {names}, each the price of a round "
                "counting its new money")
    alt_text = (f"{what}, {span}, on a {'logarithmic' if plot.yaxis.log else 'linear'} scale in "
                f"{cur_label(t.currency)} billion; filled points are confirmed, tinted reported, "
                f"hollow rumored or unverified. Lowest: {mark(lo_c, lo_e)}. Highest: "
                f"{mark(hi_c, hi_e)}.")
    return takeaway, alt_text, _notes(t, plot, pairs, companies)


def _growth(pairs: list, c: m.Company, basis: str) -> tuple[float, m.Event, m.Event] | None:
    deals = [e for cc, e in pairs if cc.id == c.id and e.valuation_basis == basis]
    if len(deals) < 2:
        return None
    return bn(deals[-1].valuation.point) / bn(deals[0].valuation.point), deals[0], deals[-1]


def _takeaway(t: Timeline, pairs: list, companies: list[m.Company]) -> str:
    """About the company with the highest latest post-money valuation (a comparison), or the
    company's own post-money valuations (one company): never a ratio against whichever company
    happens to be the smallest."""
    def rise(c: m.Company, g: tuple[float, m.Event, m.Event], lead: bool) -> str:
        ratio, first, last = g
        how = (f", {times(ratio, 1)} the first" if ratio >= 1.05 else
               ", about the same" if ratio > 0.95 else f", down to {num(ratio * 100, 0)}% of it")
        verb = "rose" if ratio >= 1.05 else "moved" if ratio > 0.95 else "fell"
        head = f"{c.name}'s post-money valuation {verb} from " if lead else f"{c.name}'s from "
        return (f"{head}{first.valuation.display()} ({short_date(first.date)}) to "
                f"{last.valuation.display()} ({short_date(last.date)}){how}")

    if not t.single:
        ranked = sorted(companies, key=lambda c: -max(
            e.valuation.point for cc, e in pairs if cc.id == c.id))
        parts = [rise(c, g, i == 0) for i, c in enumerate(ranked[:2])
                 if (g := _growth(pairs, c, "post-money")) is not None]
        return "; ".join(parts) + "." if parts else ""
    c = companies[0]
    g = _growth(pairs, c, "post-money")
    if g is not None:
        return rise(c, g, True) + "."
    first, last = pairs[0][1], pairs[-1][1]
    return (f"{c.name}'s valuation marks run from {first.valuation.display()} "
            f"({first.basis_words()}, {short_date(first.date)}) to {last.valuation.display()} "
            f"({last.basis_words()}, {short_date(last.date)}).")


def _notes(t: Timeline, plot: _Plot, pairs: list, companies: list[m.Company]) -> list[str]:
    notes = [plot.yaxis.note]
    if t.single:
        notes.append("Marks of one kind of price set by deals are joined by a line (solid for "
                     "post-money valuations, dashed for the others); talks, targets and declined "
                     "offers are points only. Prices of different kinds are not the same measure: "
                     "a share sale's price is not a round's post-money valuation.")
    else:
        notes.append(f"Companies with two or more post-money valuations in "
                     f"{cur_label(t.currency)}: {list_words([c.name for c in companies])}. Prices "
                     "implied by share sales, IPO valuations, deal values, talks and targets are "
                     "not compared here; each company's profile charts them.")
    values = [e.valuation for _, e in pairs]
    if any(v.high is not None for v in values):
        notes.append("A vertical line through a mark is a range that reports give; the mark is at "
                     "its middle.")
    if any(v.qualifier in LOWER_BOUNDS + UPPER_BOUNDS for v in values):
        notes.append("A short line from a mark shows a bound: upwards for 'more than' or 'at "
                     "least', downwards for 'up to' or 'less than'; the mark is at the amount.")
    if any(v.qualifier == "about" for v in values):
        notes.append("Marks given as 'about' an amount are plotted at that amount.")
    if plot.nudge:
        notes.append("Marks that would lie on top of each other are drawn side by side, the later "
                     "one a little to the right; the table gives each one's date.")
    others = sorted({c.name for c in companies for e in valuation_marks(c)
                     if e.valuation.currency != t.currency and
                     (t.basis is None or e.valuation_basis == t.basis)})
    if others:
        notes.append(f"Marks in other currencies are not converted and not drawn "
                     f"({list_words(others)}); the table on each profile lists them.")
    return notes
