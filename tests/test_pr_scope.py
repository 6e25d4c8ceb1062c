"""The pull-request scope check (.github/scripts/pr_scope.py): an allowlist of data paths, modes
judged from ``git diff --raw``, the verdict a pull request gets, CODEOWNERS in step with it, and
the workflow's own steps run against a scratch "GitHub" (a bare origin holding the pull request's
head as refs/pull/1/head), where a pull request cannot change the check it is judged by."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pathspec
import pytest

from support import REPO
from support import github_bash, job_steps as steps, load_workflow, pr_scope

SCRIPT = REPO / ".github" / "scripts" / "pr_scope.py"
WORKFLOW = REPO / ".github" / "workflows" / "pr-scope.yml"


scope = pr_scope()

# ---------------------------------------------------------------------------------------------
# paths and modes


PATHS = [
    # data: YAML under data/, Markdown under site_src/ outside its assets
    ("data/companies/acme.yaml", "data"),
    ("data/sources/s.yaml", "data"),
    ("data/tables/chips.yaml", "data"),
    ("data/x.yaml", "data"),
    ("data/new-folder/deeper/x.yaml", "data"),
    ("site_src/index.md", "data"),
    ("site_src/articles/a.md", "data"),
    ("site_src/assets.md", "data"),
    # code: everything else, known or not
    ("site_src/assets/ledger.css", "code"),
    ("site_src/assets/notes.md", "code"),
    ("site_src/assets/img/logo.svg", "code"),
    ("site_src/articles/evil.html", "code"),
    ("site_src/sw.js", "code"),
    ("site_src/articles/chart.svg", "code"),
    ("site_src/robots.txt", "code"),
    ("data/companies/acme.yml", "code"),
    ("data/companies/acme.YAML", "code"),
    ("data/README.md", "code"),
    ("data/companies/acme.json", "code"),
    ("Data/companies/acme.yaml", "code"),
    ("data", "code"),
    ("site_src", "code"),
    (".venv/bin/python", "code"),
    (".venv/.ledger-lock", "code"),
    (".cache/charts/abc.inline.svg", "code"),
    (".cache/jinja-pages/__jinja2_x.cache", "code"),
    ("node_modules/.bin/lighthouse", "code"),
    ("site", "code"),
    ("site/index.html", "code"),
    ("package.json", "code"),
    ("package-lock.json", "code"),
    (".npmrc", "code"),
    (".gitattributes", "code"),
    (".github/workflows/pr-scope.yml", "code"),
    (".github/scripts/pr_scope.py", "code"),
    (".github/CODEOWNERS", "code"),
    ("ledger", "code"),
    ("mkdocs.yml", "code"),
    ("requirements.lock", "code"),
    ("generator/render.py", "code"),
    ("templates/company.md.j2", "code"),
    ("overrides/main.html", "code"),
    ("tests/fixtures/mini/data/companies/a.yaml", "code"),
    ("README.md", "code"),
    ("sitecustomize.py", "code"),
    ("data/.hidden.yaml", "code"),
    ("data/.hidden/x.yaml", "code"),
    ("site_src/.pages.md", "code"),
    ("site_src/articles/.x/a.md", "code"),
    ("data/companies/a\u202ebad.yaml", "code"),
    ("data/companies/a\nb.yaml", "code"),
    ("data/companies/\udcff.yaml", "code"),
]


@pytest.mark.parametrize("path, kind", PATHS, ids=[repr(p) for p, _ in PATHS])
def test_only_yaml_under_data_and_markdown_outside_the_assets_is_data(path: str, kind: str):
    assert scope.classify_path(path) == kind


RAW = [
    ("plain file added", ":000000 100644 0000000 1234567 A", "data/companies/a.yaml", "data"),
    ("plain file changed", ":100644 100644 1234567 89abcde M", "data/companies/a.yaml", "data"),
    ("plain file deleted", ":100644 000000 1234567 0000000 D", "site_src/articles/a.md", "data"),
    ("symlink added", ":000000 120000 0000000 1234567 A", "data/companies/a.yaml", "code"),
    ("symlink deleted", ":120000 000000 1234567 0000000 D", "data/companies/a.yaml", "code"),
    ("file became a symlink", ":100644 120000 1234567 89abcde T", "site_src/index.md", "code"),
    ("symlink became a file", ":120000 100644 1234567 89abcde T", "site_src/index.md", "code"),
    ("submodule", ":000000 160000 0000000 1234567 A", "data/companies", "code"),
    ("submodule named like data", ":000000 160000 0000000 1234567 A", "data/x.yaml", "code"),
    ("executable", ":000000 100755 0000000 1234567 A", "data/companies/a.yaml", "code"),
    ("made executable", ":100644 100755 1234567 1234567 M", "site_src/articles/a.md", "code"),
    ("code path, plain", ":100644 100644 1234567 89abcde M", "generator/cli.py", "code"),
]


@pytest.mark.parametrize("meta, path, kind", [r[1:] for r in RAW], ids=[r[0] for r in RAW])
def test_links_submodules_and_executables_are_code_whatever_their_path(meta, path, kind):
    raw = meta.encode() + b"\0" + path.encode() + b"\0"
    [change] = scope.parse_raw(raw)
    assert (change.old_mode, change.new_mode, change.path) == \
        (meta[1:7], meta[8:14], path)
    assert change.kind == kind


@pytest.mark.parametrize("raw, message", [
    (b"not a diff\0x\0", "not a line of git diff --raw -z: not a diff"),
    (b":100644 100644 1234567 89abcde M\0", "not a line of git diff --raw -z: "
     ":100644 100644 1234567 89abcde M"),
    (b":100644 100644 1234567 89abcde R100\0a.yaml\0b.yaml\0",
     "a rename or copy; compare with --no-renames"),
], ids=["garbage", "no path", "rename"])
def test_output_that_is_not_a_raw_diff_is_refused(raw: bytes, message: str):
    with pytest.raises(scope.RawError) as exc:
        scope.parse_raw(raw)
    assert str(exc.value) == message


# ---------------------------------------------------------------------------------------------
# the verdict, from the script run as the workflow runs it, in scratch repositories


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com",
                           "-c", "commit.gpgsign=false", "-c", "protocol.file.allow=always",
                           *args], cwd=root, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def _write(root: Path, rel: str, text: str = "changed\n") -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text)


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _write(root, "base.txt", "base\n")
    _write(root, "data/companies/old.yaml", "id: old\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    return root


def _run(root: Path, summary: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args, "--summary", str(summary)],
                          cwd=root, capture_output=True, text=True, timeout=60)


MIXED_HEAD = "### This pull request changes data and also code or configuration\n\n" \
    "Please split it: one pull request for data and articles (`data/**/*.yaml`, " \
    "`site_src/**/*.md` outside `site_src/assets/`), another for these files, which a " \
    "maintainer reviews on their own:\n\n"


def _error(path: str) -> str:
    return (f"::error file={path}::a data pull request also changes {path} (code or "
            "configuration); split it into two pull requests")


VERDICTS = [
    ("nothing", [], 0,
     ["0 files changed: 0 data or article files, 0 code or configuration files.",
      "This pull request changes no file."],
     "### This pull request changes no file\n"),
    ("one data file", ["data/companies/acme.yaml"], 0,
     ["1 file changed: 1 data or article file, 0 code or configuration files.",
      "A data pull request: only data and articles."],
     "### A data pull request\n\nIt changes only data and articles (1 file under "
     "`data/**/*.yaml` and `site_src/**/*.md`); the check, the tests and the build decide.\n"),
    ("data and articles", ["data/companies/acme.yaml", "data/sources/x.yaml",
                           "site_src/articles/a.md"], 0,
     ["3 files changed: 3 data or article files, 0 code or configuration files.",
      "A data pull request: only data and articles."],
     "### A data pull request\n\nIt changes only data and articles (3 files under "
     "`data/**/*.yaml` and `site_src/**/*.md`); the check, the tests and the build decide.\n"),
    ("code only", ["generator/cli.py", "templates/company.md.j2"], 0,
     ["2 files changed: 0 data or article files, 2 code or configuration files.",
      "A code pull request: it needs a maintainer's review."],
     "### A code pull request\n\nIt changes code or configuration (2 files), so it needs a "
     "maintainer's review:\n\n- `generator/cli.py`\n- `templates/company.md.j2`\n"),
    ("data and the ledger", ["data/companies/acme.yaml", "ledger"], 1,
     ["2 files changed: 1 data or article file, 1 code or configuration file.",
      "This pull request mixes data and code.", _error("ledger")],
     MIXED_HEAD + "- `ledger`\n"),
    ("data and what the allowlist never heard of",
     ["site_src/articles/a.md", ".venv/bin/python", ".cache/charts/k.inline.svg",
      "package.json", "package-lock.json", "site_src/articles/x.html", "site_src/sw.js",
      "site_src/articles/c.svg"], 1,
     ["8 files changed: 1 data or article file, 7 code or configuration files.",
      "This pull request mixes data and code.",
      *map(_error, [".cache/charts/k.inline.svg", ".venv/bin/python", "package-lock.json",
                    "package.json", "site_src/articles/c.svg", "site_src/articles/x.html",
                    "site_src/sw.js"])],
     MIXED_HEAD + "- `.cache/charts/k.inline.svg`\n- `.venv/bin/python`\n- `package-lock.json`\n"
     "- `package.json`\n- `site_src/articles/c.svg`\n- `site_src/articles/x.html`\n"
     "- `site_src/sw.js`\n"),
    ("data and a stylesheet", ["data/tables/t.yaml", "site_src/assets/ledger.css"], 1,
     ["2 files changed: 1 data or article file, 1 code or configuration file.",
      "This pull request mixes data and code.", _error("site_src/assets/ledger.css")],
     MIXED_HEAD + "- `site_src/assets/ledger.css`\n"),
]


@pytest.mark.parametrize("changed, status, stdout, summary", [v[1:] for v in VERDICTS],
                         ids=[v[0] for v in VERDICTS])
def test_the_verdict_on_a_pull_request(tmp_path: Path, changed, status, stdout, summary):
    root = _repo(tmp_path)
    base = _git(root, "rev-parse", "HEAD")
    _git(root, "checkout", "-q", "-b", "pr")
    for rel in changed:
        _write(root, rel)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--allow-empty", "-m", "change")
    out = tmp_path / "summary.md"
    run = _run(root, out, base, "pr")
    assert (run.returncode, run.stdout.splitlines(), run.stderr) == (status, stdout, "")
    assert out.read_text(encoding="utf-8") == summary


def test_a_link_under_data_is_code_and_a_mixed_pull_request_fails(tmp_path: Path):
    root = _repo(tmp_path)
    base = _git(root, "rev-parse", "HEAD")
    _write(root, "data/companies/acme.yaml")
    (root / "data/companies/evil.yaml").symlink_to("/etc/passwd")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "link")
    run = _run(root, tmp_path / "s.md", base, "HEAD")
    assert run.returncode == 1
    assert run.stdout.splitlines()[2:] == [_error("data/companies/evil.yaml")]


def test_a_submodule_under_data_is_code(tmp_path: Path):
    root = _repo(tmp_path)
    base = _git(root, "rev-parse", "HEAD")
    _git(root, "update-index", "--add", "--cacheinfo", f"160000,{base},data/companies/sub.yaml")
    _git(root, "commit", "-q", "-m", "submodule")
    run = _run(root, tmp_path / "s.md", base, "HEAD")
    assert run.returncode == 0
    assert run.stdout.splitlines() == [
        "1 file changed: 0 data or article files, 1 code or configuration file.",
        "A code pull request: it needs a maintainer's review."]


def test_only_the_pull_request_s_own_changes_count_not_the_base_s_since(tmp_path: Path):
    """git diff BASE...HEAD: from where the pull request left the base. Code merged into main
    after the pull request was opened does not make a data pull request mixed."""
    root = _repo(tmp_path)
    _git(root, "checkout", "-q", "-b", "pr")
    _write(root, "data/companies/acme.yaml")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "data")
    _git(root, "checkout", "-q", "main")
    _write(root, "generator/cli.py")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "code on main since")
    run = _run(root, tmp_path / "s.md", "main", "pr")
    assert (run.returncode, run.stdout.splitlines()[1]) == \
        (0, "A data pull request: only data and articles.")


def test_names_that_would_forge_annotations_or_markup_are_escaped(tmp_path: Path):
    """A file name holding a line break cannot start a workflow command of its own, and one
    holding backticks or markup stays inside its code span."""
    root = _repo(tmp_path)
    base = _git(root, "rev-parse", "HEAD")
    _write(root, "data/companies/acme.yaml")
    _write(root, "x\n::warning::forged,%0A.txt")
    _write(root, "a`b``<img src=x>.md")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "names")
    out = tmp_path / "s.md"
    run = _run(root, out, base, "HEAD")
    assert run.returncode == 1
    assert run.stdout.splitlines()[2:] == [
        "::error file=a`b``<img src=x>.md::a data pull request also changes a`b``<img src=x>.md "
        "(code or configuration); split it into two pull requests",
        "::error file=x%0A%3A%3Awarning%3A%3Aforged%2C%250A.txt::a data pull request also changes "
        "x\\x0a::warning::forged,%250A.txt (code or configuration); split it into two pull "
        "requests"]
    assert out.read_text().splitlines()[-2:] == ["- ``` a`b``<img src=x>.md ```",
                                                 "- `x\\x0a::warning::forged,%0A.txt`"]


def test_a_base_that_cannot_be_read_is_an_error(tmp_path: Path):
    root = _repo(tmp_path)
    run = _run(root, tmp_path / "s.md", "HEAD", "0" * 40)
    assert run.returncode == 2
    assert run.stdout.startswith("::error::could not compare the pull request with its base: ")
    assert not (tmp_path / "s.md").exists()


# ---------------------------------------------------------------------------------------------
# CODEOWNERS: a maintainer's review for everything the script calls code


def _owners(path: str) -> bool:
    """Whether .github/CODEOWNERS gives ``path`` an owner (the last matching line decides)."""
    owned = False
    for line in (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields and pathspec.PathSpec.from_lines("gitignore", [fields[0]]).match_file(path):
            owned = len(fields) > 1
    return owned


@pytest.mark.parametrize("path, kind", [(p, k) for p, k in PATHS if "\n" not in p and
                                        "\udcff" not in p and "\u202e" not in p],
                         ids=[repr(p) for p, _ in PATHS if "\n" not in p and "\udcff" not in p
                              and "\u202e" not in p])
def test_codeowners_ask_a_maintainer_for_every_path_the_script_calls_code(path: str, kind: str):
    assert _owners(path) == (kind == "code")


def test_codeowners_name_a_team_on_every_owned_line():
    lines = [ln.split() for ln in (REPO / ".github" / "CODEOWNERS").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines[0] == ["*", "@frontier-ledger/maintainers"]
    assert all(len(f) in (1, 2) and (len(f) == 1 or f[1].startswith("@")) for f in lines)


# ---------------------------------------------------------------------------------------------
# The workflow: the base's check, on the pull request's commits as data


def test_the_scope_workflow_runs_the_base_s_check_on_pull_request_target():
    wf = load_workflow(WORKFLOW)
    assert set(wf["on"]) == {"pull_request_target", "merge_group"}
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "pull_request_target: # zizmor: ignore[dangerous-triggers] base checked out; " \
           "the PR is only compared\n" in text
    assert wf["permissions"] == {}
    [(name, job)] = wf["jobs"].items()
    assert (name, job["name"], job["permissions"]) == \
        ("scope", "Data and code kept apart", {"contents": "read"})
    assert "secrets" not in text and "GITHUB_TOKEN" not in text and "github.token" not in text
    checkouts = [s for s in steps(job) if "uses" in s]
    assert [s["uses"].split("@")[0] for s in checkouts] == ["actions/checkout"]
    # the base: no ref, no repository, no token given; credentials not kept
    assert checkouts[0]["with"] == {"persist-credentials": False, "fetch-depth": 0}
    runs = [s["run"] for s in steps(job) if "run" in s]
    assert runs[-2] == 'python3 .github/scripts/pr_scope.py HEAD "$HEAD_SHA"'
    forbidden = re.compile(r"\b(checkout|switch|worktree|reset|restore|merge|ledger|pip3?|npm|"
                           r"npx|make|source|bash|sh|eval|exec)\b|\./")
    for run in runs:  # nothing of the pull request is checked out, installed or run
        assert not forbidden.search(run), run
    for s in steps(job):
        if "env" in s:
            assert s["env"] == {"HEAD_SHA": "${{ github.event.pull_request.head.sha }}"}
    fetch = next(r for r in runs if "git fetch" in r)
    assert 'git fetch --quiet --no-tags --no-recurse-submodules origin "$HEAD_SHA"' in fetch


def _pull_request_on_github(tmp_path: Path, files: dict[str, str]) -> tuple[Path, str]:
    """A bare origin whose main holds this repository's check, and a pull request (from a fork:
    only refs/pull/1/head) that changes ``files``; returns the origin and the head's SHA."""
    src = tmp_path / "src"
    src.mkdir()
    _git(src, "init", "-q", "-b", "main")
    _write(src, ".github/scripts/pr_scope.py", SCRIPT.read_text(encoding="utf-8"))
    _write(src, "data/companies/old.yaml", "id: old\n")
    _git(src, "add", "-A")
    _git(src, "commit", "-q", "-m", "base")
    _git(src, "checkout", "-q", "-b", "fork")
    for rel, text in files.items():
        _write(src, rel, text)
    _git(src, "add", "-A")
    _git(src, "commit", "-q", "-m", "pull request")
    head = _git(src, "rev-parse", "HEAD")
    _git(src, "checkout", "-q", "main")
    origin = tmp_path / "origin.git"
    _git(tmp_path, "clone", "-q", "--bare", str(src), str(origin))
    _git(origin, "update-ref", "refs/pull/1/head", head)
    _git(origin, "branch", "-q", "-D", "fork")
    return origin, head


WEAKENED = "import sys\nprint('everything is data')\nsys.exit(0)\n"


@pytest.mark.parametrize("files, status, verdict", [
    ({"data/companies/acme.yaml": "id: acme\n"}, 0, "A data pull request: only data and articles."),
    ({"data/companies/acme.yaml": "id: acme\n", ".github/scripts/pr_scope.py": WEAKENED}, 1,
     "This pull request mixes data and code."),
    ({"data/companies/acme.yaml": "id: acme\n", ".github/workflows/pr-scope.yml": "on: push\n"},
     1, "This pull request mixes data and code."),
], ids=["data", "data and a weakened check", "data and a weakened workflow"])
def test_the_workflow_judges_a_pull_request_with_the_base_s_check(
        tmp_path: Path, files, status, verdict):
    """The workflow's steps as GitHub runs them after checking out the base: the head is fetched
    by SHA and compared; the working tree stays the base's, so a pull request that rewrites the
    script is judged by the base's script, and fails as mixed."""
    origin, head = _pull_request_on_github(tmp_path, files)
    work = tmp_path / "work"
    _git(tmp_path, "clone", "-q", str(origin), str(work))  # what actions/checkout does
    job = load_workflow(WORKFLOW)["jobs"]["scope"]
    summary = tmp_path / "summary.md"
    env = {"HEAD_SHA": head, "GITHUB_STEP_SUMMARY": str(summary),
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_ALLOW_PROTOCOL": "file"}
    results = [github_bash(s["run"], work, **env) for s in steps(job)
               if "run" in s and s.get("if") == "github.event_name == 'pull_request_target'"]
    assert [r.returncode for r in results] == [0, status], [r.stdout + r.stderr for r in results]
    assert results[-1].stdout.splitlines()[1] == verdict
    assert _git(work, "rev-parse", "HEAD") != head  # the base is still what is checked out
    assert (work / ".github/scripts/pr_scope.py").read_text() == SCRIPT.read_text()
    assert not (work / "data/companies/acme.yaml").exists()
