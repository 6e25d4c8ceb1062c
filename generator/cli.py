"""The command line: ``python -m generator check|build|serve|export|finish|schemas|…``.

This is the thin shell around the pure core. Problems are printed one a line, with a count, and the
exit status is 1; there is never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .engines import DEFAULT_ENGINE, ENGINES
from .problems import Problem, Problems

if TYPE_CHECKING:
    from .settings import Settings


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()


def _settings(root: Path, **values) -> Settings:
    """The run's settings (imported here: a check answered from its cache imports none of the
    core, generator.checkcache)."""
    from .settings import Settings

    return Settings.for_project(root, **values)


def run_check(root: Path | None = None, *, explain: bool = False,
              settings: Settings | None = None) -> tuple[Problems, list]:
    """Load, validate and render everything (nothing is written), by ``settings`` (a check of the
    project at ``root`` by default). Returns problems and pages; a run that is not a check waits
    for its charts and puts them into the pages (see Rendered.complete)."""
    from .collector import settle
    from .load import load
    from .recordcache import record_cache
    from .render import render

    settings = settings or _settings(root, check=True)
    problems = Problems()
    ds = load(settings.root, problems, **settings.load_options(), cache=record_cache(settings))
    pages = []
    if not problems.errors:
        settle(settings)  # the dataset lives until the check ends
        rendered = render(ds, settings, problems)
        pages = rendered.pages if settings.check else rendered.complete()
    if explain:
        for line in understood(ds):
            print(line)
    return problems, pages


def understood(ds) -> list[str]:
    """What each amount of money was read as, so a contributor can see it was understood."""
    from .values import Money

    out = []
    for rel, doc in sorted(ds.documents.items()):
        def walk(value, path):
            if isinstance(value, dict):
                for k, v in value.items():
                    yield from walk(v, path + (k,))
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    yield from walk(v, path + (i,))
            elif isinstance(value, str):
                yield path, value

        from .reader import format_path
        from .values import parse_money

        for path, text in walk(doc.restored().data, ()):
            try:
                money = parse_money(text)
            except Exception:  # not an amount: nothing to show
                continue
            if isinstance(money, Money):
                line, col = doc.where(path)
                # formatted as a problem line is, so that nothing quoted reaches the terminal raw
                out.append(Problem(rel, line, col, format_path(path),
                                   f"{text!r} is read as {money.exact()}").format())
    return out


def cmd_check(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    root = _root(args)
    kept = None if args.clean or args.explain else _kept_check(root)
    if kept is not None:
        cache, key, answer = kept
        if answer is not None:
            problems = Problems()
            problems.extend(Problem(*item) for item in answer["problems"])
            return _check_said(problems, answer["pages"], args, t0,
                               " (nothing it reads has changed since it was last checked)")
    settings = _settings(root, check=True, own_process=True, clean=args.clean)
    problems, pages = run_check(explain=args.explain, settings=settings)
    from .checkcache import page_count

    if kept is not None and _kept_check(root, cache)[1] == key:  # nothing changed meanwhile
        cache.remember(key, problems, page_count(pages))
    return _check_said(problems, page_count(pages), args, t0)


def _kept_check(root: Path, cache=None):
    """(the check cache, the key of the files as they are now, the answer kept for it)."""
    from .checkcache import check_cache, check_inputs

    cache = cache or check_cache(root)
    key = cache.key(check_inputs(root))
    return cache, key, cache.answer(key)


def _check_said(problems: Problems, pages: int, args: argparse.Namespace, t0: float,
                kept: str = "") -> int:
    report = problems.report()
    failed = problems.failed(strict=not args.lenient)
    print(report, file=sys.stderr if failed else sys.stdout)
    if not failed:
        print(f"checked in {time.perf_counter() - t0:.2f} s; {pages} pages would be built{kept}")
    return 1 if failed else 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_project

    return export_project(_root(args), Path(args.out), engine=args.engine)


def cmd_finish(args: argparse.Namespace) -> int:
    from .finish import finish_site
    from .sitedir import shown_path

    site = Path(args.site).resolve()
    shown = shown_path(site, _root(args))
    if site.is_symlink() or not site.is_dir():
        print(f"{shown}: is not a folder of a built site", file=sys.stderr)
        return 1
    problems = Problems()
    n = finish_site(site, shown, problems)
    if problems.errors:
        print(problems.report(), file=sys.stderr)
        print(f"nothing was changed in {shown}/", file=sys.stderr)
        return 1
    print(f"finished {n} pages in {shown}/")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .engine_run import build_site

    return build_site(_root(args), Path(args.site_dir), strict=True, engine=args.engine,
                      clean=args.clean, settings=_settings(_root(args),
                                                                     own_process=True))


def cmd_serve(args: argparse.Namespace) -> int:
    from .engine_run import serve

    return serve(_root(args), args.addr, engine=args.engine, clean=args.clean,
                 settings=_settings(_root(args), serve=True, own_process=True))


def cmd_schemas(args: argparse.Namespace) -> int:
    from .schema import write_schemas

    written = write_schemas(_root(args) / "schemas", _settings(_root(args)).kinds.data)
    for p in written:
        print(f"wrote {p}")
    return 0


def cmd_new_company(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, new_company

    try:
        path = new_company(_root(args), args.id, args.name, args.kind, args.summary)
    except ScaffoldError as exc:
        print(f"new-company: {exc}", file=sys.stderr)
        return 2
    rel = f"data/companies/{path.name}"
    if args.summary is None:
        print(f"created {rel}; write the summary (the line marked FILL IN), add events if you "
              "have them, then run ./ledger check")
    else:
        print(f"created {rel}; add events if you have them, then run ./ledger check")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .datadiff import DiffError, diff, format_result

    try:
        result = diff(_root(args), args.base)
    except DiffError as exc:
        print(f"diff: {exc}", file=sys.stderr)
        return 2
    print(format_result(result, args.base, markdown=args.markdown))
    return result.code


def main(argv: list[str] | None = None) -> int:
    # Named as it was started: `frontier-ledger` (the installed command) or `python -m generator`.
    prog = os.path.basename(sys.argv[0]) if argv is None else ""
    parser = argparse.ArgumentParser(prog=prog if prog not in ("", "__main__.py") else
                                     "python -m generator", description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=".", help="project folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="check all data and articles; print every problem")
    p.add_argument("--lenient", action="store_true", help="report warnings without failing")
    p.add_argument("--explain", action="store_true", help="also show how every amount was read")
    p.add_argument("--clean", action="store_true",
                   help="check everything afresh: read no cache (kept answers, checked records)")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("build", help="check, then build the site atomically into site/")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--clean", action="store_true", help="use no cache: convert every page")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("serve", help="serve the site locally with live reload")
    p.add_argument("--addr", default="127.0.0.1:8000")
    p.add_argument("--clean", action="store_true", help="use no cache for the first build")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("export", help="write a project that plain mkdocs (or properdocs) builds: "
                                      "mkdocs.yml, the generated docs/, overrides/")
    p.add_argument("out")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("finish", help="finish a site built from an export: sanitise every page, "
                                      "place the charts, add the policy (refuses foreign pages)")
    p.add_argument("site")
    p.set_defaults(func=cmd_finish)
    p = sub.add_parser("schemas", help="regenerate the JSON Schemas in schemas/")
    p.set_defaults(func=cmd_schemas)
    p = sub.add_parser("new-company", help="create data/companies/ID.yaml from a template")
    p.add_argument("id", help="the new file's name without .yaml, e.g. example-labs")
    p.add_argument("--name", required=True, help="the company's name, e.g. 'Example Labs'")
    p.add_argument("--kind", required=True, help="ai-lab, cloud-provider, chipmaker, investor, ...")
    p.add_argument("--summary", help="two or three sentences (otherwise left for you to write)")
    p.set_defaults(func=cmd_new_company)
    p = sub.add_parser("diff", help="what the data changes since a git revision mean, in words")
    p.add_argument("base", help="a git revision: a branch (main), tag or commit id")
    p.add_argument("--markdown", action="store_true", help="format for a GitHub job summary")
    p.set_defaults(func=cmd_diff)
    for name in ("build", "serve", "export"):
        sub.choices[name].add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                                       help=f"the engine to build with (default {DEFAULT_ENGINE})")
    for p in sub.choices.values():  # `frontier-ledger check --root DIR` as well as before it
        p.add_argument("--root", default=argparse.SUPPRESS, help="project folder")
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug of ours must still not greet a contributor
        # with a traceback; the one line below is what a maintainer needs to reproduce it.
        print(f"internal error: {type(exc).__name__}: {exc}. This is a bug in the generator, "
              "not in your files; please report it with the command you ran.", file=sys.stderr)
        if os.environ.get("LEDGER_DEBUG"):
            raise
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
