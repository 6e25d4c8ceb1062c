"""Chart kind ``capital-raised``: money raised, committed and sold per AI lab, summed over each
lab's events, by kind of money."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import model as m
from ..facts import dedup, event_name, sources_of
from ..values import Money
from .base import Chart, ChartKind, Col, Instance, chart
from .layout import bars_fit
from .spec import SpecBuilder
from .style import LABS, NEUTRAL, PALETTE, STATUSES
from .words import bn, list_words, rounded

ID = "capital-raised"
MAX_LABS = 8  # the labs that raised the most are drawn; each lab's events are on its profile

CATEGORIES = [
    ("primary", "Primary rounds, raised", ("primary-round", "ipo"), "raised"),
    ("strategic", "Strategic investments, paid in", ("strategic-investment",), "raised"),
    ("committed", "Committed, up to", None, "committed"),
    ("secondary", "Secondary sales and tender offers", ("tender-offer", "secondary-sale"), "raised"),
]
COLOR = {"primary": PALETTE[0], "strategic": PALETTE[1], "committed": PALETTE[1],
         "secondary": NEUTRAL}
FILL = {"primary": 1.0, "strategic": 1.0, "committed": 0.15, "secondary": 1.0}


@dataclass
class _Sums:
    """What the labs' events add up to, by (company id, category): [total, events, company,
    statuses]."""

    totals: dict[tuple[str, str], list] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # company id → name
    used: list[tuple[str, m.Event]] = field(default_factory=list)
    counted: list[tuple[str, str]] = field(default_factory=list)  # (company id, words)


def _sums(ds) -> _Sums:
    out = _Sums()
    for c in (c for c in ds.companies.values() if c.kind in LABS):
        for e in c.events:
            for key, _, kinds, what in CATEGORIES:
                amount = e.amount_committed if what == "committed" else e.amount_raised
                if amount is None or (kinds is not None and e.kind not in kinds):
                    continue
                if what == "raised" and e.counted_in:
                    inner = c.event(e.counted_in)
                    out.counted.append((c.id,
                        f"{c.name}'s {event_name(e)} ({amount.display()}) is part of its "
                        f"{event_name(inner) if inner else e.counted_in}"))
                    continue
                if amount.currency != "USD":
                    out.skipped[c.id] = c.name
                    continue
                t = out.totals.setdefault((c.id, key), [Decimal(0), 0, c, set()])
                t[0] += amount.amount
                t[1] += 1
                t[3].add(e.status)
                out.used.append((c.id, e))
    return out


def instances(ds) -> list[Instance]:
    return [Instance(ID, "data/companies", (("companies", None),))] if _sums(ds).totals else []


def build(ds, instance: Instance, b: SpecBuilder) -> Chart:
    s = _sums(ds)
    money_in: dict[str, Decimal] = {}
    for (cid, key), v in s.totals.items():
        money_in[cid] = money_in.get(cid, Decimal(0)) + (v[0] if key != "committed" else 0)
    companies = dedup(cid for cid, _ in sorted(s.totals, key=lambda k: -money_in[k[0]]))
    total_labs = len(companies)
    companies = companies[:MAX_LABS]
    charted = set(companies)
    totals = {k: v for k, v in s.totals.items() if k[0] in charted}
    used_events = [e for cid, e in s.used if cid in charted]
    used_ids = {id(e) for e in used_events}
    counted_elsewhere = [words for cid, words in s.counted if cid in charted or cid not in money_in]
    skipped = {cid: name for cid, name in s.skipped.items() if cid in charted or cid not in money_in}
    present = [c for c in CATEGORIES if any(k[1] == c[0] for k in totals)]
    rows, table = [], []
    for i, cid in enumerate(companies):
        c = ds.companies[cid]
        for j, (key, label, _, _) in enumerate(present):
            t = totals.get((cid, key))
            if t is None:
                continue
            money = Money(t[0], "USD")
            rows.append({"company": c.name, "order": i, "cat": label, "cat_order": j,
                         "value": bn(money), "text": rounded(money), "color": COLOR[key],
                         "fo": FILL[key]})
            table.append({"company": c.name, "category": label, "amount": money, "events": t[1],
                          "status": ", ".join(x for x in STATUSES if x in t[3]),
                          "sources": sources_of(e for e in c.events if id(e) in used_ids)})
    spec, plot_w = _spec(b, rows, present)
    takeaway, alt_text = _words(ds, companies, totals, rows)
    notes = ["Committed amounts are 'up to' totals, including money tied to milestones and money "
             "later paid in; they are drawn apart (pale) and never added to what was raised. "
             "Secondary sales and tender offers are shares changing hands, not money for the company.",
             "Totals add up each event as recorded, except money the data marks as counted inside "
             "another event, which is not added twice."]
    if counted_elsewhere:
        notes.append("Not added again: " + "; ".join(counted_elsewhere) + ".")
    if skipped:
        notes.append(f"Amounts in other currencies are left out, not converted "
                     f"({list_words(sorted(skipped.values()))}).")
    if total_labs > len(companies):
        notes.append(f"The {len(companies)} labs that raised the most are shown, of {total_labs}; "
                     "each lab's events are on its profile.")
    cols = [Col("company", "Company"), Col("category", "Kind of money"),
            Col("amount", "Total", "money"), Col("events", "Events", "number"),
            Col("status", "Status")]
    return chart(ID, "Capital raised and committed per AI lab", takeaway, alt_text,
                 notes, cols, table, sources_of(used_events), "data/companies", spec)


def _spec(b: SpecBuilder, rows: list[dict], present: list) -> tuple[dict[str, Any], float]:
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
    legend = b.legend([{"label": label, "color": COLOR[key], "fo": FILL[key], "kind": "bar"}
                       for key, label, _, _ in present], "Kind of money", plot_w)
    return b.finish(plot, legend), plot_w


def _words(ds, companies: list[str], totals: dict, rows: list[dict]) -> tuple[str, str]:
    raised = {cid: sum((totals[(cid, k)][0] for k in ("primary", "strategic") if (cid, k) in totals),
                       Decimal(0)) for cid in companies}
    lead = max(companies, key=lambda cid: raised[cid])
    lead_c = ds.companies[lead]
    committed = totals.get((lead, "committed"))
    takeaway = (f"{lead_c.name} has raised the most, {rounded(Money(raised[lead], 'USD'))} in "
                f"primary rounds and strategic investments"
                + (f", with up to {rounded(Money(committed[0], 'USD'))} committed in "
                   "'up to' deals" if committed else "") + ".")
    biggest = max(rows, key=lambda r: r["value"])
    alt_text = (f"Grouped bar chart of money raised, committed and sold per AI lab for "
                f"{len(companies)} labs in US$ billion, summed over each lab's events. Largest bar: "
                f"{biggest['company']}, {biggest['cat'].lower()}, {biggest['text']}. "
                f"{list_words([ds.companies[cid].name for cid in companies])}.")
    return takeaway, alt_text


KIND = ChartKind(ID, __name__, instances, build)
