"""The contributor path: CONTRIBUTING.md's worked examples work, new-company makes a valid file, and
the data-diff says what a change means (in a scratch git repository)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import typing
from pathlib import Path

import pytest

from generator import model as m
from generator.datadiff import describe
from generator.load import load
from generator.problems import Problems
from generator.reader import parse_yaml
from generator.values import parse_date, parse_money

from support import REPO, run_cli

GUIDE = REPO / "CONTRIBUTING.md"

# ---------------------------------------------------------------------------------------------
# CONTRIBUTING.md: its examples are applied to a copy of the real project and must pass the check

_BLOCK = re.compile(r'^```(\w+) title="([^"]+)"\n(.*?)^```\n', re.S | re.M)


def guide_blocks() -> list[tuple[str, str, str]]:
    """(title, language, text) of every code block with a title="..." in CONTRIBUTING.md."""
    return [(t, lang, body) for lang, t, body in _BLOCK.findall(GUIDE.read_text(encoding="utf-8"))]


def block(title: str) -> str:
    found = [body for t, _, body in guide_blocks() if t == title]
    assert len(found) == 1, f"CONTRIBUTING.md has {len(found)} blocks titled {title!r}"
    return found[0]


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


COMMITMENT = "data/companies/example-labs.yaml, a commitment and its tranches"


def apply_examples(root: Path, *, correction: bool) -> None:
    """Do what the guide says: the new sources and company, the new round, a commitment and its
    tranches, the article, and (if asked) the correction."""
    for title, _, body in guide_blocks():
        if "," not in title:
            target = root / title
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
    company = root / "data/companies/example-labs.yaml"
    company.write_text(company.read_text(encoding="utf-8") +
                       block("data/companies/example-labs.yaml, at the end of events:") +
                       block(COMMITMENT), encoding="utf-8")
    if correction:
        before = block("data/companies/example-labs.yaml, before")
        after = block("data/companies/example-labs.yaml, after")
        text = company.read_text(encoding="utf-8")
        assert text.count(before) == 1, "the 'before' of the correction is not in the example file"
        company.write_text(text.replace(before, after), encoding="utf-8")


@pytest.fixture
def real_project(tmp_path: Path) -> Path:
    """A copy of the project's own data, articles and templates."""
    dest = tmp_path / "real"
    for folder in ("data", "site_src", "templates"):
        shutil.copytree(REPO / folder, dest / folder)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def _problems(run) -> set[str]:
    return {ln for ln in run.lines if re.match(r"[\w./-]+:\d", ln)}


def test_the_guide_titles_every_example_it_relies_on():
    titles = [t for t, _, _ in guide_blocks()]
    assert titles == [
        "data/companies/example-labs.yaml, before",
        "data/companies/example-labs.yaml, after",
        "data/sources/examplewire-2025-03-04-example-labs-series-a.yaml",
        "data/sources/examplewire-2026-01-15-example-labs-series-b.yaml",
        "data/companies/example-labs.yaml",
        "data/companies/example-labs.yaml, at the end of events:",
        COMMITMENT,
        "site_src/articles/example-labs-series-b.md",
    ]


@pytest.mark.parametrize("correction", [False, True], ids=["examples", "examples+correction"])
def test_following_the_guide_adds_no_problem(real_project: Path, capsys, correction: bool):
    before = run_cli(capsys, real_project, "check")
    apply_examples(real_project, correction=correction)
    after = run_cli(capsys, real_project, "check")
    assert _problems(after) - _problems(before) == set(), after.text
    if before.code == 0:
        assert after.code == 0, after.text


def test_the_article_example_shows_what_the_guide_says(real_project: Path, capsys):
    from generator.cli import run_check

    apply_examples(real_project, correction=False)
    problems, pages = run_check(real_project)
    assert not problems.errors, problems.report()
    page = next(p for p in pages if p.path == "articles/example-labs-series-b.md")
    text = html.unescape(re.sub(r"<[^>]+>", "", page.text))
    for shown in ("US$1.5 billion", "3.8×", "+275%", "10 months", "US$1.1 billion",
                  "US$150 million"):
        assert shown in text, f"{shown!r} is not in the rendered example article"
    guide = guide_text()
    for shown in ("`3.8×`", "`+275%`", "US$1.1 billion", "`10 months`", "shows US$1.5 billion"):
        assert shown in guide


def test_a_misspelt_id_is_reported_as_the_guide_says(real_project: Path, capsys):
    apply_examples(real_project, correction=False)
    art = real_project / "site_src/articles/example-labs-series-b.md"
    art.write_text(art.read_text().replace('link("example-labs")', 'link("example-labz")'))
    run = run_cli(capsys, real_project, "check")
    assert run.code == 1
    assert "unknown company 'example-labz'; did you mean 'example-labs'?" in run.text
    assert "`unknown company 'example-labz'; did you\nmean 'example-labs'?`" in guide_text()


def test_explain_and_check_lines_in_the_guide_are_real(real_project: Path, capsys):
    apply_examples(real_project, correction=False)
    guide = guide_text()
    run = run_cli(capsys, real_project, "check", "--lenient", "--explain")
    explained = [ln for ln in run.lines if ln.startswith("data/companies/example-labs.yaml:")]
    documented = re.search(r"`(data/companies/example-labs\.yaml:\d+:\d+: events\[0\]\."
                           r"valuation: 'USD 400 million' is read as [^`]+)`", guide)
    assert documented and documented.group(1) in explained
    company = real_project / "data/companies/example-labs.yaml"
    company.write_text(company.read_text().replace("valuation: USD 400 million",
                                                   "valuation: 400M"))
    run = run_cli(capsys, real_project, "check")
    documented = re.search(r"```text\n(data/companies/example-labs\.yaml:[^\n]+'400M'[^\n]+)\n"
                           r"1 error in 1 file\n```", guide)
    assert documented and documented.group(1) in run.lines


def test_the_diff_lines_in_the_guide_are_real(real_project: Path):
    base = load(real_project, Problems())
    apply_examples(real_project, correction=False)
    company = real_project / "data/companies/example-labs.yaml"
    full = company.read_text()
    round_b = block("data/companies/example-labs.yaml, at the end of events:")
    company.write_text(full.replace(round_b, ""))
    with_a = load(real_project, Problems())
    company.write_text(full)
    with_b = load(real_project, Problems())
    guide = guide_text()
    first = describe(base, with_a)
    for line in first:
        if line.startswith(("example-labs: new company", "example-labs: new round 'Series A'",
                            "new source 'examplewire-2025-03-04")):
            assert f"\n{line}\n" in guide, line
    assert sum(1 for ln in first if f"\n{ln}\n" in guide) == 3
    second = describe(with_a, with_b)
    assert second[0].startswith("example-labs: new round 'Series B'")
    assert f"```text\n{second[0]}\n```" in guide
    apply_examples(real_project, correction=False)  # idempotent for the files; now correct it
    before = load(real_project, Problems())
    text = company.read_text()
    company.write_text(text.replace(block("data/companies/example-labs.yaml, before"),
                                    block("data/companies/example-labs.yaml, after")))
    changes = describe(before, load(real_project, Problems()))
    assert changes[0] == ("example-labs: post-money of 'Series A' changed from US$400 million to "
                          "US$420 million")
    assert f"`{changes[0]}`" in guide


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_commitment_example_gives_the_totals_the_guide_states(real_project: Path):
    from generator.flows import investments_by

    def totals() -> tuple[str, str, str]:
        ds = load(real_project, Problems())
        t = next(t for t in investments_by(ds.companies, "amazon")
                 if t.company.id == "example-labs")
        return t.paid.display(), t.ceiling.display(), t.outstanding.display()

    apply_examples(real_project, correction=False)
    assert totals() == ("US$250 million", "up to US$400 million", "up to US$150 million")
    guide = _flat(guide_text())
    assert ("Amazon has then paid in US$250 million; with its commitment, up to US$400 million, "
            "of which up to US$150 million is not known to be paid.") in guide
    company = real_project / "data/companies/example-labs.yaml"
    company.write_text(company.read_text().replace("    paid_under: amazon-2026-02\n", ""))
    assert totals()[1] == "up to US$550 million"
    assert "the ceiling would wrongly read up to US$550 million" in guide


def test_the_refusals_shown_in_the_guide_are_real(real_project: Path, capsys):
    apply_examples(real_project, correction=False)
    company = real_project / "data/companies/example-labs.yaml"
    text = company.read_text()
    guide = guide_text()
    for old, new in (("    valuation_basis: post-money\n    investors:\n      - name: Example "
                      "Ventures\n    status: reported",
                      "    valuation_basis: secondary\n    investors:\n      - name: Example "
                      "Ventures\n    status: reported"),
                     ("amount_raised: USD 40 million", "amount_raised: USD 40 million to 50 million")):
        assert text.count(old) == 1, old
        company.write_text(text.replace(old, new))
        run = run_cli(capsys, real_project, "check")
        mine = [ln for ln in run.lines if ln.startswith("data/companies/example-labs.yaml:")]
        assert len(mine) == 1, run.text
        assert f"```text\n{mine[0]}\n```" in guide, mine[0]


def test_money_and_date_tables_in_the_guide_are_true():
    guide = guide_text()
    money = guide.split("### Money", 1)[1].split("### Dates", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|$", money, re.M)
    assert len(rows) >= 8
    for written, read_as in rows:
        assert parse_money(written).exact() == read_as, written
    refused = re.search(r"These are refused.*?:(.*?)\n\n", money, re.S).group(1)
    examples = re.findall(r"`([^`]+)`", refused)
    assert len(examples) >= 8
    for bad in examples:
        with pytest.raises(Exception):
            parse_money(bad)
    currencies = re.search(r"The currency is an ISO code in capitals: (.*?)\. All", money, re.S)
    from generator.values import CURRENCIES

    assert re.findall(r"`([A-Z]{3})`", currencies.group(1)) == list(CURRENCIES)
    dates = guide.split("### Dates", 1)[1].split("### Ids", 1)[0]
    for written, meaning in re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|$", dates, re.M):
        d = parse_date(written)
        assert d.display() in meaning, (written, meaning)
    bad_dates = re.search(r"`28/05/2026`.*?are refused", dates, re.S).group(0)
    for bad in re.findall(r"`([^`]+)`", bad_dates):
        with pytest.raises(Exception):
            parse_date(bad)


def test_the_guide_lists_every_status_kind_and_role():
    guide = guide_text()
    for status, meaning in m.STATUS_MEANING.items():
        assert f"| `{status}` | {meaning} |" in guide
    for literal in (m.CompanyKind, m.EventKind, m.Role, m.InvestorRole, m.ColumnType):
        for value in typing.get_args(literal):
            assert f"`{value}`" in guide, value


def test_every_article_function_in_the_guide_exists():
    from generator.dataset import Dataset
    from generator.render.api import Api, template_globals

    names = set(template_globals(Api(Dataset(root=REPO), charts=None)))
    table = guide_text().split("### The functions articles can use", 1)[1].split("\n\n", 2)[1]
    first_column = re.findall(r"^\| (.*?) \|", table, re.M)
    documented = {name for cell in first_column for name in re.findall(r"`(\w+)\(", cell)}
    required = {"fig", "metric", "cell", "ratio", "growth", "diff", "total", "link", "cite", "chart",
                "page_link"}
    assert required <= documented
    assert documented <= names, documented - names


def test_every_command_in_the_guide_exists():
    script = (REPO / "ledger").read_text(encoding="utf-8")
    cases = set(re.findall(r"^\s+([a-z-]+)(?:\|[^)]*)?\)", script, re.M))
    used = set(re.findall(r"\./ledger ([a-z-]+)", guide_text()))
    assert used and used <= cases, used - cases


# ---------------------------------------------------------------------------------------------
# new-company


def test_new_company_with_a_summary_passes_the_check_at_once(project: Path, capsys):
    run = run_cli(capsys, project, "new-company", "example-labs", "--name", "Example Labs",
                  "--kind", "ai-lab", "--summary", "A fictional AI lab.")
    assert run.code == 0, run.text
    assert run.lines == ["created data/companies/example-labs.yaml; add events if you have them, "
                         "then run ./ledger check"]
    text = (project / "data/companies/example-labs.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/companies.schema.json\n")
    assert (project / "data/companies" / "../../schemas/companies.schema.json").resolve() == \
        (project / "schemas/companies.schema.json").resolve()
    assert run_cli(capsys, project, "check").code == 0


def test_new_company_leaves_the_summary_to_write_and_the_check_says_so(project: Path, capsys):
    run = run_cli(capsys, project, "new-company", "example-labs", "--name", "Example Labs",
                  "--kind", "ai-lab")
    assert run.code == 0, run.text
    assert "write the summary" in run.out
    path = project / "data/companies/example-labs.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("summary:") + 1
    check = run_cli(capsys, project, "check")
    assert check.code == 1
    assert [ln for ln in check.lines if ln.startswith("data/")] == [
        f"data/companies/example-labs.yaml:{at}:9: summary: has no value; write a short paragraph "
        "of text after the colon"]
    lines[at - 1] = "summary: A fictional AI lab, written in by a contributor."
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_cli(capsys, project, "check").code == 0


def test_new_company_template_examples_are_valid_records(project: Path, capsys):
    run_cli(capsys, project, "new-company", "example-labs", "--name", "Example Labs",
            "--kind", "ai-lab", "--summary", "A fictional AI lab.")
    text = (project / "data/companies/example-labs.yaml").read_text(encoding="utf-8")
    # A contributor uncomments the examples by removing '# ' in front of them.
    tail = text.split("\n# events:\n", 1)[1]
    uncommented = "events:\n" + "\n".join(ln[2:] if ln.startswith("# ") else ln
                                          for ln in tail.splitlines())
    problems = Problems()
    doc = parse_yaml(uncommented, "-", problems)
    assert doc is not None, problems.report()
    m.Event.model_validate(doc.data["events"][0])
    m.Metric.model_validate(doc.data["metrics"][0])
    m.Relationship.model_validate(doc.data["relationships"][0])
    for opt in ("founded", "headquarters", "website", "ticker"):
        line = next(ln for ln in text.splitlines() if ln.startswith(f"# {opt}: "))
        doc = parse_yaml(line[2:], "-", problems)
        assert doc is not None and not problems.items, problems.report()
        field = m.Company.model_fields[opt]
        from pydantic import TypeAdapter

        TypeAdapter(field.annotation).validate_python(doc.data[opt])


@pytest.mark.parametrize("name", ["Acme: AI", "Yes", "#1 Lab", "O'Brien & Söhne", '"Quoted" Lab',
                                  "- dash", "2024"])
def test_new_company_writes_any_valid_name_exactly(project: Path, capsys, name: str):
    run = run_cli(capsys, project, "new-company", "odd-name", "--name", name, "--kind", "bank",
                  "--summary", "A bank: with a colon, and 'quotes'.")
    assert run.code == 0, run.text
    ds = load(project, problems := Problems())
    assert ds.companies["odd-name"].name == name, problems.report()
    assert ds.companies["odd-name"].summary == "A bank: with a colon, and 'quotes'."


@pytest.mark.parametrize("args, message", [
    (["Example-Labs"], "new-company: 'Example-Labs' is not a valid id; use lower-case letters a-z, "
                       "digits and single hyphens, such as 'series-h'"),
    (["example_labs"], "new-company: 'example_labs' is not a valid id; use lower-case letters a-z, "
                       "digits and single hyphens, such as 'series-h'"),
    (["example--labs"], None), (["-labs"], None), (["../evil"], None), (["labs.yaml"], None),
    (["x" * 65], "new-company: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' is "
                 "65 characters long; an id has at most 64"),
    (["acme-ai"], "new-company: data/companies/acme-ai.yaml already exists; edit that file instead "
                  "(nothing was changed)"),
    (["new-lab", "--kind", "ai_lab"], "new-company: unknown kind 'ai_lab'; did you mean 'ai-lab'? "
                                      "(one of: ai-lab, cloud-provider, chipmaker, investor, "
                                      "technology-company, energy-company, aerospace-company, bank)"),
    (["new-lab", "--name", " Padded"], None),
    (["new-lab", "--name", "Two\nlines"], None),
    (["new-lab", "--summary", ""], None),
])
def test_new_company_refuses_bad_ids_kinds_names_and_overwrites(project: Path, capsys, args,
                                                                message):
    before = {p: p.read_bytes() for p in (project / "data").rglob("*") if p.is_file()}
    argv = ["new-company", "--name", "Example Labs", "--kind", "ai-lab", *args[1:], "--", args[0]]
    run = run_cli(capsys, project, *argv)
    assert run.code == 2, run.text
    assert run.out == ""
    if message:
        assert run.err.strip() == message
    else:
        assert run.err.startswith("new-company: ") and len(run.err.strip().splitlines()) == 1
    after = {p: p.read_bytes() for p in (project / "data").rglob("*") if p.is_file()}
    assert after == before
    assert not (project.parent / "evil.yaml").exists()


def test_new_company_never_overwrites_a_yml_twin(project: Path, capsys):
    (project / "data/companies/twin.yml").write_text("id: twin\n")
    run = run_cli(capsys, project, "new-company", "twin", "--name", "Twin", "--kind", "bank")
    assert run.code == 2 and "twin.yml already exists" in run.err
    assert not (project / "data/companies/twin.yaml").exists()


# ---------------------------------------------------------------------------------------------
# diff, in a scratch git repository


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=root, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(project: Path) -> Path:
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def diff_lines(capsys, root: Path, *args: str) -> tuple[int, list[str]]:
    run = run_cli(capsys, root, "diff", *args)
    return run.code, run.lines


def test_diff_with_no_change(repo: Path, capsys):
    assert diff_lines(capsys, repo, "HEAD") == (0, ["no changes to the data since HEAD"])


def test_diff_describes_changed_figures_in_words(repo: Path, capsys):
    acme = repo / "data/companies/acme-ai.yaml"
    edit(acme, "pre_money_valuation: USD 8.5 billion", "pre_money_valuation: USD 9 billion")
    edit(acme, "    valuation: USD 10 billion", "    valuation: USD 10.5 billion")
    edit(acme, "    status: reported\n    sources: [acme-news-2021, daily-2023]",
         "    status: confirmed\n    sources: [acme-news-2021, daily-2023]")
    edit(acme, "metrics:", """\
  - id: series-c
    date: 2024-03-01
    kind: primary-round
    round: Series C
    amount_raised: USD 2 billion
    valuation: USD 1.2 trillion
    valuation_basis: post-money
    investors:
      - company: bigcloud
        role: lead
      - name: Angel Fund
    status: reported
    sources: [acme-news-2021, daily-2023]
metrics:""")
    edit(acme, "value: about USD 500 million", "value: about USD 600 million")
    edit(acme, "amount_committed: USD 2 billion", "amount_committed: USD 2000 million")  # same
    edit(repo / "data/tables/chips.yaml", "max_tdp_w: 1000", "max_tdp_w: 1200")
    code, lines = diff_lines(capsys, repo, "HEAD")
    assert code == 0
    assert lines == [
        "acme-ai: pre-money of 'Series B' changed from US$8.5 billion to US$9 billion",
        "acme-ai: post-money of 'Series B' changed from US$10 billion to US$10.5 billion",
        "acme-ai: status of 'Series B' changed from reported to confirmed",
        "acme-ai: new round 'Series C' (primary round, 2024-03-01), raised US$2 billion, post-money "
        "US$1.2 trillion, 2 investors led by 'bigcloud', reported, 2 sources",
        "acme-ai: run-rate revenue of 2023-06 changed from about US$500 million to about US$600 "
        "million",
        "table 'chips': Maximum power of row 'X2' changed from 1,000 W to 1,200 W",
    ]


def test_diff_describes_glossary_changes(repo: Path, capsys):
    """A change to a glossary file is a change to the data (it once showed nothing)."""
    post = repo / "data/glossary/post-money-valuation.yaml"
    edit(post, "counting the new money.", "including the new money.")
    edit(post, "see_also: [pre-money-valuation]", "see_also: [pre-money-valuation, tender-offer]\n"
         "sources: [acme-news-2021]")
    (repo / "data/glossary/tender-offer.yaml").write_text(
        "id: tender-offer\nterm: Tender offer\ndefinition: An offer to buy existing shares.\n")
    (repo / "data/glossary/pre-money-valuation.yaml").unlink()
    edit(post, "see_also: [pre-money-valuation, tender-offer]", "see_also: [tender-offer]")
    code, lines = diff_lines(capsys, repo, "HEAD")
    assert code == 0
    assert lines == [
        "glossary term 'post-money-valuation': definition changed to \"The value of a company "
        "implied by a funding round, including the new money.\"",
        "glossary term 'post-money-valuation': see also: added 'tender-offer'; removed "
        "'pre-money-valuation'",
        "glossary term 'post-money-valuation': sources: added 'acme-news-2021'",
        "removed glossary term 'pre-money-valuation' ('Pre-money valuation')",
        "new glossary term 'tender-offer': 'Tender offer', \"An offer to buy existing shares.\"",
    ]


def test_diff_new_and_removed_records(repo: Path, capsys):
    acme = repo / "data/companies/acme-ai.yaml"
    (repo / "data/sources/daily-2024.yaml").write_text(
        "id: daily-2024\npublisher: The Daily Example\ntitle: Acme AI's tender offer\n"
        "url: https://daily.example.net/2024/acme\npublished: 2024-10-02\naccessed: 2026-11-24\n"
        "tier: outlet\n")
    edit(acme, "metrics:", """\
  - id: tender-2024
    date: 2024-10
    kind: tender-offer
    amount_raised: USD 1.5 billion
    valuation: about USD 12 billion
    valuation_basis: secondary
    status: rumored
    sources: [daily-2024]
metrics:""")
    (repo / "data/companies/newco.yaml").write_text(
        "id: newco\nname: NewCo\nkind: chipmaker\nsummary: A new chipmaker.\n"
        "last_checked: 2026-11-24\nrelationships:\n"
        "  - company: acme-ai\n    role: compute-customer\n    since: 2024\n    status: reported\n"
        "    sources: [daily-2024]\n")
    edit(repo / "data/tables/chips.yaml", """\
  - id: x1
    label: X1
    values: {chip: X1, max_tdp_w: 700, bandwidth_tb_per_s: 3.35}
    status: confirmed
    sources: [acme-news-2021]
""", "")
    edit(repo / "data/tables/chips.yaml", "rows:\n", """\
rows:
  - id: x3
    label: X3
    values: {chip: X3, max_tdp_w: 1400, bandwidth_tb_per_s: 12.5, price: USD 45 thousand}
    status: rumored
    sources: [daily-2024]
""")
    edit(repo / "data/sources/daily-2023.yaml", "url_verified: false\nnote: Address cited by "
         "another document; the page itself was not read.\n", "")
    code, lines = diff_lines(capsys, repo, "main")
    assert code == 0
    assert lines == [
        "acme-ai: new event 'tender-2024' (tender offer, 2024-10), raised US$1.5 billion, "
        "valuation (implied by a share sale) about US$12 billion, rumored, 1 source",
        "newco: new company 'NewCo' (Chipmaker)",
        "newco: new relationship: acme-ai as compute customer, since 2024, reported, 1 source",
        "table 'chips': removed row 'x1' (X1)",
        "table 'chips': new row 'x3' (X3): Chip 'X3'; Maximum power 1,400 W; Memory bandwidth 12.5 "
        "TB/s; List price US$45,000; rumored, 1 source",
        "source 'daily-2023': address is now verified",
        "source 'daily-2023': note removed",
        "new source 'daily-2024': The Daily Example, \"Acme AI's tender offer\", published 2024-10-02, "
        "outlet",
    ]


def test_diff_removed_company_and_source(repo: Path, capsys):
    acme = repo / "data/companies/acme-ai.yaml"
    text = acme.read_text()
    text = text.replace("      - company: bigcloud\n        role: lead\n", "")
    text = text.split("relationships:")[0] + "last_checked: 2026-11-24\n"
    acme.write_text(text)
    (repo / "data/companies/bigcloud.yaml").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "remove bigcloud")
    code, lines = diff_lines(capsys, repo, "HEAD~1")
    assert code == 0
    assert lines == [
        "acme-ai: investors of 'Series A': removed 'bigcloud' (lead)",
        "acme-ai: removed relationship: bigcloud as cloud or compute provider",
        "bigcloud: company 'BigCloud' removed (it had 0 events, 0 metrics and 0 relationships)",
    ]
    assert diff_lines(capsys, repo, "HEAD") == (0, ["no changes to the data since HEAD"])


def test_diff_names_every_kind_of_change(repo: Path, capsys):
    acme = repo / "data/companies/acme-ai.yaml"
    edit(acme, "name: Acme AI", "name: Acme Intelligence")
    edit(acme, "headquarters: Springfield, US\n", "")
    edit(acme, "summary: A fictional AI lab used by the tests.",
         "summary: A fictional AI lab,\n  used by the tests.")
    edit(acme, "date: 2021-05\n", "date: 2021-06\n")
    edit(acme, "        role: lead\n", "        role: co-lead\n")
    edit(acme, "      - name: Angel Fund\n", "      - name: Angel Fund\n        amount: USD 5 million\n")
    edit(acme, "round: Series B", "round: Series B-1")
    edit(acme, "    kind: primary-round\n    round: Series B-1", "    kind: strategic-investment\n"
         "    round: Series B-1")
    edit(acme, "sources: [acme-news-2021, daily-2023]\n    note: Reported by one outlet.",
         "sources: [daily-2023]\n    note: Reported by one outlet.")
    edit(acme, "since: 2021-06", "since: 2021-07")
    edit(acme, "amount_committed: USD 2 billion", "amount_committed: USD 3 billion")
    chips = repo / "data/tables/chips.yaml"
    edit(chips, "title: Two chips compared", "title: Two chips, compared")
    edit(chips, "label: Maximum power", "label: Max power")
    edit(chips, "    required: false\n", "    required: false\n  - id: remark\n    label: Remark\n"
         "    type: text\n    required: false\n")
    src = repo / "data/sources/acme-news-2021.yaml"
    edit(src, "url: https://acme.example.org/news/series-a",
         "url: https://acme.example.org/news/series-a-round")
    edit(src, "published: 2021-05-04", "published: 2021-05-05")
    code, lines = diff_lines(capsys, repo, "HEAD")
    assert code == 0
    assert lines == [
        "acme-ai: name changed from 'Acme AI' to 'Acme Intelligence'",
        "acme-ai: headquarters removed (was 'Springfield, US')",
        "acme-ai: summary changed to \"A fictional AI lab, used by the tests.\"",
        "acme-ai: date of round 'Series A' changed from 2021-05 to 2021-06",
        "acme-ai: role of investor 'bigcloud' in 'Series A' changed from lead to co-lead",
        "acme-ai: amount paid by investor 'Angel Fund' in 'Series A' added: US$5 million",
        "acme-ai: round name of event 'series-b' (2023-02-01) changed from 'Series B' to "
        "'Series B-1'",
        "acme-ai: kind of 'Series B-1' changed from primary round to strategic investment",
        "acme-ai: sources of 'Series B-1': removed 'acme-news-2021'",
        "acme-ai: start date of relationship bigcloud as cloud or compute provider changed from "
        "2021-06 to 2021-07",
        "acme-ai: amount committed of relationship bigcloud as cloud or compute provider changed "
        "from US$2 billion to US$3 billion",
        "table 'chips': title changed to \"Two chips, compared\"",
        "table 'chips': label of column 'max_tdp_w' changed from 'Maximum power' to 'Max power'",
        "table 'chips': new column 'remark' (Remark, text)",
        "source 'acme-news-2021': address changed from 'https://acme.example.org/news/series-a' to "
        "'https://acme.example.org/news/series-a-round'",
        "source 'acme-news-2021': published changed from 2021-05-04 to 2021-05-05",
    ]


def test_diff_prints_the_checks_problems_when_the_data_has_errors(repo: Path, capsys):
    edit(repo / "data/companies/acme-ai.yaml", "    valuation: USD 10 billion",
         "    valuation: 10B")
    code, lines = diff_lines(capsys, repo, "HEAD")
    assert code == 1
    assert lines[0] == "the data has problems, so its changes cannot be described; fix these first:"
    assert lines[1].startswith("data/companies/acme-ai.yaml:28:16: events[1].valuation: "
                               "'10B' is not in the money notation")
    assert lines[-1] == "1 error in 1 file"


def test_diff_shows_warnings_after_the_changes(repo: Path, capsys):
    (repo / "data/sources/unused.yaml").write_text(
        "id: unused\npublisher: P\ntitle: T\nurl: https://p.example.org/2024/t\n"
        "published: 2024\naccessed: 2026-11-24\ntier: outlet\n")
    code, lines = diff_lines(capsys, repo, "HEAD")
    assert code == 0
    assert lines == [
        "new source 'unused': P, \"T\", published 2024, outlet",
        "the check also warns (a strict check fails on these):",
        "data/sources/unused.yaml:1:1: warning: this source is not cited by any company, table, glossary term or article; "
        "cite it or delete the file",
    ]


def test_diff_markdown_for_the_job_summary(repo: Path, capsys):
    edit(repo / "data/companies/acme-ai.yaml", "note: Reported by one outlet.",
         "note: Reported by one outlet ```with backticks```.")
    run = run_cli(capsys, repo, "diff", "--markdown", "HEAD")
    sha = git(repo, "rev-parse", "HEAD").strip()
    assert run.code == 0
    assert run.out == (
        f"### Data changes since HEAD ({sha[:12]})\n\n1 change to the data, in plain words:\n\n"
        "````text\nacme-ai: note of 'Series B' changed to \"Reported by one outlet ```with "
        "backticks```.\"\n````\n\n")


def test_diff_never_touches_the_working_tree_or_the_index(repo: Path, capsys):
    acme = repo / "data/companies/acme-ai.yaml"
    edit(acme, "USD 10 billion", "USD 11 billion")
    git(repo, "add", "data/companies/acme-ai.yaml")
    edit(repo / "data/tables/chips.yaml", "max_tdp_w: 700", "max_tdp_w: 750")
    (repo / "data/sources/untracked.yaml").write_bytes(b"id: untracked\n")
    snapshot = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    status = git(repo, "status", "--porcelain=v1", "--untracked-files=all")
    index = (repo / ".git/index").read_bytes()
    run_cli(capsys, repo, "diff", "HEAD")
    assert {p: p.read_bytes() for p in repo.rglob("*")
            if p.is_file() and ".git" not in p.parts} == snapshot
    assert git(repo, "status", "--porcelain=v1", "--untracked-files=all") == status
    assert (repo / ".git/index").read_bytes() == index
    assert git(repo, "stash", "list") == ""


def test_diff_reads_only_the_base_data_not_its_other_files(repo: Path, capsys):
    # A base whose data/ is missing altogether: everything is new.
    git(repo, "rm", "-r", "-q", "data")
    git(repo, "commit", "-q", "-m", "no data")
    git(repo, "checkout", "-q", "HEAD~1", "--", "data")
    code, lines = diff_lines(capsys, repo, "HEAD")
    assert code == 0
    assert lines[:2] == ["acme-ai: new company 'Acme AI' (AI lab)",
                         "acme-ai: new round 'Series A' (primary round, 2021-05), raised US$100 "
                         "million, post-money US$1 billion, 2 investors led by 'bigcloud', "
                         "confirmed, 1 source"]
    assert "new source 'daily-2023': The Daily Example, \"Acme AI's new round, reported\", " \
           "published 2023-02-02, outlet (address not verified)" in lines


@pytest.mark.parametrize("base, message", [
    ("no-such-branch", "diff: unknown git revision 'no-such-branch' (try a branch name such as main, "
                       "or a commit id)"),
    ("-p", "diff: '-p' is not a git revision"),
    ("HEAD:data", "diff: unknown git revision 'HEAD:data' (try a branch name such as main, or a "
                  "commit id)"),
])
def test_diff_refuses_bad_revisions(repo: Path, capsys, base: str, message: str):
    run = run_cli(capsys, repo, "diff", "--", base)
    assert run.code == 2
    assert run.err.strip() == message


def test_diff_outside_a_git_repository(project: Path, capsys, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(project.parent))
    run = run_cli(capsys, project, "diff", "main")
    assert run.code == 2
    assert run.err.strip() == f"diff: {project} is not in a git repository"


def test_the_guides_links_to_its_own_sections_resolve():
    guide = guide_text()
    body = re.sub(r"^```.*?^```", "", guide, flags=re.S | re.M)
    headings = re.findall(r"^#{2,4} (.+)$", body, re.M)
    slugs = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}
    targets = set(re.findall(r"\]\(#([^)]+)\)", guide))
    assert targets and targets <= slugs, targets - slugs
    for path in set(re.findall(r"\]\((?!#|https://)([^)#]+)", guide)):
        assert (REPO / path).exists(), path


def test_the_diff_says_what_changed_in_bases_alternatives_and_money_counted_once(repo: Path,
                                                                                 capsys):
    acme = repo / "data/companies/acme-ai.yaml"
    edit(acme, "    valuation_basis: post-money\n    investors:",
         "    valuation_basis: not-stated\n    amount_committed: up to USD 3 billion\n"
         "    investors:")
    edit(acme, "        role: lead\n", "        role: lead\n        amount: USD 50 million\n"
         "        committed: up to USD 200 million\n")
    edit(acme, "    note: Reported by one outlet.\n",
         "    note: Reported by one outlet.\n    paid_under: series-a\n    alternatives:\n"
         "      - valuation: USD 12 billion to 14 billion\n        valuation_basis: secondary\n"
         "        sources: [daily-2023]\n")
    edit(acme, "metrics:", "  - id: series-c\n    date: 2024-03\n    kind: primary-round\n"
         "    investors:\n      - company: bigcloud\n        amount: USD 50 million\n"
         "        counted_in: series-a\n    status: reported\n    sources: [daily-2023]\n"
         "metrics:")
    code, lines = diff_lines(capsys, repo, "HEAD")
    assert code == 0, lines
    assert lines == [
        "acme-ai: amount committed of 'Series A' added: up to US$3 billion",
        "acme-ai: basis of the valuation of 'Series A' changed from post-money to not stated as "
        "pre- or post-money",
        "acme-ai: amount paid by investor 'bigcloud' in 'Series A' added: US$50 million",
        "acme-ai: amount committed by investor 'bigcloud' in 'Series A' added: up to US$200 "
        "million",
        "acme-ai: 'Series B' is now paid under 'series-a'",
        "acme-ai: alternative valuation of 'Series B' added: US$12–14 billion (implied by a share "
        "sale), 1 source",
        "acme-ai: new round 'series-c' (primary round, 2024-03), 1 investor, reported, 1 source",
    ]


def test_the_diff_lines_of_the_guide_about_bases_and_money_are_real(real_project: Path):
    """The guide's examples are the shipped data's own changes: undone in a copy, then redone."""
    after = load(real_project, Problems())
    company = real_project / "data/companies/anthropic.yaml"
    text = company.read_text()
    for old, new in (("    valuation_basis: not-stated\n", "    valuation_basis: post-money\n"),
                     ("        counted_in: amazon-2026-04\n", ""),
                     (block_of(text, "    alternatives:\n      - valuation: USD 18.4 billion"), "")):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    company.write_text(text)
    lines = describe(load(real_project, Problems()), after)
    guide = guide_text()
    for line in lines:
        if "Microsoft and NVIDIA" in line or "'Series D' added" in line or "money of investor" in \
                line:
            assert f"\n{line}\n" in guide, line
    assert sum(f"\n{ln}\n" in guide for ln in lines) == 3


def block_of(text: str, start: str) -> str:
    """The alternatives block beginning with ``start``, up to the event's next field."""
    i = text.index(start)
    j = text.index("\n    status:", i)
    return text[i:j + 1]
