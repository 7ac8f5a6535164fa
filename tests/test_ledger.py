"""The ledger application on both backends: optimistic concurrency, idempotency, refusals, seed."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from domain.contract import Entry
from domain.errors import (
    DuplicateContract,
    IdempotencyConflict,
    ImpossibleAct,
    StaleVersion,
    UnknownContract,
)
from domain.ledger import Ledger, Outcome
from domain.storage import Database
from tests.support.builders import ADMIN, actor, catalogue_refs, event, registered, seed

REF = "familjeradgivning"
UTFORARE = actor("utforare")
BESTALLARE = actor("bestallare")
THREADS = 8


def count_events(ledger: Ledger) -> int:
    """Every contract entry in the whole ledger, in notification order."""
    return sum(1 for _ in ledger.ledger_events(limit=100_000))


def lex_sarah(day: int = 12, count: int = 1) -> Any:
    return event("LexSarahReported", date(2025, 5, day), count=count)


def respond(entry: Entry) -> dict[str, Any]:
    return {"seq": entry.seq, "hash": entry.hash, "type": entry.type}


# --- optimistic concurrency ----------------------------------------------------------------


def test_stale_expected_version_is_refused_and_nothing_written(seeded_ledger: Ledger) -> None:
    # given a contract at version 2
    seeded_ledger.record(REF, lex_sarah(12), UTFORARE, expected_version=1)
    before = count_events(seeded_ledger)
    # when someone records expecting version 1
    with pytest.raises(StaleVersion) as refused:
        seeded_ledger.record(REF, lex_sarah(13), UTFORARE, expected_version=1)
    # then it is refused, names If-Match, and nothing is written
    assert refused.value.status == 409 and refused.value.field == "If-Match"
    assert "version 2" in refused.value.detail
    assert count_events(seeded_ledger) == before
    assert seeded_ledger.contract(REF).version == 2


def test_racing_writers_with_the_same_expected_version_one_wins(seeded_ledger: Ledger,
                                                                database: Database) -> None:
    # given eight processes' worth of ledgers on one database, all having read version 1
    ledgers = [Ledger.open(database) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    results: list[Outcome | BaseException] = [None] * THREADS  # type: ignore[list-item]

    def post(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = ledgers[i].record(REF, lex_sarah(12, count=i + 1), UTFORARE,
                                           expected_version=1)
        except BaseException as error:  # every outcome is examined below
            results[i] = error

    try:
        # when all of them post at once
        threads = [threading.Thread(target=post, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        for ledger in ledgers:
            ledger.close()
    # then exactly one succeeds, every other one is told its version is stale
    won = [r for r in results if isinstance(r, Outcome)]
    stale = [r for r in results if isinstance(r, StaleVersion)]
    assert len(won) == 1, results
    assert len(stale) == THREADS - 1, results
    # and exactly one event was written: the winner's
    reopened = Ledger.open(database)
    try:
        entries = reopened.entries(REF)
        assert [e.seq for e in entries] == [1, 2]
        assert entries[1].hash == won[0].entry.hash
        assert entries[1].data["count"] == won[0].entry.data["count"]
    finally:
        reopened.close()


# --- idempotency ---------------------------------------------------------------------------


def test_a_write_by_another_process_is_never_overlooked(seeded_ledger: Ledger, database: Database) -> None:
    # given this ledger decided on the contract at version 2 (and keeps that state)
    seeded_ledger.record(REF, lex_sarah(12), UTFORARE)
    other = Ledger.open(database)
    try:
        # when another process appends version 3
        other.record(REF, lex_sarah(13), UTFORARE)
    finally:
        other.close()
    # then If-Match on the true version succeeds here, after asking the store
    assert seeded_ledger.record(REF, lex_sarah(14), UTFORARE, expected_version=3).seq == 4
    # and a decision on a state the store has passed is refused, not written over
    later = Ledger.open(database)
    try:
        later.record(REF, lex_sarah(15), UTFORARE)
    finally:
        later.close()
    with pytest.raises(StaleVersion):
        seeded_ledger.record(REF, lex_sarah(16), UTFORARE)
    # and the next attempt decides on the stored state
    assert seeded_ledger.record(REF, lex_sarah(16), UTFORARE).seq == 6
    assert [e.seq for e in seeded_ledger.entries(REF)] == [1, 2, 3, 4, 5, 6]



def test_same_key_same_body_returns_the_first_outcome(seeded_ledger: Ledger) -> None:
    # given an entry recorded with an idempotency key
    first = seeded_ledger.record(REF, lex_sarah(), UTFORARE, idempotency_key="k-1",
                                 respond=respond)
    # when the same request is retried
    again = seeded_ledger.record(REF, lex_sarah(), UTFORARE, idempotency_key="k-1",
                                 respond=respond)
    # then the first outcome is returned, marked replayed, and one event is written
    assert (first.replayed, first.written) == (False, True)
    assert (again.replayed, again.written) == (True, False)
    assert (again.seq, again.entry.hash, again.response) == (first.seq, first.entry.hash,
                                                             first.response)
    assert again.response == {"seq": 2, "hash": first.entry.hash, "type": "LexSarahReported"}
    assert [e.seq for e in seeded_ledger.entries(REF)] == [1, 2]


def test_same_key_same_body_after_a_restart(seeded_ledger: Ledger, database: Database) -> None:
    # given an entry recorded with an idempotency key, then a restart
    first = seeded_ledger.record(REF, lex_sarah(), UTFORARE, idempotency_key="k-restart",
                                 respond=respond)
    reopened = Ledger.open(database)
    try:
        # when the same request is retried on the new ledger
        again = reopened.record(REF, lex_sarah(), UTFORARE, idempotency_key="k-restart",
                                respond=respond)
        # then the first outcome is returned and still only one event exists
        assert again.replayed
        assert (again.seq, again.entry.hash, again.response) == (first.seq, first.entry.hash,
                                                                 first.response)
        assert [e.seq for e in reopened.entries(REF)] == [1, 2]
        assert count_events(reopened) == 5
    finally:
        reopened.close()


def test_same_key_different_body_is_a_conflict_and_writes_nothing(seeded_ledger: Ledger) -> None:
    # given an entry recorded with an idempotency key
    seeded_ledger.record(REF, lex_sarah(count=1), UTFORARE, idempotency_key="k-2")
    before = count_events(seeded_ledger)
    # when the key is reused for a different request (body, actor or contract)
    for ref, body, who in [(REF, lex_sarah(count=2), UTFORARE),
                           (REF, lex_sarah(count=1), actor("utforare", "Someone Else")),
                           ("skolsocialt-team", lex_sarah(count=1), UTFORARE)]:
        with pytest.raises(IdempotencyConflict) as refused:
            seeded_ledger.record(ref, body, who, idempotency_key="k-2")
        # then it is refused naming the header, and nothing is written
        assert refused.value.field == "Idempotency-Key" and refused.value.status == 422
    assert count_events(seeded_ledger) == before


def test_concurrent_retries_with_one_key_write_once(seeded_ledger: Ledger,
                                                   database: Database) -> None:
    # given several ledgers sending the same request with the same key at once
    ledgers = [Ledger.open(database) for _ in range(4)]
    barrier = threading.Barrier(len(ledgers))
    results: list[Any] = [None] * len(ledgers)

    def post(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = ledgers[i].record(REF, lex_sarah(), UTFORARE, idempotency_key="k-race",
                                           respond=respond)
        except BaseException as error:
            results[i] = error

    try:
        threads = [threading.Thread(target=post, args=(i,)) for i in range(len(ledgers))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        for ledger in ledgers:
            ledger.close()
    # then every one gets the same entry, one of them wrote it, and there is one event
    assert all(isinstance(r, Outcome) for r in results), results
    assert {r.seq for r in results} == {2}
    assert sum(1 for r in results if r.written) == 1
    assert [e.seq for e in seeded_ledger.entries(REF)] == [1, 2]


def test_dry_run_decides_but_writes_nothing(seeded_ledger: Ledger) -> None:
    outcome = seeded_ledger.record(REF, lex_sarah(), UTFORARE, dry_run=True,
                                   idempotency_key="k-dry")
    assert (outcome.seq, outcome.written) == (2, False)
    assert [e.seq for e in seeded_ledger.entries(REF)] == [1]
    # and the key was not used up, nor the cached contract changed: the next entry is still seq 2
    outcome = seeded_ledger.record(REF, lex_sarah(count=5), UTFORARE, idempotency_key="k-dry")
    assert (outcome.seq, outcome.written) == (2, True)


def test_a_refused_decision_leaves_the_cached_contract_as_it_was(seeded_ledger: Ledger) -> None:
    # given an open breach notice that is then remedied
    notice = seeded_ledger.record(REF, event("BreachNoticeIssued", "2025-01-10", written=True,
                                             breaches=["för få socionomer"]), BESTALLARE)
    seeded_ledger.record(REF, event("BreachRemedied", "2025-01-20",
                                    breach_notice_seq=notice.seq), UTFORARE)
    # when a dry run and a refused act are decided on copies of the cached contract
    seeded_ledger.record(REF, event("EntryCorrected", "2025-01-21", entry_seq=notice.seq + 1,
                                    reason="fel datum"), UTFORARE, dry_run=True)
    with pytest.raises(ImpossibleAct):
        seeded_ledger.record(REF, event("BreachRemedied", "2025-01-22",
                                        breach_notice_seq=notice.seq), UTFORARE)
    # then the cached contract still shows the notice closed and nothing corrected
    contract = seeded_ledger.contract(REF)
    assert contract.version == notice.seq + 1
    assert contract.index[notice.seq - 1][4] == "remedied"
    assert contract.corrected == []


# --- refusals -------------------------------------------------------------------------------


def test_unknown_contract_is_refused(seeded_ledger: Ledger) -> None:
    with pytest.raises(UnknownContract) as refused:
        seeded_ledger.record("no-such-contract", lex_sarah(), UTFORARE)
    assert refused.value.status == 404
    with pytest.raises(UnknownContract):
        seeded_ledger.entries("no-such-contract")
    assert count_events(seeded_ledger) == 4


@pytest.mark.parametrize("seq", [1, 99])
def test_remedying_a_breach_notice_that_does_not_exist_is_impossible(seeded_ledger: Ledger,
                                                                     seq: int) -> None:
    # given a contract without any breach notice (seq 1 is its registration)
    # when the utförare records remedying one
    with pytest.raises(ImpossibleAct) as refused:
        seeded_ledger.record(REF, event("BreachRemedied", date(2025, 3, 1), breach_notice_seq=seq),
                             UTFORARE)
    # then it is refused naming the field, and nothing is written
    assert refused.value.field == "breach_notice_seq" and refused.value.status == 409
    assert [e.seq for e in seeded_ledger.entries(REF)] == [1]


def test_withdrawing_a_notice_never_given_is_impossible(seeded_ledger: Ledger) -> None:
    # given a contract whose entry 2 is a lex Sarah report, not a termination notice
    seeded_ledger.record(REF, lex_sarah(), UTFORARE)
    # when a party withdraws "the notice" at seq 2
    with pytest.raises(ImpossibleAct) as refused:
        seeded_ledger.record(REF, event("TerminationNoticeWithdrawn", date(2025, 6, 1),
                                        notice_seq=2), BESTALLARE)
    # then it is refused, and nothing is written
    assert refused.value.field == "notice_seq"
    assert [e.seq for e in seeded_ledger.entries(REF)] == [1, 2]


def test_withdrawing_a_notice_twice_is_impossible(seeded_ledger: Ledger) -> None:
    """Once a withdrawal is accepted the notice is withdrawn; before that another may follow."""
    seeded_ledger.record(REF, event("TerminationNoticeGiven", date(2025, 3, 3), by="bestallare",
                                    written=True), BESTALLARE)
    withdraw = event("TerminationNoticeWithdrawn", date(2025, 4, 1), notice_seq=2)
    seeded_ledger.record(REF, withdraw, BESTALLARE)
    seeded_ledger.record(REF, event("AgreementAccepted", date(2025, 4, 2), proposal_seq=3), UTFORARE)
    with pytest.raises(ImpossibleAct, match="already withdrawn"):
        seeded_ledger.record(REF, withdraw, BESTALLARE)
    assert [e.seq for e in seeded_ledger.entries(REF)] == [1, 2, 3, 4]


def test_registering_a_contract_twice_is_refused(seeded_ledger: Ledger) -> None:
    with pytest.raises(DuplicateContract):
        seeded_ledger.register(registered(REF), ADMIN)
    assert [e.seq for e in seeded_ledger.entries(REF)] == [1]


def test_a_personnummer_in_a_note_is_refused_naming_the_field(seeded_ledger: Ledger) -> None:
    # when an event carries a personnummer in its note
    with pytest.raises(ValidationError) as refused:
        event("LexSarahReported", "2025-05-12", count=1,
              note="Gäller klient 19121212-1212, se journal")
    # then validation names the field and says why, and the ledger never sees it
    message = str(refused.value)
    assert "'note'" in message and "personnummer" in message
    assert count_events(seeded_ledger) == 4


def test_a_personnummer_in_a_nested_text_is_refused(seeded_ledger: Ledger) -> None:
    with pytest.raises(ValidationError, match=r"breaches\.1"):
        event("BreachNoticeIssued", "2025-05-12", written=True,
              breaches=["Sen rapport", "Uppgifter om 121212-1212 lämnades ut"])


@pytest.mark.parametrize(("type_name", "fields", "field"), [
    ("WaitingTimeReported", {"period": "2025-01", "longest_wait_days": -3}, "longest_wait_days"),
    ("StaffingChanged", {"planned": True, "socionomer": -1}, "socionomer"),
    ("LexSarahReported", {"count": 0}, "count"),
    ("InsuranceProofSubmitted", {"insurer": "If", "amount": "-1.00", "expires_on": "2026-01-01"},
     "amount"),
])
def test_negative_counts_and_amounts_are_refused(seeded_ledger: Ledger, type_name: str,
                                                 fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        event(type_name, "2025-05-12", **fields)
    assert field in str(refused.value)
    assert count_events(seeded_ledger) == 4


@pytest.mark.parametrize(("fields", "field"), [
    ({"effective_date": "2025-02-30"}, "effective_date"),
    ({"effective_date": "2025-01-01", "expires_on": "2025-02-30"}, "expires_on"),
])
def test_impossible_dates_are_refused(fields: dict[str, Any], field: str) -> None:
    body = {"type": "InsuranceProofSubmitted", "insurer": "If", "amount": "20000000.00",
            "expires_on": "2026-01-31", **fields}
    with pytest.raises(ValidationError) as refused:
        event(**body)
    assert field in str(refused.value)


# --- ledger seed ---------------------------------------------------------------------------


def test_seeding_twice_leaves_four_contracts_with_one_registration_each(ledger: Ledger) -> None:
    # given the catalogue seeded once
    assert seed(ledger) == catalogue_refs()
    # when it is seeded again
    assert seed(ledger) == []
    # then there are exactly four contracts, each with one registration entry
    entries = [entry for _, entry in ledger.ledger_events(limit=1000)]
    assert sorted(e.contract for e in entries) == sorted(catalogue_refs())
    assert {e.type for e in entries} == {"ContractRegistered"}
    for ref in catalogue_refs():
        assert [(e.seq, e.type) for e in ledger.entries(ref)] == [(1, "ContractRegistered")]
        assert ledger.entries(ref)[0].event == registered(ref)


def test_cli_seed_twice_changes_nothing_the_second_time(database: Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from api.cli import app

    # given LEDGER_DATABASE_URL naming a fresh database
    monkeypatch.setenv("LEDGER_DATABASE_URL", database.url)
    runner = CliRunner()
    # when `ledger seed` runs twice
    first = runner.invoke(app, ["seed"])
    second = runner.invoke(app, ["seed"])
    # then the first registers the four contracts and the second skips them all
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert first.output.count(": registrerat") == 4
    assert second.output.count(": redan registrerat") == 4
    ledger = Ledger.open(database)
    try:
        assert count_events(ledger) == 4
        for ref in catalogue_refs():
            assert len(ledger.entries(ref)) == 1
    finally:
        ledger.close()
