"""Text drawn as glyph outlines (generator/glyphs.py) in the share cards (generator/share.py) and
the charts' PNG downloads (generator/charts/pipeline.py): the same PNG as vl-convert's text, lines
the outlines do not draw left as text, and fonts not read in full, not found once, or not making
vl-convert's PNG never used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import share
from generator.glyphs import (FAMILY, FONT_FILES, WORTH_CHECKING, Face, Fonts, find_fonts,
                              outline_svg, outlines, outlines_for, outlines_match)
from generator.share import Card, ShareCards, card_svg

GOLDEN = Path(__file__).parent / "golden" / "share"
SYSTEM = find_fonts()


@pytest.fixture
def fonts() -> Fonts:
    # the machines that build the site have Liberation Sans (Debian's fonts-liberation): without
    # it the cards are made with vl-convert's text alone, and these tests fail to say so
    assert SYSTEM is not None, "Liberation Sans (regular and bold) not found once each"
    return SYSTEM


# Made by vl-convert from the cards' <text> (the code before the outlines), kept as they were
# made: the cards made now must be these files, byte for byte.
GOLDEN_CARDS = {
    "profile": Card("AVA Tensor Works, Ltd.", "Latest post-money valuation", "US$12.5 billion",
                    note="1 February 2023, Series B (primary round) · reported · sources: Acme AI, "
                         "The Daily Example"),
    "description": Card("Glossary of “terms” — Éclair & Wave",
                        description="The terms used on this site, with 'quotes', figures "
                                    "(1,234.5) and a Тест of other letters."),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CARDS))
def test_a_card_made_with_outlines_is_the_card_vl_convert_made_from_text(tmp_path, fonts, name):
    assert outlines() is not None  # this machine's cards are drawn with outlines
    svg = outline_svg(card_svg(GOLDEN_CARDS[name], share.SITE_NAME), fonts)
    assert "<text" not in svg
    cards = ShareCards(tmp_path / "cards")
    cards.add("index.md", "site_src/index.md", GOLDEN_CARDS[name])
    [made] = cards.assets()
    assert made.source.read_bytes() == (GOLDEN / f"{name}.png").read_bytes()


@pytest.mark.parametrize("line, size, bold, anchor", [
    ("AVATAR Yottabyte Wave Type L'Œuvre", 58, True, "start"),
    ("Te, Yo. r. f. 7, y. “fjord” ‘x’ «y» ÿ Å Ø ß", 32, False, "start"),
    ("US$1,234.5 billion (€7,890) – 12% + 3 = ¼", 84, True, "start"),
    ("1 February 2023 · reported · sources: Acme, The Daily Example…", 28, False, "start"),
    ("Ωμέγα Αθήνα Тест Київ", 32, False, "start"),
    ("1234567890", 26, False, "start"),
    ("Maryor Networks&#x27;s post-money valuation", 13, False, "start"),
    ("Chart id: valuation-maryor-networks.", 11, False, "start"),
    ("US$ billion (log) 2019 Jan", 12, False, "middle"),
    ("Series C, to be confirmed", 12, True, "end"),
], ids=["kerned-bold-title", "punctuation-and-quotes", "figure", "note", "greek-cyrillic",
        "figures-only", "overlapping-glyphs", "overlapping-glyphs-small", "centred", "ending"])
def test_a_line_drawn_as_outlines_is_the_line_vl_convert_draws(fonts, line, size, bold, anchor):
    import vl_convert as vlc

    weight = "bold" if bold else "normal"
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="300">'
           '<rect width="1400" height="300" fill="#fff"/>'
           f'<text x="600" y="200" text-anchor="{anchor}" font-family="{FAMILY}" '
           f'font-size="{size}" font-weight="{weight}" fill="#111111">{line}</text></svg>')
    drawn = outline_svg(svg, fonts)
    assert "<text" not in drawn
    for scale in (1, 2):  # the cards', and the charts' downloads'
        assert vlc.svg_to_png(drawn, scale=scale) == vlc.svg_to_png(svg, scale=scale)


@pytest.mark.parametrize("line", [
    "", " leading", "trailing ", "two  spaces", "tab\there", "e\u0301 combining", "ש עברית",
    "soft\u00adhyphen", "zero\u200bwidth", "emoji \U0001F600", "\u202eright to left", "ctrl\x07",
    "no-break\u00a0space",
], ids=["empty", "leading-space", "trailing-space", "double-space", "tab", "combining-mark",
        "hebrew", "soft-hyphen", "zero-width-space", "emoji", "bidi-override", "control",
        "no-break-space"])
def test_a_line_shaping_could_change_stays_text(fonts, line):
    assert fonts.regular.glyphs(line) is None
    assert fonts.draw(80, 100, 32, False, line) is None


def test_a_card_keeps_as_text_the_lines_the_outlines_do_not_draw(fonts):
    svg = outline_svg(card_svg(Card("Acme", description="שלום"), "Site"), fonts)
    assert svg.count("<text") == 1 and ">שלום</text>" in svg  # the title and the rest: outlines


def test_glyphs_advances_and_kerning_are_the_fonts(fonts):
    regular, bold = fonts.regular, fonts.bold
    glyphs = regular.glyphs("AVATAR")
    assert glyphs == [36, 57, 36, 55, 36, 53]
    # where each glyph starts, and where the line ends: A-V, V-A, T-A kerned
    assert regular.pen(glyphs) == [0, 1214, 2428, 3642, 4741, 6107, 7586]
    assert regular.pen(regular.glyphs("Te, Yo.")) == [0, 1024, 2163, 2732, 3264, 4442, 5581, 6150]
    assert bold.pen(bold.glyphs("AV")) == [0, 1327, 2693]
    assert regular.units_per_em == 2048


@pytest.mark.parametrize("char, path", [
    ("l", "M138 0L138 1484L318 1484L318 0L138 0Z"),
    ("É", "M168 0L168 1409L1237 1409L1237 1253L359 1253L359 801L1177 801L1177 647L359 647L359 "
          "156L1278 156L1278 0L168 0Z M551 1530L551 1550L768 1776L975 1776L975 1747L665 1530L551 "
          "1530Z"),
    ("o", "M1053 542Q1053 258 928 119Q803 -20 565 -20Q452 -20 363 14Q274 48 212.5 118Q151 188 "
          "118.5 293.5Q86 399 86 542Q86 1102 571 1102Q697 1102 788.5 1067Q880 1032 938.5 962Q997 "
          "892 1025 787Q1053 682 1053 542Z M864 542Q864 668 844.5 750Q825 832 787.5 881Q750 930 "
          "696 949.5Q642 969 574 969Q505 969 449.5 948.5Q394 928 355 878.5Q316 829 295.5 747Q275 "
          "665 275 542Q275 416 297 333.5Q319 251 357.5 202Q396 153 448.5 133Q501 113 563 113Q632 "
          "113 688 132.5Q744 152 783 201Q822 250 843 333Q864 416 864 542Z"),
], ids=["straight-lines", "composite-accent", "curves-with-implied-points"])
def test_a_glyphs_outline_is_its_contours_in_font_units(fonts, char, path):
    [glyph] = fonts.regular.glyphs(char)
    assert fonts.regular.outline(glyph) == path


@pytest.mark.parametrize("text, anchor, path", [
    # "l" starts 138 units in, is 180 wide and 1,484 high; "l" and " " are 1,024 units (16 px)
    ("l l", "start", "M82.15625 100l0 -23.1875l2.8125 0l0 23.1875l-2.8125 0z"
                     "M98.15625 100l0 -23.1875l2.8125 0l0 23.1875l-2.8125 0z"),
    ("l", "middle", "M78.6015625 100l0 -23.1875l2.8125 0l0 23.1875l-2.8125 0z"),  # 455 units
    ("l", "end", "M75.046875 100l0 -23.1875l2.8125 0l0 23.1875l-2.8125 0z"),
], ids=["start-with-a-space", "middle", "end"])
def test_a_line_is_one_path_of_its_glyphs_placed_at_the_pen(fonts, text, anchor, path):
    assert fonts.draw(80, 100, 32, False, text, anchor) == f'<path d="{path}"/>'


L_PATH = "M82.15625 100l0 -23.1875l2.8125 0l0 23.1875l-2.8125 0z"


@pytest.mark.parametrize("element, outlined", [
    (f'<text x="80" y="100" font-family="{FAMILY}" font-size="32">l</text>',
     f'<g><path d="{L_PATH}"/></g>'),
    (f'<text x="80" y="100" font-family="{FAMILY}" font-size="32px" font-weight="normal" '
     'text-anchor="start" transform="translate(1.5,2) rotate(-90)" fill="#444" opacity="0.5">'
     'l</text>',
     f'<g transform="translate(1.5,2) rotate(-90)" fill="#444" opacity="0.5"><path '
     f'd="{L_PATH}"/></g>'),
    (f'<text y="100" font-family="{FAMILY}" font-size="64">&#x6c;&amp;</text>', None),
], ids=["plain", "every-attribute-read", "references"])
def test_a_text_element_becomes_a_group_keeping_transform_fill_and_opacity(fonts, element,
                                                                          outlined):
    got = outline_svg(f"<svg>{element}</svg>", fonts)
    if outlined is None:  # "l&" at 64 px from x 0: its own numbers; no text left
        assert "<text" not in got and got.startswith('<svg><g><path d="M4.3125 100l')
    else:
        assert got == f"<svg>{outlined}</svg>"


@pytest.mark.parametrize("element", [
    f'<text x="80.5" y="100" font-family="{FAMILY}" font-size="32">l</text>',
    f'<text x="80" y="100" font-family="{FAMILY}" font-size="12.5">l</text>',
    f'<text x="80" y="100" font-family="{FAMILY}" font-size="0">l</text>',
    f'<text x="80" y="100" font-family="Arial" font-size="32">l</text>',
    f'<text x="80" y="100" font-family="{FAMILY}" font-size="32" font-weight="600">l</text>',
    f'<text x="80" y="100" font-family="{FAMILY}" font-size="32" font-style="italic">l</text>',
    f'<text x="80" y="100" dy="3" font-family="{FAMILY}" font-size="32">l</text>',
    f'<text x="80" y="100" style="fill:red" font-family="{FAMILY}" font-size="32">l</text>',
    f'<text x="80" y="100" font-family="{FAMILY}" font-size="32" text-anchor="inherit">l</text>',
    f'<text x="80" y="100" font-family="{FAMILY}" font-size="32">&nbsp;l</text>',
    f'<text x="80" y="100" font-family="{FAMILY}" font-size="32"><tspan>l</tspan></text>',
    f"<text x='80' y='100' font-family='{FAMILY}' font-size='32'>l</text>",
    f'<text x="3990" y="100" font-family="{FAMILY}" font-size="32">l</text>',
    f'<text x="80" y="-3990" font-family="{FAMILY}" font-size="32">l</text>',
], ids=["fractional-x", "fractional-size", "zero-size", "other-family", "other-weight",
        "italic", "shifted", "style", "other-anchor", "html-entity", "tspan", "single-quotes",
        "far-right", "far-up"])
def test_a_text_element_with_anything_not_read_here_stays_text(fonts, element):
    assert outline_svg(f"<svg>{element}</svg>", fonts) == f"<svg>{element}</svg>"


def test_the_charts_downloads_are_the_pngs_vl_convert_made_from_text(fonts):
    """Each chart of the test data (tests/golden/charts) rendered by the pipeline: its PNG
    download, drawn with outlines, is the one drawn from the download SVG's text."""
    import json

    import vl_convert as vlc

    from generator.charts.cache import render_versions
    from generator.charts.pipeline import PNG_SCALE, render_svg
    from generator.charts.svg import download_svg
    from generator.png import smaller

    wrap = {"title": "Acme AI: valuations over time, the “largest” rounds",
            "takeaway": "Acme AI's post-money valuation rose from US$1 billion (1 February "
                        "2021) to US$10 billion (1 February 2023), ten times the first.",
            "alt": "A chart.", "footer": "Sources: Acme AI; The Daily Example. Chart id: x.",
            "vl_version": render_versions(None)[1]}
    specs = sorted((Path(__file__).parent / "golden" / "charts").glob("*.vl.json"))
    assert len(specs) == 8
    for spec in specs:
        spec_json = json.dumps(json.loads(spec.read_text(encoding="utf-8")))
        svg, png = render_svg(spec_json, wrap, batch=len(specs) * 2)  # outlines used
        drawn = download_svg(svg, wrap)
        assert "<text" not in outline_svg(drawn, fonts), spec.name
        assert png == smaller(vlc.svg_to_png(drawn, scale=PNG_SCALE)), spec.name


@pytest.mark.parametrize("damage", [
    lambda data: b"not a font at all",
    lambda data: data[:2000],
    lambda data: data[:len(data) // 2],
    lambda data: b"OTTO" + data[4:],
    lambda data: _with_units_per_em(data, 1000),
], ids=["not-a-font", "cut-in-its-tables", "cut-in-its-glyphs", "not-truetype",
        "units-per-em-not-a-power-of-two"])
def test_a_font_that_cannot_be_read_in_full_is_not_used(tmp_path, damage):
    data = Path(find_fonts_file(False)).read_bytes()
    (tmp_path / "f.ttf").write_bytes(damage(data))
    assert Face.read(tmp_path / "f.ttf") is None


def test_a_glyph_whose_outline_cannot_be_read_leaves_its_line_as_text(tmp_path):
    import struct

    data = bytearray(Path(find_fonts_file(False)).read_bytes())
    face = Face.parse(bytes(data))
    [accent] = face.glyphs("É")  # made of two components placed by offsets
    at = face.font.reader.tables["glyf"].offset + face.font["loca"][accent]
    assert struct.unpack(">h", data[at:at + 2])[0] == -1  # a composite glyph
    data[at + 11] &= ~0x02  # its first component placed by matching points instead
    (tmp_path / "f.ttf").write_bytes(bytes(data))
    damaged = Face.read(tmp_path / "f.ttf")
    fonts = Fonts(damaged, damaged)
    assert fonts.draw(80, 100, 32, False, "Éclair") is None
    assert fonts.draw(80, 100, 32, False, "clair") is not None
    element = f'<text x="80" y="100" font-family="{FAMILY}" font-size="32">Éclair</text>'
    assert outline_svg(element, fonts) == element


def test_a_vl_convert_that_fails_means_no_outlines(fonts):
    def fails(svg: str, scale: float) -> bytes:
        raise ValueError("vl-convert could not render")

    assert outlines_match(fonts, render=fails) is False


def _with_units_per_em(data: bytes, units: int) -> bytes:
    import struct

    for i in range(struct.unpack(">H", data[4:6])[0]):
        if data[12 + 16 * i:16 + 16 * i] == b"head":
            at = struct.unpack(">I", data[20 + 16 * i:24 + 16 * i])[0] + 18
            return data[:at] + struct.pack(">H", units) + data[at + 2:]
    raise AssertionError("no head table")


def find_fonts_file(bold: bool) -> str:
    import os

    for top in ("/usr/share/fonts",):
        for folder, _, files in os.walk(top):
            if FONT_FILES[bold] in files:
                return os.path.join(folder, FONT_FILES[bold])
    raise AssertionError(f"{FONT_FILES[bold]} not found")


def _font_dir(root: Path, copies: int = 1, bold: bool = True) -> Path:
    for i in range(copies):
        (root / f"d{i}").mkdir(parents=True)
        shutil.copy(find_fonts_file(False), root / f"d{i}" / FONT_FILES[False])
        if bold:
            shutil.copy(find_fonts_file(True), root / f"d{i}" / FONT_FILES[True])
    return root


@pytest.mark.parametrize("copies, bold, found", [
    (1, True, True),
    (0, True, False),
    (1, False, False),
    (2, True, False),
], ids=["once-each", "none", "no-bold", "twice"])
def test_fonts_are_used_only_when_found_once_each(tmp_path, copies, bold, found):
    fonts = find_fonts((str(_font_dir(tmp_path / "fonts", copies, bold)),))
    assert (fonts is not None) == found


def test_fonts_that_do_not_make_vl_converts_png_are_not_used(tmp_path, fonts):
    swapped = Fonts(fonts.bold, fonts.regular)  # outlines, but not the text's
    assert outlines_match(fonts) is True
    assert outlines_match(swapped) is False
    assert outlines_match(fonts, render=lambda svg, scale: svg.encode()) is False
    assert outlines((str(tmp_path / "no-fonts"),)) is None


def test_without_outlines_a_card_is_made_from_its_text(tmp_path, monkeypatch):
    monkeypatch.setattr(share, "outlines_for", lambda count: None)
    cards = ShareCards(tmp_path / "cards")
    cards.add("index.md", "site_src/index.md", GOLDEN_CARDS["profile"])
    [made] = cards.assets()
    assert made.source.read_bytes() == (GOLDEN / "profile.png").read_bytes()


def test_outlines_are_checked_only_for_enough_pngs(fonts):
    """The check costs four PNGs of the probe: a process making one card and one chart (a
    one-file rebuild) draws them from their text, and checks nothing."""
    outlines.cache_clear()
    assert outlines_for(1) is None
    assert outlines_for(WORTH_CHECKING - 1) is None
    assert outlines.cache_info().currsize == 0  # no check made
    assert outlines_for(WORTH_CHECKING) is not None
    assert outlines_for(1) is not None  # once checked, used for any number


def test_the_fonts_identity_changes_when_a_font_is_added_changed_or_removed(tmp_path):
    from generator.glyphs import fonts_identity

    folder = tmp_path / "fonts"
    (folder / "truetype").mkdir(parents=True)

    def identity() -> str:
        return fonts_identity.__wrapped__((str(folder), str(tmp_path / "absent")))

    empty = identity()
    font = folder / "truetype" / "Some-Regular.ttf"
    font.write_bytes(b"font")
    added = identity()
    font.write_bytes(b"font, another version")
    changed = identity()
    assert identity() == changed  # (the same fonts, the same identity)
    font.unlink()
    assert len({empty, added, changed}) == 3 and identity() == empty
