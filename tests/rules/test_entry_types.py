"""Reads that load only the entry types their rules declare answer as from every entry.

Notice, compensation and billing are judged from a contract's whole history, but their
rules read only their declared types (``READS``) besides the registration, the
amendments and the corrections (``entry_types``). The read models load just those:
whatever the history (amendments of the very clauses these rules apply, corrections of
their entries, entries of every other type), the answer must be the one every entry gives.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.contract import Entry
from domain.rules.billing import READS as BILLING_READS
from domain.rules.billing import billing
from domain.rules.compensation import READS as COMPENSATION_READS
from domain.rules.compensation import compensation
from domain.rules.history import entry_types
from domain.rules.notice import READS as NOTICE_READS
from domain.rules.notice import notice_position
from tests.rules.builders import AUTHORISED, Given, V
from tests.rules.test_incremental import mixed_histories

_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def histories(draw: st.DrawFn) -> Given:
    """Random histories, plus indexations, amendments of the clauses these rules apply, and
    corrections of the latest entry."""
    history = draw(mixed_histories())
    for _ in range(draw(st.integers(0, 4))):
        day = date(2021, 6, 1) + timedelta(days=draw(st.integers(0, 2000)))
        kind = draw(st.sampled_from(["index", "notice_months", "amount", "correction"]))
        corrected = {e.data["entry_seq"] for e in history.entries if e.type == "EntryCorrected"}
        candidates = [e.seq for e in history.entries[1:]
                      if e.type != "EntryCorrected" and e.seq not in corrected]
        if kind == "correction" and candidates:
            history.correct(day.isoformat(), candidates[-1])
        elif kind == "index":
            history.then("IndexationApplied", day, year=draw(st.integers(2020, 2027)), index="OPI",
                         percent=str(draw(st.integers(-20, 60)) / 10),
                         preliminary=draw(st.booleans()))
        elif kind == "notice_months" and history.terms.termination is not None:
            history.then("AmendmentSigned", day, signatories=AUTHORISED,
                         changes={"termination": {"notice_months": draw(st.integers(1, 24))}})
        else:
            history.then("AmendmentSigned", day, signatories=AUTHORISED,
                         changes={"compensation": {"amount": str(draw(st.integers(10**5, 10**7)))}})
    return history


def _only(entries: list[Entry], reads: frozenset[str]) -> list[Entry]:
    types = entry_types(reads)
    return [e for e in entries if e.type in types]


def test_the_foundation_is_registration_terms_and_corrections() -> None:
    # (and gallring decisions, which neutralise the entry they name as corrections do)
    assert entry_types(frozenset({"X"})) == {"X", "ContractRegistered", "AmendmentSigned",
                                             "EntryCorrected", "EntryRedacted"}


@_SETTINGS
@given(histories(), st.dates(date(2021, 1, 1), date(2031, 12, 31)))
def test_notice_from_its_entry_types_equals_notice_from_every_entry(history: Given, as_of: date) -> None:
    entries = history.entries
    assert notice_position(_only(entries, NOTICE_READS), as_of) == notice_position(entries, as_of)


@_SETTINGS
@given(histories(), st.integers(2019, 2028), st.none() | st.dates(date(2021, 1, 1), date(2029, 12, 31)))
def test_compensation_and_billing_from_their_entry_types_equal_every_entry(
        history: Given, year: int, as_of: date | None) -> None:
    entries = history.entries
    assert compensation(_only(entries, COMPENSATION_READS), year, as_of=as_of) == \
        compensation(entries, year, as_of=as_of)
    assert billing(_only(entries, BILLING_READS), year, as_of=as_of) == billing(entries, year, as_of=as_of)


def test_a_corrected_indexation_loaded_with_its_correction_is_not_applied() -> None:
    """Given V indexed 3 % for 2022 and that entry corrected, when compensation for 2023 is
    read from the entry types it declares, then it is the unindexed amount, as from every entry."""
    history = Given(V)
    seq = history.then("IndexationApplied", "2022-02-01", year=2022, index="OPI", percent="3.0")
    history.correct("2022-03-01", seq)
    history.then("LexSarahNotifiedToIVO", "2022-04-01")
    loaded = _only(history.entries, COMPENSATION_READS)
    assert [e.type for e in loaded] == ["ContractRegistered", "IndexationApplied", "EntryCorrected"]
    assert compensation(loaded, 2023) == compensation(history.entries, 2023)
    assert compensation(loaded, 2023).steps == []
