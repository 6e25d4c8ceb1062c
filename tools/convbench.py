"""Markdown conversion measured apart (``python -m tools.convbench``): issue 19's questions
whether converting pages on two cores, or writing generated tables as HTML instead of Markdown
tables, would make a cold build faster.

It takes every page a project's render makes, as ``./ledger export`` writes them (``--root PROJ``
exports into a temporary folder; ``--export DIR`` reuses an earlier export), reads each as MkDocs
reads it (front matter off) and converts it with a ``markdown.Markdown`` configured as MkDocs
configures it from ``mkdocs.yml`` (loaded with ``mkdocs.config.load_config``: its extensions,
MkDocs' built-in ones and their settings), a new instance a page, as MkDocs makes one:

- *conversion*: all pages in this process, then in worker processes (fork; the pages split in
  halves of equal size, or handed out in chunks), the results sent back to this process and
  checked equal to the serial ones; the two alternate, several runs, medians;
- *tables*: per page, the page as it is and the page with each Markdown table replaced by the
  HTML the table extension makes of it (a raw HTML block: the upper bound of what writing tables
  as HTML can save), alternating, medians; and whether the two convert to the same HTML.

What MkDocs adds around a conversion (its link, anchor and title processors, which need the
site's files) is left out of both: it is the same work either way. A tool, not part of the
product: nothing in generator/ imports it; nothing is written into the project.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent

# A Markdown table as the templates write it: a header row, the delimiter row, then rows, each
# line starting with a pipe (Python-Markdown's table extension, as the templates use it).
_DELIMITER = re.compile(r"^\|(?: *:?-+:? *\|)+ *$")
# The pages the table measurement looks at by default (a profile is added: the one with the most
# table rows), and the label it prints for each.
DEFAULT_TABLE_PAGES = ("companies/index.md", "valuations.md", "data.md")


# ---------------------------------------------------------------------------------------------
# The pages and the Markdown settings


@dataclass(frozen=True)
class MarkdownSettings:
    """What MkDocs passes to ``markdown.Markdown`` for every page."""
    extensions: list
    configs: dict

    def new(self):
        import markdown

        return markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)


def markdown_settings(config_file: Path) -> MarkdownSettings:
    """The extensions and their settings as MkDocs loads them from ``config_file``."""
    from mkdocs.config import load_config

    cfg = load_config(config_file=str(config_file))
    return MarkdownSettings(list(cfg["markdown_extensions"]), dict(cfg["mdx_configs"] or {}))


def read_pages(docs: Path) -> list[tuple[str, str]]:
    """Every page under ``docs`` (path relative to it, Markdown without its front matter), in the
    order of their paths, read as MkDocs' ``Page.read_source`` reads them."""
    from mkdocs.utils.meta import get_data

    pages = []
    for path in sorted(docs.rglob("*.md")):
        text, _meta = get_data(path.read_text(encoding="utf-8-sig", errors="strict"))
        pages.append((path.relative_to(docs).as_posix(), text))
    return pages


def export(root: Path, dest: Path) -> Path:
    """``python -m generator --root ROOT export DEST``; the export's folder."""
    subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "export", str(dest)],
                   check=True, stdout=subprocess.DEVNULL)
    return dest


# ---------------------------------------------------------------------------------------------
# Conversion: one process against worker processes


def convert_serial(pages: list[tuple[str, str]], settings: MarkdownSettings) -> list[str]:
    """Each page converted by a new Markdown, as MkDocs does."""
    return [settings.new().convert(text) for _, text in pages]


def convert_reused(pages: list[tuple[str, str]], settings: MarkdownSettings) -> list[str]:
    """The same with one Markdown, reset between pages (MkDocs makes one a page; shown apart)."""
    md = settings.new()
    out = []
    for _, text in pages:
        out.append(md.convert(text))
        md.reset()
    return out


def halves(sizes: list[int], parts: int) -> list[range]:
    """``parts`` runs of consecutive indexes whose sizes add up to about the same."""
    total, bounds, acc, start = sum(sizes), [], 0, 0
    for i, s in enumerate(sizes):
        acc += s
        if len(bounds) < parts - 1 and acc >= total * (len(bounds) + 1) / parts:
            bounds.append(range(start, i + 1))
            start = i + 1
    bounds.append(range(start, len(sizes)))
    return bounds


def _convert_part(pages, settings, part, conn) -> None:
    conn.send(convert_serial([pages[i] for i in part], settings))
    conn.close()


def convert_parts(pages: list[tuple[str, str]], settings: MarkdownSettings,
                  parts: list[list[int]]) -> list[str]:
    """The pages converted in forked processes, one a part (the indexes of its pages; the fork
    gives each the pages, nothing is sent to it), the HTML sent back through a pipe (pickled), as
    a build's would have to be; in the order of the pages."""
    ctx = multiprocessing.get_context("fork")
    procs = []
    for part in parts:
        recv, send = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_convert_part, args=(pages, settings, part, send))
        p.start()
        send.close()
        procs.append((p, recv, part))
    out: list[str] = [""] * len(pages)
    for p, recv, part in procs:
        for i, html in zip(part, recv.recv()):
            out[i] = html
        p.join()
        if p.exitcode != 0:
            raise RuntimeError(f"a conversion worker failed ({p.exitcode})")
    return out


def split_halves(pages: list[tuple[str, str]], workers: int) -> list[list[int]]:
    """A run of consecutive pages a worker, of about the same size in all."""
    return [list(r) for r in halves([len(t) for _, t in pages], workers)]


def split_chunks(pages: list[tuple[str, str]], workers: int, chunk: int) -> list[list[int]]:
    """Chunks of ``chunk`` consecutive pages dealt to the workers in turn."""
    parts: list[list[int]] = [[] for _ in range(workers)]
    for n, start in enumerate(range(0, len(pages), chunk)):
        parts[n % workers].extend(range(start, min(start + chunk, len(pages))))
    return parts


@dataclass
class Row:
    label: str
    secs: list[float]
    cpu: list[float]  # CPU seconds of this process and its workers together
    same: bool = True

    @property
    def median(self) -> float:
        return statistics.median(self.secs)


def _cpu() -> float:
    """CPU seconds of this process and of its children that ended."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def measure_conversion(pages, settings, *, runs: int, workers: int, chunk: int,
                       log: Callable[[str], None]) -> list[Row]:
    """Serial and parallel conversion of all pages, alternating, ``runs`` times each."""
    ways: list[tuple[str, Callable[[], list[str]]]] = [
        ("one process", lambda: convert_serial(pages, settings)),
        (f"{workers} processes, halves",
         lambda: convert_parts(pages, settings, split_halves(pages, workers))),
        (f"{workers} processes, chunks of {chunk}",
         lambda: convert_parts(pages, settings, split_chunks(pages, workers, chunk))),
        ("one process, one Markdown reset", lambda: convert_reused(pages, settings)),
    ]
    rows = [Row(label, [], []) for label, _ in ways]
    expected: list[str] | None = None
    for r in range(runs):
        for row, (_, way) in zip(rows, ways):
            c, t = _cpu(), time.perf_counter()
            html = way()
            row.secs.append(time.perf_counter() - t)
            row.cpu.append(_cpu() - c)
            if expected is None:
                expected = html
            row.same = row.same and html == expected
        log(f"  run {r + 1}: " + ", ".join(f"{row.label} {row.secs[-1]:.2f} s" for row in rows))
    return rows


# ---------------------------------------------------------------------------------------------
# Tables as Markdown against tables as HTML


def tables(text: str) -> list[tuple[int, int]]:
    """The Markdown tables of a page: (first line, line after the last) of each."""
    lines = text.split("\n")
    found, i = [], 0
    while i < len(lines) - 1:
        if lines[i].startswith("|") and _DELIMITER.match(lines[i + 1]) and \
                (i == 0 or not lines[i - 1].strip()):
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            found.append((i, j))
            i = j
        else:
            i += 1
    return found


def tables_as_html(text: str, settings: MarkdownSettings) -> tuple[str, int, int]:
    """The page with each Markdown table replaced by the HTML the table extension makes of it
    (converted alone, with the page's settings), as a raw HTML block; the number of tables and
    of their rows. The blank lines after a table go too: Python-Markdown ends a raw block that a
    blank line follows with an empty line of its own, which a table does not have."""
    lines = text.split("\n")
    found = tables(text)
    rows = 0
    for start, end in reversed(found):
        html = settings.new().convert("\n".join(lines[start:end]))
        after = end
        while after < len(lines) - 1 and not lines[after].strip():
            after += 1
        lines[start:after] = html.split("\n")
        rows += end - start - 2
    return "\n".join(lines), len(found), rows


@dataclass
class TablePage:
    path: str
    tables: int
    rows: int
    as_is: list[float]
    as_html: list[float]
    same: bool
    cpu_as_is: list[float] = field(default_factory=list)
    cpu_as_html: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        a = statistics.median(self.as_is)
        return statistics.median(self.as_html) / a if a else float("nan")

    @property
    def cpu_ratio(self) -> float:
        a = statistics.median(self.cpu_as_is)
        return statistics.median(self.cpu_as_html) / a if a else float("nan")


def _timed(settings: MarkdownSettings, text: str, repeat: int) -> tuple[float, float, str]:
    """Seconds per conversion (a new Markdown each, as MkDocs), wall and CPU, the best of
    ``repeat`` in a row taken as one sample; and the HTML."""
    best, cpu, html = float("inf"), float("inf"), ""
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        html = settings.new().convert(text)
        best = min(best, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return best, cpu, html


def measure_tables(pages: list[tuple[str, str]], chosen: list[str], settings: MarkdownSettings,
                   *, runs: int, repeat: int) -> list[TablePage]:
    """For each chosen page (and, last, all pages together: ``(all pages)``) its conversion as it
    is and with its tables as HTML, alternating; whether the HTML is the same."""
    by_path = dict(pages)
    out = []
    for path in chosen:
        text = by_path[path]
        html_text, n, rows = tables_as_html(text, settings)
        page = TablePage(path, n, rows, [], [], True)
        for _ in range(runs):
            t, c, a = _timed(settings, text, repeat)
            page.as_is.append(t)
            page.cpu_as_is.append(c)
            t, c, b = _timed(settings, html_text, repeat)
            page.as_html.append(t)
            page.cpu_as_html.append(c)
            page.same = page.same and a == b
        out.append(page)
    rewritten = [(p, tables_as_html(t, settings)) for p, t in pages]
    total = TablePage("(all pages)", sum(n for _, (_, n, _) in rewritten),
                      sum(r for _, (_, _, r) in rewritten), [], [], True)
    variant = [(p, t) for p, (t, _, _) in rewritten]
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        a = convert_serial(pages, settings)
        total.as_is.append(time.perf_counter() - t)
        total.cpu_as_is.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        b = convert_serial(variant, settings)
        total.as_html.append(time.perf_counter() - t)
        total.cpu_as_html.append(time.process_time() - c)
        total.same = total.same and a == b
    out.append(total)
    return out


def default_table_pages(pages: list[tuple[str, str]]) -> list[str]:
    """The companies index, the valuations and data pages where they hold a table, and the
    profile with the most table rows."""
    have = {p: sum(e - s - 2 for s, e in tables(t)) for p, t in pages}
    chosen = [p for p in DEFAULT_TABLE_PAGES if have.get(p)]
    profiles = [(rows, p) for p, rows in have.items() if rows and p.startswith("companies/")
                and p.count("/") == 1 and p != "companies/index.md"]
    if profiles:
        chosen.insert(0, max(profiles, key=lambda rp: (rp[0], rp[1]))[1])
    return chosen


# ---------------------------------------------------------------------------------------------
# Conversion's share of a cold build

# A build with MkDocs' page conversion timed: _populate_page (read, the plugins' page events,
# conversion) and Page.render (the conversion alone: Python-Markdown and MkDocs' processors),
# wall and CPU seconds, summed over the pages and printed to stderr when the process ends.
_TIMED_BUILD = """
import atexit, runpy, sys, time
import mkdocs.commands.build as build
import mkdocs.structure.pages as pages
spent = {"populate": [0.0, 0.0], "render": [0.0, 0.0]}
def timed(fn, key):
    def run(*args, **kwargs):
        t, c = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[key][0] += time.perf_counter() - t
            spent[key][1] += time.process_time() - c
    return run
build._populate_page = timed(build._populate_page, "populate")
pages.Page.render = timed(pages.Page.render, "render")
t0 = time.perf_counter()
atexit.register(lambda: print("convbench-timed", time.perf_counter() - t0, time.process_time(),
                              *spent["populate"], *spent["render"], file=sys.stderr))
sys.argv[0] = "generator"
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""


@dataclass
class ColdBuild:
    wall: float
    cpu: float  # of the build's own process (the chart workers not counted)
    populate: tuple[float, float]  # wall, CPU
    convert: tuple[float, float]


def cold_build(root: Path, tmp: Path) -> ColdBuild:
    """A cold build of ``root`` (new, empty caches in ``tmp``), its conversion timed."""
    env = {**os.environ, "LEDGER_CACHE_HOME": str(tmp / "cache"),
           "FL_CHART_CACHE": str(tmp / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    env.setdefault("SOURCE_DATE_EPOCH", "1780000000")
    proc = subprocess.run([sys.executable, "-c", _TIMED_BUILD, "--root", str(root), "build",
                           "--site-dir", str(tmp / "site")], env=env, capture_output=True,
                          text=True)
    line = next((x for x in proc.stderr.splitlines() if x.startswith("convbench-timed ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"the cold build failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    wall, cpu, pw, pc, rw, rc = (float(x) for x in line.split()[1:])
    return ColdBuild(wall, cpu, (pw, pc), (rw, rc))


def format_cold(b: ColdBuild) -> str:
    def share(x: float) -> str:
        return f"{x / b.wall:.0%}"
    return "\n".join([
        f"{'cold build':36} {'wall':>9} {'CPU':>9}  share of the build's wall time",
        f"{'the whole build':36} {b.wall:8.2f}s {b.cpu:8.2f}s  100%",
        f"{'_populate_page (all pages)':36} {b.populate[0]:8.2f}s {b.populate[1]:8.2f}s  "
        f"{share(b.populate[0])}",
        f"{'Page.render: conversion':36} {b.convert[0]:8.2f}s {b.convert[1]:8.2f}s  "
        f"{share(b.convert[0])}"])


# ---------------------------------------------------------------------------------------------
# The report


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def format_conversion(rows: list[Row], runs: int) -> str:
    base = rows[0].median
    lines = [f"{'conversion of all pages':36} {'median':>9} {'min':>9} {'max':>9} {'ratio':>7}"
             f" {'CPU':>9}  same HTML  (runs: {runs})"]
    for row in rows:
        lines.append(f"{row.label:36} {row.median:8.2f}s {min(row.secs):8.2f}s "
                     f"{max(row.secs):8.2f}s {row.median / base:6.2f}× "
                     f"{statistics.median(row.cpu):8.2f}s  {'yes' if row.same else 'NO'}")
    return "\n".join(lines)


def format_tables(pages: list[TablePage], runs: int) -> str:
    lines = [f"{'tables as HTML':36} {'tables':>6} {'rows':>6} {'as is':>10} {'as HTML':>10} "
             f"{'ratio':>7} {'CPU ratio':>9}  same HTML  (medians of {runs})"]
    for p in pages:
        unit, scale = ("s", 1) if p.path == "(all pages)" else ("ms", 1000)
        lines.append(f"{p.path:36} {p.tables:6} {p.rows:6} "
                     f"{statistics.median(p.as_is) * scale:8.2f}{unit:>2} "
                     f"{statistics.median(p.as_html) * scale:8.2f}{unit:>2} "
                     f"{p.ratio:6.2f}× {p.cpu_ratio:8.2f}×  {'yes' if p.same else 'NO'}")
    return "\n".join(lines)


def run(docs: Path, config: Path, *, runs: int, workers: int, chunk: int, repeat: int,
        pages_wanted: list[str] | None, conversion: bool, table_pages: bool,
        log: Callable[[str], None] = print) -> dict[str, Any]:
    """Both measurements on an export's ``docs`` folder; the figures, printed as they come."""
    settings = markdown_settings(config)
    pages = read_pages(docs)
    log(f"pages: {len(pages):,}, Markdown {sum(len(t) for _, t in pages) / 1e6:.1f} MB "
        f"(characters); {os.cpu_count()} CPUs; load average {_load()}")
    log("extensions: " + ", ".join(e if isinstance(e, str) else type(e).__name__
                                   for e in settings.extensions))
    result: dict[str, Any] = {"pages": len(pages)}
    if conversion:
        rows = measure_conversion(pages, settings, runs=runs, workers=workers, chunk=chunk,
                                  log=log)
        result["conversion"] = rows
        log(format_conversion(rows, runs))
        log(f"load average {_load()}")
    if table_pages:
        chosen = pages_wanted or default_table_pages(pages)
        missing = [p for p in chosen if p not in dict(pages)]
        if missing:
            raise SystemExit(f"no such page in the export: {', '.join(missing)}")
        tp = measure_tables(pages, chosen, settings, runs=runs, repeat=repeat)
        result["tables"] = tp
        log(format_tables(tp, runs))
        log(f"load average {_load()}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.convbench",
                                     description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--root", default=str(REPO),
                       help="the project, exported first into a temporary folder (default: this "
                            "one)")
    where.add_argument("--export", metavar="DIR",
                       help="an earlier `./ledger export DIR` (its docs/ and mkdocs.yml)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each (medians; default 5)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--chunk", type=int, default=16,
                        help="pages in a chunk, the chunks dealt to the workers in turn "
                             "(default 16)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="conversions of a page in a row, the best taken as one run's "
                             "figure (tables; default 3)")
    parser.add_argument("--pages", nargs="+", metavar="PATH",
                        help="the pages of the table measurement (default: a profile, the "
                             "companies index, the valuations and data pages)")
    parser.add_argument("--no-conversion", action="store_true",
                        help="skip the serial/parallel measurement")
    parser.add_argument("--no-tables", action="store_true",
                        help="skip the tables measurement")
    parser.add_argument("--cold-build", action="store_true",
                        help="also build --root cold (new caches), its conversion timed: how "
                             "much of the build's wall time converting the pages takes")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.workers < 1 or args.chunk < 1 or args.repeat < 1:
        parser.error("--runs, --workers, --chunk and --repeat take a number, at least 1")
    options = dict(runs=args.runs, workers=args.workers, chunk=args.chunk, repeat=args.repeat,
                   pages_wanted=args.pages, conversion=not args.no_conversion,
                   table_pages=not args.no_tables)
    if args.cold_build and args.export:
        parser.error("--cold-build builds the project of --root, not an export")
    if args.export:
        out = Path(args.export)
        run(out / "docs", out / "mkdocs.yml", **options)
        return 0
    with tempfile.TemporaryDirectory(prefix="convbench-") as tmp:
        out = export(Path(args.root), Path(tmp) / "export")
        run(out / "docs", out / "mkdocs.yml", **options)
        if args.cold_build:
            print(f"cold build of {args.root}; load average {_load()}")
            print(format_cold(cold_build(Path(args.root), Path(tmp) / "cold")))
            print(f"load average {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
