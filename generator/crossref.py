"""Cross-references between data files: ids used once, references that arrive, names that do not
look alike, dates not in the future, figures that add up, and sources nothing cites."""

from __future__ import annotations

import datetime as _dt

from . import model as m
from .dataset import Dataset
from .problems import Problems
from .reader import format_path
from .suggest import skeleton, suggest
from .values import Money


def cross_check(ds: Dataset, problems: Problems, today: _dt.date) -> None:
    def err(folder: str, rid: str, path: tuple, msg: str, *, warning: bool = False) -> None:
        rel = ds.origin(folder, rid)
        line, col = ds.where(rel, path)
        (problems.warn if warning else problems.error)(rel, msg, line=line, column=col,
                                                      field=format_path(path))

    def ref(folder: str, rid: str, path: tuple, target_kind: str, target: str) -> None:
        pool = ds.sources if target_kind == "sources" else ds.companies
        if target not in pool and target not in ds.refused[target_kind]:
            noun = m.KIND_SINGULAR[target_kind]
            err(folder, rid, path, f"unknown {noun} '{target}': there is no file "
                f"data/{target_kind}/{target}.yaml{suggest(target, pool)}")

    by_skeleton: dict[str, str] = {}
    for cid, c in ds.companies.items():
        key = skeleton(c.name)
        if key in by_skeleton:
            other = ds.companies[by_skeleton[key]]
            err("companies", cid, ("name",), f"'{c.name}' looks the same as '{other.name}' in "
                f"{ds.origin('companies', other.id)}; one company, one file")
        else:
            by_skeleton[key] = cid
        ids: dict[str, int] = {}
        for i, e in enumerate(c.events):
            if e.id in ids:
                rel = ds.origin("companies", cid)
                first, second = ds.where(rel, ("events", ids[e.id], "id"))[0], \
                    ds.where(rel, ("events", i, "id"))[0]
                err("companies", cid, ("events", i, "id"), f"event id '{e.id}' is used twice in "
                    f"this company (lines {first} and {second}); give each event its own id")
            ids.setdefault(e.id, i)
            for j, s in enumerate(e.sources):
                ref("companies", cid, ("events", i, "sources", j), "sources", s)
            for j, inv in enumerate(e.investors):
                if inv.company:
                    ref("companies", cid, ("events", i, "investors", j, "company"), "companies",
                        inv.company)
            if e.counted_in is not None:
                other_ids = [x.id for x in c.events if x.id != e.id]
                if e.counted_in not in other_ids:
                    err("companies", cid, ("events", i, "counted_in"), f"'{e.counted_in}' is not "
                        f"another event of this company{suggest(e.counted_in, other_ids)}")
            if e.date.earliest > today:
                err("companies", cid, ("events", i, "date"), f"{e.date} is in the future; events "
                    "record what already happened (talks and plans are events of their own, "
                    "dated when they were reported)")
            if c.founded and e.date.latest < c.founded.earliest:
                err("companies", cid, ("events", i, "date"), f"{e.date} is before the company was "
                    f"founded ({c.founded})")
            pre, raised, post = e.pre_money_valuation, e.amount_raised, e.post_money_valuation
            if pre and raised and post and not (pre.qualifier or raised.qualifier or
                                                post.qualifier):
                if pre.amount + raised.amount != post.amount:
                    err("companies", cid, ("events", i, "post_money_valuation"),
                        f"pre-money {pre} plus amount raised {raised} is "
                        f"{Money(pre.amount + raised.amount, pre.currency)}, not {post}; fix one "
                        "figure, or explain the difference in note and remove the pre-money",
                        warning=True)
        for i, mt in enumerate(c.metrics):
            for j, s in enumerate(mt.sources):
                ref("companies", cid, ("metrics", i, "sources", j), "sources", s)
            if mt.date.earliest > today:
                err("companies", cid, ("metrics", i, "date"), f"{mt.date} is in the future; a "
                    "metric is dated when the figure was reported")
        for i, r in enumerate(c.relationships):
            ref("companies", cid, ("relationships", i, "company"), "companies", r.company)
            if r.company == cid:
                err("companies", cid, ("relationships", i, "company"),
                    "a company cannot have a relationship with itself")
            for j, s in enumerate(r.sources):
                ref("companies", cid, ("relationships", i, "sources", j), "sources", s)
    for tid, t in ds.tables.items():
        for i, row in enumerate(t.rows):
            for j, s in enumerate(row.sources):
                ref("tables", tid, ("rows", i, "sources", j), "sources", s)
            if row.company:
                ref("tables", tid, ("rows", i, "company"), "companies", row.company)
    for sid, s in ds.sources.items():
        if s.published is not None and s.published.earliest > today:
            err("sources", sid, ("published",), f"{s.published} is in the future; give the date "
                "the source was published")
        if s.accessed.earliest > today:
            err("sources", sid, ("accessed",), f"{s.accessed} is in the future; give the date the "
                "source was read")
    terms: dict[str, str] = {}
    for gid, g in ds.glossary.items():
        key = skeleton(g.term)
        if key in terms:
            err("glossary", gid, ("term",), f"'{g.term}' is already defined in "
                f"{ds.origin('glossary', terms[key])}; one term, one file")
        terms.setdefault(key, gid)
        for j, other in enumerate(g.see_also):
            if other not in ds.glossary and other not in ds.refused["glossary"]:
                err("glossary", gid, ("see_also", j), f"unknown glossary term '{other}': there is "
                    f"no file data/glossary/{other}.yaml{suggest(other, ds.glossary)}")
        for j, s in enumerate(g.sources):
            ref("glossary", gid, ("sources", j), "sources", s)


def unused_sources(ds: Dataset, problems: Problems, cited_by_pages: set[str]) -> None:
    """Warn about source records nothing cites (data or articles). Skipped when any record was
    refused, since what it cites is unknown."""
    if any(ds.refused[k] for k in ds.refused if k != "sources"):
        return
    cited = set(ds.citing()) | cited_by_pages
    for sid in sorted(ds.sources):
        if sid not in cited:
            rel = ds.origin("sources", sid)
            line, col = ds.where(rel, ())
            problems.warn(rel, "this source is not cited by any company, table, glossary term or "
                          "article; cite it or delete the file", line=line, column=col)
