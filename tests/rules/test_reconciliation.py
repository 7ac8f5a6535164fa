"""Avstämning (V 1.2, S Ersättning): "Avstämning görs kvartalsvis"."""

from __future__ import annotations

import pytest

from tests.rules.builders import C, F, Given, S, V, d, obligations


@pytest.mark.parametrize("ref", (V, S))
def test_quarterly_reconciliation_for_every_quarter(ref: str) -> None:
    """V 1.2 / S: one reconciliation per quarter since 2020, due 30 days after it (policy)."""
    given = Given(ref)
    found = obligations(given, "2020-12-31", "quarterly_reconciliation")
    assert [o.period for o in found] == ["2020-Q1", "2020-Q2", "2020-Q3"]
    q1 = found[0]
    assert (q1.holder, q1.arises_on, q1.due) == ("bestallare", d("2020-04-01"), d("2020-04-30"))
    assert "Avstämning görs kvartalsvis" in q1.clause.quote
    q3 = found[2]
    assert q3.due == d("2020-10-30")


def test_quarter_reconciled_fulfils_that_quarter_v() -> None:
    """V 1.2: QuarterReconciled for a quarter fulfils that quarter only, not before it ends."""
    given = Given(V)
    given.then("QuarterReconciled", "2025-03-31", quarter="2025-Q1")  # before the quarter ended
    done = given.then("QuarterReconciled", "2025-04-10", quarter="2025-Q1", outcome="Inga avvikelser")
    found = {o.period: o for o in obligations(given, "2025-08-01", "quarterly_reconciliation")}
    assert found["2025-Q1"].fulfilled_by_seq == done
    assert found["2025-Q2"].status_on(d("2025-08-01")) == "overdue"


def test_quarterly_reconciliation_weekend_due_date_s() -> None:
    """S: 2022-Q3 is due 30 September + 30 days = Sunday 2022-10-30; the due date does not move
    (weekend policy), the next working day is shown beside it."""
    given = Given(S)
    found = {o.period: o for o in obligations(given, "2022-12-31", "quarterly_reconciliation")}
    assert found["2022-Q3"].due == d("2022-10-30")
    assert found["2022-Q3"].due_working_day == d("2022-10-31")
    assert "ingen arbetsdag" in found["2022-Q3"].explanation


def test_quarterly_reconciliation_stops_with_the_contract_v() -> None:
    """V 1.2: the quarter in which the contract ends is the last."""
    given = Given(V)
    given.notice("2024-02-10")  # 12 months → ends 2025-02-10
    found = obligations(given, "2026-01-01", "quarterly_reconciliation")
    assert found[-1].period == "2025-Q1"


@pytest.mark.parametrize("ref", (F, C))
def test_quarterly_reconciliation_none_without_clause(ref: str) -> None:
    """F (hours) and C (FTE) are paid without a quarterly reconciliation."""
    assert obligations(Given(ref), "2025-12-31", "quarterly_reconciliation") == []
