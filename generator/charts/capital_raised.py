"""Chart kind ``capital-raised``: per AI lab, the money raised in primary rounds and paid in by
strategic investors, what is committed and not known to be paid, and the shares sold by
shareholders, each summed once by the rules of :mod:`generator.flows`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..bounds import total
from ..facts import event_name, sources_of
from ..flows import LAB_CATEGORIES, CompanyMoney, company_money
from .base import Chart, ChartKind, Col, Instance, chart
from .layout import bars_fit
from .spec import SpecBuilder
from .style import LABS, NEUTRAL, PALETTE, STATUSES
from .words import bn, list_words, rounded

ID = "capital-raised"
MAX_LABS = 8  # the labs that raised the most are drawn; each lab's events are on its profile
RAISED = ("primary", "strategic")  # money the company received
COLOR = {"primary": PALETTE[0], "strategic": PALETTE[1], "outstanding": PALETTE[1],
         "secondary": NEUTRAL}
FILL = {"primary": 1.0, "strategic": 1.0, "outstanding": 0.15, "secondary": 1.0}
LABEL = {key: label for key, label, _ in LAB_CATEGORIES}


def _labs(ds) -> dict[str, CompanyMoney]:
    return {c.id: company_money(c) for c in ds.companies.values() if c.kind in LABS}


def instances(ds) -> list[Instance]:
    # (the first lab with a sum in US dollars answers: summing them all was 0.25 s at 5,000)
    has = any(cur == "USD" for c in ds.companies.values() if c.kind in LABS
              for _, cur in company_money(c).totals)
    return [Instance(ID, "data/companies", (("companies", None),))] if has else []


def _raised(money: CompanyMoney) -> Decimal:
    """What a lab received in US dollars, for ordering (the low end of what the sources state)."""
    return sum((money.totals[(k, "USD")].amount.amount for k in RAISED
                if (k, "USD") in money.totals), Decimal(0))


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    labs = _labs(ds)
    usd = {cid: mon for cid, mon in labs.items() if any(cur == "USD" for _, cur in mon.totals)}
    order = sorted(usd, key=lambda cid: (-_raised(usd[cid]), ds.companies[cid].name.casefold()))
    total_labs = len(order)
    order = order[:MAX_LABS]
    present = [key for key, _, _ in LAB_CATEGORIES
               if any((key, "USD") in usd[cid].totals for cid in order)]
    rows, table, used = [], [], []
    for i, cid in enumerate(order):
        c = ds.companies[cid]
        for j, key in enumerate(present):
            t = usd[cid].totals.get((key, "USD"))
            if t is None or t.amount is None:
                continue
            rows.append({"company": c.name, "order": i, "cat": LABEL[key], "cat_order": j,
                         "value": bn(t.amount.amount), "text": rounded(t.amount),
                         "color": COLOR[key], "fo": FILL[key]})
            statuses = {e.status for e in t.events}
            table.append({"company": c.name, "category": LABEL[key], "amount": t.amount,
                          "events": len(t.events),
                          "status": ", ".join(x for x in STATUSES if x in statuses),
                          "sources": sources_of(t.events)})
            used += t.events
    spec, _ = _spec(b, rows, present)
    takeaway, alt_text = _words(ds, order, usd, rows)
    notes = _notes(ds, labs, order, total_labs)
    cols = [Col("company", "Company"), Col("category", "Kind of money"),
            Col("amount", "Total", "money"), Col("events", "Events", "number"),
            Col("status", "Status")]
    return chart(ID, "Capital raised and committed per AI lab", takeaway, alt_text,
                 notes, cols, table, sources_of(used), "data/companies", spec)


def _notes(ds, labs: dict[str, CompanyMoney], order: list[str], total_labs: int) -> list[str]:
    notes = ["Committed, not known to be paid: each commitment ('up to' amounts, money due "
             "later or tied to milestones) less what the sources show paid under it; drawn pale "
             "and never added to what was raised. Shares sold in tender offers and secondary "
             "sales are money for the sellers, not for the company.",
             "Money the data marks as counted inside another event is added once."]
    counted = [f"{ds.companies[cid].name}'s {event_name(e)} ({e.amount_raised.display()}) is "
               f"part of its {event_name(inner) if inner else e.counted_in}"
               for cid in order for e, inner in labs[cid].counted]
    if counted:
        notes.append("Not added again: " + "; ".join(counted) + ".")
    apart = []
    for cid, mon in sorted(labs.items(), key=lambda kv: ds.companies[kv[0]].name.casefold()):
        for (key, cur), t in mon.totals.items():
            if cur != "USD" and t.amount is not None:
                apart.append(f"{ds.companies[cid].name}, {LABEL[key].lower()}: "
                             f"{t.amount.display()}")
    if apart:
        notes.append("Shown apart, in their own currency and not converted (no exchange rate is "
                     "recorded): " + "; ".join(apart) + ".")
    if total_labs > len(order):
        notes.append(f"The {len(order)} labs that raised the most are shown, of {total_labs}; "
                     "each lab's events are on its profile.")
    return notes


def _spec(b: SpecBuilder, rows: list[dict], present: list[str]) -> dict[str, Any]:
    alt = b.alt
    plot_w, top = bars_fit([], [(r["value"], r["text"]) for r in rows])
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
    plot = alt.layer(bars, text, b.bar_labels(Y, "cat"), data=b.data(rows)).properties(
        width=plot_w, height=alt.Step(36)).facet(
        row=alt.Row("company:N", title=None, sort=alt.EncodingSortField("order", order="ascending"),
                    header=alt.Header(labelPadding=2)),
        spacing=8).resolve_scale(y="independent")
    legend = b.legend([{"label": LABEL[key], "color": COLOR[key], "fo": FILL[key], "kind": "bar"}
                       for key in present], "Kind of money", plot_w)
    return b.finish(plot, legend), plot_w


def _words(ds, order: list[str], usd: dict[str, CompanyMoney], rows: list[dict]
           ) -> tuple[str, str]:
    lead = order[0]
    money = usd[lead]
    got = [money.totals[(k, "USD")].amount for k in RAISED if (k, "USD") in money.totals]
    received = total(got)
    left = money.totals.get(("outstanding", "USD"))
    takeaway = (f"{ds.companies[lead].name} has raised the most, {rounded(received)} in primary "
                "rounds and strategic investments"
                + (f", with {rounded(left.amount)} more committed and not known to be paid"
                   if left is not None and left.amount is not None else "") + ".")
    biggest = max(rows, key=lambda r: r["value"])
    alt_text = (f"Grouped bar chart of money raised, committed and sold per AI lab for "
                f"{len(order)} labs in US$ billion, summed over each lab's events. Largest bar: "
                f"{biggest['company']}, {biggest['cat'].lower()}, {biggest['text']}. "
                f"{list_words([ds.companies[cid].name for cid in order])}.")
    return takeaway, alt_text


KIND = ChartKind(ID, __name__, instances, build, lite=True)
