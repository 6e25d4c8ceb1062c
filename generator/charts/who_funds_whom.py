"""Chart kind ``who-funds-whom``: the investments of the cloud providers, chipmakers and
technology companies profiled here in AI labs, one row per investor, over time."""

from __future__ import annotations

from typing import Any

from .. import model as m
from ..facts import dedup, event_name, sources_of
from ..markup import short_date
from ..values import Money
from .base import Chart, ChartKind, Col, Instance, chart
from .layout import TimeAxis, text_width
from .spec import SpecBuilder
from .style import LABS, MUTED, STATUS_FILL, TOTAL, company_colors, status_legend_items
from .words import bn, iso, list_words, status_phrase

ID = "who-funds-whom"
STRATEGIC_KINDS = ("cloud-provider", "chipmaker", "technology-company")
MAX_LABS = 8  # the labs that received the most investments are drawn
MAX_FUNDERS = 8  # and the investors with the most of them
SHAPE = {"paid in": "circle", "up to (committed)": "diamond", "share not disclosed": "cross"}
MAX_AREA = 1100.0  # square pixels for the largest amount: area is proportional to the amount

# (investor, lab, event, amount or None, what the amount is, the event's commitment or None)
Found = tuple[m.Company, m.Company, m.Event, Money | None, str, Money | None]


def _found(ds) -> list[Found]:
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
    return found


def instances(ds) -> list[Instance]:
    return [Instance(ID, "data/companies", (("companies", None),))] if _found(ds) else []


def _most(found: list[Found]) -> list[Found]:
    """The investments in the labs that received the most, by the investors with the most."""
    for pos, limit in ((1, MAX_LABS), (0, MAX_FUNDERS)):  # the labs, then the investors
        count: dict[str, int] = {}
        for t in found:
            count[t[pos].id] = count.get(t[pos].id, 0) + 1
        if len(count) > limit:
            names = {t[pos].id: t[pos].name.casefold() for t in found}
            kept = set(sorted(count, key=lambda k: (-count[k], names[k]))[:limit])
            found = [t for t in found if t[pos].id in kept]
    return found


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    found = _found(ds)
    every = (len(found), len({t[1].id for t in found}), len({t[0].id for t in found}))
    found = _most(found)
    found.sort(key=lambda t: (t[0].name.casefold(), t[2].date))
    per_investor: dict[str, int] = {}
    for t in found:
        per_investor[t[0].id] = per_investor.get(t[0].id, 0) + 1
    inv_order = dedup(t[0].id for t in sorted(found, key=lambda t: (-per_investor[t[0].id],
                                                                    t[0].name.casefold())))
    spec = _spec(b, ds, found, inv_order)
    takeaway, alt_text = _words(ds, found, inv_order)
    notes = ["Investments by cloud providers, chipmakers and technology companies profiled here, "
             "taken from the investors named on each lab's events. The area shows what this "
             "investor paid in, or its 'up to' commitment where nothing was paid in yet; a cross "
             "marks a round it joined without its share being disclosed."]
    if every[0] > len(found):
        notes.append(f"Shown: the investments in the {len({t[1].id for t in found})} labs that "
                     f"received the most of them, by the {len(inv_order)} investors with the most, "
                     f"of {every[0]} investments in {every[1]} labs by {every[2]} companies; each "
                     "lab's profile lists its investors.")
    table = [{"investor": inv.name, "lab": lab.name, "date": e.date, "event": event_name(e),
              "amount": amount, "basis": basis, "committed": committed, "status": e.status,
              "sources": list(e.sources)} for inv, lab, e, amount, basis, committed in found]
    cols = [Col("investor", "Investor"), Col("lab", "Invested in"), Col("date", "Date", "date"),
            Col("event", "Event"), Col("amount", "Amount", "money"), Col("basis", "Amount is"),
            Col("committed", "Event's commitment, up to", "money"), Col("status", "Status", "status")]
    return chart(ID, "Who funds whom: big technology companies' investments in AI labs",
                 takeaway, alt_text, notes, cols, table, sources_of(t[2] for t in found),
                 "data/companies", spec)


def _spec(b: SpecBuilder, ds, found: list[Found], inv_order: list[str]) -> dict[str, Any]:
    alt = b.alt
    colors = company_colors(ds.companies)
    top = max([bn(t[3]) for t in found if t[3] is not None], default=1.0)

    def area(v: float) -> float:
        return MAX_AREA * v / top

    rows = []
    for inv, lab, e, amount, basis, _ in found:
        rows.append({"investor": inv.name, "order": inv_order.index(inv.id), "date": iso(e.date),
                     "size": area(bn(amount)) if amount else 70.0, "color": colors[lab.id],
                     "fo": STATUS_FILL[e.status], "shape": SHAPE[basis]})
    rows.sort(key=lambda r: -r["size"])  # small marks drawn last, on top of big ones
    plot_w = round(max(300.0, TOTAL + 40 - max(text_width(t[0].name) * 1.08 for t in found) - 12))
    xaxis = TimeAxis([t[2].date for t in found], plot_w, pad_left=0.05, pad_right=0.05)
    X = xaxis.encoding(alt)
    Y = alt.Y("investor:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=alt.Axis(ticks=False, domain=False, labelFontWeight="bold"),
              scale=alt.Scale(padding=0.5))
    layers = b.status_points(X, Y, rows, color_field="color", size="size")
    plot = b.layer(*layers, width=plot_w, height={"step": 60})
    labs_present = dedup(t[1].id for t in sorted(found, key=lambda t: t[1].name.casefold()))
    leg_labs = b.legend([{"label": ds.companies[lid].name, "color": colors[lid], "fo": 1,
                          "shape": "circle"} for lid in labs_present], "Invested in", plot_w)
    keys = [v for v in (1, 3, 10, 30, 100, 300) if v <= top][-3:]
    items = [{"label": f"US${v} billion", "color": MUTED, "fo": 0, "shape": "circle",
              "area": area(v)} for v in keys]
    bases = [basis for basis in SHAPE if any(t[4] == basis for t in found)]
    items += [{"label": basis, "color": MUTED, "fo": 1, "shape": SHAPE[basis]} for basis in bases
              if basis != "paid in"]
    leg_basis = b.legend(items, "Amount (circle area)", plot_w)
    leg_status = b.legend(status_legend_items([t[2].status for t in found]), "Status", plot_w)
    return b.finish(plot, leg_labs, leg_basis, leg_status)


def _words(ds, found: list[Found], inv_order: list[str]) -> tuple[str, str]:
    names = list_words([ds.companies[i].name for i in inv_order])
    known = [t for t in found if t[3] is not None]
    if known:
        inv, lab, e, amount, basis, committed = max(known, key=lambda t: t[3].amount)
        extra = (f", with up to {committed.display()} committed" if committed and committed != amount
                 else "")
        takeaway = (f"The largest single investment charted is {inv.name}'s {amount.display()} in "
                    f"{lab.name} ({short_date(e.date)}{status_phrase(e.status)}{extra}), among "
                    f"{len(found)} investments by {names}.")
    else:
        takeaway = f"{len(found)} investments by {names}; no amounts disclosed."
    first, last = min(t[2].date for t in found), max(t[2].date for t in found)
    extremes = ""
    if known:
        big = max(known, key=lambda t: t[3].amount)
        small = min(known, key=lambda t: t[3].amount)
        extremes = (f"Largest: {big[0].name} in {big[1].name}, {big[3].display()} "
                    f"({short_date(big[2].date)}). Smallest disclosed: {small[0].name} in "
                    f"{small[1].name}, {small[3].display()} ({short_date(small[2].date)}).")
    alt_text = (f"Timeline of {len(found)} investments in AI labs by {names}, "
                f"{short_date(first)} to {short_date(last)}; one row per investor, circle area "
                f"shows the amount, colour the lab. " + extremes).strip()
    return takeaway, alt_text


KIND = ChartKind(ID, __name__, instances, build)
