"""What the test modules share: scratch projects and their mutations, running the command line
in-process, the built site's digest, MkDocs's log, the workflows, and Chromium driven from a
thread of its own. (conftest.py holds the fixtures; no test module imports another.)"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
EXTENSION = REPO / "tests" / "fixtures" / "extension"

# the mini project's files
C = "data/companies/acme-ai.yaml"
B = "data/companies/bigcloud.yaml"
S1 = "data/sources/acme-news-2021.yaml"
S2 = "data/sources/daily-2023.yaml"
T = "data/tables/chips.yaml"
A = "site_src/articles/first.md"

MONEY_EX = ("write it as 'USD 65 billion' (also 'about USD 86 billion', 'EUR 1.7 billion', "
            "'USD 750 million')")
URL_EX = ("expected a public web address starting with https://, such as "
          "'https://www.example.com/page'")


# ---------------------------------------------------------------------------------------------
# Scratch projects


def make_project(dest: Path, source: Path = MINI) -> Path:
    """A complete scratch project: the fixture's data/ and site_src/, plus the repo's templates/,
    theme overrides, stylesheets and mkdocs.yml, so that it also builds."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "data", dest / "data")
    shutil.copytree(source / "site_src", dest / "site_src")
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copytree(REPO / "site_src" / "assets", dest / "site_src" / "assets", dirs_exist_ok=True)
    if (REPO / "overrides").is_dir():
        shutil.copytree(REPO / "overrides", dest / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` by its path, as a hash of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def render_pages(root: Path, settings=None, **values) -> tuple:
    """Load and render the project at ``root`` as a build would, charts included (by
    ``settings``, or the project's with ``values`` changed): (problems, the pages and files by
    path, Markdown as text and anything else as bytes)."""
    from generator.load import load
    from generator.problems import Problems
    from generator.render import render
    from generator.settings import Settings

    settings = settings or Settings.for_project(root, **values)
    problems = Problems()
    ds = load(settings.root, problems, **settings.load_options())
    if problems.errors:
        return problems, {}
    pages = render(ds, settings, problems).complete()
    if problems.errors:  # nothing was rendered to publish: the Markdown alone
        pages = [p for p in pages if p.path.endswith(".md")]
    return problems, {p.path: p.text if p.path.endswith(".md") else p.content for p in pages}


# ---------------------------------------------------------------------------------------------
# Mutations of a scratch project

Mutation = Callable[[Path], None]


def replace(rel: str, old: str, new: str) -> Mutation:
    def run(root: Path) -> None:
        p = root / rel
        text = p.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should occur once in {rel}"
        p.write_text(text.replace(old, new), encoding="utf-8", newline="")
    return run


def write(rel: str, content: str | bytes) -> Mutation:
    def run(root: Path) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.is_symlink() or p.exists():
            p.unlink()
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8", newline="")
    return run


def rename(rel: str, new_rel: str) -> Mutation:
    def run(root: Path) -> None:
        (root / new_rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).rename(root / new_rel)
    return run


def steps(*mutations: Mutation) -> Mutation:
    def run(root: Path) -> None:
        for m in mutations:
            m(root)
    return run


def set_text(rel: str, line: str, key: str, value: str) -> Mutation:
    """Replace the line ``line`` by ``key: "value"`` (a YAML double-quoted string, so that any text
    arrives exactly as written), keeping the line's indentation."""
    indent = line[: len(line) - len(line.lstrip())]
    return replace(rel, line, f"{indent}{key}: {json.dumps(value, ensure_ascii=False)}")


@dataclass
class Case:
    """A row of a table of bad input → the exact report."""

    id: str
    mutate: Mutation
    expected: list[str]
    count: str = "1 error in 1 file"
    args: tuple[str, ...] = field(default_factory=tuple)


def case(id: str, mutate: Mutation, *expected: str, count: str = "1 error in 1 file",
         args: tuple[str, ...] = ()) -> Case:
    return Case(id, mutate, list(expected), count, args)


# ---------------------------------------------------------------------------------------------
# The command line, in this process


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    @property
    def lines(self) -> list[str]:
        """Every printed line, stdout then stderr (a failed check prints its report to stderr)."""
        return [ln for ln in self.text.splitlines() if ln.strip()]


def run_cli(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> Run:
    """``python -m generator --root ROOT ARGS`` in-process; any exception counts as a traceback."""
    from generator.cli import main

    capsys.readouterr()  # drop anything printed before
    try:
        code = main(["--root", str(root), *args])
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException as exc:  # noqa: BLE001 - the point is that this must never happen
        captured = capsys.readouterr()
        pytest.fail(f"the command raised {type(exc).__name__}: {exc}\n(a Traceback would be shown)"
                    f"\nstdout:\n{captured.out}\nstderr:\n{captured.err}")
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


@contextlib.contextmanager
def mkdocs_log():
    """The lines MkDocs logs during a build (its logger does not propagate, and its handler was
    bound to whichever stderr existed when the first build ran)."""
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.extend(record.getMessage().splitlines())  # type: ignore
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)


# ---------------------------------------------------------------------------------------------
# Tools some tests need


def require(what: str, ok: bool, hint: str) -> None:
    """A tool some tests need (Chromium, axe-core): when it is missing the test fails in CI, where
    nothing may be skipped, and is skipped elsewhere."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI ({hint})")
    pytest.skip(f"no {what} here: {hint}")


def require_chromium() -> str:
    """The path of Debian's Chromium (tools.budget finds it), or fail/skip as require() does."""
    from tools.budget import chromium_executable

    exe = chromium_executable()
    require("Chromium", exe is not None, "install Debian's 'chromium' or set CHROMIUM")
    return exe


# ---------------------------------------------------------------------------------------------
# The workflows


def load_workflow(path: Path) -> dict:
    # PyYAML reads the key 'on' as True (YAML 1.1); put it back.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def job_steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def pr_scope():
    """The scope job's script (.github/scripts/pr_scope.py) as a module, loaded once."""
    import importlib.util
    import sys

    if "pr_scope" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "pr_scope", REPO / ".github" / "scripts" / "pr_scope.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["pr_scope"] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules["pr_scope"]


def github_bash(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """Run a step's script the way GitHub runs `shell: bash` steps."""
    path = cwd.parent / "step.sh"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, **env}, timeout=60)


# ---------------------------------------------------------------------------------------------
# Chromium in a thread of its own, with tripwires for payloads that run


class BrowserThread:
    """Chromium driven from a thread of its own. Playwright's sync API refuses to start while
    another instance is running in the same thread, and other test modules may keep one open for
    the whole session; a second thread has its own."""

    def __init__(self, exe: str):
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xss-chromium")
        self.pool.submit(self._start, exe).result()

    def _start(self, exe: str) -> None:
        from playwright.sync_api import sync_playwright

        from tools.budget import CHROMIUM_ARGS

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)

    def run(self, fn, *args):
        return self.pool.submit(fn, self.browser, *args).result()

    def close(self) -> None:
        def stop():
            self.browser.close()
            self.playwright.stop()

        self.pool.submit(stop).result()
        self.pool.shutdown()


def in_browser_thread(test):
    """Run the whole test in the browser's thread; it receives the Browser as ``chromium``."""
    @functools.wraps(test)
    def run(chromium, hostile_site):
        return chromium.run(test, hostile_site)
    return run


DOM_FINDINGS = """() => {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const v = a.value.replace(/[\\x00-\\x20]/g, '').toLowerCase();
      if (a.name.startsWith('on')) bad.push(`<${tag} ${a.name}>`);
      if (urlAttrs.includes(a.name) && /^(javascript|vbscript|data):/.test(v))
        bad.push(`<${tag} ${a.name}=${a.value}>`);
      if (a.name === 'srcdoc') bad.push(`<${tag} srcdoc>`);
    }
    if (['iframe', 'frame', 'object', 'embed', 'base', 'img', 'marquee'].includes(tag))
      bad.push(`<${tag}>`);
    if (tag === 'meta' && (el.getAttribute('http-equiv') || '').toLowerCase() === 'refresh')
      bad.push('<meta refresh>');
    if (tag === 'script' && !el.src && !/json/.test(el.type) && /xss\\d\\d/.test(el.textContent))
      bad.push('<script> from a payload');
  }
  return bad;
}"""


class Tripwire:
    """A browser context whose pages report any payload that ran."""

    def __init__(self, browser, *, csp: bool):
        self.context = browser.new_context(bypass_csp=not csp, java_script_enabled=True)
        self.context.add_init_script("window.__xss = undefined;")
        self.dialogs: list[str] = []
        self.pings: list[str] = []
        self.console: list[str] = []
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: "xss-ping" in r.url and self.pings.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.console.append(m.text))

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, url: str) -> dict:
        response = self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(150)  # onerror of a broken image, a toggle, a refresh
        return {"status": response.status if response else None,
                "global": self.page.evaluate("String(window.__xss)"),
                "dom": self.page.evaluate(DOM_FINDINGS),
                "url": self.page.url}

    def close(self):
        self.context.close()
