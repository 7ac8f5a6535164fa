"""C 5 Försäkringar: "I annat fall äger kommunen rätt att teckna försäkring på utförarens bekostnad."."""

from __future__ import annotations

import pytest

from tests.rules.builders import C, Given, S, V, d, deviations


def _proof(given: Given, on: str, expires: str) -> int:
    return given.then("InsuranceProofSubmitted", on, insurer="Kommunassurans",
                      amount="20000000.00", expires_on=expires)


def test_insurance_remedy_after_missing_renewal_proof_c() -> None:
    """C 5: no renewal proof a week before expiry → the kommun may insure at the utförare's cost."""
    given = Given(C)
    seq = _proof(given, "2025-01-20", "2026-01-31")
    assert deviations(given, "2026-01-24", "insurance_remedy_available") == []
    [remedy] = deviations(given, "2026-02-10", "insurance_remedy_available")
    assert (remedy.since, remedy.until, remedy.seqs) == (d("2026-01-25"), None, (seq,))
    assert "kommunen äger rätt att teckna försäkring på utförarens bekostnad" in remedy.explanation
    assert "I annat fall äger kommunen rätt" in remedy.clause.quote


def test_insurance_remedy_ends_with_a_late_proof_c() -> None:
    """C 5: a later renewal proof ends the kommun's remedy from its date."""
    given = Given(C)
    first = _proof(given, "2025-01-20", "2026-01-31")
    late = _proof(given, "2026-02-03", "2027-01-31")
    [remedy] = deviations(given, "2026-03-01", "insurance_remedy_available")
    assert (remedy.until, remedy.seqs) == (d("2026-02-03"), (first, late))


def test_insurance_remedy_none_with_timely_proof_c() -> None:
    """C 5: a renewal proof on time leaves no remedy."""
    given = Given(C)
    _proof(given, "2025-01-20", "2026-01-31")
    _proof(given, "2026-01-15", "2027-01-31")
    assert deviations(given, "2026-03-01", "insurance_remedy_available") == []


@pytest.mark.parametrize("ref", (V, S))
def test_insurance_remedy_none_without_clause(ref: str) -> None:
    """V and S state no renewal-proof remedy."""
    given = Given(ref)
    _proof(given, "2025-01-20", "2026-01-31")
    assert deviations(given, "2026-03-01", "insurance_remedy_available") == []
