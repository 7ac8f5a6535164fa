"""Nothing silent (issue 11): every act can say, in Swedish, why it has no effect, citing the
clause that makes it so or the clause the contract lacks."""

from __future__ import annotations

import pytest

from domain.events import EVENT_TYPES
from domain.rules import evaluate, silence
from tests.rules.builders import ALL, C, F, Given, S, V, d
from tests.support.history import HISTORY


@pytest.mark.parametrize("ref", ALL)
def test_every_act_can_say_why_it_has_no_effect(ref: str) -> None:
    given = Given(ref)
    # (the history's amendment changes a notice period, which S does not have)
    steps = [(who, e) for who, e in HISTORY if ref != S or e.type_name != "AmendmentSigned"]
    for who, event in steps:
        given._append(event.type_name, event.model_dump(mode="json"), who.role)
    history = evaluate(given.entries, through=d("2027-01-01")).judged.history
    said = {entry.type: silence.nil(entry, history) for entry in given.entries[1:]}
    assert set(said) == {e.type_name for _, e in steps} >= set(EVENT_TYPES) - {
        "ContractRegistered", "AmendmentSigned", "EntryRedacted"}  # (gallring: test_gallring.py)
    for kind, text in said.items():
        assert text.summary.startswith("registrerad"), kind
        assert kind not in text.clause.section and kind.lower() not in text.clause.quote, kind
        assert text.clause.inferred or not text.clause.section.endswith("(saknas)"), kind


@pytest.mark.parametrize(("ref", "missing"), [(F, True), (C, True), (V, False)])
def test_breach_notice_without_early_termination_clause_says_so(ref: str, missing: bool) -> None:
    given = Given(ref)
    seq = given.then("BreachNoticeIssued", "2025-03-03", written=True, breaches=["brist"])
    history = evaluate(given.entries, through=d("2025-04-01")).judged.history
    said = silence.nil(given.entries[seq - 1], history)
    assert (said.clause.section == "Förtida uppsägning (saknas)") is missing
    assert ("saknar bestämmelse om förtida uppsägning" in said.summary) is missing


def test_a_report_for_a_year_not_yet_ended_says_it_does_not_count_v() -> None:
    given = Given(V)
    seq = given.then("AnnualReportSubmitted", "2025-06-02", year=2025)
    history = evaluate(given.entries, through=d("2025-06-02")).judged.history
    said = silence.nil(given.entries[seq - 1], history)
    assert said.effect == "no_effect" and "2025 har inte slutat" in said.summary
