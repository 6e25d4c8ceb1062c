"""A synthetic but realistic project of N companies for the benchmark: about 8 funding events, 3
relationships, 4 source records and one profile chart each, a metric for the labs, a table, a
glossary and a few articles whose figures are bound to the data, with the project's own
templates, theme overrides, stylesheets and mkdocs.yml; and the edit a contributor makes to it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------------
# The synthetic project

SYLLABLES = ["ar", "bel", "cor", "dan", "el", "fen", "gal", "hal", "ion", "jor", "kel", "lum",
             "mar", "nov", "or", "pel", "quin", "ros", "sol", "tar", "ul", "ven", "wex", "xan",
             "yor", "zen", "ast", "bri", "cal", "dex"]
SUFFIX = {"ai-lab": ["AI", "Labs", "Intelligence", "Research", "Systems", "Robotics"],
          "investor": ["Capital", "Ventures", "Partners"],
          "cloud-provider": ["Cloud", "Compute", "Datacenters"],
          "chipmaker": ["Semiconductor", "Silicon", "Chips"],
          "technology-company": ["Technologies", "Software", "Networks"]}
KIND_MIX = ["ai-lab"] * 12 + ["investor"] * 3 + ["cloud-provider"] * 2 + ["chipmaker"] * 1 + \
           ["technology-company"] * 2
CITIES = ["San Francisco, California, US", "London, UK", "Paris, France", "Toronto, Canada",
          "Berlin, Germany", "Tel Aviv, Israel", "Seoul, South Korea", "Bangalore, India",
          "Zurich, Switzerland", "Austin, Texas, US", "New York, US", "Singapore"]
PUBLISHERS = ["The Daily Ledger", "Markets Wire", "Tech Chronicle", "Capital Journal",
              "Venture Report", "Silicon Post"]
STATUSES_MIX = ["confirmed"] * 5 + ["reported"] * 3 + ["rumored"] + ["unverified"]
ROUNDS = ["Seed", "Series A", "Series B", "Series C", "Series D", "Series E", "Series F"]
GLOSSARY = [
    ("post-money-valuation", "Post-money valuation",
     "The value of a company implied by a funding round, counting the new money.",
     ["pre-money-valuation"]),
    ("pre-money-valuation", "Pre-money valuation",
     "The value of a company implied by a funding round, before the new money.",
     ["post-money-valuation"]),
    ("seed-round", "Seed round", "A company's first priced round, usually small.", ["funding-series"]),
    ("funding-series", "Funding series",
     "Rounds named in order (Series A, B, C), each usually larger than the last.", ["seed-round"]),
    ("tender-offer", "Tender offer",
     "An offer to buy existing shares from employees and early investors at a set price.", []),
    ("strategic-investment", "Strategic investment",
     "Money from a company that also does business with the one it invests in.", []),
    ("run-rate-revenue", "Run-rate revenue",
     "Revenue of a recent period scaled up to a year; not revenue recognised in accounts.", []),
    ("reported-talks", "Reported talks",
     "Negotiations reported by outlets before any deal was agreed.", []),
]


def _money(amount: float) -> str:
    """A positive amount in US dollars in the data's notation ('USD 1.5 billion')."""
    for word, exp in (("billion", 9), ("million", 6)):
        if amount >= 10 ** exp:
            v = amount / 10 ** exp
            text = f"{v:.0f}" if v >= 100 else f"{v:.1f}".rstrip("0").rstrip(".")
            return f"USD {text} {word}"
    return f"USD {amount:.0f}"


def _month(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


class _Names:
    def __init__(self, rng):
        self.rng, self.seen = rng, set()

    def make(self, kind: str) -> tuple[str, str]:
        while True:
            n = self.rng.choice((2, 2, 3))
            stem = "".join(self.rng.choice(SYLLABLES) for _ in range(n)).capitalize()
            name = f"{stem} {self.rng.choice(SUFFIX[kind])}"
            key = stem.lower()
            if key in self.seen:
                continue
            self.seen.add(key)
            return name, name.lower().replace(" ", "-")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar


def synthetic_project(dest: Path, n: int, *, repo: Path | None = None, seed: int = 8,
                      articles: int | None = None) -> dict:
    """Write a project of ``n`` synthetic companies into ``dest`` (with the repo's templates/,
    overrides/, site_src/assets/ and mkdocs.yml) and return facts about it (ids, counts)."""
    import random

    repo = (repo or REPO).resolve()
    rng = random.Random(seed)
    data = dest / "data"
    for sub in ("companies", "sources", "glossary", "tables"):
        (data / sub).mkdir(parents=True, exist_ok=True)
    names = _Names(rng)
    companies = []
    for i in range(n):
        kind = KIND_MIX[i % len(KIND_MIX)] if i >= 5 else ["ai-lab", "ai-lab", "investor",
                                                            "cloud-provider", "chipmaker"][i]
        name, cid = names.make(kind)
        companies.append({"id": cid, "name": name, "kind": kind})
    strategic = [c for c in companies if c["kind"] != "ai-lab"]
    n_sources = 0
    labs = []
    for ci, c in enumerate(companies):
        founded = rng.randint(2012, 2019)
        srcs = [f"{c['id']}-{k}" for k in range(4)]
        events, post = _events(rng, c, strategic, founded, srcs)
        lines = _company_lines(rng, c, founded, events)
        if c["kind"] == "ai-lab" and events:
            labs.append(c)
            lines += ["metrics:", f"  - date: {events[-1]['date'][:7]}",
                      "    kind: run-rate-revenue", f"    value: about {_money(post * 0.04)}",
                      "    status: reported", f"    sources: [{srcs[3]}]"]
        lines += _relationship_lines(rng, companies, ci, founded, srcs[3])
        (data / "companies" / f"{c['id']}.yaml").write_text("\n".join(lines) + "\n",
                                                           encoding="utf-8")
        n_sources += _source_files(data, c, ci, events, srcs, founded)
        c["events"] = events
    _glossary_and_table(data, labs)
    src = dest / "site_src"
    n_articles = _site_src(src, labs, articles if articles is not None else 4 + n // 250)
    # the project's own templates, theme overrides, stylesheets and configuration
    shutil.copytree(repo / "templates", dest / "templates")
    shutil.copytree(repo / "site_src" / "assets", src / "assets")
    if (repo / "overrides").is_dir():
        shutil.copytree(repo / "overrides", dest / "overrides")
    shutil.copy2(repo / "mkdocs.yml", dest / "mkdocs.yml")
    return {"companies": [c["id"] for c in companies], "sources": n_sources,
            "articles": n_articles, "labs": len(labs)}


PLAN = ["primary-round", "primary-round", "primary-round", "strategic-investment",
        "primary-round", "tender-offer", "primary-round", "reported-talks"]


def _events(rng, c: dict, strategic: list[dict], founded: int, srcs: list[str]
            ) -> tuple[list[dict], float]:
    """A company's events: Seed, rounds and a strategic investment, a tender offer, talks; about
    eight. Returns them and the last post-money valuation."""
    cid, name = c["id"], c["name"]
    events, year, month = [], founded, rng.randint(1, 12)
    post = rng.uniform(12, 60) * 1e6
    rounds = iter(ROUNDS)
    for k, ek in enumerate(PLAN):
        month += rng.randint(6, 13)
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        if (year, month) > (2026, 6):
            break
        ev = {"kind": ek, "date": _month(year, month) if k % 3 else f"{_month(year, month)}-"
              f"{rng.randint(1, 28):02d}", "status": rng.choice(STATUSES_MIX),
              "sources": [srcs[min(k // 2, 3)]] + ([srcs[3]] if k == 7 else [])}
        if ek == "primary-round":
            post *= rng.uniform(2.0, 3.5)
            ev["round"] = next(rounds)
            ev["id"] = ev["round"].lower().replace(" ", "-")
            ev["amount_raised"] = _money(post * rng.uniform(0.08, 0.25))
            ev["valuation"], ev["valuation_basis"] = _money(post), "post-money"
            inv = [{"name": f"{rng.choice(SYLLABLES).capitalize()} Fund {rng.randint(1, 9)}",
                    "role": "lead"}]
            if strategic and rng.random() < 0.6:
                s = rng.choice(strategic)
                if s["id"] != cid:
                    inv.append({"company": s["id"]})
            ev["investors"] = inv
        elif ek == "strategic-investment":
            s = rng.choice(strategic)
            if s["id"] == cid:
                continue
            post *= rng.uniform(1.2, 1.6)
            ev["id"] = f"{s['id']}-{year}"
            ev["round"] = f"{s['name']} investment"
            raised = post * rng.uniform(0.05, 0.12)
            ev["amount_raised"] = _money(raised)
            ev["amount_committed"] = f"up to {_money(raised * 3)}"
            ev["valuation"], ev["valuation_basis"] = _money(post), "post-money"
            ev["investors"] = [{"company": s["id"], "amount": _money(raised)}]
        elif ek == "tender-offer":
            ev["id"] = f"tender-{year}"
            ev["round"] = "Employee tender offer"
            ev["amount_raised"] = _money(post * 0.03)
            ev["valuation"], ev["valuation_basis"] = _money(post * 1.1), "secondary"
        else:
            ev["id"] = f"talks-{year}"
            ev["round"] = "Talks for a new round"
            ev["valuation"], ev["valuation_basis"] = f"about {_money(post * 2.5)}", "target"
            ev["status"] = "rumored"
        if k % 3 == 1:
            ev["note"] = (f"Reported by {PUBLISHERS[k % len(PUBLISHERS)]} citing people "
                          f"familiar with the matter; {name} did not comment on the figures.")
        events.append(ev)
    return events, post


def _company_lines(rng, c: dict, founded: int, events: list[dict]) -> list[str]:
    """The company file's lines up to its events (inclusive)."""
    cid, name, kind = c["id"], c["name"], c["kind"]
    lines = [f"id: {cid}", f"name: {_q(name)}", f"kind: {kind}", "last_checked: 2026-11-01",
             f"founded: {founded}",
             f"headquarters: {_q(rng.choice(CITIES))}",
             f"website: https://www.{cid}.com",
             "summary: >-",
             f"  {name} is {'an' if kind[0] in 'aeiou' else 'a'} {kind.replace('-', ' ')} "
             f"founded in {founded}. This profile is synthetic, made for the benchmark;",
             f"  it lists {len(events)} funding and valuation events, each with its sources "
             f"and status."]
    lines.append("events:")
    for e in events:
        lines.append(f"  - id: {e['id']}")
        for key in ("date", "kind", "round", "amount_raised", "amount_committed", "valuation",
                    "valuation_basis"):
            if key in e:
                v = e[key]
                lines.append(f"    {key}: {_q(v) if key == 'round' else v}")
        if e.get("investors"):
            lines.append("    investors:")
            for inv in e["investors"]:
                first = True
                for key in ("company", "name", "role", "amount"):
                    if key in inv:
                        lines.append(f"      {'- ' if first else '  '}{key}: "
                                     f"{_q(inv[key]) if key == 'name' else inv[key]}")
                        first = False
        lines.append(f"    status: {e['status']}")
        lines.append(f"    sources: [{', '.join(e['sources'])}]")
        if "note" in e:
            lines.append(f"    note: {_q(e['note'])}")
    return lines


def _relationship_lines(rng, companies: list[dict], ci: int, founded: int, source: str
                        ) -> list[str]:
    rel_lines = []
    n = len(companies)
    others = rng.sample(range(n), min(n - 1, 4))
    for oi in [o for o in others if o != ci][:3]:
        o = companies[oi]
        role = {"cloud-provider": "cloud-provider", "chipmaker": "chip-supplier"}.get(
            o["kind"], "investor")
        rel_lines += [f"  - company: {o['id']}", f"    role: {role}",
                      f"    since: {rng.randint(founded + 1, 2025)}",
                      f"    status: {rng.choice(STATUSES_MIX)}", f"    sources: [{source}]"]
    return ["relationships:"] + rel_lines if rel_lines else []


def _source_files(data: Path, c: dict, ci: int, events: list[dict], srcs: list[str],
                  founded: int) -> int:
    """The source records a company's file cites; how many were written."""
    cid, name = c["id"], c["name"]
    last_date = events[-1]["date"] if events else f"{founded}-06"
    used = sorted({s for e in events for s in e["sources"]} | {srcs[3]})
    n = 0
    for k, sid in enumerate(srcs):
        if sid not in used:
            continue
        pub = PUBLISHERS[(ci + k) % len(PUBLISHERS)]
        date = next((e["date"] for e in events if sid in e["sources"]), last_date)
        (data / "sources" / f"{sid}.yaml").write_text(
            f"id: {sid}\npublisher: {_q(pub)}\n"
            f"title: {_q(f'{name} funding report, part {k + 1}')}\n"
            f"url: https://news.{pub.lower().replace(' ', '')}.com/{date[:4]}/{cid}-{k + 1}\n"
            f"published: {date}\naccessed: 2026-11-01\ntier: outlet\n", encoding="utf-8")
        n += 1
    return n


def _glossary_and_table(data: Path, labs: list[dict]) -> None:
    for gid, term, definition, see in GLOSSARY:
        (data / "glossary" / f"{gid}.yaml").write_text(
            f"id: {gid}\nterm: {_q(term)}\ndefinition: {_q(definition)}\n"
            f"see_also: [{', '.join(see)}]\n", encoding="utf-8")
    # one comparison table: the largest rounds of the first ten labs
    rows = []
    for c in labs[:10]:
        e = next((e for e in reversed(c["events"]) if e["kind"] == "primary-round"), None)
        if e:
            rows.append(f"  - id: {c['id']}\n    label: {_q(c['name'])}\n    company: {c['id']}\n"
                        f"    values: {{lab: {_q(c['name'])}, round: {_q(e['round'])}, "
                        f"raised: {e['amount_raised']}}}\n    status: {e['status']}\n"
                        f"    sources: [{e['sources'][0]}]")
    (data / "tables" / "largest-rounds.yaml").write_text(
        "id: largest-rounds\ntitle: The latest round of ten labs\n"
        "description: Each lab's latest primary round, from the company files.\ncolumns:\n"
        "  - id: lab\n    label: Lab\n    type: text\n  - id: round\n    label: Round\n"
        "    type: text\n  - id: raised\n    label: Raised\n    type: money\n    currency: USD\n"
        "rows:\n" + "\n".join(rows) + "\n", encoding="utf-8")


def _rounds_of(c: dict) -> list[dict]:
    return [e for e in c["events"] if e["kind"] == "primary-round"]


def _site_src(src: Path, labs: list[dict], n_articles: int) -> int:
    """Home, methodology, about and articles whose figures are bound to the data; returns how many
    articles."""
    (src / "articles").mkdir(parents=True, exist_ok=True)
    priced = [c for c in labs if len(_rounds_of(c)) >= 3]
    a, b = priced[0], priced[1]
    (src / "index.md").write_text(
        "---\ntitle: Frontier Ledger (benchmark)\ndescription: A synthetic project for the scale "
        "benchmark.\n---\n# Frontier Ledger (benchmark)\n\n"
        f'{{{{ link("{a["id"]}") }}}} was last valued at '
        f'{{{{ fig("{a["id"]}/{_rounds_of(a)[-1]["id"]}/valuation") }}}}; '
        f'{{{{ link("{b["id"]}") }}}} at '
        f'{{{{ fig("{b["id"]}/{_rounds_of(b)[-1]["id"]}/valuation") }}}}.\n\n'
        "See the [companies](companies/index.md) and the [valuations](valuations.md).\n",
        encoding="utf-8")
    (src / "methodology.md").write_text(
        "---\ntitle: Methodology\ndescription: How the benchmark project chooses its figures.\n---\n"
        "# Methodology\n\nFigures come from the data files, each with a status and sources; the "
        '{{ page_link("sources.md", "sources page") }} lists them all.\n', encoding="utf-8")
    # every page mkdocs.yml's nav names (the shipped site's About page)
    (src / "about.md").write_text(
        "---\ntitle: About\ndescription: What the benchmark project is.\n---\n"
        "# About\n\nA synthetic project for the scale benchmark.\n", encoding="utf-8")
    per_article = 12
    for k in range(n_articles):
        paras = []
        for j in range(per_article):
            c = priced[(k * per_article + j) % len(priced)]
            r = _rounds_of(c)
            first, last = r[0]["id"], r[-1]["id"]
            p = (f'{{{{ link("{c["id"]}") }}}} raised '
                 f'{{{{ fig("{c["id"]}/{last}/amount_raised") }}}} in '
                 f'{{{{ fig("{c["id"]}/{last}/date") }}}} at a '
                 f'{{{{ term("post-money-valuation") }}}} of '
                 f'{{{{ fig("{c["id"]}/{last}/valuation") }}}}, '
                 f'{{{{ ratio(fig("{c["id"]}/{last}/valuation"), '
                 f'fig("{c["id"]}/{first}/valuation")) }}}} its first mark, '
                 f'{{{{ months(fig("{c["id"]}/{last}/date"), fig("{c["id"]}/{first}/date")) }}}} '
                 "earlier. Investors priced the company on its growth; the round's terms were "
                 "not disclosed, and the figures are as reported.")
            paras.append(p)
            if j == 3:
                paras.append(f'{{{{ chart("valuation-{c["id"]}") }}}}')
        if k == 0:
            paras.append('{{ chart("latest-valuations") }}')
        body = "\n\n".join(f"## Part {j // 4 + 1}\n\n{p}" if j % 4 == 0 else p
                           for j, p in enumerate(paras))
        (src / "articles" / f"article-{k + 1:03d}.md").write_text(
            f"---\ntitle: \"Benchmark article {k + 1}\"\ndescription: Data-bound figures on "
            f"{per_article} companies.\npublished: 2026-{(k % 9) + 1:02d}-15\n---\n"
            f"# Benchmark article {k + 1}\n\n{body}\n", encoding="utf-8")
    return n_articles


def edit_company(path: Path, k: int) -> str:
    """A contributor's edit: one valuation figure changes (so its chart changes too)."""
    text = path.read_text(encoding="utf-8")

    def bump(m):
        return f"{m.group(1)}{float(m.group(2)) + 1 + k:g}{m.group(3)}"

    new, n = re.subn(r"(valuation: (?:about )?USD )([0-9.]+)( (?:million|billion))",
                      bump, text, count=1)
    if n != 1:
        raise RuntimeError(f"{path}: no valuation to edit")
    path.write_text(new, encoding="utf-8")
    return text
