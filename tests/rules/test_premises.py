"""Lokaler: notify a change of premises (F 3, C 4); premises within Linköpings tätort."""

from __future__ import annotations

import pytest

from tests.rules.builders import C, F, Given, V, d, deviations, obligations


@pytest.mark.parametrize("ref", (F, C))
def test_premises_notice_five_working_days(ref: str) -> None:
    """F 3 / C 4: "Vid eventuellt byte av lokaler ska … meddelas" — 5 working days (midsummer)."""
    given = Given(ref)
    seq = given.then("PremisesChanged", "2025-06-19", address="Storgatan 1, Linköping", within_tatort=True)
    [notice] = obligations(given, "2025-06-19", "premises_notice")
    assert (notice.id, notice.created_by_seq) == (f"premises_notice:{seq}", seq)
    assert notice.due == d("2025-06-27")  # 23, 24, 25, 26, 27 June; 20 June midsommarafton
    assert "Lokaler" in notice.clause.section


def test_premises_notice_fulfilled_c() -> None:
    """C 4: PremisesChangeNotified fulfils it."""
    given = Given(C)
    seq = given.then("PremisesChanged", "2025-03-03", address="Ågatan 5", within_tatort=True)
    done = given.then("PremisesChangeNotified", "2025-03-04", change_seq=seq)
    [notice] = obligations(given, "2025-04-01", "premises_notice")
    assert notice.fulfilled_by_seq == done
    assert deviations(given, "2025-04-01", "premises_outside_tatort") == []


@pytest.mark.parametrize("ref", (V,))
def test_premises_none_without_clause(ref: str) -> None:
    """V has no premises clause and no insyn (S's insyn covers premises: test_staffing)."""
    given = Given(ref)
    given.then("PremisesChanged", "2025-03-03", address="Vikingstad", within_tatort=False)
    assert obligations(given, "2025-06-01", "premises_notice") == []
    assert deviations(given, "2025-06-01", "premises_outside_tatort") == []


@pytest.mark.parametrize("ref", (F, C))
def test_premises_outside_tatort_until_moved_back(ref: str) -> None:
    """F 3 "Lokalerna ska vara belägna i Linköpings tätort" / C 4: deviation while outside."""
    given = Given(ref)
    out = given.then("PremisesChanged", "2025-03-03", address="Vikingstad", within_tatort=False)
    back = given.then("PremisesChanged", "2025-09-01", address="Storgatan 1", within_tatort=True)
    [deviation] = deviations(given, "2025-10-01", "premises_outside_tatort")
    assert (deviation.since, deviation.until) == (d("2025-03-03"), d("2025-09-01"))
    assert deviation.seqs == (out, back)
    assert deviation.open_on(d("2025-08-31")) and not deviation.open_on(d("2025-09-01"))
    assert "tätort" in deviation.clause.quote


def test_premises_outside_tatort_still_open_f() -> None:
    """F 3: a move from one place outside to another outside keeps one open deviation."""
    given = Given(F)
    first = given.then("PremisesChanged", "2025-03-03", address="Vikingstad", within_tatort=False)
    second = given.then("PremisesChanged", "2025-05-03", address="Malmslätt", within_tatort=False)
    [deviation] = deviations(given, "2025-06-01", "premises_outside_tatort")
    assert (deviation.until, deviation.seqs) == (None, (first, second))
