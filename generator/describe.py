"""What a change to one record means, in plain words: one line per change, for ``./ledger diff``.

Amounts are compared by value, not by how they were written ('USD 1000 million' and 'USD 1 billion'
are the same figure), and shown with :meth:`Money.display`. Every text from the data is one
printable line (:func:`clean`), so that nothing in the data acts on the terminal or the job
summary. Each kind of data file describes its records here (generator.kinds registers which).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Iterable, Iterator

from . import model as m
from .escape import escape_unseen
from .facts import in_sentence
from .values import Money, PartialDate


def clean(text: str, limit: int = 120) -> str:
    """One printable line: breaks become spaces, and every control, format or invisible character
    is shown as an escape (as in the check's report), so that nothing in the data acts on the
    terminal or the job summary; long text is cut."""
    text = re.sub(r"\s*\n\s*", " ", str(text))
    text = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return escape_unseen(text)


def q(text: Any) -> str:
    return f"'{clean(text)}'"


def show(value: Any) -> str:
    """A value as a reader would say it."""
    if value is None:
        return "nothing"
    if isinstance(value, Money):
        return value.display()
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        s = f"{value:f}"
        return s.rstrip("0").rstrip(".") if "." in s else s
    if isinstance(value, int):
        return f"{value:,}"
    return q(value)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def kind_words(kind: str) -> str:
    label = m.EVENT_KIND_LABEL.get(kind, kind)
    return label if label.startswith("IPO") else label[:1].lower() + label[1:]


FIELD_WORDS = {
    "amount_raised": "amount raised", "amount_committed": "amount committed",
    "pre_money_valuation": "pre-money", "valuation": "valuation", "round": "round name",
    "date": "date", "kind": "kind", "status": "status", "note": "note", "since": "since",
    "value": "value", "name": "name", "founded": "founded", "headquarters": "headquarters",
    "website": "website", "summary": "summary", "ticker": "ticker", "publisher": "publisher",
    "title": "title", "url": "address", "published": "published", "accessed": "accessed",
    "description": "description", "label": "label", "company": "company", "unit": "unit",
    "currency": "currency", "type": "type", "required": "required", "role": "role",
    "last_checked": "last checked", "status_confirmed": "status last confirmed", "tier": "tier",
    "syndicated_from": "story carried from",
}
AMOUNTS = (("amount_raised", "raised"), ("amount_committed", "committed"),
           ("pre_money_valuation", "pre-money"))


def valuation_words(basis: str | None) -> str:
    """How the diff names a valuation: 'post-money', 'pre-money', or 'valuation (deal value)'."""
    if basis in ("post-money", "pre-money"):
        return basis
    label = m.BASIS_LABEL[basis][0] if basis else "basis not given"
    return f"valuation ({in_sentence(label)})"


def _basis_shown(basis: Any) -> str:
    return in_sentence(m.BASIS_LABEL[basis][0]) if basis in m.BASIS_LABEL else str(basis)


def field_change(prefix: str, what: str, old: Any, new: Any, shown=show) -> str | None:
    """'<prefix>: <what> changed from A to B' (or added / removed); None when equal."""
    if old == new:
        return None
    if old is None:
        return f"{prefix}: {what} added: {shown(new)}"
    if new is None:
        return f"{prefix}: {what} removed (was {shown(old)})"
    return f"{prefix}: {what} changed from {shown(old)} to {shown(new)}"


def link_change(subject: str, verb: str, old: str | None, new: str | None) -> str | None:
    """'<subject> is now counted in 'x'' (or no longer, or now in 'y', was 'x'); None when equal."""
    if old == new:
        return None
    if new is None:
        return f"{subject} is no longer {verb} another event (was {q(old)})"
    return f"{subject} is now {verb} {q(new)}" + (f" (was {q(old)})" if old else "")


def text_change(prefix: str, what: str, old: str | None, new: str | None) -> str | None:
    """Long text: say that it changed and show the new text (shortened)."""
    if old == new:
        return None
    if old is None:
        return f"{prefix}: {what} added: \"{clean(new)}\""
    if new is None:
        return f"{prefix}: {what} removed"
    return f"{prefix}: {what} changed to \"{clean(new)}\""


def list_change(prefix: str, what: str, old: Iterable[str], new: Iterable[str]) -> str | None:
    old, new = list(old), list(new)
    added = [x for x in new if x not in old]
    removed = [x for x in old if x not in new]
    if not added and not removed:
        return None
    bits = []
    if added:
        bits.append("added " + ", ".join(q(x) for x in added))
    if removed:
        bits.append("removed " + ", ".join(q(x) for x in removed))
    return f"{prefix}: {what}: {'; '.join(bits)}"


def sourced_tail(rec: m.Sourced) -> str:
    return f"{rec.status}, {plural(len(rec.sources), 'source')}"


def sourced_changes(prefix: str, of: str, old: m.Sourced, new: m.Sourced) -> list[str]:
    out = [field_change(prefix, f"status of {of}", old.status, new.status, shown=str),
           list_change(prefix, f"sources of {of}", old.sources, new.sources),
           text_change(prefix, f"note of {of}", old.note, new.note)]
    return [x for x in out if x]


# ---------------------------------------------------------------------------------------------
# Companies


def _event_ref(e: m.Event, events: list[m.Event]) -> str:
    """How a line names an event: its round name, else its date; plus its id when that is shared."""
    if e.round:
        ref = q(e.round)
        same = [x for x in events if x.round == e.round]
    else:
        ref = str(e.date)
        same = [x for x in events if not x.round and x.date == e.date]
    return ref if len(same) <= 1 else f"{ref} (event '{e.id}')"


def _event_title(e: m.Event) -> str:
    """"round 'Series H'" for primary rounds, "event 'Google investment'" for other kinds; the id
    when the event has no round name."""
    return f"{'round' if e.kind == 'primary-round' else 'event'} {q(e.round or e.id)}"


def _event_name(e: m.Event) -> str:
    return f"{_event_title(e)} ({kind_words(e.kind)}, {e.date})"


def _investor_key(inv: m.Investor) -> str:
    return inv.company or inv.name or ""


def _investor_text(inv: m.Investor) -> str:
    extra = [x for x in (inv.role if inv.role != "participant" else "",
                         f"paid {inv.amount.display()}" if inv.amount else "",
                         f"committed {inv.committed.display()}" if inv.committed else "",
                         f"counted in {q(inv.counted_in)}" if inv.counted_in else "") if x]
    return q(_investor_key(inv)) + (f" ({', '.join(extra)})" if extra else "")


def _alternative_text(a: m.Alternative) -> str:
    basis = f" ({_basis_shown(a.valuation_basis)})" if a.valuation_basis else ""
    status = f", {a.status}" if a.status else ""
    return f"{a.value.display()}{basis}{status}, {plural(len(a.sources), 'source')}"


def _alternative_changes(cid: str, ref: str, old: m.Event, new: m.Event) -> list[str]:
    """Other reports' figures, compared by field and figure."""
    def keyed(e: m.Event) -> dict[tuple, m.Alternative]:
        return {(a.field, str(a.value), a.valuation_basis): a for a in e.alternatives}

    o, n = keyed(old), keyed(new)
    out = []
    for k, a in o.items():
        if k not in n:
            out.append(f"{cid}: alternative {FIELD_WORDS[a.field]} of {ref} removed (was "
                       f"{_alternative_text(a)})")
    for k, a in n.items():
        if k not in o:
            out.append(f"{cid}: alternative {FIELD_WORDS[a.field]} of {ref} added: "
                       f"{_alternative_text(a)}")
        elif o[k] != a:
            of = f"the alternative {FIELD_WORDS[a.field]} {a.value.display()} of {ref}"
            out += [x for x in (
                field_change(cid, f"status of {of}", o[k].status, a.status,
                             shown=lambda v: v or "the event's"),
                list_change(cid, f"sources of {of}", o[k].sources, a.sources),
                text_change(cid, f"note of {of}", o[k].note, a.note)) if x]
    return out


def new_event_line(cid: str, e: m.Event) -> str:
    bits = [f"{cid}: new {_event_name(e)}"]
    for fld, words in AMOUNTS:
        v = getattr(e, fld)
        if v is not None:
            bits.append(f"{words} {v.display()}")
    if e.valuation is not None:
        bits.append(f"{valuation_words(e.valuation_basis)} {e.valuation.display()}")
    for fld, words in (("counted_in", "counted in"), ("paid_under", "paid under")):
        if getattr(e, fld):
            bits.append(f"{words} {q(getattr(e, fld))}")
    if e.alternatives:
        bits.append(plural(len(e.alternatives), "alternative figure"))
    if e.investors:
        lead = [q(_investor_key(i)) for i in e.investors if i.role in ("lead", "co-lead")]
        who = ", ".join(lead[:3]) + (f" and {len(lead) - 3} more" if len(lead) > 3 else "")
        bits.append(plural(len(e.investors), "investor") + (f" led by {who}" if who else ""))
    bits.append(sourced_tail(e))
    return ", ".join(bits)


def event_changes(cid: str, old: m.Event, new: m.Event, new_all: list[m.Event]) -> list[str]:
    out: list[str | None] = []
    ref = _event_ref(new, new_all)
    if old.date != new.date:
        out.append(f"{cid}: date of {_event_title(new)} changed from {old.date} to {new.date}")
    if old.round != new.round:
        out.append(field_change(cid, f"round name of event {q(new.id)} ({new.date})", old.round,
                                new.round))
    out.append(field_change(cid, f"kind of {ref}", old.kind, new.kind, shown=kind_words))
    for fld, _ in AMOUNTS:
        out.append(field_change(cid, f"{FIELD_WORDS[fld]} of {ref}", getattr(old, fld),
                                getattr(new, fld)))
    out.append(field_change(cid, f"{valuation_words(new.valuation_basis or old.valuation_basis)} "
                            f"of {ref}", old.valuation, new.valuation))
    out.append(field_change(cid, f"basis of the valuation of {ref}", old.valuation_basis,
                            new.valuation_basis, shown=_basis_shown))
    out.append(link_change(f"{cid}: {ref}", "counted in", old.counted_in, new.counted_in))
    out.append(link_change(f"{cid}: {ref}", "paid under", old.paid_under, new.paid_under))
    out += _alternative_changes(cid, ref, old, new)
    out.append(field_change(cid, f"{FIELD_WORDS['status_confirmed']} of {ref}",
                            old.status_confirmed, new.status_confirmed))
    out += sourced_changes(cid, ref, old, new)
    o_inv = {_investor_key(i): i for i in old.investors}
    n_inv = {_investor_key(i): i for i in new.investors}
    added = [_investor_text(i) for k, i in n_inv.items() if k not in o_inv]
    removed = [_investor_text(i) for k, i in o_inv.items() if k not in n_inv]
    if added or removed:
        bits = (["added " + ", ".join(added)] if added else []) + \
            (["removed " + ", ".join(removed)] if removed else [])
        out.append(f"{cid}: investors of {ref}: {'; '.join(bits)}")
    for k, i in n_inv.items():
        if k in o_inv and o_inv[k] != i:
            was = o_inv[k]
            out.append(field_change(cid, f"role of investor {q(k)} in {ref}", was.role, i.role,
                                    shown=str))
            out.append(field_change(cid, f"amount paid by investor {q(k)} in {ref}", was.amount,
                                    i.amount))
            out.append(field_change(cid, f"amount committed by investor {q(k)} in {ref}",
                                    was.committed, i.committed))
            out.append(link_change(f"{cid}: the money of investor {q(k)} in {ref}", "counted in",
                                   was.counted_in, i.counted_in))
    return [x for x in out if x]


METRIC_WORDS = {"run-rate-revenue": "run-rate revenue", "recognised-revenue": "recognised revenue"}


def _metric_words(mt: m.Metric) -> str:
    return f"{METRIC_WORDS.get(mt.kind, mt.kind)} of {mt.date}"


def _rel_words(r: m.Relationship) -> str:
    return f"{r.company} as {m.ROLE_LABEL[r.role][0][:1].lower()}{m.ROLE_LABEL[r.role][0][1:]}"


def _keyed(items: Iterable[Any], key) -> dict[Any, Any]:
    """Records by key; a repeated key gets a running number so that nothing is lost."""
    out: dict[Any, Any] = {}
    for item in items:
        k, n = key(item), 1
        while (k, n) in out:
            n += 1
        out[(k, n)] = item
    return out


def _pairs(old: Iterable[Any], new: Iterable[Any], key) -> Iterator[tuple[Any, Any]]:
    """Old and new records matched by ``key``, in the order the diff tells them: each removed
    one as (old, None), then the new list's order, (None, new) for an added record and
    (old, new) for one that is in both and differs."""
    was, now = _keyed(old, key), _keyed(new, key)
    yield from ((x, None) for k, x in was.items() if k not in now)
    yield from ((was.get(k), x) for k, x in now.items() if was.get(k) != x)


def company_lines(cid: str, old: m.Company | None, new: m.Company | None) -> list[str]:
    if new is None:
        assert old is not None
        return [f"{cid}: company {q(old.name)} removed (it had {plural(len(old.events), 'event')}, "
                f"{plural(len(old.metrics), 'metric')} and "
                f"{plural(len(old.relationships), 'relationship')})"]
    out: list[str | None] = []
    if old is None:
        out.append(f"{cid}: new company {q(new.name)} ({m.KIND_LABEL[new.kind]})")
        old = m.Company.model_construct(id=cid, name=new.name, kind=new.kind, founded=new.founded,
                                        headquarters=new.headquarters, website=new.website,
                                        summary=new.summary, ticker=new.ticker,
                                        last_checked=new.last_checked, events=[], metrics=[],
                                        relationships=[])
    else:
        out.append(field_change(cid, "name", old.name, new.name))
        out.append(field_change(cid, "kind", old.kind, new.kind,
                                shown=lambda k: m.KIND_LABEL.get(k, k)))
        for fld in ("founded", "headquarters", "website", "ticker", "last_checked"):
            out.append(field_change(cid, FIELD_WORDS[fld], getattr(old, fld), getattr(new, fld)))
        out.append(text_change(cid, "summary", old.summary, new.summary))
    for was, e in _pairs(old.events, new.events, lambda x: x.id):  # events, by id
        if e is None:
            out.append(f"{cid}: removed {_event_name(was)}")
        elif was is None:
            out.append(new_event_line(cid, e))
        else:
            out += event_changes(cid, was, e, new.events)
    # metrics, by kind and date
    for was, mt in _pairs(old.metrics, new.metrics, lambda x: (x.kind, str(x.date))):
        if mt is None:
            out.append(f"{cid}: removed metric {_metric_words(was)} (was {was.value.display()})")
        elif was is None:
            out.append(f"{cid}: new metric {_metric_words(mt)}: {mt.value.display()}, "
                       f"{sourced_tail(mt)}")
        else:
            out.append(field_change(cid, _metric_words(mt), was.value, mt.value))
            out += sourced_changes(cid, _metric_words(mt), was, mt)
    # relationships, by the other company and its role
    for was, r in _pairs(old.relationships, new.relationships, lambda x: (x.company, x.role)):
        if r is None:
            out.append(f"{cid}: removed relationship: {_rel_words(was)}")
        elif was is None:
            bits = [f"{cid}: new relationship: {_rel_words(r)}"]
            if r.since:
                bits.append(f"since {r.since}")
            if r.amount_committed:
                bits.append(f"committed {r.amount_committed.display()}")
            bits.append(sourced_tail(r))
            out.append(", ".join(bits))
        else:
            of = f"relationship {_rel_words(r)}"
            out.append(field_change(cid, f"start date of {of}", was.since, r.since))
            out.append(field_change(cid, f"amount committed of {of}", was.amount_committed,
                                    r.amount_committed))
            out += sourced_changes(cid, of, was, r)
    return [x for x in out if x]


# ---------------------------------------------------------------------------------------------
# Tables and sources


def _cell(col: m.Column | None, value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, Money):
        return value.display()
    if col is not None and col.type == "year":
        return str(value)
    if col is not None and col.type == "text":
        return q(value)
    text = show(value)
    return f"{text} {clean(col.unit)}" if col is not None and col.unit else text


def table_lines(tid: str, old: m.Table | None, new: m.Table | None) -> list[str]:
    p = f"table {q(tid)}"
    if new is None:
        assert old is not None
        return [f"removed table {q(tid)} (\"{clean(old.title)}\", {plural(len(old.rows), 'row')})"]
    out: list[str | None] = []
    if old is None:
        out.append(f"new table {q(tid)}: \"{clean(new.title)}\", "
                   f"{plural(len(new.columns), 'column')}, {plural(len(new.rows), 'row')}")
        return [x for x in out if x]
    out.append(text_change(p, "title", old.title, new.title))
    out.append(text_change(p, "description", old.description, new.description))
    for was_c, c in _pairs(old.columns, new.columns, lambda x: x.id):
        if c is None:
            out.append(f"{p}: removed column {q(was_c.id)} ({clean(was_c.label)})")
        elif was_c is None:
            unit = f" in {c.currency or c.unit}" if (c.currency or c.unit) else ""
            out.append(f"{p}: new column {q(c.id)} ({clean(c.label)}, {c.type}{unit})")
        else:
            for fld in ("label", "type", "unit", "currency", "required"):
                out.append(field_change(p, f"{fld} of column {q(c.id)}", getattr(was_c, fld),
                                        getattr(c, fld)))
    o_col = {c.id: c for c in old.columns}
    n_col = {c.id: c for c in new.columns}
    for was, r in _pairs(old.rows, new.rows, lambda x: x.id):
        if r is None:
            out.append(f"{p}: removed row {q(was.id)} ({clean(was.label)})")
        elif was is None:
            cells = [f"{clean(n_col[k].label)} {_cell(n_col[k], v)}" for k, v in r.values.items()
                     if k in n_col and v is not None]
            out.append(f"{p}: new row {q(r.id)} ({clean(r.label)}): {'; '.join(cells)}; "
                       f"{sourced_tail(r)}")
        else:
            of = f"row {q(r.label)}"
            out.append(field_change(p, f"label of row {q(r.id)}", was.label, r.label))
            out.append(field_change(p, f"company of {of}", was.company, r.company))
            for k in list(n_col) + [k for k in was.values if k not in n_col]:
                col = n_col.get(k) or o_col.get(k)
                label = clean(col.label) if col else k
                out.append(field_change(p, f"{label} of {of}", was.values.get(k), r.values.get(k),
                                        shown=lambda v, col=col: _cell(col, v)))
            out += sourced_changes(p, of, was, r)
    return [x for x in out if x]


def _read_via_words(v: m.ReadVia | None) -> str:
    if v is None:
        return "nothing"
    return f"a {v.kind} at {q(v.publisher)} ({clean(v.url)}, read {v.accessed})"


def source_lines(sid: str, old: m.Source | None, new: m.Source | None) -> list[str]:
    if new is None:
        assert old is not None
        return [f"removed source {q(sid)} ({clean(old.publisher)}, \"{clean(old.title)}\")"]
    if old is None:
        tail = ""
        if new.read_via is not None:
            tail += f", read via {_read_via_words(new.read_via)}"
        if new.exact_url_unknown:
            tail += " (exact address not known)"
        elif not new.url_verified:
            tail += " (address not verified)"
        return [f"new source {q(sid)}: {clean(new.publisher)}, \"{clean(new.title)}\", published "
                f"{new.published or 'undated'}, {new.tier}{tail}"]
    p = f"source {q(sid)}"
    out = [field_change(p, "publisher", old.publisher, new.publisher),
           field_change(p, FIELD_WORDS["syndicated_from"], old.syndicated_from,
                        new.syndicated_from),
           text_change(p, "title", old.title, new.title),
           field_change(p, "address", old.url, new.url),
           field_change(p, "published", old.published, new.published),
           field_change(p, "accessed", old.accessed, new.accessed),
           field_change(p, "tier", old.tier, new.tier, shown=str)]
    if old.read_via != new.read_via:
        out.append(f"{p}: page read changed from {_read_via_words(old.read_via)} to "
                   f"{_read_via_words(new.read_via)}")
    if old.url_verified != new.url_verified:
        out.append(f"{p}: address is now {'verified' if new.url_verified else 'not verified'}")
    if old.exact_url_unknown != new.exact_url_unknown:
        out.append(f"{p}: exact address is now "
                   f"{'marked not known' if new.exact_url_unknown else 'given'}")
    out.append(text_change(p, "note", old.note, new.note))
    return [x for x in out if x]


# ---------------------------------------------------------------------------------------------
# Glossary terms


def term_lines(gid: str, old: m.Term | None, new: m.Term | None) -> list[str]:
    if new is None:
        assert old is not None
        return [f"removed glossary term {q(gid)} ({q(old.term)})"]
    if old is None:
        return [f"new glossary term {q(gid)}: {q(new.term)}, \"{clean(new.definition)}\""]
    p = f"glossary term {q(gid)}"
    out = [field_change(p, "term", old.term, new.term),
           text_change(p, "definition", old.definition, new.definition),
           list_change(p, "see also", old.see_also, new.see_also),
           list_change(p, "sources", old.sources, new.sources)]
    return [x for x in out if x]
