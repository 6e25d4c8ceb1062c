"""Money between companies, counted once: what each investor paid into each company, what it
committed, and what is the same money as another record; and what each lab raised, by kind of
money. The charts, the profiles and the downloads all take their totals from here, so that they
agree.

The rules (CONTRIBUTING.md, "Money counted once"):

* an investor's line on an event is *paid in* (its ``amount``, or the event's ``amount_raised``
  when it is the event's only investor) and *committed* (its ``committed``, or the event's
  ``amount_committed`` when it is the only investor); a commitment includes what was paid at once;
* a line with ``counted_in`` is the same money as the same investor's line on that other event:
  it is shown, never added;
* money paid under an earlier commitment (the event's ``paid_under``) is paid in, and does not
  raise the ceiling: the ceiling of a pair is the sum of its commitments and of the payments made
  under none;
* a lab's own totals leave out an event counted inside another of its events (``counted_in`` on
  the event), and count a commitment once, less what was paid under it;
* shares bought in a tender offer or a secondary sale are money for the sellers, never for the
  company;
* amounts in different currencies are never added: each total is in one currency, and the others
  are kept apart.

Pure queries over records; no markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from . import model as m
from .bounds import Span, Unbounded
from .derived import per_record
from .values import Money

SHARE_SALES = ("tender-offer", "secondary-sale")  # money to the sellers, not the company
MONEY_IN = ("primary-round", "strategic-investment", "ipo")


@dataclass(frozen=True)
class Line:
    """One investor's part in one event of a company."""

    company: m.Company  # the company invested in
    event: m.Event
    investor: m.Investor
    paid: Money | None  # paid in by this investor
    committed: Money | None  # committed by this investor (up to), including what it paid at once
    counted_in: m.Event | None  # the event whose line for this investor holds the same money
    paid_under: m.Event | None  # the commitment this payment was made under
    bought: Money | None  # existing shares this investor bought (tender offers, secondary sales)

    @property
    def who(self) -> str:
        return self.investor.company or self.investor.name or ""

    @property
    def adds_to_ceiling(self) -> Money | None:
        """What this line adds to the most the investor put in or could put in."""
        if self.counted_in is not None:
            return None
        if self.committed is not None:
            return self.committed
        return self.paid if self.paid_under is None else None

    @property
    def undisclosed(self) -> bool:
        """A line that took part without any amount known (counted lines aside)."""
        return (self.counted_in is None and self.paid is None and self.committed is None
                and self.bought is None)

    def how(self) -> str:
        """The line in words, for tables: 'paid in', 'committed', 'counted in Series H', …"""
        if self.counted_in is not None:
            return f"counted in {_named(self.counted_in)}"
        bits = []
        if self.bought is not None:
            bits.append("bought existing shares")
        if self.paid is not None:
            bits.append("paid in" + (f", under the commitment of {_named(self.paid_under)}"
                                     if self.paid_under is not None else ""))
        if self.committed is not None:
            bits.append("committed")
        return "; ".join(bits) or "share not disclosed"


def _named(e: m.Event) -> str:
    return f"{e.round or m.EVENT_KIND_LABEL[e.kind]} ({e.date})"


@per_record
def lines_of(c: m.Company) -> tuple[Line, ...]:
    """Every investor line of a company's events, in the order of the events."""
    out = []
    for e in sorted(c.events, key=lambda e: (e.date.order, e.id)):
        sole = len(e.investors) == 1
        for inv in e.investors:
            sale = e.kind in SHARE_SALES
            paid = inv.amount if inv.amount is not None else (
                e.amount_raised if sole and inv.committed is None else None)
            committed = inv.committed if inv.committed is not None else (
                e.amount_committed if sole else None)
            out.append(Line(c, e, inv, None if sale else paid, None if sale else committed,
                            c.event(inv.counted_in) if inv.counted_in else None,
                            c.event(e.paid_under) if e.paid_under else None,
                            paid if sale else None))
    return tuple(out)


@dataclass
class PairTotal:
    """What one investor put into one company, in one currency: paid in, the ceiling of paid and
    committed money, what of it is not known to be paid, and how many of its lines give no
    amount. None: nothing known of that kind."""

    investor: str  # a company id, or an investor's name
    company: m.Company
    currency: str
    paid: Money | None = None
    ceiling: Money | None = None
    undisclosed: int = 0
    lines: list[Line] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        """The sources of the events of its lines, each once."""
        return list(dict.fromkeys(s for ln in self.lines for s in ln.event.sources))

    @property
    def outstanding(self) -> Money | None:
        """Committed, not known to be paid: the ceiling less what was paid."""
        if self.ceiling is None:
            return None
        return remaining(self.ceiling, [self.paid] if self.paid is not None else [])


def remaining(ceiling: Money, paid: list[Money]) -> Money | None:
    """What of a ceiling is left once ``paid`` is taken away (None: nothing, or nothing that can
    be stated)."""
    span = Span.of(ceiling)
    for p in paid:
        span = span.left_after(Span.of(p))
    try:
        span.check_bounded("what is left")
    except Unbounded:
        return None
    hi = span.ends()[1]
    if hi is not None and hi <= 0:
        return None
    return span.money(ceiling.currency)


def _sum(a: Money | None, b: Money) -> Money:
    if a is None:
        return b
    span = Span.of(a) + Span.of(b)
    span.check_bounded("the total")
    return span.money(b.currency)


def pair_totals(lines: Iterable[Line]) -> list[PairTotal]:
    """Per investor and company (and currency), in order of first appearance. A line without
    any amount counts as undisclosed in the currency of the pair's other lines (USD if none)."""
    out: dict[tuple[str, str, str], PairTotal] = {}
    pending: list[Line] = []
    for ln in lines:
        money = ln.paid or ln.committed or ln.bought
        if money is None:
            pending.append(ln)
            continue
        key = (ln.who, ln.company.id, money.currency)
        t = out.setdefault(key, PairTotal(ln.who, ln.company, money.currency))
        t.lines.append(ln)
        if ln.counted_in is not None:
            continue
        if ln.paid is not None:
            t.paid = _sum(t.paid, ln.paid)
        add = ln.adds_to_ceiling
        if add is not None:
            t.ceiling = _sum(t.ceiling, add)
    for ln in pending:
        same = [t for (who, cid, _), t in out.items() if who == ln.who and cid == ln.company.id]
        t = same[0] if same else out.setdefault((ln.who, ln.company.id, "USD"),
                                                 PairTotal(ln.who, ln.company, "USD"))
        t.lines.append(ln)
        if ln.undisclosed:
            t.undisclosed += 1
    for t in out.values():
        t.lines.sort(key=lambda ln: (ln.event.date.order, ln.event.id))
    return list(out.values())


def investments_index(companies: dict[str, m.Company]) -> dict[str, list[Line]]:
    """Every investor line whose investor is a company, by that company's id, companies by name:
    made once for all the profiles (each profile going through every company's lines made a
    build quadratic: 67 s of 82 at 1,000 companies)."""
    out: dict[str, list[Line]] = {}
    for c in sorted(companies.values(), key=lambda c: c.name.casefold()):
        for ln in lines_of(c):
            if ln.investor.company is not None:
                out.setdefault(ln.investor.company, []).append(ln)
    return out


def investments_by(companies: dict[str, m.Company], investor_id: str,
                   index: dict[str, list[Line]] | None = None) -> list[PairTotal]:
    """What one company with a profile put into each other company, by company name (``index``:
    :func:`investments_index` of ``companies``, when it is made already)."""
    if index is None:
        index = investments_index(companies)
    return pair_totals(index.get(investor_id, []))


def investors_in(companies: dict[str, m.Company], c: m.Company) -> list[PairTotal]:
    """What each investor with a profile here put into ``c``, by investor name."""
    lines = [ln for ln in lines_of(c) if ln.investor.company in companies]
    totals = pair_totals(lines)
    return sorted(totals, key=lambda t: companies[t.investor].name.casefold())


# ---------------------------------------------------------------------------------------------
# A company's own totals


LAB_CATEGORIES = (  # key, label, kinds of event
    ("primary", "Primary rounds, raised", ("primary-round", "ipo")),
    ("strategic", "Strategic investments, paid in", ("strategic-investment",)),
    ("outstanding", "Committed, not known to be paid", None),
    ("secondary", "Sold by shareholders (tender offers, secondary sales)", SHARE_SALES),
)


@dataclass
class Total:
    """One category of a company's money, in one currency: the sum, and the events in it."""

    amount: Money | None = None
    events: list[m.Event] = field(default_factory=list)

    def add(self, money: Money, e: m.Event) -> None:
        self.amount = _sum(self.amount, money)
        self.events.append(e)


@dataclass
class CompanyMoney:
    """A company's totals by (category key, currency), and the events counted inside others."""

    totals: dict[tuple[str, str], Total] = field(default_factory=dict)
    counted: list[tuple[m.Event, m.Event | None]] = field(default_factory=list)


@per_record
def company_money(c: m.Company) -> CompanyMoney:
    """What a company raised, had committed and saw sold, by kind of money (see LAB_CATEGORIES);
    shared by every caller (generator.derived): read it, never change it."""
    out = CompanyMoney()
    for e in sorted(c.events, key=lambda e: (e.date.order, e.id)):
        raised = e.amount_raised
        if raised is not None:
            if e.counted_in is not None:
                out.counted.append((e, c.event(e.counted_in)))
            else:
                for key, _, kinds in LAB_CATEGORIES:
                    if kinds is not None and e.kind in kinds:
                        out.totals.setdefault((key, raised.currency), Total()).add(raised, e)
        left = outstanding_of(c, e)
        if left is not None:
            out.totals.setdefault(("outstanding", left.currency), Total()).add(left, e)
    return out


def outstanding_of(c: m.Company, e: m.Event) -> Money | None:
    """What of an event's commitment is not known to be paid: the commitment less the money
    paid at once and the money paid under it later (None: nothing left, or no commitment)."""
    ceiling = e.amount_committed
    if ceiling is None:
        return None
    paid = [x.amount_raised for x in c.events if x.amount_raised is not None and
            x.amount_raised.currency == ceiling.currency and (x is e or x.paid_under == e.id)]
    return remaining(ceiling, paid)
