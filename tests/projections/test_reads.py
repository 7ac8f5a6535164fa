"""Reads as of a date (valid time) and as known at an instant (transaction time)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import orjson
import pytest

from domain.errors import UnknownContract
from domain.ledger import Ledger
from domain.storage import Database
from projections.reads import ReadModels
from projections.rebuild import rebuild
from projections.rules import NOTICE_ENTRIES
from projections.runner import ReadModelRunner
from tests.projections.support import TODAY, today
from tests.support.builders import actor, event
from tests.support.history import HISTORY, REF

UTFORARE = actor("utforare")
BESTALLARE = actor("bestallare")


@pytest.fixture
def models(seeded_ledger: Ledger, database: Database) -> Iterator[ReadModels]:
    read_models = ReadModels(database, today=today, ledger=seeded_ledger)
    read_models.catch_up()
    yield read_models
    read_models.close()


def _ids(found: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(o.id, status) for o, status in found]


def test_known_at_each_recording_instant_is_the_state_right_after_that_entry(
        seeded_ledger: Ledger, database: Database) -> None:
    after_each = []
    with ReadModelRunner(database, today=today) as runner, \
            ReadModels(database, today=today, ledger=seeded_ledger) as models:
        for who, happened in HISTORY:
            seeded_ledger.record(REF, happened, who)
            runner.wait(seeded_ledger.recorder.max_notification_id(), timeout=10)
            after_each.append((models.obligations(REF, as_of=TODAY), models.deviations(REF, as_of=TODAY),
                               models.notice(REF, as_of=TODAY), models.contract(REF, as_of=TODAY)))
        entries = models.events(REF, limit=1000)[1:]
        assert len(entries) == len(HISTORY)
        for entry, (obligations, deviations, notice, contract) in zip(entries, after_each, strict=True):
            known_at = entry.recorded_at
            assert models.obligations(REF, as_of=TODAY, known_at=known_at) == obligations
            assert models.deviations(REF, as_of=TODAY, known_at=known_at) == deviations
            assert models.notice(REF, as_of=TODAY, known_at=known_at) == notice
            then = models.contract(REF, as_of=TODAY, known_at=known_at)
            assert (then.version, then.terms, then.status) == (contract.version, contract.terms,
                                                               contract.status)
            assert [e.seq for e in models.events(REF, known_at=known_at, limit=1000)][-1] == entry.seq


def test_known_at_before_a_correction_shows_the_original(models: ReadModels, seeded_ledger: Ledger) -> None:
    ref = "familjeradgivning"
    moved = seeded_ledger.record(ref, event("PremisesChanged", "2025-02-03", address="Utanför 1, Skänninge",
                                            within_tatort=False), UTFORARE)
    corrected = seeded_ledger.record(ref, event("EntryCorrected", "2025-02-10", entry_seq=moved.seq,
                                                reason="Fel adress"), UTFORARE)
    models.catch_up()
    before, after = moved.entry.recorded_at, corrected.entry.recorded_at
    as_of = date(2025, 3, 1)

    def caused_by_move(known_at):  # type: ignore[no-untyped-def]
        obligations = [o for o, _ in models.obligations(ref, as_of=as_of, known_at=known_at)
                       if o.created_by_seq == moved.seq]
        deviations = [d for d, _ in models.deviations(ref, as_of=as_of, known_at=known_at)
                      if moved.seq in d.seqs]
        return obligations, deviations

    obligations, deviations = caused_by_move(before)
    assert [o.kind for o in obligations] == ["premises_notice"]
    assert [d.kind for d in deviations] == ["premises_outside_tatort"]
    assert caused_by_move(after) == ([], [])
    assert caused_by_move(None) == ([], [])
    # The audit trail keeps both entries, whatever is known.
    assert [e.type for e in models.events(ref)][-2:] == ["PremisesChanged", "EntryCorrected"]
    assert [e.type for e in models.events(ref, known_at=before)][-1] == "PremisesChanged"


def test_known_at_before_registration_knows_no_contract(models: ReadModels) -> None:
    first = models.events(REF)[0].recorded_at
    with pytest.raises(UnknownContract):
        models.obligations(REF, as_of=TODAY, known_at=first - timedelta(seconds=1))


def test_as_of_shows_what_had_arisen_and_its_status_that_day(models: ReadModels,
                                                             seeded_ledger: Ledger) -> None:
    notified = seeded_ledger.record(REF, event("LexSarahNotifiedToIVO", "2025-03-03"), UTFORARE)
    sent = seeded_ledger.record(REF, event("LexSarahCopySent", "2025-03-12", anmalan_seq=notified.seq),
                                UTFORARE)
    models.catch_up()

    def copy(as_of: date) -> list[tuple[str, str]]:
        return [(o.kind, s) for o, s in models.obligations(REF, as_of=as_of)
                if o.created_by_seq == notified.seq]

    (obligation,) = [o for o, _ in models.obligations(REF, as_of=TODAY) if o.created_by_seq == notified.seq]
    assert obligation.fulfilled_by_seq == sent.seq
    assert obligation.due is not None and date(2025, 3, 3) < obligation.due < date(2025, 3, 12)
    assert copy(date(2025, 3, 2)) == []
    assert copy(obligation.due) == [("lex_sarah_copy", "open")]
    assert copy(obligation.due + timedelta(days=1)) == [("lex_sarah_copy", "overdue")]
    assert copy(date(2025, 3, 12)) == [("lex_sarah_copy", "fulfilled")]
    overdue = models.obligations(REF, as_of=date(2025, 3, 11), status="overdue")
    assert notified.seq in [o.created_by_seq for o, _ in overdue]
    assert all(s == "overdue" for _, s in overdue)
    # Every obligation arisen by as_of, and none after it.
    for as_of in (date(2021, 6, 30), date(2024, 4, 1), TODAY):
        assert all(o.arises_on <= as_of for o, _ in models.obligations(REF, as_of=as_of))


def test_as_of_beyond_the_horizon_computes_from_the_entries(models: ReadModels) -> None:
    far = date(TODAY.year + 5, 6, 30)
    found = models.obligations(REF, as_of=far)
    assert {o.period for o, _ in found if o.kind == "annual_report"} >= {str(TODAY.year + 4)}
    assert all(o.arises_on <= far for o, _ in found)


def test_open_obligations_across_contracts_with_filters(models: ReadModels, seeded_ledger: Ledger) -> None:
    seeded_ledger.record(REF, event("LexSarahNotifiedToIVO", "2026-11-20"), UTFORARE)
    seeded_ledger.record("familjeradgivning", event("PremisesChanged", "2026-11-02", address="Ny väg 2",
                                                    within_tatort=True), UTFORARE)
    seeded_ledger.record("skolsocialt-team", event("BreachNoticeIssued", "2026-11-01", written=True,
                                                   breaches=["Socionomer saknas"]), BESTALLARE)
    models.catch_up()
    refs = [c.ref for c in models.contracts()]

    def expected(as_of, status=None, due_before=None, holder=None):  # type: ignore[no-untyped-def]
        found = []
        for ref in refs:
            for o, s in models.obligations(ref, as_of=as_of):
                if (s in ("open", "overdue") and (status is None or s == status)
                        and (due_before is None or (o.due is not None and o.due < due_before))
                        and (holder is None or o.holder == holder)):
                    found.append((ref, o.id, s))
        return sorted(found)

    for as_of in (TODAY, date(2025, 6, 1), date(TODAY.year + 4, 1, 15)):
        everything = models.open_obligations(as_of=as_of)
        assert sorted((r, o.id, s) for r, o, s in everything) == expected(as_of)
        assert [o.due or date.max for _, o, _ in everything] == sorted(o.due or date.max
                                                                       for _, o, _ in everything)
    assert {s for _, _, s in models.open_obligations(as_of=TODAY)} == {"open", "overdue"}
    for status in ("open", "overdue"):
        found = models.open_obligations(as_of=TODAY, status=status)
        assert found and sorted((r, o.id, s) for r, o, s in found) == expected(TODAY, status=status)
    cut = date(2026, 1, 1)
    found = models.open_obligations(as_of=TODAY, due_before=cut)
    assert found and sorted((r, o.id, s) for r, o, s in found) == expected(TODAY, due_before=cut)
    for holder in ("utforare", "bestallare"):
        found = models.open_obligations(as_of=TODAY, holder=holder)
        assert sorted((r, o.id, s) for r, o, s in found) == expected(TODAY, holder=holder)
        assert all(o.holder == holder for _, o, _ in found)


def test_open_obligation_docs_are_the_open_obligations_as_served(models: ReadModels,
                                                                 seeded_ledger: Ledger) -> None:
    seeded_ledger.record(REF, event("LexSarahNotifiedToIVO", "2026-11-20"), UTFORARE)
    seeded_ledger.record("familjeradgivning", event("LexSarahNotifiedToIVO", "2026-11-02"), UTFORARE)
    seeded_ledger.record("skolsocialt-team", event("BreachNoticeIssued", "2026-11-01", written=True,
                                                   breaches=["Socionomer saknas"]), BESTALLARE)
    models.catch_up()
    seen = set()
    # The last as_of is beyond every contract's horizon: those rows come from the rules.
    for as_of in (TODAY, date(2025, 6, 1), date(2026, 11, 5), date(TODAY.year + 4, 1, 15)):
        for filters in ({}, {"status": "open"}, {"status": "overdue"}, {"due_before": date(2026, 12, 1)},
                        {"holder": "utforare"}, {"holder": "bestallare", "status": "overdue"},
                        {"holder": "nobody"}):
            docs = models.open_obligation_docs(as_of=as_of, **filters)  # type: ignore[arg-type]
            found = models.open_obligations(as_of=as_of, **filters)  # type: ignore[arg-type]
            assert [orjson.loads(doc) for doc in docs] == [
                {"id": o.id, "kind": o.kind, "holder": o.holder, "clause": o.clause.model_dump(mode="json"),
                 "due": o.due and o.due.isoformat(),
                 "due_working_day": o.due_working_day and o.due_working_day.isoformat(),
                 "status": status, "created_by_seq": o.created_by_seq, "fulfilled_by_seq": o.fulfilled_by_seq,
                 "period": o.period, "explanation": o.explanation, "contract": ref}
                for ref, o, status in found]
            seen.update(orjson.loads(doc)["status"] for doc in docs)
    assert seen == {"open", "overdue"}


def test_cached_obligations_follow_every_new_version_and_day(models: ReadModels, seeded_ledger: Ledger,
                                                             database: Database) -> None:
    def stored(read_models: ReadModels, ref: str, as_of: date) -> list[tuple[str, str]]:
        return [(o.id, o.status_on(as_of)) for o in read_models.view.obligations(ref, arisen_by=as_of)]

    ref = "familjeradgivning"
    assert _ids(models.obligations(ref, as_of=TODAY)) == stored(models, ref, TODAY)
    notified = seeded_ledger.record(ref, event("LexSarahNotifiedToIVO", "2026-11-20"), UTFORARE)
    models.catch_up()
    copy = f"lex_sarah_copy:{notified.seq}"
    assert (copy, "open") in _ids(models.obligations(ref, as_of=TODAY))
    seeded_ledger.record(ref, event("LexSarahCopySent", "2026-11-21", anmalan_seq=notified.seq), UTFORARE)
    models.catch_up()
    assert (copy, "fulfilled") in _ids(models.obligations(ref, as_of=TODAY))
    assert _ids(models.obligations(ref, as_of=TODAY)) == stored(models, ref, TODAY)
    # Rebuilt on a later day (same versions, a later horizon): the rows of that day are read.
    before = _ids(models.obligations(ref, as_of=TODAY))
    later = date(TODAY.year + 3, 6, 1)
    assert models.view.contract_stamp(ref).horizon < later  # type: ignore[union-attr]
    rebuild(database, today=later)
    assert models.view.contract_stamp(ref).horizon > later  # type: ignore[union-attr]
    assert _ids(models.obligations(ref, as_of=later)) == stored(models, ref, later)
    assert len(_ids(models.obligations(ref, as_of=later))) > len(before)
    assert _ids(models.obligations(ref, as_of=TODAY)) == before


def test_known_at_loads_only_the_entries_recorded_by_then(seeded_ledger: Ledger, database: Database,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ref = "familjeradgivning"
    for day in ("2025-05-26", "2025-05-27", "2025-05-28", "2025-05-29"):
        seeded_ledger.record(ref, event("LexSarahReported", day, count=1), UTFORARE)
    with ReadModels(database, today=today, ledger=seeded_ledger) as warm:
        warm.catch_up()
        everything = warm.events(ref, limit=1000)
        expected = {e.seq: (warm.obligations(ref, as_of=TODAY, known_at=e.recorded_at),
                            warm.notice(ref, as_of=TODAY, known_at=e.recorded_at)) for e in everything}
    with ReadModels(database, today=today, ledger=seeded_ledger) as cold:
        read = []
        entries = cold.view.entries
        monkeypatch.setattr(cold.view, "entries", lambda r, **kw: read.append(kw) or entries(r, **kw))
        third = everything[2]
        assert cold.obligations(ref, as_of=TODAY, known_at=third.recorded_at) == expected[3][0]
        assert read == [{"after": 0, "through": 3}]
        assert cold.notice(ref, as_of=TODAY, known_at=everything[1].recorded_at) == expected[2][1]
        assert cold.obligations(ref, as_of=TODAY, known_at=third.recorded_at) == expected[3][0]
        assert len(read) == 1  # both prefixes of what was read
        assert cold.notice(ref, as_of=TODAY) == expected[len(everything)][1]
        assert read[1:] == [{"after": 3, "through": len(everything)}]  # only what was missing
        assert [e.seq for e in cold._load(cold._stamp(ref), None)] == [e.seq for e in everything]
    with ReadModels(database, today=today, ledger=seeded_ledger) as typed:
        read = []
        entries = typed.view.entries
        monkeypatch.setattr(typed.view, "entries", lambda r, **kw: read.append(kw) or entries(r, **kw))
        # With nothing cached, a notice loads only what the notice rules read (here just the
        # registration), as known then and now; each prefix once.
        for _ in range(2):
            assert typed.notice(ref, as_of=TODAY, known_at=everything[1].recorded_at) == expected[2][1]
            assert typed.notice(ref, as_of=TODAY) == expected[len(everything)][1]
        assert read == [{"through": 2, "types": NOTICE_ENTRIES},
                        {"through": len(everything), "types": NOTICE_ENTRIES}]
        loaded = typed._load(typed._stamp(ref), None, NOTICE_ENTRIES)
        assert [e.type for e in loaded] == ["ContractRegistered"]


def test_contracts_contract_and_head(models: ReadModels) -> None:
    listed = models.contracts()
    assert sorted(c.ref for c in listed) == sorted(
        ["vald-i-nara-relation", "familjeradgivning", "skolsocialt-team", "familjecentraler"])
    assert {c.status for c in listed} == {"running"} and {c.version for c in listed} == {1}
    detail = models.contract("familjeradgivning", as_of=TODAY)
    assert detail.terms["termination"]["notice_months"] == 12
    assert detail.terms["termination"]["citation"]["quote"]
    assert models.head().events == 4 and models.head().position == 4


def test_amended_terms_apply_from_their_effective_date(models: ReadModels, seeded_ledger: Ledger) -> None:
    who, amendment = HISTORY[0]
    signed = seeded_ledger.record(REF, amendment, who)
    models.catch_up()
    assert models.contract(REF, as_of=date(2024, 1, 14)).terms["termination"]["notice_months"] == 12
    assert models.contract(REF, as_of=date(2024, 1, 15)).terms["termination"]["notice_months"] == 6
    before = signed.entry.recorded_at - timedelta(microseconds=1)
    assert models.contract(REF, as_of=TODAY, known_at=before).terms["termination"]["notice_months"] == 12


def test_unknown_contract(models: ReadModels) -> None:
    for read in (lambda: models.obligations("nope", as_of=TODAY), lambda: models.events("nope"),
                 lambda: models.notice("nope", as_of=TODAY),
                 lambda: models.deviations("nope", as_of=TODAY),
                 lambda: models.compensation("nope", year=2025),
                 lambda: models.contract("nope", as_of=TODAY)):
        with pytest.raises(UnknownContract):
            read()


def test_compensation_and_billing_from_the_entries(models: ReadModels, seeded_ledger: Ledger) -> None:
    seeded_ledger.record(REF, event("IndexationApplied", "2025-01-15", year=2025, index="OPI",
                                    percent="2.0000"), BESTALLARE)
    seeded_ledger.record("familjeradgivning", event(
        "ServiceHoursReported", "2025-02-03", month="2025-01", sessions=[{"minutes": 61}]), UTFORARE)
    models.catch_up()
    view = models.compensation(REF, year=2025)
    assert view.year == 2025 and [s.year for s in view.steps if s.kind == "index"][-1] == 2025
    assert models.compensation(REF, year=2025, as_of=date(2025, 1, 14)).steps != view.steps
    billed = models.billing("familjeradgivning", year=2025)
    assert billed is not None and billed.hours >= 1
