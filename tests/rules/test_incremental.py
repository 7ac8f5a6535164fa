"""Incremental judging: an evaluation extended entry by entry equals judging the whole history.

``evaluate(entries, through=day, previous=earlier)`` re-runs only the rule families
the new entries concern; whatever the history (back-dated entries, entries after
``through``, amendments, corrections, notices), the result must be the one judging
everything gives.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.contract import Entry
from domain.rules import evaluate, lex_sarah
from domain.rules.history import History, UndeclaredRead
from tests.rules.builders import F, Given, V, d
from tests.rules.test_properties import histories

_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mixed_histories(draw: st.DrawFn) -> Given:
    """Random histories, then a few entries back-dated or far ahead, and maybe an amendment."""
    history = draw(histories())
    for _ in range(draw(st.integers(0, 4))):
        day = date(2021, 6, 1) + timedelta(days=draw(st.integers(0, 2500)))
        kind = draw(st.sampled_from(["LexSarahNotifiedToIVO", "LexSarahReported", "amendment",
                                     "AnnualReportSubmitted", "WaitingTimeReported"]))
        if kind == "amendment":
            history.amend(day.isoformat(), {"policies": {"omgaende_working_days": draw(st.integers(1, 3))}})
        elif kind == "AnnualReportSubmitted":
            history.then(kind, day, year=draw(st.integers(2020, 2026)))
        elif kind == "WaitingTimeReported":
            history.then(kind, day, period=f"{day:%Y-%m}", longest_wait_days=draw(st.integers(0, 30)))
        else:
            history.then(kind, day)
    return history


def _stepwise(entries: list, through: date, steps: list[int]) -> object:
    evaluation = evaluate(entries[:1], through=through)
    for end in steps:
        evaluation = evaluate(entries[:end], through=through, previous=evaluation)
    return evaluation


@_SETTINGS
@given(mixed_histories(), st.dates(date(2022, 6, 1), date(2029, 12, 31)))
def test_entry_by_entry_equals_judging_everything(history: Given, through: date) -> None:
    entries = history.entries
    for end in range(1, len(entries) + 1):
        whole = evaluate(entries[:end], through=through)
        assert _stepwise(entries, through, list(range(2, end + 1))) == whole


@_SETTINGS
@given(mixed_histories(), st.dates(date(2022, 6, 1), date(2029, 12, 31)), st.data())
def test_in_uneven_steps_equals_judging_everything(history: Given, through: date,
                                                   data: st.DataObject) -> None:
    entries = history.entries
    cuts = sorted(set(data.draw(st.lists(st.integers(1, len(entries)), max_size=6))) | {len(entries)})
    assert _stepwise(entries, through, cuts) == evaluate(entries, through=through)


def test_a_previous_evaluation_of_another_history_is_not_extended() -> None:
    """Given two histories that differ at seq 2, when one is extended from the other's
    evaluation, then the result is still the judgement of its own entries."""
    one, other = Given(V), Given(V)
    one.then("LexSarahNotifiedToIVO", "2025-04-16")
    other.then("LexSarahNotifiedToIVO", "2025-05-20")
    for history in (one, other):
        history.entries[1] = _rehash(history.entries[1], f"{history.entries[1].effective_date}")
    one.then("LexSarahReported", "2025-06-02")
    earlier = evaluate(other.entries, through=d("2025-12-31"))
    assert evaluate(one.entries, through=d("2025-12-31"), previous=earlier) == \
        evaluate(one.entries, through=d("2025-12-31"))
    copy = next(o for o in evaluate(one.entries, through=d("2025-12-31"), previous=earlier).obligations
                if o.kind == "lex_sarah_copy")
    assert copy.due == d("2025-04-17")


def test_a_new_entry_reruns_only_the_families_that_read_it() -> None:
    """Given F with a billing report, when a lex Sarah report follows, then the billing and
    lex Sarah copy results are the very objects judged before (not re-run), the summaries new."""
    history = Given(F)
    history.then("ServiceHoursReported", "2025-02-03", month="2025-01",
                 sessions=[{"minutes": 50}], group_sessions=[])
    through = d("2025-12-31")
    before = evaluate(history.entries, through=through)
    history.then("LexSarahReported", "2025-02-10", count=2)
    after = evaluate(history.entries, through=through, previous=before)
    copies, summaries, billing = 0, 1, -1  # the order of domain.rules._FAMILIES
    assert after.judged.families[billing] is before.judged.families[billing]
    assert after.judged.families[copies] is before.judged.families[copies]
    assert after.judged.families[summaries] is not before.judged.families[summaries]
    assert after == evaluate(history.entries, through=through)


def test_a_rule_reading_an_undeclared_type_fails_loudly() -> None:
    history = Given(V)
    history.then("LexSarahNotifiedToIVO", "2025-04-16")
    view = History.build(history.entries, d("2025-12-31")).reading(lex_sarah.READS)
    assert [e.seq for e in view.of("LexSarahNotifiedToIVO")] == [2]
    with pytest.raises(UndeclaredRead, match="AnnualReportSubmitted"):
        view.of("AnnualReportSubmitted")


def _rehash(entry: Entry, suffix: str) -> Entry:
    return replace(entry, hash=f"{entry.hash}-{suffix}")
