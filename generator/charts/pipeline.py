"""The one way charts are rendered: each chart's spec → SVG (and a PNG of its download) with
vl-convert, straight into the render cache, with the files made from it, in worker processes when
there are enough charts to pay for starting them, else in a thread of this process.

Rendering does not hold up the pages: a page refers to its chart's SVG by a placeholder
(generator.engine) and the downloads are files in the cache folder; :meth:`Rendering.finish` waits
for every chart and reports those that could not be rendered as located problems. vl-convert
serialises calls inside one process, so a second thread would not help; and a process that runs
its JS engine is never forked (workers are spawned).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..glyphs import fonts_identity, outline_svg, outlines_for
from ..png import smaller
from ..problems import Problem, Problems
from .base import Chart
from .cache import DERIVING_MODULES, RenderCache, module_digest, render_versions, write_atomic
from .svg import download_svg, inline_svg

PNG_SCALE = 2
# Worker processes pay about 1.5 to 2 s to start (Python, Altair, the JS engine of vl-convert) and
# then render two charts at a time; one process renders a chart in about 0.3 s (SVG and 2x PNG).
# Measured on 2 cores with the 10 charts of the shipped site: a cold full build took 7.4 s with one
# process and 5.5 s with 2 workers when the machine was fairly quiet, 8.4 s against 8.2 s when it
# was busy; rendering alone, in a process whose vl-convert had started, took 3.8 s against 6.1 s
# with 2 workers. The gain is small and not reliable at this size, so two workers are used only
# from this many uncached charts up, one below (a number of workers given in the settings forces
# it). (Those figures predate the charts built without Altair: a worker now starts in about 0.2 s
# before its JS engine.)
PARALLEL_MIN_JOBS = 16
MAX_WORKERS = 2


@dataclass
class RenderStats:
    """What a rendering did, for the benchmark: per chart seconds, and cache hits."""

    seconds: dict[str, float] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    workers: int = 1
    wall: float = 0.0


def render_key(ch: Chart, cache: RenderCache) -> tuple[str, dict[str, Any]]:
    """The render cache's key for a chart, and the words its download SVG wraps it in."""
    # (the fonts: vl-convert measures and draws the text with those it finds)
    wrap = {"title": ch.title, "takeaway": ch.takeaway, "alt": ch.alt,
            "footer": ch.footer(), "vl_version": render_versions(cache.dir)[1],
            "fonts": fonts_identity()}
    if not ch.png_download:
        wrap["png"] = False
    return cache.key(ch.spec_digest, json.dumps(wrap, sort_keys=True)), wrap


def render_svg(spec_json: str, wrap: dict[str, Any], batch: int = 1) -> tuple[str, bytes | None]:
    """Spec → (SVG as vl-convert returns it, PNG of the downloadable SVG or None when the chart
    has no PNG download). ``batch``: how many charts this rendering makes (glyphs.outlines_for)."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(json.loads(spec_json), vl_version=wrap["vl_version"],
                              allowed_base_urls=[])
    png = None
    if wrap.get("png", True):
        # its text drawn as glyph outlines where they draw it: the same PNG in two thirds of the
        # time, vl-convert no longer mapping the font file for each glyph (generator.glyphs)
        drawn = outline_svg(download_svg(svg, wrap), outlines_for(batch))
        png = smaller(vlc.svg_to_png(drawn, scale=PNG_SCALE))
    return svg, png


def _derive_files(cache_dir: str, key: str, svg: str, wrap: dict[str, Any], chart_id: str,
                  made_by: str) -> None:
    """The files made from a rendered SVG: as placed in pages, and the download with its words."""
    cache = RenderCache(Path(cache_dir))
    for kind, make in (("inline.svg", lambda: inline_svg(svg, chart_id)),
                       ("dl.svg", lambda: download_svg(svg, wrap))):
        path = cache.path(key, kind, made_by)
        if not path.is_file():
            write_atomic(path, make().encode("utf-8"))


def render_to_files(cache_dir: str, key: str, spec: str | Path, wrap: dict[str, Any],
                    chart_id: str, made_by: str, batch: int = 1) -> float:
    """Render one chart into the cache folder (SVG, PNG if it has one, and the files made from
    them). Runs in worker processes while the main process goes on building the pages. ``spec``:
    the spec as JSON text, or a file holding it (removed once the chart is rendered)."""
    t = time.perf_counter()
    spec_json = spec.read_text(encoding="utf-8") if isinstance(spec, Path) else spec
    svg, png = render_svg(spec_json, wrap, batch)
    RenderCache(Path(cache_dir)).put(key, svg, png)
    _derive_files(cache_dir, key, svg, wrap, chart_id, made_by)
    if isinstance(spec, Path):
        spec.unlink(missing_ok=True)
    return time.perf_counter() - t


class Rendering:
    """The rendering of one build's charts, started at once; owns its worker pool until
    :meth:`finish` or :meth:`abandon`. ``workers``: how many processes (None: two from
    :data:`PARALLEL_MIN_JOBS` charts to render up, else one; 1: this process); ``long_lived``: a
    process that renders again and again (serve), which renders a few charts itself."""

    def __init__(self, charts: list[Chart], cache: RenderCache, problems: Problems, *,
                 workers: int | None = None, long_lived: bool = False):
        t0 = time.perf_counter()
        self.cache, self.problems = cache, problems
        self.stats = stats = RenderStats()
        self.keys: dict[str, str] = {}  # chart id → render key
        # (chart id, origin, key, future or job): not the chart itself, so that a build does not
        # hold every chart (and, through them, the data) while MkDocs converts the pages
        self._pending: list[tuple[str, str, str, Any]] = []
        self._pool: Executor | None = None
        made_by = module_digest(*DERIVING_MODULES)[:12]
        # one listing of the folder instead of four or five stats a chart (5,000 at 1,000
        # companies)
        present = cache.names()
        jobs = [job for ch in charts if (job := self._job(ch, made_by, present)) is not None]
        stats.misses = len(jobs)
        cores = os.cpu_count() or 1
        # Where a few charts are rendered (a rebuild after an edit): by one worker process all
        # the same, unless one process was asked for. vl-convert holds Python's lock while its JS
        # engine starts (0.3 s: a thread of the build ran 5 % of that time), so rendering them in
        # a thread of the build stalled the pages being built; a worker starts on the other core
        # (Python and the pipeline's imports, 0.2 s) while the build goes on, and the build never
        # loads the engine (100 MB). A one-file rebuild at 1,000 companies: 2.95 s with a
        # thread, 2.72 s with a worker (medians of six, alternating), its peak 239 -> 144 MB.
        # Serve (``long_lived``) renders them in a thread all the same: its engine, started once,
        # then renders a chart in 0.03 s, and a worker a rebuild cost serve's rebuild at 1,000
        # companies 1.37 -> 1.80 s.
        few = len(jobs) < PARALLEL_MIN_JOBS
        here = workers == 1 or (workers is None and (cores == 1 or (long_lived and few)))
        if workers is None:
            workers = 1 if few else min(MAX_WORKERS, cores)
        stats.workers = workers = max(1, min(workers, len(jobs) or 1))
        batch = -(-len(jobs) // workers)  # the charts each process renders
        if jobs and not here:
            import multiprocessing

            ctx = multiprocessing.get_context("spawn")  # never fork a process that runs a JS engine
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
        elif jobs:  # this process: in a thread, so that a build can go on meanwhile (between
            # vl-convert's calls, which hold Python's lock); one: it serialises them
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="charts")
        if self._pool is not None:
            self._pending = [(cid, origin, key, self._pool.submit(render_to_files, *args, batch))
                             for cid, origin, key, args in jobs]
        stats.wall = time.perf_counter() - t0

    def _job(self, ch: Chart, made_by: str, present: set[str]
             ) -> tuple[str, str, str, tuple] | None:
        """What rendering ``ch`` takes, or None when it is in the cache (its derived files made
        if need be). ``present``: the names of the cache folder's files."""
        cache = self.cache
        key, wrap = render_key(ch, cache)
        self.keys[ch.id] = key

        def has(kind: str) -> bool:
            return cache.name(key, kind, made_by) in present

        if not has("vl.json"):
            write_atomic(cache.path(key, "vl.json", made_by), ch.spec_json().encode("utf-8"))
        svg = cache.path(key, "svg")
        if has("svg") and (not ch.png_download or has("png")):
            self.stats.hits += 1
            if has("inline.svg") and has("dl.svg"):
                return None
            try:
                _derive_files(str(cache.dir), key, svg.read_text(encoding="utf-8"), wrap, ch.id,
                              made_by)
                return None
            except OSError:
                self.stats.hits -= 1
        # each job's spec waits in a file, not in this process: the executor holds the arguments
        # of every job until it is done, and at 5,000 charts their specs were 60 MB
        spec = self._spec_file(key, ch)
        return ch.id, ch.origin, key, (str(cache.dir), key, spec, wrap, ch.id, made_by)

    def _spec_file(self, key: str, ch: Chart) -> str | Path:
        # A file of this build alone: the worker removes it once the chart is rendered, and a
        # name shared by simultaneous builds of one project (<key>.spec.json, as it was) let one
        # build's worker remove the spec another build's worker was about to read, which failed
        # that build with "chart … could not be rendered: FileNotFoundError", blaming the data.
        try:
            self.cache.dir.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.cache.dir, prefix=f"{key}.", suffix=".spec.json")
            with os.fdopen(fd, "wb") as f:
                f.write(ch.base_json.encode("utf-8"))
        except OSError:
            return ch.base_json
        return Path(name)

    def finish(self) -> list[Problem]:
        """Wait for every chart; the charts that could not be rendered, as problems (also added to
        the rendering's Problems)."""
        failed = []
        for chart_id, origin, key, job in self._pending:
            t = time.perf_counter()
            try:
                secs = job.result()
            except Exception as exc:  # noqa: BLE001 - reported as a located problem
                text = str(exc)
                error = f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"
                self.problems.error(origin, f"chart '{chart_id}' could not be rendered: {error}")
                failed.append(self.problems.items[-1])
                secs = time.perf_counter() - t
            self.stats.seconds[chart_id] = secs
        self._pending = []
        self.abandon()
        return failed

    def abandon(self) -> None:
        """Stop the workers (a build that stopped: nothing is waited for)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._pending = []
