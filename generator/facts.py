"""Facts computed from the data that pages and charts both state: a company's valuation marks and
latest deal, the company it now belongs to, relationships seen from both sides, the weakest status,
whether a figure rests on secondary sources only, and the latest event and check.

Pure queries over records; no markup.
"""

from __future__ import annotations

from typing import Any, Iterable

from . import model as m
from .derived import per_record

# the order of trust, strongest first
STATUSES = ("confirmed", "reported", "rumored", "unverified")
# valuations that are not prices of a deal
NOT_DEALS = ("offer-declined", "target")


@per_record
def valuation_marks(c: m.Company) -> tuple[m.Event, ...]:
    """The company's events with a valuation, of any basis, oldest first."""
    return tuple(sorted((e for e in c.events if e.valuation), key=lambda e: e.date.order))


def marks_of(c: m.Company, basis: str) -> list[m.Event]:
    """The company's valuations of one basis ('post-money', …), oldest first."""
    return [e for e in valuation_marks(c) if e.valuation_basis == basis]


def is_deal(e: m.Event) -> bool:
    """Whether the event's valuation is the price of a deal (not talks, a target or a declined
    offer)."""
    return e.valuation_basis not in NOT_DEALS


def latest_mark(c: m.Company, statuses: tuple[str, ...] = ("confirmed", "reported"),
                basis: str | None = None) -> m.Event | None:
    """The newest valuation set by a deal, confirmed or reported (of one basis, if given)."""
    if statuses == ("confirmed", "reported") and basis is None:
        return _latest_deal(c)
    return _latest(c, statuses, basis)


@per_record
def _latest_deal(c: m.Company) -> m.Event | None:
    return _latest(c, ("confirmed", "reported"), None)


def _latest(c: m.Company, statuses: tuple[str, ...], basis: str | None) -> m.Event | None:
    marks = [e for e in valuation_marks(c) if e.status in statuses and is_deal(e)
             and (basis is None or e.valuation_basis == basis)]
    return marks[-1] if marks else None


def basis_label(e: m.Event) -> str:
    """'Post-money', 'IPO price', …: the short name of the kind of price a valuation is."""
    return m.BASIS_LABEL[e.valuation_basis][0] if e.valuation_basis else ""


def event_title(e: m.Event) -> str:
    """'Series H (primary round)', or the kind of event alone when it has no round name: the
    kind is named once ('SoftBank tender offer', not 'SoftBank tender offer (tender offer)')."""
    kind = m.EVENT_KIND_LABEL[e.kind]
    if not e.round:
        return kind
    if kind.casefold() in e.round.casefold():
        return e.round
    return f"{e.round} ({kind_words(e.kind)})"


def kind_words(kind: str) -> str:
    """The kind of an event inside a sentence: 'primary round', 'IPO filing'."""
    return in_sentence(m.EVENT_KIND_LABEL.get(kind, kind))


def in_sentence(label: str) -> str:
    """A label inside a sentence: its first letter in lower case, unless it starts an acronym
    ('Post-money' → 'post-money', 'IPO filing' stays)."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def event_name(e: m.Event) -> str:
    """'Series H', or the kind of event when it has no round name."""
    return e.round or m.EVENT_KIND_LABEL[e.kind]


def parent_of(companies: dict[str, m.Company], c: m.Company) -> m.Company | None:
    """The company this one now belongs to (a confirmed parent or acquirer), if any: its own
    marks are history, and comparisons of latest valuations leave it out."""
    for r in c.relationships:
        if r.role in ("parent", "acquirer") and r.status == "confirmed" and r.company in companies:
            return companies[r.company]
    return None


def incoming_relations(companies: dict[str, m.Company]
                       ) -> dict[str, list[tuple[m.Company, m.Relationship]]]:
    """What other files declare about each company, by its id: (declaring company, relationship),
    declaring companies by name. Built once per render, so that profiles stay linear in number."""
    out: dict[str, list[tuple[m.Company, m.Relationship]]] = {}
    for other in sorted(companies.values(), key=lambda x: x.name.casefold()):
        for r in other.relationships:
            out.setdefault(r.company, []).append((other, r))
    return out


def relations(companies: dict[str, m.Company], c: m.Company,
              incoming: dict[str, list[tuple[m.Company, m.Relationship]]]) -> list[dict[str, Any]]:
    """Both directions: what this file declares, and what other files declare about it."""
    out = []
    for r in c.relationships:
        out.append({"company": companies[r.company], "label": m.ROLE_LABEL[r.role][0], "rel": r,
                    "amount_is": amount_is(companies, c, r)})
    for other, r in incoming.get(c.id, ()):
        out.append({"company": other, "label": m.ROLE_LABEL[r.role][1], "rel": r,
                    "amount_is": amount_is(companies, other, r)})
    return out


def amount_is(companies: dict[str, m.Company], declarer: m.Company, r: m.Relationship) -> str:
    """Whose money a relationship's amount is: an investor's commitment, or a spending
    commitment by the customer (the declaring company, unless the other is the customer)."""
    other = companies[r.company].name if r.company in companies else r.company
    if r.role == "investor":
        return f"investment committed by {other}"
    if r.role in ("cloud-provider", "chip-supplier"):
        return f"to be spent by {declarer.name}"
    if r.role == "compute-customer":
        return f"to be spent by {other}"
    return ""


def chart_gap(c: m.Company) -> str:
    """Why a company with valuations has no valuation chart ('' when it has one, or none at all):
    a chart needs two or more valuations in one currency."""
    marks = valuation_marks(c)
    if not marks:
        return ""
    by_currency: dict[str, int] = {}
    for e in marks:
        by_currency[e.valuation.currency] = by_currency.get(e.valuation.currency, 0) + 1
    if max(by_currency.values()) >= 2:
        return ""
    if len(marks) == 1:
        e = marks[0]
        return (f"No valuation chart: a chart needs two or more valuations, and {c.name} has one, "
                f"the {e.basis_words()} of its {event_name(e)} ({e.date.display()}).")
    return (f"No valuation chart: its {len(marks)} valuations are each in a different currency, "
            "and they are not converted.")


def weakest(statuses: Iterable[str]) -> str:
    """The least certain of some statuses (confirmed when there are none)."""
    return max(statuses, key=STATUSES.index, default="confirmed")


def dedup(items: Iterable[str]) -> list[str]:
    """First occurrences, in order (linear, not quadratic)."""
    return list(dict.fromkeys(items))


def sources_of(items: Iterable[Any]) -> list[str]:
    """The sources cited by some records, each once, in order of first citation."""
    return dedup(s for e in items for s in e.sources)


def secondary_only(sources: dict[str, m.Source], cited: Iterable[str]) -> bool:
    """Whether what cites ``cited`` rests on secondary sources only: none of them is a primary
    document or a news organisation's own page that was read (Source.first_hand)."""
    known = [sources[s] for s in cited if s in sources]
    return bool(known) and not any(s.first_hand for s in known)


def latest_event(companies: Iterable[m.Company]) -> m.Event | None:
    """The most recent event of some companies (the first of a day, by company and event id)."""
    events = [(e.date, c.id, e.id, e) for c in companies for e in c.events]
    return max(events, key=lambda x: (x[0], x[1], x[2]))[3] if events else None


def latest_check(companies: Iterable[m.Company]) -> Any:
    """The latest day a company record was checked (None without companies)."""
    return max((c.last_checked for c in companies), default=None)
