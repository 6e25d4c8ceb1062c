"""The previous site, kept to build the next one in (issue 19, generator.sitedir): a build moves
the site it replaced into the project's cache and the next build starts from that folder,
removing first everything in it but the files that already are the ones it would link there.
What it publishes is what a build into an empty folder publishes, byte for byte; nothing is
written through a link into a cache, nothing outside the folder is touched, and a build that
fails leaves nothing behind."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from generator import sitedir
from generator.cachedir import project_cache
from generator.mkdocs_glue import build_site
from generator.sitedir import keep_spare, link_file, prune_site, spare_slot, take_spare

from support import tree_digest

pytestmark = pytest.mark.build


def _kept(project: Path) -> Path:
    return spare_slot(project_cache(project), project / "site")


def _blobs(project: Path) -> dict[str, str]:
    """The page cache's kept pages, by name, as a hash of their bytes."""
    folder = project_cache(project) / "pages" / "blobs"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _edit_profile(project: Path, k: int) -> None:
    path = project / "data/companies/bigcloud.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("summary: ", f"summary: Edited {k}. ", 1), encoding="utf-8")


def test_a_build_starts_from_the_site_it_replaced_two_builds_ago(project):
    assert build_site(project, Path("site")) == 0
    first = (project / "site").stat().st_ino
    assert not _kept(project).exists()  # nothing replaced yet
    assert build_site(project, Path("site")) == 0
    assert _kept(project).stat().st_ino == first  # the first site, kept in the cache
    second = (project / "site").stat().st_ino
    assert build_site(project, Path("site")) == 0
    assert (project / "site").stat().st_ino == first  # built in the first site's folder
    assert _kept(project).stat().st_ino == second
    assert not list(project.glob(".site.*"))
    assert not project_cache(project).is_relative_to(project)


def test_one_site_is_kept_a_project(project):
    """Builds into another site folder keep its previous site, and the first folder's goes."""
    for _ in range(2):
        assert build_site(project, Path("site")) == 0
    assert _kept(project).is_dir()
    for _ in range(2):
        assert build_site(project, Path("preview")) == 0
    other = spare_slot(project_cache(project), project / "preview")
    assert [p.name for p in other.parent.iterdir()] == [other.name]
    assert (other / "index.html").is_file()


def test_what_the_kept_folder_holds_never_reaches_the_site(project, tmp_path):
    assert build_site(project, Path("site")) == 0
    expected = tree_digest(project / "site")
    assert build_site(project, Path("site")) == 0  # the first site is kept now
    kept = _kept(project)
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text("not the site's", encoding="utf-8")
    (outside / "folder/inside.txt").write_text("not the site's either", encoding="utf-8")
    # a kept page's file replaced by a copy that says something else (not the cache's file)
    profile = kept / "companies/bigcloud/index.html"
    profile.unlink()
    profile.write_text("<p>stale</p>", encoding="utf-8")
    (kept / "stray.html").write_text("<p>a page no build makes</p>", encoding="utf-8")
    (kept / "empty/deeper").mkdir(parents=True)
    (kept / "secret.txt").symlink_to(outside / "secret.txt")
    (kept / "companies/linked").symlink_to(outside / "folder", target_is_directory=True)
    shared = kept / "companies/acme-ai/index.html"
    shared.unlink()
    os.link(outside / "secret.txt", shared)  # a link to a file outside, at a page's path
    blobs = _blobs(project)
    assert build_site(project, Path("site")) == 0
    assert tree_digest(project / "site") == expected
    assert not (project / "site/empty").exists()
    assert not (project / "site/companies/linked").is_symlink()
    assert (outside / "secret.txt").read_text(encoding="utf-8") == "not the site's"
    assert (outside / "folder/inside.txt").read_text(encoding="utf-8") == "not the site's either"
    assert _blobs(project) == blobs


def test_a_page_that_changes_is_never_written_through_its_kept_link(project):
    assert build_site(project, Path("site")) == 0
    assert build_site(project, Path("site")) == 0
    assert build_site(project, Path("site")) == 0  # in the kept folder: pages are cache links
    profile = project / "site/companies/bigcloud/index.html"
    assert profile.stat().st_nlink > 1
    for k in range(3):  # each build starts from the folder that held the profile as a link
        blobs = _blobs(project)
        _edit_profile(project, k)
        assert build_site(project, Path("site")) == 0
        assert f"Edited {k}." in profile.read_text(encoding="utf-8")
        # every page the cache kept still holds the bytes it was kept with
        assert {n: h for n, h in _blobs(project).items() if n in blobs} == blobs
    assert build_site(project, Path("clean-site"), clean=True) == 0
    assert tree_digest(project / "site") == tree_digest(project / "clean-site")


def test_the_downloads_are_the_cache_s_copies_linked_and_a_change_is_never_written_through(
        project):
    """A build links each download from the downloads' cache (it neither holds nor copies its
    bytes); an edit makes a new copy, so the site it replaced and the kept copies keep theirs."""
    downloads = project_cache(project) / "downloads"
    assert build_site(project, Path("site")) == 0
    site_csv = project / "site/downloads/companies.csv"
    [copy] = downloads.glob("companies.csv.*.bin")
    assert os.path.samefile(site_csv, copy)
    assert site_csv.stat().st_mode & 0o444 == 0o444
    before = copy.read_bytes()
    path = project / "data/companies/acme-ai.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Acme AI", "name: Acme Zed"),
                    encoding="utf-8")
    assert build_site(project, Path("site")) == 0
    assert b"Acme Zed" in site_csv.read_bytes() and b"Acme Zed" not in before
    assert copy.read_bytes() == before  # the copy the first site linked: as it was
    [new] = [p for p in downloads.glob("companies.csv.*.bin") if p != copy]
    assert os.path.samefile(site_csv, new)
    assert build_site(project, Path("clean-site"), clean=True) == 0
    assert tree_digest(project / "site") == tree_digest(project / "clean-site")


def test_a_failed_build_in_the_kept_folder_leaves_the_site_and_nothing_else(project):
    assert build_site(project, Path("site")) == 0
    assert build_site(project, Path("site")) == 0
    before = tree_digest(project / "site")
    article = project / "site_src/articles/first.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\nSee [nowhere](../missing.md).\n", encoding="utf-8")
    assert build_site(project, Path("site")) == 1  # strict: the broken link fails the engine
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".site.*"))
    assert not _kept(project).exists()  # it was being built in: removed with the failure
    article.write_text(text, encoding="utf-8")
    assert build_site(project, Path("site")) == 0
    assert tree_digest(project / "site") == before


def test_a_clean_build_does_not_start_from_the_kept_folder(project):
    assert build_site(project, Path("site")) == 0
    assert build_site(project, Path("site")) == 0
    kept = _kept(project)
    (kept / "stray.html").write_text("<p>left</p>", encoding="utf-8")
    assert build_site(project, Path("site"), clean=True) == 0
    assert (kept / "stray.html").is_file()  # not read, not taken
    assert not (project / "site/stray.html").exists()
    assert not list(project.glob(".site.*"))


# ---------------------------------------------------------------------------------------------
# the parts, on scratch folders


def test_prune_keeps_only_the_very_files_it_is_given(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "a").write_text("A")
    (cache / "b").write_text("B")
    site = tmp_path / "site"
    (site / "x/y").mkdir(parents=True)
    os.link(cache / "a", site / "x/y/a.html")  # the file itself: stays
    (site / "x/b.html").write_text("B")  # the same bytes, another file: goes
    os.link(cache / "b", site / "elsewhere.html")  # the file, at a path not given: goes
    (site / "z").mkdir()
    (site / "z/link").symlink_to(cache / "a")  # a link, never followed: goes
    ino = {n: ((cache / n).stat().st_dev, (cache / n).stat().st_ino) for n in "ab"}
    kept = prune_site(str(site), {"x/y/a.html": ino["a"], "x/b.html": ino["b"]})
    assert kept == {"x/y/a.html"}
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == \
        ["x", "x/y", "x/y/a.html"]
    assert (cache / "a").read_text() == "A" and (cache / "b").read_text() == "B"


def test_link_file_replaces_another_file_without_writing_through_it(tmp_path):
    src, other = tmp_path / "src", tmp_path / "other"
    src.write_text("new")
    other.write_text("cached")
    dest = tmp_path / "site/page.html"
    dest.parent.mkdir()
    os.link(other, dest)
    link_file(str(src), str(dest))
    assert dest.read_text() == "new" and os.path.samefile(src, dest)
    assert other.read_text() == "cached"
    link_file(str(src), str(dest))  # already that file: left as it is
    assert os.path.samefile(src, dest)
    link_file(str(src), str(tmp_path / "site/new/deeper.html"))
    assert (tmp_path / "site/new/deeper.html").read_text() == "new"


def test_a_kept_folder_that_cannot_be_moved_is_removed(tmp_path, monkeypatch):
    slot = spare_slot(tmp_path / "cache", tmp_path / "site")
    assert slot.parent == tmp_path / "cache/sites"
    old = tmp_path / ".site.old"
    (old / "companies").mkdir(parents=True)
    keep_spare(slot, old)
    assert (slot / "companies").is_dir() and not old.exists()
    into = tmp_path / ".site.building"
    into.mkdir()

    def other_device(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(sitedir.os, "replace", other_device)
    assert take_spare(slot, into) is False
    assert not slot.exists() and into.is_dir() and not any(into.iterdir())
    (old / "x").mkdir(parents=True)
    keep_spare(slot, old)  # cannot be moved either: removed
    assert not old.exists() and not slot.exists()
