"""Layout in pixels before rendering: text widths, value and time axes with explicit domains, the
width of bar charts, and labels placed where they overlap nothing."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Iterable

from ..values import PartialDate
from .style import LOG_RATIO, TOTAL
from .words import num


def text_width(text: str, size: float = 12) -> float:
    """A generous estimate of rendered width (Arial metrics average about 0.55 em a character)."""
    return len(text) * size * 0.58


class ValueAxis:
    """A value axis with an explicit domain, so labels can be placed in pixels before rendering.

    Logarithmic when the values span LOG_RATIO or more (with the note that says why), else linear
    from zero."""

    def __init__(self, values: list[float], height: float, headroom: float = 1.0):
        lo, hi = min(values), max(values)
        self.height = height
        self.log = lo > 0 and hi / lo >= LOG_RATIO
        if self.log:
            self.lo = 10 ** math.floor(math.log10(lo) + 1e-9)
            self.hi = hi * (1.6 if headroom > 1 else 1.15)
            ticks, k = [], math.floor(math.log10(self.lo))
            while 10 ** k <= self.hi:
                for mult in (1, 3):
                    v = mult * 10 ** k
                    if self.lo <= v <= self.hi:
                        ticks.append(v if v >= 1 else round(v, 6))
                k += 1
            self.ticks = ticks
            self.note = (f"Logarithmic scale: the values span a {num(hi / lo, 0)}-fold range, so "
                         "equal vertical steps mean equal growth rates and the early, smaller marks "
                         "stay visible.")
        else:
            self.lo, self.hi = 0.0, hi * (1.12 if headroom > 1 else 1.05)
            self.ticks = None
            self.note = (f"Linear scale from zero: the values span only a {num(hi / lo, 1)}-fold "
                         "range, so heights compare directly." if lo > 0 else "Linear scale from zero.")

    def px(self, v: float) -> float:
        """Pixels from the top of the plot."""
        if self.log:
            a, b = math.log10(self.lo), math.log10(self.hi)
            return self.height * (1 - (math.log10(v) - a) / ((b - a) or 1))
        return self.height * (1 - (v - self.lo) / ((self.hi - self.lo) or 1))

    def value_at(self, px: float) -> float:
        """The value drawn px pixels from the top (the inverse of :meth:`px`)."""
        f = 1 - px / self.height
        if self.log:
            a, b = math.log10(self.lo), math.log10(self.hi)
            return 10 ** (a + f * (b - a))
        return self.lo + f * (self.hi - self.lo)

    def encoding(self, alt: Any, field_: str, title: str) -> Any:
        scale = alt.Scale(type="log" if self.log else "linear", domain=[self.lo, self.hi], nice=False,
                          zero=not self.log)
        axis = alt.Axis(title=title, format=",~r", grid=True, **(
            {"values": self.ticks} if self.ticks else {"tickCount": 6}))
        return alt.Y(f"{field_}:Q", scale=scale, axis=axis)


class TimeAxis:
    def __init__(self, dates: list[PartialDate], width: float, pad_left: float = 0.03,
                 pad_right: float = 0.03):
        days = [d.earliest.toordinal() for d in dates]
        lo, hi = min(days), max(days)
        span = max(hi - lo, 60)
        self.d0, self.d1 = lo - span * pad_left, hi + span * pad_right
        self.width = width
        self.domain = [dt.date.fromordinal(int(self.d0)).isoformat(),
                       dt.date.fromordinal(int(math.ceil(self.d1))).isoformat()]
        self.d0, self.d1 = float(int(self.d0)), float(int(math.ceil(self.d1)))
        self.long = hi - lo > 700
        # ticks on 1 January of each year inside the plotted range, but not in the right margin
        self.years = [y for y in range(dt.date.fromordinal(int(self.d0)).year,
                                       dt.date.fromordinal(hi).year + 1)
                      if self.d0 <= dt.date(y, 1, 1).toordinal() <= hi] if self.long else []

    def px(self, d: PartialDate) -> float:
        return (d.earliest.toordinal() - self.d0) / ((self.d1 - self.d0) or 1) * self.width

    def encoding(self, alt: Any, field_: str = "date") -> Any:
        return alt.X(f"{field_}:T", title=None, scale=alt.Scale(domain=self.domain, nice=False),
                     axis=alt.Axis(format="%Y" if self.long else "%b %Y", grid=False,
                                   labelOverlap=True, **(
                                       {"values": [{"year": y, "month": 1, "date": 1}
                                                   for y in self.years]}
                                       if self.years else {"tickCount": 5})))


def bars_fit(labels: Iterable[str], rows: list[tuple[float, str]], total: float = TOTAL,
             bold: bool = False) -> tuple[float, float]:
    """Plot width and value-axis maximum for horizontal bars with a label column on the left and
    a figure after each bar: the bars get what the labels leave of ``total``, and the axis runs far
    enough for the longest figure to fit inside the plot. rows: (value, figure text)."""
    label_w = max((text_width(t) * (1.08 if bold else 1) for t in labels), default=0) + 12
    plot = max(170.0, total - label_w)
    top = 0.0
    for v, text in rows:
        room = max(plot - text_width(text) - 10, plot * 0.25)
        top = max(top, v * plot / room)
    return round(plot), top or 1.0


def place_labels(labels: list[dict], obstacles: list[tuple[float, float, float, float]],
                 width: float, height: float, size: float = 12) -> list[dict]:
    """Greedy label placement: each label {px, py, text} tries right, left, above and below its
    point and takes the first spot that overlaps no point, line, plot edge or earlier label; a
    label with no free spot is left out (labels come in order of importance)."""
    boxes = list(obstacles)
    out = []
    for lab in labels:
        w, h = text_width(lab["text"], size), size + 3
        px, py = lab["px"], lab["py"]
        for align, dx, dy in (("left", 11, 0), ("right", -11, 0), ("right", -8, -13),
                              ("left", 8, 13), ("left", 8, -13), ("right", -8, 13)):
            left = px + dx if align == "left" else px + dx - w
            top = py + dy - h / 2
            box = (left, top, left + w, top + h)
            if left < 0 or left + w > width + 40 or top < -4 or top + h > height:
                continue
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
                continue
            boxes.append(box)
            out.append({**lab, "align": align, "dx": dx, "dy": dy})
            break
    return out


def segment_boxes(points: list[tuple[float, float]], r: float = 2.5
                  ) -> list[tuple[float, float, float, float]]:
    """Small boxes along a polyline, so labels keep off the line."""
    out = []
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        n = max(1, int(math.hypot(x2 - x1, y2 - y1) / 4))
        for i in range(n + 1):
            x, y = x1 + (x2 - x1) * i / n, y1 + (y2 - y1) * i / n
            out.append((x - r, y - r, x + r, y + r))
    return out
