"""The conversion benchmark (tools/convbench.py, ``python -m tools.convbench``): on the mini
fixture it prints the rows it promises, and its pieces (finding tables, splitting the pages
between workers, tables rewritten as HTML) do what they say. No timing is asserted: it prints
figures, it is not a timed test."""

from __future__ import annotations

import pytest

from support import REPO, make_project
from tools import convbench

TABLE = "| A | B |\n|---|---:|\n| [x](x.md) | 1<sup>[2]</sup> |\n| y | — |"


@pytest.mark.parametrize("text, expected", [
    (TABLE, [(0, 4)]),
    ("# T\n\n" + TABLE + "\n\nafter", [(2, 6)]),
    ("one\n\n" + TABLE + "\n\n" + TABLE, [(2, 6), (7, 11)]),
    ("| A | B |\nno delimiter row", []),
    ("text\n" + TABLE, []),  # no blank line before: a paragraph, not a table
    ("| A |\n|:--:|", [(0, 2)]),
], ids=["alone", "between-paragraphs", "two", "no-delimiter", "inside-a-paragraph", "no-rows"])
def test_tables_are_found_where_the_table_extension_finds_them(text, expected):
    assert convbench.tables(text) == expected


@pytest.mark.parametrize("sizes, parts, expected", [
    ([1, 1, 1, 1], 2, [[0, 1], [2, 3]]),
    ([10, 1, 1, 1, 1], 2, [[0], [1, 2, 3, 4]]),
    ([1, 1, 1], 1, [[0, 1, 2]]),
    ([5], 2, [[0], []]),
], ids=["even", "one-large-page", "one-worker", "fewer-pages-than-workers"])
def test_halves_split_the_pages_by_size(sizes, parts, expected):
    assert [list(r) for r in convbench.halves(sizes, parts)] == expected


def test_chunks_are_dealt_to_the_workers_in_turn():
    pages = [(str(i), "x") for i in range(7)]
    assert convbench.split_chunks(pages, 2, 2) == [[0, 1, 4, 5], [2, 3, 6]]
    assert convbench.split_chunks(pages, 3, 4) == [[0, 1, 2, 3], [4, 5, 6], []]


@pytest.fixture(scope="module")
def settings():
    return convbench.markdown_settings(REPO / "mkdocs.yml")


def test_the_markdown_settings_are_mkdocs_yml_s(settings):
    # mkdocs.yml's extensions after MkDocs' own (toc, tables, fenced_code), with their settings
    assert settings.extensions == ["toc", "tables", "fenced_code", "def_list", "attr_list",
                                   "md_in_html", "admonition", "pymdownx.details"]
    assert settings.configs == {"toc": {"permalink": True}}


def test_a_table_as_html_converts_to_the_same_page(settings):
    text = "# T\n\n" + TABLE + "\n\n\n<div markdown>\n## Sources\n</div>\n"
    html_text, n, rows = convbench.tables_as_html(text, settings)
    assert (n, rows) == (1, 2)
    assert "|" not in html_text and '<td><a href="x.md">x</a></td>' in html_text
    assert "</table>\n<div markdown>" in html_text  # the blank lines after it dropped
    assert settings.new().convert(html_text) == settings.new().convert(text)


def test_on_the_mini_fixture_it_prints_every_row(tmp_path, capsys):
    root = make_project(tmp_path / "proj")
    assert convbench.main(["--root", str(root), "--runs", "2", "--repeat", "1",
                           "--cold-build"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("pages: 13, Markdown ")
    assert out[1] == ("extensions: toc, tables, fenced_code, def_list, attr_list, md_in_html, "
                      "admonition, pymdownx.details")
    start = next(i for i, line in enumerate(out) if line.startswith("conversion of all pages"))
    rows = [line.split("  ")[0] for line in out[start + 1:start + 5]]
    assert rows == ["one process", "2 processes, halves", "2 processes, chunks of 16",
                    "one process, one Markdown reset"]
    assert all(line.endswith("  yes") for line in out[start + 1:start + 5])  # the same HTML
    assert [line for line in out if line.startswith("  run ")][:1][0].startswith(
        "  run 1: one process ")
    start = next(i for i, line in enumerate(out) if line.startswith("tables as HTML"))
    table = [line.split()[:3] + line.split()[-1:] for line in out[start + 1:start + 6]]
    assert table == [
        ["companies/acme-ai.md", "4", "5", "yes"],  # the profile with the most table rows
        ["companies/index.md", "1", "2", "yes"],
        ["valuations.md", "2", "3", "yes"],
        ["data.md", "1", "6", "yes"],
        ["(all", "pages)", "11", "yes"],  # with bigcloud's two and the comparison table's
    ]
    start = next(i for i, line in enumerate(out) if line.startswith("cold build "))
    assert [line.split("  ")[0] for line in out[start + 1:start + 5]] == [
        "cold build", "the whole build", "_populate_page (all pages)", "Page.render: conversion"]
    assert out[start + 2].endswith("  100%")


@pytest.mark.parametrize("args, message", [
    (["--export", "x", "--cold-build"],
     "--cold-build builds the project of --root, not an export"),
    (["--runs", "0"], "--runs, --workers, --chunk and --repeat take a number, at least 1"),
], ids=["cold-build-of-an-export", "no-runs"])
def test_wrong_options_are_refused(args, message, capsys):
    with pytest.raises(SystemExit) as exc:
        convbench.main(args)
    assert exc.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == f"python -m tools.convbench: error: {message}"
