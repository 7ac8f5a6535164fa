"""Omförhandling (V 5.0, S "Omförhandling mm"): a call for negotiation and its outcome."""

from __future__ import annotations

import pytest

from tests.rules.builders import C, F, Given, S, V, d, obligations


@pytest.mark.parametrize("ref", (V, S))
def test_renegotiation_request_opens_negotiation_on_the_other_party(ref: str) -> None:
    """V 5.0 / S: "… äger parterna rätt att påkalla förhandling om ändring av ersättning …"."""
    given = Given(ref)
    seq = given.then("RenegotiationRequested", "2025-02-03", by="utforare",
                     grounds="Ändrade arbetstidsbestämmelser från 2025")
    [duty] = obligations(given, "2025-02-03", "renegotiation")
    assert (duty.id, duty.holder, duty.due) == (f"renegotiation:{seq}", "bestallare", None)
    assert "Omförhandling" in duty.clause.section
    assert duty.status_on(d("2026-01-01")) == "open"


def test_renegotiation_outcome_is_recorded_v() -> None:
    """V 5.0: the outcome is recorded and fulfils the duty to negotiate."""
    given = Given(V)
    seq = given.then("RenegotiationRequested", "2025-02-03", by="bestallare",
                     grounds="Ändrade skatter")
    done = given.then("RenegotiationConcluded", "2025-03-01", request_seq=seq,
                      outcome="Ingen ändring av ersättningen", amended=False)
    [duty] = obligations(given, "2025-03-02", "renegotiation")
    assert (duty.holder, duty.fulfilled_by_seq) == ("utforare", done)
    assert "Ingen ändring av ersättningen" in duty.explanation
    assert "ingen ändring av uppdraget" in duty.explanation


def test_renegotiation_of_the_index_clause_c() -> None:
    """C Justering av ersättning: "Om SKL:s publicering av OPI upphör ska indexklausulen
    omförhandlas" — the request opens the negotiation of the index clause."""
    given = Given(C)
    given.then("RenegotiationRequested", "2025-02-03", by="bestallare",
               grounds="OPI publiceras inte längre")
    [duty] = obligations(given, "2025-02-03", "renegotiation")
    assert duty.holder == "utforare" and "indexklausulen" in duty.explanation


def test_renegotiation_none_without_clause_f() -> None:
    """F has no omförhandling clause: the request opens nothing."""
    given = Given(F)
    given.then("RenegotiationRequested", "2025-02-03", by="utforare", grounds="Ändrade skatter")
    assert obligations(given, "2025-06-01", "renegotiation") == []
