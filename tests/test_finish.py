"""The finishing pass (generator/finish.py): a page as an engine wrote it → the published page, by
one code path for every engine; ``./ledger finish`` refuses pages the core did not render; a
build whose pages were not finished fails; and an export built by plain MkDocs, then finished,
gives the pages ``./ledger build`` gives, byte for byte."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import engine
from generator.cli import main
from generator.finish import (FINISHED_ALREADY, NOT_RENDERED, Unfinished, finish_page,
                              finish_theme_page)
from generator.engine_run import build_site
from support import REPO, make_project, tree_digest

S, E = engine.CONTENT_START, engine.CONTENT_END
THEME_SCRIPT = "<script>var theme = 1;</script>"
THEME_HASH = "'sha256-" + __import__("base64").b64encode(
    __import__("hashlib").sha256(b"var theme = 1;").digest()).decode() + "'"


def page(content: str, nav: str = "") -> str:
    """A page as the engine writes it: the theme's head, a navigation, the content between the
    core's marks, the theme's script."""
    return (f"<!doctype html><html><head><title>t</title></head><body>{nav}<article>{S}\n"
            f"{content}\n{E}</article>{THEME_SCRIPT}</body></html>")


def finished(content: str, nav: str = "", hashes: str = THEME_HASH) -> str:
    policy = engine.CSP.format(hashes=hashes)
    return ("<!doctype html><html><head>\n" + engine.FINISHED + "\n"
            f'<meta http-equiv="Content-Security-Policy" content="{policy}"><title>t</title>'
            f"</head><body>{nav}<article>{content}</article>{THEME_SCRIPT}</body></html>")


def toc(anchor: str, title: str) -> str:
    return (f'<a href="#{anchor}" class="md-nav__link">\n    <span class="md-ellipsis">\n      '
            f"{title}\n    </span>\n  </a>")


SVG = '<svg class="chart"><title>acme</title></svg>'


@pytest.mark.parametrize("content, nav, out, out_nav", [
    ("<p>Plain text.</p>", "", "<p>Plain text.</p>", ""),
    ('<p onclick="x()">A<script>alert(1)</script></p>', "", "<p>A</p>", ""),
    # a script in the content is neither kept nor hashed, even one that imitates the end mark
    (f"<p>a</p>{E}<script>alert(1)</script>{S}<p>b</p>", "", "<p>a</p><p>b</p>", ""),
    ("<table><tr><td>1</td></tr></table>", "",
     engine.TABLE_OPEN + "><tbody><tr><td>1</td></tr></tbody></table></div></div>", ""),
    ('<p>x</p><span class="fl-svg-chart-acme"></span><span class="fl-svg-chart-none"></span>',
     "", f"<p>x</p>{SVG}", ""),
    ('<h2 id="intro">Intro</h2>', toc("intro", "Intro <b>now</b>"), '<h2 id="intro">Intro</h2>',
     toc("intro", "Intro now")),
    ('<h2 id="a&quot; b">T</h2><a href="#a&quot; b">back</a>', toc('a" b', "T"),
     '<h2 id="a-b">T</h2><a href="#a-b">back</a>', toc("a-b", "T")),
    ('<svg onload="x()"></svg><p>after</p>', "", "<p>after</p>", ""),
], ids=["plain", "handler-and-script", "imitated-marks", "table", "charts", "toc-title",
        "toc-anchor", "svg-in-content"])
def test_a_page_is_finished_by_its_html_alone(content, nav, out, out_nav):
    svgs = {"acme": SVG}
    assert finish_page(page(content, nav), lambda cid: svgs.get(cid, "")) == \
        finished(out, out_nav)


@pytest.mark.parametrize("html, message", [
    ("<!doctype html><html><head></head><body><p>raw</p></body></html>", NOT_RENDERED),
    (f"<html><head></head><body>{E} before {S}</body></html>", NOT_RENDERED),
    (finished("<p>x</p>"), FINISHED_ALREADY),
], ids=["no-marks", "marks-in-the-wrong-order", "finished-already"])
def test_finish_refuses_a_page_the_core_did_not_render(html, message):
    with pytest.raises(Unfinished) as exc:
        finish_page(html, lambda cid: "")
    assert str(exc.value) == message


def test_an_imitated_finishing_mark_in_the_body_does_not_count():
    """The mark counts only as the first thing in the head, where no page text can stand."""
    html = page(engine.FINISHED)
    assert not engine.is_finished(html)
    assert engine.FINISHED not in finish_page(html, lambda cid: "").split("</head>")[1]


def test_the_theme_page_gets_the_policy_and_the_mark():
    html = f"<html><head><title>404</title></head><body>{THEME_SCRIPT}</body></html>"
    policy = engine.CSP.format(hashes=THEME_HASH)
    assert finish_theme_page(html) == (
        f"<html><head>\n{engine.FINISHED}\n<meta http-equiv=\"Content-Security-Policy\" "
        f"content=\"{policy}\"><title>404</title></head><body>{THEME_SCRIPT}</body></html>")


def test_finishing_twice_cleans_the_content_once():
    """The plugin cleans a page's content before the search index reads it, then finishes the
    page: the second cleaning changes nothing."""
    from generator.finish import clean_content

    once = clean_content(f"{S}\n<p><p>nested</p></p><table><tr><td>1</td></tr></table>\n{E}")
    assert clean_content(once) == once
    assert finish_page(page(once[len(S):-len(E)]), lambda c: "") == \
        finish_page(page("<p><p>nested</p></p><table><tr><td>1</td></tr></table>"), lambda c: "")


# ---------------------------------------------------------------------------------------------
# the command, on whole sites


def mkdocs_cli() -> str:
    return str(Path(sys.executable).with_name("mkdocs"))


def without_plugin(mkdocs_yml: Path) -> None:
    """mkdocs.yml as an engine that ignores unknown plugins reads it: as if ours were not there
    (and without the nav of generated pages, and with links to them let pass, so that the raw
    articles build)."""
    text = mkdocs_yml.read_text(encoding="utf-8")
    start = text.index("  - frontier-ledger:")
    end = text.index("\nmarkdown_extensions:")
    text = text[:start] + text[end:text.index("\nnav:")] + "\n"
    mkdocs_yml.write_text(text.replace(": warn", ": info"), encoding="utf-8")


def test_finish_refuses_a_site_built_without_the_plugin(project: Path, capsys):
    """An engine that ignores the plugin (Zensical does) converts the raw articles: finish names
    every page, changes nothing, and exits 1."""
    without_plugin(project / "mkdocs.yml")
    run = subprocess.run([mkdocs_cli(), "build", "-q", "-d", str(project / "raw")], cwd=project,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    before = tree_digest(project / "raw")
    assert main(["--root", str(project), "finish", str(project / "raw")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"raw/{p}: {NOT_RENDERED}" for p in [
        "about/index.html", "articles/first/index.html", "index.html", "methodology/index.html"]
    ] + ["4 errors in 4 files", "nothing was changed in raw/"]
    assert tree_digest(project / "raw") == before


def test_a_build_whose_pages_were_not_finished_fails(project: Path, capsys):
    """No silent loss: mkdocs.yml without the plugin builds pages the finishing pass never saw,
    and the build names them and leaves the previous site as it was."""
    assert build_site(project, Path("site")) == 0
    before = tree_digest(project / "site")
    capsys.readouterr()
    without_plugin(project / "mkdocs.yml")
    assert build_site(project, Path("site")) == 1
    err = capsys.readouterr().err.splitlines()
    why = ("was not finished: the frontier-ledger plugin did not run on it (mkdocs.yml lists it "
           "under plugins; mkdocs must run it)")
    assert err == [f"site/{p}: {why}" for p in [
        "404.html", "about/index.html", "articles/first/index.html", "index.html",
        "methodology/index.html"]] + ["5 errors in 5 files", "build stopped; site/ was left as it was"]
    assert tree_digest(project / "site") == before


# ---------------------------------------------------------------------------------------------
# export → plain MkDocs → finish == ./ledger build


def test_an_export_built_by_plain_mkdocs_and_finished_is_the_built_site(tmp_path: Path,
                                                                       monkeypatch):
    """The shipped project exported, built by `mkdocs build --strict` (no plugin of ours), and
    finished: every page is byte for byte the page ./ledger build makes. The search index is the
    engine's, made from the pages before they are finished: in the plugin's build from the
    content as cleaned, in the export's from the content as converted, where the line break after
    the core's start mark reads as text before the page's first heading (Material then indexes
    that heading as a section of its own: one more entry a page) and nh3 has not normalised the
    HTML yet. It is compared by its entries' locations: all of the built site's are there."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert build_site(REPO, tmp_path / "built") == 0
    assert main(["--root", str(REPO), "export", str(tmp_path / "export")]) == 0
    config = (tmp_path / "export/mkdocs.yml").read_text(encoding="utf-8")
    assert "frontier-ledger:" not in config and "docs_dir: docs" in config
    run = subprocess.run([mkdocs_cli(), "build", "--strict", "-q", "-d", str(tmp_path / "plain")],
                         cwd=tmp_path / "export", capture_output=True, text=True, timeout=600,
                         env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr
    assert main(["--root", str(REPO), "finish", str(tmp_path / "plain")]) == 0
    built, plain = tree_digest(tmp_path / "built"), tree_digest(tmp_path / "plain")
    index = "search/search_index.json"
    assert set(built) - set(plain) == {".frontier-ledger-site"}
    assert set(plain) - set(built) == set()
    differ = sorted(p for p in plain if plain[p] != built[p])
    assert differ == [index]
    pages = [p for p in built if p.endswith(".html")]
    assert len(pages) > 30 and all(engine.FINISHED in (tmp_path / "plain" / p).read_text()
                                   for p in pages)

    def locations(site: str) -> list:
        docs = json.loads((tmp_path / site / index).read_text(encoding="utf-8"))["docs"]
        return [d["location"] for d in docs]

    built_at, plain_at = locations("built"), locations("plain")
    assert set(built_at) <= set(plain_at)
    extra = [loc for loc in plain_at if loc not in built_at]
    assert extra and all(loc.split("#")[0] in built_at and "#" in loc for loc in extra)
    shutil.rmtree(tmp_path / "plain")


def test_export_refuses_a_folder_it_did_not_make(project: Path, tmp_path: Path, capsys):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine")
    assert main(["--root", str(project), "export", str(theirs)]) == 2
    assert capsys.readouterr().err == (
        f"{theirs}: is a folder that no export made (no .frontier-ledger-export in it); choose "
        "a new or empty folder\n")
    assert (theirs / "notes.txt").read_text() == "mine"
    assert main(["--root", str(project), "export", str(project / "site_src/x")]) == 2
    assert capsys.readouterr().err == (
        "site_src/x: refusing to write generated files into the source tree\n")


def test_a_label_or_role_written_by_content_does_not_survive():
    """An article cannot give a cell a label of its own (to make a phone's card say another
    column's name) nor a role: the sanitiser drops data-label, and the labels and roles are made
    from the table's header row."""
    from generator.finish import clean_content

    html = (f'{S}\n<table role="presentation"><thead><tr><th>Status</th></tr></thead><tbody>'
            f'<tr><td data-label="Confirmed by" role="button">rumored</td></tr></tbody></table>'
            f'\n{E}')
    out = clean_content(html)
    assert 'data-label="Confirmed by"' not in out and 'role="button"' not in out
    assert '<td role="cell" data-label="Status">rumored</td>' in out
    assert '<table class="fl-table" role="table" data-cards="narrow">' in out
