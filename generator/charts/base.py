"""What a chart is (its words, table, sources and spec), what a chart kind declares (which charts
the data supports and what each reads, and how one is built), and how a chart is written out as
its downloadable spec."""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from typing import Any, Callable

from ..escape import json_for_html
from ..values import PartialDate


@dataclass(frozen=True)
class Col:
    """A column of a chart's data table and CSV."""

    key: str
    label: str
    kind: str = "text"  # text | date | money | number | status | year


@dataclass
class Chart:
    """A built chart: what the page shows besides the picture, and the Vega-Lite spec."""

    id: str
    title: str
    takeaway: str
    alt: str
    notes: list[str]
    columns: list[Col]
    rows: list[dict[str, Any]]
    sources: list[str]
    origin: str  # the data file (or folder) a contributor edits to change this chart
    # the Vega-Lite spec as shown inline (no title, transparent background), as compact JSON with
    # sorted keys (base_json), kept zlib-compressed: what the render cache's key is made of, and
    # all a chart keeps of its spec (at 5,000 companies the specs are 55 MB as text, 11 packed,
    # held by the render with the dataset)
    packed_spec: bytes
    # the SHA-256 of base_json, made with it: the render cache's key names the spec by it, so
    # that a build of a thousand kept charts does not unpack and hash their specs again
    spec_digest: str
    # Comparison charts offer a PNG download too; a company's own chart offers CSV, spec and SVG
    # (a 2x PNG costs twice the SVG to render and ~280 KB a profile: 1.4 GB for 5,000 companies).
    png_download: bool = True
    data_as_of: PartialDate | None = None  # the newest publication date among its sources
    # the rows (by index) whose figures rest on secondary sources only (facts.secondary_only):
    # like data_as_of, said of the sources' records, so set on every build, never cached
    secondary_rows: tuple[int, ...] = ()

    @property
    def base_json(self) -> str:
        return zlib.decompress(self.packed_spec).decode("utf-8")

    @property
    def base(self) -> dict[str, Any]:
        return json.loads(self.base_json)

    @property
    def spec(self) -> dict[str, Any]:
        """The downloadable spec: the inline one with its title, description and a white
        background."""
        spec = self.base
        spec["title"] = {"text": self.title, "subtitle": self.takeaway}
        spec["description"] = self.alt
        spec["config"] = {**spec.get("config", {}), "background": "white"}
        return dict(sorted(spec.items()))

    def spec_json(self) -> str:
        """The downloadable spec as JSON text that stays inert even if pasted into HTML."""
        return json_for_html(json.dumps(self.spec, indent=2, ensure_ascii=False,
                                        sort_keys=True)) + "\n"

    def footer(self) -> str:
        """The source line under the downloadable picture."""
        when = f", the newest dated {self.data_as_of.display()}" if self.data_as_of else ""
        n = len(self.sources)
        return (f"Frontier Ledger, from {n} cited source{'s' if n != 1 else ''}{when}. "
                f"Chart id: {self.id}.")


def chart(chart_id: str, title: str, takeaway: str, alt: str, notes: list[str], columns: list[Col],
          rows: list[dict[str, Any]], sources: list[str], origin: str, spec: dict[str, Any], *,
          png_download: bool = True) -> Chart:
    """A :class:`Chart` from the spec as a dict."""
    data = json.dumps(spec, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return Chart(chart_id, title, takeaway, alt, notes, columns, rows, sources, origin,
                 zlib.compress(data, 1), hashlib.sha256(data).hexdigest(), png_download)


@dataclass(frozen=True)
class Instance:
    """One chart the data supports, known without building it: its id, the file (or folder) a
    contributor edits to change it, and what it reads, for its cache key: (data folder, record id)
    pairs, the id None meaning every record of the folder."""

    id: str
    origin: str
    reads: tuple[tuple[str, str | None], ...]
    subject: str | None = None  # the record a chart of one record is about (a company's id)


@dataclass(frozen=True)
class ChartKind:
    """A kind of chart, registered once (charts.CHART_KINDS). ``instances(ds)``: the charts of
    this kind the data supports, cheaply and without Altair (the check relies on it);
    ``build(ds, instance, builder)``: one of them, built (``builder``: a spec.SpecBuilder).
    ``module``: the module that defines the kind, whose code is part of its charts' cache key;
    ``lite``: built with the stand-in for Altair (lite.Lite) rather than Altair itself, as every
    kind is (importing Altair costs a quarter of a second, and building with it more than
    rendering); a new kind that needs more of Altair's API than Lite has can say False until
    Lite has it."""

    name: str
    module: str
    instances: Callable[[Any], list[Instance]]
    build: Callable[[Any, Instance, Any], Chart]
    lite: bool = False
