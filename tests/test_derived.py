"""Values computed from one record (generator.derived, #19): a company's valuation marks, investor
lines and money totals are computed once per record object while a render runs, and serve keeps
them from one rebuild to the next for the records of files not written since."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import derived as d
from generator import model as m
from generator.facts import latest_mark, valuation_marks
from generator.flows import company_money, lines_of
from generator.load import load
from generator.problems import Problems
from generator.recordcache import RecordCache

MARKS = "generator.facts.valuation_marks"


def _acme(project: Path) -> m.Company:
    return load(project, Problems()).records["companies"]["acme-ai"]


def test_values_are_computed_once_per_record_object_while_a_derived_is_in_use(project: Path):
    acme = _acme(project)
    # without one, each call computes: equal answers, not the same object
    assert [e.id for e in valuation_marks(acme)] == ["series-a", "series-b"]
    assert valuation_marks(acme) == valuation_marks(acme)
    assert valuation_marks(acme) is not valuation_marks(acme)
    held = d.Derived()
    with d.using(held):
        marks = valuation_marks(acme)
        assert [e.id for e in marks] == ["series-a", "series-b"]
        assert valuation_marks(acme) is marks
        assert lines_of(acme) is lines_of(acme)
        assert company_money(acme) is company_money(acme)
        assert latest_mark(acme).id == "series-b"
        # an equal record read again is another object: its values are its own
        copy = acme.model_copy()
        assert valuation_marks(copy) is not marks and valuation_marks(copy) == marks
    assert sorted(held.held(acme)) == [
        "generator.facts._latest_deal", MARKS, "generator.flows.company_money",
        "generator.flows.lines_of"]
    assert len(held) == 2
    # outside the block, nothing more is held
    valuation_marks(_acme(project))
    assert len(held) == 2


def test_what_a_caller_gets_cannot_be_changed_under_the_next_caller(project: Path):
    acme = _acme(project)
    with d.using(d.Derived()):
        assert isinstance(valuation_marks(acme), tuple)
        assert isinstance(lines_of(acme), tuple)
        with pytest.raises(AttributeError):
            valuation_marks(acme).append(None)  # type: ignore[attr-defined]


def test_keep_lets_go_of_the_values_of_records_the_data_no_longer_holds(project: Path):
    held = d.Derived()
    first, second = _acme(project), _acme(project)
    with d.using(held):
        valuation_marks(first)
        valuation_marks(second)
    assert len(held) == 2
    held.keep([second])
    assert len(held) == 1
    assert held.held(first) == {} and list(held.held(second)) == [MARKS]


def test_a_rebuild_keeps_the_values_of_records_whose_files_did_not_change(project: Path,
                                                                          tmp_path: Path,
                                                                          monkeypatch):
    """As serve renders: one record cache in memory and one Derived across renders."""
    import generator.recordcache as recordcache
    from generator.render import render
    from generator.settings import Settings

    monkeypatch.setattr(recordcache, "RACY_NS", 0)  # files the test wrote are trusted
    cache = RecordCache(tmp_path / "records", in_memory=True)
    held = d.Derived()
    settings = Settings.for_project(project, check=True)

    def build():
        problems = Problems()
        ds = load(project, problems, cache=cache)
        cache.forget_unused()
        render(ds, settings, problems, derived=held)
        assert not problems.errors, problems.report()
        return ds.records["companies"]

    before = build()
    marks = {cid: held.held(c).get(MARKS) for cid, c in before.items()}
    assert marks["acme-ai"] is not None and marks["bigcloud"] is not None  # the render asked
    acme = project / "data" / "companies" / "acme-ai.yaml"
    acme.write_text(acme.read_text(encoding="utf-8").replace(
        "valuation: USD 10 billion", "valuation: USD 12 billion"), encoding="utf-8")
    after = build()
    assert after["bigcloud"] is before["bigcloud"]
    assert held.held(after["bigcloud"])[MARKS] is marks["bigcloud"]  # not computed again
    assert after["acme-ai"] is not before["acme-ai"]
    assert held.held(before["acme-ai"]) == {}  # the earlier text's record is let go of
    assert [str(e.valuation) for e in held.held(after["acme-ai"])[MARKS]] == [
        "USD 1 billion", "USD 12 billion"]
