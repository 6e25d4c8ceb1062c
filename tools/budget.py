"""The weight budget: what a first visit to each kind of page costs a reader, measured in a real
browser.

``./ledger budget`` (``python -m tools.budget``) builds the shipped site into a temporary folder,
serves it from 127.0.0.1 under a sub-path (as GitHub project pages serve it), and loads one page of
each kind in Debian's Chromium with an empty cache. Every transfer is recorded; the table gives, per
page kind, the number of requests and the bytes of all response bodies, raw and gzipped (each body
gzipped here at level 6, so the figure does not depend on what the test server compresses). Then,
when Lighthouse is installed (``./ledger budget`` installs it with ``npm ci`` into the project's
cache folder, outside its tree: :func:`generator.cachedir.node_modules`), Lighthouse runs with its
default mobile settings on the home page, a company profile and an article, ``LIGHTHOUSE_RUNS``
times each (``--runs``), and prints the median of each of its four category scores, and each
run's performance score.

The budget: a company profile, first visit, all transfers gzipped, at most ``PROFILE_BUDGET`` bytes;
over it, the command exits 1. ``tests/test_budget.py`` measures with the same functions, so the
test and the script cannot disagree.

Only this machine is contacted: the pages are served from 127.0.0.1 and a request to any other host
is reported (and counted as a failure). A tool, not part of the product: nothing in generator/
imports it; the tests share its serving and browser helpers (tests/support.py).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from generator.render.pages import PAGE_KINDS as PAGE_KINDS_REGISTERED

SUBPATH = "/frontier-ledger/"
NOT_FOUND = "404"  # the site's page for an address that does not exist
# One page of each kind, relative to the site's address: the examples of the page kinds
# (generator/render/pages.py), and an address that does not exist.
PAGE_KINDS: dict[str, str] = {label: address for kind in PAGE_KINDS_REGISTERED
                              for label, address in kind.examples}
PAGE_KINDS[NOT_FOUND] = "no/such/page/"
# the page kind of each of them (by its registered name)
KIND_OF: dict[str, str] = {label: kind.name for kind in PAGE_KINDS_REGISTERED
                           for label, _ in kind.examples}
KIND_OF[NOT_FOUND] = NOT_FOUND
PROFILE_KIND = "company profile"
PROFILE_BUDGET = 100_000  # bytes, all transfers gzipped (100 KB, KB = 1000 bytes: the stricter reading)
GZIP_LEVEL = 6
# Lighthouse: the pages it scores, and the goals its scores are held to (printed, not enforced:
# simulated mobile performance varies by a point or two between runs on a busy machine).
LIGHTHOUSE_KINDS = ("home", "company profile", "article")
LIGHTHOUSE_RUNS = 3  # runs a page, the median printed: the machine is noisy
LIGHTHOUSE_GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
_COMPRESSIBLE = {"application/javascript", "application/json", "image/svg+xml", "application/xml",
                 "application/atom+xml", "text/javascript"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-features=Translate,MediaRouter,OptimizationHints"]


def chromium_executable() -> str | None:
    for c in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if c and Path(c).is_file():
            return c
    return None


# ---------------------------------------------------------------------------------------------
# Serving the built site


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped for clients that accept it, and the site's own 404 page for anything
    missing, as GitHub Pages serves them (Lighthouse times what actually crosses the wire)."""

    subpath = SUBPATH
    protocol_version = "HTTP/1.1"  # keep-alive, as a real host

    def log_message(self, *args):  # quiet
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")  # GitHub Pages sends the same
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the standard library's redirect to "folder/"
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        if not os.path.isfile(path) or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not (ctype.startswith("text/") or ctype in _COMPRESSIBLE):
            return super().send_head()  # missing (→ 404 page) or binary: as the stdlib does
        body = gzip.compress(Path(path).read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype if "charset" in ctype or not (
            ctype.startswith("text/") or ctype.endswith(("json", "javascript", "xml")))
            else ctype + "; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code, message=None, explain=None):
        if code == 404:
            page = Path(self.directory) / self.subpath.strip("/") / "404.html"
            if page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
        super().send_error(code, message, explain)


@contextlib.contextmanager
def served_build(root: Path, *, quiet: bool = True, settings=None) -> Iterator[str]:
    """Build the site at ``root`` (by ``settings``, if given) for, and serve it from,
    http://127.0.0.1:PORT/frontier-ledger/; yields that address. Everything lives in a temporary
    folder removed afterwards."""
    from generator.mkdocs_glue import build_site

    with tempfile.TemporaryDirectory(prefix="ledger-budget-") as tmp:
        served = Path(tmp) / "www"
        served.mkdir()
        httpd = socketserver.ThreadingTCPServer(
            ("127.0.0.1", 0), functools.partial(_Handler, directory=str(served)))
        httpd.daemon_threads = True
        started = False
        try:
            base = f"http://127.0.0.1:{httpd.server_address[1]}{SUBPATH}"
            out = open(os.devnull, "w") if quiet else contextlib.nullcontext(sys.stdout)
            with out as sink, contextlib.redirect_stdout(sink):
                code = build_site(root, Path(tmp) / "site", site_url=base, settings=settings)
            if code != 0:
                raise RuntimeError("the site did not build; run ./ledger build to see why")
            shutil.move(str(Path(tmp) / "site"), str(served / SUBPATH.strip("/")))
            t = threading.Thread(target=httpd.serve_forever, daemon=True)
            t.start()
            started = True
            yield base
        finally:
            if started:
                httpd.shutdown()
            httpd.server_close()


# ---------------------------------------------------------------------------------------------
# Measuring a first visit


@dataclass(frozen=True)
class Transfer:
    url: str
    resource_type: str
    status: int
    raw: int
    gzipped: int


@dataclass
class Visit:
    kind: str
    url: str
    status: int
    transfers: list[Transfer] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # requests to any host but 127.0.0.1

    @property
    def requests(self) -> int:
        return len(self.transfers) + len(self.failed)

    @property
    def raw(self) -> int:
        return sum(t.raw for t in self.transfers)

    @property
    def gzipped(self) -> int:
        return sum(t.gzipped for t in self.transfers)


def gzipped_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright (no browser download)."""
    exe = chromium_executable()
    if exe is None:
        raise RuntimeError("Chromium is needed: install Debian's 'chromium' or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def measure(browser, url: str, kind: str = "") -> Visit:
    """One first visit (fresh context: empty cache, no storage) at a phone's viewport; every
    request the page makes until the network has been idle for half a second, and a second
    more for anything started late."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        done: list = []
        visit = Visit(kind, url, 0)
        page.on("requestfinished", lambda r: done.append(r))
        page.on("requestfailed", lambda r: visit.failed.append(f"{r.url} {r.failure}"))

        def on_request(r):
            u = urlsplit(r.url)
            if u.scheme in ("http", "https", "ws", "wss") and u.hostname != "127.0.0.1":
                visit.foreign.append(r.url)

        page.on("request", on_request)
        response = page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(1000)
        visit.status = response.status if response is not None else 0
        for r in done:
            resp = r.response()
            if resp is None:
                continue
            try:
                body = resp.body()
            except Exception:  # noqa: BLE001 - a body the browser no longer holds: count nothing
                body = b""
            visit.transfers.append(Transfer(r.url, r.resource_type, resp.status, len(body),
                                            gzipped_size(body)))
        return visit
    finally:
        context.close()


def measure_all(browser, base: str, kinds: dict[str, str] = PAGE_KINDS) -> list[Visit]:
    return [measure(browser, base + path, kind) for kind, path in kinds.items()]


# ---------------------------------------------------------------------------------------------
# Lighthouse


def lighthouse_executable(root: Path) -> Path | None:
    """Lighthouse as ./ledger installed it, outside the project (never the project's own
    node_modules/, which a pull request could fill)."""
    from generator.cachedir import node_modules

    exe = node_modules(root) / ".bin" / "lighthouse"
    return exe if exe.is_file() else None


def lighthouse(root: Path, url: str, *, timeout: float = 300) -> dict:
    """Lighthouse's default (mobile, simulated throttling) run on one page: category scores out
    of 100, and the audits that did not pass, as {id: title}."""
    exe = lighthouse_executable(root)
    chrome = chromium_executable()
    if exe is None or chrome is None:
        raise RuntimeError("Lighthouse needs the Node tools (./ledger budget installs them) "
                           "and Chromium")
    env = {**os.environ, "CHROME_PATH": chrome}
    with tempfile.TemporaryDirectory(prefix="ledger-lh-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = [str(exe), url, "--quiet", "--output=json", f"--output-path={out}",
               "--only-categories=performance,accessibility,best-practices,seo",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
               "--disable-background-networking --disable-component-update --no-first-run",
               "--disable-full-page-screenshot"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                              cwd=tmp)
        if proc.returncode != 0 or not out.is_file():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            raise RuntimeError("Lighthouse failed: " + " / ".join(tail))
        report = json.loads(out.read_text(encoding="utf-8"))
    scores = {k: round((c.get("score") or 0) * 100) for k, c in report["categories"].items()}
    failing = {}
    for cat in report["categories"].values():
        for ref in cat["auditRefs"]:
            a = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and a.get("score") is not None and a["score"] < 0.9:
                failing[a["id"]] = f"{a['title']} ({a.get('displayValue', '')})".replace(" ()", "")
    metrics = {k: report["audits"][k].get("displayValue", "") for k in (
        "first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
        "cumulative-layout-shift", "speed-index") if k in report["audits"]}
    return {"scores": scores, "failing": failing, "metrics": metrics}


# ---------------------------------------------------------------------------------------------
# The command


def _kb(n: int) -> str:
    return f"{n / 1000:,.1f} KB"


def format_table(visits: list[Visit]) -> str:
    rows = [("page kind", "requests", "raw", "all gzipped", "address")]
    for v in visits:
        rows.append((v.kind, str(v.requests), _kb(v.raw), _kb(v.gzipped),
                     urlsplit(v.url).path.removeprefix(SUBPATH) or "(home)"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = {1, 2, 3}
    lines = []
    for n, r in enumerate(rows):
        cells = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_transfers(v: Visit) -> str:
    lines = [f"{v.kind}: every transfer"]
    for t in sorted(v.transfers, key=lambda t: -t.gzipped):
        lines.append(f"  {t.gzipped:>8,} B gz {t.raw:>9,} B raw  {t.resource_type:<10} "
                     f"{urlsplit(t.url).path.removeprefix(SUBPATH)}")
    return "\n".join(lines)


def _median(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def lighthouse_report(root: Path, base: str, runs: int = LIGHTHOUSE_RUNS) -> int:
    """Lighthouse on each of LIGHTHOUSE_KINDS, ``runs`` times: the median of each category
    printed against its goal, each run's performance, the median run's metrics and the audits
    below 90 in any run. 1 when a run failed, else 0."""
    code = 0
    print(f"\nLighthouse (default mobile settings, simulated throttling), scores out of 100, "
          f"median of {runs} run{'s' if runs != 1 else ''}:")
    for kind in LIGHTHOUSE_KINDS:
        got = []
        for _ in range(runs):
            try:
                got.append(lighthouse(root, base + PAGE_KINDS[kind]))
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                print(f"  {kind}: {exc}")
                code = 1
        if not got:
            continue
        parts = []
        for cat, goal in LIGHTHOUSE_GOALS.items():
            score = _median([g["scores"].get(cat, 0) for g in got])
            parts.append(f"{cat} {score}" + ("" if score >= goal else f" (goal {goal})"))
        each = ", ".join(str(g["scores"].get("performance")) for g in got)
        print(f"  {kind}: " + ", ".join(parts) + f" (performance of each run: {each})")
        middle = sorted(got, key=lambda g: g["scores"].get("performance", 0))[len(got) // 2]
        print("    " + ", ".join(f"{k} {v}" for k, v in middle["metrics"].items()))
        failing = {k: v for g in got for k, v in g["failing"].items()}
        for audit, title in sorted(failing.items()):
            print(f"    below 90: {audit}: {title}")
    return code


def run(root: Path, *, use_lighthouse: bool = True, details: bool = False,
        runs: int = LIGHTHOUSE_RUNS) -> int:
    code = 0
    print("Building the site and serving it from 127.0.0.1 ...", flush=True)
    with served_build(root) as base:
        with chromium() as browser:
            visits = measure_all(browser, base)
        print(f"\nFirst visit, empty cache, one page of each kind ({base}):\n")
        print(format_table(visits))
        profile = next(v for v in visits if v.kind == PROFILE_KIND)
        if details:
            print()
            print(format_transfers(profile))
        print()
        problems = [f"{v.kind}: {u}" for v in visits for u in v.foreign + v.failed]
        bad_status = [f"{v.kind}: HTTP {v.status}" for v in visits
                      if v.status != (404 if v.kind == NOT_FOUND else 200)]
        for p in problems + bad_status:
            print(f"problem: {p}")
            code = 1
        verdict = "within" if profile.gzipped <= PROFILE_BUDGET else "OVER"
        print(f"Budget: a company profile, all transfers gzipped, at most {_kb(PROFILE_BUDGET)}: "
              f"{_kb(profile.gzipped)} ({profile.gzipped:,} bytes), {verdict} budget.")
        if profile.gzipped > PROFILE_BUDGET:
            code = 1
        if not use_lighthouse:
            return code
        if lighthouse_executable(root) is None:
            print("\nLighthouse is not installed (./ledger budget installs it); skipped.")
            return code
        code |= lighthouse_report(root, base, runs)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./ledger budget", description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent),
                        help="the project (default: this one)")
    parser.add_argument("--no-lighthouse", action="store_true", help="measure transfers only")
    parser.add_argument("--details", action="store_true",
                        help="also list every transfer of a profile")
    parser.add_argument("--runs", type=int, default=LIGHTHOUSE_RUNS, choices=range(1, 10),
                        metavar="N", help="Lighthouse runs a page; the median is printed "
                        f"(default {LIGHTHOUSE_RUNS})")
    args = parser.parse_args(argv)
    try:
        return run(Path(args.root).resolve(), use_lighthouse=not args.no_lighthouse,
                   details=args.details, runs=args.runs)
    except RuntimeError as exc:  # no Chromium, or the site did not build
        print(f"budget: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
