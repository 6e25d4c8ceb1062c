"""A check's kept answer (generator.checkcache): given again only for the very inputs it was found
for — the files the check reads (names, kinds, links, bytes), the code, today and the build's
date — and never read by ``--clean`` or ``--explain``."""

from __future__ import annotations

import datetime as _dt
import marshal
import os
from pathlib import Path

import pytest

from generator import checkcache, cli
from generator.checkcache import CheckCache, Inputs, check_cache, check_inputs
from generator.limits import Limits
from generator.problems import Problems
from generator.settings import Settings
from support import run_cli

KEPT = " (nothing it reads has changed since it was last checked)"
MINI_PAGES = "13 pages would be built"  # the mini fixture's: profiles, indexes, articles


@pytest.fixture
def no_check(monkeypatch):
    """After this, a check that really loads and renders fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the check ran although its answer was kept")

    monkeypatch.setattr(cli, "run_check", refuse)


def test_an_unchanged_project_is_answered_from_the_kept_check(project, check, monkeypatch):
    first = check(project)
    assert (first.code, first.out.splitlines()[0]) == (0, "no problems found")
    assert first.out.splitlines()[1].endswith(f"; {MINI_PAGES}")
    monkeypatch.setattr(cli, "run_check", None)  # not called: the answer is the kept one
    second = check(project)
    assert second.code == 0 and second.err == ""
    assert second.out.splitlines()[0] == "no problems found"
    assert second.out.splitlines()[1].endswith(f"; {MINI_PAGES}{KEPT}")


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _same_size_amount(root: Path) -> None:  # written within the same second, same size
    _edit(root, "data/companies/acme-ai.yaml", "valuation: USD 1 billion", "valuation: USD 1 bi11ion")


def _new_file(root: Path) -> None:
    (root / "data" / "companies" / "zeta.yaml").write_text("id: [\n", encoding="utf-8")


def _removed_file(root: Path) -> None:
    (root / "data" / "companies" / "bigcloud.yaml").unlink()


def _file_made_a_link(root: Path) -> None:
    path = root / "data" / "companies" / "bigcloud.yaml"
    os.replace(path, root / "bigcloud.yaml")
    path.symlink_to(root / "bigcloud.yaml")


def _template(root: Path) -> None:
    with open(root / "templates" / "company.md.j2", "a", encoding="utf-8") as f:
        f.write("{% if %}\n")


def _article(root: Path) -> None:
    with open(root / "site_src" / "articles" / "first.md", "a", encoding="utf-8") as f:
        f.write("\n{% if %}\n")


# each change → the file its first problem names
CHANGES = [
    pytest.param(_same_size_amount, "data/companies/acme-ai.yaml", id="data-file-same-size"),
    pytest.param(_new_file, "data/companies/zeta.yaml", id="data-file-added"),
    pytest.param(_removed_file, "data/companies/acme-ai.yaml", id="data-file-removed"),
    pytest.param(_file_made_a_link, "data/companies/bigcloud.yaml", id="data-file-made-a-link"),
    pytest.param(_template, "templates/company.md.j2", id="template"),
    pytest.param(_article, "site_src/articles/first.md", id="article"),
]


@pytest.mark.parametrize(("change", "named"), CHANGES)
def test_a_changed_input_is_checked_again_and_its_answer_kept(project, check, change, named):
    assert check(project).code == 0
    change(project)
    again = check(project)
    assert again.code == 1, again.out
    assert again.err.splitlines()[0].startswith(f"{named}:")
    kept = check(project)  # the new answer, word for word
    assert (kept.code, kept.err) == (1, again.err)


def test_the_build_date_and_today_are_part_of_the_key(project, check, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert check(project).out.splitlines()[0] == "no problems found"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01: every record is old
    later = check(project)
    assert later.code == 0
    assert later.out.splitlines()[-2] == ("2 notices in 2 files; no problems found (notices "
                                          "inform and do not fail the check)")
    assert KEPT not in later.out
    kept = check(project)  # the notices are part of the kept answer
    assert kept.out.splitlines()[:-1] == later.out.splitlines()[:-1]
    assert kept.out.endswith(f"{KEPT}\n")

    class Tomorrow(_dt.date):
        @classmethod
        def today(cls):
            return _dt.date(2099, 1, 1)

    monkeypatch.setattr(checkcache._dt, "date", Tomorrow)
    assert KEPT not in check(project).out


def test_other_code_is_checked_again(project, check, monkeypatch):
    check(project)
    monkeypatch.setattr(checkcache, "code_digest", lambda: "other code")
    assert KEPT not in check(project).out
    assert check(project).out.endswith(f"{KEPT}\n")


@pytest.mark.parametrize("flag", ["--clean", "--explain"])
def test_clean_and_explain_check_afresh(project, check, flag):
    check(project)
    out = check(project, flag).out
    assert KEPT not in out and MINI_PAGES in out
    if flag == "--explain":
        assert "is read as USD 1,000,000,000" in out


def test_a_build_with_no_problem_answers_the_next_check(project, check, capsys, tmp_path,
                                                        no_check):
    assert run_cli(capsys, project, "build", "--site-dir", str(tmp_path / "site")).code == 0
    after = check(project)
    assert after.code == 0
    assert after.out.splitlines()[-1].endswith(f"; {MINI_PAGES}{KEPT}")


def test_a_failed_build_keeps_no_answer(project, check, capsys, tmp_path):
    _same_size_amount(project)
    assert run_cli(capsys, project, "build", "--site-dir", str(tmp_path / "site")).code == 1
    assert not list((check_cache(project).folder).glob("*.json"))


def test_a_damaged_cache_is_a_check_done_again(project, check):
    assert check(project).code == 0
    folder = check_cache(project).folder
    answers = list(folder.glob("*.json"))
    assert len(answers) == 1
    answers[0].write_text('{"problems": "none", "pages": 3}', encoding="utf-8")
    (folder / "files.marshal").write_bytes(b"\x00garbage")
    again = check(project)
    assert again.code == 0 and KEPT not in again.out and MINI_PAGES in again.out
    assert check(project).out.endswith(f"{KEPT}\n")


def test_a_file_changed_within_a_second_of_its_status_is_read_again(project):
    """As git's index: a digest is trusted by the file's status only when the file had not
    changed for a second when the status was taken (a coarse clock could hide a second write)."""
    inputs = Inputs(("site_src", "templates"), None, _dt.date(2026, 12, 7))
    cache = CheckCache(project, project.parent / "kept")
    key = cache.key(inputs)
    rel = "data/companies/acme-ai.yaml"
    fmt, taken, files = marshal.loads((cache.folder / "files.marshal").read_bytes())
    status = files[rel][0]

    def written(taken_ns: int) -> str:  # the table saying the file's bytes were other ones
        files[rel] = (status, "0" * 32)
        (cache.folder / "files.marshal").write_bytes(marshal.dumps((fmt, taken_ns, files)))
        return CheckCache(project, cache.folder).key(inputs)

    ctime = status[4]
    assert written(ctime + 500_000_000) == key  # changed 0.5 s before: read again
    assert written(ctime + 2_000_000_000) != key  # 2 s before: trusted (here, wrongly told)


def test_answers_beyond_the_newest_are_removed(project):
    cache = CheckCache(project, project.parent / "kept")
    for i in range(checkcache.KEPT_ANSWERS + 3):
        cache.remember(f"{i:032x}", Problems(), i)
        os.utime(cache.folder / f"{i:032x}.json", ns=(i * 10**9, i * 10**9))
    kept = sorted(p.name for p in cache.folder.glob("*.json"))
    assert kept == [f"{i:032x}.json" for i in range(3, checkcache.KEPT_ANSWERS + 3)]
    assert cache.answer(f"{5:032x}") == {"problems": [], "pages": 5}
    assert cache.answer(f"{1:032x}") is None


def test_the_check_s_inputs_are_those_of_the_settings(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    settings = Settings.for_project(project, check=True)
    assert settings.check_inputs() == check_inputs(project) == Inputs(
        ("site_src", "templates"), _dt.date(2026, 1, 1), _dt.date.today())
    assert settings.but(limits=Limits(output=10)).check_inputs() is None
    assert settings.but(freshness_days=30).check_inputs() is None
