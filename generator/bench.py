"""A benchmark of the charts, not a timed test: ``python -m generator bench-charts``.

Prints, as medians of several runs:

- the wall time of a full strict build of the site (``python -m generator build``, a fresh process
  each run, into a temporary folder) cold (empty chart cache) and warm (every chart cached), and the
  cold build with charts rendered in one process and in worker processes;
- per chart: building the Vega-Lite spec with Altair, rendering the SVG, rendering the PNG, and the
  weight of the inline SVG and the PNG;
- the weight of the built pages that hold charts (HTML as served and gzipped).

Nothing is written into the project: sites and caches go to a temporary folder.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _build(root: Path, site: Path, cache: Path, workers: int | None) -> float:
    env = {**os.environ, "FL_CHART_CACHE": str(cache)}
    env.pop("FL_CHART_WORKERS", None)
    if workers is not None:
        env["FL_CHART_WORKERS"] = str(workers)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build",
                           "--site-dir", str(site)], env=env, capture_output=True, text=True)
    secs = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"the build failed:\n{done.stdout}{done.stderr}")
    return secs


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def per_chart(root: Path, runs: int) -> list[dict]:
    """Spec build, SVG and PNG time per chart (medians), in this process, vl-convert warmed up."""
    import vl_convert as vlc

    from .charts import _footer, _vl_version, build_charts, download_svg, inline_svg
    from .load import load
    from .problems import Problems

    problems = Problems()
    ds = load(root, problems)
    if problems.errors:
        raise RuntimeError(problems.report())
    t = time.perf_counter()
    vlc.vegalite_to_svg({"mark": "point"}, allowed_base_urls=[])
    init = time.perf_counter() - t
    version = _vl_version()
    samples: dict[str, dict[str, list[float]]] = {}
    info: dict[str, dict] = {}
    for _ in range(runs):
        for ch in build_charts(ds):
            s = samples.setdefault(ch.id, {"spec": [], "svg": [], "png": []})
            s["spec"].append(ch.build_seconds)
            t = time.perf_counter()
            svg = vlc.vegalite_to_svg(ch.base, vl_version=version, allowed_base_urls=[])
            s["svg"].append(time.perf_counter() - t)
            wrap = {"title": ch.title, "takeaway": ch.takeaway, "alt": ch.alt, "footer": _footer(ch)}
            t = time.perf_counter()
            png = vlc.svg_to_png(download_svg(svg, wrap), scale=2)
            s["png"].append(time.perf_counter() - t)
            info[ch.id] = {"inline_kb": len(inline_svg(svg, "x").encode()) / 1024,
                           "png_kb": len(png) / 1024,
                           "spec_kb": len(json.dumps(ch.spec).encode()) / 1024}
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


def run(root: Path, runs: int = 3) -> int:
    root = root.resolve()
    print(f"Chart benchmark of {root} ({runs} runs each, medians; {os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory(prefix="fl-bench-") as tmp_:
        tmp = Path(tmp_)
        site = tmp / "site"
        results: dict[str, list[float]] = {"cold, 1 process": [], "cold, 2 workers": [],
                                           "cold, automatic": [], "warm": []}
        for i in range(runs):
            for label, workers in (("cold, 1 process", 1), ("cold, 2 workers", 2),
                                   ("cold, automatic", None)):
                cache = tmp / f"cache-{label.replace(' ', '').replace(',', '')}-{i}"
                results[label].append(_build(root, site, cache, workers))
            warm_cache = tmp / "cache-cold1process-0"  # filled by the first cold build
            results["warm"].append(_build(root, site, warm_cache, None))
        print("\nFull strict build (a fresh `python -m generator build` each run):")
        for label, xs in results.items():
            print(f"  {label:18s} {_median(xs):6.2f} s   (runs: {', '.join(f'{x:.2f}' for x in xs)})")

        rows = per_chart(root, runs)
        print("\nPer chart (ms; spec = Altair, svg = vl-convert, png = 2x PNG of the download SVG):")
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

        print("\nPages holding charts (HTML as served / gzipped; CSS, JS and fonts not counted):")
        for path, size, gz, n in page_weights(site):
            print(f"  {path:44s} {size / 1024:7.1f} KB {gz / 1024:7.1f} KB gz   {n} chart(s)")
        css = root / "site_src" / "assets" / "charts.css"
        if css.is_file():
            print(f"  {'assets/charts.css':44s} {css.stat().st_size / 1024:7.1f} KB")
        shutil.rmtree(site, ignore_errors=True)
    return 0
