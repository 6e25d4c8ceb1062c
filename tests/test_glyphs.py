"""Share cards drawn with glyph outlines (generator/glyphs.py, generator/share.py): the same PNG
as vl-convert's text, lines the outlines do not draw left as text, and fonts that are not read in
full, or not found once, never used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import share
from generator.glyphs import FONT_FILES, Face, Fonts, find_fonts
from generator.share import Card, ShareCards, card_svg, outlines, outlines_match

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
    svg = card_svg(GOLDEN_CARDS[name], share.SITE_NAME, fonts)
    assert "<text" not in svg
    cards = ShareCards(tmp_path / "cards")
    cards.add("index.md", "site_src/index.md", GOLDEN_CARDS[name])
    [made] = cards.assets()
    assert made.source.read_bytes() == (GOLDEN / f"{name}.png").read_bytes()


@pytest.mark.parametrize("line, size, bold", [
    ("AVATAR Yottabyte Wave Type L'Œuvre", 58, True),
    ("Te, Yo. r. f. 7, y. “fjord” ‘x’ «y» ÿ Å Ø ß", 32, False),
    ("US$1,234.5 billion (€7,890) – 12% + 3 = ¼", 84, True),
    ("1 February 2023 · reported · sources: Acme, The Daily Example…", 28, False),
    ("Ωμέγα Αθήνα Тест Київ", 32, False),
    ("1234567890", 26, False),
], ids=["kerned-bold-title", "punctuation-and-quotes", "figure", "note", "greek-cyrillic",
        "figures-only"])
def test_a_line_drawn_as_outlines_is_the_line_vl_convert_draws(fonts, line, size, bold):
    drawn = fonts.draw(80, 200, size, bold, line)
    assert drawn is not None
    weight = "bold" if bold else "normal"
    text = (f'<text x="80" y="200" font-family="{share.FONT}" font-size="{size}" '
            f'font-weight="{weight}" fill="#111111">{line}</text>')

    def png(body: str) -> bytes:
        return share._png('<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="300">'
                          f'<rect width="1400" height="300" fill="#fff"/>{body}</svg>')

    assert png(f'<g fill="#111111">{drawn}</g>') == png(text)


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
    svg = card_svg(Card("Acme", description="שלום"), "Site", fonts)
    assert svg.count("<text") == 1 and ">שלום</text>" in svg  # the title and the rest: outlines


def test_glyphs_advances_and_kerning_are_the_fonts(fonts):
    regular, bold = fonts.regular, fonts.bold
    glyphs = regular.glyphs("AVATAR")
    assert glyphs == [36, 57, 36, 55, 36, 53]
    assert regular.pen(glyphs) == [0, 1214, 2428, 3642, 4741, 6107]  # A-V, V-A, T-A kerned
    assert regular.pen(regular.glyphs("Te, Yo.")) == [0, 1024, 2163, 2732, 3264, 4442, 5581]
    assert bold.pen(bold.glyphs("AV")) == [0, 1327]
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


def test_a_line_is_placed_glyph_by_glyph_at_the_pen(fonts):
    drawn = fonts.draw(80, 100, 32, False, "l l")  # "l" and " ": 1,024 units, 16 px
    assert drawn == ('<path transform="matrix(0.015625 0 0 -0.015625 80.0 100.0)" '
                     'd="M138 0L138 1484L318 1484L318 0L138 0Z"/>'
                     '<path transform="matrix(0.015625 0 0 -0.015625 96.0 100.0)" '
                     'd="M138 0L138 1484L318 1484L318 0L138 0Z"/>')  # a space has no path


@pytest.mark.parametrize("damage", [
    lambda data: b"not a font at all",
    lambda data: data[:2000],
    lambda data: data[:len(data) // 2],
    lambda data: b"OTTO" + data[4:],
], ids=["not-a-font", "cut-in-its-tables", "cut-in-its-glyphs", "not-truetype"])
def test_a_font_that_cannot_be_read_in_full_is_not_used(tmp_path, damage):
    data = Path(find_fonts_file(False)).read_bytes()
    (tmp_path / "f.ttf").write_bytes(damage(data))
    assert Face.read(tmp_path / "f.ttf") is None


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


def test_fonts_that_do_not_make_vl_converts_card_are_not_used(tmp_path, fonts):
    swapped = Fonts(fonts.bold, fonts.regular)  # outlines, but not the text's
    assert outlines_match(fonts) is True
    assert outlines_match(swapped) is False
    assert outlines_match(fonts, render=lambda svg: svg.encode()) is False
    assert outlines((str(tmp_path / "no-fonts"),)) is None


def test_without_outlines_a_card_is_made_from_its_text(tmp_path, monkeypatch):
    monkeypatch.setattr(share, "outlines", lambda: None)
    cards = ShareCards(tmp_path / "cards")
    cards.add("index.md", "site_src/index.md", GOLDEN_CARDS["profile"])
    [made] = cards.assets()
    assert made.source.read_bytes() == (GOLDEN / "profile.png").read_bytes()
