"""The benchmark, not a timed test: ``./ledger bench`` (``python -m tools.bench``).

At scale: a synthetic but realistic project of N companies (about 8 funding events, 3
relationships, 4 source records and one profile chart each, a metric for the labs, a table, a
glossary and a few articles whose figures are bound to the data), built with the project's own
templates, theme overrides, stylesheets and mkdocs.yml, each build a fresh process: the check
of the built files (its answer kept by the build, generator.checkcache), the check after one
company file changed (nothing kept for it), a cold build (nothing cached), a warm build, a
rebuild after one company file changed, and plain MkDocs building the same pages; medians and
peak memory in a table. ``--reload`` also measures the edit-reload loop of serve in Chromium;
``--charts`` the charts of the shipped site one by one (building each spec, rendering its SVG and
PNG, and their weight) and the pages that hold them.

A tool, not part of the product: nothing in generator/ imports it. Nothing is written into the
project: projects, sites and caches go to a temporary folder (or ``--keep DIR``).
"""

from __future__ import annotations

import argparse
import gzip
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

from tools.synthetic import edit_company, synthetic_project

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
    # Python as a contributor runs it, keeping its bytecode: an environment that turns that off
    # (PYTHONDONTWRITEBYTECODE, set on the machine the README's figures come from) compiles the
    # generator's 76 modules in every process, a tenth of a second of each one-file rebuild
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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


@dataclass
class SizeResult:
    n: int
    pages: int = 0
    check: list[float] = field(default_factory=list)
    check_edit: list[float] = field(default_factory=list)  # the check after one file changed
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    rebuild: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)
    peak_cold: list[float] = field(default_factory=list)
    peak_warm: list[float] = field(default_factory=list)
    peak_plain: list[float] = field(default_factory=list)
    tree_cold: list[float] = field(default_factory=list)  # all processes together
    reload: list[float] = field(default_factory=list)  # serve: writing a file → the browser
    serve_rebuild: list[float] = field(default_factory=list)  # serve: the rebuild within that

    def med(self, name: str) -> float:
        return _median(getattr(self, name))


def measure_size(n: int, runs: int, tmp: Path, *, plain: bool = True, reload_edits: int = 0,
                 log=print) -> SizeResult:
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
        original = edit_company(edit, r)
        try:
            m = run_child(build, env)
        finally:
            edit.write_text(original, encoding="utf-8")
        res.rebuild.append(m.secs)
        log(f"    run {r + 1}: rebuild after one company file changed {m.secs:.1f} s")
        m = run_child([py, "-m", "generator", "--root", str(proj), "check"], env)
        res.check.append(m.secs)
        log(f"    run {r + 1}: check {m.secs:.2f} s")
        # a check of files as no check or build saw them (its answer is not kept): one file
        # changed, every other record taken from the records' cache
        original = edit_company(edit, r + 100)
        try:
            m = run_child([py, "-m", "generator", "--root", str(proj), "check"], env)
        finally:
            edit.write_text(original, encoding="utf-8")
        res.check_edit.append(m.secs)
        log(f"    run {r + 1}: check after one company file changed {m.secs:.2f} s")
        if reload_edits and r == runs - 1:
            # serve after a build, as a contributor runs it: with the charts that build rendered
            log(f"    serve on the N = {n:,} project, Chromium on the edited company's profile:")
            try:
                res.reload = reload_latency(proj, tmp / f"reload-{n}", edits=reload_edits,
                                            company=edit.stem, cache=cache,
                                            start_limit=max(600.0, 2 * max(res.cold)), log=log,
                                            rebuilds=res.serve_rebuild)
            except RuntimeError as exc:  # the table still prints, without this figure
                log(f"    serve: {exc}")
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

    head = ["N", "pages", "check s", "check 1 file s", "cold s", "warm s", "1 file s", "reload s",
            "rebuild s", "plain s",
            "warm/plain", "cold/plain", "check/warm", "peak MB", "warm MB", "all MB", "plain MB"]
    rows = []
    for x in results:
        rows.append([f"{x.n:,}", f"{x.pages:,}", s(x.med("check")), s(x.med("check_edit")),
                     s(x.med("cold")),
                     s(x.med("warm")), s(x.med("rebuild")), s(x.med("reload")),
                     s(x.med("serve_rebuild")), s(x.med("plain")),
                     r(x.med("warm"), x.med("plain")), r(x.med("cold"), x.med("plain")),
                     f"{100 * x.med('check') / x.med('warm'):.0f}%" if x.warm else "—",
                     f"{max(x.peak_cold + x.peak_warm, default=float('nan')):.0f}",
                     f"{max(x.peak_warm, default=float('nan')):.0f}",
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


def rebuild_times(log_file: Path) -> list[float]:
    """The seconds of each build serve logged so far ("Documentation built in 1.23 seconds")."""
    import re as _re

    text = log_file.read_text(encoding="utf-8", errors="replace") if log_file.is_file() else ""
    return [float(x) for x in _re.findall(r"Documentation built in ([0-9.]+) seconds", text)]


def reload_latency(proj: Path, tmp: Path, *, edits: int = 5, company: str | None = None,
                   cache: Path | None = None, start_limit: float = 600, log=print,
                   rebuilds: list[float] | None = None) -> list[float]:
    """Seconds from writing one company file of the project ``proj`` (which is edited, and put
    back) to Chromium showing the change, once per edit. ``cache``: the caches serve starts with
    (the charts a build of the project rendered, say; a new folder by default); ``start_limit``:
    seconds serve may take to answer first; ``rebuilds``: gets the seconds serve's rebuild took
    for each edit (from its log), the rest of the time being noticing the change and reloading
    the page."""
    rebuilds = rebuilds if rebuilds is not None else []
    import urllib.request

    from playwright.sync_api import sync_playwright

    tmp.mkdir(parents=True, exist_ok=True)
    files = sorted((proj / "data" / "companies").glob("*.yaml"))
    if not files:
        raise RuntimeError("the project has no company files to edit")
    if company is None:
        company = "anthropic" if (proj / "data" / "companies" / "anthropic.yaml").is_file() \
            else files[0].stem
    path = proj / "data" / "companies" / f"{company}.yaml"
    cid = path.stem
    port = _free_port()
    env = _env(cache or tmp / "reload-cache")
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
            if time.perf_counter() - t > start_limit:
                raise RuntimeError(f"serve did not answer within {start_limit:.0f} s")
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
                built = len(rebuild_times(log_file))
                t0 = time.perf_counter()
                path.write_text(new, encoding="utf-8")
                page.wait_for_function("m => document.body && document.body.innerText.includes(m)",
                                       arg=marker, polling=20, timeout=120_000)
                times.append(time.perf_counter() - t0)
                took = rebuild_times(log_file)[built:]
                if took:
                    rebuilds.append(sum(took))
                log(f"    edit {i + 1}: the browser showed it after {times[-1]:.2f} s"
                    + (f" (the rebuild took {sum(took):.2f} s)" if took else ""))
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
        results = [measure_size(n, runs, tmp, plain=plain, log=log,
                                reload_edits=reload_edits if reload else 0) for n in sizes]
        if results:
            print("\nSeconds (medians; '1 file': a build after one company file changed; "
                  "'reload': serve, from writing that file to Chromium showing the change; "
                  "'rebuild': serve's rebuild within it, from its log); peak "
                  "resident memory in MB: of the largest process, of the warm build, and of a "
                  "build and its chart workers together ('all', sampled every 0.2 s):")
            print(format_table(results))
        if reload:
            print("\nEdit-reload loop (python -m generator serve on a copy of the shipped site, "
                  "Chromium on the edited company's profile):", flush=True)
            proj = copy_project(repo, tmp / "reload-project")
            rebuilt: list[float] = []
            times = reload_latency(proj, tmp / "reload-shipped", edits=reload_edits, log=log,
                                   rebuilds=rebuilt)
            print(f"  from writing the YAML file to the browser showing the change: median "
                  f"{_median(times):.2f} s (edits: {', '.join(f'{x:.2f}' for x in times)}); "
                  f"serve's rebuild: median {_median(rebuilt):.2f} s")
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
