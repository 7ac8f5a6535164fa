"""Försäkringar: amounts (V, S, C) and C's renewal proof a week before expiry."""

from __future__ import annotations

import pytest

from tests.rules.builders import C, F, Given, S, V, d, deviations, obligations


@pytest.mark.parametrize("ref", (V, S, C))
def test_insurance_below_minimum(ref: str) -> None:
    """Försäkringar: "… försäkringsbelopp om lägst 20 miljoner kronor …" — 15 Mkr is too little."""
    given = Given(ref)
    low = given.then("InsuranceProofSubmitted", "2025-01-10", insurer="Försäkrings AB",
                     amount="15000000.00", expires_on="2025-12-31")
    ok = given.then("InsuranceProofSubmitted", "2025-02-10", insurer="Försäkrings AB",
                    amount="20000000.00", expires_on="2026-01-31")
    [deviation] = deviations(given, "2025-03-01", "insurance_below_minimum")
    assert (deviation.since, deviation.until, deviation.seqs) == (d("2025-01-10"), d("2025-02-10"), (low, ok))
    assert deviation.clause.section == "Försäkringar"


def test_insurance_none_without_clause_f() -> None:
    """F has no insurance clause."""
    given = Given(F)
    given.then("InsuranceProofSubmitted", "2025-01-10", insurer="X", amount="1.00", expires_on="2025-12-31")
    assert deviations(given, "2025-03-01", "insurance_below_minimum") == []
    assert obligations(given, "2025-03-01", "insurance_proof") == []


def test_insurance_proof_due_a_week_before_expiry_c() -> None:
    """C Försäkringar: renewal proof "senast en vecka innan" expiry: 2025-12-31 → 2025-12-24."""
    given = Given(C)
    seq = given.then("InsuranceProofSubmitted", "2025-01-10", insurer="Försäkrings AB",
                     amount="20000000.00", expires_on="2025-12-31")
    [proof] = obligations(given, "2025-03-01", "insurance_proof")
    assert (proof.id, proof.period, proof.due, proof.created_by_seq) == (
        "insurance_proof:2025-12-31", "2025-12-31", d("2025-12-24"), seq)
    # "senast en vecka före": a deadline before something shows the working day on or
    # before it (julafton is none), never the next one after Christmas (issue 11).
    assert proof.due_working_day == d("2025-12-23")
    renewal = given.then("InsuranceProofSubmitted", "2025-12-20", insurer="Försäkrings AB",
                         amount="20000000.00", expires_on="2026-12-31")
    found = {o.period: o for o in obligations(given, "2026-01-01", "insurance_proof")}
    assert found["2025-12-31"].fulfilled_by_seq == renewal
    assert found["2026-12-31"].due == d("2026-12-24")
    assert found["2026-12-31"].status_on(d("2026-01-01")) == "open"


@pytest.mark.parametrize("ref", (V, S))
def test_insurance_proof_none_without_renewal_clause(ref: str) -> None:
    """V and S state no renewal-proof duty."""
    given = Given(ref)
    given.then("InsuranceProofSubmitted", "2025-01-10", insurer="X", amount="20000000.00",
               expires_on="2025-12-31")
    assert obligations(given, "2026-03-01", "insurance_proof") == []
