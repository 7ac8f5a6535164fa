"""Tvist: dialogue first (F 8, C 7), then kommunstyrelsen."""

from __future__ import annotations

import pytest

from tests.rules.builders import C, F, Given, S, V, d, deviations, obligations


def _raise(given: Given, on: str = "2025-02-03", by: str = "utforare") -> int:
    return given.then("DisputeRaised", on, by=by, subject="Ersättning för 2024", clauses=["1.2"])


@pytest.mark.parametrize("ref", (F, C))
def test_dispute_dialogue_on_counterpart(ref: str) -> None:
    """F 8 / C 7: "… ska i första hand lösas genom dialog …" — on the other party, no deadline."""
    given = Given(ref)
    seq = _raise(given, by="utforare")
    [dialogue] = obligations(given, "2025-02-03", "dispute_dialogue")
    assert (dialogue.id, dialogue.holder, dialogue.due) == (f"dispute_dialogue:{seq}", "bestallare", None)
    assert dialogue.status_on(d("2030-01-01")) == "open"
    held = given.then("DisputeDialogueHeld", "2025-02-20", dispute_seq=seq, outcome="Ingen enighet")
    [dialogue] = obligations(given, "2025-03-01", "dispute_dialogue")
    assert dialogue.fulfilled_by_seq == held


def test_dispute_dialogue_void_when_withdrawn_c() -> None:
    """C 7: a withdrawn dispute needs no dialogue."""
    given = Given(C)
    seq = _raise(given, by="bestallare")
    given.then("DisputeWithdrawn", "2025-02-10", dispute_seq=seq)
    [dialogue] = obligations(given, "2025-03-01", "dispute_dialogue")
    assert dialogue.holder == "utforare"
    assert dialogue.void_on == d("2025-02-10")
    assert dialogue.status_on(d("2025-02-09")) == "open"
    assert dialogue.status_on(d("2025-02-10")) == "void"


def test_referral_without_dialogue_f() -> None:
    """F 8: referral to kommunstyrelsen before any dialogue → deviation."""
    given = Given(F)
    seq = _raise(given)
    referral = given.then("DisputeReferredToKommunstyrelsen", "2025-02-05", dispute_seq=seq)
    [deviation] = deviations(given, "2025-03-01", "referral_without_dialogue")
    assert (deviation.since, deviation.seqs) == (d("2025-02-05"), (seq, referral))
    assert deviation.clause.section.startswith("8")


def test_referral_after_dialogue_c() -> None:
    """C 7: after a dialogue, referral is the next step."""
    given = Given(C)
    seq = _raise(given)
    given.then("DisputeDialogueHeld", "2025-02-04", dispute_seq=seq, outcome="Ingen enighet")
    given.then("DisputeReferredToKommunstyrelsen", "2025-02-05", dispute_seq=seq)
    assert deviations(given, "2025-03-01", "referral_without_dialogue") == []


@pytest.mark.parametrize("ref", (V, S))
def test_dispute_dialogue_none_where_kommunstyrelsen_decides_directly(ref: str) -> None:
    """V 5.2 / S Tvist: disputes go straight to kommunstyrelsen."""
    given = Given(ref)
    seq = _raise(given)
    given.then("DisputeReferredToKommunstyrelsen", "2025-02-05", dispute_seq=seq)
    assert obligations(given, "2025-03-01", "dispute_dialogue") == []
    assert deviations(given, "2025-03-01", "referral_without_dialogue") == []
