"""``./ledger export DIR``: a project that an engine builds without Frontier Ledger's plugin, for
any engine that reads mkdocs.yml (plain ``mkdocs build --strict``, ProperDocs, and the plan for
Zensical in docs/engines.md), finished afterwards by ``./ledger finish SITE``.

It writes ``DIR/mkdocs.yml`` (the project's, without the plugin and the folders only the plugin
watches, with ``docs_dir: docs``, ``custom_dir: overrides`` and the address the pages were
rendered for), ``DIR/docs/`` (every page render made, as Markdown with its front matter, the
edit link as ``edit_url`` among it; the hand-written assets of ``site_src/``; the chart files, the
downloads and the feed) and ``DIR/overrides/`` (a copy of the theme's overrides). Pages keep the
core's marks and the chart placeholders: the finishing pass sanitises the built pages and puts the
SVGs in, as the plugin does while it builds.

DIR must be new, empty, or an earlier export (it carries :data:`EXPORT_MARKER`), whose ``docs/``
and ``overrides/`` are replaced; nothing else is ever removed. Links are never followed or
copied. The engine reads ``mkdocs.yml`` (its ``!ENV`` values, the plugin's settings); nothing of the
export is written when the check fails.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from . import site_paths
from .engines import DEFAULT_ENGINE, EngineMissing, load_engine
from .problems import Problems
from .settings import Settings
from .sitedir import shown_path

EXPORT_MARKER = ".frontier-ledger-export"
PLUGIN = "frontier-ledger"
# source folders of the project that an export never writes into
_SOURCE_FOLDERS = ("site_src", "data", "templates", "overrides", "generator", "tools", "tests")


def export_project(root: Path, out: Path, *, engine: str = DEFAULT_ENGINE) -> int:
    """Check, render and write the project at ``root`` as a plain project into ``out``; the exit
    status (problems are printed, one a line, with a count)."""
    root, out = Path(root).resolve(), Path(out).resolve()
    refusal = _refuse_target(root, out)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    try:
        eng = load_engine(engine)
    except EngineMissing as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        cfg = eng.load_config(config_file=str(root / "mkdocs.yml"))
    except eng.abort as exc:
        print(f"mkdocs.yml: {exc}", file=sys.stderr)
        return 1
    plugin = next((p for name, p in cfg.plugins.items() if name == PLUGIN), None)
    options = plugin.config if plugin is not None else {}
    data_root = (root / options.get("data_root", ".")).resolve()
    docs = Path(cfg.docs_dir)
    settings = Settings.for_project(
        data_root, site_src=Path(os.path.relpath(docs, data_root)).as_posix(),
        templates=options.get("templates", "templates"), site_url=cfg.site_url,
        edit_url_base=options.get("edit_url_base"))
    problems = Problems()
    pages = _rendered(settings, problems)
    if problems.failed(strict=True):
        print(problems.report(), file=sys.stderr)
        return 1
    if problems.notices:  # they inform, as in a build, and the export goes on
        print(problems.report())
    _clear(out)
    written = _write_docs(pages, docs, out / "docs")
    custom = cfg.theme.custom_dir
    if custom and os.path.isdir(custom):
        _copy_tree(Path(custom), out / "overrides")
    (out / "mkdocs.yml").write_text(exported_config(root / "mkdocs.yml", cfg.site_url),
                                    encoding="utf-8")
    (out / EXPORT_MARKER).write_text("Written by ./ledger export; a later export replaces it.\n",
                                     encoding="utf-8")
    print(f"wrote {written} files to {shown_path(out, root)}/docs; build it with "
          f"`{eng.name} build --strict` in {shown_path(out, root)}, then run ./ledger finish on "
          "the site")
    return 0


def _refuse_target(root: Path, out: Path) -> str | None:
    shown = shown_path(out, root)
    if out == root or out in root.parents or any(
            out == root / f or root / f in out.parents for f in _SOURCE_FOLDERS):
        return f"{shown}: refusing to write generated files into the source tree"
    if out.is_symlink() or out.exists() and not out.is_dir():
        return f"{shown}: is not a folder; choose a new folder for the export"
    if out.is_dir() and any(out.iterdir()) and not (out / EXPORT_MARKER).is_file():
        return (f"{shown}: is a folder that no export made (no {EXPORT_MARKER} in it); choose a "
                "new or empty folder")
    return None


def _rendered(settings: Settings, problems: Problems) -> list:
    """Every page and file render makes, the charts rendered (their placeholders stay)."""
    from .load import load
    from .render import render

    ds = load(settings.root, problems, **settings.load_options())
    if problems.errors:
        return []
    rendered = render(ds, settings, problems)
    failed = rendered.charts.finish()
    problems.items.extend(failed)
    return rendered.pages


def _clear(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in ("docs", "overrides"):
        p = out / name
        if p.is_symlink() or p.is_file():
            p.unlink()
        elif p.is_dir():
            shutil.rmtree(p)


def _write_docs(pages: list, site_src: Path, docs: Path) -> int:
    """The rendered pages and files, and the hand-written files of ``site_src`` that are not
    pages (the assets, as the plugin's engine would collect them), into ``docs``."""
    n = 0
    for page in pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        content = page.content  # a FilePage's waits for its chart
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        n += 1
    for folder, dirs, files in os.walk(site_src):
        rel = Path(folder).relative_to(site_src)
        dirs[:] = sorted(d for d in dirs if not site_paths.ignored(d) and
                         not os.path.islink(os.path.join(folder, d)))
        for name in sorted(files):
            path = (rel / name).as_posix()
            src = Path(folder) / name
            if name.endswith(".md") or site_paths.ignored(name) or src.is_symlink() or \
                    not src.is_file() or site_paths.path_problem(path) is not None or \
                    (docs / path).exists():
                continue  # pages come from render; anything else the check refused
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, docs / path)
            n += 1
    return n


def _copy_tree(src: Path, dst: Path) -> None:
    """Regular files and folders only: a link is never followed or copied."""
    for folder, dirs, files in os.walk(src):
        rel = Path(folder).relative_to(src)
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
        (dst / rel).mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            p = Path(folder) / name
            if not p.is_symlink() and p.is_file():
                shutil.copyfile(p, dst / rel / name)


def exported_config(path: Path, site_url: str | None) -> str:
    """The project's mkdocs.yml for the export: as written (its ``!ENV`` values and all, read as
    YAML nodes, so nothing is evaluated), without the plugin and ``watch``, with the docs and
    overrides folders of the export and the address the pages were rendered for."""
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    keep = []
    for key, value in root.value:
        name = key.value
        if name in ("watch", "docs_dir", "site_url"):
            continue
        if name == "plugins" and isinstance(value, yaml.SequenceNode):
            value.value = [v for v in value.value if _plugin_name(v) != PLUGIN]
        elif name == "plugins" and isinstance(value, yaml.MappingNode):
            value.value = [(k, v) for k, v in value.value if k.value != PLUGIN]
        elif name == "theme" and isinstance(value, yaml.MappingNode):
            value.value = [(k, v) for k, v in value.value if k.value != "custom_dir"]
            value.value.insert(1, (_scalar("custom_dir"), _scalar("overrides")))
        keep.append((key, value))
    head = [(_scalar("docs_dir"), _scalar("docs"))]
    if site_url:
        head.append((_scalar("site_url"), _scalar(site_url)))
    root.value = keep[:1] + head + keep[1:]
    out = io.StringIO()
    yaml.serialize(root, out, Dumper=yaml.SafeDumper, allow_unicode=True, width=100)
    return ("# Written by ./ledger export: the project's mkdocs.yml without the frontier-ledger\n"
            "# plugin, for an engine alone; build, then finish the site with ./ledger finish.\n"
            + out.getvalue())


def _plugin_name(node: Any) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.MappingNode) and len(node.value) == 1:
        return node.value[0][0].value
    return None


def _scalar(value: str) -> yaml.ScalarNode:
    return yaml.ScalarNode("tag:yaml.org,2002:str", value)
