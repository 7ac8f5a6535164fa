"""Export as JSON Lines, standalone verification, and import into an empty ledger."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from api.checkpoints import VerificationFailed, load_or_create_key
from api.export import (
    LINE_FIELDS_V2,
    NotEmpty,
    export_ledger,
    import_file,
    is_empty,
    verify_export,
)
from domain.hashing import event_digest
from domain.ledger import Ledger
from domain.storage import Database
from domain.verification import verify_application
from tests.support.builders import actor, catalogue_refs, event
from tests.test_verification import REF, Raw, populate, run_cli


@pytest.fixture
def key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "var" / "signing-key.pem"
    monkeypatch.setenv("LEDGER_SIGNING_KEY_FILE", str(path))
    monkeypatch.setenv("LEDGER_CHECKPOINTS_DIR", str(tmp_path / "var" / "checkpoints"))
    load_or_create_key(path)
    return path


@pytest.fixture
def exported(ledger: Ledger, key: Path, tmp_path: Path) -> Path:
    populate(ledger)
    # An idempotency record in the log: the target's notification ids will differ.
    ledger.record(REF, event("WaitingTimeReported", "2025-09-15", period="2025-09",
                             longest_wait_days=3, note="with a key"), actor("utforare"),
                  idempotency_key="k-1")
    path = tmp_path / "ledger.jsonl"
    export_ledger(ledger, path)
    return path


def open_ledger(database: Database) -> Ledger:
    return Ledger.open(database)


def test_export_format(exported: Path, ledger: Ledger) -> None:
    lines = exported.read_bytes().split(b"\n")
    assert lines[-1] == b""
    *events, trailer = lines[:-1]
    assert len(events) == 13
    for raw in events:
        line = orjson.loads(raw)
        assert set(line) == LINE_FIELDS_V2  # every new entry is linked over its digest
        assert raw == orjson.dumps(line, option=orjson.OPT_SORT_KEYS)
    first = orjson.loads(events[0])
    assert first["seq"] == 1 and first["type"] == "ContractRegistered"
    assert len(first["recorded_at"]) == 32
    last = ledger.entry(REF, 6)
    assert orjson.loads(events[-1]) | {"notification_id": 0} == {
        "notification_id": 0, "ref": REF, "seq": 6, "type": "WaitingTimeReported",
        "recorded_at": last.recorded_at.isoformat(timespec="microseconds"),
        "actor": "test-utforare", "role": "utforare", "event": last.data,
        "prev_hash": last.prev_hash, "hash": last.hash, "link_version": 2,
        "event_sha256": event_digest(last.data)}
    end = orjson.loads(trailer)
    assert set(end) == {"checkpoint", "lines_sha256", "lines_signature"}
    report = verify_application(ledger)
    assert (end["checkpoint"]["events"], end["checkpoint"]["head"]) == (report.events, report.head)


def test_round_trip_into_an_empty_database(exported: Path, ledger: Ledger,
                                          target: Database) -> None:
    report = verify_export(exported)
    assert report.ok, report.problem
    copy = open_ledger(target)
    try:
        assert is_empty(copy)
        imported = import_file(copy, exported)
        assert imported.events == 13
        source, result = verify_application(ledger), verify_application(copy)
        assert result.ok and (result.events, result.head) == (source.events, source.head)
        for ref in catalogue_refs():
            assert copy.entries(ref) == ledger.entries(ref)  # times, actors, roles, links
        # The imported ledger is a working ledger: it records on top, and still verifies.
        copy.record(REF, event("WaitingTimeReported", "2025-10-15", period="2025-10",
                               longest_wait_days=4), actor("utforare"))
        assert copy.entry(REF, 7).prev_hash == ledger.entry(REF, 6).hash
        assert verify_application(copy).ok
    finally:
        copy.close()


def _change_one_byte(path: Path, old: bytes, new: bytes, occurrence: int = 0) -> None:
    assert len(old) == len(new)
    data = path.read_bytes()
    at = -1
    for _ in range(occurrence + 1):
        at = data.index(old, at + 1)
    changed = data[:at] + new + data[at + len(old):]
    assert sum(a != b for a, b in zip(data, changed, strict=True)) == 1
    path.write_bytes(changed)


@pytest.mark.parametrize(("old", "new"), [
    (b'"effective_date":"2025-02-15"', b'"effective_date":"2025-02-16"'),
    (b"distinctive note 3", b"distinctive note 8"),
    (b'"actor":"test-utforare"', b'"actor":"test-utforarE"'),
    (b'"notification_id":6,', b'"notification_id":7,'),
    (b'"seq":3', b'"seq":4'),
    (b'"lines_sha256":"', b'"lines_sha256":"'),  # placeholder, replaced below: a hex digit
    (b'"signed_at":"20', b'"signed_at":"21'),
], ids=["date", "note", "actor", "notification-id", "seq", "lines-digest", "signed-at"])
def test_one_byte_change_is_refused_and_nothing_written(
        exported: Path, target: Database, old: bytes, new: bytes) -> None:
    if old == new:  # flip one hex digit of the signed digest of the lines
        data = exported.read_bytes()
        at = data.index(old) + len(old)
        digit = data[at:at + 1]
        old, new = data[at - 3:at + 1], data[at - 3:at] + (b"0" if digit != b"0" else b"1")
    _change_one_byte(exported, old, new)
    report = verify_export(exported)
    assert not report.ok and report.problem
    copy = open_ledger(target)
    try:
        with pytest.raises(VerificationFailed, match="nothing was written"):
            import_file(copy, exported)
        assert is_empty(copy)
        assert verify_application(copy).events == 0
    finally:
        copy.close()


def test_changed_event_line_names_the_entry(exported: Path) -> None:
    _change_one_byte(exported, b"distinctive note 4", b"distinctive note 9")
    report = verify_export(exported)
    assert not report.ok
    assert (report.bad.contract, report.bad.seq, report.bad.kind) == (REF, 4, "changed")
    assert report.line is not None and report.problem.startswith(f"line {report.line}:")


def test_removed_or_reordered_lines_are_refused(exported: Path) -> None:
    lines = exported.read_bytes().split(b"\n")
    exported.write_bytes(b"\n".join(lines[:5] + lines[6:]))  # a line removed
    assert not verify_export(exported).ok
    exported.write_bytes(b"\n".join([lines[1], lines[0], *lines[2:]]))  # two lines swapped
    assert not verify_export(exported).ok
    exported.write_bytes(b"\n".join(lines[:-3] + lines[-2:]))  # the last event removed
    report = verify_export(exported)
    assert not report.ok and "checkpoint" in report.problem


def test_any_one_byte_change_is_refused(sqlite_database: Database, key: Path,
                                        tmp_path: Path) -> None:
    ledger = open_ledger(sqlite_database)
    try:
        populate(ledger, notes=2)
        path = tmp_path / "small.jsonl"
        export_ledger(ledger, path)
    finally:
        ledger.close()
    data = path.read_bytes()
    rng = random.Random(5)
    for at in sorted(rng.sample(range(len(data)), 400)):
        for replacement in {data[at] ^ 1, ord("0") if data[at] != ord("0") else ord("1")}:
            changed = data[:at] + bytes([replacement]) + data[at + 1:]
            assert not verify_export_bytes(changed).ok, (at, data[at - 20:at + 20])


def verify_export_bytes(data: bytes) -> object:
    from api.export import verify_export_bytes as verify

    return verify(data)


def test_import_refuses_a_non_empty_ledger(exported: Path, ledger: Ledger) -> None:
    before = verify_application(ledger)
    with pytest.raises(NotEmpty, match="not empty"):
        import_file(ledger, exported)
    assert verify_application(ledger) == before


def test_pinned_public_key(exported: Path, tmp_path: Path) -> None:
    from api.checkpoints import public_key_text

    mine = public_key_text(load_or_create_key())
    assert verify_export(exported, public_key=mine).ok
    other = public_key_text(load_or_create_key(tmp_path / "other.pem"))
    report = verify_export(exported, public_key=other)
    assert not report.ok and "not the expected key" in report.problem


def test_export_of_a_tampered_ledger_is_refused(ledger: Ledger, database: Database, key: Path,
                                               tmp_path: Path) -> None:
    populate(ledger)
    Raw(database, ledger).delete(REF, 3)
    path = tmp_path / "out.jsonl"
    result = run_cli(database, "export", str(path))
    assert result.exit_code == 1 and "entry 4" in result.stderr
    assert not path.exists() and list(tmp_path.glob(".out.jsonl*")) == []


# --- the command line -------------------------------------------------------------------


def test_cli_export_verify_export_import(ledger: Ledger, database: Database, target: Database,
                                         key: Path, tmp_path: Path) -> None:
    populate(ledger)
    path = tmp_path / "cli.jsonl"
    result = run_cli(database, "export", str(path))
    assert result.exit_code == 0, result.output
    assert "exported 12 entries" in result.stdout

    # The auditor's copy: no database, no server. The URL points nowhere and stays unused.
    nowhere = Database.from_url(f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}")
    result = run_cli(nowhere, "verify-export", str(path))
    assert result.exit_code == 0, result.output
    assert "12 entries verify" in result.stdout
    result = run_cli(nowhere, "verify-export", str(path), "--json")
    assert orjson.loads(result.stdout)["ok"] is True
    assert not (tmp_path / "nowhere").exists()

    result = run_cli(target, "import", str(path))
    assert result.exit_code == 0, result.output
    result = run_cli(target, "import", str(path))
    assert result.exit_code == 4 and "not empty" in result.stderr

    _change_one_byte(path, b"distinctive note 2", b"distinctive note 7")
    result = run_cli(nowhere, "verify-export", str(path))
    assert result.exit_code == 1 and f"contract '{REF}' entry 2" in result.stderr
    assert "Traceback" not in result.output


def test_cli_import_of_a_modified_file_writes_nothing(exported: Path, target: Database) -> None:
    _change_one_byte(exported, b"distinctive note 5", b"distinctive note 6")
    result = run_cli(target, "import", str(exported))
    assert result.exit_code == 1, result.output
    assert "nothing was written" in result.stderr
    copy = open_ledger(target)
    try:
        assert is_empty(copy)
    finally:
        copy.close()


def test_encrypted_ledger_round_trip(sqlite_database: Database, key: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from eventsourcing.cipher import AESCipher

    monkeypatch.setenv("LEDGER_CIPHER_KEY", AESCipher.create_key(32))
    ledger = open_ledger(sqlite_database)
    try:
        populate(ledger)
        path = tmp_path / "secret.jsonl"
        export_ledger(ledger, path)
        head = verify_application(ledger).head
    finally:
        ledger.close()
    assert b"distinctive note 3" in path.read_bytes()  # an export is plaintext: guard it
    copy = open_ledger(Database.from_url(f"sqlite:///{tmp_path / 'copy.db'}"))
    try:
        import_file(copy, path)
        assert verify_application(copy).head == head
    finally:
        copy.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("copy.db*"))
    assert b"distinctive note 3" not in stored and b"test-utforare" not in stored


def test_the_minimal_outside_verifier_of_the_docs(exported: Path) -> None:
    """docs/VERIFYING.md §7's verifier, written from the text alone, agrees."""
    text = (Path(__file__).parent.parent / "docs" / "VERIFYING.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    assert code.startswith("# verify_export_minimal.py")
    namespace: dict[str, object] = {"__name__": "verify_export_minimal"}
    exec(compile(code, "verify_export_minimal.py", "exec"), namespace)
    checkpoint = namespace["verify"](str(exported))  # type: ignore[operator]
    assert checkpoint == verify_export(exported).checkpoint
    _change_one_byte(exported, b"distinctive note 4", b"distinctive note 9")
    with pytest.raises(AssertionError, match="payload changed"):
        namespace["verify"](str(exported))  # type: ignore[operator]
