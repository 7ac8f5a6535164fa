"""Befrielsegrunder (V 5.1, S Befrielsegrunder / Beredskapsplaner): duties suspended, not overdue."""

from __future__ import annotations

import pytest

from tests.rules.builders import C, F, Given, S, V, d, deviations, obligations


def _declare(given: Given, on: str, **fields: object) -> int:
    values = {"by": "utforare", "cause": "crisis", "description": "Brand i lokalen",
              "duties": ["supervision_report"], **fields}
    return given.then("ForceMajeureDeclared", on, **values)


def test_force_majeure_suspends_duties_falling_due_inside_it_v() -> None:
    """V 5.1: "… fritar parterna under den tid förhållandet råder från fullgörandet …"."""
    given = Given(V)
    given.then("SupervisionOpened", "2025-03-03")  # due 2025-03-10
    declared = _declare(given, "2025-03-05", until="2025-03-20")
    [report] = obligations(given, "2025-03-25", "supervision_report")
    assert report.status_on(d("2025-03-12")) == "suspended"
    assert report.suspended_from == d("2025-03-05") and report.suspended_until == d("2025-03-20")
    assert report.due == d("2025-03-21")  # the first working day after the suspension (policy)
    assert report.status_on(d("2025-03-21")) == "open"
    assert report.status_on(d("2025-03-24")) == "overdue"
    assert f"post {declared}" in report.explanation and "2025-03-10" in report.explanation
    assert deviations(given, "2025-03-25", "force_majeure_without_effect") == []


def test_force_majeure_leaves_other_duties_and_earlier_deadlines_v() -> None:
    """V 5.1: only the named duties, and only those falling due inside the suspension."""
    given = Given(V)
    given.then("SupervisionOpened", "2025-02-03")  # due 2025-02-10: before the suspension
    given.then("LexSarahNotifiedToIVO", "2025-03-06")  # lex_sarah_copy: not named
    _declare(given, "2025-03-05", until="2025-03-20")
    found = {o.kind: o for o in obligations(given, "2025-03-25")}
    assert found["supervision_report"].status_on(d("2025-03-12")) == "overdue"
    assert found["lex_sarah_copy"].status_on(d("2025-03-12")) == "overdue"


def test_force_majeure_open_ended_until_it_is_ended_v() -> None:
    """V 5.1: without an end, the duty has no due date while the circumstance lasts."""
    given = Given(V)
    given.then("SupervisionOpened", "2025-03-03")
    declared = _declare(given, "2025-03-05")
    [report] = obligations(given, "2025-06-01", "supervision_report")
    assert report.due is None and report.status_on(d("2025-06-01")) == "suspended"
    given.then("ForceMajeureEnded", "2025-04-01", declaration_seq=declared)
    [report] = obligations(given, "2025-06-01", "supervision_report")
    assert report.suspended_until == d("2025-03-31")
    assert report.due == d("2025-04-01")
    assert report.status_on(d("2025-04-02")) == "overdue"


def test_force_majeure_frees_only_the_declaring_party_v() -> None:
    """V 5.1: the beställare's declaration does not suspend the utförare's duties."""
    given = Given(V)
    given.then("SupervisionOpened", "2025-03-03")
    _declare(given, "2025-03-05", by="bestallare", until="2025-03-20")
    [report] = obligations(given, "2025-03-25", "supervision_report")
    assert report.status_on(d("2025-03-12")) == "overdue"


@pytest.mark.parametrize(("cause", "quote"), [
    ("labour_dispute", "Arbetskonflikt fritar inte utförare"),
    ("crisis", "ingen force majeure"),
])
def test_no_force_majeure_for_the_utforare_s(cause: str, quote: str) -> None:
    """S Befrielsegrunder / Beredskapsplaner: neither a labour dispute nor anything else frees
    the utförare — recorded, no effect, and the duty stays overdue."""
    given = Given(S)
    given.then("SupervisionOpened", "2025-03-03")
    seq = _declare(given, "2025-03-05", cause=cause, until="2025-03-20")
    [report] = obligations(given, "2025-03-25", "supervision_report")
    assert report.status_on(d("2025-03-12")) == "overdue"
    [deviation] = deviations(given, "2025-03-25", "force_majeure_without_effect")
    assert deviation.seqs == (seq,) and quote in deviation.clause.quote


@pytest.mark.parametrize("ref", (F, C))
def test_force_majeure_without_clause_has_no_effect(ref: str) -> None:
    """F and C have no befrielsegrunder clause: the declaration is recorded without effect."""
    given = Given(ref)
    _declare(given, "2025-03-05", duties=["premises_notice"])
    [deviation] = deviations(given, "2025-03-25", "force_majeure_without_effect")
    assert deviation.clause.inferred and "ingen bestämmelse om befrielsegrunder" in deviation.explanation
