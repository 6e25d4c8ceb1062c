"""Where things go on the site, in one place: what ``site_src/`` may hold, the names the site keeps
for itself, and the ids that would collide with them.

A pull request can add any file under ``site_src/``, and MkDocs publishes every file it finds there
as it is. So ``site_src/`` holds Markdown pages (``NAME.md``) and, in ``site_src/assets/``, files of
the types in :data:`ASSET_TYPES` only: an HTML or SVG file with a script, or a service worker,
would run on the site's own address without the Content-Security-Policy of its pages. Names have
one form (see :data:`generator.values.FILE_NAME_RULE`), so that no name can break out of the
attribute or address it is written into.

The check (:func:`generator.render.site_src.markdown_files`) applies these rules while it walks
``site_src/``; the MkDocs plugin applies them again to every file MkDocs collected
(:func:`path_problem`), as a second line of defence. Pure: nothing here reads files.
"""

from __future__ import annotations

import re

from .escape import shown
from .values import _SLUG, file_name_problem

# Top-level names of the built site that the build itself writes, with what is there. A page or
# folder at the top of site_src/ may not take one of them: ``site_src/companies.md`` would be
# published at companies/, the address of the generated list of companies, and a folder
# ``site_src/search/`` would sit beside the search index. (A page at the address of any generated
# page is refused as well, whatever its name: see render.site_src.claim_addresses. This list is for what
# the theme and MkDocs write, and for the generator's folders.) tests/test_untrusted_pages.py
# compares it with the top of a built site.
SITE_NAMES: dict[str, str] = {
    "404": "the page for addresses that do not exist (404.html)",
    "articles": "the articles and their list",
    "assets": "the stylesheets, scripts and images of the site",
    "charts": "the charts and their downloads",
    "companies": "the company profiles and their list",
    "data": "the page of data downloads",
    "downloads": "the data downloads",
    "feed": "the feed of articles (feed.xml)",
    "glossary": "the glossary",
    "search": "the search index",
    "share": "the pages' share images (og:image)",
    "sitemap": "the sitemap (sitemap.xml)",
    "sources": "the list of sources",
    "tables": "the comparison tables",
    "valuations": "the comparison of valuations",
}
# The two folders of site_src/ with a meaning of their own (the other names above stay refused).
ARTICLES = "articles"
ASSETS = "assets"

# Ids that name a page of their own folder, for records that get a page each
# (data/companies/ID.yaml → companies/ID/, data/tables/ID.yaml → tables/ID/).
PAGE_FOLDERS = ("companies", "tables")
RESERVED_IDS: dict[str, str] = {
    "index": "{folder}/ itself is a page of the site's own, and a record named index would be "
             "published there",
    "page": "{folder}/page/2/, {folder}/page/3/, … hold the further pages of long lists",
}

# What site_src/assets/ takes: stylesheets, images and fonts. Not .svg (an SVG file can hold a
# script that runs when it is opened), .js, .html, .xml, .json, .txt, .webmanifest or anything else.
ASSET_TYPES: dict[str, str] = {
    ".css": "stylesheet",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".webp": "image", ".avif": "image",
    ".gif": "image", ".ico": "image",
    ".woff2": "font", ".woff": "font",
}
# The theme's own folders inside assets/ (its stylesheets, scripts and icons): a file of
# site_src/ at one of their paths would replace the theme's.
THEME_ASSET_FOLDERS = ("images", "javascripts", "stylesheets")

_FILE = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)(\.[a-z0-9]+)\Z")
FOLDER_RULE = "lower-case ASCII letters a-z, digits and single hyphens, such as 'guides'"


def _types(kind: str) -> str:
    return ", ".join(ext for ext, k in ASSET_TYPES.items() if k == kind)


# what site_src/assets/ takes, in the words of the check's messages
ASSETS_TAKE = (f"stylesheets ({_types('stylesheet')}), images ({_types('image')}) and fonts "
               f"({_types('font')})")


def ignored(name: str) -> bool:
    """Hidden files and folders (``.name``): MkDocs never publishes them, and they are not read."""
    return name.startswith(".")


def entry_problem(folder: tuple[str, ...], name: str, *, is_dir: bool) -> str | None:
    """Why the entry ``name`` of the site_src folder ``folder`` (its parts, () for site_src itself)
    may not be there, or None. A name not of the documented form is quoted with
    :func:`~generator.escape.shown` (and a report escapes the path it is located at)."""
    top = not folder
    in_assets = bool(folder) and folder[0] == ASSETS
    if is_dir:
        if len(name) > 64 or not _SLUG.match(name):
            return f"the folder name {shown(name)} is not allowed; folder names use {FOLDER_RULE}"
        if top and name in SITE_NAMES and name not in (ARTICLES, ASSETS):
            return _site_name(name)
        if len(folder) == 1 and in_assets and name in THEME_ASSET_FOLDERS:
            return (f"'{ASSETS}/{name}/' is the theme's own folder; put these files directly in "
                    f"site_src/{ASSETS}/ or in a folder of another name")
        return None
    m = _FILE.match(name)
    ext = m.group(2) if m else ""
    if in_assets:
        if not m or len(m.group(1)) > 64:
            lower = name[name.rfind("."):].lower() if "." in name else ""
            return file_name_problem(name, lower if lower in ASSET_TYPES else ".css")
        if ext not in ASSET_TYPES:
            why = " (an SVG file can hold a script; use .png or .webp)" if ext == ".svg" else ""
            return (f"files of type {ext} are not published; site_src/{ASSETS}/ takes "
                    f"{ASSETS_TAKE} only{why}")
        return None
    if not m or len(m.group(1)) > 64:
        return file_name_problem(name, ".md")
    if ext != ".md":
        if ext in (".markdown", ".mdown", ".mkd"):
            return "pages use the extension .md"
        return ("is not a page; pages and articles are Markdown files named NAME.md, and "
                f"site_src/{ASSETS}/ takes {ASSETS_TAKE}")
    if top and m.group(1) in SITE_NAMES:
        return _site_name(m.group(1))
    return None


def _site_name(name: str) -> str:
    return (f"'{name}' is a name the site keeps for its own pages and files ({SITE_NAMES[name]}); "
            "choose another name")


def path_problem(path: str) -> tuple[str, str] | None:
    """The first problem of a site_src-relative POSIX path, checked part by part as the check
    walks the folder: (the path up to the part refused, message), or None. Hidden files (and
    files in hidden folders) are not judged here: see :func:`ignored`."""
    parts = path.split("/")
    for i, name in enumerate(parts):
        message = entry_problem(tuple(parts[:i]), name, is_dir=i < len(parts) - 1)
        if message is not None:
            return "/".join(parts[: i + 1]), message
    return None


def reserved_id_problem(folder: str, record_id: str) -> str | None:
    """Why ``record_id`` may not be the id of a record in ``data/<folder>/``, or None."""
    if folder not in PAGE_FOLDERS or record_id not in RESERVED_IDS:
        return None
    what = RESERVED_IDS[record_id].format(folder=folder)
    return f"'{record_id}' is reserved: {what}; choose another id, and rename the file to match"


def address(path: str) -> str:
    """The address a docs path is published at, as MkDocs makes it with directory URLs:
    'valuations.md' → 'valuations/', 'articles/index.md' → 'articles/', 'index.md' → '',
    'feed.xml' → 'feed.xml'."""
    if not path.endswith(".md"):
        return path
    stem = path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"
