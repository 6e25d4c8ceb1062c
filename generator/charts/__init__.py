"""Charts from data, registered once: :data:`CHART_KINDS` lists every kind of chart, and
:class:`Charts` is what templates and articles talk to (``{{ chart("id") }}``).

Every chart the data supports has an id (``valuations-over-time``, ``valuation-anthropic``, …),
known from the data alone, without building anything (the check relies on that). A placed chart is
one ``<figure>`` on the page: a title and a one-sentence takeaway computed from the data; the chart
as inline SVG (rendered by vl-convert at build time: no browser, no network, visible with
JavaScript off) in a container with ``role="img"`` and alt text generated from the data; notes;
the data as a table in a collapsed ``<details>``; links to the downloads (``charts/<id>.csv``,
``.vl.json``, ``.svg`` with title and source line, ``.png``); and a citation line whose numbers
join the page's list of sources.

Adding a kind of chart: a module beside these (see any of them: ``instances(ds)`` says which
charts of the kind the data supports and what each reads, ``build(ds, instance, builder)`` builds
one) and one line in :data:`CHART_KINDS`, plus its golden file (tests/golden/charts/).

Safety: text from data only ever travels in Vega-Lite *data values* (see :mod:`.spec`), the SVG
comes back with it entity-escaped, and everything written into HTML goes through
:mod:`generator.escape`. Legends are drawn as ordinary layers (so filled and hollow status marks
show as they are), which is also why the charts carry no Vega legends.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable

from markupsafe import Markup

from .. import engine
from ..facts import secondary_only
from ..markup import current_page
from ..problems import Problems
from ..suggest import suggest
from ..collector import paused
from ..types import FilePage, Page, RenderError
from . import (capital_raised, company_valuation, gpu_generations, largest_ipos, latest_valuations,
               rack_power, valuations_over_time, who_funds_whom)
from .base import Chart, ChartKind, Instance
from .cache import (BuiltCharts, ChartStore, module_digest, record_code, schema_url,
                    write_atomic)
from .figure import csv_text, figure_markup
from .pipeline import Rendering
from .spec import SpecBuilder

# The code that writes a chart's CSV download (figure.csv_text and what it calls), which names
# the CSV in the chart cache with the chart's key
CSV_MODULES = ("generator.charts.figure", "generator.charts.words", "generator.downloads",
               "generator.escape", "generator.values")

CHART_KINDS: tuple[ChartKind, ...] = (
    valuations_over_time.KIND,
    latest_valuations.KIND,
    capital_raised.KIND,
    who_funds_whom.KIND,
    largest_ipos.KIND,
    gpu_generations.KIND,
    rack_power.KIND,
    company_valuation.KIND,
)


class _Reads:
    """What the instances of one build read, as stable text. A record is named by its file: its
    path and the digest of its text (generator.load keeps them, ``Dataset.digests``), with the
    code that makes a record from a file (cache.record_code), which together determine the
    record, as in the records' cache; a record whose file has no digest (a dataset made some
    other way) by its dump. A folder read whole is named by the names of its records."""

    def __init__(self, ds: Any):
        self.ds = ds
        self.code = record_code(*_kind_modules(ds))
        self._all: dict[str, str] = {}

    def one(self, folder: str, record_id: str) -> str:
        record = self.ds.records[folder][record_id]  # (a chart reads records that exist)
        rel = self.ds.origin(folder, record_id)
        d = self.ds.digests.get(rel)
        return f"{rel}\0f{d}" if d is not None else f"{rel}\0r{record.model_dump_json()}"

    def every(self, folder: str) -> str:
        if folder not in self._all:
            h = hashlib.sha256()
            for rid in sorted(self.ds.records[folder]):
                h.update(f"{rid}\0{self.one(folder, rid)}\0".encode("utf-8"))
            self._all[folder] = h.hexdigest()
        return self._all[folder]

    def text(self, instance: Instance) -> str:
        return self.code + "".join(
            f"\0{folder}\0{self.every(folder) if rid is None else self.one(folder, rid)}"
            for folder, rid in instance.reads)


def _kind_modules(ds: Any) -> list[str]:
    """The modules of the data kinds' models and typing (a project's own kinds' too)."""
    out = []
    for kind in getattr(ds, "kinds", ()):
        out += [f.__module__ for f in (kind.model, kind.typed) if f is not None]
    return out


def instances(ds: Any, kinds: Iterable[ChartKind] = CHART_KINDS
              ) -> list[tuple[ChartKind, Instance]]:
    """Every chart the data supports, in a stable order (the kinds' order), without building any."""
    return [(kind, inst) for kind in kinds for inst in kind.instances(ds)]


def build_all(ds: Any, kinds: Iterable[ChartKind] = CHART_KINDS, built: BuiltCharts | None = None,
              *, validate: bool = False,
              found: list[tuple[ChartKind, Instance]] | None = None,
              keys: dict[str, str] | None = None, schema: str | None = None) -> list[Chart]:
    """Every chart the data supports, built. With ``built``, a chart whose code and records have
    not changed since it was last built is taken from there. ``found``: :func:`instances`, when
    the caller has them already; ``keys``: filled with each chart's key (chart id → key: its
    code and the files it reads, see :class:`_Reads`); ``schema``: the Vega-Lite schema's address
    (charts.cache.schema_url), so that the charts are built without importing Altair."""
    reads = _Reads(ds) if built is not None or keys is not None else None
    found = found if found is not None else instances(ds, kinds)
    chart_keys: list[str | None] = [None] * len(found)
    if reads is not None:
        for i, (kind, inst) in enumerate(found):
            chart_keys[i] = BuiltCharts.key(module_digest(kind.module), kind.name, inst.id,
                                            inst.origin, reads.text(inst))
            if keys is not None:
                keys[inst.id] = chart_keys[i]
    kept: list[Chart | None] = [None] * len(found)
    if built is not None:
        with paused():  # thousands of kept charts read back (generator.collector)
            kept = [built.get(key) if key is not None else None for key in chart_keys]
    out = []
    for (kind, inst), key, ch in zip(found, chart_keys, kept):
        if ch is None:
            b = SpecBuilder.lite(validate=validate, schema=schema) if kind.lite else \
                SpecBuilder.altair(validate=validate)
            ch = kind.build(ds, inst, b)
            if built is not None and key is not None:
                built.put(key, ch)
        # the newest publication date among its sources (never when an undated page was read)
        dates = [ds.sources[s].published for s in ch.sources
                 if s in ds.sources and ds.sources[s].published is not None]
        ch.data_as_of = max(dates) if dates else None
        ch.secondary_rows = tuple(i for i, r in enumerate(ch.rows)
                                  if secondary_only(ds.sources, r.get("sources", ())))
        out.append(ch)
    return out


def figure_key(chart_key: str, ch: Chart) -> str:
    """What a chart's figure on a page is made from: the chart as built (its key) and what each
    build sets on it from the sources' records (:func:`build_all`), which its key need not
    cover (a comparison chart does not read the sources)."""
    return hashlib.sha256(f"{chart_key}\0{ch.data_as_of or ''}\0{ch.secondary_rows}"
                          .encode("utf-8")).hexdigest()


class Charts:
    """The charts of one render, as templates and articles see them: which exist, placing one on
    the page being rendered, and their downloads. ``render=False`` (the check): the charts are
    known from the data and placed as nothing; nothing is built or rendered. Otherwise every chart
    is built (or taken from ``store``) and its rendering started at once (see
    :class:`~.pipeline.Rendering`); pages hold a placeholder for each chart's SVG, which the
    finished page gets from the chart's inline SVG file."""

    def __init__(self, ds: Any, problems: Problems, *, kinds: Iterable[ChartKind] = CHART_KINDS,
                 store: ChartStore | None = None, render: bool = True,
                 workers: int | None = None, validate: bool = False):
        self.problems = problems
        self.render = render and store is not None
        self.store = store
        self.rendering: Rendering | None = None
        self.charts: dict[str, Chart] = {}
        self.figure_keys: dict[str, str] = {}  # chart id → figure_key (kept after release())
        self.chart_keys: dict[str, str] = {}  # chart id → its key (build_all)
        try:
            found = instances(ds, kinds)
            self.ids = [inst.id for _, inst in found]
            if self.render:
                assert store is not None
                keys: dict[str, str] = {}
                charts = build_all(ds, kinds, store.built, validate=validate, found=found,
                                   keys=keys, schema=schema_url(store.rendered.dir))
                self.charts = {c.id: c for c in charts}
                self.figure_keys = {c.id: figure_key(keys[c.id], c) for c in charts}
                self.chart_keys = keys
        except Exception as exc:  # noqa: BLE001 - a located problem, never a traceback
            problems.error("data", f"charts could not be built from the data: "
                           f"{type(exc).__name__}: {exc}")
            self.ids, self.charts, self.figure_keys = [], {}, {}
        self._known = set(self.ids)
        if self.render and self.charts:
            assert store is not None
            self.rendering = Rendering(list(self.charts.values()), store.rendered, problems,
                                       workers=workers, long_lived=store.long_lived)

    def place(self, chart_id: str, optional: bool = False) -> Markup:
        """The figure for one chart, on the page being rendered. ``optional=True`` places nothing
        when the data has no such chart (for templates; articles name charts that exist)."""
        if str(chart_id) not in self._known:
            if optional:
                return Markup("")
            raise RenderError(f"unknown chart '{chart_id}'{suggest(str(chart_id), self._known)}")
        if not self.render:
            return Markup("")
        ch = self.charts[str(chart_id)]
        placed = current_page().charts
        n = placed[ch.id] = placed.get(ch.id, 0) + 1
        anchor = f"chart-{ch.id}" + (f"-{n}" if n > 1 else "")
        return figure_markup(ch, anchor, engine.chart_placeholder(ch.id))

    def figure_key(self, chart_id: str) -> str:
        """What the figure :meth:`place` puts on a page for chart ``chart_id`` is made from, for
        the profiles' cache (generator.render.reuse): a hash that changes whenever the figure
        would, without making it ('' when there is no such chart, as in a check)."""
        return self.figure_keys.get(str(chart_id), "")

    def assets(self) -> list[Page | FilePage]:
        """The download files of every chart: charts/<id>.csv, .vl.json, .svg and .png, and the SVG
        exactly as placed in pages (charts/<id>.inline.svg), the files in the cache folder, which
        MkDocs copies once they are rendered."""
        if self.rendering is None:
            return []
        cache, out = self.rendering.cache, []
        csv_by = module_digest(*CSV_MODULES)[:12]
        for ch in self.charts.values():
            key = self.rendering.keys[ch.id]
            out += [self._csv(ch, cache.path(self.chart_keys[ch.id], "csv", csv_by)),
                    FilePage(f"charts/{ch.id}.vl.json", cache.path(key, "vl.json"), ch.origin,
                             self.finish),
                    FilePage(f"charts/{ch.id}.svg", cache.path(key, "dl.svg"), ch.origin,
                             self.finish)]
            if ch.png_download:
                out.append(FilePage(f"charts/{ch.id}.png", cache.path(key, "png"), ch.origin,
                                    self.finish))
            out.append(FilePage(f"charts/{ch.id}.inline.svg", cache.path(key, "inline.svg"),
                                ch.origin, self.finish))
        return out

    @staticmethod
    def _csv(ch: Chart, file: Path) -> Page | FilePage:
        """The chart's CSV download: a file of the chart cache, named by the chart's key (its
        code and the records it reads, which make its rows) and by the code that writes CSV, so
        that a build makes only the CSVs of the charts it built again (making all 1,000 of them
        was a tenth of a one-file rebuild at 1,000 companies)."""
        if not file.is_file():
            data = csv_text(ch).encode("utf-8")
            try:
                write_atomic(file, data)
            except OSError:  # the cache cannot be written: the CSV as made
                return Page(f"charts/{ch.id}.csv", data, ch.origin)
        return FilePage(f"charts/{ch.id}.csv", file, ch.origin)

    def release(self) -> None:
        """Every page is rendered: let go of the charts (what is still to be rendered was handed
        to the rendering with everything it needs)."""
        self.charts = {}

    def finish(self) -> list:
        """Wait for the rendering; the charts that could not be rendered, as problems."""
        return self.rendering.finish() if self.rendering is not None else []

    def abandon(self) -> None:
        """Nothing will be published: stop rendering."""
        if self.rendering is not None:
            self.rendering.abandon()

    def inline_svg(self, chart_id: str) -> str:
        """The SVG of a rendered chart as placed in pages ('' when there is none)."""
        if self.rendering is None or chart_id not in self.rendering.keys:
            return ""
        path = self.rendering.cache.path(self.rendering.keys[chart_id], "inline.svg")
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            return ""

