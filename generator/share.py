"""Share images: every page names a picture for link previews (OpenGraph's og:image and the
Twitter card), a card made at build time with the page's title and, where the page has one, its
key figure (a profile: its latest valuation), else its description.

A card is an SVG drawn here in Liberation Sans (Arial's metrics; a system font, no network font)
and turned into a PNG by vl-convert, the library that already renders the charts, once every page
is rendered, into a folder of the project's cache, named by a digest of their words and of the
code that draws them (and the fonts it finds), so a rebuild makes only the cards whose words
changed; the engine copies them from there. Every text from data
is XML-escaped (generator.escape.xml_text) before it is drawn.

The card as made has its lines of text drawn as glyph outlines (generator.glyphs) where they can
be: vl-convert then made a card in 11 ms instead of 24 (it maps the font file once for every
glyph of a ``<text>``), and the PNG was the same, byte for byte. That it is the same is checked
once in each process that makes 16 cards or more (generator.glyphs.outlines_for: the check costs
more than a few cards save); where it is not (another font, another vl-convert), where fewer are
made, and for a line the outlines do not draw, the card keeps its ``<text>``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import astuple, dataclass
from pathlib import Path

from .charts.cache import module_digest
from .escape import xml_text
from .glyphs import Fonts, fonts_identity, outline_svg, outlines_for
from .types import FilePage

FOLDER = "share"  # in the site: share/<page's path>.png
WIDTH, HEIGHT = 1200, 630  # the size link previews ask for (1.91:1)
SHARE_SIZE = (WIDTH, HEIGHT)
SITE_NAME = "Frontier Ledger"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
ACCENT = "#3b7dd8"


@dataclass(frozen=True)
class Card:
    """What one page's card shows: the page's title, and its key figure (label and value) or,
    without one, its description."""

    title: str
    label: str = ""
    figure: str = ""
    description: str = ""
    note: str = ""  # under the figure: its date, event, status and sources, as on the page

    @property
    def alt(self) -> str:
        """The card's text alternative: what it shows, in words."""
        told = f"{self.label}: {self.figure}" if self.figure else self.description
        if self.figure and self.note:
            told += f" ({self.note})"
        return f"{self.title}. {told}" if told else self.title


def image_path(docs_path: str) -> str:
    """The site path of a page's card: ``companies/acme.md`` → ``share/companies/acme.png``."""
    return f"{FOLDER}/{docs_path.rsplit('.', 1)[0]}.png"


def _lines(text: str, size: float, width: float, most: int) -> list[str]:
    """``text`` in lines no wider than ``width`` at font ``size`` (a generous estimate of Arial's
    widths), at most ``most`` of them, the last cut with '…' if the text goes on."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1] + " " + word) * size * 0.53 <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines


def card_svg(card: Card, site_name: str) -> str:
    """The card as a standalone SVG, 1200 × 630."""
    out = [f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
           f'<rect width="24" height="{HEIGHT}" fill="{ACCENT}"/>']

    def text(x: int, y: float, size: int, body: str, *, bold: bool = False,
             color: str = "#111111") -> None:
        out.append(f'<text x="{x}" y="{y:.0f}" font-family="{FONT}" font-size="{size}" '
                   f'font-weight="{"bold" if bold else "normal"}" fill="{color}">'
                   f'{xml_text(body)}</text>')

    text(80, 100, 32, site_name, color="#444444")
    y = 180.0
    for line in _lines(card.title, 58, WIDTH - 160, 3 if not card.figure else 2):
        text(80, y, 58, line, bold=True)
        y += 68
    if card.figure:
        text(80, y + 30, 32, card.label, color="#444444")
        for line in _lines(card.figure, 84, WIDTH - 160, 1):
            text(80, y + 120, 84, line, bold=True)
        for i, line in enumerate(_lines(card.note, 28, WIDTH - 160, 2)):
            text(80, y + 175 + 36 * i, 28, line, color="#444444")
    else:
        for line in _lines(card.description, 32, WIDTH - 160, 3):
            text(80, y + 30, 32, line, color="#333333")
            y += 44
    text(80, HEIGHT - 40, 26, "Every figure cites its sources and says how sure it is.",
         color="#555555")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}">{"".join(out)}</svg>\n')


class ShareCards:
    """The cards of one render: each page's card is named as the page is rendered
    (:meth:`add`), and made when the engine copies it (:meth:`assets`). ``folder``: where made
    cards are kept (None: a check, which makes none)."""

    def __init__(self, folder: Path | None, site_name: str = SITE_NAME):
        self.folder, self.site_name = folder, site_name
        self._cards: dict[str, tuple[str, Card]] = {}  # site path → (origin, card)

    def add(self, docs_path: str, origin: str, card: Card) -> tuple[str, str]:
        """Name the card of the page at ``docs_path``: (its site path, its alt text)."""
        path = image_path(docs_path)
        if self.folder is not None:
            self._cards[path] = (origin, card)
        return path, card.alt

    def assets(self) -> list[FilePage]:
        """Every card named, made where it is not kept already, as files the engine copies."""
        out, to_make = [], []
        if self.folder is None:
            return out
        # named by what the card shows and the site's name, by the code that draws, escapes and
        # compresses it, and by the fonts: its SVG is drawn only when it is to be made (drawing
        # every page's card only to name it was 5 % of a rebuild after one edit)
        drawn = (self.site_name, module_digest("generator.share", "generator.escape",
                                               "generator.png", "generator.glyphs"),
                 fonts_identity())
        try:
            kept = set(os.listdir(self.folder))  # one listing, not a look-up of every card
        except OSError:
            kept = set()
        for path, (origin, card) in sorted(self._cards.items()):
            made = json.dumps([*astuple(card), *drawn])  # every field the card shows
            name = f"{hashlib.sha256(made.encode('utf-8')).hexdigest()[:32]}.png"
            if name not in kept:
                to_make.append((self.folder / name, card_svg(card, self.site_name)))
                kept.add(name)
            out.append(FilePage(path, self.folder / name, origin))
        # their lines drawn as outlines where they can be: the same PNG (the module's docstring)
        fonts = outlines_for(len(to_make))
        for file, svg in to_make:
            _make(file, svg, fonts)
        self._cards = {}
        return out


def _make(file: Path, svg: str, fonts: Fonts | None) -> None:
    import vl_convert as vlc

    from .charts.cache import write_atomic
    from .png import smaller

    png = vlc.svg_to_png(outline_svg(svg, fonts))
    write_atomic(file, smaller(png))  # its folder made as it is written
