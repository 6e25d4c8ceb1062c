"""Kept pages of the sources list (#19, generator.render.reuse): a page of the list is rendered
again only when what it reads changed, and its text is then what a clean render gives."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.render as render_mod
from generator.load import load
from generator.problems import Problems
from generator.render import render
from generator.settings import Settings


@pytest.fixture
def rendered(project: Path, monkeypatch):
    """rendered(clean=False) → (the sources page's Markdown, the page kinds rendered, not kept)."""
    plain = render_mod._render_page
    made: list[str] = []

    def counting(kind, spec, *args, **kwargs):
        made.append(spec.path)
        return plain(kind, spec, *args, **kwargs)

    monkeypatch.setattr(render_mod, "_render_page", counting)

    def run(clean: bool = False) -> tuple[str, list[str]]:
        made.clear()
        problems = Problems()
        pages = render(load(project, problems), Settings.for_project(project, check=True,
                                                                     clean=clean), problems)
        assert [p.format() for p in problems.sorted()] == []
        text = next(p.text for p in pages.pages if p.path == "sources.md")
        return text, [p for p in made if p.startswith("sources")]

    return run


def test_a_page_of_the_sources_list_is_kept_until_what_it_reads_changes(project, rendered):
    first, made = rendered()
    assert made == ["sources.md"]
    again, made = rendered()
    assert (again, made) == (first, [])  # nothing it reads changed
    # a company's summary: no source, nothing citing a source, no date changed
    acme = project / "data/companies/acme-ai.yaml"
    acme.write_text(acme.read_text().replace("A fictional AI lab used by the tests.",
                                             "A fictional AI lab the tests use."))
    assert rendered() == (first, [])
    # a record it shows
    src = project / "data/sources/acme-news-2021.yaml"
    text = src.read_text()
    assert "\ntitle: " in text
    src.write_text("\n".join("title: A title the test gave" if line.startswith("title: ")
                             else line for line in text.split("\n")))
    edited, made = rendered()
    assert made == ["sources.md"] and "A title the test gave" in edited
    assert edited == rendered(clean=True)[0]
    # what cites a record: the company's name, as the list's "Cited by" shows it
    acme.write_text(acme.read_text().replace("name: Acme AI", "name: Acme Intelligence"))
    renamed, made = rendered()
    assert made == ["sources.md"] and "Cited by: [Acme Intelligence]" in renamed
    assert renamed == rendered(clean=True)[0]


def test_a_sources_template_that_reads_the_dataset_is_rendered_every_time(project, rendered):
    with open(project / "templates/sources.md.j2", "a", encoding="utf-8") as f:
        f.write("\nOne of {{ ds.companies | length }} lists.\n")
    assert rendered()[1] == ["sources.md"]
    text, made = rendered()
    assert made == ["sources.md"] and "One of 2 lists." in text


def test_a_kept_page_is_read_back_as_it_was_held_and_a_damaged_entry_is_rendered_again(
        project, rendered):
    """An entry holds the page's bytes as the render held them and its Markdown's fingerprint
    (what the page cache keys it by), so that keeping it costs no compressing or hashing; bytes
    that are not those it was written with make the page be rendered again."""
    from generator import engine
    from generator.cachedir import project_cache
    from generator.pagecache import digest

    first, _ = rendered()
    problems = Problems()
    pages = render(load(project, problems), Settings.for_project(project, check=True), problems)
    kept = {p.path: p for p in pages.pages if p.path in ("sources.md", "companies/acme-ai.md")}
    for page in kept.values():  # read back from the entry, not made again
        assert page.fingerprint == engine.fingerprint(page.text)
        assert page.fingerprint[0] == digest(page.text)
    assert kept["companies/acme-ai.md"].packed  # long enough to be held compressed
    entries = sorted((project_cache(project) / "render").glob("*.page"))
    # two profiles, the sources list's page, the companies index and the four pages of site_src
    assert len(entries) == 8
    for entry in entries:
        data = entry.read_bytes()
        head, _, body = data.partition(b"\n")
        entry.write_bytes(head + b"\n" + body[:-1] + bytes([body[-1] ^ 1]))
    again, made = rendered()
    assert (again, made) == (first, ["sources.md"])
