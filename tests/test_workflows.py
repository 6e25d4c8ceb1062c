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

from support import REPO, github_bash, load_workflow
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
