"""Appends where other processes append to the same contracts (several API processes beside a
`ledger project` worker): each process decides on the stored head, reads back only what it
lacks, and extends its rules' evaluation over the entries it did not write."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from api.http.effects import Evaluations, History
from domain.errors import StaleVersion
from domain.ledger import Ledger
from domain.rules import evaluate
from domain.storage import Database
from tests.support.builders import ADMIN, actor, event, registered

REF = "familjecentraler"
NOTE = event("StaffingChanged", "2025-06-30", planned=True, socionomer=2)
UTFORARE = actor("utforare")


@pytest.fixture
def two(database: Database) -> Iterator[tuple[Ledger, Ledger]]:
    first, second = Ledger.open(database), Ledger.open(database)
    first.register(registered(REF), ADMIN)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def test_a_process_told_that_others_append_decides_on_the_stored_head(two: tuple[Ledger, Ledger]) -> None:
    mine, other = two
    mine.others_append = True
    assert mine.record(REF, NOTE, UTFORARE).seq == 2  # kept as its latest state
    assert other.record(REF, NOTE, UTFORARE).seq == 3
    outcome = mine.record(REF, NOTE, UTFORARE)  # not decided on version 2
    assert outcome.seq == 4
    assert [e.seq for e in mine.entries(REF)] == [1, 2, 3, 4]
    assert mine.entries(REF)[3].prev_hash == mine.entries(REF)[2].hash


def test_without_it_the_kept_state_is_trusted_and_the_stale_decision_refused(
        two: tuple[Ledger, Ledger]) -> None:
    mine, other = two  # (a single API process: nobody else appends but the odd CLI call)
    mine.record(REF, NOTE, UTFORARE)
    other.record(REF, NOTE, UTFORARE)
    with pytest.raises(StaleVersion):
        mine.record(REF, NOTE, UTFORARE)
    assert mine.record(REF, NOTE, UTFORARE).seq == 4  # the store was asked after the refusal


def test_history_reads_back_only_the_entries_it_lacks(two: tuple[Ledger, Ledger]) -> None:
    mine, other = two
    reads: list[int] = []

    def read(ref: str, *, after: int = 0) -> list:
        reads.append(after)
        return mine.entries(ref, after=after)

    history = History(read)
    first = mine.record(REF, NOTE, UTFORARE).entry
    assert [e.seq for e in history.before(first)] == [1]
    history.written(first, history.before(first))
    for _ in range(3):
        other.record(REF, NOTE, UTFORARE)
    last = mine.entries(REF)[-1]
    assert [e.seq for e in history.before(last)] == [1, 2, 3, 4]
    assert reads == [0, 2]  # everything once, then only what came after entry 2




def test_evaluations_extend_the_latest_kept_prefix(two: tuple[Ledger, Ledger]) -> None:
    mine, other = two
    for _ in range(2):
        mine.record(REF, NOTE, UTFORARE)
    through = date(2025, 7, 1)
    evaluations = Evaluations()
    kept = evaluations.of(mine.entries(REF), through)
    for _ in range(3):
        other.record(REF, NOTE, UTFORARE)
    entries = mine.entries(REF)
    extended = evaluations.of(entries, through)
    assert kept.judged.count == 3 and extended.judged.count == 6
    # The families untouched by the new entries are carried over, not judged again ...
    assert any(new is old for new, old in zip(extended.judged.families, kept.judged.families, strict=True))
    # ... and the result is what judging everything gives.
    whole = evaluate(entries, through=through)
    assert (extended.obligations, extended.deviations) == (whole.obligations, whole.deviations)
