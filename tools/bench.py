"""The benchmark, not a timed test: ``./ledger bench`` (``python -m tools.bench``).

At scale: a synthetic but realistic project of N companies (about 8 funding events, 3
relationships, 4 source records and one profile chart each, a metric for the labs, a table, a
glossary and a few articles whose figures are bound to the data), built with the project's own
templates, theme overrides, stylesheets and mkdocs.yml, each build a fresh process: the check, a
cold build (nothing cached), a warm build, a rebuild after one company file changed, and plain
MkDocs building the same pages; medians and peak memory in a table. ``--reload`` also measures
the edit-reload loop of serve in Chromium; ``--charts`` the charts of the shipped site one by one
(building each spec, rendering its SVG and PNG, and their weight) and the pages that hold them.

A tool, not part of the product: nothing in generator/ imports it. Nothing is written into the
project: projects, sites and caches go to a temporary folder (or ``--keep DIR``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# ---------------------------------------------------------------------------------------------
# The charts of the shipped site, one by one (--charts)


def per_chart(root: Path, runs: int) -> list[dict]:
    """Spec build, SVG and PNG time per chart (medians, ms), in this process, vl-convert warmed
    up; and the weight of the inline SVG, the PNG and the spec."""
    import vl_convert as vlc

    from generator.charts import CHART_KINDS, instances
    from generator.charts.cache import render_versions
    from generator.charts.pipeline import render_svg
    from generator.charts.spec import SpecBuilder
    from generator.charts.svg import inline_svg
    from generator.load import load
    from generator.problems import Problems

    problems = Problems()
    ds = load(root, problems)
    if problems.errors:
        raise RuntimeError(problems.report())
    t = time.perf_counter()
    vlc.vegalite_to_svg({"mark": "point"}, allowed_base_urls=[])
    init = time.perf_counter() - t
    samples: dict[str, dict[str, list[float]]] = {}
    info: dict[str, dict] = {}
    for _ in range(runs):
        for kind, inst in instances(ds, CHART_KINDS):
            s = samples.setdefault(inst.id, {"spec": [], "svg": [], "png": []})
            t = time.perf_counter()
            b = SpecBuilder.lite() if kind.lite else SpecBuilder.altair()
            ch = kind.build(ds, inst, b)
            s["spec"].append(time.perf_counter() - t)
            wrap = {"title": ch.title, "takeaway": ch.takeaway, "alt": ch.alt,
                    "footer": ch.footer(), "vl_version": render_versions()[1]}
            t = time.perf_counter()
            svg, _ = render_svg(ch.base_json, {**wrap, "png": False})
            s["svg"].append(time.perf_counter() - t)
            t = time.perf_counter()
            _, png = render_svg(ch.base_json, wrap)
            s["png"].append(max(0.0, time.perf_counter() - t - s["svg"][-1]))
            info[inst.id] = {"inline_kb": len(inline_svg(svg, "x").encode()) / 1024,
                             "png_kb": len(png or b"") / 1024,
                             "spec_kb": len(ch.spec_json().encode()) / 1024}
    rows = [{"id": cid, **{k: _median(v) * 1000 for k, v in s.items()}, **info[cid]}
            for cid, s in samples.items()]
    rows.append({"id": "(vl-convert start-up, once per process)", "spec": 0.0, "svg": init * 1000,
                 "png": 0.0, "inline_kb": 0.0, "png_kb": 0.0, "spec_kb": 0.0})
    return rows


def page_weights(site: Path) -> list[tuple[str, int, int, int]]:
    """Built pages that hold a chart: (path, HTML bytes, gzipped bytes, charts on the page)."""
    out = []
    for page in sorted(site.rglob("index.html")):
        html = page.read_bytes()
        n = html.count(b'class="fl-chart"')
        if n:
            out.append((page.relative_to(site).as_posix(), len(html), len(gzip.compress(html, 9)), n))
    return out


def run_charts(root: Path, runs: int, tmp: Path) -> None:
    """Print the per-chart table and the weight of the pages that hold charts."""
    rows = per_chart(root, runs)
    print(f"\nPer chart of {root} ({runs} run(s), medians, ms; spec = building the Vega-Lite "
          "spec, svg = vl-convert, png = the 2x PNG of the download SVG):")
    head = f"  {'chart':40s} {'spec':>7s} {'svg':>7s} {'png':>7s} {'inline SVG':>11s} " \
           f"{'PNG':>8s} {'spec':>8s}"
    print(head)
    print("  " + "-" * (len(head) - 2))
    total = {"spec": 0.0, "svg": 0.0, "png": 0.0}
    for r in rows:
        for k in total:
            total[k] += r[k]
        kb = (f"{r['inline_kb']:8.1f} KB {r['png_kb']:5.0f} KB {r['spec_kb']:5.1f} KB"
              if r["inline_kb"] else "")
        print(f"  {r['id']:40s} {r['spec']:7.0f} {r['svg']:7.0f} {r['png']:7.0f} {kb}")
    print(f"  {'total':40s} {total['spec']:7.0f} {total['svg']:7.0f} {total['png']:7.0f}")
    site = tmp / "charts-site"
    run_child([sys.executable, "-m", "generator", "--root", str(root), "build", "--site-dir",
               str(site)], _env(tmp / "charts-cache"))
    print("\nPages holding charts (HTML as served / gzipped; CSS, JS and fonts not counted):")
    for path, size, gz, n in page_weights(site):
        print(f"  {path:44s} {size / 1024:7.1f} KB {gz / 1024:7.1f} KB gz   {n} chart(s)")
    css = root / "site_src" / "assets" / "charts.css"
    if css.is_file():
        print(f"  {'assets/charts.css':44s} {css.stat().st_size / 1024:7.1f} KB")


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
            ev["post_money_valuation"] = _money(post)
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
            ev["amount_committed"] = _money(raised * 3)
            ev["post_money_valuation"] = _money(post)
            ev["investors"] = [{"company": s["id"], "amount": _money(raised)}]
        elif ek == "tender-offer":
            ev["id"] = f"tender-{year}"
            ev["round"] = "Employee tender offer"
            ev["amount_raised"] = _money(post * 0.03)
            ev["post_money_valuation"] = _money(post * 1.1)
        else:
            ev["id"] = f"talks-{year}"
            ev["round"] = "Talks for a new round"
            ev["post_money_valuation"] = f"about {_money(post * 2.5)}"
            ev["status"] = "rumored"
        if k % 3 == 1:
            ev["note"] = (f"Reported by {PUBLISHERS[k % len(PUBLISHERS)]} citing people "
                          f"familiar with the matter; {name} did not comment on the figures.")
        events.append(ev)
    return events, post


def _company_lines(rng, c: dict, founded: int, events: list[dict]) -> list[str]:
    """The company file's lines up to its events (inclusive)."""
    cid, name, kind = c["id"], c["name"], c["kind"]
    lines = [f"id: {cid}", f"name: {_q(name)}", f"kind: {kind}", f"founded: {founded}",
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
        for key in ("date", "kind", "round", "amount_raised", "amount_committed",
                    "post_money_valuation"):
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
            f"published: {date}\naccessed: 2026-11-01\n", encoding="utf-8")
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
    """Home, methodology and articles whose figures are bound to the data; returns how many
    articles."""
    (src / "articles").mkdir(parents=True, exist_ok=True)
    priced = [c for c in labs if len(_rounds_of(c)) >= 3]
    a, b = priced[0], priced[1]
    (src / "index.md").write_text(
        "---\ntitle: Frontier Ledger (benchmark)\ndescription: A synthetic project for the scale "
        "benchmark.\n---\n# Frontier Ledger (benchmark)\n\n"
        f'{{{{ link("{a["id"]}") }}}} was last valued at '
        f'{{{{ fig("{a["id"]}/{_rounds_of(a)[-1]["id"]}/post_money_valuation") }}}}; '
        f'{{{{ link("{b["id"]}") }}}} at '
        f'{{{{ fig("{b["id"]}/{_rounds_of(b)[-1]["id"]}/post_money_valuation") }}}}.\n\n'
        "See the [companies](companies/index.md) and the [valuations](valuations.md).\n",
        encoding="utf-8")
    (src / "methodology.md").write_text(
        "---\ntitle: Methodology\ndescription: How the benchmark project chooses its figures.\n---\n"
        "# Methodology\n\nFigures come from the data files, each with a status and sources; the "
        '{{ page_link("sources.md", "sources page") }} lists them all.\n', encoding="utf-8")
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
                 f'{{{{ fig("{c["id"]}/{last}/post_money_valuation") }}}}, '
                 f'{{{{ ratio(fig("{c["id"]}/{last}/post_money_valuation"), '
                 f'fig("{c["id"]}/{first}/post_money_valuation")) }}}} its first mark, '
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


# ---------------------------------------------------------------------------------------------
# Measuring: each build is a fresh process, as a contributor runs it


@dataclass
class Measure:
    secs: float
    peak_mb: float  # peak resident memory of the largest process (the build or one of its workers)
    out: str
    tree_mb: float = float("nan")  # peak of the process and its workers together (sampled)


def tree_rss_mb(root_pid: int) -> float:
    """Resident memory of a process and all its descendants right now, in MB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(name))
    total, todo, page = 0, [root_pid], os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as f:
                total += int(f.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            pass
        todo += children.get(pid, [])
    return total / 2**20


def run_child(cmd: list[str], env: dict[str, str], *, timeout: float = 3600) -> Measure:
    """Run a command, return wall time, peak memory (from wait4's rusage, which covers the
    process and its descendants: the largest of them), the peak of all of them together (sampled
    every 0.2 s from /proc) and output; raise RuntimeError if it fails."""
    with tempfile.TemporaryFile() as out:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = t + timeout
        tree, sampled = 0.0, 0.0
        while True:  # os.wait4 with WNOHANG, so that a hung child cannot hang the benchmark
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - sampled >= 0.2:
                sampled = time.perf_counter()
                tree = max(tree, tree_rss_mb(proc.pid))
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, ru = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        secs = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text[-3000:]}")
    return Measure(secs, ru.ru_maxrss / 1024, text, max(tree, ru.ru_maxrss / 1024))


def _env(cache: Path) -> dict[str, str]:
    env = {**os.environ, "FL_CHART_CACHE": str(cache), "LEDGER_CACHE_HOME": str(cache),
           "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1780000000"}
    env.pop("FL_CHART_WORKERS", None)
    return env


def plain_mkdocs_config(text: str) -> str:
    """Our mkdocs.yml for plain MkDocs: the same theme, extensions, navigation and settings, the
    pages from docs/, and neither our plugin nor the folders serve watches."""
    import re as _re

    text = _re.sub(r"(?m)^docs_dir: .*$", "docs_dir: docs", text)
    text = _re.sub(r"(?m)^  - frontier-ledger:?\n(?:    .*\n|\s*#.*\n)*", "", text)
    text = _re.sub(r"(?m)^watch:\n(?:  - .*\n)+", "", text)
    if _re.search(r"(?m)^\s*- frontier-ledger", text):
        raise RuntimeError("could not take the frontier-ledger plugin out of mkdocs.yml")
    return text


def plain_mkdocs_project(proj: Path, dest: Path, env: dict[str, str]) -> Path:
    """A plain MkDocs project holding the same pages: our generated Markdown (python -m generator
    export), our stylesheets and theme overrides, and mkdocs.yml without our plugin."""
    docs = dest / "docs"
    run_child([sys.executable, "-m", "generator", "--root", str(proj), "export", str(docs)], env)
    shutil.copytree(proj / "site_src" / "assets", docs / "assets", dirs_exist_ok=True)
    if (proj / "overrides").is_dir():
        shutil.copytree(proj / "overrides", dest / "overrides", dirs_exist_ok=True)
    text = plain_mkdocs_config((proj / "mkdocs.yml").read_text(encoding="utf-8"))
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    return dest


def _edit_company(path: Path, k: int) -> str:
    """A contributor's edit: one valuation figure changes (so its chart changes too)."""
    import re as _re

    text = path.read_text(encoding="utf-8")

    def bump(m):
        return f"{m.group(1)}{float(m.group(2)) + 1 + k:g}{m.group(3)}"

    new, n = _re.subn(r"(post_money_valuation: (?:about )?USD )([0-9.]+)( (?:million|billion))",
                      bump, text, count=1)
    if n != 1:
        raise RuntimeError(f"{path}: no valuation to edit")
    path.write_text(new, encoding="utf-8")
    return text


@dataclass
class SizeResult:
    n: int
    pages: int = 0
    check: list[float] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    rebuild: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)
    peak_cold: list[float] = field(default_factory=list)
    peak_warm: list[float] = field(default_factory=list)
    peak_plain: list[float] = field(default_factory=list)
    tree_cold: list[float] = field(default_factory=list)  # all processes together

    def med(self, name: str) -> float:
        return _median(getattr(self, name))


def measure_size(n: int, runs: int, tmp: Path, *, plain: bool = True, log=print) -> SizeResult:
    proj = tmp / f"n{n}"
    t = time.perf_counter()
    info = synthetic_project(proj, n)
    log(f"  N = {n:,}: {info['sources']:,} source records, {info['articles']} articles, written "
        f"in {time.perf_counter() - t:.1f} s")
    res = SizeResult(n)
    site, psite = tmp / f"site-{n}", tmp / f"plain-site-{n}"
    py = sys.executable
    build = [py, "-m", "generator", "--root", str(proj), "build", "--site-dir", str(site)]
    edit = proj / "data" / "companies" / f"{info['companies'][n // 2]}.yaml"
    plain_proj = None
    for r in range(runs):
        cache = tmp / f"cache-{n}-{r}"
        env = _env(cache)  # cold: a new cache folder, nothing cached at all
        m = run_child(build, env)
        res.cold.append(m.secs)
        res.peak_cold.append(m.peak_mb)
        res.tree_cold.append(m.tree_mb)
        log(f"    run {r + 1}: cold build {m.secs:.1f} s ({m.peak_mb:.0f} MB; "
            f"{m.tree_mb:.0f} MB with its chart workers)")
        m = run_child(build, env)
        res.warm.append(m.secs)
        res.peak_warm.append(m.peak_mb)
        res.pages = sum(1 for _ in site.rglob("index.html"))
        log(f"    run {r + 1}: warm build {m.secs:.1f} s ({m.peak_mb:.0f} MB), {res.pages:,} pages")
        original = _edit_company(edit, r)
        try:
            m = run_child(build, env)
        finally:
            edit.write_text(original, encoding="utf-8")
        res.rebuild.append(m.secs)
        log(f"    run {r + 1}: rebuild after one company file changed {m.secs:.1f} s")
        m = run_child([py, "-m", "generator", "--root", str(proj), "check"], env)
        res.check.append(m.secs)
        log(f"    run {r + 1}: check {m.secs:.2f} s")
        if plain:
            if plain_proj is None:
                plain_proj = plain_mkdocs_project(proj, tmp / f"plain-{n}", env)
            m = run_child([py, "-m", "mkdocs", "build", "-q", "-f", str(plain_proj / "mkdocs.yml"),
                           "-d", str(psite)], env)
            res.plain.append(m.secs)
            res.peak_plain.append(m.peak_mb)
            log(f"    run {r + 1}: plain MkDocs {m.secs:.1f} s ({m.peak_mb:.0f} MB)")
        shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(psite, ignore_errors=True)
    return res


def format_table(results: list[SizeResult]) -> str:
    """The results as a text table: medians, and the ratios to plain MkDocs."""
    def s(x: float) -> str:
        return "—" if math.isnan(x) else f"{x:.2f}" if x < 10 else f"{x:.1f}"

    def r(a: float, b: float) -> str:
        return "—" if math.isnan(a) or math.isnan(b) or not b else f"{a / b:.2f}×"

    head = ["N", "pages", "check s", "cold s", "warm s", "1 file s", "plain s", "warm/plain",
            "cold/plain", "check/warm", "peak MB", "all MB", "plain MB"]
    rows = []
    for x in results:
        rows.append([f"{x.n:,}", f"{x.pages:,}", s(x.med("check")), s(x.med("cold")),
                     s(x.med("warm")), s(x.med("rebuild")), s(x.med("plain")),
                     r(x.med("warm"), x.med("plain")), r(x.med("cold"), x.med("plain")),
                     f"{100 * x.med('check') / x.med('warm'):.0f}%" if x.warm else "—",
                     f"{max(x.peak_cold + x.peak_warm, default=float('nan')):.0f}",
                     f"{max(x.tree_cold + x.peak_warm, default=float('nan')):.0f}",
                     s(max(x.peak_plain, default=float("nan")))])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    out = ["  ".join(h.rjust(w) for h, w in zip(head, widths)),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in rows]
    by_n = sorted(results, key=lambda x: x.n)
    for a, b in zip(by_n, by_n[1:]):
        out.append(f"growth N={a.n:,} → N={b.n:,} ({b.n / a.n:g}× the companies): "
                   f"warm {r(b.med('warm'), a.med('warm'))}, cold {r(b.med('cold'), a.med('cold'))}, "
                   f"check {r(b.med('check'), a.med('check'))}, plain MkDocs "
                   f"{r(b.med('plain'), a.med('plain'))}")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# The edit-reload loop: `python -m generator serve` on a copy of the shipped site, Chromium on a
# profile, one YAML file edited; the time until the browser shows the change.

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def _chromium() -> str:
    from tools.budget import chromium_executable

    exe = chromium_executable()
    if exe is not None:
        return exe
    raise RuntimeError("the reload benchmark needs Chromium: install Debian's 'chromium' package "
                       "or set CHROMIUM to its path")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_project(repo: Path, dest: Path) -> Path:
    """The shipped site's sources (never the repository itself: the benchmark edits the copy)."""
    for name in ("data", "site_src", "templates", "overrides"):
        if (repo / name).is_dir():
            shutil.copytree(repo / name, dest / name, symlinks=True)
    shutil.copy2(repo / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def reload_latency(repo: Path, tmp: Path, *, edits: int = 5, company: str | None = None,
                   log=print) -> list[float]:
    """Seconds from writing one company file to Chromium showing the change, once per edit."""
    import urllib.request

    from playwright.sync_api import sync_playwright

    proj = copy_project(repo, tmp / "reload-project")
    files = sorted((proj / "data" / "companies").glob("*.yaml"))
    if not files:
        raise RuntimeError("the project has no company files to edit")
    if company is None:
        company = "anthropic" if (proj / "data" / "companies" / "anthropic.yaml").is_file() \
            else files[0].stem
    path = proj / "data" / "companies" / f"{company}.yaml"
    cid = path.stem
    port = _free_port()
    env = _env(tmp / "reload-cache")
    env.pop("SOURCE_DATE_EPOCH", None)
    log_file = tmp / "serve.log"
    with open(log_file, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(proj), "serve",
                                   "--addr", f"127.0.0.1:{port}"], env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/companies/{cid}/"
    original = path.read_text(encoding="utf-8")
    times: list[float] = []
    try:
        t = time.perf_counter()
        while True:  # the first build (it renders every chart when the cache is empty)
            if server.poll() is not None:
                raise RuntimeError("serve stopped:\n" + log_file.read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.perf_counter() - t > 600:
                raise RuntimeError("serve did not answer within 10 minutes")
            time.sleep(0.2)
        log(f"  serving {url} after {time.perf_counter() - t:.1f} s")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url, wait_until="load")
            page.wait_for_timeout(1500)  # live reload's poll is in place
            for i in range(edits):
                marker = f"Reload benchmark edit {i + 1} {os.getpid()}"
                text = path.read_text(encoding="utf-8")
                new = text.replace("\nsummary: >-\n  ", f"\nsummary: >-\n  {marker}. ", 1)
                if new == text:
                    raise RuntimeError(f"{path}: no folded 'summary: >-' to edit")
                t0 = time.perf_counter()
                path.write_text(new, encoding="utf-8")
                page.wait_for_function("m => document.body && document.body.innerText.includes(m)",
                                       arg=marker, polling=20, timeout=120_000)
                times.append(time.perf_counter() - t0)
                log(f"    edit {i + 1}: the browser showed it after {times[-1]:.2f} s")
                page.wait_for_timeout(1500)  # let the server settle before the next edit
            browser.close()
    finally:
        path.write_text(original, encoding="utf-8")
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return times


# ---------------------------------------------------------------------------------------------


def run_scale(repo: Path, sizes: list[int], runs: int = 3, *, plain: bool = True,
              reload: bool = False, reload_edits: int = 5, keep: Path | None = None) -> int:
    repo = repo.resolve()
    if sizes:
        print(f"Scale benchmark: sizes {', '.join(f'{n:,}' for n in sizes)}; {runs} run(s) each, "
              f"medians; {os.cpu_count()} CPUs; each build is a fresh process; templates, theme "
              f"and mkdocs.yml from {repo}", flush=True)

    def log(msg: str) -> None:
        print(msg, flush=True)

    with tempfile.TemporaryDirectory(prefix="fl-bench-scale-") as tmp_:
        tmp = Path(keep) if keep else Path(tmp_)
        tmp.mkdir(parents=True, exist_ok=True)
        results = [measure_size(n, runs, tmp, plain=plain, log=log) for n in sizes]
        if results:
            print("\nSeconds (medians); peak resident memory in MB: of the largest process, and"
                  " of a build and its chart workers together ('all', sampled every 0.2 s):")
            print(format_table(results))
        if reload:
            print("\nEdit-reload loop (python -m generator serve on a copy of the shipped site, "
                  "Chromium on the edited company's profile):", flush=True)
            times = reload_latency(repo, tmp, edits=reload_edits, log=log)
            print(f"  from writing the YAML file to the browser showing the change: median "
                  f"{_median(times):.2f} s (edits: {', '.join(f'{x:.2f}' for x in times)})")
    return 0


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(x.replace("_", "")) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}': expected numbers separated by commas, "
                                         "such as 100,1000,5000") from None
    if any(n < 2 for n in sizes):
        raise argparse.ArgumentTypeError("each size is a number of companies, at least 2")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./ledger bench", description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(REPO), help="the project (default: this one)")
    parser.add_argument("--sizes", type=_sizes, default=[100, 1000, 5000],
                        help="numbers of companies, comma-separated (default: 100,1000,5000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (medians)")
    parser.add_argument("--no-plain", action="store_true", help="skip the plain MkDocs builds")
    parser.add_argument("--reload", action="store_true", help="also measure the edit-reload loop "
                        "of serve in Chromium (a copy of the shipped site)")
    parser.add_argument("--reload-only", action="store_true",
                        help="measure only the edit-reload loop")
    parser.add_argument("--edits", type=int, default=5, help="edits for --reload (default: 5)")
    parser.add_argument("--charts", action="store_true", help="measure only the shipped site's "
                        "charts, one by one, and the pages that hold them")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the generated projects")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    try:
        if args.charts:
            with tempfile.TemporaryDirectory(prefix="fl-bench-charts-") as tmp:
                run_charts(root, max(1, args.runs), Path(tmp))
            return 0
        return run_scale(root, [] if args.reload_only else args.sizes, runs=max(1, args.runs),
                         plain=not args.no_plain, reload=args.reload or args.reload_only,
                         reload_edits=max(1, args.edits),
                         keep=Path(args.keep).resolve() if args.keep else None)
    except RuntimeError as exc:  # a build that failed, or no Chromium for --reload
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
