"""Lex Sarah: copy of every anmälan to IVO "omgående"; yearly summary by 31 March."""

from __future__ import annotations

import pytest

from tests.rules.builders import ALL, C, F, Given, S, V, d, obligations

HAS_CLAUSE = (V, F, S)


@pytest.mark.parametrize("ref", HAS_CLAUSE)
def test_lex_sarah_copy_next_working_day_after_easter(ref: str) -> None:
    """V/S "Lex Sarah", F 4.2: "… ska en kopia omgående skickas …" — policy: next working day."""
    given = Given(ref)
    seq = given.then("LexSarahNotifiedToIVO", "2025-04-17", ivo_diarienummer="3.5.1-12345/2025")
    [copy] = obligations(given, "2025-04-17", "lex_sarah_copy")
    assert (copy.id, copy.holder, copy.created_by_seq) == (f"lex_sarah_copy:{seq}", "utforare", seq)
    assert copy.due == copy.due_working_day == d("2025-04-22")
    assert "nästa arbetsdag efter 2025-04-17 (skärtorsdagen)" in copy.explanation
    assert "18–21 april är helg" in copy.explanation
    assert "Lex Sarah" in copy.clause.section
    assert copy.status_on(d("2025-04-22")) == "open"
    assert copy.status_on(d("2025-04-23")) == "overdue"


def test_lex_sarah_copy_midsummer_v() -> None:
    """V Lex Sarah: anmälan on 2025-06-19 → copy by 2025-06-23 (midsommarafton is not a working day)."""
    given = Given(V)
    given.then("LexSarahNotifiedToIVO", "2025-06-19")
    [copy] = obligations(given, "2025-06-19", "lex_sarah_copy")
    assert copy.due == d("2025-06-23")


def test_lex_sarah_copy_christmas_week_s() -> None:
    """S Lex Sarah: anmälan on 2025-12-23 → copy by 2025-12-29."""
    given = Given(S)
    given.then("LexSarahNotifiedToIVO", "2025-12-23")
    [copy] = obligations(given, "2025-12-23", "lex_sarah_copy")
    assert copy.due == d("2025-12-29")


def test_lex_sarah_copy_fulfilled_by_copy_sent_f() -> None:
    """F 4.2: LexSarahCopySent naming the anmälan fulfils it."""
    given = Given(F)
    seq = given.then("LexSarahNotifiedToIVO", "2025-04-17")
    sent = given.then("LexSarahCopySent", "2025-04-22", anmalan_seq=seq)
    [copy] = obligations(given, "2025-05-01", "lex_sarah_copy")
    assert (copy.fulfilled_by_seq, copy.fulfilled_on) == (sent, d("2025-04-22"))
    assert copy.status_on(d("2025-05-01")) == "fulfilled"
    assert not copy.fulfilled_late


def test_lex_sarah_copy_none_without_clause_c() -> None:
    """C has no lex Sarah clause: an anmälan to IVO is recorded but creates no duty."""
    given = Given(C)
    given.then("LexSarahNotifiedToIVO", "2025-04-17")
    assert obligations(given, "2025-06-01", "lex_sarah_copy") == []
    assert obligations(given, "2027-06-01", "lex_sarah_summary") == []


@pytest.mark.parametrize("ref", HAS_CLAUSE)
def test_lex_sarah_summary_yearly_by_31_march(ref: str) -> None:
    """V/S "Lex Sarah", F 4.2: "… senast 31 mars varje år" — one per year in force, from in-force year."""
    given = Given(ref)
    found = obligations(given, "2025-01-01", "lex_sarah_summary")
    first = given.entries[0].event.in_force_from.date.year
    assert [o.period for o in found] == [str(y) for y in range(first, 2025)]
    last = found[-1]
    assert (last.id, last.arises_on, last.due, last.created_by_seq) == (
        "lex_sarah_summary:2024", d("2025-01-01"), d("2025-03-31"), None)
    assert "31 mars året efter 2024" in last.explanation


def test_lex_sarah_summary_on_easter_sunday_2024_v() -> None:
    """V Lex Sarah: 2024-03-31 is a Sunday — due stays, due_working_day 2024-04-02 (annandag påsk 04-01)."""
    given = Given(V)
    [summary] = [o for o in obligations(given, "2024-06-01", "lex_sarah_summary") if o.period == "2023"]
    assert summary.due == d("2024-03-31")
    assert summary.due_working_day == d("2024-04-02")
    assert summary.status_on(d("2024-04-01")) == "overdue"


def test_lex_sarah_summary_fulfilled_and_counts_reports_s() -> None:
    """S Lex Sarah: LexSarahSummarySubmitted for the year fulfils it."""
    given = Given(S)
    given.then("LexSarahReported", "2024-05-02", count=3)
    given.then("LexSarahNotifiedToIVO", "2024-06-03")
    done = given.then("LexSarahSummarySubmitted", "2025-03-20", year=2024)
    [summary] = [o for o in obligations(given, "2025-04-01", "lex_sarah_summary") if o.period == "2024"]
    assert (summary.fulfilled_by_seq, summary.status_on(d("2025-04-01"))) == (done, "fulfilled")
    assert "3 rapporter, 1 anmälningar" in summary.explanation


@pytest.mark.parametrize("ref", ALL)
def test_no_summary_before_the_year_has_ended(ref: str) -> None:
    """A yearly duty arises on 1 January of the following year."""
    given = Given(ref)
    first = given.entries[0].event.in_force_from.date.year
    assert obligations(given, f"{first}-12-31", "lex_sarah_summary") == []
