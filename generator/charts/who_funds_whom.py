"""Chart kind ``who-funds-whom``: the investments of the cloud providers, chipmakers and
technology companies profiled here in AI labs, one row per investor, over time: money paid in
and money committed apart, the same money never twice (see :mod:`generator.flows`)."""

from __future__ import annotations

from typing import Any, Iterator

from ..facts import dedup, event_name, sources_of
from ..flows import Line, PairTotal, lines_of, pair_totals
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
SHAPE = {"paid in": "circle", "committed": "diamond", "share not disclosed": "cross"}
MAX_AREA = 1100.0  # square pixels for the largest amount: area is proportional to the amount
NOT_DISCLOSED_AREA = 70.0


def _found(ds) -> list[Line]:
    """Every line of a strategic investor with a profile in a lab, in the order of the labs."""
    return list(_lines(ds))


def _lines(ds) -> Iterator[Line]:
    investors = {c.id for c in ds.companies.values() if c.kind in STRATEGIC_KINDS}
    return (ln for lab in ds.companies.values() if lab.kind in LABS
            for ln in lines_of(lab) if ln.investor.company in investors
            and ln.bought is None)


def instances(ds) -> list[Instance]:
    # (the first line answers: making every lab's lines took 16 ms at 1,000 companies)
    has = next(_lines(ds), None) is not None
    return [Instance(ID, "data/companies", (("companies", None),))] if has else []


def _most(found: list[Line]) -> list[Line]:
    """The investments in the labs that received the most, by the investors with the most."""
    for key, limit in ((lambda ln: ln.company.id, MAX_LABS), (lambda ln: ln.who, MAX_FUNDERS)):
        count: dict[str, int] = {}
        for ln in found:
            count[key(ln)] = count.get(key(ln), 0) + 1
        if len(count) > limit:
            kept = set(sorted(count, key=lambda k: (-count[k], k))[:limit])
            found = [ln for ln in found if key(ln) in kept]
    return found


def _usd(money: Money | None) -> Money | None:
    return money if money is not None and money.currency == "USD" else None


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    found = _found(ds)
    every = (len(found), len({ln.company.id for ln in found}), len({ln.who for ln in found}))
    found = _most(found)
    found.sort(key=lambda ln: (ds.companies[ln.who].name.casefold(), ln.event.date))
    per_investor: dict[str, int] = {}
    for ln in found:
        per_investor[ln.who] = per_investor.get(ln.who, 0) + 1
    inv_order = dedup(ln.who for ln in sorted(
        found, key=lambda ln: (-per_investor[ln.who], ds.companies[ln.who].name.casefold())))
    totals = pair_totals(found)
    spec = _spec(b, ds, found, inv_order)
    takeaway, alt_text = _words(ds, found, inv_order, totals)
    notes = _notes(ds, found, inv_order, every)
    table = [{"investor": ds.companies[ln.who].name, "lab": ln.company.name,
              "date": ln.event.date, "event": event_name(ln.event), "paid": ln.paid,
              "committed": ln.committed, "how": ln.how(), "status": ln.event.status,
              "sources": list(ln.event.sources)} for ln in found]
    cols = [Col("investor", "Investor"), Col("lab", "Invested in"), Col("date", "Date", "date"),
            Col("event", "Event"), Col("paid", "Paid in", "money"),
            Col("committed", "Committed, up to", "money"), Col("how", "The money is"),
            Col("status", "Status", "status")]
    return chart(ID, "Who funds whom: big technology companies' investments in AI labs",
                 takeaway, alt_text, notes, cols, table, sources_of(ln.event for ln in found),
                 "data/companies", spec)


def _marks(found: list[Line], area) -> list[dict]:
    """What is drawn for each line: its commitment (a pale diamond, behind), what it paid (a
    circle), or a cross when its share is not disclosed; a line counted elsewhere is not drawn."""
    out = []
    for ln in found:
        if ln.counted_in is not None:
            continue
        paid, committed = _usd(ln.paid), _usd(ln.committed)
        if committed is not None and committed != paid:
            out.append(("committed", ln, area(bn(committed)), 0.15))
        if paid is not None:
            out.append(("paid in", ln, area(bn(paid)), None))
        if paid is None and committed is None:
            out.append(("share not disclosed", ln, NOT_DISCLOSED_AREA, None))
    return out


def _spec(b: SpecBuilder, ds, found: list[Line], inv_order: list[str]) -> dict[str, Any]:
    alt = b.alt
    colors = company_colors(ds.companies)
    amounts = [bn(x) for ln in found for x in (_usd(ln.paid), _usd(ln.committed)) if x]
    top = max(amounts, default=1.0)

    def area(v: float) -> float:
        return MAX_AREA * v / top

    rows = []
    for what, ln, size, fo in _marks(found, area):
        rows.append({"investor": ds.companies[ln.who].name, "order": inv_order.index(ln.who),
                     "date": iso(ln.event.date), "size": size, "color": colors[ln.company.id],
                     "fo": STATUS_FILL[ln.event.status] if fo is None else fo,
                     "shape": SHAPE[what]})
    rows.sort(key=lambda r: -r["size"])  # small marks drawn last, on top of big ones
    plot_w = round(max(180.0, TOTAL + 16 - max(text_width(ds.companies[w].name) * 1.08
                                                    for w in inv_order) - 12))
    xaxis = TimeAxis([ln.event.date for ln in found], plot_w, pad_left=0.05, pad_right=0.05)
    X = xaxis.encoding(alt)
    Y = alt.Y("investor:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
              axis=alt.Axis(ticks=False, domain=False, labelFontWeight="bold"),
              scale=alt.Scale(padding=0.5))
    layers = b.status_points(X, Y, rows, color_field="color", size="size")
    plot = b.layer(*layers, width=plot_w, height={"step": 60})
    labs_present = dedup(ln.company.id for ln in sorted(found, key=lambda ln: ln.company.name))
    leg_labs = b.legend([{"label": ds.companies[lid].name, "color": colors[lid], "fo": 1,
                          "shape": "circle"} for lid in labs_present], "Invested in", plot_w)
    keys = [v for v in (1, 3, 10, 30, 100, 300) if v <= top][-3:]
    items = [{"label": f"US${v} billion paid in", "color": MUTED, "fo": 0, "shape": "circle",
              "area": area(v)} for v in keys]
    shown = {r["shape"] for r in rows}
    if "diamond" in shown:
        items.append({"label": "committed, up to (pale)", "color": MUTED, "fo": 0.15,
                      "shape": "diamond"})
    if "cross" in shown:
        items.append({"label": "share not disclosed", "color": MUTED, "fo": 1, "shape": "cross"})
    leg_amount = b.legend(items, "Amount (area)", plot_w)
    leg_status = b.legend(status_legend_items([ln.event.status for ln in found]), "Status", plot_w)
    return b.finish(plot, leg_labs, leg_amount, leg_status)


def _notes(ds, found: list[Line], inv_order: list[str], every: tuple[int, int, int]
           ) -> list[str]:
    notes = ["Investments by cloud providers, chipmakers and technology companies profiled here, "
             "taken from the investors named on each lab's events. A circle's area is what the "
             "investor paid in; a pale diamond behind it, what it committed ('up to', or tied to "
             "milestones), which includes what it paid at once; a cross, a round it joined "
             "without its share being disclosed."]
    counted = [f"{ds.companies[ln.who].name}'s {ln.paid.display() if ln.paid else 'money'} in "
               f"{ln.company.name}'s {event_name(ln.event)}, the same money as its "
               f"{event_name(ln.counted_in)} ({short_date(ln.counted_in.date)})"
               for ln in found if ln.counted_in is not None]
    if counted:
        notes.append("Not drawn again: " + "; ".join(counted) + ".")
    apart = [f"{ds.companies[ln.who].name} in {ln.company.name} "
             f"({(ln.paid or ln.committed).display()})" for ln in found
             if (ln.paid or ln.committed) is not None and not _usd(ln.paid or ln.committed)]
    if apart:
        notes.append("In other currencies, not converted and not drawn: " + "; ".join(apart) + ".")
    if every[0] > len(found):
        notes.append(f"Shown: the investments in the {len({ln.company.id for ln in found})} labs "
                     f"that received the most of them, by the {len(inv_order)} investors with the "
                     f"most, of {every[0]} investments in {every[1]} labs by {every[2]} "
                     "companies; each lab's profile lists its investors.")
    return notes


def _words(ds, found: list[Line], inv_order: list[str], totals: list[PairTotal]
           ) -> tuple[str, str]:
    names = list_words([ds.companies[i].name for i in inv_order])
    usd = [t for t in totals if t.currency == "USD"]
    paid = [t for t in usd if t.paid is not None]
    commitments = [ln for ln in found if ln.counted_in is None and _usd(ln.committed)]
    parts = []
    if paid:
        t = max(paid, key=lambda t: (t.paid.amount, t.investor))
        ceiling = (f" ({t.ceiling.display()} paid and committed)" if t.ceiling is not None
                   and t.ceiling != t.paid else "")
        parts.append(f"{ds.companies[t.investor].name} has paid the most into one lab, "
                     f"{t.paid.display()} into {t.company.name}{ceiling}")
    if commitments:
        ln = max(commitments, key=lambda ln: (ln.committed.amount, ln.who))
        parts.append(f"the largest single commitment is {ds.companies[ln.who].name}'s "
                     f"{ln.committed.display()} to {ln.company.name} "
                     f"({short_date(ln.event.date)}{status_phrase(ln.event.status)})")
    if parts:
        takeaway = "; ".join(parts) + f", among {_investments(len(found))} by {names}."
        takeaway = takeaway[0].upper() + takeaway[1:]
    else:
        takeaway = f"{_investments(len(found))} by {names}; no amounts disclosed."
    first, last = min(ln.event.date for ln in found), max(ln.event.date for ln in found)
    pairs = "; ".join(f"{ds.companies[t.investor].name} in {t.company.name}: "
                      + ", ".join(x for x in (
                          f"paid {t.paid.display()}" if t.paid else "",
                          f"{t.ceiling.display()} paid and committed"
                          if t.ceiling is not None and t.ceiling != t.paid else "",
                          f"{t.undisclosed} undisclosed" if t.undisclosed else "") if x)
                      for t in usd)
    alt_text = (f"Timeline of {_investments(len(found))} in AI labs by {names}, "
                f"{short_date(first)} to {short_date(last)}; one row per investor, circle area "
                f"shows the money paid in, a pale diamond the money committed, colour the lab. "
                f"Totals: {pairs}.")
    return takeaway, alt_text


def _investments(n: int) -> str:
    return f"{n} investment{'s' if n != 1 else ''}"


KIND = ChartKind(ID, __name__, instances, build, lite=True)
