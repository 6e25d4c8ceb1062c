"""The settings of one run, typed and frozen, passed to every part instead of flags in modules: the
project and its folders, what the run is (a check or a build), the budgets of article code, the
sizes of long lists, the chart caches and workers, and the kinds of data, page and chart.

``Settings.for_project(root)`` gives the defaults, with what the environment may set read once, at
the edge (``FL_CHART_CACHE``: the chart cache folder, e.g. one for every scratch project of a test
run; ``FL_CHART_WORKERS``: how many processes render charts; ``FL_CHART_VALIDATE=1``: Altair
checks every spec against the schema) and the build's date: ``SOURCE_DATE_EPOCH``, else the time
of the project's last commit (generator.sitedir), never the clock, so that two runs on one commit
say the same.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .charts import CHART_KINDS, ChartKind
from .checkcache import Inputs
from .kinds import DATA_KINDS, DataKind
from .limits import Limits
from .render.pages import PAGE_KINDS, PageKind
from .sitedir import build_date


@dataclass(frozen=True)
class Kinds:
    """The kinds of data file, page and chart a run knows (the project's own by default; a test
    can pass more, and everything that lists kinds loops over these)."""

    data: tuple[DataKind, ...] = DATA_KINDS
    pages: tuple[PageKind, ...] = PAGE_KINDS
    charts: tuple[ChartKind, ...] = CHART_KINDS


@dataclass(frozen=True)
class Lists:
    """How long lists are cut: entries per page of the sources and the companies index, and up to
    how many valuation marks the valuations page lists (past that, profiles and downloads do;
    the shipped data has 66; at 1,000 companies the full list made that one page 5 MB)."""

    sources_per_page: int = 500
    companies_per_page: int = 250
    every_mark: int = 400


@dataclass(frozen=True)
class Settings:
    root: Path
    site_src: str = "site_src"  # the folder of pages and articles, relative to root
    templates: str = "templates"
    site_url: str | None = None  # the address the site is built for (the feed needs it)
    # where the "edit this page" links point (the YAML file or article behind a page is added),
    # e.g. https://github.com/OWNER/REPO/edit/main/; None: pages have no edit link
    edit_url_base: str | None = None
    check: bool = False  # a check: nothing is built for publishing (charts, downloads)
    serve: bool = False  # serve's rebuilds: built charts kept in memory between them
    limits: Limits = field(default_factory=Limits)  # what article code may cost
    lists: Lists = field(default_factory=Lists)
    kinds: Kinds = field(default_factory=Kinds)
    chart_cache: Path | None = None  # None: charts/ of the project's cache folder
    chart_workers: int | None = None  # None: decided by the number of charts to render
    validate_specs: bool = False
    # a check renders the pages of a kind with many pages (company profiles) in two processes from
    # this many on (half the check's time is rendering them; at 1,000 companies it saves about a
    # second of five)
    parallel_check_min: int = 200
    # the build's date, which the age of records is measured against (None: not known, as for a
    # project outside git without SOURCE_DATE_EPOCH; then ages are not checked)
    as_of: _dt.date | None = None
    # a company record whose last_checked is more days than this before as_of gets a notice
    freshness_days: int = 90
    # --clean: no cache is read (the built pages', the charts', the compiled templates'); the
    # build that uses it renders its charts into a folder of its own (see build_site)
    clean: bool = False
    # the run is the whole of its process (a command, not a test or another program): what load
    # and render make lives until it ends, and the cyclic collector stops scanning it
    # (generator.collector)
    own_process: bool = False

    @classmethod
    def for_project(cls, root: Path, **values: Any) -> "Settings":
        """The settings of a run on the project at ``root``: the defaults, what the environment
        says about charts, then ``values``."""
        env: dict[str, Any] = {}
        if os.environ.get("FL_CHART_CACHE"):
            env["chart_cache"] = Path(os.environ["FL_CHART_CACHE"])
        workers = os.environ.get("FL_CHART_WORKERS", "")
        if workers.isdigit():
            env["chart_workers"] = int(workers)
        if os.environ.get("FL_CHART_VALIDATE", "") == "1":
            env["validate_specs"] = True
        if "as_of" not in values:
            env["as_of"] = build_date(Path(root))
        return cls(root=Path(root), **{**env, **values})

    def load_options(self) -> dict[str, Any]:
        """What generator.load.load takes from these settings."""
        return {"kinds": self.kinds.data, "as_of": self.as_of, "max_age": self.freshness_days}

    def check_inputs(self) -> Inputs | None:
        """What a check's kept answer is keyed by besides the files (generator.checkcache), or
        None when these settings check otherwise than ``./ledger check`` does (other kinds,
        budgets, lists or age of records)."""
        default = Settings(self.root)
        if ((self.limits, self.lists, self.kinds, self.freshness_days) !=
                (default.limits, default.lists, default.kinds, default.freshness_days)):
            return None
        return Inputs((self.site_src, self.templates), self.as_of, _dt.date.today())

    def but(self, **values: Any) -> "Settings":
        """These settings with some changed."""
        return dataclasses.replace(self, **values)

    def chart_folder(self) -> Path:
        """Where the chart caches are: outside the project (see generator.cachedir)."""
        if self.chart_cache is not None:
            return self.chart_cache
        from .cachedir import project_cache

        return project_cache(self.root) / "charts"
