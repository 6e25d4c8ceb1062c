"""The files made from a rendered SVG: the SVG as placed in pages (ids unique per chart, numbers
shortened, hidden from assistive technology) and the standalone download with title, takeaway and
source line. Runs in the render workers too."""

from __future__ import annotations

import re
from typing import Any

from ..escape import xml_text
from .layout import text_width
from .style import FONT, WIDTH

_NUM = re.compile(r"(-?\d+\.\d\d)\d+")
_TAG = re.compile(r"<[^>]+>")


def _round_numbers(svg: str) -> str:
    """Two decimals are plenty for coordinates; only attribute text inside tags is touched."""
    return _TAG.sub(lambda t: _NUM.sub(r"\1", t.group(0)), svg)


def _size(svg: str) -> tuple[float, float]:
    m_ = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return (float(m_.group(1)), float(m_.group(2))) if m_ else (WIDTH, 300.0)


def _wrap_words(text: str, size: float, width: float) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        if cur and text_width(cur + " " + word, size) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    return lines + ([cur] if cur else [])


def download_svg(svg: str, wrap: dict[str, Any]) -> str:
    """The standalone SVG: title, takeaway, the chart on white, and a source line under it."""
    w, h = _size(svg)
    width = max(w, 480.0)
    pad = 16
    out: list[str] = []
    y = pad
    for size, weight, color, text in ((17, "bold", "#111111", wrap["title"]),
                                      (13, "normal", "#444444", wrap["takeaway"])):
        for line in _wrap_words(text, size, width - 2 * pad):
            y += size * 1.3
            out.append(f'<text x="{pad}" y="{y:.0f}" font-family="{FONT}" font-size="{size}" '
                       f'font-weight="{weight}" fill="{color}">{xml_text(line)}</text>')
    y += 12
    inner = re.sub(r"^<svg\b", f'<svg x="0" y="{y:.0f}"', svg, count=1)
    y += h + 8
    foot = []
    for line in _wrap_words(wrap["footer"], 11, width - 2 * pad):
        y += 14
        foot.append(f'<text x="{pad}" y="{y:.0f}" font-family="{FONT}" font-size="11" '
                    f'fill="#555555">{xml_text(line)}</text>')
    total = y + pad
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'version="1.1" width="{width:.0f}" height="{total:.0f}" '
            f'viewBox="0 0 {width:.0f} {total:.0f}"><title>{xml_text(wrap["title"])}</title>'
            f'<desc>{xml_text(wrap["alt"])}</desc>'
            f'<rect width="100%" height="100%" fill="white"/>{"".join(out)}{inner}{"".join(foot)}'
            f"</svg>\n")


def inline_svg(svg: str, chart_id: str) -> str:
    """The SVG as placed in a page: ids made unique per chart, numbers shortened, hidden from AT
    (the container carries role="img" and the alt text)."""
    prefix = f"fl-{chart_id}-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m_: f'id="{prefix}{m_.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m_: f"url(#{prefix}{m_.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m_: f'href="#{prefix}{m_.group(1)}"', svg)
    svg = re.sub(r"^<svg\b", '<svg aria-hidden="true" focusable="false"', svg, count=1)
    return _round_numbers(_tips(svg)).replace("\n", " ")


def _tips(svg: str) -> str:
    """A mark's description (Vega writes it as aria-label, with ARIA roles that only make sense
    in a standalone SVG) → ``data-tip``, which the page's script shows and makes the mark's
    accessible name when it makes marks focusable; without the script the SVG stays one hidden
    picture, its container's alt text standing for it."""
    svg = re.sub(r'\s(?:role="graphics-[a-z-]+"|aria-roledescription="[^"]*")', "", svg)
    return re.sub(r'(<path\b[^>]*?)\saria-label="', r'\1 data-tip="', svg)
