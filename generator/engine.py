"""The one module that knows the conventions of the engine the site is built with (MkDocs, the
Material theme and Python-Markdown), so that the core speaks of pages and not of one theme's
front-matter keys: the front matter a page's metadata becomes, the attribute-list syntax, the
marker that keeps a block out of the search index, the placeholder a chart's SVG stands behind,
the wrappers Material puts around tables, and the finished pages' post-processing.

Pure text: nothing here imports MkDocs (mkdocs_glue does, and calls these).
"""

from __future__ import annotations

import re
from typing import Callable

# ---------------------------------------------------------------------------------------------
# Charts: a page holds a placeholder where a chart's SVG goes; the finished page gets the SVG


_CHART_REF = re.compile(r'<span class="fl-svg-chart-([a-z0-9][a-z0-9-]*)"></span>')


def chart_placeholder(chart_id: str) -> str:
    """What a page holds where the SVG of chart ``chart_id`` goes (see :func:`place_charts`)."""
    return f'<span class="fl-svg-chart-{chart_id}"></span>'


def place_charts(text: str, svg_of: Callable[[str], str]) -> str:
    """``text`` (Markdown or finished HTML) with each chart placeholder replaced by the SVG
    ``svg_of(chart_id)`` gives ('' for no such chart: nothing is placed)."""
    if "fl-svg-chart-" not in text:
        return text
    return _CHART_REF.sub(lambda m: svg_of(m.group(1)), text)
