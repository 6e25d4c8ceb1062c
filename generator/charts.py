"""Charts from data (interface only; being implemented under issue 3)."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from .load import Dataset, suggest
from .problems import Problems


class Registry:
    """Every chart the data supports, placed by id from templates and articles."""

    def __init__(self, ds: Dataset, root: Path, problems: Problems):
        self.ds, self.root, self.problems = ds, root, problems
        self.charts: dict[str, object] = {}

    def place(self, chart_id: str) -> Markup:
        from .render import RenderError

        raise RenderError(f"unknown chart '{chart_id}'{suggest(chart_id, self.charts)}")

    def assets(self) -> list:
        return []
