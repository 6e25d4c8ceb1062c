"""Share cards (generator/share.py): what a card says, its alt text, and that text from data is
drawn as text, never as markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.share import Card, ShareCards, card_svg, image_path


@pytest.mark.parametrize("card, alt", [
    (Card("Acme AI", "Latest post-money valuation", "US$10 billion", "ignored"),
     "Acme AI. Latest post-money valuation: US$10 billion"),
    (Card("Glossary", description="The terms used on this site."),
     "Glossary. The terms used on this site."),
    (Card("Home"), "Home"),
    (Card("Acme AI", "Latest post-money valuation", "US$10 billion", "ignored",
          "1 February 2023, Series B (primary round) · reported · sources: Acme AI, The Daily "
          "Example"),
     "Acme AI. Latest post-money valuation: US$10 billion (1 February 2023, Series B (primary "
     "round) · reported · sources: Acme AI, The Daily Example)"),
], ids=["key-figure", "description", "title-only", "key-figure-with-its-note"])
def test_a_cards_alt_text_says_what_it_shows(card, alt):
    assert card.alt == alt


@pytest.mark.parametrize("docs_path, path", [
    ("index.md", "share/index.png"),
    ("companies/acme.md", "share/companies/acme.png"),
    ("companies/page/2.md", "share/companies/page/2.png"),
], ids=["home", "profile", "page-of-a-list"])
def test_each_page_has_its_own_card(docs_path, path):
    assert image_path(docs_path) == path


def test_text_from_data_is_drawn_as_text():
    svg = card_svg(Card('<script>alert(1)</script> & "x"', "Latest", "<b>US$1</b>"), "Site")
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in svg


def test_long_words_are_cut_to_the_card(tmp_path):
    svg = card_svg(Card("A " * 200, description="word " * 300), "Site")
    assert svg.count("…") == 2  # the title (three lines) and the description (three lines)


def test_a_check_makes_no_card_and_a_build_makes_each_once(tmp_path):
    assert ShareCards(None).add("index.md", "site_src/index.md", Card("Home")) == (
        "share/index.png", "Home")
    cards = ShareCards(tmp_path / "cards")
    cards.add("index.md", "site_src/index.md", Card("Home"))
    cards.add("about.md", "site_src/about.md", Card("Home"))
    files = cards.assets()
    assert [f.path for f in files] == ["share/about.png", "share/index.png"]
    assert files[0].source == files[1].source  # the same words: one card
    assert files[0].source.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(list((tmp_path / "cards").iterdir())) == 1


@pytest.mark.parametrize("changed", [
    Card("Acme AI, edited", "Latest", "US$1 billion", "", "2024"),
    Card("Acme AI", "Earliest", "US$1 billion", "", "2024"),
    Card("Acme AI", "Latest", "US$2 billion", "", "2024"),
    Card("Acme AI", "Latest", "US$1 billion", "A lab.", "2024"),
    Card("Acme AI", "Latest", "US$1 billion", "", "2025"),
], ids=["title", "label", "figure", "description", "note"])
def test_a_card_is_named_by_every_word_it_shows_and_the_site_s_name(tmp_path, changed):
    # a card is named without drawing it: a change of any field it shows is another card
    def made(card: Card, site: str = "Site") -> Path:
        cards = ShareCards(tmp_path / "cards", site)
        cards.add("companies/acme-ai.md", "data/companies/acme-ai.yaml", card)
        [file] = cards.assets()
        return file.source

    card = Card("Acme AI", "Latest", "US$1 billion", "", "2024")
    first = made(card)
    assert made(card) == first
    assert made(changed) != first
    assert made(card, "Another site") != first
    assert len(list((tmp_path / "cards").iterdir())) == 3


def test_a_card_is_made_again_when_the_code_that_compresses_it_changes(tmp_path, monkeypatch):
    # a kept card is the one a clean build would make: its name covers generator.png's code
    import generator.share as share

    def made() -> list:
        cards = ShareCards(tmp_path / "cards")
        cards.add("index.md", "site_src/index.md", Card("Home"))
        return [f.source for f in cards.assets()]

    first = made()
    assert made() == first
    monkeypatch.setattr(share, "module_digest", lambda *names: f"changed {names}")
    again = made()
    assert again != first and again[0].is_file()
    assert len(list((tmp_path / "cards").iterdir())) == 2


@pytest.mark.parametrize("cited, note", [
    (["acme-news-2021", "daily-2023"],
     "US&#36;10 billion &#40;1 February 2023, Series B &#40;primary round&#41; · reported · "
     "sources&#58; Acme AI, The Daily Example&#41;"),
    (["daily-2023"],
     "US&#36;10 billion &#40;1 February 2023, Series B &#40;primary round&#41; · reported · "
     "sources&#58; The Daily Example &#40;secondary only&#41;&#41;"),
], ids=["first-hand", "secondary-only"])
def test_a_profiles_card_gives_its_figures_date_status_and_sources(tmp_path, cited, note):
    """The key figure on a profile's card says what a figure on the page says: when, which
    event, how sure, and who reported it (the mark for copies alone included)."""
    from support import make_project, render_pages, replace

    root = make_project(tmp_path / "p")
    replace("data/companies/acme-ai.yaml", "sources: [acme-news-2021, daily-2023]",
            f"sources: [{', '.join(cited)}]")(root)
    problems, pages = render_pages(root)
    assert not problems.errors, problems.items
    alt = next(line for line in pages["companies/acme-ai.md"].split("\n")
               if line.startswith("share_alt:"))
    assert alt == f'share_alt: "Acme AI&#46; Latest post&#45;money valuation&#58; {note}"'


def test_a_card_is_made_again_when_the_fonts_change(tmp_path, monkeypatch):
    # vl-convert draws a card's text with the fonts it finds: a card drawn before a font was
    # installed is not the card a clean build makes after (generator.glyphs.fonts_identity)
    import generator.share as share

    def made() -> list:
        cards = ShareCards(tmp_path / "cards")
        cards.add("index.md", "site_src/index.md", Card("Home"))
        return [f.source for f in cards.assets()]

    monkeypatch.setattr(share, "fonts_identity", lambda: "fonts one")
    first = made()
    assert made() == first
    monkeypatch.setattr(share, "fonts_identity", lambda: "fonts two")
    again = made()
    assert again != first and again[0].is_file()
    assert len(list((tmp_path / "cards").iterdir())) == 2
