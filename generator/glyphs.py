"""Lines of text as glyph outlines, for the share cards (generator.share): the same shapes at the
same places as vl-convert draws a ``<text>`` in the same font, without its cost.

vl-convert (resvg) keeps each system font as a file and opens, maps and unmaps that file for every
glyph it draws: about 500 times a card, half of the 24 ms a card took. Drawn as ``<path>``
elements, the glyphs cost it nothing of the kind. A glyph's outline is read here from the font
file (TrueType: ``cmap``, ``hmtx``, ``glyf``) and placed as resvg places it: at the pen position
in font units times size / units per em, the pen moved by each glyph's advance plus the pair
kerning of the font's GPOS ``kern`` feature (HarfBuzz's rules, which resvg follows); the result was
the same PNG, byte for byte.

Only what is drawn that simply is drawn here (:meth:`Face.glyphs`): a line whose every character
the font has, in one left-to-right run, with nothing that shaping would change (no combining mark,
no format or control character, no right-to-left letter, no space that SVG would collapse). Any
other line, and every line when the font is not one this reader knows how to read in full (a
table or format it does not read gives None, never a guess), stays a ``<text>`` for vl-convert.
"""

from __future__ import annotations

import os
import struct
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# Where the system's fonts are (those fontconfig names on Debian and most Linux systems), and the
# files of the one family the cards are drawn in
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
FONT_FILES = {False: "LiberationSans-Regular.ttf", True: "LiberationSans-Bold.ttf"}

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

    data: bytes
    units_per_em: int
    cmap: dict[int, int]
    advances: list[int]
    kerning: list[dict[tuple[int, int], int]]  # one per GPOS lookup, in the order applied
    _glyf: int = 0
    _loca: list[int] = field(default_factory=list)
    _outlines: dict[int, str] = field(default_factory=dict)

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
        return cls(data, _u16(data, head + 18), _cmap(data, tables[b"cmap"][0]), advances,
                   kerning, glyf, offsets)

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
        """Where each glyph starts, in font units from the line's start: the advances before it,
        with each kerning lookup's first pair that applies (HarfBuzz: the first subtable whose
        pair matches; every lookup adds its own)."""
        out, x = [], 0
        for i, glyph in enumerate(glyphs):
            out.append(x)
            x += self.advances[glyph]
            if i + 1 < len(glyphs):
                x += sum(lookup.get((glyph, glyphs[i + 1]), 0) for lookup in self.kerning)
        return out

    def outline(self, glyph: int) -> str:
        """The glyph's outline as SVG path data in font units (y up), "" for none."""
        if glyph not in self._outlines:
            self._outlines[glyph] = " ".join(_contour(c) for c in self._contours(glyph, 0))
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


def _contour(points: list[tuple[float, float, bool]]) -> str:
    """One closed contour of on- and off-curve points as path data (quadratic curves, a point
    between two off-curve points implied, as TrueType means them)."""
    if len(points) < 2:
        return ""
    first, last = points[0], points[-1]
    if first[2]:
        start, rest = first, points[1:] + [first]
    elif last[2]:
        start, rest = last, points[:-1] + [last]
    else:
        start = ((first[0] + last[0]) / 2, (first[1] + last[1]) / 2, True)
        rest = points + [start]
    out = [f"M{_num(start[0])} {_num(start[1])}"]
    control: tuple[float, float, bool] | None = None
    for x, y, on in rest:
        if on:
            out.append(f"Q{_num(control[0])} {_num(control[1])} {_num(x)} {_num(y)}"
                       if control else f"L{_num(x)} {_num(y)}")
            control = None
        elif control:
            mx, my = (control[0] + x) / 2, (control[1] + y) / 2
            out.append(f"Q{_num(control[0])} {_num(control[1])} {_num(mx)} {_num(my)}")
            control = (x, y, False)
        else:
            control = (x, y, False)
    return "".join(out) + "Z"


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
    """A family's regular and bold faces, drawing lines of text as ``<path>`` elements."""

    regular: Face
    bold: Face

    def draw(self, x: float, y: float, size: float, bold: bool, text: str) -> str | None:
        """``text`` with its baseline starting at (x, y), ``size`` pixels high, as one ``<path>``
        a glyph (the fill left to the element around them); None when the line is not drawn
        here."""
        face = self.bold if bold else self.regular
        glyphs = face.glyphs(text)
        if glyphs is None:
            return None
        scale = size / face.units_per_em
        out = []
        for glyph, pen in zip(glyphs, face.pen(glyphs)):
            if outline := face.outline(glyph):
                out.append(f'<path transform="matrix({scale!r} 0 0 {-scale!r} '
                           f'{x + pen * scale!r} {float(y)!r})" d="{outline}"/>')
        return "".join(out)


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
