"""Figures that mean exactly what they say (issue 15): each valuation's basis, ranges and bounds,
conflicting reports, and money counted once.

A table of bad input → the exact located report for every new notation (as in
test_bad_inputs.py, on a copy of the mini project), arithmetic that keeps bounds, and the
investor-to-lab totals of the shipped data, read from the chart, the profiles and the downloads
and compared with fixed values."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import B, C, T, case, replace, steps, write

BIGCLOUD = ("id: bigcloud\nname: BigCloud\nkind: cloud-provider\nfounded: 2001\nsummary: A "
            "fictional cloud provider used by the tests.\nlast_checked: 2026-11-24\n")
ALT = "    note: Reported by one outlet.\n"  # the end of the Series B, where alternatives go


def alternatives(block: str):
    """The Series B of the mini project with an alternatives: block (its lines, indented)."""
    return replace(C, ALT, ALT + "    alternatives:\n" + block)


def b_line(field: str, value: str):
    """A line added to the Series B, after its status."""
    return replace(C, "    status: reported\n", f"    status: reported\n    {field}: {value}\n")


# A later round in which the Series A's investor takes part, for lines counted elsewhere
SERIES_C = ("  - id: series-c\n    date: 2024-03\n    kind: primary-round\n    round: Series C\n"
            "    amount_raised: USD 2 billion\n    investors:\n      - company: bigcloud\n"
            "        amount: USD 1 billion\n{line}    status: reported\n"
            "    sources: [daily-2023]\nmetrics:\n")


def series_c(line: str = ""):
    """The Series C added, with ``line`` after its investor's amount."""
    return replace(C, "metrics:\n", SERIES_C.format(line=line))


LAUNCH = write(B, BIGCLOUD + "events:\n  - id: launch-2024\n    date: 2024-01\n"
               "    kind: primary-round\n    status: reported\n    sources: [daily-2023]\n")


CASES = [
    # -- bases -----------------------------------------------------------------------------------
    case("basis-contradicts-kind",
         replace(C, "    valuation_basis: post-money\n    status: reported",
                 "    valuation_basis: secondary\n    status: reported"),
         f"{C}:29:22: events[1].valuation_basis: 'secondary' (price implied by a sale of "
         "existing shares) does not fit a primary-round, whose valuation is "
         "'post-money', 'pre-money' or 'not-stated'; a price of another kind of deal is "
         "an event of that kind"),
    case("basis-unknown",
         replace(C, "    valuation_basis: post-money\n    status: reported",
                 "    valuation_basis: postmoney\n    status: reported"),
         f"{C}:29:22: events[1].valuation_basis: 'postmoney' is not allowed, expected one "
         "of post-money, pre-money, not-stated, secondary, ipo, market-value, "
         "deal-value, offer-declined, target; did you mean 'post-money'?"),
    case("valuation-without-basis",
         replace(C, "    valuation_basis: post-money\n    status: reported",
                 "    status: reported"),
         f"{C}:28:16: events[1].valuation: a valuation states its basis: add "
         "'valuation_basis:' with 'post-money', 'pre-money' or 'not-stated' (for a "
         "primary-round)"),
    case("basis-without-valuation",
         replace(C, "    valuation: USD 10 billion\n", ""),
         f"{C}:28:22: events[1].valuation_basis: valuation_basis is given, but there is "
         "no valuation; add 'valuation:' or remove the basis"),
    case("pre-money-basis-and-pre-money-field",
         replace(C, "    valuation_basis: post-money\n    status: reported",
                 "    valuation_basis: pre-money\n    status: reported"),
         f"{C}:29:22: events[1].valuation_basis: valuation_basis is pre-money, and "
         "pre_money_valuation is given too; give the pre-money once (a round that "
         "reports both: the post-money in valuation, with valuation_basis: post-money)"),
    case("pre-money-on-a-tender-offer",
         steps(replace(C, "    kind: primary-round\n    round: Series B",
                       "    kind: tender-offer\n    round: Series B"),
               replace(C, "    valuation_basis: post-money\n    status: reported",
                       "    valuation_basis: secondary\n    status: reported")),
         f"{C}:27:26: events[1].pre_money_valuation: pre_money_valuation belongs to a "
         "round that sells new shares (primary-round or strategic-investment); a "
         "tender-offer has no money going in to come before"),
    case("the-old-post-money-field",
         replace(C, "    valuation: USD 1 billion\n    valuation_basis: post-money\n",
                 "    post_money_valuation: USD 1 billion\n"),
         f"{C}:14:5: events[0].post_money_valuation: 'post_money_valuation' is no longer "
         "a field: a valuation is now written 'valuation:' with its kind in "
         "'valuation_basis:' (post-money, for a round's post-money valuation)"),
    # -- ranges and bounds -----------------------------------------------------------------------
    case("range-inverted",
         replace(C, "valuation: USD 10 billion", "valuation: USD 12 billion to 10 billion"),
         f"{C}:28:16: events[1].valuation: 'USD 12 billion to 10 billion' is not a range: "
         "its low end (USD 12 billion) is above its high end (USD 10 billion); write the "
         "smaller amount first"),
    case("range-equal-ends",
         replace(C, "valuation: USD 10 billion", "valuation: USD 10 billion to 10 billion"),
         f"{C}:28:16: events[1].valuation: 'USD 10 billion to 10 billion' is not a range: "
         "both ends are USD 10 billion; write one amount"),
    case("range-scale-on-one-end",
         replace(C, "valuation: USD 10 billion", "valuation: USD 10 to 12 billion"),
         f"{C}:28:16: events[1].valuation: 'USD 10 to 12 billion' has a scale word after "
         "one end of the range only; write it after both numbers, as in 'USD 27 billion "
         "to 29 billion'"),
    case("range-with-a-bound",
         replace(C, "valuation: USD 10 billion",
                 "valuation: at least USD 10 billion to 12 billion"),
         f"{C}:28:16: events[1].valuation: 'at least USD 10 billion to 12 billion' is a "
         "range with 'at least'; a range has two ends already, so its only qualifier is "
         "'about': write the range without 'at least', or one amount such as 'at least "
         "USD 10 billion'"),
    case("range-written-with-a-dash",
         replace(C, "valuation: USD 10 billion", "valuation: USD 10-12 billion"),
         f"{C}:28:16: events[1].valuation: 'USD 10-12 billion' is not in the money "
         "notation (write a range as 'USD 27 billion to 29 billion': the currency once, "
         "then each number with its scale word, joined by 'to'); write it as 'USD 65 "
         "billion' (also 'about USD 86 billion', 'EUR 1.7 billion', 'USD 750 million')"),
    case("range-where-one-amount-is-required",
         replace(C, "amount_raised: USD 1.5 billion",
                 "amount_raised: USD 1.5 billion to 2 billion"),
         f"{C}:26:20: events[1].amount_raised: 'USD 1.5 billion to 2 billion' is a range, "
         "but this field takes one amount; give the figure the sources support (with "
         "'about' or a bound such as 'at least' if need be), and record a figure that "
         "other reports give as an alternative"),
    case("range-in-a-commitment", b_line("amount_committed", "USD 2 billion to 3 billion"),
         f"{C}:31:23: events[1].amount_committed: 'USD 2 billion to 3 billion' is a "
         "range, but this field takes one amount; give the figure the sources support "
         "(with 'about' or a bound such as 'at least' if need be), and record a figure "
         "that other reports give as an alternative"),
    case("range-in-an-investor-amount",
         replace(C, "      - name: Angel Fund", "      - name: Angel Fund\n"
                 "        amount: USD 1 million to 2 million"),
         f"{C}:20:17: events[0].investors[1].amount: 'USD 1 million to 2 million' is a "
         "range, but this field takes one amount; give the figure the sources support "
         "(with 'about' or a bound such as 'at least' if need be), and record a figure "
         "that other reports give as an alternative"),
    case("range-in-a-table-cell",
         replace(T, "price: USD 30 thousand", "price: USD 30 thousand to 40 thousand"),
         f"{T}:29:71: rows[1].values.price: 'USD 30 thousand to 40 thousand' is a range, "
         "but this field takes one amount; give the figure the sources support (with "
         "'about' or a bound such as 'at least' if need be), and record a figure that "
         "other reports give as an alternative"),
    case("up-to-as-money-paid-in",
         replace(C, "amount_raised: USD 1.5 billion", "amount_raised: up to USD 1.5 billion"),
         f"{C}:26:20: events[1].amount_raised: 'up to USD 1.5 billion' is a ceiling, but "
         "this field is money paid in; put an 'up to' amount in amount_committed (or "
         "committed, for one investor) and the part known to be paid here"),
    case("commitment-below-money-paid", b_line("amount_committed", "up to USD 1 billion"),
         f"{C}:31:23: events[1].amount_committed: amount_committed (up to USD 1 billion) "
         "is below amount_raised (USD 1.5 billion); a commitment includes what was paid "
         "at once, so check both"),
    case("inverted-range-in-a-metric",
         replace(C, "value: about USD 500 million", "value: USD 600 million to 500 million"),
         f"{C}:36:12: metrics[0].value: 'USD 600 million to 500 million' is not a range: "
         "its low end (USD 600 million) is above its high end (USD 500 million); write "
         "the smaller amount first"),
    # -- alternatives ----------------------------------------------------------------------------
    case("alternative-without-sources",
         alternatives("      - valuation: USD 12 billion\n        note: Another outlet.\n"),
         f"{C}:34:9: events[1].alternatives[0].sources: required field 'sources' is "
         "missing; add 'sources:' with a list of source ids, such as [acme-news-2021] "
         "(file names in data/sources/ without .yaml)"),
    case("alternative-with-empty-sources",
         alternatives("      - valuation: USD 12 billion\n        sources: []\n"),
         f"{C}:35:18: events[1].alternatives[0].sources: the list is empty; give at least "
         "one source id, such as [acme-news-2021]"),
    case("alternative-with-unknown-source",
         alternatives("      - valuation: USD 12 billion\n        sources: [daily-2024]\n"),
         f"{C}:35:19: events[1].alternatives[0].sources[0]: unknown source 'daily-2024': "
         "there is no file data/sources/daily-2024.yaml; did you mean 'daily-2023'?"),
    case("alternative-to-a-field-the-event-lacks",
         alternatives("      - amount_committed: USD 3 billion\n        sources: [daily-2023]\n"),
         f"{C}:34:27: events[1].alternatives[0].amount_committed: an alternative to "
         "amount_committed, but the event has no amount_committed; give the figure used "
         "in amount_committed, and the figures other reports give as alternatives"),
    case("alternative-equal-to-the-figure-used",
         alternatives("      - valuation: USD 10 billion\n        sources: [daily-2023]\n"),
         f"{C}:34:20: events[1].alternatives[0].valuation: USD 10 billion is the figure "
         "used in valuation; an alternative is a figure another report gives that "
         "differs from it"),
    case("alternative-in-another-currency",
         alternatives("      - valuation: EUR 9 billion\n        sources: [daily-2023]\n"),
         f"{C}:34:20: events[1].alternatives[0].valuation: this alternative is in EUR, "
         "but valuation is in USD; compare figures in one currency"),
    case("alternative-with-two-figures",
         alternatives("      - valuation: USD 12 billion\n        amount_raised: USD 2 billion\n"
                      "        sources: [daily-2023]\n"),
         f"{C}:34:9: events[1].alternatives[0]: an alternative gives exactly one figure, "
         "in the field it is an alternative to (amount_raised, amount_committed, "
         "pre_money_valuation, valuation); this one gives amount_raised and valuation"),
    case("alternative-with-no-figure",
         alternatives("      - sources: [daily-2023]\n"),
         f"{C}:34:9: events[1].alternatives[0]: an alternative gives exactly one figure, "
         "in the field it is an alternative to (amount_raised, amount_committed, "
         "pre_money_valuation, valuation); this one gives none"),
    case("alternative-basis-without-valuation",
         alternatives("      - amount_raised: USD 2 billion\n        valuation_basis: secondary\n"
                      "        sources: [daily-2023]\n"),
         f"{C}:35:26: events[1].alternatives[0].valuation_basis: valuation_basis goes "
         "with a valuation; remove it"),
    # -- money counted once ----------------------------------------------------------------------
    case("counted-in-another-company-s-event", steps(LAUNCH, b_line("counted_in", "launch-2024")),
         f"{C}:31:17: events[1].counted_in: 'launch-2024' is not another event of this "
         "company ('launch-2024' is an event of bigcloud; money is counted within the "
         "events of one company)"),
    case("counted-in-an-unknown-event", b_line("counted_in", "series-x"),
         f"{C}:31:17: events[1].counted_in: 'series-x' is not another event of this "
         "company; did you mean 'series-a'?"),
    case("counted-in-itself", b_line("counted_in", "series-b"),
         f"{C}:31:17: events[1].counted_in: 'series-b' is this event itself; name another "
         "event of this company"),
    case("counted-in-a-loop",
         steps(b_line("counted_in", "series-a"),
               replace(C, "    status: confirmed\n    sources: [acme-news-2021]\n  - id: series-b",
                       "    counted_in: series-b\n    status: confirmed\n"
                       "    sources: [acme-news-2021]\n  - id: series-b")),
         f"{C}:20:17: events[0].counted_in: counted_in makes a loop ('series-a' → "
         "'series-b' → 'series-a'), so each event would leave the other's money out; "
         "keep counted_in on the event whose money the other holds",
         f"{C}:32:17: events[1].counted_in: counted_in makes a loop ('series-b' → "
         "'series-a' → 'series-b'), so each event would leave the other's money out; "
         "keep counted_in on the event whose money the other holds", count="2 errors in 1 file"),
    case("line-counted-in-another-company-s-event",
         steps(LAUNCH, series_c("        counted_in: launch-2024\n")),
         f"{C}:41:21: events[2].investors[0].counted_in: 'launch-2024' is not another "
         "event of this company ('launch-2024' is an event of bigcloud; money is counted "
         "within the events of one company)"),
    case("line-counted-in-an-event-without-that-investor",
         series_c("        counted_in: series-b\n"),
         f"{C}:41:21: events[2].investors[0].counted_in: 'series-b' has no line for "
         "investor 'bigcloud'; counted_in names the event whose line for the same "
         "investor holds this money"),
    case("line-counted-in-without-an-amount",
         replace(C, "        role: lead\n", "        role: lead\n        counted_in: series-b\n"),
         f"{C}:19:21: events[0].investors[0].counted_in: counted_in says that this "
         "investor's money is counted in another event, but this line gives no amount; "
         "remove counted_in, or give the amount"),
    case("lines-counted-in-each-other",
         steps(replace(C, "        role: lead\n      - name: Angel Fund",
                       "        role: lead\n        amount: USD 1 billion\n"
                       "        counted_in: series-c\n      - name: Angel Fund"),
               series_c("        counted_in: series-a\n")),
         f"{C}:20:21: events[0].investors[0].counted_in: the line for 'bigcloud' in "
         "'series-c' is counted in this event, and this one in 'series-c': keep the "
         "money in one of them",
         f"{C}:43:21: events[2].investors[0].counted_in: the line for 'bigcloud' in "
         "'series-a' is counted in this event, and this one in 'series-a': keep the "
         "money in one of them", count="2 errors in 1 file"),
    case("paid-under-an-event-without-a-commitment", b_line("paid_under", "series-a"),
         f"{C}:31:17: events[1].paid_under: 'series-a' has no amount_committed; "
         "paid_under names the event whose commitment this money was paid under"),
    case("paid-under-without-money-paid",
         replace(C, "    amount_raised: USD 100 million\n", "    paid_under: series-b\n"),
         f"{C}:13:17: events[0].paid_under: paid_under names the commitment this money "
         "was paid under, but the event has no amount_raised; add it, or remove "
         "paid_under"),
    case("paid-under-more-than-the-commitment",
         steps(replace(C, "    status: confirmed\n    sources: [acme-news-2021]\n  - id: series-b",
                       "    amount_committed: up to USD 1 billion\n    status: confirmed\n"
                       "    sources: [acme-news-2021]\n  - id: series-b"),
               b_line("paid_under", "series-a")),
         f"{C}:32:17: events[1].paid_under: the money paid under 'series-a' adds up to "
         "USD 1.6 billion, more than its commitment (up to USD 1 billion); check the "
         "amounts, or which commitment each payment belongs to"),
]


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_figure_that_does_not_mean_what_it_says_is_refused_exactly(case, project: Path, check):
    case.mutate(project)
    run = check(project, *case.args)
    assert "Traceback" not in run.text
    assert run.code == 1
    assert run.out == ""
    assert run.lines == [*case.expected, case.count]


# ---------------------------------------------------------------------------------------------
# Arithmetic that keeps what a figure says


def _fig(text: str, status: str = "confirmed"):
    from generator.render.api import Figure
    from generator.values import parse_money

    return Figure(parse_money(text), ("s",), status)


@pytest.mark.parametrize("call, shown", [
    (lambda a: a.ratio(_fig("USD 965 billion"), _fig("more than USD 47 billion")),
     "less than 20.6×"),
    (lambda a: a.ratio(_fig("more than USD 100 billion"), _fig("up to USD 25 billion")),
     "more than 4.0×"),
    (lambda a: a.ratio(_fig("USD 30 billion"), _fig("up to USD 15 billion")), "at least 2.0×"),
    (lambda a: a.ratio(_fig("USD 852 billion"), _fig("about USD 86 billion")), "about 9.9×"),
    (lambda a: a.ratio(_fig("USD 852 billion"), _fig("USD 27 billion to 29 billion")),
     "29.3–31.6×"),
    (lambda a: a.ratio(_fig("at least USD 30 billion"), _fig("USD 10 billion"), 0), "at least 3×"),
    (lambda a: a.growth(_fig("USD 29 billion to 31 billion"), _fig("USD 10 billion")),
     "+190% to +210%"),
    (lambda a: a.diff(_fig("up to USD 25 billion"), _fig("USD 5 billion")), "up to US$20 billion"),
    (lambda a: a.diff(_fig("USD 5 billion"), _fig("up to USD 25 billion")), "up to US$20 billion"),
    (lambda a: a.diff(_fig("USD 965 billion"), _fig("more than USD 900 billion")),
     "less than US$65 billion"),
    (lambda a: a.diff(_fig("about USD 1.77 trillion"), _fig("about USD 1.7 trillion")),
     "about US$70 billion"),
    (lambda a: a.total(_fig("more than USD 100 billion"), _fig("USD 30 billion")),
     "more than US$130 billion"),
    (lambda a: a.total(_fig("up to USD 4 billion"), _fig("USD 4 billion"),
                       _fig("up to USD 25 billion")), "up to US$33 billion"),
    (lambda a: a.total(_fig("USD 1 billion to 2 billion"), _fig("about USD 3 billion")),
     "about US$4–5 billion"),
], ids=["exact-over-lower-bound", "lower-over-upper", "exact-over-upper", "about", "range",
        "lower-bound-rounded-down", "growth-of-a-range", "ceiling-less-paid", "either-order",
        "less-a-lower-bound", "about-less-about", "total-with-a-floor", "total-of-ceilings",
        "total-of-a-range"])
def test_a_computed_figure_says_no_more_than_its_figures(call, shown):
    from generator.render.api import Api

    assert call(Api(None, None)).text() == shown


@pytest.mark.parametrize("call, message", [
    (lambda a: a.ratio(_fig("more than USD 900 billion"), _fig("more than USD 47 billion")),
     "ratio()'s result is bounded on neither side: one figure is a lower bound and the other an "
     "upper bound (or both bound the same side), so nothing true can be said of the result"),
    (lambda a: a.total(_fig("more than USD 100 billion"), _fig("up to USD 25 billion")),
     "total()'s result is bounded on neither side: one figure is a lower bound and the other an "
     "upper bound (or both bound the same side), so nothing true can be said of the result"),
], ids=["lower-over-lower", "lower-plus-upper"])
def test_a_result_bounded_on_neither_side_is_refused(call, message):
    from generator.render.api import Api
    from generator.types import RenderError

    with pytest.raises(RenderError) as info:
        call(Api(None, None))
    assert str(info.value) == message


def test_a_computed_figure_cites_at_the_end_of_its_sentence_and_only_what_is_new():
    import html

    from generator.markup import on_page, settle_citations
    from generator.render.api import Figure
    from generator.types import PageState

    a = Figure(1, ("a",), "confirmed")
    with on_page(PageState("x.md")):
        r1 = Figure("2.5×", ("a", "b"), "reported", computed=True)
        text = (f"First {a.__html__()} here; it is {r1.__html__()} that figure. Then "
                f"{Figure('3 months', ('c',), 'confirmed', computed=True).__html__()} later.\n\n"
                f"| {Figure('4×', ('a',), 'confirmed', computed=True).__html__()} | x |\n")
        out = html.unescape(settle_citations(text))
    cite = '<sup class="fl-cite">[<a href="#fl-src-{0}" title="Source {0}">{0}</a>]</sup>'
    badge = '<span class="fl-status fl-status--reported"'
    # source a is cited earlier in the paragraph: only b is new, with the ratio's status
    assert f"it is 2.5× that figure{cite.format(2)} {badge}" in out
    assert f"Then 3 months later{cite.format(3)}." in out
    # a new paragraph (a table row) cites again
    assert f"| 4×{cite.format(1)} | x |" in out
    assert "\ue000" not in out


# ---------------------------------------------------------------------------------------------
# The shipped site: money counted once, bases named, labels, who is in a chart


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped project, rendered as a build renders it: (pages by path, dataset)."""
    import shutil

    from generator.load import load
    from generator.problems import Problems
    from support import REPO, render_pages

    root = tmp_path_factory.mktemp("shipped") / "p"
    for folder in ("data", "site_src", "templates", "overrides"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    problems, pages = render_pages(root)
    assert problems.report() == "no problems found"
    return pages, load(root, Problems()), root


# investor → lab: paid in, paid and committed (the ceiling), not known to be paid, rounds
# joined without a disclosed share (research worklist §4). USD.
TOTALS = {
    ("amazon", "anthropic"): (13_000_000_000, 33_000_000_000, 20_000_000_000, 0),
    ("amazon", "openai"): (0, 50_000_000_000, 50_000_000_000, 0),
    ("google", "anthropic"): (11_800_000_000, 43_300_000_000, 31_500_000_000, 1),
    ("google", "safe-superintelligence"): (0, 0, 0, 1),
    ("microsoft", "openai"): (11_000_000_000, 11_000_000_000, 0, 4),
    ("microsoft", "anthropic"): (0, 5_000_000_000, 5_000_000_000, 0),
    ("nvidia", "openai"): (0, 30_000_000_000, 30_000_000_000, 1),
    ("nvidia", "anthropic"): (0, 10_000_000_000, 10_000_000_000, 0),
    ("nvidia", "safe-superintelligence"): (0, 0, 0, 1),
    ("nvidia", "thinking-machines-lab"): (0, 0, 0, 1),  # its March 2026 investment, undisclosed
}
NAMES = {"amazon": "Amazon", "google": "Google (Alphabet)", "microsoft": "Microsoft",
         "nvidia": "NVIDIA", "anthropic": "Anthropic", "openai": "OpenAI",
         "safe-superintelligence": "Safe Superintelligence",
         "thinking-machines-lab": "Thinking Machines Lab"}


def _number(cell: str) -> int:
    """'up to US&#36;33 billion' → 33000000000; '—' → 0."""
    import html
    import re

    text = html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
    if text in ("—", ""):
        return 0
    m = re.fullmatch(r"(?:about |up to |more than |at least )?US\$([0-9.]+) (million|billion)",
                     text)
    assert m, text
    scale = {"million": 10**6, "billion": 10**9}[m.group(2)]
    return round(float(m.group(1)) * scale)


def _table_rows(page: str, heading: str) -> dict[str, list[str]]:
    """The rows of the Markdown table under ``heading``, by the linked name in their first cell."""
    import html
    import re

    part = page.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in part.splitlines():
        if line.startswith("| [") and "|---" not in line:
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            rows[html.unescape(re.match(r"\[([^\]]+)\]", cells[0]).group(1))] = cells[1:]
    return rows


def _from_lines(rows, paid_key, committed_key, counted, under, who) -> dict:
    """Pair totals from line rows (chart CSV or investments.csv): each payment once, each
    commitment's ceiling once."""
    out: dict = {}
    for r in rows:
        key = who(r)
        if key is None:
            continue
        paid = int(r[paid_key] or 0)
        committed = int(r[committed_key] or 0)
        t = out.setdefault(key, [0, 0, 0])
        if counted(r):
            continue
        t[0] += paid
        t[1] += committed if committed else (0 if under(r) else paid)
        t[2] += not paid and not committed
    return {k: (p, c, c - p, u) for k, (p, c, u) in out.items()}


def test_investor_to_lab_totals_agree_in_the_chart_the_profiles_and_the_downloads(shipped):
    import csv
    import io

    pages, _, _ = shipped
    ids = {v: k for k, v in NAMES.items()}
    # the chart's data (its CSV download)
    chart = list(csv.DictReader(io.StringIO(pages["charts/who-funds-whom.csv"].decode())))
    from_chart = _from_lines(
        chart, "paid", "committed", lambda r: r["how"].startswith("counted in"),
        lambda r: "under the commitment of" in r["how"],
        lambda r: (ids[r["investor"]], ids[r["lab"]]))
    # the downloads
    rows = list(csv.DictReader(io.StringIO(pages["downloads/investments.csv"].decode())))
    from_download = _from_lines(
        rows, "paid", "committed", lambda r: bool(r["counted_in"]), lambda r: bool(r["paid_under"]),
        lambda r: (r["investor_id"], r["company_id"]) if (r["investor_id"], r["company_id"])
        in TOTALS else None)
    # the profiles: the lab's table of its investors, and each investor's table of investments
    from_labs, from_investors = {}, {}
    for (inv, lab) in TOTALS:
        row = _table_rows(pages[f"companies/{lab}.md"], "## Money from investors profiled here")
        cells = row[NAMES[inv]]
        from_labs[(inv, lab)] = (*(_number(c) for c in cells[:3]), int(cells[3]))
        row = _table_rows(pages[f"companies/{inv}.md"],
                          "## Investments in companies profiled here")
        cells = row[NAMES[lab]]
        from_investors[(inv, lab)] = (*(_number(c) for c in cells[:3]), int(cells[3]))
    assert from_chart == TOTALS
    assert from_download == TOTALS
    assert from_labs == TOTALS
    assert from_investors == TOTALS



TINY = """\
id: tiny-labs
name: Tiny Labs
kind: ai-lab
summary: A small, unrelated AI lab added by a test.
last_checked: 2026-11-24
events:
  - id: seed
    date: 2024-03
    kind: primary-round
    round: Seed
    amount_raised: USD 5 million
    valuation: USD 20 million
    valuation_basis: post-money
    investors:
      - name: Small Fund
    status: reported
    sources: [tinywire-2025-tiny-labs]
  - id: series-a
    date: 2025-06
    kind: primary-round
    round: Series A
    amount_raised: USD 10 million
    valuation: USD 50 million
    valuation_basis: post-money
    status: reported
    sources: [tinywire-2025-tiny-labs]
"""
TINY_SOURCE = """\
id: tinywire-2025-tiny-labs
publisher: Tiny Wire
title: Tiny Labs raises a Series A
url: https://www.example.com/2025/06/01/tiny-labs-raises-a-series-a
published: 2025-06-01
accessed: 2025-06-02
tier: outlet
"""
# Where an article lists companies: a chart's data table, its alt text (which names its lowest
# and highest), its notes (which say who is compared), and the count of its rows.
LISTS = ('<div class="fl-chart__table">', '<div class="fl-chart__svg"', '<p class="fl-chart__note">',
         '<details class="fl-chart__data">')


def _article_lines(text: str) -> list[str]:
    """An article's text, without its numbered sources (whose numbers follow what is cited)."""
    import re

    text = text.split('<div class="fl-sources"', 1)[0]
    return re.sub(r'<sup class="fl-cite">.*?</sup>', "[n]", text).splitlines()


def test_adding_an_unrelated_small_company_changes_articles_only_where_they_list_companies(
        shipped, tmp_path):
    import difflib
    import shutil

    from support import render_pages

    pages, _, root = shipped
    copy = tmp_path / "p"
    shutil.copytree(root, copy)
    (copy / "data/companies/tiny-labs.yaml").write_text(TINY, encoding="utf-8")
    (copy / "data/sources/tinywire-2025-tiny-labs.yaml").write_text(TINY_SOURCE, encoding="utf-8")
    problems, more = render_pages(copy)
    assert problems.report() == "no problems found"
    articles = sorted(p for p in pages if p.startswith("articles/") and p.endswith(".md"))
    assert len(articles) >= 6
    changed = []
    for path in articles + ["index.md"]:
        before, after = _article_lines(pages[path]), _article_lines(more[path])
        for line in difflib.unified_diff(before, after, lineterm="", n=0):
            if line[:1] in "+-" and not line.startswith(("+++", "---")):
                changed.append((path, line))
    assert changed, "the small company should appear in the latest-valuations chart"
    # what changed lists companies, and names the new one where it is added
    assert [(p, ln[:60]) for p, ln in changed if not ln[1:].startswith(LISTS)] == []
    assert [(p, ln[:120]) for p, ln in changed if ln.startswith("+")
            and ln[1:].startswith(LISTS[:3]) and "Tiny Labs" not in ln] == []


def test_every_valuation_names_its_basis_where_it_appears(shipped):
    import csv
    import io
    import json
    import re

    pages, _, _ = shipped
    events = {(r["company_id"], r["event_id"]): r for r in
              csv.DictReader(io.StringIO(pages["downloads/events.csv"].decode()))}
    assert [(k, events[k]["valuation_basis"]) for k in (
        ("openai", "tender-2024"), ("openai", "secondary-2025-10"), ("spacex", "ipo"),
        ("saudi-aramco", "ipo"), ("spacex", "xai-merger"), ("xai", "merger-spacex"),
        ("anthropic", "declined-offers-2026-04"), ("anthropic", "talks-2026-05"),
        ("anthropic", "microsoft-nvidia-2025-11"), ("anthropic", "series-h"))] == [
        (("openai", "tender-2024"), "secondary"), (("openai", "secondary-2025-10"), "secondary"),
        (("spacex", "ipo"), "ipo"), (("saudi-aramco", "ipo"), "ipo"),
        (("spacex", "xai-merger"), "deal-value"), (("xai", "merger-spacex"), "deal-value"),
        (("anthropic", "declined-offers-2026-04"), "offer-declined"),
        (("anthropic", "talks-2026-05"), "target"),
        (("anthropic", "microsoft-nvidia-2025-11"), "not-stated"),
        (("anthropic", "series-h"), "post-money")]
    tender = events[("openai", "tender-2023-04")]  # a range of reports: both ends
    assert (tender["valuation"], tender["valuation_low"], tender["valuation_high"],
            tender["valuation_qualifier"]) == ("", "27000000000", "29000000000", "about")
    # like with like: the latest-valuations chart compares private post-money valuations only,
    # and names the listed companies apart, with the year of each
    latest = pages["charts/latest-valuations.csv"].decode()
    assert "SpaceX" not in latest and "Saudi Aramco" not in latest
    assert set(re.findall(r"\n([^,\n]+),", latest)) == {
        "Anthropic", "OpenAI", "Safe Superintelligence", "Thinking Machines Lab"}
    notes = pages["valuations.md"].split('id="chart-latest-valuations"', 1)[1].split("</figure>")[0]
    assert ("Not compared, as their latest price is of another kind&#58; Saudi Aramco, about "
            "US&#36;1&#46;7 trillion &#40;at the IPO price, Dec 2019&#41;; SpaceX, about "
            "US&#36;1&#46;77 trillion &#40;at the IPO price, June 2026&#41;") in notes
    assert "Mistral AI, €11&#46;7 billion &#40;Sep 2025&#41;" in notes  # in euros, shown apart
    # the data page's structured data names the bases
    data = pages["data.md"]
    ld = json.loads(json.loads(re.search(r'^jsonld: (".*")$', data, re.M).group(1)))
    assert "post-money" in next(v["description"] for v in ld["variableMeasured"]
                                if v["name"] == "valuation_basis")


def test_reports_that_differ_show_the_figure_used_and_the_others_with_their_citations(shipped):
    import html
    import re

    pages, _, _ = shipped
    profile = html.unescape(pages["companies/anthropic.md"])
    row = next(ln for ln in profile.splitlines() if ln.startswith("| Feb 2024 | Series D"))
    cells = row.split(" | ")
    assert re.search(r"about US\$15 billion<br><span class=\"fl-kind\">Post-money</span><br>"
                     r"<span class=\"fl-differ\">reports differ: US\$18\.4 billion, implied by a "
                     r"share sale</span><sup class=\"fl-cite\">\[<a href=\"#fl-src-\d+\"",
                     cells[5])
    assert "reports differ: US$400 million" in profile and "reports differ: US$550 million" in \
        profile  # Google's 2023 investment: the lowest figure is used


def test_labels_read_once_and_the_same_everywhere(shipped):
    import html
    import re

    pages, _, _ = shipped
    texts = {p: html.unescape(t) for p, t in pages.items() if p.endswith(".md")}
    for path, text in texts.items():
        assert "rumour" not in text.lower(), path  # the status is spelled 'rumored' everywhere
        twice = re.findall(r"\b([A-Za-z][A-Za-z ]+) \(\1\)", text, re.I)
        assert twice == [], (path, twice)  # never 'IPO (ipo)'
        assert not re.search(r"<td>[12],\d{3}</td>", text), path  # no year as '2,026'
    for path in ("articles/the-ipo-question.md", "articles/source-article-fact-check.md",
                 "tables/largest-ipos.md"):
        assert re.search(r"<td>2026</td>|\| 2026 \|", texts[path]), path
    series_h = texts["articles/anthropic-series-h.md"]
    # a computed gap carries no citations of its own, and no badge splits a sentence
    assert "OpenAI's price was set 2 months before Anthropic's, and" in series_h
    assert "was about 9.9× that price." in series_h
    marked = re.compile(r"[×%](?:<sup class=\"fl-cite\">.*?</sup>)?(?: <span class=\"fl-status"
                        r"[^>]*>[a-z]+</span>)?(.)")
    for path, text in texts.items():
        if path.startswith("articles/"):  # marks after a computed figure end its sentence
            for m in marked.finditer(text):
                if m.group(0)[1:-1]:
                    assert m.group(1) in ".;:!?|\n)", (path, text[m.start() - 60:m.end() + 20])


def test_charts_say_who_is_in_them_and_a_profile_without_one_says_why(shipped):
    import html

    pages, _, _ = shipped
    valuations = html.unescape(pages["valuations.md"])
    assert ("Companies with two or more post-money valuations in US$: Anthropic and OpenAI. "
            "Prices implied by share sales, IPO valuations, deal values, talks and targets are "
            "not compared here; each company's profile charts them.") in valuations
    aramco = html.unescape(pages["companies/saudi-aramco.md"])
    assert ("No valuation chart: a chart needs two or more valuations, and Saudi Aramco has one, "
            "the valuation at the IPO price of its IPO (5 December 2019).") in aramco
    assert "No valuation chart" not in html.unescape(pages["companies/anthropic.md"])
