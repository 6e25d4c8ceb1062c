"""The supply chain and the package: requirements.in, pyproject.toml and requirements.lock in step;
a lock of exact versions with every file's hash, installed by ./ledger with hash checking and one
line of output; ./ledger lock's pinned, hash-checked resolver; and a wheel that works as an install,
outside the checkout, with the locked dependencies (the `frontier-ledger` command and the MkDocs
plugin found through its entry points).

The set-up and the lock command run against stand-ins for Python, pip, pip-compile and npm, so they
need no network; the wheel is built and installed offline (no build isolation, no index), beside
the test environment's own packages."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from support import REPO, make_project

LOCK = REPO / "requirements.lock"
REQUIREMENTS_IN = REPO / "requirements.in"
PYPROJECT = REPO / "pyproject.toml"
ENTRY = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def pins(path: Path) -> dict[str, str]:
    """name → version of each `name==version` line (names normalised)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = ENTRY.match(line)
        if m:
            out[canonicalize_name(m.group(1))] = m.group(2)
    return out


def pyproject() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


def declared() -> dict[str, Requirement]:
    """Every requirement pyproject.toml declares: runtime, the extras, and the build back-end."""
    data = pyproject()
    reqs = [Requirement(r) for r in data["project"]["dependencies"]]
    for extra in data["project"]["optional-dependencies"].values():
        reqs += [Requirement(r) for r in extra]
    reqs += [Requirement(r) for r in data["build-system"]["requires"]]
    return {canonicalize_name(r.name): r for r in reqs}


# ---------------------------------------------------------------------------------------------
# requirements.in, pyproject.toml and requirements.lock in step


def test_requirements_in_pins_each_declared_dependency_inside_its_range():
    wanted, pinned = declared(), pins(REQUIREMENTS_IN)
    assert sorted(pinned) == sorted(wanted)
    outside = [f"{name}=={pinned[name]} is outside '{req.specifier}'"
               for name, req in wanted.items() if pinned[name] not in req.specifier]
    assert outside == []


def test_the_extras_and_the_runtime_dependencies():
    data = pyproject()["project"]
    assert sorted(data["optional-dependencies"]) == ["test", "tools"]
    names = {k: sorted(canonicalize_name(Requirement(r).name) for r in v)
             for k, v in data["optional-dependencies"].items()}
    assert names == {"test": ["hypothesis", "playwright", "pytest"],
                     "tools": ["check-jsonschema", "pip-tools", "pre-commit", "zizmor"]}
    assert "mkdocs>=1.6.1,<2" in data["dependencies"]  # MkDocs 2 has no plugins
    assert data["scripts"] == {"frontier-ledger": "generator.cli:main"}
    assert "properdocs>=1.6.7,<2" in data["dependencies"]  # the second engine
    assert data["entry-points"]["mkdocs.plugins"] == {
        "frontier-ledger": "generator.mkdocs_glue:LedgerPlugin"}
    assert data["entry-points"]["properdocs.plugins"] == {
        "frontier-ledger": "generator.properdocs_glue:LedgerPlugin"}


def test_the_lock_holds_each_pin_of_requirements_in():
    """A pull request that bumps requirements.in alone (Dependabot's do) fails here until the lock
    is made again."""
    locked = pins(LOCK)
    stale = [f"requirements.in pins {name}=={version} but requirements.lock has "
             f"{locked.get(name, 'nothing')}: run ./ledger lock"
             for name, version in pins(REQUIREMENTS_IN).items() if locked.get(name) != version]
    assert stale == []


def test_every_locked_package_is_an_exact_version_with_its_hashes():
    entries: dict[str, list[str]] = {}
    name = None
    for n, line in enumerate(LOCK.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            name = None
            continue
        m = ENTRY.fullmatch(line.removesuffix(" \\"))
        if m:
            name = canonicalize_name(m.group(1))
            assert name not in entries, f"line {n}: {name} twice"
            entries[name] = []
        elif name and re.fullmatch(r"    --hash=sha256:[0-9a-f]{64}( \\)?", line):
            entries[name].append(line.split("sha256:")[1][:64])
        elif name and re.fullmatch(r"    #( via| {3}\S).*", line):
            pass
        else:
            pytest.fail(f"requirements.lock:{n}: not a pinned, hashed requirement: {line!r}")
    assert len(entries) > 50
    assert [n for n, hashes in entries.items() if not hashes] == []
    # pip itself and the build back-end are pinned too (--allow-unsafe)
    assert {"pip", "setuptools", "pip-tools"} <= entries.keys()


def test_the_lock_has_every_file_of_a_release_not_only_this_machine_s():
    """pip-compile hashes every file of each pinned release, so the lock installs on Linux x86_64
    and aarch64 alike (and any Python the release has wheels for). A package with compiled code
    has wheels for many platforms: one hash each."""
    text = LOCK.read_text(encoding="utf-8")
    for compiled in ("pydantic-core", "markupsafe", "pyyaml", "lxml", "rpds-py"):
        block = re.search(rf"(?ms)^{compiled}==\S+ \\\n(.*?)^\S", text)
        assert block, compiled
        assert block.group(1).count("--hash=sha256:") >= 20, compiled


def test_the_test_environment_is_exactly_the_lock():
    """./ledger made the environment running this test from the lock and nothing else (the project
    itself aside): a virtual environment made afresh whenever the lock changes."""
    from importlib.metadata import distributions

    here = {canonicalize_name(d.metadata["Name"]): d.version for d in distributions()}
    assert here.pop("frontier-ledger") == pyproject()["project"]["version"]
    assert here == pins(LOCK)


# ---------------------------------------------------------------------------------------------
# ./ledger's set-up and ./ledger lock, against stand-ins (no network)

TOOLING = ("ledger", "requirements.in", "requirements.lock", "pyproject.toml", "package.json",
           "package-lock.json")
PIP = ["-m", "pip", "--disable-pip-version-check", "--no-input", "install", "--progress-bar",
       "off"]

# The Python ./ledger is given (LEDGER_PYTHON): `-m venv DIR` makes a stand-in environment, and
# anything else runs the real Python (the version check, the lock reader).
STUB_PY = """#!{real}
import os, shutil, sys
from pathlib import Path
args = sys.argv[1:]
if args[:2] == ["-m", "venv"]:
    venv = Path(args[-1])
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    (venv / "pyvenv.cfg").write_text("stand-in\\n")
    for tool in ("python", "pip-compile"):
        shutil.copy2(Path({stubs!r}) / tool, venv / "bin" / tool)
    with open({log!r}, "a") as f:
        f.write("venv " + " ".join(a.replace(os.environ["STUB_HOME"], "HOME") for a in args[2:])
                + "\\n")
    sys.exit(0)
os.execv({real!r}, [{real!r}, *args])
"""

# The environment's python: records each call, keeps a copy of the part of the lock it was given,
# prints what pip would (which must not reach the terminal), fails where STUB_FAIL says.
STUB_VENV_PY = """#!{real}
import json, os, shutil, sys
args = sys.argv[1:]
with open({log!r}, "a") as f:
    f.write(json.dumps(args) + "\\n")
if args[:2] == ["-m", "pip"]:
    for i, a in enumerate(args):
        if a == "-r" and not args[i + 1].endswith("requirements.lock"):
            shutil.copy2(args[i + 1], os.path.join({parts!r}, os.path.basename(args[i + 1])))
    print("Collecting lots of things ...")
    print("WARNING: pip noise", file=sys.stderr)
    if os.environ.get("STUB_FAIL") and os.environ["STUB_FAIL"] in args:
        print("ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.")
        sys.exit(1)
"""

STUB_PIP_COMPILE = """#!{real}
import json, os, sys
args = sys.argv[1:]
env = {{k: os.environ.get(k) for k in ("PIP_CONFIG_FILE", "PIP_FIND_LINKS", "PIP_INDEX_URL",
                                      "PIP_EXTRA_INDEX_URL", "CUSTOM_COMPILE_COMMAND")}}
with open({log!r}, "a") as f:
    f.write(json.dumps({{"pip-compile": args, "env": env}}) + "\\n")
out = args[args.index("--output-file") + 1]
with open(out, "w") as f:
    f.write("#\\n# This file is autogenerated by pip-compile with Python 3.11\\n"
            "# by the following command:\\n#\\n#    ./ledger lock\\n#\\n"
            "newpkg==1.0 \\\\\\n    --hash=sha256:" + "0" * 64
            + "\\n    # via -r requirements.in\\n")
"""

STUB_NPM = """#!/bin/sh
echo "npm $*" >> "{log}"
echo "added 300 packages"
mkdir -p node_modules
"""


class Stubs:
    """A project folder with ./ledger and its lock files, stand-ins and a record of their calls."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.root = tmp / "proj"
        self.root.mkdir()
        for name in TOOLING:
            shutil.copy2(REPO / name, self.root / name)
        self.home = tmp / "home"
        self.bin = tmp / "stubs"
        self.bin.mkdir()
        self.parts = tmp / "parts"
        self.parts.mkdir()
        self.log = tmp / "calls.log"
        real = sys.executable
        for name, text in (("python3", STUB_PY), ("python", STUB_VENV_PY),
                           ("pip-compile", STUB_PIP_COMPILE), ("npm", STUB_NPM),
                           ("chromium", "#!/bin/sh\n")):
            path = self.bin / name
            path.write_text(text.format(real=real, stubs=str(self.bin), log=str(self.log),
                                        parts=str(self.parts)))
            path.chmod(0o755)
        self.cache = self.home / hashlib.sha256(os.fsencode(str(self.root))).hexdigest()[:16]

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        base = {k: v for k, v in os.environ.items()
                if k not in ("LEDGER_VENV", "LEDGER_NODE_MODULES", "XDG_CACHE_HOME", "CHROMIUM")}
        path = f"{self.bin}:{base.get('PATH', '/usr/bin:/bin')}"
        return subprocess.run(
            ["bash", str(self.root / "ledger"), *args], cwd=self.root, capture_output=True,
            text=True, timeout=120,
            env={**base, "PATH": path, "LEDGER_PYTHON": str(self.bin / "python3"),
                 "LEDGER_CACHE_HOME": str(self.home), "STUB_HOME": str(self.home),
                 "CHROMIUM": str(self.bin / "chromium"),
                 "GIT_CEILING_DIRECTORIES": str(self.tmp), **env})

    def calls(self) -> list:
        if not self.log.exists():
            return []
        out = []
        for line in self.log.read_text().splitlines():
            out.append(json.loads(line) if line.startswith(("[", "{")) else line)
        return out

    def part(self, name: str) -> list[str]:
        """The packages of a part of the lock that pip was given."""
        return [ENTRY.match(line).group(1)
                for line in (self.parts / name).read_text().splitlines() if ENTRY.match(line)]


def _lock_entry(name: str) -> str:
    """The lines of one package of requirements.lock, hashes included, without its notes."""
    text = LOCK.read_text(encoding="utf-8")
    m = re.search(rf"(?ms)^{re.escape(name)}==.*?(?=^    #|^\S)", text)
    assert m, name
    return m.group(0).rstrip("\n")


def test_first_run_set_up_says_one_line_and_installs_the_lock_with_hashes_checked(tmp_path):
    s = Stubs(tmp_path)
    run = s.run("check")
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert run.stderr == ("ledger: setting up the Python environment from requirements.lock "
                          f"(log: {s.cache}/setup.log) ...\n")
    venv = str(s.cache / "venv")
    assert s.calls() == [
        "venv --clear HOME/" + s.cache.name + "/venv",
        [*PIP, "--require-hashes", "-r", f"{s.cache}/setup-part.txt"],
        [*PIP, "--require-hashes", "--no-build-isolation", "-r", "requirements.lock"],
        [*PIP, "--no-deps", "--no-build-isolation", "-e", "."],
        ["-m", "generator", "check"],
    ]
    # first pip and setuptools, so that a package published only as source is built with them
    assert s.part("setup-part.txt") == ["pip", "setuptools"]
    assert (s.parts / "setup-part.txt").read_text() == (
        _lock_entry("pip") + "\n" + _lock_entry("setuptools") + "\n")
    # what pip printed is in the log, not on the terminal
    log = (s.cache / "setup.log").read_text()
    assert log.count("Collecting lots of things ...") == 3
    assert log.count("WARNING: pip noise") == 3
    lock = LOCK.read_bytes() + PYPROJECT.read_bytes()
    assert (Path(venv) / ".ledger-lock").read_text() == hashlib.sha256(lock).hexdigest()[:16] + "\n"
    # the next run has nothing to set up, and says nothing
    again = s.run("check")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert s.calls()[-1] == ["-m", "generator", "check"] and len(s.calls()) == 6


def test_a_failed_set_up_shows_the_end_of_its_log_and_sets_nothing_up(tmp_path):
    s = Stubs(tmp_path)
    run = s.run("build", STUB_FAIL="requirements.lock")
    log = s.cache / "setup.log"
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0] == ("ledger: setting up the Python environment from requirements.lock "
                        f"(log: {log}) ...")
    assert lines[1] == (f"ledger: set-up failed while installing requirements.lock. The end of its "
                        f"log, {log}:")
    assert lines[2:] == ["  | " + ln for ln in log.read_text().splitlines()]  # a short log, whole
    assert lines[-3:] == ["  | Collecting lots of things ...", "  | WARNING: pip noise",
                          "  | ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS "
                          "FILE."]
    assert ["-m", "generator", "build"] not in s.calls()  # nothing ran after it
    assert not (s.cache / "venv" / ".ledger-lock").exists()  # so the next run sets up again
    again = s.run("build")
    assert again.returncode == 0 and again.stderr.startswith("ledger: setting up")


def test_the_browser_tools_are_set_up_in_the_same_one_line(tmp_path):
    s = Stubs(tmp_path)
    run = s.run("test", "-q")
    assert run.returncode == 0, run.stderr
    assert run.stderr == (
        "ledger: setting up the Python environment from requirements.lock and the Node tools "
        f"from package-lock.json (log: {s.cache}/setup.log) ...\n")
    assert run.stdout == ""
    assert "npm ci --ignore-scripts --no-audit --no-fund" in s.calls()
    assert s.calls()[-1] == ["-m", "pytest", "-q"]
    assert "added 300 packages" in (s.cache / "setup.log").read_text()
    again = s.run("test", "-q")
    assert (again.returncode, again.stderr) == (0, "")


def test_the_tests_set_up_liberation_sans_where_it_is_missing(tmp_path):
    """The share cards' outlines are checked against Liberation Sans: where it is missing, the
    test command installs Debian's fonts-liberation in the same one line (as root)."""
    s = Stubs(tmp_path)
    (s.bin / "apt-get").write_text(f"#!/bin/sh\necho \"apt-get $*\" >> {s.log}\n")
    (s.bin / "apt-get").chmod(0o755)
    (s.bin / "id").write_text("#!/bin/sh\necho 0\n")
    (s.bin / "id").chmod(0o755)
    run = s.run("test", "-q", LEDGER_FONT_DIRS=str(tmp_path / "no-fonts"))
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith("ledger: setting up the Python environment from "
                                 "requirements.lock, Debian's Liberation fonts and the Node tools")
    assert "apt-get install -y -qq fonts-liberation" in s.calls()


def test_a_folder_that_is_not_a_virtual_environment_is_never_cleared(tmp_path):
    s = Stubs(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me\n")
    run = s.run("check", LEDGER_VENV=str(mine))
    assert (run.returncode, run.stderr) == (2, (
        f"ledger: {mine} holds files but no virtual environment; nothing was changed: point "
        "LEDGER_VENV at an empty or new folder\n"))
    assert (mine / "notes.txt").read_text() == "keep me\n"
    assert s.calls() == []


def test_lock_installs_the_pinned_resolver_from_the_lock_and_resolves_against_pypi_alone(
        tmp_path):
    s = Stubs(tmp_path)
    run = s.run("lock", "--upgrade-package", "jinja2",
                PIP_FIND_LINKS="/opt/wheels", PIP_EXTRA_INDEX_URL="file:///mirror")
    assert run.returncode == 0, run.stderr
    made_with = subprocess.run(
        [sys.executable, "-c", "import platform; print(platform.python_version(), "
         "platform.system(), platform.machine())"], capture_output=True, text=True).stdout.split()
    assert run.stderr == (
        f"ledger: resolving requirements.in into requirements.lock with Python "
        f"{made_with[0].rsplit('.', 1)[0]} (log: {s.cache}/lock.log) ...\n"
        "ledger: requirements.lock updated; review the diff, run ./ledger test, commit.\n")
    calls = s.calls()
    assert calls[0].startswith("venv ") and calls[0].endswith("/venv")
    assert calls[1][:-1] == [*PIP, "--require-hashes", "-r"]
    assert calls[1][-1].endswith("/resolver.txt")
    # pip-tools and exactly what it needs, as the lock has them (hashes and all)
    assert s.part("resolver.txt") == ["build", "click", "packaging", "pip", "pip-tools",
                                      "pyproject-hooks", "setuptools", "wheel"]
    compile_call = calls[2]["pip-compile"]
    assert compile_call[:10] == [
        "--quiet", "--generate-hashes", "--allow-unsafe", "--strip-extras", "--no-build-isolation",
        "--no-emit-index-url", "--no-emit-find-links", "--index-url", "https://pypi.org/simple",
        "--output-file"]
    assert compile_call[10].endswith("/requirements.lock")  # a copy: pins kept, written at the end
    assert compile_call[11:] == ["--upgrade-package", "jinja2", "requirements.in"]
    assert calls[2]["env"] == {"PIP_CONFIG_FILE": "/dev/null", "PIP_FIND_LINKS": None,
                               "PIP_INDEX_URL": None, "PIP_EXTRA_INDEX_URL": None,
                               "CUSTOM_COMPILE_COMMAND": "./ledger lock"}
    assert (s.root / "requirements.lock").read_text() == (
        f"# requirements.lock: made by ./ledger lock from requirements.in with Python "
        f"{made_with[0]} ({made_with[1]} {made_with[2]}).\n"
        f"# Installed by ./ledger with pip install --require-hashes; CI runs Python "
        f"{made_with[0].rsplit('.', 1)[0]} too.\n"
        "#\n# This file is autogenerated by pip-compile with Python 3.11\n"
        "# by the following command:\n#\n#    ./ledger lock\n#\n"
        "newpkg==1.0 \\\n    --hash=sha256:" + "0" * 64 + "\n    # via -r requirements.in\n")


# ---------------------------------------------------------------------------------------------
# The wheel, installed outside the checkout


def _tracked(folder: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", "--", folder], cwd=REPO, capture_output=True,
                         check=True).stdout.decode()
    return sorted(p for p in out.split("\0") if p and (REPO / p).is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built offline (no build isolation: the lock's setuptools) from a
    copy of the tracked files, so that nothing is written into the checkout."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    for rel in _tracked("."):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, src / rel)
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-index",
                          "--no-build-isolation", "-q", "-w", str(tmp / "dist"), str(src)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    [built] = (tmp / "dist").glob("*.whl")
    assert built.name == f"frontier_ledger-{pyproject()['project']['version']}-py3-none-any.whl"
    return built


def test_the_wheel_holds_every_file_of_the_generator_and_the_entry_points(wheel: Path):
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA")).rsplit("/", 1)[0]
        entry_points = z.read(f"{info}/entry_points.txt").decode()
        metadata = z.read(f"{info}/METADATA").decode()
    assert sorted(n for n in names if not n.startswith(info + "/")) == _tracked("generator")
    assert entry_points.split() == [
        "[console_scripts]", "frontier-ledger", "=", "generator.cli:main",
        "[mkdocs.plugins]", "frontier-ledger", "=", "generator.mkdocs_glue:LedgerPlugin",
        "[properdocs.plugins]", "frontier-ledger", "=", "generator.properdocs_glue:LedgerPlugin"]
    requires = [line.split(": ", 1)[1] for line in metadata.splitlines()
                if line.startswith("Requires-Dist: ")]
    runtime = [r for r in requires if "extra ==" not in r]
    assert sorted(map(str, map(Requirement, runtime))) == sorted(
        str(Requirement(r)) for r in pyproject()["project"]["dependencies"])
    assert "Requires-Python: >=3.11" in metadata.splitlines()


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed, its dependencies being the locked ones
    of the test environment: their folders are linked into one the new environment reads (a .pth
    file), without this project's own editable install, and pip installs the wheel with no index,
    so it must find every dependency there, in the versions pyproject.toml asks for."""
    tmp = tmp_path_factory.mktemp("installed")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"], capture_output=True,
                               text=True, check=True).stdout.strip())
    deps = tmp / "locked-deps"
    deps.mkdir()
    ours = ("frontier_ledger", "__editable__", "generator")
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(ours) and entry.name != "__pycache__":
            (deps / entry.name).symlink_to(entry)
    (site / "locked-deps.pth").write_text(f"{deps}\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    run = subprocess.run([*pip, "install", "--no-index", str(wheel)], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    check = subprocess.run([*pip, "check"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    return venv


def _outside(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}"
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path, tmp_path: Path):
    run = _outside(installed, tmp_path, str(installed / "bin" / "python"), "-c",
                   "import importlib.metadata as m, generator\n"
                   "print(generator.__file__)\n"
                   "ep = m.entry_points(group='mkdocs.plugins')['frontier-ledger']\n"
                   "print(ep.value, ep.dist.locate_file(''))")
    assert run.returncode == 0, run.stderr
    module, plugin = run.stdout.splitlines()
    site = sorted((installed / "lib").glob("python3.*/site-packages"))[0]
    assert Path(module) == site / "generator" / "__init__.py"
    assert plugin == f"generator.mkdocs_glue:LedgerPlugin {site}"


def test_the_installed_command_checks_and_builds_a_project_outside_the_checkout(
        installed: Path, tmp_path: Path):
    project = make_project(tmp_path / "a project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    check = _outside(installed, elsewhere, "frontier-ledger", "check", "--root", str(project))
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.splitlines()[0] == "no problems found"
    assert re.fullmatch(r"checked in \d+\.\d\d s; \d+ pages would be built",
                        check.stdout.splitlines()[1])
    build = _outside(installed, elsewhere, "frontier-ledger", "build", "--root", str(project))
    assert build.returncode == 0, build.stdout + build.stderr
    site = project / "site"
    # pages only the plugin makes (in-memory pages from data/), and the build's own mark
    assert (site / "companies" / "acme-ai" / "index.html").is_file()
    assert (site / ".frontier-ledger-site").is_file()
    assert not (elsewhere / "site").exists()
    # the usage names the installed command
    usage = _outside(installed, elsewhere, "frontier-ledger", "--help")
    assert usage.stdout.startswith("usage: frontier-ledger ")
