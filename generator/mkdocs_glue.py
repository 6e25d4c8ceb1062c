"""The only module that imports MkDocs: a plugin that feeds the core's pages to MkDocs, and the
atomic build and serve commands.

``on_files`` runs :func:`generator.load.load` and :func:`generator.render.render` and hands MkDocs the
generated pages as in-memory files (nothing is written into ``site_src/``). Any problem stops the
build with the located report. :func:`build_site` builds into a fresh folder and swaps it into
place only when everything succeeded, so a failed build leaves the previous ``site/`` as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

import hashlib
import re
import zlib
from urllib.parse import quote

import nh3

from . import site_paths
from .escape import escape_unseen
from .load import load
from .problems import Problems, ProblemsFound
from .render import FilePage, render

log = logging.getLogger("mkdocs.plugins.frontier_ledger")


class LedgerConfig(Config):
    data_root = c.Type(str, default=".")  # project folder holding data/ and templates/, relative to mkdocs.yml
    templates = c.Type(str, default="templates")
    edit_url_base = c.Optional(c.Type(str))  # e.g. https://github.com/OWNER/REPO/edit/main/
    strict_data = c.Type(bool, default=True)  # warnings in data fail the build


# What page content may contain after Markdown: everything Markdown, the extensions in
# mkdocs.yml and the templates produce, and nothing that runs. The final HTML of every page's
# content goes through nh3 (ammonia) with this allow-list; chart SVGs are put back afterwards only
# when they are byte-for-byte one of the SVGs the generator rendered itself.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "nav", "ol", "p", "pre", "s", "section", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "role", "aria-label", "aria-labelledby",
          "aria-describedby", "aria-hidden", "aria-current",
          "data-search-exclude"},  # read, then removed, by the theme's search plugin
    "a": {"href", "rel", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "li": {"value"},
    "details": {"open"},
}
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def sanitize(html: str, trusted_svgs: set[str] | frozenset[str] = frozenset()) -> str:
    """Page content HTML → HTML with nothing that can run (see ALLOWED_TAGS)."""
    kept: list[str] = []

    def keep(m: re.Match) -> str:
        if m.group(0) in trusted_svgs:
            kept.append(m.group(0))
            return f'<span class="fl-svg-slot" id="fl-svg-slot-{len(kept) - 1}"></span>'
        return ""  # an SVG the generator did not make: dropped whole

    html = _SVG.sub(keep, html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"https", "http", "mailto"}, link_rel=None,
                      filter_style_properties={"text-align"}, strip_comments=True)
    for i, svg in enumerate(kept):
        clean = clean.replace(f'<span class="fl-svg-slot" id="fl-svg-slot-{i}"></span>', svg, 1)
    return clean


# The table of contents: the theme writes each entry's title into the page as HTML and its anchor
# into href="#…" as they are, outside the page's content, where the sanitiser above never looks.
# Every title goes through nh3 with no tag allowed (Python-Markdown makes them plain text with
# entities), and every anchor is kept to letters, digits, '-' and '_' (the ids the toc extension
# makes); an anchor that is not is renamed in the content too, so that its links still arrive.
_SAFE_ANCHOR = re.compile(r"[A-Za-z0-9_-]+")


def toc_anchor(anchor: str) -> str:
    """An anchor id as the table of contents may write it: letters, digits, '-' and '_'."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", anchor).strip("-") or "section"


def clean_toc(toc, html: str) -> str:
    """Sanitise the titles and anchors of ``toc`` (MkDocs's page.toc) in place; returns the
    page's content HTML with any renamed anchor renamed there too."""
    renamed: dict[str, str] = {}
    stack = list(toc or ())
    while stack:
        item = stack.pop()
        item.title = nh3.clean(str(item.title), tags=set(), attributes={},
                               strip_comments=True)
        if not _SAFE_ANCHOR.fullmatch(item.id):
            safe = toc_anchor(item.id)
            renamed[item.id] = safe
            item.id = safe
        stack.extend(item.children)
    if renamed:
        import html as _html

        def rename(m: re.Match) -> str:
            name, value = m.group(1), _html.unescape(m.group(2))
            key = value[1:] if name == "href" and value.startswith("#") else \
                value if name == "id" else None
            if key not in renamed:
                return m.group(0)
            return f'{name}="{"#" if name == "href" else ""}{renamed[key]}"'

        html = re.sub(r'(?<![\w-])(id|href)="([^"]*)"', rename, html)
    return html


# Tables: Material's JavaScript finds every table without a class when a page opens, takes it out
# of the page and puts it back inside two wrappers (a scrolling box); on a company profile that work,
# and the style recalculation it forces, was most of Lighthouse's total blocking time (360 ms, 135 ms
# without it). The wrappers are written here instead, at build time, and the table gets a class so
# that the theme's script leaves it alone; ledger.css gives ``table.fl-table`` the look Material
# gives ``table:not([class])``. A table that already has a class is left as it is.
_TABLE_TAG = re.compile(r"<(/?)table\b([^>]*)>", re.I)
TABLE_OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="fl-table"'


def wrap_tables(html: str) -> str:
    """Every table without a class inside Material's scrolling wrappers, with class fl-table."""
    if "<table" not in html:
        return html
    wrapped: list[bool] = []  # one per open table: was it wrapped?

    def tag(m: re.Match) -> str:
        if m.group(1):  # </table>
            return "</table></div></div>" if wrapped and wrapped.pop() else m.group(0)
        if re.search(r"\bclass\s*=", m.group(2), re.I):
            wrapped.append(False)
            return m.group(0)
        wrapped.append(True)
        return f"{TABLE_OPEN}{m.group(2)}>"

    return _TABLE_TAG.sub(tag, html)


# Content-Security-Policy for every page: scripts only from the site itself or inline scripts whose
# hash is listed; nothing from any other host.
CSP = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-src 'none'")
_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def with_csp(html: str, content: str | None = None) -> str:
    """Add the CSP meta tag. Inline scripts are hashed only outside the page's own content (the
    theme's scripts): a script that got into the content somehow is not listed, so it cannot run."""
    hashes = []
    theme_html = html.replace(content, "") if content else html
    for m in _INLINE_SCRIPT.finditer(theme_html):
        attrs, body = m.group(1), m.group(2)
        if "src=" in attrs or re.search(r'type="application/(ld\+)?json"', attrs):
            continue
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        import base64

        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    policy = CSP.format(hashes=" ".join(sorted(set(hashes))))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return re.sub(r"<head>", "<head>\n" + meta, html, count=1)


# A chart's inline SVG is taken out of the page's Markdown before MkDocs converts it and put back
# into the finished page (see LedgerPlugin.on_page_markdown and on_post_page): Markdown, nh3 and
# the search indexer then never parse the thousands of SVG elements of a chart, which took about a
# third of the time of every page with one (the search index loses only the chart's axis labels;
# its title, takeaway and data table are indexed as before). Only SVGs the generator rendered are
# taken out and put back; any other stays in the Markdown, and the sanitiser drops it as before.
# A forged reference can only place one of those same SVGs.
_SVG_REF = re.compile(r'<span class="fl-svg-ref fl-svg-ref-(\d+)"></span>')
# In a build, pages refer to their charts' SVGs by chart id (charts.Registry, deferred), and the
# SVG comes from the file the generator rendered it into (charts/<id>.inline.svg of the site).
_CHART_REF = re.compile(r'<span class="fl-svg-chart-([a-z0-9][a-z0-9-]*)"></span>')
_CHART_FILE = re.compile(r"charts/([a-z0-9][a-z0-9-]*)\.inline\.svg")


class LedgerPlugin(BasePlugin[LedgerConfig]):
    def __init__(self) -> None:
        self.origins: dict[str, str] = {}
        self.trusted_svgs: set[str] = set()
        self._svg_refs: dict[str, int] = {}
        self._svgs: list[str] = []
        self._spilled: str | None = None  # folder of the large generated files of this build
        self.charts = None  # the charts of the pages being built

    def on_config(self, config):
        self.root = (Path(config.config_file_path).parent / self.config.data_root).resolve()
        return config

    def on_files(self, files: Files, config) -> Files:
        rendered = _PREPARED.pop(self.root, None)
        if rendered is None:  # mkdocs serve, or mkdocs build run directly
            problems = Problems()
            rendered = check_and_render(self.root, problems, site_src=_docs_rel(config, self.root),
                                        templates=self.config.templates, site_url=config.site_url)
            if problems.failed(strict=self.config.strict_data):
                if rendered is not None:
                    rendered.charts.abandon()
                raise PluginError("the data or articles have problems:\n" + problems.report())
            for w in problems.warnings:
                log.info(w.format())
        self.charts = rendered.charts
        pages = rendered.pages
        del rendered
        # MkDocs collects everything under docs_dir and follows links while doing so; a file that is
        # a link, lies under a linked folder, is not a regular file or resolves outside docs_dir is
        # never published (the check reports these first; this is the second line of defence).
        docs = Path(config.docs_dir)
        docs_rel = _docs_rel(config, self.root)
        refused = Problems()
        for f in list(files):
            if f.generated_by or f.src_dir is None or \
                    os.path.normpath(f.src_dir) != os.path.normpath(docs):
                continue  # the theme's own files, and pages generated here
            p, bad = docs, ""
            for part in Path(f.src_uri).parts:
                p = p / part
                if p.is_symlink():
                    bad = "is a symbolic link; links are never followed"
                    break
            else:
                if not p.is_file():
                    bad = "is not a regular file; commit a plain file here"
                elif docs.resolve() not in p.resolve().parents:
                    bad = "lies outside the folder of articles and pages"
            where = p.relative_to(docs).as_posix()
            if not bad:
                # what site_src/ may hold (pages, and assets of the listed types), as the check
                # has it: any other file would be published as it is
                if any(site_paths.ignored(part) for part in Path(f.src_uri).parts):
                    files.remove(f)  # hidden: never published (MkDocs excludes it too)
                    continue
                got = site_paths.path_problem(f.src_uri)
                if got is not None:
                    where, bad = got
                elif any(os.path.isfile(os.path.join(d, f.src_uri)) for d in config.theme.dirs):
                    bad = "has the path of one of the theme's own files, which it would replace"
            if bad:
                files.remove(f)
                refused.error(f"{docs_rel}/{where}", bad)
        if refused.items:
            raise PluginError("the data or articles have problems:\n" + refused.report())
        self.origins = {}
        self.trusted_svgs = {p.text for p in pages
                             if p.path.endswith(".svg") and not isinstance(p, FilePage)}
        self._discard_spilled()
        for page in pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)
            if isinstance(page, FilePage):
                files.append(File.generated(config, page.path, abs_src_path=str(page.source)))
            elif isinstance(page.content, bytes) and len(page.content) > SPILL_BYTES:
                # a large download (the dataset's JSON and CSVs: 50 MB at 5,000 companies) waits
                # on disk, not in memory, until MkDocs copies it after the last page is written
                files.append(File.generated(config, page.path, abs_src_path=self._spill(page)))
            else:
                files.append(File.generated(config, page.path, content=page.content))
            self.origins[page.path] = page.origin
        # Markdown that the core did not render (not under site_src) is never published raw.
        for f in list(files.documentation_pages()):
            if f.src_uri not in self.origins:
                files.remove(f)
        return files

    def _spill(self, page) -> str:
        if self._spilled is None:
            self._spilled = tempfile.mkdtemp(prefix="fl-files-")
        path = os.path.join(self._spilled, hashlib.sha256(page.path.encode()).hexdigest())
        with open(path, "wb") as f:
            f.write(page.content)
        return path

    def _discard_spilled(self) -> None:
        if self._spilled is not None:
            shutil.rmtree(self._spilled, ignore_errors=True)
            self._spilled = None

    def on_pre_build(self, config):
        self._svg_refs, self._svgs = {}, []
        self._held: dict[str, bytes] = {}  # page HTML between conversion and writing

    def on_nav(self, nav, config, files):
        # the files holding the charts' SVGs as placed in pages (see on_post_page)
        self._chart_svgs = {}
        for f in files:
            m = _CHART_FILE.fullmatch(f.src_uri)
            if m and f.generated_by is not None and f.abs_src_path:
                self._chart_svgs[m.group(1)] = f.abs_src_path
        # serve: a generated file whose content is what the last build wrote is not built again
        # (MkDocs's dirty build skips files that are not "modified"); see serve()
        if not _SERVING:
            return nav
        state = _SERVE_STATE.setdefault(os.path.abspath(config.site_dir), {})
        self._digests = {}
        for f in files:
            if f.generated_by is None or f._content is None:
                continue
            content = f._content if isinstance(f._content, bytes) else f._content.encode("utf-8")
            digest = hashlib.blake2b(content, digest_size=16).digest()
            self._digests[f.src_uri] = digest
            if state.get(f.src_uri) == digest and os.path.isfile(f.abs_dest_path):
                f.is_modified = _unmodified  # an instance attribute: this file only
        return nav

    def on_build_error(self, error):
        if self.charts is not None:
            self.charts.abandon()  # the build stopped: its chart workers stop too
        self._discard_spilled()
        for state in _SERVE_STATE.values():
            state.clear()  # what is on disk is not known: the next build writes everything

    def on_page_markdown(self, markdown, page, config, files):
        # Memory (thousands of pages): MkDocs converts every page before it writes any, and keeps
        # each page's Markdown, HTML and source file until the build ends. A build lets go of each
        # as soon as nothing needs it any more: the generated source here (it has been read), the
        # Markdown once converted (on_page_content) and the HTML once the page is written
        # (on_post_page). Empty strings, not None: MkDocs reads None as "not read yet". serve keeps
        # them (its rebuilds compare generated files with the last build's).
        if not _SERVING and page.file.generated_by is not None and page.file.abs_src_path is None:
            page.file.content_string = ""
        if "<svg" not in markdown:
            return markdown

        def ref(m: re.Match) -> str:
            svg = m.group(0)
            if svg not in self.trusted_svgs:
                return svg  # not one of ours: the sanitiser drops it
            n = self._svg_refs.get(svg)
            if n is None:
                n = self._svg_refs[svg] = len(self._svgs)
                self._svgs.append(svg)
            return f'<span class="fl-svg-ref fl-svg-ref-{n}"></span>'

        return _SVG.sub(ref, markdown)

    def on_page_content(self, html, page, config, files):
        html = wrap_tables(sanitize(html, self.trusted_svgs))
        html = clean_toc(page.toc, html)
        if _SERVING:
            return html
        # MkDocs converts every page before it writes the first, so a build of thousands of pages
        # held all their HTML at once (about 60 KB of memory a profile: one dash makes Python
        # store a text at two bytes a character). Until the page is written it waits here
        # compressed (zlib level 1, a tenth of a millisecond a page), and on_page_context puts it
        # back. The Markdown is let go: converted, the page's title was taken while converting.
        page.markdown = ""
        self._held[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        return ""

    @event_priority(100)  # before the search plugin indexes the page's HTML
    def on_page_context(self, context, page, config, nav):
        held = self._held.pop(page.file.src_uri, None)
        if held is not None:
            page.content = zlib.decompress(held).decode("utf-8")
        origin = self.origins.get(page.file.src_uri)
        base = self.config.edit_url_base
        # the theme writes the edit link into href="…" as it is: the file's path is
        # percent-encoded, so that no file name can leave the address (names are checked too)
        page.edit_url = f"{base.rstrip('/')}/{quote(origin, safe='/')}" if base and origin \
            else None
        return context

    def on_env(self, env, config, files):
        # Every page has been converted, and MkDocs is about to copy the files and write the
        # pages: the charts rendered in the background must be there now.
        failed = self.charts.finish() if self.charts is not None else []
        if failed:
            report = Problems()
            report.items.extend(failed)
            _FAILED.append(report.report())  # build_site prints it as the check would
            raise PluginError("the data or articles have problems:\n" + report.report())
        # Material's templates are compiled on every build; keep their bytecode (jinja2 checks each
        # template's source against it) in the project's cache folder, outside its tree: bytecode
        # is loaded with pickle and marshal, i.e. runs, so never from a folder a pull request can
        # write. Best effort: without the folder every template is compiled, as before.
        from .cachedir import bytecode_cache

        cache = bytecode_cache(self.root, "jinja-theme")
        if cache is not None:
            env.bytecode_cache = cache
        return env

    def on_post_page(self, output, page, config):
        output = with_csp(output, page.content)
        if self._svgs and "fl-svg-ref" in output:
            output = _SVG_REF.sub(lambda m: self._svgs[int(m.group(1))]
                                  if int(m.group(1)) < len(self._svgs) else "", output)
        if "fl-svg-chart-" in output:
            output = _CHART_REF.sub(self._chart_svg, output)
        if not _SERVING:
            page.content = ""  # written next; the search index has taken its text already
        return output

    def _chart_svg(self, m: re.Match) -> str:
        path = getattr(self, "_chart_svgs", {}).get(m.group(1))
        if path is None:
            return ""  # no such chart: nothing is placed
        with open(path, encoding="utf-8") as f:
            return f.read()

    def on_post_build(self, config):
        # Material's 404 page is not a Page, so on_post_page never saw it.
        p = Path(config.site_dir) / "404.html"
        if p.is_file():
            p.write_text(with_csp(p.read_text(encoding="utf-8")), encoding="utf-8")
        state = _SERVE_STATE.get(os.path.abspath(config.site_dir))
        if state is not None and getattr(self, "_digests", None) is not None:
            state.clear()
            state.update(self._digests)
        self._discard_spilled()  # copied into the site by now



# Generated files larger than this are written to a temporary folder for MkDocs to copy.
SPILL_BYTES = 1 << 20

# Pages that build_site has already checked and rendered, handed to the plugin (one use each).
_PREPARED: dict[Path, list] = {}

# serve only: for each site folder it builds into, a digest of every generated file as the last
# successful build wrote it.
_SERVING = False
_SERVE_STATE: dict[str, dict[str, bytes]] = {}
_FAILED: list[str] = []  # the report of charts that could not be rendered, for build_site


def _unmodified() -> bool:
    return False


def check_and_render(root: Path, problems: Problems, *, site_src: str = "site_src",
                     templates: str = "templates", site_url: str | None = None,
                     ) -> list:
    """Load and render; charts missing from the cache are rendered in the background while MkDocs
    works (see charts.pipeline); LedgerPlugin.on_env waits for them."""
    ds = load(root, problems)
    if problems.errors:
        return None
    return render(ds, root, problems, site_src=site_src, templates=templates, site_url=site_url)


def _docs_rel(config, root: Path) -> str:
    # not resolved: a docs folder that is a link is reported by the check, never followed here
    return Path(os.path.relpath(config.docs_dir, root)).as_posix()


# ---------------------------------------------------------------------------------------------
# The shell commands


class _ReportHandler(logging.Handler):
    """MkDocs's log lines, printed as a report prints its lines: any control, line-breaking or
    invisible character a file name or a message holds is written as an escape (each line of a
    message stays a line). Written to ``sys.stderr`` as it is when a line is logged."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            print("\n".join(escape_unseen(line) for line in text.split("\n")), file=sys.stderr)
        except Exception:  # noqa: BLE001 - logging's own way of reporting a handler that failed
            self.handleError(record)


def _log_to_report(level: int = logging.WARNING) -> logging.Handler:
    """Route MkDocs's log through :class:`_ReportHandler` (once), showing ``level`` and above."""
    logger = logging.getLogger("mkdocs")
    handler = next((h for h in logger.handlers if isinstance(h, _ReportHandler)), None)
    if handler is None:
        handler = _ReportHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(handler)
    handler.setLevel(level)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler


def source_date_epoch(root: Path) -> str | None:
    """SOURCE_DATE_EPOCH if set, else the time of the last commit, so that two builds of one
    commit are byte-identical (dates in the sitemap and its gzip header come from it)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out if out.isdigit() else None


# A built site carries this file, and a build replaces only a folder that has it (or an empty one
# inside the project): whatever else is where the site goes (a link to a folder elsewhere, a file,
# a folder of someone's own) is refused, so that a build never replaces or removes anything it did
# not make. It is published with the site (harmless: a line of text); a marker outside the folder
# would not travel with it, and one kept in the cache would refuse every site/ after a cache clean.
SITE_MARKER = ".frontier-ledger-site"
SITE_MARKER_TEXT = ("Built by Frontier Ledger (./ledger build). A build replaces a folder only "
                    "when this file is in it.\n")
# .site.building-PID-XXXXXXXX and .site.old-PID-XXXXXXXX (tempfile.mkdtemp): a build's own
_TEMP_SITE = re.compile(r"\.(?P<name>.+)\.(?:building|old)-(?P<pid>[0-9]{1,10})(?:-[A-Za-z0-9_]+)?")


def _shown_path(path: Path, root: Path) -> str:
    from .escape import shown

    rel = os.path.relpath(path, root) if path == root or root in path.parents else str(path)
    return shown(Path(rel).as_posix())[1:-1]


def _is_marked_site(folder: Path) -> bool:
    marker = folder / SITE_MARKER
    return not marker.is_symlink() and marker.is_file()


def site_target(root: Path, site_dir: Path) -> tuple[Path, str | None]:
    """Where a build of the project at ``root`` (resolved) goes for ``--site-dir site_dir``: the
    absolute path, links not followed, and a one-line, located reason to refuse it, or None.

    Refused: a symbolic link at the site folder or at any folder between the project and it; a
    file; the project itself or a folder holding it; a folder without :data:`SITE_MARKER`, unless
    it is empty and inside the project. Outside the project the site folder must not exist yet or
    carry the marker, so that nothing outside the project is ever replaced or removed."""
    target = Path(os.path.normpath(root / site_dir))  # lexically: '..' never passes a link
    inside = root in target.parents

    def refuse(where: Path, why: str, remedy: str = "move it away") -> tuple[Path, str]:
        remedy = f"{remedy}, or choose" if remedy else "choose"
        return target, f"{_shown_path(where, root)}: {why}; {remedy} another --site-dir"

    link = "is a symbolic link, which a build never follows or replaces"
    if target == root or target in root.parents:
        return refuse(target, "is the project itself, or holds it", "")
    if inside:
        below = target.relative_to(root).parts
        for i in range(1, len(below)):
            step = root.joinpath(*below[:i])
            if step.is_symlink():
                return refuse(step, "is a symbolic link, which a build never follows",
                              "remove the link")
            if step.exists() and not step.is_dir():
                return refuse(step, "is not a folder")
    if target.is_symlink():
        return refuse(target, link, "remove the link")
    if not target.exists():
        return target, None
    if not target.is_dir():
        return refuse(target, "is not a folder, and a build replaces only a site it built")
    if _is_marked_site(target) or inside and not any(target.iterdir()):
        return target, None
    return refuse(target, f"is a folder that no build made (no {SITE_MARKER} in it), and a "
                          "build never replaces it")


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (one of another user's counts: its folder is kept)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OverflowError, ValueError):
        return False  # beyond any process id
    except OSError:
        return True  # PermissionError: it exists
    return True


def clean_leftovers(root: Path, target: Path) -> list[Path]:
    """Remove the temporary folders (``.NAME.building-PID``, ``.NAME.old-PID``) that builds into
    ``target`` left behind when they were stopped half-way, once their process is gone. Outside
    the project only those carrying :data:`SITE_MARKER` (a replaced site) are removed; links and
    files are never touched. Returns what was removed."""
    removed = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    inside = root in target.parents
    for p in entries:
        m = _TEMP_SITE.fullmatch(p.name)
        if not m or m.group("name") != target.name or int(m.group("pid")) == os.getpid():
            continue
        if p.is_symlink() or not p.is_dir() or _alive(int(m.group("pid"))):
            continue
        if inside or _is_marked_site(p):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


def build_site(root: Path, site_dir: Path, *, strict: bool = True,
               site_url: str | None = None) -> int:
    """Check and build into a new folder; swap it in only if everything passed. Simultaneous
    builds of one project take turns (:func:`generator.cachedir.build_lock`). ``site_url``: the
    address the site is built for, instead of mkdocs.yml's."""
    from .cachedir import build_lock

    root = Path(root).resolve()
    with build_lock(root):
        target, refusal = site_target(root, site_dir)
        if refusal:
            print(refusal, file=sys.stderr)
            return 1
        clean_leftovers(root, target)
        epoch = source_date_epoch(root)
        if epoch and not os.environ.get("SOURCE_DATE_EPOCH"):
            os.environ["SOURCE_DATE_EPOCH"] = epoch  # read by MkDocs during the build
            try:
                return _build_site(root, target, strict=strict, site_url=site_url)
            finally:
                del os.environ["SOURCE_DATE_EPOCH"]
        return _build_site(root, target, strict=strict, site_url=site_url)


def _build_site(root: Path, site_dir: Path, *, strict: bool, site_url: str | None) -> int:
    """The build itself, into ``site_dir``: absolute, and accepted by :func:`site_target`."""
    # Folders of this build alone, new (nothing of that name is ever reused or removed first):
    # the site is built into one, and the previous site moved into the other while the new one
    # takes its place. Left behind by a build that was killed, they are removed by the next.
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=site_dir.parent,
                                    prefix=f".{site_dir.name}.building-{os.getpid()}-"))
        os.chmod(tmp, 0o755)  # as MkDocs makes it (mkdtemp's folder is the user's alone)
    except OSError as exc:
        print(f"{_shown_path(site_dir, root)}: cannot build here: {exc.strerror}",
              file=sys.stderr)
        return 1
    try:
        return _build_into(root, site_dir, tmp, strict=strict, site_url=site_url)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already when the build succeeded


def _build_into(root: Path, site_dir: Path, tmp: Path, *, strict: bool,
                site_url: str | None) -> int:
    from mkdocs.commands.build import build

    t0 = time.perf_counter()
    _log_to_report()
    try:
        cfg = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp), strict=strict,
                          **({"site_url": site_url} if site_url else {}))
    except Abort as exc:
        print(f"mkdocs.yml: {exc}", file=sys.stderr)
        print(f"build stopped; {site_dir.name}/ was left as it was", file=sys.stderr)
        return 1
    problems = Problems()
    plugin_root = root
    for name, plugin in cfg.plugins.items():
        if isinstance(plugin, LedgerPlugin):
            plugin_root = (root / plugin.config.data_root).resolve()
    pages = check_and_render(plugin_root, problems, site_src=_docs_rel(cfg, plugin_root),
                             site_url=cfg.site_url)
    charts = pages.charts if pages is not None else None
    if problems.failed(strict=strict):
        if charts is not None:
            charts.abandon()
        print(problems.report(), file=sys.stderr)
        print(f"build stopped; {site_dir.name}/ was left as it was", file=sys.stderr)
        return 1
    _PREPARED[plugin_root] = pages
    del pages  # the plugin takes them (on_files): each page's Markdown is let go once it is read
    _FAILED.clear()
    try:
        build(cfg)
    except (Abort, Exception) as exc:  # MkDocs reports its own problems through logging
        if charts is not None:
            charts.abandon()
        print(_FAILED.pop() if _FAILED else escape_unseen(f"build failed: {exc}"), file=sys.stderr)
        print(f"build stopped; {site_dir.name}/ was left as it was", file=sys.stderr)
        return 1
    finally:
        _PREPARED.pop(plugin_root, None)
    (tmp / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(dir=site_dir.parent,
                                    prefix=f".{site_dir.name}.old-{os.getpid()}-"))
        os.replace(site_dir, old)  # onto the empty folder just made
        os.replace(tmp, site_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, site_dir)
    n = sum(1 for _ in site_dir.rglob("index.html"))
    print(f"built {n} pages into {site_dir} in {time.perf_counter() - t0:.1f} s")
    return 0


_LIVERELOAD_PATH = "/.fl-livereload.js"


def _livereload_server():
    """MkDocs's live-reload server, with its script served as a file of the site's own origin.

    MkDocs puts the script inline into every page, and the Content-Security-Policy of every page
    (which serve keeps, so that the preview behaves as the site will) blocks inline scripts whose
    hash it does not list; this one changes on every request, so the browser never reloaded. A
    script from 'self' is allowed, so the page gets ``<script src="/.fl-livereload.js"
    data-epoch=… data-request-id=…>`` instead, and the file holds MkDocs's own script."""
    import mkdocs.livereload as lr

    source = getattr(lr, "_SCRIPT_TEMPLATE_STR", "")
    head, sep, _ = source.rpartition("livereload(${epoch}, ${request_id});")
    if not sep or "var livereload = function(epoch, requestId)" not in head:
        return lr.LiveReloadServer  # a MkDocs we do not know: leave it as it is
    script = (head + ";(function(s) { livereload(parseFloat(s.dataset.epoch), "
              "parseFloat(s.dataset.requestId)); })(document.currentScript);\n").encode("utf-8")

    class Server(lr.LiveReloadServer):
        def _inject_js_into_html(self, content, epoch):
            try:
                end = content.rindex(b"</body>")
            except ValueError:
                end = len(content)
            tag = (f'<script src="{_LIVERELOAD_PATH}" data-epoch="{int(epoch)}" '
                   f'data-request-id="{int(lr._timestamp())}"></script>').encode()
            return content[:end] + tag + content[end:]

        def _serve_request(self, environ, start_response):
            if environ.get("PATH_INFO") == _LIVERELOAD_PATH:
                start_response("200 OK", [("Content-Type", "application/javascript"),
                                          ("Content-Length", str(len(script))),
                                          ("Cache-Control", "no-store")])
                return [script]
            return super()._serve_request(environ, start_response)

    return Server


class _NoDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def serve(root: Path, addr: str) -> int:
    """mkdocs serve, with live reload, rebuilding after every change to data, templates, articles
    or configuration. Rebuilds are "dirty" builds in MkDocs's sense: everything is checked and
    rendered again, but only the pages and files whose content changed are converted and written
    (a changed template or mkdocs.yml changes every page, so all are). As with mkdocs serve
    --dirty, a page that disappears stays in the preview until serve restarts."""
    import mkdocs.commands.serve as mk_serve_mod

    _log_to_report(logging.INFO)
    # Served locally at the root of the address, whatever the published sub-path is.
    os.environ.setdefault("SITE_URL", f"http://{addr}/")
    mk_serve_mod.LiveReloadServer = _livereload_server()
    quiet = _NoDirtyWarning()  # a warning would fail the strict build; the docstring says it
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    global _SERVING
    _SERVING = True
    try:
        mk_serve_mod.serve(config_file=str(root / "mkdocs.yml"), livereload=True, dev_addr=addr,
                           build_type="dirty",
                           watch=[str(root / "data"), str(root / "templates")])
    except (Abort, PluginError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
        _SERVING = False
        _SERVE_STATE.clear()
    return 0


__all__ = ["LedgerPlugin", "build_site", "serve", "ProblemsFound"]
