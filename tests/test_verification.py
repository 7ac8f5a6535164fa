"""Hash-link verification: tampering straight in the SQLite file and the PostgreSQL table.

Each tamper test changes the stored rows behind the application's back (as an
insider with database access would), then checks that ``verify`` fails, names
the first bad entry (contract, seq, notification id) and says what is wrong.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson
import psycopg
import pytest
from typer.testing import CliRunner

from domain.contract import contract_id
from domain.hashing import GENESIS, entry_body, extend_head, link
from domain.ledger import Ledger
from domain.storage import Database
from domain.verification import (
    TOPIC_RECORDED,
    TOPIC_REGISTERED,
    Verifier,
    verify_application,
)
from tests.support.builders import actor, event, seed

REF = "familjeradgivning"
OTHER = "skolsocialt-team"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def populate(ledger: Ledger, notes: int = 4) -> None:
    """The four catalogue contracts, then ``notes`` reports on REF (seq 2..) interleaved
    with reports on OTHER, each with a distinctive note."""
    seed(ledger)
    for i in range(notes):
        ledger.record(REF, event("WaitingTimeReported", f"2025-0{i + 1}-15", period=f"2025-0{i + 1}",
                                 longest_wait_days=10 + i, note=f"distinctive note {i + 2}"),
                      actor("utforare"))
        ledger.record(OTHER, event("WaitingTimeReported", f"2025-0{i + 1}-20",
                                   period=f"2025-0{i + 1}", longest_wait_days=20 + i),
                      actor("utforare"))


# --- raw access to the stored rows --------------------------------------------------


class Raw:
    """The event table of a ledger's database, read and written without the library."""

    def __init__(self, database: Database, ledger: Ledger) -> None:
        self.database = database
        self.table = ledger.recorder.events_table_name  # type: ignore[attr-defined]
        self.sqlite = database.engine == "sqlite"
        self.nid = "rowid" if self.sqlite else "notification_id"

    @contextmanager
    def connect(self) -> Iterator[Any]:
        if self.sqlite:
            con = sqlite3.connect(str(self.database.path))
            try:
                yield con
                con.commit()
            finally:
                con.close()
        else:
            db = self.database
            with psycopg.connect(host=db.host, port=db.port, user=db.user, password=db.password,
                                 dbname=db.dbname, autocommit=True) as con:
                yield con

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.sqlite:
            statement = statement.replace("%s", "?")
        statement = statement.replace("{table}", self.table).replace("{nid}", self.nid)
        with self.connect() as con:
            cursor = con.execute(statement, params)
            return list(cursor.fetchall()) if cursor.description else []

    def row(self, ref: str, seq: int) -> tuple[int, bytes]:
        """Notification id and state of entry ``seq`` of contract ``ref``."""
        oid = contract_id(ref)
        (nid, state), = self.sql("SELECT {nid}, state FROM {table} WHERE originator_id = %s "
                                 "AND originator_version = %s", self._oid(oid), seq)
        return int(nid), bytes(state)

    def set_state(self, ref: str, seq: int, state: bytes) -> int:
        nid, _ = self.row(ref, seq)
        self.sql("UPDATE {table} SET state = %s WHERE {nid} = %s", state, nid)
        return nid

    def delete(self, ref: str, seq: int) -> int:
        nid, _ = self.row(ref, seq)
        self.sql("DELETE FROM {table} WHERE {nid} = %s", nid)
        return nid

    def insert(self, ref: str, seq: int, topic: str, state: bytes) -> int:
        self.sql("INSERT INTO {table} (originator_id, originator_version, topic, state) "
                 "VALUES (%s, %s, %s, %s)", self._oid(contract_id(ref)), seq, topic, state)
        return self.row(ref, seq)[0]

    def last_seq(self, ref: str) -> int:
        (seq,), = self.sql("SELECT max(originator_version) FROM {table} WHERE originator_id = %s",
                           self._oid(contract_id(ref)))
        return int(seq)

    def _oid(self, oid: UUID) -> Any:
        return oid.hex if self.sqlite else oid


@pytest.fixture
def populated(ledger: Ledger, database: Database) -> tuple[Ledger, Raw]:
    populate(ledger)
    return ledger, Raw(database, ledger)


def replace_once(state: bytes, old: bytes, new: bytes) -> bytes:
    assert state.count(old) == 1, (old, state)
    return state.replace(old, new)


def verify_fresh(database: Database) -> Any:
    """Verify with a new application, as a separate ``ledger verify`` process would."""
    app = Ledger.open(database)
    try:
        return verify_application(app)
    finally:
        app.close()


# --- the untouched ledger -----------------------------------------------------------


def test_untouched_ledger_verifies(populated: tuple[Ledger, Raw]) -> None:
    ledger, _raw = populated
    report = verify_application(ledger)
    assert report.ok and report.bad is None
    assert report.events == 4 + 2 * 4 and report.contracts == 4
    # The head is the fold of every entry's hash in recording order.
    head = GENESIS
    for _nid, entry in ledger.ledger_events(limit=100):
        head = extend_head(head, entry.hash)
    assert report.head == head
    assert report.as_dict() == {"ok": True, "events": 12, "head": head}


def test_empty_ledger_verifies(ledger: Ledger) -> None:
    report = verify_application(ledger)
    assert report.as_dict() == {"ok": True, "events": 0, "head": GENESIS}


def test_small_batches_read_everything(populated: tuple[Ledger, Raw]) -> None:
    ledger, _raw = populated
    assert verify_application(ledger, batch=3) == verify_application(ledger, batch=5000)


# --- tampering ----------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), [
    (b'"effective_date":"2025-02-15"', b'"effective_date":"2025-02-16"'),  # a digit
    (b"distinctive note 3", b"distinctive note 8"),  # a letter in a note
    (b'"longest_wait_days":11', b'"longest_wait_days":12'),
    (b'"actor":"test-utforare"', b'"actor":"test-utforarf"'),
], ids=["date-digit", "note", "number", "actor"])
def test_changed_byte_is_named(populated: tuple[Ledger, Raw], database: Database,
                               old: bytes, new: bytes) -> None:
    _ledger, raw = populated
    nid, state = raw.row(REF, 3)
    raw.set_state(REF, 3, replace_once(state, old, new))
    report = verify_fresh(database)
    assert not report.ok
    bad = report.bad
    assert (bad.contract, bad.seq, bad.notification_id, bad.kind) == (REF, 3, nid, "changed")
    assert "no longer hash" in bad.detail
    assert report.as_dict()["first_bad_entry"]["notification_id"] == nid


def test_changed_timestamp_is_named(populated: tuple[Ledger, Raw], database: Database) -> None:
    _ledger, raw = populated
    nid, state = raw.row(REF, 2)
    parsed = orjson.loads(state)
    stamp = parsed["timestamp"]["_data_"]
    later = stamp[:17] + ("00" if stamp[17:19] != "00" else "01") + stamp[19:]
    raw.set_state(REF, 2, state.replace(stamp.encode(), later.encode()))
    report = verify_fresh(database)
    assert (report.bad.contract, report.bad.seq, report.bad.notification_id,
            report.bad.kind) == (REF, 2, nid, "changed")


def test_byte_that_breaks_json_is_a_bad_entry_not_a_crash(populated: tuple[Ledger, Raw],
                                                          database: Database) -> None:
    _ledger, raw = populated
    nid, state = raw.row(REF, 4)
    raw.set_state(REF, 4, state.replace(b"{", b"[", 1))
    report = verify_fresh(database)
    assert (report.bad.contract, report.bad.seq, report.bad.notification_id,
            report.bad.kind) == (REF, 4, nid, "changed")
    assert "valid JSON" in report.bad.detail


def test_deleted_row_is_named(populated: tuple[Ledger, Raw], database: Database) -> None:
    _ledger, raw = populated
    raw.delete(REF, 3)
    nid_after, _ = raw.row(REF, 4)
    report = verify_fresh(database)
    bad = report.bad
    assert (bad.contract, bad.seq, bad.notification_id, bad.kind) == (REF, 4, nid_after, "deleted")
    assert "entry 3" in bad.detail


def test_deleted_registration_is_named(populated: tuple[Ledger, Raw], database: Database) -> None:
    _ledger, raw = populated
    raw.delete(OTHER, 1)
    report = verify_fresh(database)
    assert (report.bad.contract, report.bad.seq, report.bad.kind) == (OTHER, 2, "deleted")


def test_swapped_rows_are_named(populated: tuple[Ledger, Raw], database: Database) -> None:
    _ledger, raw = populated
    nid2, state2 = raw.row(REF, 2)
    _nid3, state3 = raw.row(REF, 3)
    raw.set_state(REF, 2, state3)
    raw.set_state(REF, 3, state2)
    report = verify_fresh(database)
    bad = report.bad
    assert (bad.contract, bad.seq, bad.notification_id, bad.kind) == (REF, 2, nid2, "out_of_order")
    assert "entry 3" in bad.detail


def _forged_state(ref: str, seq: int, prev_hash: str, hash: str) -> bytes:
    return orjson.dumps({
        "timestamp": {"_type_": "datetime_iso", "_data_": "2026-03-03T10:00:00.000000+00:00"},
        "ref": ref, "actor": "test-bestallare", "role": "bestallare",
        "entry": {"type": "WaitingTimeNotified", "effective_date": "2026-03-03",
                  "document_ref": None, "note": "forged"},
        "prev_hash": prev_hash, "hash": hash,
    })


def test_appended_forged_row_is_named(populated: tuple[Ledger, Raw], database: Database) -> None:
    ledger, raw = populated
    seq = raw.last_seq(REF) + 1
    last = ledger.entry(REF, seq - 1)
    nid = raw.insert(REF, seq, TOPIC_RECORDED, _forged_state(REF, seq, last.hash, "ab" * 32))
    report = verify_fresh(database)
    bad = report.bad
    assert (bad.contract, bad.seq, bad.notification_id) == (REF, seq, nid)
    assert bad.kind == "changed" and "forged" in bad.detail
    assert report.events == 12  # every genuine entry verified before it


def test_forged_row_with_a_computed_link_but_wrong_predecessor(
        populated: tuple[Ledger, Raw], database: Database) -> None:
    _ledger, raw = populated
    seq = raw.last_seq(REF) + 1
    state = orjson.loads(_forged_state(REF, seq, "cd" * 32, ""))
    body = entry_body(contract=REF, seq=seq, recorded_at=datetime.fromisoformat(
        state["timestamp"]["_data_"]), actor=state["actor"], role=state["role"],
                      event=state["entry"])
    state["hash"] = link(state["prev_hash"], body)
    nid = raw.insert(REF, seq, TOPIC_RECORDED, orjson.dumps(state))
    bad = verify_fresh(database).bad
    assert (bad.contract, bad.seq, bad.notification_id, bad.kind) == (REF, seq, nid, "forged")


def test_forged_row_with_a_made_up_seq(populated: tuple[Ledger, Raw], database: Database) -> None:
    ledger, raw = populated
    seq = raw.last_seq(REF) + 3
    last = ledger.entry(REF, seq - 3)
    nid = raw.insert(REF, seq, TOPIC_RECORDED, _forged_state(REF, seq, last.hash, "ab" * 32))
    bad = verify_fresh(database).bad
    assert (bad.contract, bad.seq, bad.notification_id, bad.kind) == (REF, seq, nid, "forged")


def test_row_moved_to_another_contract(populated: tuple[Ledger, Raw], database: Database) -> None:
    _ledger, raw = populated
    _, state = raw.row(REF, 5)
    seq = raw.last_seq(OTHER) + 1
    nid = raw.insert(OTHER, seq, TOPIC_RECORDED, state)
    bad = verify_fresh(database).bad
    assert (bad.contract, bad.seq, bad.notification_id, bad.kind) == (OTHER, seq, nid, "changed")


def test_altered_prev_hash_is_named(populated: tuple[Ledger, Raw], database: Database) -> None:
    ledger, raw = populated
    nid, state = raw.row(REF, 3)
    prev = ledger.entry(REF, 2).hash
    altered = ("1" if prev[0] == "0" else "0") + prev[1:]
    raw.set_state(REF, 3, replace_once(state, prev.encode(), altered.encode()))
    bad = verify_fresh(database).bad
    assert (bad.contract, bad.seq, bad.notification_id, bad.kind) == (REF, 3, nid, "changed")
    assert "prev_hash" in bad.detail


def test_first_bad_entry_in_recording_order_is_named(populated: tuple[Ledger, Raw],
                                                     database: Database) -> None:
    _ledger, raw = populated
    nid_other, state = raw.row(OTHER, 2)
    raw.set_state(OTHER, 2, replace_once(state, b'"longest_wait_days":20', b'"longest_wait_days":21'))
    _, state = raw.row(REF, 5)
    raw.set_state(REF, 5, replace_once(state, b"distinctive", b"Distinctive"))
    bad = verify_fresh(database).bad
    assert (bad.contract, bad.seq, bad.notification_id) == (OTHER, 2, nid_other)


def test_topic_altered(populated: tuple[Ledger, Raw], database: Database) -> None:
    _ledger, raw = populated
    nid, _ = raw.row(REF, 2)
    raw.sql("UPDATE {table} SET topic = %s WHERE {nid} = %s", TOPIC_REGISTERED, nid)
    bad = verify_fresh(database).bad
    assert (bad.contract, bad.seq, bad.notification_id, bad.kind) == (REF, 2, nid, "changed")


# --- the command line ---------------------------------------------------------------


def run_cli(database: Database, *args: str, env: dict[str, str] | None = None) -> Any:
    from api.cli import app

    return CliRunner().invoke(app, list(args), env={"LEDGER_DATABASE_URL": database.url,
                                                    **(env or {})})


def test_cli_verify_ok_and_failing(populated: tuple[Ledger, Raw], database: Database) -> None:
    _ledger, raw = populated
    result = run_cli(database, "verify")
    assert result.exit_code == 0, result.output
    assert "12 entries in 4 contracts verify" in result.stdout
    result = run_cli(database, "verify", "--json")
    assert orjson.loads(result.stdout)["ok"] is True

    nid, state = raw.row(REF, 3)
    raw.set_state(REF, 3, replace_once(state, b"distinctive", b"Distinctive"))
    result = run_cli(database, "verify")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"contract '{REF}' entry 3 (notification {nid}): changed" in result.stderr
    result = run_cli(database, "verify", "--json")
    assert result.exit_code == 1
    payload = orjson.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["first_bad_entry"] | {"detail": ""} == {
        "contract": REF, "seq": 3, "notification_id": nid, "kind": "changed", "detail": ""}


def test_cli_verify_undecodable_row_exits_1(populated: tuple[Ledger, Raw],
                                            database: Database) -> None:
    _ledger, raw = populated
    raw.set_state(REF, 2, b"\x00\xffnot json")
    result = run_cli(database, "verify")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and f"'{REF}' entry 2" in result.stderr


# --- encryption at rest -------------------------------------------------------------


def test_encrypted_at_rest_and_still_verifies(database: Database,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from eventsourcing.cipher import AESCipher

    monkeypatch.setenv("LEDGER_CIPHER_KEY", AESCipher.create_key(32))
    ledger = Ledger.open(database)
    try:
        populate(ledger)
        note = b"distinctive note 3"
        assert ledger.entry(REF, 3).data["note"] == note.decode()
        raw = Raw(database, ledger)
        states = [bytes(s) for (s,) in raw.sql("SELECT state FROM {table}")]
        assert len(states) == 12
        for needle in (note, b"WaitingTimeReported", b"test-utforare", REF.encode(),
                       b"Familjer\xc3\xa5dgivning"):
            assert not any(needle in s for s in states), needle
        if database.engine == "sqlite":
            ledger.close()
            files = [database.path, database.path.with_name(database.path.name + "-wal")]
            data = b"".join(p.read_bytes() for p in files if p.exists())
            assert data and note not in data and b"test-utforare" not in data
            ledger = Ledger.open(database)
        report = verify_application(ledger)
        assert report.ok and report.events == 12
    finally:
        ledger.close()
    # The same ledger read with the key verifies; a changed ciphertext byte is a bad entry.
    app = Ledger.open(database)
    try:
        nid, state = raw.row(REF, 3)
        flipped = state[:40] + bytes([state[40] ^ 1]) + state[41:]
        raw.set_state(REF, 3, flipped)
        bad = verify_application(app).bad
        assert (bad.contract, bad.seq, bad.notification_id, bad.kind) == (REF, 3, nid, "changed")
        assert "decrypt" in bad.detail
    finally:
        app.close()


def test_encrypted_links_equal_plaintext_links(sqlite_database: Database, tmp_path: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Links are over the plaintext: the same entries hash alike with and without the cipher."""
    from eventsourcing.cipher import AESCipher

    plain = Ledger.open(sqlite_database)
    plain.register(_registration(), actor("admin"), recorded_at=T0)
    monkeypatch.setenv("LEDGER_CIPHER_KEY", AESCipher.create_key(32))
    secret = Ledger.open(Database.from_url(f"sqlite:///{tmp_path / 'secret.db'}"))
    secret.register(_registration(), actor("admin"), recorded_at=T0)
    try:
        assert verify_application(plain).head == verify_application(secret).head
    finally:
        plain.close()
        secret.close()


def _registration() -> Any:
    from tests.support.builders import registered

    return registered(REF)


# --- the pure verifier --------------------------------------------------------------


def _entries(n: int) -> list[dict[str, Any]]:
    """A valid chain of n entries of one contract, as export lines."""
    prev, out = GENESIS, []
    for seq in range(1, n + 1):
        fields = {"ref": "x", "seq": seq, "recorded_at": f"2026-01-01T00:00:0{seq}.000000+00:00",
                  "actor": "a", "role": "admin", "event": {"type": "T", "n": seq}}
        body = {"contract": "x", "seq": seq, "recorded_at": fields["recorded_at"],
                "actor": "a", "role": "admin", "event": fields["event"]}
        fields.update(prev_hash=prev, hash=link(prev, body))
        prev = fields["hash"]
        out.append(fields)
    return out


def _feed(lines: list[dict[str, Any]]) -> Any:
    verifier = Verifier()
    for i, line in enumerate(lines, start=1):
        verifier.add_entry(i, line["seq"], line["ref"], line["recorded_at"], line["actor"],
                           line["role"], line["event"], line["prev_hash"], line["hash"])
    return verifier.report()


def test_pure_verifier_repeated_seq_is_out_of_order() -> None:
    lines = _entries(3)
    report = _feed([*lines, lines[2]])
    assert (report.bad.seq, report.bad.notification_id, report.bad.kind) == (3, 4, "out_of_order")


def test_pure_verifier_rewritten_entry_with_recomputed_hash() -> None:
    lines = _entries(4)
    lines[1]["event"] = {"type": "T", "n": 99}
    body = {"contract": "x", "seq": 2, "recorded_at": lines[1]["recorded_at"], "actor": "a",
            "role": "admin", "event": lines[1]["event"]}
    lines[1]["hash"] = link(lines[1]["prev_hash"], body)
    report = _feed(lines)
    assert (report.bad.seq, report.bad.kind) == (3, "forged")
    assert "entry 2 was rewritten" in report.bad.detail


def test_pure_verifier_head_after() -> None:
    lines = _entries(5)
    verifier = Verifier(head_after=2)
    head = GENESIS
    for i, line in enumerate(lines, start=1):
        verifier.add_entry(i, line["seq"], line["ref"], line["recorded_at"], line["actor"],
                           line["role"], line["event"], line["prev_hash"], line["hash"])
        head = extend_head(head, line["hash"])
        if i == 2:
            head_at_2 = head
    report = verifier.report()
    assert report.ok and report.head == head and report.head_at == head_at_2


def test_recorded_at_without_microseconds_is_normalised(sqlite_database: Database) -> None:
    """The library stores ``isoformat()``, which drops ``.000000``; the link has them."""
    ledger = Ledger.open(sqlite_database)
    try:
        ledger.register(_registration(), actor("admin"), recorded_at=T0)
        ledger.record(REF, event("WaitingTimeReported", "2025-01-15", period="2025-01",
                                 longest_wait_days=1), actor("utforare"),
                      recorded_at=T0.replace(second=1))
        state = orjson.loads(Raw(sqlite_database, ledger).row(REF, 1)[1])
        assert state["timestamp"]["_data_"] == "2026-03-02T09:00:00+00:00"
        state = orjson.loads(Raw(sqlite_database, ledger).row(REF, 2)[1])
        assert state["timestamp"]["_data_"] == "2026-03-02T09:00:01+00:00"
        report = verify_application(ledger)
        assert report.ok and report.events == 2
    finally:
        ledger.close()


@pytest.mark.parametrize("tamper", ["none", "note", "delete", "swap", "json"])
def test_fast_and_general_paths_agree(populated: tuple[Ledger, Raw], database: Database,
                                      tamper: str) -> None:
    """``verify_application`` (inlined hot path over raw rows) and the general
    ``Verifier.feed(stored_records(...))`` (used by export) give the same report."""
    from domain.verification import stored_records

    ledger, raw = populated
    if tamper == "note":
        raw.set_state(REF, 4, replace_once(raw.row(REF, 4)[1], b"note 4", b"note 5"))
    elif tamper == "delete":
        raw.delete(OTHER, 3)
    elif tamper == "swap":
        state3, state4 = raw.row(REF, 3)[1], raw.row(REF, 4)[1]
        raw.set_state(REF, 3, state4)
        raw.set_state(REF, 4, state3)
    elif tamper == "json":
        raw.set_state(OTHER, 2, b'{"ref": 1')
    for batch in (2, 5000):
        fast = verify_application(ledger, batch=batch, head_after=5)
        general = Verifier(head_after=5).feed(stored_records(ledger, batch=batch)).report()
        assert fast == general
        assert fast.ok == (tamper == "none")
