"""generator/engine.py: what the core's pages become for MkDocs, Material and Python-Markdown (front
matter from typed page metadata, attribute lists, the chart placeholder, Material's table
wrappers)."""

from __future__ import annotations

import pytest

from generator.engine import (attr_list, chart_placeholder, front_matter, place_charts,
                              wrap_tables)
from generator.types import PageMeta


@pytest.mark.parametrize("meta, expected", [
    (PageMeta("Acme AI", "A lab: the first.", "company", "data/companies/acme.yaml",
              data_as_of="2 February 2023", search_boost=4, jsonld='{"a":1}'),
     ['---', 'title: "Acme AI"', 'description: "A lab&#58; the first&#46;"',
      'page_kind: "company"', 'data_as_of: "2 February 2023"',
      'edit_path: "data/companies/acme.yaml"', 'search: {"boost": 4}', 'jsonld: "{\\"a\\":1}"',
      '---', '']),
    (PageMeta("An <b>article</b>", "About it.", "article", "site_src/articles/a.md",
              published="2026-11-20", updated="2026-11-21", reading_minutes=3, og_type="article",
              show_toc=False),
     ['---', 'title: "An &#60;b&#62;article&#60;/b&#62;"', 'description: "About it&#46;"',
      'page_kind: "article"', 'published: "2026-11-20"', 'updated: "2026-11-21"',
      'reading_minutes: 3', 'edit_path: "site_src/articles/a.md"', 'og_type: "article"',
      'hide: ["toc"]', '---', '']),
], ids=["generated-page", "article"])
def test_page_metadata_becomes_the_front_matter_the_theme_reads(meta, expected):
    """Title and description entity-escaped (the theme pastes them into HTML unescaped), the
    search weight as Material's search.boost, no table of contents as hide: [toc], a link
    preview's type only when it is not a website, in one order."""
    assert front_matter(meta).split("\n") == expected


def test_attribute_lists_and_the_chart_placeholder():
    assert attr_list(".fl-term") == "{: .fl-term }"
    assert attr_list('data-search-exclude="footer"') == '{: data-search-exclude="footer" }'
    text = f"<p>{chart_placeholder('acme')}</p><p>{chart_placeholder('gone')}</p>"
    assert place_charts(text, lambda cid: {"acme": "<svg/>"}.get(cid, "")) == \
        "<p><svg/></p><p></p>"


@pytest.mark.parametrize("html, expected", [
    ("<p>x</p>", "<p>x</p>"),
    ("<table><tr><td>1</td></tr></table>",
     '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="fl-table">'
     "<tr><td>1</td></tr></table></div></div>"),
    ('<table id="t"><tr><td>1</td></tr></table>',
     '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="fl-table" '
     'id="t"><tr><td>1</td></tr></table></div></div>'),
    # a table with a class of its own is left alone, and its closing tag is not taken for another's
    ('<table class="x"><tr><td><table><tr><td>1</td></tr></table></td></tr></table>',
     '<table class="x"><tr><td><div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
     '<table class="fl-table"><tr><td>1</td></tr></table></div></div></td></tr></table>'),
    ("<p>&lt;table&gt;</p>", "<p>&lt;table&gt;</p>"),
])
def test_tables_get_the_themes_wrappers_at_build_time(html, expected):
    assert wrap_tables(html) == expected


LABEL_HEAD = ('<thead>\n<tr>\n<th>Date</th>\n<th style="text-align:right">Value "x" &amp; <b>y</b>'
              '</th>\n</tr>\n</thead>\n')


@pytest.mark.parametrize("html, expected", [
    (f'<table class="fl-table">\n{LABEL_HEAD}<tbody>\n<tr>\n<td>May</td>\n'
     '<td style="text-align:right">1</td>\n</tr>\n</tbody>\n</table>',
     '<table class="fl-table" role="table" data-cards="narrow">\n<thead role="rowgroup">\n'
     '<tr role="row">\n<th role="columnheader">Date</th>\n'
     '<th style="text-align:right" role="columnheader">Value "x" &amp; <b>y</b></th>\n</tr>\n'
     '</thead>\n<tbody role="rowgroup">\n<tr role="row">\n<td role="cell" data-label="Date">May'
     '</td>\n<td style="text-align:right" role="cell" data-label="Value &quot;x&quot; &amp; y">1'
     '</td>\n</tr>\n</tbody>\n</table>'),
    # a role the content wrote is replaced; a cell spanning two columns takes the first label
    ('<table class="fl-table"><thead><tr><th>A</th><th>B</th><th>C</th></tr></thead><tbody>'
     '<tr role="button"><td colspan="2">1</td><td role="img">2</td></tr></tbody></table>',
     '<table class="fl-table" role="table" data-cards="narrow"><thead role="rowgroup">'
     '<tr role="row"><th role="columnheader">A</th><th role="columnheader">B</th>'
     '<th role="columnheader">C</th></tr></thead><tbody role="rowgroup"><tr role="row">'
     '<td colspan="2" role="cell" data-label="A">1</td><td role="cell" data-label="C">2</td>'
     '</tr></tbody></table>'),
    # seven columns or more: cards at every width
    ('<table class="fl-table"><thead><tr>' + "<th>h</th>" * 7 + '</tr></thead></table>',
     '<table class="fl-table" role="table" data-cards="wide"><thead role="rowgroup">'
     '<tr role="row">' + '<th role="columnheader">h</th>' * 7 + '</tr></thead></table>'),
    # no header row, or another table's class: left as it is
    ('<table class="fl-table"><tr><td>1</td></tr></table>',
     '<table class="fl-table"><tr><td>1</td></tr></table>'),
    ('<table class="x"><thead><tr><th>A</th></tr></thead></table>',
     '<table class="x"><thead><tr><th>A</th></tr></thead></table>'),
], ids=["labels", "roles-replaced-colspan", "wide", "no-header", "other-class"])
def test_table_cells_are_labelled_with_their_columns_heading(html, expected):
    from generator.engine import label_tables
    assert label_tables(html) == expected
