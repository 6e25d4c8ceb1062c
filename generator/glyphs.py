"""Lines of text as glyph outlines, for the PNGs vl-convert makes from our SVG (the share cards,
generator.share; the charts' PNG downloads, generator.charts.pipeline): the same shapes at the
same places as vl-convert draws a ``<text>`` in the same font, without its cost.

vl-convert (resvg 0.45) keeps each system font as a file and opens, maps and unmaps that file for
every glyph it draws: about 500 times a card, half of the 24 ms a card took, and 2,000 times a
chart's download, most of its time; in a cold build of 1,000 companies, most of the system time.
Drawn as ``<path>`` elements, the glyphs cost it nothing of the kind. A glyph's outline is read
here from the font file (TrueType: ``cmap``, ``hmtx``, ``glyf``) and placed as resvg places it: at
the pen position in font units times size / units per em, the pen moved by each glyph's advance
plus the pair kerning of the font's GPOS ``kern`` feature (HarfBuzz's rules, which resvg follows),
and a line's glyphs are one path, filled once, as resvg fills them. Every number is then a whole
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
import os
import re
import struct
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

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


def _u16(data: bytes, at: int) -> int:
    return struct.unpack_from(">H", data, at)[0]


def _i16(data: bytes, at: int) -> int:
    return struct.unpack_from(">h", data, at)[0]


def _u32(data: bytes, at: int) -> int:
    return struct.unpack_from(">I", data, at)[0]


def _num(v: float) -> str:
    return str(int(v)) if v == int(v) else repr(v)


@dataclass
class Face:
    """One TrueType font file, read for drawing lines of text: which glyph each character is
    (``cmap``), how far each glyph moves the pen (``hmtx``), the pairs kerned (GPOS), and each
    glyph's outline as SVG path data in font units (``glyf``, read when first drawn)."""

    data: bytes = field(repr=False)
    units_per_em: int
    cmap: dict[int, int] = field(repr=False)
    advances: list[int] = field(repr=False)
    # one per GPOS lookup, in the order applied
    kerning: list[dict[tuple[int, int], int]] = field(repr=False)
    _glyf: int = 0
    _loca: list[int] = field(default_factory=list, repr=False)
    _outlines: dict[int, list[Segments]] = field(default_factory=dict, repr=False)
    _scaled: dict[tuple[int, float], tuple[float, float, str] | None] = \
        field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, path: Path) -> Face | None:
        """The font at ``path``, or None when it cannot be read or is not a font read in full."""
        try:
            return cls.parse(path.read_bytes())
        except (OSError, struct.error, IndexError, ValueError, _Unreadable):
            return None

    @classmethod
    def parse(cls, data: bytes) -> Face:
        if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
            raise _Unreadable("not a TrueType font")
        tables = {data[12 + 16 * i:16 + 16 * i]: (_u32(data, 20 + 16 * i), _u32(data, 24 + 16 * i))
                  for i in range(_u16(data, 4))}
        for tag in (b"head", b"hhea", b"hmtx", b"maxp", b"cmap", b"loca", b"glyf"):
            if tag not in tables:
                raise _Unreadable(f"no {tag.decode()} table")
        if b"GSUB" in tables and _gsub_has_lookups(data, tables[b"GSUB"][0]):
            raise _Unreadable("substitutes glyphs")  # ligatures and the like: not drawn here
        head, _ = tables[b"head"]
        glyph_count = _u16(data, tables[b"maxp"][0] + 4)
        long_metrics = _u16(data, tables[b"hhea"][0] + 34)
        hmtx = tables[b"hmtx"][0]
        advances = [_u16(data, hmtx + 4 * min(g, long_metrics - 1)) for g in range(glyph_count)]
        loca, glyf = tables[b"loca"][0], tables[b"glyf"][0]
        if _i16(data, head + 50) == 0:
            offsets = [2 * _u16(data, loca + 2 * g) for g in range(glyph_count + 1)]
        else:
            offsets = [_u32(data, loca + 4 * g) for g in range(glyph_count + 1)]
        kerning = _gpos_kerning(data, tables[b"GPOS"][0]) if b"GPOS" in tables else []
        units = _u16(data, head + 18)
        if units & (units - 1) or not 16 <= units <= 16384:
            raise _Unreadable("units per em not a power of two")  # positions would not be exact
        return cls(data, units, _cmap(data, tables[b"cmap"][0]), advances, kerning, glyf,
                   offsets)

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
            except (_Unreadable, struct.error, IndexError, ValueError):
                self._scaled[key] = None
        return self._scaled[key]

    def _segments(self, glyph: int) -> list[Segments]:
        if glyph not in self._outlines:
            self._outlines[glyph] = [seg for c in self._contours(glyph, 0)
                                     if (seg := _contour_segments(c)) is not None]
        return self._outlines[glyph]

    def _contours(self, glyph: int, depth: int) -> list[list[tuple[float, float, bool]]]:
        if depth > 8:
            raise _Unreadable("components nested too deep")
        start, end = self._loca[glyph], self._loca[glyph + 1]
        if start == end:
            return []
        data, at = self.data, self._glyf + start
        count = _i16(data, at)
        if count >= 0:
            return _simple(data, at, count)
        return self._composite(at + 10, depth)

    def _composite(self, at: int, depth: int) -> list[list[tuple[float, float, bool]]]:
        data, out = self.data, []
        while True:
            flags, glyph = _u16(data, at), _u16(data, at + 2)
            at += 4
            if not flags & 0x0002:
                raise _Unreadable("components placed by points")
            if flags & 0x0001:
                dx, dy = _i16(data, at), _i16(data, at + 2)
                at += 4
            else:
                dx, dy = struct.unpack_from(">bb", data, at)
                at += 2
            if flags & (0x0008 | 0x0040 | 0x0080):
                raise _Unreadable("scaled components")
            out += [[(x + dx, y + dy, on) for x, y, on in c]
                    for c in self._contours(glyph, depth + 1)]
            if not flags & 0x0020:
                return out


def _simple(data: bytes, at: int, count: int) -> list[list[tuple[float, float, bool]]]:
    ends = [_u16(data, at + 10 + 2 * i) for i in range(count)]
    points = ends[-1] + 1 if ends else 0
    at += 10 + 2 * count
    at += 2 + _u16(data, at)  # the instructions
    flags: list[int] = []
    while len(flags) < points:
        flag = data[at]
        at += 1
        flags.append(flag)
        if flag & 0x08:
            flags += [flag] * data[at]
            at += 1
    coords = []
    for short, same in ((0x02, 0x10), (0x04, 0x20)):
        values, v = [], 0
        for flag in flags[:points]:
            if flag & short:
                v += data[at] if flag & same else -data[at]
                at += 1
            elif not flag & same:
                v += _i16(data, at)
                at += 2
            values.append(v)
        coords.append(values)
    out, first = [], 0
    for end in ends:
        out.append([(coords[0][i], coords[1][i], bool(flags[i] & 0x01))
                    for i in range(first, end + 1)])
        first = end + 1
    return out


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


def _cmap(data: bytes, at: int) -> dict[int, int]:
    """Character → glyph from the Unicode subtable of format 4 (Windows or Unicode platform)."""
    for i in range(_u16(data, at + 2)):
        platform, encoding, offset = struct.unpack_from(">HHI", data, at + 4 + 8 * i)
        sub = at + offset
        if (platform, encoding) in ((3, 1), (0, 3)) and _u16(data, sub) == 4:
            return _cmap4(data, sub)
    raise _Unreadable("no Unicode cmap of format 4")


def _cmap4(data: bytes, at: int) -> dict[int, int]:
    segs = _u16(data, at + 6) // 2
    ends, starts = at + 14, at + 16 + 2 * segs
    deltas, ranges = starts + 2 * segs, starts + 4 * segs
    out = {}
    for s in range(segs):
        end, start = _u16(data, ends + 2 * s), _u16(data, starts + 2 * s)
        delta, offset = _u16(data, deltas + 2 * s), _u16(data, ranges + 2 * s)
        for code in range(start, min(end, 0xFFFE) + 1):
            if offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                glyph = _u16(data, ranges + 2 * s + offset + 2 * (code - start))
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                out[code] = glyph
    return out


def _gsub_has_lookups(data: bytes, at: int) -> bool:
    offset = _u16(data, at + 8)
    return offset != 0 and _u16(data, at + offset) > 0


def _gpos_kerning(data: bytes, at: int) -> list[dict[tuple[int, int], int]]:
    """The pairs of every lookup of the GPOS table, which must hold the ``kern`` feature alone,
    made of pair adjustments of the advance only (what a plain Latin font such as Liberation Sans
    holds); anything else is a font not read here."""
    features, lookups = at + _u16(data, at + 6), at + _u16(data, at + 8)
    used: set[int] = set()
    for i in range(_u16(data, features)):
        if data[features + 2 + 6 * i:features + 6 + 6 * i] != b"kern":
            raise _Unreadable("GPOS features other than kern")
        feature = features + _u16(data, features + 6 + 6 * i)
        used.update(_u16(data, feature + 4 + 2 * k) for k in range(_u16(data, feature + 2)))
    if used != set(range(_u16(data, lookups))):
        raise _Unreadable("GPOS lookups that kern does not use")
    out = []
    for i in range(_u16(data, lookups)):
        lookup = lookups + _u16(data, lookups + 2 + 2 * i)
        if _u16(data, lookup) != 2 or _u16(data, lookup + 2) != 0:
            raise _Unreadable("GPOS lookups other than plain pair adjustments")
        pairs: dict[tuple[int, int], int] = {}
        for j in range(_u16(data, lookup + 4)):
            sub = lookup + _u16(data, lookup + 6 + 2 * j)
            for pair, value in _pair_subtable(data, sub).items():
                pairs.setdefault(pair, value)  # the first subtable that has the pair applies
        out.append(pairs)
    return out


def _pair_subtable(data: bytes, at: int) -> dict[tuple[int, int], int]:
    if _u16(data, at) != 1 or _u16(data, at + 4) != _X_ADVANCE or _u16(data, at + 6) != 0:
        raise _Unreadable("pair adjustments by class, or of more than the advance")
    firsts = _coverage(data, at + _u16(data, at + 2))
    out = {}
    for i, first in enumerate(firsts[:_u16(data, at + 8)]):
        pair_set = at + _u16(data, at + 10 + 2 * i)
        for k in range(_u16(data, pair_set)):
            second, value = struct.unpack_from(">Hh", data, pair_set + 2 + 4 * k)
            out.setdefault((first, second), value)
    return out


def _coverage(data: bytes, at: int) -> list[int]:
    kind, count = _u16(data, at), _u16(data, at + 2)
    if kind == 1:
        return [_u16(data, at + 4 + 2 * i) for i in range(count)]
    if kind == 2:
        out = []
        for i in range(count):
            start, end, _ = struct.unpack_from(">HHH", data, at + 4 + 6 * i)
            out += range(start, end + 1)
        return out
    raise _Unreadable("coverage format")


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


@functools.cache
def outlines(dirs: tuple[str, ...] = FONT_DIRS) -> Fonts | None:
    """The fonts whose outlines draw the cards and the charts' downloads in this process, or
    None (vl-convert draws the text): Liberation Sans as found in ``dirs`` (the system's font
    folders), once it made the same PNG as vl-convert (:func:`outlines_match`)."""
    fonts = find_fonts(dirs)
    return fonts if fonts is not None and outlines_match(fonts) else None
