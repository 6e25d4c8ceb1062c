"""The benchmark (tools/bench.py, ``./ledger bench``): its synthetic project is valid and
realistic, and its table prints. No timing is asserted here: the benchmark prints figures, it is
not a timed test."""

from __future__ import annotations

import os

import yaml

from support import REPO, run_cli
from tools import bench, synthetic


def test_the_synthetic_project_passes_the_check(tmp_path, capsys):
    info = synthetic.synthetic_project(tmp_path / "proj", 12)
    root = tmp_path / "proj"
    companies = sorted((root / "data/companies").glob("*.yaml"))
    assert len(companies) == len(info["companies"]) == 12
    assert info["articles"] >= 1 and info["sources"] >= 12
    # the project's own templates, theme and configuration
    for name in ("templates/company.md.j2", "mkdocs.yml", "site_src/assets/ledger.css"):
        assert (root / name).read_bytes() == (REPO / name).read_bytes()
    # realistic: about eight events, three relationships and a profile chart a company
    events = rels = 0
    for f in companies:
        doc = yaml.safe_load(f.read_text())
        events += len(doc.get("events", []))
        rels += len(doc.get("relationships", []))
    assert events >= 6 * 12 and rels == 3 * 12
    run = run_cli(capsys, root, "check")
    assert run.code == 0, run.text
    assert run.lines[0] == "no problems found"
    # the edit the benchmark makes keeps the project valid
    original = synthetic.edit_company(companies[5], 0)
    assert companies[5].read_text() != original
    assert run_cli(capsys, root, "check").code == 0


def test_the_plain_mkdocs_configuration_drops_only_our_plugin():
    text = bench.plain_mkdocs_config((REPO / "mkdocs.yml").read_text())
    config = yaml.load(text, Loader=_EnvLoader)
    assert config["docs_dir"] == "docs" and "watch" not in config
    assert config["plugins"] == [{"search": {"separator": '[\\s\\-,:;!?()"]+|\\.(?!\\d)'}}]
    assert config["theme"]["name"] == "material" and config["nav"]
    # the navigation lists index pages, never a page per company (that grows quadratically)
    assert not any("companies/" in str(v) and "index" not in str(v) for v in config["nav"])


def test_the_table_prints_medians_and_ratios():
    a = bench.SizeResult(100, pages=113, check=[0.5, 0.7, 0.6], check_edit=[0.9, 0.8, 1.2],
                         cold=[20.0], warm=[10.0, 12.0, 11.0],
                         rebuild=[11.0], plain=[10.0], peak_cold=[150.0], peak_warm=[140.0],
                         peak_plain=[60.0], tree_cold=[450.0], reload=[1.5, 1.25, 3.0],
                         serve_rebuild=[0.9, 0.7, 2.0])
    b = bench.SizeResult(1000, pages=1017, check=[4.0], cold=[150.0], warm=[90.0], rebuild=[91.0],
                         plain=[80.0], peak_cold=[400.0], peak_warm=[380.0], peak_plain=[250.0])
    lines = bench.format_table([a, b]).splitlines()
    assert lines[0].split()[:3] == ["N", "pages", "check"]
    row = lines[2].split()
    # reload and serve's rebuild within it: medians
    # the check (its kept answer) and the check after one file changed
    assert row[:9] == ["100", "113", "0.60", "0.90", "20.0", "11.0", "11.0", "1.50", "0.90"]
    assert "1.10×" in row and "2.00×" in row and "5%" in row
    assert lines[0].split()[-8:] == ["peak", "MB", "warm", "MB", "all", "MB", "plain", "MB"]
    # largest process, the warm build, all processes, plain MkDocs
    assert row[-4:] == ["150", "140", "450", "60.0"]
    assert lines[3].split()[3] == "—"  # no check after an edit measured at this size
    assert lines[3].split()[7:9] == ["—", "—"]  # no reload measured at this size
    assert lines[3].split()[:2] == ["1,000", "1,017"]
    assert lines[-1].startswith("growth N=100 → N=1,000 (10× the companies): warm 8.18×")
    # a size measured without plain MkDocs still prints
    c = bench.SizeResult(10, pages=20, check=[0.1], cold=[1.0], warm=[1.0], rebuild=[1.0])
    assert "—" in bench.format_table([c])


def test_serve_s_rebuild_times_are_read_from_its_log(tmp_path):
    log = tmp_path / "serve.log"
    assert bench.rebuild_times(log) == []  # no log yet
    log.write_text("INFO - Building documentation...\n"
                   "INFO - Documentation built in 61.20 seconds\n"
                   "INFO - [02:10:11] Detected file changes\n"
                   "INFO - Documentation built in 0.87 seconds\n", encoding="utf-8")
    assert bench.rebuild_times(log) == [61.2, 0.87]


class _EnvLoader(yaml.SafeLoader):
    pass


_EnvLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


def test_the_memory_of_a_build_and_its_workers_is_added_up():
    import subprocess
    import sys
    import time

    # a child holding 80 MB, as a chart worker would
    child = subprocess.Popen([sys.executable, "-c", "import time; b = bytearray(80 * 2**20); "
                              "b[::4096] = b'x' * len(b[::4096]); print(1, flush=True); "
                              "time.sleep(30)"], stdout=subprocess.PIPE)
    try:
        child.stdout.readline()  # the memory is touched
        alone = bench.tree_rss_mb(child.pid)
        with open("/proc/self/statm") as f:
            own = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        assert 80 <= alone < 120
        assert bench.tree_rss_mb(os.getpid()) >= own + alone - 1  # this process and its child
    finally:
        child.kill()
        child.wait()
    time.sleep(0.1)
    assert bench.tree_rss_mb(child.pid) == 0  # gone


def test_the_builds_run_as_a_contributor_s_python(tmp_path, monkeypatch):
    """Each build keeps its bytecode and its caches in the run's folder, whatever this machine's
    environment says."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("FL_CHART_WORKERS", "1")
    env = bench._env(tmp_path / "cache")
    assert "PYTHONDONTWRITEBYTECODE" not in env and "FL_CHART_WORKERS" not in env
    assert env["LEDGER_CACHE_HOME"] == env["FL_CHART_CACHE"] == str(tmp_path / "cache")
