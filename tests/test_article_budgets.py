"""Budgets for article code, Markdown shapes that convert slowly, and reproducible output.

Each row appends hostile lines to the mini project's article (the first appended line is line 12)
and renders the site with small limits, so that nothing waits; the expected report is exact. The
same limits hold in check, build and serve (they all go through render), which the last tests
show for the command line and for the path build and serve share."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.limits import Limits
from generator.markdown_shapes import MarkdownLimits, markdown_shapes
from generator.load import load
from generator.problems import Problems
from generator.render import render
from generator.settings import Settings

REPO = Path(__file__).resolve().parent.parent
A = "site_src/articles/first.md"

# small limits for the rows: a runaway loop or value stops at once
SMALL = Limits(seconds=60, iterations=1_000, depth=5, output=20_000, value=1_000, blocks=4,
               nesting=6, levels=40)


def ticks() -> Limits:
    """Limits whose clock moves one second each time it is read: the deadline is reached after a
    fixed number of checks, whatever the machine's speed."""
    return Limits(seconds=50, iterations=10 ** 12, depth=50, clock=itertools.count().__next__)


def at(line: int, message: str) -> str:
    return f"{A}:{line}: {message}"


def value(what: str, limit: int = 1_000) -> str:
    return f"{what} would build a value of more than {limit:,} characters or items (the limit " \
           "for one value in a page)"


CLOCK = "so two builds of the same files would differ"
ADDRESS = "it would show its memory address, which changes from one build to the next"
FUNCTION = f"a function is not allowed in a page: {ADDRESS}; call it with ()"
SEQUENCE = ("an unfinished sequence (what map, select or reverse give) is not allowed in a page: "
            f"{ADDRESS}; add |list or |join")
BRACKETS = "close each '[' soon after it opens, write &#91; for one that stays open, or split " \
           "the paragraph"
MARKS = "'`', '*', '_', '&' and '\\'"


def nested(n: int) -> str:
    return "\n".join("    " * i + "- item" for i in range(n))


@dataclass
class Case:
    id: str
    snippet: str
    expected: list[str]
    limits: Limits = field(default_factory=lambda: SMALL)


def case(id: str, snippet: str, *expected: str, limits: Limits | None = None) -> Case:
    return Case(id, snippet, list(expected), limits or SMALL)


LOOPS = ("{% for a in range(100000) %}\n{% for b in range(100000) %}\n"
         "{% for c in range(100000) %}{% endfor %}\n{% endfor %}\n{% endfor %}")

CASES = [
    # -- time: checked inside the innermost loop, and in every call ----------------------------
    case("time-nested-loops-with-an-empty-body", LOOPS,
         at(14, "the template code ran longer than 50 seconds (the limit for one page); make its "
                "loops shorter"), limits=ticks()),
    case("time-nested-loops-real-clock", LOOPS,
         # (half a second: the article's own lines, compiled and run first, take a few ms)
         at(14, "the template code ran longer than 0.5 seconds (the limit for one page); make "
                "its loops shorter"),
         limits=Limits(seconds=0.5, iterations=10 ** 12)),
    case("time-macro-calling-itself-twice",
         "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}\n"
         "{{ f(40) }}",
         at(12, "the template code ran longer than 50 seconds (the limit for one page); make its "
                "loops shorter"), limits=ticks()),
    case("time-compiling-counts-too", "{{ 1 }}",
         at(6, "the template code ran longer than 50 seconds (the limit for one page); make its "
               "loops shorter"),
         limits=Limits(seconds=50, clock=itertools.chain([0], itertools.repeat(100)).__next__)),
    case("time-too-many-tags-to-compile", "{{ 1 }}" * 11,
         at(12, "more than 10 template tags ({{ … }} and {% … %}) in one page (the limit for one "
                "page); split the page"), limits=Limits(tags=10)),
    # -- loop iterations --------------------------------------------------------------------
    case("iterations-nested-loops",
         "{% for a in range(100) %}{% for b in range(100) %}{% endfor %}{% endfor %}",
         at(12, "the template code's loops ran more than 1,000 times (the limit for one page)")),
    case("iterations-loop-over-a-filter", "{% for x in range(100000)|map('string') %}{% endfor %}",
         at(12, "the template code's loops ran more than 1,000 times (the limit for one page)")),
    case("iterations-loop-with-a-condition", "{% for x in range(100000) if false %}{% endfor %}",
         at(12, "the template code's loops ran more than 1,000 times (the limit for one page)")),
    # -- recursion ----------------------------------------------------------------------------
    case("depth-macro-calling-itself", "{% macro f(n) %}{{ f(n) }}{% endmacro %}\n{{ f(1) }}",
         at(12, "macro calls nested more than 5 deep (the limit for one page); does a macro call "
                "itself without end?")),
    case("depth-call-block-calling-its-macro",
         "{% macro m() %}{% call m() %}{% endcall %}{{ caller() if false }}{% endmacro %}\n"
         "{{ m() }}",
         at(12, "macro calls nested more than 5 deep (the limit for one page); does a macro call "
                "itself without end?")),
    case("depth-recursive-loop", "{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}",
         at(12, "macro calls nested more than 5 deep (the limit for one page); does a macro call "
                "itself without end?")),
    case("depth-block-calling-itself", "{% block b %}{{ self.b() }}{% endblock %}",
         at(12, "macro calls nested more than 5 deep (the limit for one page); does a macro call "
                "itself without end?")),
    case("depth-article-including-itself", f'{{% include "{A}" %}}',
         at(12, "{% include %} is not available in a page: a page cannot use other files")),
    case("depth-lists-inside-lists",
         "{% set ns = namespace(x=[]) %}\n{% for i in range(10) %}{% set ns.x = [ns.x] %}"
         "{% endfor %}",
         at(13, "a literal built a value with lists inside one another more than 5 deep (the "
                "limit for one page)")),
    # -- output -------------------------------------------------------------------------------
    case("output-a-loop-writing-a-lot", "{% for i in range(500) %}{{ 'x' * 100 }}{% endfor %}",
         at(12, "the page's template code wrote more than 20,000 characters (the limit for one "
                "page)")),
    case("output-a-macro-collecting-a-lot",
         "{% macro m() %}{% for i in range(500) %}{{ 'x' * 100 }}{% endfor %}{% endmacro %}\n"
         "{% set t = m() %}",
         at(12, value("a macro or a {% set %} block"))),
    # -- the size of one value, refused before it is built --------------------------------------
    case("value-repeat-a-string", "{{ 'x' * 10**11 }}", at(12, value("'*'"))),
    case("value-repeat-a-list", "{{ [1] * 10**9 }}", at(12, value("'*'"))),
    case("value-repeat-a-long-string-in-a-list",
         "{% set s = 'x' * 500 %}\n{{ [s] * 3 }}", at(13, value("'*'"))),
    case("value-repeat-a-data-record", "{{ [company('acme-ai')] * 10 }}",
         at(12, value("'*'", 2_000)),
         limits=Limits(value=2_000)),
    case("value-huge-exponent", "{{ 10 ** 100000000 }}",
         at(12, "not allowed in a page: exponent too large in a page")),
    case("value-powers-of-powers", "{{ ((10 ** 100) ** 100) ** 100 }}",
         at(12, "'**' would build a number of more than 4,300 digits (the limit for one number "
                "in a page)")),
    case("value-concatenate-with-tilde", "{% set s = 'x' * 600 %}\n{{ s ~ s }}",
         at(13, value("'~'"))),
    case("value-concatenate-with-plus", "{% set s = 'x' * 600 %}\n{{ s + s }}",
         at(13, value("'+'"))),
    case("value-percent-width", "{{ '%1000000000s' % 'x' }}", at(12, value("'%'"))),
    case("value-percent-width-from-argument", "{{ '%*s' % (10 ** 9, 'x') }}",
         at(12, value("'%'"))),
    case("value-format-width", "{{ '{:>1000000000}'.format('x') }}", at(12, value("'format'"))),
    case("value-format-nested-width", "{{ '{:{w}}'.format('x', w=10 ** 9) }}",
         at(12, value("'format'"))),
    case("value-format-precision", "{{ '{:.1000000000f}'.format(1.5) }}",
         at(12, value("'format'"))),
    case("value-center-filter", "{{ 'x'|center(10 ** 9) }}",
         at(12, value("the filter 'center'"))),
    case("value-indent-filter", "{{ ('x\\n' * 300)|indent(1000) }}",
         at(12, value("the filter 'indent'"))),
    case("value-format-filter", "{{ '%1000000000s'|format('x') }}",
         at(12, value("the filter 'format'"))),
    case("value-wordwrap-filter", "{{ ('x ' * 400)|wordwrap(1, wrapstring='y' * 900) }}",
         at(12, value("the filter 'wordwrap'"))),
    case("value-truncate-filter", "{{ 'x'|truncate(0, end='y' * 1000) }}",
         at(12, value("the filter 'truncate'"))),
    case("value-batch-filter", "{{ [1]|batch(10 ** 9, 0)|list }}",
         at(12, value("the filter 'batch'"))),
    case("value-slice-filter", "{{ [1]|slice(10 ** 9)|list }}",
         at(12, value("the filter 'slice'"))),
    case("value-replace-filter-with-a-count", "{{ ('x' * 500)|replace('x', 'yyyy', 300) }}",
         at(12, value("the filter 'replace'"))),
    case("value-replace-filter-of-nothing", "{{ ('x' * 500)|replace('', 'yy') }}",
         at(12, value("the filter 'replace'"))),
    case("value-join-filter", "{{ range(300)|join('xxxx') }}",
         at(12, value("the filter 'join'"))),
    case("value-join-filter-by-attribute",
         # (built, it would be 900 MB: refused before)
         "{{ ([fig('acme-ai/series-b/date')] * 1000)|join('x' * 900000, attribute='status') }}",
         at(12, value("the filter 'join'", 1_000_000)), limits=Limits()),
    case("value-tojson-indent", "{{ [[1, 2], [3]]|tojson(indent=10 ** 6) }}",
         at(12, value("the filter 'tojson'"))),
    case("value-join-method", "{{ 'xxxx'.join(range(300)|map('string')) }}",
         at(12, value("'join'"))),
    case("value-center-method", "{{ 'x'.center(10 ** 9) }}", at(12, value("'center'"))),
    case("value-expandtabs-method", "{{ ('\\t' * 100).expandtabs(100) }}",
         at(12, value("'expandtabs'"))),
    case("value-translate-method", "{{ ('x' * 100).translate({120: 'y' * 100}) }}",
         at(12, value("'translate'"))),
    case("value-to-bytes-method", "{{ (1).to_bytes(10 ** 9, 'big') }}",
         at(12, value("'to_bytes'"))),
    case("value-fromkeys-result", "{{ {}.fromkeys(range(300), 'x' * 10) }}",
         at(12, value("'fromkeys'"))),
    case("number-squared-again-and-again",
         "{% set ns = namespace(n=10 ** 50) %}\n"
         "{% for i in range(30) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
         at(13, "'*' would build a number of more than 4,300 digits (the limit for one number in a "
                "page)"), limits=Limits()),
    case("number-doubled-again-and-again",
         "{% set ns = namespace(n=1) %}\n"
         "{% for i in range(20000) %}{% set ns.n = ns.n + ns.n %}{% endfor %}",
         at(13, "'+' would build a number of more than 4,300 digits (the limit for one number in a "
                "page)"), limits=Limits()),
    case("number-decimal-scaled-up-then-made-whole",
         "{{ fig('acme-ai/series-b/amount_raised').value.amount.scaleb(999990)|int }}",
         at(12, "'scaleb' would build a number of more than 4,300 digits (the limit for one number "
                "in a page)"), limits=Limits()),
    case("number-written-with-5000-digits", "{{ " + "9" * 5000 + " }}",
         at(12, "a number of more than 4,300 digits is written in the template code (the limit for "
                "one number in a page)"), limits=Limits()),
    case("pydantic-method-with-a-huge-indent",
         "{{ company('acme-ai').model_dump_json(indent=10 ** 8) }}",
         at(12, "not allowed in a page: access to attribute 'model_dump_json' of 'Company' object "
                "is unsafe."), limits=Limits()),
    case("value-list-literal-of-long-strings", "{% set s = 'x' * 400 %}\n{% set l = [s, s, s] %}",
         at(13, value("a literal"))),
    # -- template code that would make Python's parser or compiler recurse ----------------------
    case("nesting-brackets", "{{ " + "(" * 7 + "1" + ")" * 7 + " }}",
         at(12, "template code nested more than 6 levels deep in one tag (brackets, signs, 'not' "
                "or 'if'); split it with {% set %}")),
    case("nesting-signs", "{{ " + "- " * 7 + "1 }}",
         at(12, "template code nested more than 6 levels deep in one tag (brackets, signs, 'not' "
                "or 'if'); split it with {% set %}")),
    case("nesting-not", "{{ " + "not " * 7 + "1 }}",
         at(12, "template code nested more than 6 levels deep in one tag (brackets, signs, 'not' "
                "or 'if'); split it with {% set %}")),
    case("nesting-conditionals", "{{ " + "1 if 1 else " * 7 + "1 }}",
         at(12, "template code nested more than 6 levels deep in one tag (brackets, signs, 'not' "
                "or 'if'); split it with {% set %}")),
    case("nesting-blocks", "\n".join(["{% if 1 %}"] * 5 + ["x"] + ["{% endif %}"] * 5),
         at(16, "template code nested more than 4 blocks deep ({% for %}, {% if %}, {% macro %} "
                "…)")),
    case("nesting-a-long-chain", "{{ 1" + " + 1" * 200 + " }}",
         at(12, "template code more than 40 levels deep (a long chain of operators or filters "
                "counts a level for each); split it with {% set %}")),
    # ... and with the default limits, which stay below Python's own
    case("nesting-21-loops-python-refuses-to-compile",
         "".join(["{% for a in [1] %}"] * 21 + ["{% endfor %}"] * 21),
         at(12, "template code nested more than 10 blocks deep ({% for %}, {% if %}, {% macro %} "
                "…)"), limits=Limits()),
    case("nesting-300-brackets-parser-recursion", "{{ " + "(" * 300 + "1" + ")" * 300 + " }}",
         at(12, "template code nested more than 20 levels deep in one tag (brackets, signs, 'not' "
                "or 'if'); split it with {% set %}"), limits=Limits()),
    case("nesting-5000-additions-compiler-recursion", "{{ 1" + "+1" * 5000 + " }}",
         at(12, "template code more than 100 levels deep (a long chain of operators or filters "
                "counts a level for each); split it with {% set %}"), limits=Limits()),
    case("runtime-error-of-jinja", "{% set x = 1 %}\n{% set x.y = 2 %}",
         at(13, "template error: cannot assign attribute on non-namespace object"),
         limits=Limits()),
    # -- reproducibility: no clock, no chance, no memory addresses -------------------------------
    case("clock-today", "{{ fig('acme-ai/series-b/date').value.earliest.today() }}",
         at(12, f"not allowed in a page: 'today' reads the clock, {CLOCK}"), limits=Limits()),
    case("clock-fromtimestamp",
         "{{ fig('acme-ai/series-b/date').value.earliest.fromtimestamp(0) }}",
         at(12, "not allowed in a page: 'fromtimestamp' depends on the time zone of the machine "
                f"that builds the site, {CLOCK}"), limits=Limits()),
    case("chance-random-filter", "{{ [1, 2]|random }}",
         at(12, f"not allowed in a page: random picks by chance, {CLOCK}"), limits=Limits()),
    case("chance-lipsum", "{{ lipsum(1) }}",
         at(12, f"not allowed in a page: lipsum makes up text by chance, {CLOCK}"),
         limits=Limits()),
    case("chance-set-order", "{{ company('acme-ai').model_fields_set }}",
         at(12, "not allowed in a page: 'model_fields_set' holds an unordered set, whose order "
                "changes from one build to the next"), limits=Limits()),
    case("raw-html-written-by-code", "{{ '<img src=x onerror=alert(1)>'|safe }}",
         at(12, "not allowed in a page: |safe would let template code write raw HTML that the "
                "check never sees; write Markdown"), limits=Limits()),
    case("address-of-a-function", "{{ fig }}", at(12, FUNCTION), limits=Limits()),
    case("address-of-a-function-joined", "{{ 'x' ~ fig }}", at(12, FUNCTION), limits=Limits()),
    case("address-of-a-function-formatted", "{{ '{}'.format(fig) }}", at(12, FUNCTION),
         limits=Limits()),
    case("address-of-a-function-percent", "{{ '%s' % fig }}", at(12, FUNCTION), limits=Limits()),
    case("address-of-a-function-in-a-list", "{{ [1, fig] }}", at(12, FUNCTION), limits=Limits()),
    case("address-of-a-joiner", "{{ joiner() }}", at(12, FUNCTION), limits=Limits()),
    case("address-of-a-function-in-a-namespace", "{{ namespace(f=fig) }}", at(12, FUNCTION),
         limits=Limits()),
    case("address-of-a-function-in-dict-items", "{{ dict(f=fig).items() }}", at(12, FUNCTION),
         limits=Limits()),
    case("address-of-a-generator", "{{ [1]|map('string') }}", at(12, SEQUENCE), limits=Limits()),
    case("address-of-an-iterator", "{{ [1, 2]|reverse }}", at(12, SEQUENCE), limits=Limits()),
    case("address-of-a-cycler", "{{ cycler(1, 2) }}", at(12, SEQUENCE), limits=Limits()),
    # -- Markdown that would convert slowly, found in what the template code wrote ---------------
    case("markdown-open-brackets", "[" * 3000,
         at(12, f"this paragraph holds 3,000 '[' in 3,000 characters, and Markdown reads the "
                f"paragraph again for each: one this long may hold at most 666; {BRACKETS}"),
         limits=Limits()),
    case("markdown-links-written-by-a-loop",
         "{% for i in range(2000) %}{{ link('acme-ai') }} {% endfor %}",
         at(12, f"this paragraph holds 2,000 '[' in 70,000 characters, and Markdown reads the "
                f"paragraph again for each: one this long may hold at most 28; {BRACKETS}"),
         limits=Limits()),
    case("markdown-link-openers", "Text\n" + "[a](" * 1000,
         at(12, f"this paragraph holds 1,000 '[' in 4,005 characters, and Markdown reads the "
                f"paragraph again for each: one this long may hold at most 499; {BRACKETS}"),
         limits=Limits()),
    case("markdown-autolink-openers", "<http://" * 2000,
         at(12, "this paragraph holds 2,000 '<' in 16,000 characters, and Markdown reads the "
                "paragraph again for each: one this long may hold at most 1,250; write &lt; for a "
                "'<' that is not a tag, or split the paragraph"), limits=Limits()),
    case("markdown-emphasis-openers", "*a" * 100_000,
         at(12, f"this paragraph holds 100,000 {MARKS} in 200,000 characters, and Markdown reads "
                "the paragraph again for each: one this long may hold at most 2,000; split the "
                "paragraph"), limits=Limits()),
    case("markdown-many-paragraphs-with-brackets",
         "\n\n".join(["[" * 900 + " x" * 400] * 10),
         at(12, "the paragraphs of this page hold 9,005 '[' in all, too many for their length: "
                "Markdown reads a paragraph again for each, 15,305,342 characters in all, more "
                f"than the 8,000,000 allowed for one page; {BRACKETS}"), limits=Limits()),
    case("markdown-headings-without-blank-lines", "\n".join(f"## h{i}" for i in range(60)),
         at(63, "more than 50 headings, rules or definitions in one block of lines: Markdown "
                "splits the block at each one and copies the rest; put blank lines between them"),
         limits=Limits()),
    case("markdown-headings-written-by-a-loop",
         "{% for i in range(60) %}\n## h{{ i }}\n{% endfor %}",
         at(13, "more than 50 headings, rules or definitions in one block of lines: Markdown "
                "splits the block at each one and copies the rest; put blank lines between them"),
         limits=Limits()),
    case("markdown-underlines", "\n".join(["a", "="] * 60),
         at(113, "more than 50 headings, rules or definitions in one block of lines: Markdown "
                 "splits the block at each one and copies the rest; put blank lines between "
                 "them"), limits=Limits()),
    case("markdown-definitions", "\n".join(["term", ": definition"] * 60),
         at(113, "more than 50 headings, rules or definitions in one block of lines: Markdown "
                 "splits the block at each one and copies the rest; put blank lines between "
                 "them"), limits=Limits()),
    case("markdown-code-fences", "\n".join(["```"] * 201),
         at(212, "more than 200 code fences (``` or ~~~) in one page: Markdown searches the whole "
                 "page again for each; use fewer code blocks"), limits=Limits()),
    case("markdown-quotes-in-quotes", "> > > > > > x",
         at(12, "quotes nested more than 5 deep ('>' inside '>'): Markdown reads the text again "
                "for each level; nest fewer"), limits=Limits()),
    case("markdown-lists-in-lists", nested(12),
         at(23, "a line indented by more than 40 spaces: lists and notes nested more than 10 deep "
                "make Markdown recurse too deeply; nest fewer"), limits=Limits()),
    case("markdown-details-in-details", '<details markdown="1">\n' * 11 + "x",
         at(22, 'HTML elements with markdown="1" nested more than 10 deep: Markdown reads each '
                "level on its own; nest fewer"), limits=Limits()),
    case("markdown-many-blocks", "\n\n".join(["x"] * 120),
         at(206, "more than 100 blocks (paragraphs, headings, list items, table rows) in one "
                 "page: Markdown takes seconds to convert them; make the page shorter"),
         limits=Limits(markdown=MarkdownLimits(blocks=100))),
]


def test_case_ids_are_unique():
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    from support import make_project

    root = make_project(tmp_path_factory.mktemp("budgets") / "proj")
    # the rows time and count the article alone: the About page would be rendered before it
    # ('about' sorts before 'articles') and spend a clock reading of its own
    (root / "site_src" / "about.md").unlink()
    return root, (root / A).read_text(encoding="utf-8")


def run(root: Path, limits: Limits, **options) -> tuple[list[str], dict[str, str]]:
    problems = Problems()
    ds = load(root, problems)
    pages = render(ds, Settings.for_project(root, check=True, limits=limits, **options),
                   problems).pages
    return [p.format() for p in problems.sorted()], \
        {p.path: p.text for p in pages if p.path.endswith(".md")}


@pytest.mark.parametrize("c", [pytest.param(c, id=c.id) for c in CASES])
def test_refused_with_a_located_problem(scratch, c: Case):
    root, original = scratch
    (root / A).write_text(original + "\n" + c.snippet + "\n", encoding="utf-8")
    try:
        first, _ = run(root, c.limits)
        assert first == c.expected
        if c.id.startswith(("clock-", "chance-", "address-")):  # the second build says the same
            assert run(root, c.limits)[0] == c.expected
    finally:
        (root / A).write_text(original, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Last resorts: whatever an article's code raises is a located problem, never "internal error"


@pytest.mark.parametrize("raised, message", [
    (RecursionError("maximum recursion depth exceeded"),
     "the template code went too deep (macros calling macros, or values inside values) for "
     "Python to follow"),
    (MemoryError(), "the template code ran out of memory"),
    (RuntimeError("generator raised StopIteration"),
     "template error: RuntimeError: generator raised StopIteration"),
], ids=["recursion-error", "memory-error", "any-other-error"])
def test_an_error_escaping_from_article_code_is_a_located_problem(scratch, monkeypatch, raised,
                                                                   message):
    from generator.render.api import Api

    def fig(self, path):
        raise raised

    monkeypatch.setattr(Api, "fig", fig)
    root, _ = scratch
    # where the article and the home page call fig() first (a clean render: no key sees a
    # patch of the code, so the pages kept from the other tests' renders would be taken)
    assert run(root, Limits(), clean=True)[0] == [at(8, message),
                                                 f"site_src/index.md:7: {message}"]


# ---------------------------------------------------------------------------------------------
# The same limits in check, build and serve


RECURSION = "{% macro f(n) %}{{ f(n) }}{% endmacro %}\n{{ f(1) }}"
TOO_DEEP = at(12, "macro calls nested more than 50 deep (the limit for one page); does a macro "
                  "call itself without end?")


def test_the_check_exits_1_with_the_problem(project, check):
    (project / A).write_text((project / A).read_text() + "\n" + RECURSION + "\n")
    run_ = check(project)
    assert (run_.code, run_.lines) == (1, [TOO_DEEP, "1 error in 1 file"])


def test_the_build_refuses_the_article_and_builds_nothing(project, capsys):
    from generator.mkdocs_glue import build_site

    (project / A).write_text((project / A).read_text() + "\n" + RECURSION + "\n")
    assert build_site(project, Path("site")) == 1
    err = capsys.readouterr().err
    assert TOO_DEEP in err.splitlines()
    assert "Traceback" not in err
    assert not (project / "site").exists()


def test_serve_renders_through_the_same_path(project):
    # LedgerPlugin (build and serve alike) renders through check_and_render
    from generator.mkdocs_glue import check_and_render

    (project / A).write_text((project / A).read_text() + "\n" + RECURSION + "\n")
    problems = Problems()
    check_and_render(Settings.for_project(project, serve=True), problems)
    assert [p.format() for p in problems.sorted()] == [TOO_DEEP]


# ---------------------------------------------------------------------------------------------
# What must still pass


def long_article(sections: int) -> str:
    """Normal writing at length: headings, paragraphs with links and emphasis, a table and a
    list in each section, and figures from the data."""
    out = []
    for i in range(sections):
        out.append(f"## Section {i}\n")
        out.append("Acme AI raised {{ fig('acme-ai/series-b/amount_raised') }}, led by [Example "
                   f"Ventures](https://example.org/news/{i}) with *several* **investors**; see "
                   "{{ page_link('valuations.md', 'the valuations') }} and `the data` & more. " * 3
                   + "\n")
        out.append("| company | raised | source |\n|---|---|---|\n" + "".join(
            f"| [Company {j}](https://example.org/c/{j}) | US$ {j} billion | *reported* |\n"
            for j in range(8)) + "\n")
        out.append("- one [link](https://example.org/a)\n- two `code`\n- three & four\n")
        out.append("> A short quotation, with a [source](https://example.org/q).\n")
    return "\n".join(out)


def test_a_long_legitimate_article_passes(scratch):
    root, original = scratch
    text = long_article(150)
    assert 200_000 < len(text) < 250_000
    (root / A).write_text(original + "\n" + text, encoding="utf-8")
    try:
        problems, pages = run(root, Limits())
        assert problems == []
        assert pages["articles/first.md"].count("## Section") == 150
    finally:
        (root / A).write_text(original, encoding="utf-8")


def test_the_shipped_articles_and_pages_pass_with_room_to_spare():
    problems, pages = run(REPO, Limits())
    assert problems == []
    # ten times tighter Markdown limits still pass: the defaults are far from real writing
    tight = MarkdownLimits(blocks=2_000, breaks=5, fences=20, nesting=3, quotes=1,
                           brackets=(200_000, 800_000), angles=(2_000_000, 6_000_000),
                           marks=(40_000_000, 200_000_000))
    for path, text in pages.items():
        if path.startswith("articles/") or path in ("index.md", "methodology.md"):
            body = text.split("\n---\n", 1)[1]
            assert markdown_shapes(body, tight) == [], path


@pytest.mark.parametrize("text", [
    "```\n" + "[" * 5000 + "\n```\n",  # in a code block: never read as Markdown
    '<div class="x">' + "<" * 5000 + "</div>\n",  # raw HTML: kept as it is
    "a paragraph\n\n" * 50 + "## heading\n\ntext\n",
], ids=["code-block", "raw-html-block", "headings-between-blank-lines"])
def test_shapes_markdown_does_not_read_are_not_counted(text):
    assert markdown_shapes(text, MarkdownLimits()) == []


def test_an_unclosed_code_fence_is_read_as_markdown_and_counted():
    # Python-Markdown needs the closing fence: without it the brackets are a paragraph
    (found,) = markdown_shapes("```\n" + "[" * 5000 + "\n", MarkdownLimits())
    assert found[0] == 0 and found[1].startswith("this paragraph holds 5,000 '['")


def test_the_markdown_check_stays_linear_on_its_own_worst_input():
    # '<a' without '>' once made a pattern of this check read the rest of the line for each
    # '<'; 400,000 of them must be refused by counting, in one pass
    (found,) = markdown_shapes("<a" * 400_000, MarkdownLimits())
    assert found[1].startswith("this paragraph holds 400,000 '<' in 800,000 characters")


def test_contributing_states_the_default_limits():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    d, md = Limits(), MarkdownLimits()
    for row in [
        f"| time to render one page | {d.seconds:g} seconds |",
        f"| loop iterations in one page, all loops together | {d.iterations:,} |",
        f"| macro calls inside one another (and lists inside lists) | {d.depth} |",
        f"| text the template code writes | 1 MiB ({d.output:,} characters) |",
        "| one value the code builds (a string, a list, a joined or padded text) | "
        f"{d.value:,} characters or items |",
        f"| one number the code builds, written out in full | {d.digits:,} digits (Python's own "
        "limit) |",
        f"| template tags (`{{{{ … }}}}` and `{{% … %}}`) in one page | {d.tags:,} |",
        f"| `{{% for %}}`, `{{% if %}}`, `{{% macro %}}` … inside one another | {d.blocks} |",
        f"| brackets, signs, `not` and `if` inside one another in one tag | {d.nesting} |",
        "| levels of template code in all (in `a + b + c`, or a chain of filters, each step is a "
        "level) | "
        f"{d.levels} |",
        f"| `[` in a paragraph, times the paragraph's length in characters | "
        f"{md.brackets[0]:,} (so {md.brackets[0] // 3000} `[` in a paragraph of 3,000 "
        f"characters); {md.brackets[1]:,} summed over the page |",
        f"| `<` in a paragraph, times its length | {md.angles[0]:,}; {md.angles[1]:,} over the "
        "page |",
        f"| `` ` ``, `*`, `_`, `&` and `\\` in a paragraph, times its length | {md.marks[0]:,}; "
        f"{md.marks[1]:,} over the page |",
        "| headings, rules, underlines and `:` definitions in one block of lines (no blank line "
        f"between) | {md.breaks} |",
        f"| code fences (```` ``` ```` or `~~~` lines) in one page | {md.fences} |",
        "| lists and notes inside one another (4 spaces of indentation each), and HTML with "
        f"`markdown=\"1\"` inside one another | {md.nesting} |",
        f"| `>` quotes inside one another | {md.quotes} |",
        f"| blocks (paragraphs, headings, list items, table rows) in one page | {md.blocks:,} |",
    ]:
        assert row in text, row


@pytest.mark.parametrize("code, message", [
    ("{{ [1, 2]|random }}", f"random picks by chance, {CLOCK}"),
    ("{{ lipsum() }}", f"lipsum makes up text by chance, {CLOCK}"),
    ("{{ d.today() }}", f"'today' reads the clock, {CLOCK}"),
], ids=["random", "lipsum", "today"])
def test_templates_have_no_chance_or_clock_either(code, message):
    import datetime

    import jinja2

    from generator.render.sandbox import make_env

    env = make_env(jinja2.DictLoader({"t.md.j2": code}))  # the templates' sandbox: no limits
    with pytest.raises(jinja2.exceptions.SecurityError) as caught:
        env.get_template("t.md.j2").render(d=datetime.date(2026, 1, 1))
    assert str(caught.value) == message


def test_formatting_within_the_budget_works_as_jinja_does(scratch):
    # the budget's formatter replaces the sandbox's: Markup still escapes what it inserts
    root, original = scratch
    (root / A).write_text(original + "\n{{ ('{}'|e).format('<b>') }} "
                          "{{ '{:>6}|{:.2f}'.format('x', 2.5) }} {{ '%05d' % 42 }}\n",
                          encoding="utf-8")
    try:
        problems, pages = run(root, Limits())
        assert problems == []
        assert "\n&lt;b&gt;      x&#124;2&#46;50 00042\n" in pages["articles/first.md"]
    finally:
        (root / A).write_text(original, encoding="utf-8")
