"""Storage: every event type survives a restart on SQLite and PostgreSQL with its exact types;
snapshots; LEDGER_DATABASE_URL parsing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest

from domain.contract import contract_id
from domain.events import EVENT_CLASSES, ContractRegistered
from domain.ledger import Ledger
from domain.storage import ConfigurationError, Database
from tests.support.builders import ADMIN, actor, event, registered
from tests.support.history import HISTORY, REF, exact_types

RECORDED_AT = datetime.fromisoformat("2025-06-02T08:15:00+00:00")


def test_history_has_one_sample_of_every_event_type() -> None:
    # given the sample history (after the registration)
    types = ["ContractRegistered"] + [sample.type_name for _, sample in HISTORY]
    # then every event type of the vocabulary is in it, so the round trip below covers them all
    # (but EntryRedacted, recorded only by `ledger redact`: tests/test_gallring.py round-trips it)
    assert sorted(set(types)) == sorted(set(EVENT_CLASSES) - {"EntryRedacted"})


@pytest.fixture
def restarted(database: Database) -> Iterator[Ledger]:
    """The sample history recorded by one ledger, read back by a new one (a restart)."""
    first = Ledger.open(database)
    try:
        first.register(registered(REF), ADMIN, recorded_at=RECORDED_AT)
        for who, sample in HISTORY:
            first.record(REF, sample, who)
    finally:
        first.close()
    second = Ledger.open(database)
    try:
        yield second
    finally:
        second.close()


@pytest.mark.parametrize("type_name", sorted(set(EVENT_CLASSES) - {"EntryRedacted"}))
def test_every_event_type_round_trips_with_exact_types(restarted: Ledger, type_name: str) -> None:
    # given every event type recorded, and the ledger restarted
    entries = restarted.entries(REF)
    originals = [registered(REF)] + [sample for _, sample in HISTORY]
    assert [entry.seq for entry in entries] == list(range(1, len(originals) + 1))
    # when the entries of this type are read back
    matching = [(entry, original) for entry, original in zip(entries, originals, strict=True)
                if original.type_name == type_name]
    assert matching, f"no sample of {type_name}"
    for entry, original in matching:
        # then each equals what was recorded, with the same class and exact leaf types
        loaded = entry.event
        assert type(loaded) is EVENT_CLASSES[type_name]
        assert loaded == original
        assert exact_types(loaded.model_dump()) == exact_types(original.model_dump())
        assert type(loaded.effective_date) is date
        assert entry.effective_date == original.effective_date
        assert type(entry.effective_date) is date
        assert entry.type == type_name
        assert isinstance(entry.recorded_at, datetime) and entry.recorded_at.tzinfo is not None


def test_decimals_dates_and_nested_lists_come_back_typed(restarted: Ledger) -> None:
    # given the history on a restarted ledger
    by_type = {entry.type: entry.event for entry in restarted.entries(REF)}
    # then money, percentages and FTE are Decimal, dates are dates, nested lists are models
    insurance = by_type["InsuranceProofSubmitted"]
    assert insurance.amount == Decimal("20000000.00") and type(insurance.amount) is Decimal
    assert insurance.expires_on == date(2026, 1, 31) and type(insurance.expires_on) is date
    indexation = by_type["IndexationApplied"]
    assert indexation.percent == Decimal("2.8500") and type(indexation.percent) is Decimal
    report = by_type["AnnualReportSubmitted"]
    assert report.outcomes == {"latt_att_komma_i_kontakt": Decimal("100"),
                               "barn_okad_forstaelse_lyssnade": Decimal("82.50")}
    assert all(type(value) is Decimal for value in report.outcomes.values())
    hours = by_type["ServiceHoursReported"]
    assert [s.minutes for s in hours.sessions] == [60, 61, 45]
    assert [(g.minutes, g.participants) for g in hours.group_sessions] == [(90, 6), (120, 4)]
    amendment = by_type["AmendmentSigned"]
    assert [(s.party, s.authorised) for s in amendment.signatories] == [
        ("bestallare", True), ("utforare", True)]
    registration = by_type["ContractRegistered"]
    assert isinstance(registration, ContractRegistered)
    assert registration.terms == registered(REF).terms


def test_recording_time_and_hash_chain_survive_a_restart(restarted: Ledger) -> None:
    # given the history on a restarted ledger
    entries = restarted.entries(REF)
    # then the registration keeps its recording instant and every entry links to the one before
    assert entries[0].recorded_at == RECORDED_AT
    assert entries[0].actor == ADMIN.name and entries[0].role == "admin"
    for before, after in pairwise(entries):
        assert after.prev_hash == before.hash
    assert restarted.contract(REF).head == entries[-1].hash


def test_state_after_restart_allows_further_decisions(restarted: Ledger) -> None:
    # given the restarted ledger, where entry 23 was corrected and dispute 27 decided
    contract = restarted.contract(REF)
    assert contract.version == len(HISTORY) + 1
    assert contract.terms["termination"]["notice_months"] == 6
    # when a new entry is recorded
    outcome = restarted.record(REF, event("LexSarahReported", date(2025, 6, 1), count=1),
                               actor("utforare"))
    # then it follows the last one
    assert outcome.seq == len(HISTORY) + 2


# --- snapshots -------------------------------------------------------------------------

SNAPSHOT_EVENTS = 205


def test_snapshot_then_restart_keeps_version_and_accepts_more(database: Database) -> None:
    # given a contract with more entries than the snapshotting interval (200)
    ref = "familjeradgivning"
    first = Ledger.open(database)
    try:
        first.register(registered(ref), ADMIN)
        for n in range(SNAPSHOT_EVENTS):
            first.record(ref, event("ServiceHoursReported", date(2024, 1 + n % 12, 1),
                                    month=f"2024-{1 + n % 12:02d}",
                                    sessions=[{"minutes": 60 + n % 30}]), actor("utforare"))
        head = first.contract(ref).head
    finally:
        first.close()
    # when the ledger restarts
    second = Ledger.open(database)
    try:
        snapshots = list(second.snapshots.get(contract_id(ref), desc=True, limit=1))
        contract = second.contract(ref)
        # then a snapshot was taken, and the contract loads at the right version and head
        assert snapshots and snapshots[0].originator_version == 200
        assert contract.version == SNAPSHOT_EVENTS + 1
        assert contract.head == head
        assert len(contract.index) == SNAPSHOT_EVENTS + 1
        # and a further entry is accepted and linked to the last one
        outcome = second.record(ref, event("WaitingTimeReported", date(2025, 1, 31),
                                           period="2025-01", longest_wait_days=9),
                                actor("utforare"), expected_version=SNAPSHOT_EVENTS + 1)
        assert outcome.seq == SNAPSHOT_EVENTS + 2
        assert outcome.entry.prev_hash == head
        assert len(second.entries(ref)) == SNAPSHOT_EVENTS + 2
    finally:
        second.close()


# --- LEDGER_DATABASE_URL ---------------------------------------------------------------


def test_sqlite_url_names_a_relative_file() -> None:
    database = Database.from_url("sqlite:///./var/ledger.db")
    assert (database.engine, database.path) == ("sqlite", Path("var/ledger.db"))


def test_sqlite_url_names_an_absolute_file() -> None:
    database = Database.from_url("sqlite:////srv/ledger/ledger.db")
    assert (database.engine, database.path) == ("sqlite", Path("/srv/ledger/ledger.db"))


def test_sqlite_url_without_a_file_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="LEDGER_DATABASE_URL") as refused:
        Database.from_url("sqlite://")
    assert refused.value.field == "LEDGER_DATABASE_URL"


def test_postgres_url_with_percent_encoded_credentials() -> None:
    # given a password with @, / and : (which must be percent-encoded in a URL)
    database = Database.from_url("postgresql://ledger%2Dapp:p%40ss%2Fw%3Ard@db.example.se:6543/ledger")
    # then the parts are decoded
    assert database.engine == "postgres"
    assert (database.host, database.port, database.dbname) == ("db.example.se", 6543, "ledger")
    assert (database.user, database.password) == ("ledger-app", "p@ss/w:rd")
    env = database.environment()
    assert env["POSTGRES_PASSWORD"] == "p@ss/w:rd"
    assert env["POSTGRES_PORT"] == "6543"
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert "APPLICATION_RECORDER_TOPIC" not in env


def test_postgres_url_defaults_port_and_accepts_postgres_scheme() -> None:
    database = Database.from_url("postgres://ledger@localhost/ledger")
    assert (database.engine, database.port, database.user, database.password) == (
        "postgres", 5432, "ledger", "")


def test_postgres_url_without_database_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="LEDGER_DATABASE_URL"):
        Database.from_url("postgresql://ledger:secret@localhost:5432/")


@pytest.mark.parametrize("url", ["mysql://ledger@localhost/ledger", "ledger.db", "file:///tmp/x.db"])
def test_unsupported_scheme_is_refused_naming_the_setting(url: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        Database.from_url(url)
    assert "LEDGER_DATABASE_URL" in str(refused.value)
    assert refused.value.field == "LEDGER_DATABASE_URL"
    assert refused.value.status == 500


def test_opening_a_given_database_ignores_the_default(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # given no LEDGER_DATABASE_URL (the default is an SQLite file under ./var)
    monkeypatch.delenv("LEDGER_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    database = Database.from_url(f"sqlite:///{tmp_path / 'elsewhere' / 'ledger.db'}")
    # when a ledger is opened on another database
    ledger = Ledger.open(database)
    ledger.close()
    # then the default's directory is not created, and only the given file is used
    assert not (tmp_path / "var").exists()
    assert (tmp_path / "elsewhere" / "ledger.db").exists()
