"""The GitHub set-up, kept honest offline: workflows that GitHub would accept, that zizmor finds
nothing in, least privilege, pinned actions, the pre-commit hook and the editor settings for the
schemas. The data/code flag (pr-scope.yml and its script) is tested in tests/test_pr_scope.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import REPO, github_bash, load_workflow, pr_scope
from support import job_steps as steps

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
PR = REPO / ".github" / "workflows" / "pull-request.yml"
DEPLOY = REPO / ".github" / "workflows" / "deploy.yml"


def tool(name: str) -> str:
    """A console script installed with the project's lock (next to this Python, or on PATH)."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed; it is in requirements.lock (run ./ledger test)")
    return found


def offline_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GH_", "GITHUB_"))}
    return {**env, "NO_COLOR": "1"}


def test_there_are_the_three_workflows():
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "pr-scope.yml", "pull-request.yml"]


def test_workflows_are_valid_github_workflows():
    run = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                          *map(str, WORKFLOWS)], capture_output=True, text=True, env=offline_env(),
                         timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_issue_forms_are_valid():
    forms = sorted((REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
    forms = [f for f in forms if f.name != "config.yml"]
    assert forms
    for schema, files in (("vendor.github-issue-forms", forms),
                          ("vendor.github-issue-config",
                           [REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml"])):
        run = subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema,
                              *map(str, files)], capture_output=True, text=True,
                             env=offline_env(), timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr
    assert (REPO / ".github" / "PULL_REQUEST_TEMPLATE.md").is_file()


def test_zizmor_reports_nothing():
    run = subprocess.run([tool("zizmor"), "--offline", "--no-progress", "--color=never",
                          str(REPO / ".github" / "workflows")],
                         capture_output=True, text=True, env=offline_env(), timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No findings to report" in run.stdout, run.stdout


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version():
    uses = []
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\s*(?:- )?uses:\s*(\S+)(.*)$", line)
            if m:
                uses.append((path.name, m.group(1), m.group(2)))
    assert uses
    for name, ref, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{name}: {ref} is not pinned"
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", rest), f"{name}: {ref} lacks '# vX.Y.Z'"
    # One version of each action across the workflows.
    by_action: dict[str, set[str]] = {}
    for _, ref, _ in uses:
        action, sha = ref.split("@")
        by_action.setdefault(action, set()).add(sha)
    assert all(len(shas) == 1 for shas in by_action.values()), by_action


def _permissions(wf: dict, job: dict) -> dict:
    perms = job.get("permissions", wf.get("permissions"))
    assert isinstance(perms, dict), "permissions must be spelt out (never read-all / write-all)"
    return perms


def test_only_the_deploy_job_can_write_and_nothing_has_secrets():
    writers = []
    for path in WORKFLOWS:
        wf = load_workflow(path)
        assert wf.get("permissions") == {}, f"{path.name}: the workflow's default must be no access"
        text = path.read_text(encoding="utf-8")
        assert "secrets." not in text and "secrets[" not in text, f"{path.name} uses a secret"
        for name, job in wf["jobs"].items():
            perms = _permissions(wf, job)
            if any(v == "write" for v in perms.values()):
                writers.append((path.name, name, perms))
            else:
                assert set(perms.values()) <= {"read", "none"}
    assert writers == [("deploy.yml", "deploy", {"pages": "write", "id-token": "write"})]
    deploy = load_workflow(DEPLOY)["jobs"]["deploy"]
    assert [s.get("uses", "").split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]
    assert all("run" not in s for s in steps(deploy)), "the privileged job runs no repository code"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"


def test_checkouts_never_keep_credentials():
    checkouts = [s for path in WORKFLOWS for job in load_workflow(path)["jobs"].values()
                 for s in steps(job) if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 3
    assert all(s["with"]["persist-credentials"] is False for s in checkouts)


def _runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in steps(job))


def test_pull_request_workflow_runs_the_readme_commands_read_only():
    wf = load_workflow(PR)
    assert set(wf["on"]) == {"pull_request", "merge_group"}, "never pull_request_target"
    assert wf["concurrency"]["cancel-in-progress"] is True
    job = wf["jobs"]["check"]
    runs = _runs(job)
    for command in ("./ledger check", "./ledger test", "./ledger build",
                    "./ledger diff --markdown HEAD^1"):
        assert command in runs
    assert runs.index("./ledger check") < runs.index("./ledger test") < runs.index("./ledger build")
    assert '"$GITHUB_STEP_SUMMARY"' in runs
    upload = next(s for s in steps(job) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    diff_step = next(s for s in steps(job) if "./ledger diff" in s.get("run", ""))
    assert diff_step["if"] == "${{ !cancelled() }}", "the summary is written even if the check fails"
    for path in WORKFLOWS:  # no expression is pasted into a shell script
        for j in load_workflow(path)["jobs"].values():
            assert "${{" not in _runs(j), f"{path.name}: use env: for expressions in run:"


def test_deploy_workflow_builds_reproducibly_and_deploys_separately():
    wf = load_workflow(DEPLOY)
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build = wf["jobs"]["build"]
    runs = _runs(build)
    assert 'SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)' in runs
    assert runs.index("SOURCE_DATE_EPOCH") < runs.index("./ledger check") < \
        runs.index("./ledger test") < runs.index("./ledger build")
    uses = [s.get("uses", "").split("@")[0] for s in steps(build)]
    assert uses[-1] == "actions/upload-pages-artifact"
    assert steps(build)[-1]["with"]["path"] == "site/"
    text = DEPLOY.read_text(encoding="utf-8")
    assert "merged result" in text, "say why the check on main covers pull requests that clash"


# ---------------------------------------------------------------------------------------------
# Steps run as GitHub runs them (the data/code flag: tests/test_pr_scope.py)


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com",
                    "-c", "commit.gpgsign=false", *args], cwd=root, env=env, check=True,
                   capture_output=True)


# ---------------------------------------------------------------------------------------------
# pre-commit and editors


def test_pre_commit_hook_runs_the_check_on_data_and_articles():
    cfg = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for r in cfg["repos"] for h in r["hooks"]]
    assert len(hooks) == 1
    hook = hooks[0]
    assert cfg["repos"][0]["repo"] == "local"
    assert hook["entry"] == "./ledger check"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("data/companies/acme.yaml", "data/sources/x.yaml", "site_src/articles/a.md",
                 "site_src/index.md"):
        assert files.search(path), path
    for path in ("generator/cli.py", "README.md", "tests/fixtures/mini/data/companies/a.yaml"):
        assert not files.search(path), path
    run = subprocess.run([tool("pre-commit"), "validate-config", ".pre-commit-config.yaml"],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_pre_commit_runs_the_hook_only_for_data_changes(tmp_path: Path):
    root = tmp_path / "repo"
    (root / "data" / "companies").mkdir(parents=True)
    (root / "generator").mkdir()
    shutil.copy2(REPO / ".pre-commit-config.yaml", root / ".pre-commit-config.yaml")
    (root / "ledger").write_text('#!/bin/sh\necho "$*" >> ledger.log\nexit 1\n')
    (root / "ledger").chmod(0o755)
    (root / "data" / "companies" / "a.yaml").write_text("id: a\n")
    (root / "generator" / "x.py").write_text("x = 1\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def run(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run([tool("pre-commit"), "run", "--files", *files], cwd=root, env=env,
                              capture_output=True, text=True, timeout=120)

    skipped = run("generator/x.py")
    assert skipped.returncode == 0 and "Skipped" in skipped.stdout, skipped.stdout
    assert not (root / "ledger.log").exists()
    failed = run("data/companies/a.yaml")  # the stand-in check fails: so does the commit
    assert failed.returncode == 1, failed.stdout
    assert (root / "ledger.log").read_text() == "check\n"


def test_editors_find_the_schemas_without_set_up():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    schemas = sorted(p.name for p in (REPO / "schemas").glob("*.schema.json"))
    assert sorted(Path(k).name for k in mapping) == schemas
    for schema, pattern in mapping.items():
        assert (REPO / schema).is_file()
        folder = Path(schema).name.split(".")[0]
        assert pattern == f"data/{folder}/*.yaml"
    extensions = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


@pytest.mark.parametrize("code, passes", [(0, True), (1, True), (2, False)])
def test_the_diff_step_writes_the_summary_and_fails_only_when_the_base_is_unreadable(
        tmp_path: Path, code: int, passes: bool):
    job = load_workflow(PR)["jobs"]["check"]
    script = next(s["run"] for s in steps(job) if "./ledger diff" in s.get("run", ""))
    root = tmp_path / "repo"
    root.mkdir()
    out = {0: "### Data changes since HEAD^1", 1: "problems", 2: ""}[code]
    (root / "ledger").write_text(f'#!/bin/sh\n[ "$*" = "diff --markdown HEAD^1" ] || exit 9\n'
                                 f'echo "{out}"\nexit {code}\n')
    (root / "ledger").chmod(0o755)
    summary_file = tmp_path / "summary.md"
    run = github_bash(script, root, GITHUB_STEP_SUMMARY=str(summary_file))
    assert (run.returncode == 0) == passes, run.stdout + run.stderr
    assert summary_file.read_text().strip() == out


# ---------------------------------------------------------------------------------------------
# Time limits, the Python of the lock, and caches that hold downloads only

LOCK = REPO / "requirements.lock"


def lock_python() -> str:
    """The Python (major.minor) requirements.lock was resolved with, from pip-compile's header."""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"# This file is autogenerated by pip-compile with Python "
                         r"(\d+\.\d+)", line)
        if m:
            return m.group(1)
    pytest.fail("requirements.lock does not say which Python it was made with (./ledger lock)")


def _all_jobs() -> list[tuple[str, str, dict]]:
    return [(path.name, name, job) for path in WORKFLOWS
            for name, job in load_workflow(path)["jobs"].items()]


def _uses(job: dict, action: str) -> list[dict]:
    return [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]


def test_every_job_has_a_time_limit():
    jobs = _all_jobs()
    assert [(f, n) for f, n, _ in jobs] == [
        ("deploy.yml", "build"), ("deploy.yml", "deploy"), ("pr-scope.yml", "scope"),
        ("pull-request.yml", "check")]
    limits = {(f, n): job.get("timeout-minutes") for f, n, job in jobs}
    assert limits == {("deploy.yml", "build"): 45, ("deploy.yml", "deploy"): 10,
                      ("pr-scope.yml", "scope"): 10, ("pull-request.yml", "check"): 45}


def test_the_lock_says_which_python_made_it():
    head = LOCK.read_text(encoding="utf-8").splitlines()[:8]
    assert re.fullmatch(r"# requirements\.lock: made by \./ledger lock from requirements\.in with "
                        r"Python 3\.\d+\.\d+ \(Linux \w+\)\.", head[0]), head[0]
    assert head[1] == (f"# Installed by ./ledger with pip install --require-hashes; CI runs "
                       f"Python {lock_python()} too.")
    assert lock_python() == "3.11"


@pytest.mark.parametrize("path", [PR, DEPLOY], ids=["pull-request", "deploy"])
def test_ci_runs_the_lock_s_python_and_caches_only_downloads_keyed_on_the_locks(path: Path):
    wf = load_workflow(path)
    job = next(j for j in wf["jobs"].values() if "./ledger test" in _runs(j))
    python, node = _uses(job, "actions/setup-python"), _uses(job, "actions/setup-node")
    assert len(python) == len(node) == 1
    assert python[0]["with"] == {"python-version": lock_python(), "cache": "pip",
                                 "cache-dependency-path": "requirements.lock"}
    assert node[0]["with"] == {"node-version": "22", "cache": "npm",
                               "cache-dependency-path": "package-lock.json"}
    order = [s.get("uses", "").split("@")[0] or s.get("run", "") for s in steps(job)]
    first_ledger = next(i for i, s in enumerate(order) if "./ledger" in s)
    assert order.index("actions/setup-python") < first_ledger
    assert order.index("actions/setup-node") < first_ledger


def test_nothing_the_project_builds_for_itself_is_cached_or_moved():
    """./ledger keeps its virtual environment, Node tools, charts and compiled templates in
    ~/.cache/frontier-ledger/ (the default: no workflow moves it), and no step caches any of it;
    the only caches are setup-python's (pip) and setup-node's (npm) download caches."""
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        for variable in ("LEDGER_CACHE_HOME", "LEDGER_VENV", "XDG_CACHE_HOME", "FL_CHART_CACHE"):
            assert variable not in text, f"{path.name} moves ./ledger's folders ({variable})"
        assert "actions/cache" not in text, f"{path.name} caches something itself"
        for _, _, job in [(path.name, n, j) for n, j in load_workflow(path)["jobs"].items()]:
            for step in steps(job):
                cached = {k: v for k, v in step.get("with", {}).items() if "cache" in k}
                action = step.get("uses", "").split("@")[0]
                if action == "actions/setup-python":
                    assert cached == {"cache": "pip",
                                      "cache-dependency-path": "requirements.lock"}
                elif action == "actions/setup-node":
                    assert cached == {"cache": "npm",
                                      "cache-dependency-path": "package-lock.json"}
                else:
                    assert cached == {}, f"{path.name}: {action} caches {cached}"
    for path in (PR, DEPLOY):
        text = path.read_text(encoding="utf-8")
        assert "never cached" in text and "executes the pull request's code" in text, \
            f"{path.name}: say why nothing the project builds is cached"


# ---------------------------------------------------------------------------------------------
# Dependabot

DEPENDABOT = REPO / ".github" / "dependabot.yml"


def test_dependabot_config_is_valid():
    run = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot",
                          str(DEPENDABOT)], capture_output=True, text=True, env=offline_env(),
                         timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_dependabot_watches_pip_npm_and_the_actions_weekly_in_groups():
    cfg = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    assert cfg["version"] == 2
    updates = {u["package-ecosystem"]: u for u in cfg["updates"]}
    assert list(updates) == ["pip", "npm", "github-actions"]
    for ecosystem, update in updates.items():
        assert update["directory"] == "/", ecosystem
        assert update["schedule"] == {"interval": "weekly"}, ecosystem
        assert update["cooldown"] == {"default-days": 7}, ecosystem
        assert update["groups"], ecosystem
        # every update ends up in a group: the last one takes whatever the others did not
        assert list(update["groups"].values())[-1] == {"patterns": ["*"]}, ecosystem
    assert updates["pip"]["versioning-strategy"] == "increase-if-necessary"
    # the site-build group names exactly the runtime dependencies of pyproject.toml
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = sorted(Requirement(r).name for r in project["dependencies"])
    assert sorted(updates["pip"]["groups"]["site-build"]["patterns"]) == runtime


@pytest.mark.parametrize("path", [
    ".github/dependabot.yml", "requirements.in", "requirements.lock", "pyproject.toml",
    "package.json", "package-lock.json", ".github/workflows/pull-request.yml",
    ".github/workflows/deploy.yml", ".github/workflows/pr-scope.yml",
])
def test_what_a_dependabot_pull_request_changes_is_code(path: str):
    """Dependabot's pull requests are code pull requests: the scope job never takes them for data
    (the comment at the top of dependabot.yml says so)."""
    scope = pr_scope()

    assert (REPO / path).is_file()
    assert scope.classify_path(path) == "code"
    assert "code pull requests" in DEPENDABOT.read_text(encoding="utf-8")
