"""The shape of the code, held by rules read from its source (the ast module): no import cycle in
generator/ (imports inside functions count), no module over 800 lines, no function over 100
lines, no ``global`` statement, the shared types and the escaping importing nothing of the
package, each engine imported by its adapter alone (Material by none), every module saying what
it owns, the tools outside what a check or a build imports, and no test module importing another."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO, make_project

PACKAGE = REPO / "generator"
TOOLS = REPO / "tools"
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 100
LEAVES = ("generator.types", "generator.escape")
# the only module that may import each engine; none imports Material (the engines load it)
ENGINE_ADAPTERS = {"mkdocs": "generator.mkdocs_glue", "properdocs": "generator.properdocs_glue",
                   "material": None}


def _modules(folder: Path) -> dict[str, Path]:
    out = {}
    for path in sorted(folder.rglob("*.py")):
        parts = list(path.relative_to(folder.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules(PACKAGE)
CODE = {**MODULES, **_modules(TOOLS)}


def _imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports, anywhere in it (inside functions too), as full names."""
    out: set[str] = set()
    is_pkg = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.add(sub if sub in CODE else target)
    out.discard(name)
    return out


def _graph() -> dict[str, set[str]]:
    return {name: {m for m in _imports(name, path) if m in MODULES}
            for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_package_has_no_import_cycle():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(CODE))
def test_modules_are_small_and_have_no_global_statement(name: str):
    path = CODE[name]
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES, f"{name}: over {MAX_MODULE_LINES} lines"
    tree = ast.parse(source)
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []
    assert [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Global)] == []
    # and it opens with a sentence on what it owns
    doc = ast.get_docstring(tree)
    assert doc and len(doc.split()) >= 5, f"{name} does not say what it owns"


@pytest.mark.parametrize("name", LEAVES)
def test_the_shared_types_and_the_escaping_import_nothing_of_the_package(name: str):
    assert {m for m in _imports(name, MODULES[name]) if m.split(".")[0] == "generator"} == set()


@pytest.mark.parametrize("package", sorted(ENGINE_ADAPTERS))
def test_only_its_adapter_imports_an_engine(package: str):
    """Each engine is imported by its adapter alone, so that a build with ProperDocs never
    imports mkdocs; the plugin, the commands and the finishing pass import no engine."""
    importers = {name for name, path in MODULES.items()
                 if any(m.split(".")[0] == package for m in _imports(name, path))}
    adapter = ENGINE_ADAPTERS[package]
    assert importers == ({adapter} if adapter else set())


def test_the_package_never_imports_the_tools():
    assert {name for name, path in MODULES.items()
            if any(m.split(".")[0] == "tools" for m in _imports(name, path))} == set()


def test_a_check_and_a_build_load_nothing_of_the_tools(tmp_path: Path):
    """What a check and a build import, in a process of their own: the product's modules, never
    the benchmark's or the budget's."""
    project = make_project(tmp_path / "proj")
    driver = ("import json, sys\n"
              "from generator.cli import main\n"
              "codes = [main(['--root', sys.argv[1], 'check']),\n"
              "         main(['--root', sys.argv[1], 'build', '--site-dir', sys.argv[2]])]\n"
              "print(json.dumps([codes, sorted(sys.modules)]))\n")
    run = subprocess.run([sys.executable, "-c", driver, str(project), str(tmp_path / "site")],
                         capture_output=True, text=True, cwd=REPO, timeout=600)
    assert run.returncode == 0, run.stderr
    codes, modules = json.loads(run.stdout.splitlines()[-1])
    assert codes == [0, 0]
    assert "generator.mkdocs_glue" in modules and "generator.render" in modules
    assert [m for m in modules if m == "tools" or m.startswith("tools.")] == []


def test_no_test_module_imports_another():
    """Helpers the tests share live in tests/support.py (and fixtures in conftest.py)."""
    tests = {p.stem for p in (REPO / "tests").glob("*.py")} - {"support"}
    found = []
    for path in sorted((REPO / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and not node.level else []
            found += [f"{path.name} imports {n}" for n in names if n in tests]
    assert found == []


def test_hypothesis_keeps_its_files_outside_the_project():
    from hypothesis.configuration import storage_directory

    where = storage_directory("examples", intent_to_write=False)
    folder = Path(getattr(where, "path", where)).resolve()
    assert REPO not in folder.parents
