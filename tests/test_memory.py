"""Memory of a build (issue 19): the render's pages are kept compressed, a build with the page cache
holds no page's text longer than it takes to key or convert it, and a page's search entries are
read from the page cache one page at a time instead of being held with every record."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from generator import plugin
from generator.cachedir import project_cache
from generator.mkdocs_glue import build_site
from generator.types import PACK_MIN, Page

from support import tree_digest

PROFILE = "a profile's Markdown – with a dash\n" * 200  # 7,000 bytes of UTF-8


@pytest.mark.parametrize("content, packed", [
    (PROFILE.encode("utf-8"), True),
    (b"x" * PACK_MIN, True),
    (b"x" * (PACK_MIN - 1), False),
    (PROFILE, False),  # text (the feed, some assets) is kept as it is given
], ids=["a profile", "the least packed", "one byte less", "a str"])
def test_a_page_keeps_large_bytes_compressed_and_gives_them_back_whole(content, packed):
    page = Page("companies/acme.md", content, "data/companies/acme.yaml")
    assert page.packed is packed
    assert page.content == content
    if packed:
        assert len(page._data) < len(content) // 4


def test_a_page_is_compared_pickled_and_frozen_by_what_it_holds():
    a = Page("companies/acme.md", PROFILE.encode("utf-8"), "data/companies/acme.yaml")
    b = Page("companies/acme.md", PROFILE.encode("utf-8"), "data/companies/acme.yaml")
    other = Page("companies/acme.md", (PROFILE + ".").encode("utf-8"), "data/companies/acme.yaml")
    assert a.text == PROFILE
    assert a == b and hash(a) == hash(b) and a != other
    again = pickle.loads(pickle.dumps(a))  # the check's second process sends pages back
    assert again == a and again.packed and again.content == PROFILE.encode("utf-8")
    with pytest.raises(AttributeError):
        a.path = "elsewhere.md"  # type: ignore[misc]
    assert repr(Page("x.md", "t", "o")) == "Page(path='x.md', content='t', origin='o')"


@pytest.fixture
def after_on_env(monkeypatch):
    """What the plugin and MkDocs's files hold of each generated page once every page has been
    keyed and MkDocs is about to write them: {page: its file's text}, and the pages whose text
    the plugin still keeps."""
    seen: dict = {}
    on_env = plugin.PluginEvents.on_env

    def spy(self, env, config, files):
        out = on_env(self, env, config, files)
        seen["files"] = {f.src_uri: f._content for f in files.documentation_pages()
                         if f.generated_by is not None}
        seen["kept"] = set(self._sources)
        seen["reused"] = set(self._reused)
        return out

    monkeypatch.setattr(plugin.PluginEvents, "on_env", spy)
    return seen


@pytest.mark.build
@pytest.mark.parametrize("warm", [False, True], ids=["every page built", "pages from the cache"])
def test_a_page_s_text_is_let_go_once_it_is_keyed_or_converted(project, after_on_env, warm):
    if warm:
        assert build_site(project, Path("site")) == 0
        with open(project / "site_src/articles/first.md", "a", encoding="utf-8") as f:
            f.write("\nA paragraph the article gained.\n")
    assert build_site(project, Path("site")) == 0
    files = after_on_env["files"]
    assert "companies/acme-ai.md" in files and len(files) == 13  # every page of the project
    assert {uri: text for uri, text in files.items() if text != ""} == {}
    assert after_on_env["kept"] == set()
    reused = after_on_env["reused"]
    assert ("articles/first.md" in reused, "companies/acme-ai.md" in reused) == (False, warm)


@pytest.mark.build
def test_search_entries_are_files_of_the_page_cache_not_held_in_its_record(project):
    assert build_site(project, Path("site")) == 0
    folder = project_cache(project) / "pages"
    pages = json.loads((folder / "mkdocs-build.json").read_text(encoding="utf-8"))["pages"]
    search = pages["companies/acme-ai.md"][5]
    assert len(search) == 32  # a name, not the entries
    entries = json.loads("[" + (folder / "blobs" / f"{search}.json").read_text() + "]")
    assert entries[0]["location"] == "companies/acme-ai/"
    index = json.loads((project / "site/search/search_index.json").read_text(encoding="utf-8"))
    assert entries[0] in index["docs"]


@pytest.mark.build
def test_a_page_whose_search_entries_are_gone_is_built_again(project):
    assert build_site(project, Path("site")) == 0
    folder = project_cache(project) / "pages"
    pages = json.loads((folder / "mkdocs-build.json").read_text(encoding="utf-8"))["pages"]
    (folder / "blobs" / f"{pages['companies/acme-ai.md'][5]}.json").unlink()
    assert build_site(project, Path("site")) == 0
    site = project / "site"
    rebuilt = {p.relative_to(site).as_posix() for p in site.rglob("index.html")
               if p.stat().st_nlink == 1}
    assert rebuilt == {"companies/acme-ai/index.html"}
    assert build_site(project, Path("clean-site"), clean=True) == 0
    assert tree_digest(site) == tree_digest(project / "clean-site")


@pytest.mark.parametrize("search, kept", [
    ("", True),  # a page without entries
    ("0123456789abcdef0123456789abcdef", True),
    ("../../../etc/passwd", False),  # a damaged record never names a file outside blobs/
    ("0123456789ABCDEF0123456789ABCDEF", False),
    ('{"location":"x/"}', False),  # a record of version 1 held the entries themselves
], ids=["none", "a name", "a path", "upper case", "entries"])
def test_a_record_names_its_search_entries_by_a_hash_alone(search, kept):
    from generator.pagecache import Record

    rec = Record.from_json(["key", "f" * 32, None, None, {}, search])
    assert (rec is not None) is kept


def test_kept_pages_no_record_names_are_let_go_now_and_then_not_after_every_build(
        tmp_path, monkeypatch):
    """The page cache removes the files no record of any kind (a build's, serve's) names once
    blobs/ has grown to more than twice what the last prune left, plus 64: not after every
    build, and not again and again while another kind's records keep many files alive."""
    from generator import pagecache
    from generator.pagecache import PageCache, Record

    folder = tmp_path / "pages"

    def commit(name: str, pages: dict[str, str]) -> PageCache:
        cache = PageCache(folder, name)
        cache.stage({uri: Record("k" * 64, cache.store(text.encode()), None, None, {}, "")
                     for uri, text in pages.items()})
        cache.commit()
        return cache

    serve = {f"s{i}.md": f"serve {i}" for i in range(100)}
    commit("mkdocs-serve", serve)
    build = {f"b{i}.md": f"build {i}" for i in range(10)}
    commit("mkdocs-build", build)
    blobs = folder / "blobs"
    assert len(list(blobs.iterdir())) == 110
    reads: list[str] = []
    real_read = PageCache._read

    def counted(self):
        reads.append(self.manifest.name)
        return real_read(self)

    monkeypatch.setattr(pagecache.PageCache, "_read", counted)
    made = iter(range(1000))

    def edits(n: int) -> None:  # builds of 10 pages, one of them changed each time
        for _ in range(n):
            build["b0.md"] = f"build 0, edit {next(made)}"
            commit("mkdocs-build", build)

    # the build's first commit pruned (110 files > 2 * 2 * 10 + 64), in vain: serve's 100 files
    # are named by serve's records; 110 are left, and the next prune comes past 2 * 110 + 64
    edits(174)
    assert len(list(blobs.iterdir())) == 284
    assert "mkdocs-serve.json" not in reads  # (the rule before read serve's 174 times)
    edits(1)  # 285 files: the stale 175 go, the 110 named stay
    assert reads.count("mkdocs-serve.json") == 1
    edits(10)
    assert len(list(blobs.iterdir())) == 120 and reads.count("mkdocs-serve.json") == 1
    named = [f"{r.blob}.html" for kind in ("mkdocs-build", "mkdocs-serve")
             for r in PageCache(folder, kind).records.values()]
    assert len(named) == 110 and set(named) < {p.name for p in blobs.iterdir()}
