"""Cross-references between data files: ids used once, references that arrive, names that do not
look alike, dates not in the future, figures that add up, and sources nothing cites.

Each kind of data file has its check here (generator.kinds registers which); :func:`cross_check`
runs every kind's on the loaded dataset, through a :class:`Checker` that locates problems.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from . import model as m
from .dataset import Dataset
from .problems import Problems
from .reader import format_path
from .suggest import skeleton, suggest
from .values import Money


class Checker:
    """What a kind's cross-check reports through: problems located at a record's field, and
    references to other records that must arrive."""

    def __init__(self, ds: Dataset, problems: Problems, today: _dt.date,
                 as_of: _dt.date | None = None, max_age: int = 90):
        self.ds, self.problems, self.today = ds, problems, today
        self.as_of, self.max_age = as_of, max_age

    def err(self, folder: str, rid: str, path: tuple, msg: str, *, warning: bool = False,
            notice: bool = False) -> None:
        rel = self.ds.origin(folder, rid)
        line, col = self.ds.where(rel, path)
        report = self.problems.notify if notice else \
            self.problems.warn if warning else self.problems.error
        report(rel, msg, line=line, column=col, field=format_path(path))

    def ref(self, folder: str, rid: str, path: tuple, target_kind: str, target: str) -> None:
        """``target`` must be the id of a record of ``target_kind`` (or of a refused file of it,
        whose own problem is reported already)."""
        pool = self.ds.records[target_kind]
        if target not in pool and target not in self.ds.refused[target_kind]:
            noun = self.ds.kind(target_kind).singular
            self.err(folder, rid, path, f"unknown {noun} '{target}': there is no file "
                     f"data/{target_kind}/{target}.yaml{suggest(target, pool)}")

    def sources(self, folder: str, rid: str, path: tuple, sources: list[str]) -> None:
        for j, s in enumerate(sources):
            self.ref(folder, rid, path + (j,), "sources", s)


def cross_check(ds: Dataset, problems: Problems, today: _dt.date, *,
                as_of: _dt.date | None = None, max_age: int = 90) -> None:
    """Every kind's cross-check, on the records that were read and valid."""
    checker = Checker(ds, problems, today, as_of, max_age)
    for kind in ds.kinds:
        if kind.cross_check is not None:
            kind.cross_check(checker, ds.records[kind.folder])


# ---------------------------------------------------------------------------------------------
# The kinds' checks


def check_companies(c: Checker, companies: dict[str, Any]) -> None:
    by_skeleton: dict[str, str] = {}
    for cid, co in companies.items():
        key = skeleton(co.name)
        if key in by_skeleton:
            other = companies[by_skeleton[key]]
            c.err("companies", cid, ("name",), f"'{co.name}' looks the same as '{other.name}' in "
                  f"{c.ds.origin('companies', other.id)}; one company, one file")
        else:
            by_skeleton[key] = cid
        _check_freshness(c, co)
        ids: dict[str, int] = {}
        for i, e in enumerate(co.events):
            if e.id in ids:
                rel = c.ds.origin("companies", cid)
                first, second = c.ds.where(rel, ("events", ids[e.id], "id"))[0], \
                    c.ds.where(rel, ("events", i, "id"))[0]
                c.err("companies", cid, ("events", i, "id"), f"event id '{e.id}' is used twice "
                      f"in this company (lines {first} and {second}); give each event its own id")
            ids.setdefault(e.id, i)
            _check_event(c, co, i, e)
        check_counted_loops(c, co)
        for i, mt in enumerate(co.metrics):
            c.sources("companies", cid, ("metrics", i, "sources"), mt.sources)
            if mt.date.earliest > c.today:
                c.err("companies", cid, ("metrics", i, "date"), f"{mt.date} is in the future; a "
                      "metric is dated when the figure was reported")
        for i, r in enumerate(co.relationships):
            c.ref("companies", cid, ("relationships", i, "company"), "companies", r.company)
            if r.company == cid:
                c.err("companies", cid, ("relationships", i, "company"),
                      "a company cannot have a relationship with itself")
            c.sources("companies", cid, ("relationships", i, "sources"), r.sources)


def _check_freshness(c: Checker, co: m.Company) -> None:
    """last_checked is not in the future, and is a notice when older than the documented age
    before the build's date."""
    checked = co.last_checked.earliest
    if checked > c.today:
        c.err("companies", co.id, ("last_checked",), f"{co.last_checked} is in the future; give "
              "the day the record was last checked")
    elif c.as_of is not None and (c.as_of - checked).days > c.max_age:
        days = (c.as_of - checked).days
        c.err("companies", co.id, ("last_checked",), f"the record was last checked on "
              f"{co.last_checked}, {days} days before the build's date ({c.as_of.isoformat()}); "
              f"records are checked at least every {c.max_age} days: check that it is still "
              "current, then set last_checked to the day you did", notice=True)


def _check_event(c: Checker, co: m.Company, i: int, e: m.Event) -> None:
    cid = co.id
    c.sources("companies", cid, ("events", i, "sources"), e.sources)
    for j, alt in enumerate(e.alternatives):
        c.sources("companies", cid, ("events", i, "alternatives", j, "sources"), alt.sources)
    for j, inv in enumerate(e.investors):
        if inv.company:
            c.ref("companies", cid, ("events", i, "investors", j, "company"), "companies",
                  inv.company)
        if inv.counted_in is not None:
            _check_line_counted_in(c, co, i, j, e, inv)
    if e.counted_in is not None:
        _check_event_ref(c, co, ("events", i, "counted_in"), e, e.counted_in)
    if e.paid_under is not None:
        _check_paid_under(c, co, i, e)
    if e.status_confirmed is not None and e.status_confirmed.earliest > c.today:
        c.err("companies", cid, ("events", i, "status_confirmed"), f"{e.status_confirmed} is in "
              "the future; give the date of the latest source that confirms the status")
    if e.date.earliest > c.today:
        c.err("companies", cid, ("events", i, "date"), f"{e.date} is in the future; events "
              "record what already happened (talks and plans are events of their own, "
              "dated when they were reported)")
    if co.founded and e.date.latest < co.founded.earliest:
        c.err("companies", cid, ("events", i, "date"), f"{e.date} is before the company was "
              f"founded ({co.founded})")
    pre, raised, post = e.pre_money_valuation, e.amount_raised, e.valuation
    if pre and raised and post and e.valuation_basis == "post-money" and not any(
            x.qualifier or x.is_range for x in (pre, raised, post)):
        if pre.amount + raised.amount != post.amount:
            c.err("companies", cid, ("events", i, "valuation"),
                  f"pre-money {pre} plus amount raised {raised} is "
                  f"{Money(pre.amount + raised.amount, pre.currency)}, not {post}; fix one "
                  "figure, or explain the difference in note and remove the pre-money",
                  warning=True)


def _check_event_ref(c: Checker, co: m.Company, path: tuple, e: m.Event, target: str
                     ) -> m.Event | None:
    """``target`` must be another event of this company: the event, or None (reported)."""
    other = co.event(target)
    if other is not None and other is not e:
        return other
    if other is e:
        c.err("companies", co.id, path, f"'{target}' is this event itself; name another event "
              "of this company")
        return None
    elsewhere = sorted(cid for cid, x in c.ds.companies.items() if cid != co.id and x.event(target))
    other_ids = [x.id for x in co.events if x.id != e.id]
    hint = (f" ('{target}' is an event of {', '.join(elsewhere)}; money is counted within the "
            "events of one company)" if elsewhere else suggest(target, other_ids))
    c.err("companies", co.id, path, f"'{target}' is not another event of this company{hint}")
    return None


def _check_line_counted_in(c: Checker, co: m.Company, i: int, j: int, e: m.Event,
                           inv: m.Investor) -> None:
    path = ("events", i, "investors", j, "counted_in")
    other = _check_event_ref(c, co, path, e, inv.counted_in or "")
    if other is None:
        return
    who = inv.company or inv.name
    line = next((x for x in other.investors if (x.company or x.name) == who), None)
    if line is None:
        c.err("companies", co.id, path, f"'{other.id}' has no line for investor '{who}'; "
              "counted_in names the event whose line for the same investor holds this money")
    elif line.counted_in == e.id:
        c.err("companies", co.id, path, f"the line for '{who}' in '{other.id}' is counted in "
              f"this event, and this one in '{other.id}': keep the money in one of them")


def _check_paid_under(c: Checker, co: m.Company, i: int, e: m.Event) -> None:
    path = ("events", i, "paid_under")
    other = _check_event_ref(c, co, path, e, e.paid_under or "")
    if other is None:
        return
    if other.amount_committed is None:
        c.err("companies", co.id, path, f"'{other.id}' has no amount_committed; paid_under names "
              "the event whose commitment this money was paid under")
        return
    paid = [x.amount_raised for x in co.events if x.amount_raised is not None and
            (x is other or x.paid_under == other.id)]
    ceiling = other.amount_committed
    if any(x.currency != ceiling.currency or x.qualifier for x in paid) or ceiling.qualifier in (
            "more than", "at least"):
        return
    total = sum((x.amount for x in paid), Decimal(0))
    if total > ceiling.amount:
        c.err("companies", co.id, path, f"the money paid under '{other.id}' adds up to "
              f"{Money(total, ceiling.currency)}, more than its commitment ({ceiling}); check "
              "the amounts, or which commitment each payment belongs to")


def check_counted_loops(c: Checker, co: m.Company) -> None:
    """Events counted inside one another in a loop would each leave the other's money out."""
    for i, e in enumerate(co.events):
        if e.counted_in == e.id:
            continue  # reported as the event itself
        seen, at = [e.id], e
        while at.counted_in is not None and (nxt := co.event(at.counted_in)) is not None:
            if nxt.id == e.id:
                c.err("companies", co.id, ("events", i, "counted_in"), "counted_in makes a loop ("
                      + " → ".join(f"'{x}'" for x in seen + [e.id]) + "), so each event would "
                      "leave the other's money out; keep counted_in on the event whose money the "
                      "other holds")
                break
            if nxt.id in seen:
                break
            seen.append(nxt.id)
            at = nxt


def check_tables(c: Checker, tables: dict[str, Any]) -> None:
    for tid, t in tables.items():
        for i, row in enumerate(t.rows):
            c.sources("tables", tid, ("rows", i, "sources"), row.sources)
            if row.company:
                c.ref("tables", tid, ("rows", i, "company"), "companies", row.company)


def check_sources(c: Checker, sources: dict[str, Any]) -> None:
    for sid, s in sources.items():
        if s.published is not None and s.published.earliest > c.today:
            c.err("sources", sid, ("published",), f"{s.published} is in the future; give the "
                  "date the source was published")
        read, where = (s.read_via.accessed, ("read_via", "accessed")) if s.read_via else \
            (s.accessed, ("accessed",))
        if read.earliest > c.today:
            c.err("sources", sid, where, f"{read} is in the future; give the date the source "
                  "was read")


def check_glossary(c: Checker, terms: dict[str, Any]) -> None:
    seen: dict[str, str] = {}
    for gid, g in terms.items():
        key = skeleton(g.term)
        if key in seen:
            c.err("glossary", gid, ("term",), f"'{g.term}' is already defined in "
                  f"{c.ds.origin('glossary', seen[key])}; one term, one file")
        seen.setdefault(key, gid)
        for j, other in enumerate(g.see_also):
            c.ref("glossary", gid, ("see_also", j), "glossary", other)
        c.sources("glossary", gid, ("sources",), g.sources)


# ---------------------------------------------------------------------------------------------


def unused_sources(ds: Dataset, problems: Problems, cited_by_pages: set[str]) -> None:
    """Warn about source records nothing cites (data or articles). Skipped when any record was
    refused, since what it cites is unknown."""
    if any(ds.refused[k] for k in ds.refused if k != "sources"):
        return
    cited = set(ds.citing()) | cited_by_pages
    citers = [k.singular for k in ds.kinds if k.sources_cited is not None] + ["article"]
    what = ", ".join(citers[:-1]) + " or " + citers[-1]
    for sid in sorted(ds.sources):
        if sid not in cited:
            rel = ds.origin("sources", sid)
            line, col = ds.where(rel, ())
            problems.warn(rel, f"this source is not cited by any {what}; cite it or delete the "
                          "file", line=line, column=col)
