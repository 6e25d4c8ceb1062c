"""Lines of text as glyph outlines, for the PNGs vl-convert makes from our SVG (the share cards,
generator.share; the charts' PNG downloads, generator.charts.pipeline): the same shapes at the
same places as vl-convert draws a ``<text>`` in the same font, without its cost.

vl-convert (resvg 0.45) keeps each system font as a file and opens, maps and unmaps that file for
every glyph it draws: about 500 times a card, half of the 24 ms a card took, and 2,000 times a
chart's download, most of its time; in a cold build of 1,000 companies, most of the system time.
Drawn as ``<path>`` elements, the glyphs cost it nothing of the kind. A glyph's outline is read
from the font file by fontTools (TrueType: ``cmap``, ``hmtx``, ``glyf``, GPOS) and placed here as
resvg places it: at the pen position in font units times size / units per em, the pen moved by
each glyph's advance plus the pair kerning of the font's GPOS ``kern`` feature (HarfBuzz's rules,
which resvg follows), and a line's glyphs are one path, filled once, as resvg fills them. Every number is then a whole
number of font units times a binary fraction, which resvg's single precision holds exactly: the
PNG is the same, byte for byte (:func:`outlines` checks it before the outlines are used).

Only what is drawn that simply is drawn here (:meth:`Face.glyphs`): a line whose every character
the font has, in one left-to-right run, with nothing that shaping would change (no combining mark,
no format or control character, no right-to-left letter, no space that SVG would collapse). Any
other line, and every line when the font is not one this reader knows how to read in full (a
table or format it does not read gives None, never a guess), stays a ``<text>`` for vl-convert.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import io
import struct
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

# Where the system's fonts are (those fontconfig names on Debian and most Linux systems), and the
# files of the one family the cards are drawn in
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
FONT_FILES = {False: "LiberationSans-Regular.ttf", True: "LiberationSans-Bold.ttf"}

# How far from the origin a line may reach, in pixels, and be drawn here: up to 4,096, a number
# of 1/4,096ths of a pixel (a half unit of a font of 2,048 at an odd size) fits in the 24 bits of
# single precision
LIMIT = 4000

# GPOS value record fields, in the order a record holds those it has (OpenType: ValueFormat)
_X_ADVANCE = 0x0004
_RTL = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI", "LRE", "LRO", "LRI", "FSI", "PDF", "PDI"})


class _Unreadable(Exception):
    """A font this reader does not read in full (a table or format it does not know)."""


# what fontTools raises on a damaged or cut font, besides its own TTLibError (its parsers raise
# whatever the bytes lead to)
_DAMAGED = (_Unreadable, struct.error, EOFError, IndexError, KeyError, ValueError, TypeError,
            AssertionError, AttributeError, OverflowError)


def _tt_error() -> type[Exception]:
    from fontTools.ttLib import TTLibError  # imported when a font is read, not before

    return TTLibError


def _num(v: float) -> str:
    return str(int(v)) if v == int(v) else repr(v)


@dataclass
class Face:
    """One TrueType font, read with fontTools for drawing lines of text: which glyph each
    character is (``cmap``), how far each glyph moves the pen (``hmtx``), the pairs kerned
    (GPOS), and each glyph's outline as SVG path data in font units (``glyf``, read when first
    drawn). Glyphs are named by their ids, as the font numbers them."""

    font: TTFont = field(repr=False)
    units_per_em: int
    cmap: dict[int, int] = field(repr=False)
    advances: list[int] = field(repr=False)
    # one per GPOS lookup, in the order applied
    kerning: list[dict[tuple[int, int], int]] = field(repr=False)
    _outlines: dict[int, list[Segments]] = field(default_factory=dict, repr=False)
    _scaled: dict[tuple[int, float], tuple[float, float, str] | None] = \
        field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, path: Path) -> Face | None:
        """The font at ``path``, or None when it cannot be read or is not a font read in full."""
        try:
            return cls.parse(path.read_bytes())
        except (OSError, _tt_error(), *_DAMAGED):
            return None

    @classmethod
    def parse(cls, data: bytes) -> Face:
        # imported here: a build that makes no PNG, or too few to outline, does not import it
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(data), lazy=True)
        if font.sfntVersion not in ("\x00\x01\x00\x00", "true"):
            raise _Unreadable("not a TrueType font")
        for tag in ("head", "hhea", "hmtx", "maxp", "cmap", "loca", "glyf"):
            if tag not in font:
                raise _Unreadable(f"no {tag} table")
        gsub = font["GSUB"].table if "GSUB" in font else None
        if gsub is not None and gsub.LookupList and gsub.LookupList.LookupCount:
            raise _Unreadable("substitutes glyphs")  # ligatures and the like: not drawn here
        units = font["head"].unitsPerEm
        if units & (units - 1) or not 16 <= units <= 16384:
            raise _Unreadable("units per em not a power of two")  # positions would not be exact
        order = font.getGlyphOrder()
        ids = {name: i for i, name in enumerate(order)}
        metrics = font["hmtx"].metrics
        cmap = font["cmap"].getBestCmap()
        if not cmap:
            raise _Unreadable("no Unicode cmap")
        kerning = _gpos_kerning(font["GPOS"].table, ids) if "GPOS" in font else []
        font["glyf"]  # noqa: B018 - read now, so that a cut table is a font not read
        return cls(font, units, {code: ids[name] for code, name in cmap.items()},
                   [metrics[name][0] for name in order], kerning)

    def glyphs(self, text: str) -> list[int] | None:
        """The glyphs that draw ``text``, or None when it is not a line drawn here (see the
        module's docstring)."""
        if not text or text != text.strip(" ") or "  " in text:
            return None
        out = []
        for ch in text:
            if (unicodedata.category(ch)[0] in "MCZ" and ch != " ") or \
                    unicodedata.bidirectional(ch) in _RTL:
                return None
            glyph = self.cmap.get(ord(ch), 0)
            if not glyph or glyph >= len(self.advances):
                return None
            out.append(glyph)
        return out

    def pen(self, glyphs: list[int]) -> list[int]:
        """Where each glyph starts, in font units from the line's start, and last where the line
        ends: the advances before it, with each kerning lookup's pair that applies (HarfBuzz: the
        first subtable that has the pair; every lookup adds its own)."""
        out, x = [], 0
        for i, glyph in enumerate(glyphs):
            out.append(x)
            x += self.advances[glyph]
            if i + 1 < len(glyphs):
                x += sum(lookup.get((glyph, glyphs[i + 1]), 0) for lookup in self.kerning)
        return out + [x]

    def outline(self, glyph: int) -> str:
        """The glyph's outline as SVG path data in font units (y up), "" for none."""
        return " ".join(_absolute(c) for c in self._segments(glyph))

    def scaled(self, glyph: int, scale: float) -> tuple[float, float, str] | None:
        """The glyph's outline at ``scale`` (:func:`_relative`), made once for each size; None
        when its outline cannot be read (damaged, or made in a way not read here)."""
        key = (glyph, scale)
        if key not in self._scaled:
            try:
                self._scaled[key] = _relative(self._segments(glyph), scale)
            except (_tt_error(), *_DAMAGED):
                self._scaled[key] = None
        return self._scaled[key]

    def _segments(self, glyph: int) -> list[Segments]:
        if glyph not in self._outlines:
            self._outlines[glyph] = [seg for c in self._contours(glyph)
                                     if (seg := _contour_segments(c)) is not None]
        return self._outlines[glyph]

    def _contours(self, glyph: int) -> list[list[tuple[float, float, bool]]]:
        """The glyph's contours: its points in font units, and whether each is on the curve."""
        table = self.font["glyf"]
        g = table[self.font.getGlyphName(glyph)]
        if g.isComposite():
            _check_components(table, g, 0)
        coords, ends, flags = g.getCoordinates(table)
        out, first = [], 0
        for end in ends:
            out.append([(*coords[i], bool(flags[i] & 0x01)) for i in range(first, end + 1)])
            first = end + 1
        return out


def _check_components(table: Any, glyph: Any, depth: int) -> None:
    """Raise unless every component, at every depth, is placed by an offset alone (as Liberation
    Sans places its accents): one placed by matching points, or scaled, is a shape not checked
    here against resvg's."""
    if depth > 8:
        raise _Unreadable("components nested too deep")
    for c in glyph.components:
        # fontTools gives a component placed by points firstPt and secondPt, not x and y
        if not hasattr(c, "x") or hasattr(c, "transform"):
            raise _Unreadable("components placed by points, or scaled")
        inner = table[c.glyphName]
        if inner.isComposite():
            _check_components(table, inner, depth + 1)


# A contour as drawn: its start, then segments, each its points (one: a line to it; two: a quadratic
# curve through the first to the second), in font units
Segments = tuple[tuple[float, float], list[tuple[tuple[float, float], ...]]]


def _contour_segments(points: list[tuple[float, float, bool]]) -> Segments | None:
    """One closed contour of on- and off-curve points as segments (quadratic curves, a point
    between two off-curve points implied, as TrueType means them); None for fewer than two."""
    if len(points) < 2:
        return None
    first, last = points[0], points[-1]
    if first[2]:
        start, rest = first, points[1:] + [first]
    elif last[2]:
        start, rest = last, points[:-1] + [last]
    else:
        start = ((first[0] + last[0]) / 2, (first[1] + last[1]) / 2, True)
        rest = points + [start]
    out: list[tuple[tuple[float, float], ...]] = []
    control: tuple[float, float] | None = None
    for x, y, on in rest:
        if on:
            out.append((control, (x, y)) if control else ((x, y),))
            control = None
        elif control:
            out.append((control, ((control[0] + x) / 2, (control[1] + y) / 2)))
            control = (x, y)
        else:
            control = (x, y)
    return (start[0], start[1]), out


def _absolute(contour: Segments) -> str:
    (x, y), segments = contour
    return f"M{_num(x)} {_num(y)}" + "".join(
        ("Q" if len(seg) == 2 else "L") + " ".join(f"{_num(px)} {_num(py)}" for px, py in seg)
        for seg in segments) + "Z"


def _relative(contours: list[Segments], scale: float) -> tuple[float, float, str]:
    """The contours at ``scale`` pixels a unit, y down: where the first starts, and everything
    after it in relative commands (so that the same text places the glyph anywhere). Every
    number is a whole number of units times ``scale``, a sum of binary fractions that single
    precision holds exactly, as resvg's own transformed outline does."""
    if not contours:
        return 0.0, 0.0, ""
    out = []
    (cx, cy) = first = contours[0][0]
    for i, ((sx, sy), segments) in enumerate(contours):
        if i:
            out.append(f"m{_num((sx - cx) * scale)} {_num((cy - sy) * scale)}")
        cx, cy = sx, sy
        for seg in segments:
            out.append(("q" if len(seg) == 2 else "l") + " ".join(
                f"{_num((px - cx) * scale)} {_num((cy - py) * scale)}" for px, py in seg))
            cx, cy = seg[-1]
        out.append("z")
        cx, cy = sx, sy
    return first[0] * scale, -first[1] * scale, "".join(out)


def _gpos_kerning(gpos: Any, ids: dict[str, int]) -> list[dict[tuple[int, int], int]]:
    """The pairs of every lookup of the GPOS table, which must hold the ``kern`` feature alone,
    made of pair adjustments of the advance only, glyph by glyph (what a plain Latin font such as
    Liberation Sans holds); anything else is a font not read here."""
    lookups = gpos.LookupList.Lookup if gpos.LookupList else []
    used: set[int] = set()
    for record in gpos.FeatureList.FeatureRecord if gpos.FeatureList else []:
        if record.FeatureTag != "kern":
            raise _Unreadable("GPOS features other than kern")
        used.update(record.Feature.LookupListIndex)
    if used != set(range(len(lookups))):
        raise _Unreadable("GPOS lookups that kern does not use")
    out = []
    for lookup in lookups:
        if lookup.LookupType != 2 or lookup.LookupFlag != 0:
            raise _Unreadable("GPOS lookups other than plain pair adjustments")
        pairs: dict[tuple[int, int], int] = {}
        for sub in lookup.SubTable:
            if sub.Format != 1 or sub.ValueFormat1 != _X_ADVANCE or sub.ValueFormat2 != 0:
                raise _Unreadable("pair adjustments by class, or of more than the advance")
            for first, pair_set in zip(sub.Coverage.glyphs, sub.PairSet):
                for record in pair_set.PairValueRecord:
                    # the first subtable that has the pair applies
                    pairs.setdefault((ids[first], ids[record.SecondGlyph]),
                                     record.Value1.XAdvance)
        out.append(pairs)
    return out


@dataclass
class Fonts:
    """A family's regular and bold faces, drawing lines of text as ``<path>`` elements.
    ``family``: the ``font-family`` of the lines they draw, as the SVG names it."""

    regular: Face
    bold: Face
    family: str = "Liberation Sans, Arial, Helvetica, sans-serif"  # the cards' and charts'

    def draw(self, x: int, y: int, size: int, bold: bool, text: str, anchor: str = "start"
             ) -> str | None:
        """``text`` with its baseline at ``y``, starting, centred or ending at ``x`` (``anchor``:
        start, middle, end), ``size`` pixels high, as one ``<path>`` a glyph (the fill is the
        element's around them); None when the line is not drawn here. Whole pixels only: then
        every position is a sum of exact binary fractions (units per em is 2,048), the same in
        resvg's single precision as here."""
        face = self.bold if bold else self.regular
        glyphs = face.glyphs(text)
        if glyphs is None:
            return None
        scale = size / face.units_per_em
        pens = face.pen(glyphs)
        start = x - {"start": 0, "middle": pens[-1] * scale / 2, "end": pens[-1] * scale}[anchor]
        if max(abs(start), abs(start + pens[-1] * scale)) + size > LIMIT or \
                abs(y) + 2 * size > LIMIT:
            return None  # far out: numbers single precision might not hold exactly
        out = []
        for glyph, pen in zip(glyphs, pens):
            scaled = face.scaled(glyph, scale)
            if scaled is None:
                return None
            fx, fy, rest = scaled
            if rest:
                out.append(f"M{_num(start + pen * scale + fx)} {_num(y + fy)}{rest}")
        # one path for the line, as resvg fills a line's glyphs: where two glyphs overlap (a
        # kerned "ry"), their edges are the outline of both, not one drawn over the other
        return f'<path d="{"".join(out)}"/>' if out else ""


# A <text> element as generator.share, generator.charts.svg and Vega write them: attributes in
# double quotes, and plain text (no element inside)
_TEXT = re.compile(r'<text((?:\s[a-z-]+="[^"<]*")*)>([^<]*)</text>')
_ATTR = re.compile(r'\s([a-z-]+)="([^"]*)"')
_REF = re.compile(r"&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
# what an outlined line keeps on the group around its glyphs, as written
_KEPT = ("transform", "fill", "opacity")
_WHOLE = re.compile(r"-?[0-9]{1,5}")
_WEIGHTS = {"normal": False, "400": False, "bold": True, "700": True}


def _unescape(body: str) -> str | None:
    """The text of an element's character data; None for a reference not read here."""
    if "&" not in body:
        return body
    if body.count("&") != len(_REF.findall(body)):
        return None

    def one(m: re.Match[str]) -> str:
        if m.group(3):
            return _NAMED[m.group(3)]
        code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"

    return _REF.sub(one, body)


def outline_svg(svg: str, fonts: Fonts | None) -> str:
    """``svg`` with each ``<text>`` in the family of ``fonts`` that they draw replaced by a group
    of its glyphs' outlines; every other element as it was. A line is outlined only when it has
    nothing but the attributes read here (position in whole pixels, anchor, size in whole
    pixels, weight normal or bold, and transform, fill and opacity, which the group keeps)."""
    if fonts is None or "<text" not in svg:
        return svg

    def one(m: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(m.group(1)))
        text = _unescape(m.group(2))
        size = attrs.get("font-size", "").removesuffix("px")
        x, y = attrs.get("x", "0"), attrs.get("y", "0")
        if text is None or attrs.get("font-family") != fonts.family \
                or not _WHOLE.fullmatch(size) \
                or not _WHOLE.fullmatch(x) or not _WHOLE.fullmatch(y) or int(size) <= 0 \
                or attrs.get("font-weight", "normal") not in _WEIGHTS \
                or attrs.get("text-anchor", "start") not in ("start", "middle", "end") \
                or set(attrs) - {"x", "y", "font-family", "font-size", "font-weight",
                                 "text-anchor", *_KEPT}:
            return m.group(0)
        drawn = fonts.draw(int(x), int(y), int(size), _WEIGHTS[attrs.get("font-weight", "normal")],
                           text, attrs.get("text-anchor", "start"))
        if drawn is None:
            return m.group(0)
        kept = "".join(f' {k}="{attrs[k]}"' for k in _KEPT if k in attrs)
        return f"<g{kept}>{drawn}</g>"

    return _TEXT.sub(one, svg)


def find_fonts(dirs: tuple[str, ...] = FONT_DIRS) -> Fonts | None:
    """Liberation Sans, regular and bold, from the font files in ``dirs``: None unless each is
    there exactly once (with two, which one vl-convert draws with is not known here) and read."""
    found: dict[bool, set[Path]] = {False: set(), True: set()}
    for top in dirs:
        for folder, _, files in os.walk(os.path.expanduser(top)):
            for bold, name in FONT_FILES.items():
                if name in files:
                    found[bold].add(Path(folder, name).resolve())
    if any(len(paths) != 1 for paths in found.values()):
        return None
    regular, bold = (Face.read(next(iter(found[b]))) for b in (False, True))
    return Fonts(regular, bold) if regular is not None and bold is not None else None


FAMILY = Fonts.family  # as the cards (generator.share) and charts (charts.style) name it


def _probe() -> str:
    """What the check of the outlines draws (:func:`outlines_match`): every kind of letter,
    figure and mark the cards and charts show, in both weights, at their sizes, with pairs the
    font kerns (AV, Te, Yo, L', r., 7,), at each anchor, turned and faded as chart labels are."""
    lines = [
        (58, "bold", "start", "", "AVATAR Tensor Yottabyte Wave, Ltd. L'Œuvre"),
        (84, "bold", "start", "", "US$1,234.5 billion (€7,890)"),
        (32, "normal", "start", "", "“fjord” — Éçà ØÅß ÿ Ωμέγα Тест ¶ § @ # % &amp; * + = ?"),
        (28, "normal", "start", "", "1 February 2023, Series B · reported · sources: Acme…"),
        (26, "normal", "start", "", "Every term, with 'quotes', r. f. y, 7. 1234567890 / | ~ ^"),
        (17, "bold", "start", "", "Acme AI: valuations over time"),
        (13, "normal", "start", "", "Maryor Networks&#x27;s post-money valuation, ry tw"),
        (12, "normal", "middle", ' transform="translate(35.60140915953699,16)"', "2019 Jan"),
        (12, "normal", "end", ' transform="translate(-34.35546875,150) rotate(-90)"',
         "US$ billion (log)"),
        (11, "bold", "middle", ' opacity="0.7"', "Series C, to be confirmed"),
    ]
    out, y = [], 0
    for size, weight, anchor, extra, text in lines:
        y += size + 8
        out.append(f'<text x="{400 if anchor != "start" else 10}" y="{y}" text-anchor="{anchor}"'
                   f'{extra} font-family="{FAMILY}" font-size="{size}px" font-weight="{weight}" '
                   f'fill="#333333">{text}</text>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="460">'
            f'<rect width="1400" height="460" fill="#ffffff"/>{"".join(out)}</svg>')


def _vl_convert_png(svg: str, scale: float) -> bytes:
    import vl_convert as vlc

    return vlc.svg_to_png(svg, scale=scale)


def outlines_match(fonts: Fonts, render: Callable[[str, float], bytes] = _vl_convert_png
                   ) -> bool:
    """Whether ``fonts``' outlines make the same PNG as vl-convert's text from the probe, at the
    scales the cards (1) and the charts' downloads (2) are made at."""
    probe = _probe()
    drawn = outline_svg(probe, fonts)
    if "<text" in drawn:
        return False
    try:
        return all(render(drawn, scale) == render(probe, scale) for scale in (1, 2))
    except Exception:  # noqa: BLE001 - vl-convert failed: what it makes is not known, no outlines
        return False


# From how many PNGs a process makes the outlines pay for their check (:func:`outlines`: four PNGs
# of the probe, about a quarter of a second): they save about 15 ms a card and more a chart's
# download. Fewer (a one-file rebuild makes one card and one chart) are drawn from their text.
WORTH_CHECKING = 16


@functools.cache
def fonts_identity(dirs: tuple[str, ...] = FONT_DIRS) -> str:
    """What the fonts a PNG or SVG may be drawn with are, for the names of the files made with
    them (share cards, rendered charts): every file under the system's font folders, by path,
    size and time of change. vl-convert measures and draws text with the fonts it finds there,
    so a font installed or removed changes what it makes: share cards drawn with a fallback
    font before Liberation Sans was installed kept being linked by later builds, whose clean
    build drew them otherwise."""
    entries = []
    for d in dirs:
        for dirpath, dirnames, filenames in os.walk(os.path.expanduser(d)):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                entries.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(entries).encode("utf-8")).hexdigest()[:16]


def outlines_for(count: int) -> Fonts | None:
    """:func:`outlines` for a process about to make ``count`` PNGs, None for fewer than
    :data:`WORTH_CHECKING` (unless the check was made already)."""
    if count < WORTH_CHECKING and outlines.cache_info().currsize == 0:
        return None
    return outlines()


@functools.cache
def outlines(dirs: tuple[str, ...] = FONT_DIRS) -> Fonts | None:
    """The fonts whose outlines draw the cards and the charts' downloads in this process, or
    None (vl-convert draws the text): Liberation Sans as found in ``dirs`` (the system's font
    folders), once it made the same PNG as vl-convert (:func:`outlines_match`)."""
    fonts = find_fonts(dirs)
    return fonts if fonts is not None and outlines_match(fonts) else None
