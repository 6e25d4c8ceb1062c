"""The look every chart shares: fonts, sizes, palette, how status is drawn, the Vega-Lite config.

A change here changes every chart, so its source is part of every chart's cache key.
"""

from __future__ import annotations

from typing import Any

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"  # Arial metrics: what vl-convert measures with
# One drawing for every screen: a chart is drawn no wider than a phone's column (328 px at a
# 360 px screen), so that there its 12 px text is drawn at 12 px or more; wider screens scale it
# up (charts.css caps that at about 1.35 times).
WIDTH = 262  # plot width in px of the time charts (with their axes, about 325 px)
TOTAL = 325  # about the whole width of the bar charts (labels, bars and the figures after them)
TEXT = "#222222"  # text in downloads; the inline SVG is recoloured by charts.css for each palette
MUTED = "#666666"
# Mid-tone colours with at least 3:1 contrast on white and on Material's dark (slate) background.
PALETTE = ["#3b7dd8", "#d9771a", "#4a9e5c", "#c85a9a", "#7a6fd0", "#3a9aa0", "#e15759", "#9c755f"]
NEUTRAL = "#8c8c8c"
ACCENT = PALETTE[0]

STATUSES = ["confirmed", "reported", "rumored", "unverified"]
# Status is drawn the same way in every chart, by shape as well as fill, so that the four tell
# apart at phone size and without colour: a filled circle = confirmed, a tinted square =
# reported, a hollow diamond = rumored, a hollow triangle = unverified.
STATUS_FILL = {"confirmed": 1.0, "reported": 0.3, "rumored": 0.0, "unverified": 0.0}
STATUS_SHAPE = {"confirmed": "circle", "reported": "square", "rumored": "diamond",
                "unverified": "triangle-up"}

# The kind of price a valuation is, in a company's own chart (its marks are one company's, so
# colour tells the kinds apart). Talks and targets are grey: they are not prices of a deal.
BASIS_COLOR = {"post-money": PALETTE[0], "pre-money": PALETTE[3], "not-stated": PALETTE[7],
               "secondary": PALETTE[1], "ipo": PALETTE[2], "market-value": PALETTE[5],
               "deal-value": PALETTE[4], "offer-declined": PALETTE[6], "target": NEUTRAL}

LOG_RATIO = 10  # a value axis spanning this ratio or more is logarithmic
LABS = ("ai-lab",)  # the kinds of company drawn as labs (and coloured first)

CONFIG: dict[str, Any] = {
    "font": FONT,
    "aria": False,  # the container carries role="img" and the alt text; per-mark labels only add weight
    "background": None,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
             "labelColor": TEXT, "titleColor": TEXT, "gridColor": "#e3e3e3",
             "domainColor": "#888888", "tickColor": "#888888", "labelLimit": 260},
    "header": {"labelFontSize": 12, "labelColor": TEXT, "titleFontSize": 12, "titleColor": TEXT,
               "labelAnchor": "start", "labelAngle": 0, "labelOrient": "top",
               "labelFontWeight": "bold"},
    "text": {"fontSize": 12, "color": TEXT},
    "title": {"fontSize": 12, "color": TEXT, "anchor": "start", "fontWeight": "bold"},
    "legend": {"disable": True},
}


def company_colors(companies: dict[str, Any]) -> dict[str, str]:
    """One colour per company across every chart (labs first, then the others, by id)."""
    order = sorted(companies.values(), key=lambda c: (c.kind not in LABS, c.id))
    return {c.id: PALETTE[i % len(PALETTE)] for i, c in enumerate(order)}


def status_legend_items(statuses: Any, color: str = MUTED, kind: str = "point") -> list[dict]:
    """Legend entries for the statuses present, in the order of trust."""
    seen = set(statuses)
    present = [s for s in STATUSES if s in seen]
    return [{"label": s, "color": color, "fo": STATUS_FILL[s], "shape": STATUS_SHAPE[s],
             "kind": kind} for s in present]
