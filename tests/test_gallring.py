"""Gallring (issue 12): one entry's content removed under an archive decision, every proof kept.

The long-ledger scenario of the issue runs on both engines: redact one entry, then ``verify``,
``verify --against`` an older checkpoint, ``verify --read-models``, export → offline verify
(the ledger's and the docs' minimal verifier) → import; and the content is nowhere in the
database files (read raw: SQLite's files with their -wal, PostgreSQL's relation files through
``pg_relation_filepath``), the export or the read models. Each absence check first shows the
content *is* found before the gallring, so it can fail.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import orjson
import pytest

from api.checkpoints import load_or_create_key
from api.export import verify_export
from domain.contract import Contract
from domain.errors import IdempotencyConflict, ImpossibleAct
from domain.events import EntryRedacted
from domain.ledger import Ledger
from domain.storage import Database
from domain.verification import verify_application
from projections.rebuild import rebuild
from projections.runner import close_view, open_view
from tests.support.builders import ADMIN, actor, event, registered
from tests.test_verification import OTHER, REF, populate, run_cli, verify_fresh

TODAY = "2026-11-26"
SECRET = "Gallringsbar uppgift 4711 om familjen"
DECISION = "KS 2026/123"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"LEDGER_SIGNING_KEY_FILE": str(tmp_path / "keys" / "signing-key.pem"),
              "LEDGER_CHECKPOINTS_DIR": str(tmp_path / "keys" / "checkpoints"),
              "LEDGER_TODAY": TODAY}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    load_or_create_key(Path(values["LEDGER_SIGNING_KEY_FILE"]))
    return values


def report(ref: str, month: int, year: int = 2024, **extra: object) -> object:
    return event("WaitingTimeReported", f"{year}-{month:02d}-15", period=f"{year}-{month:02d}",
                 longest_wait_days=5, **extra)


def stored_bytes(database: Database) -> bytes:
    """Every byte of the database as stored: SQLite's files (the ledger's and the read models',
    with their write-ahead logs), or every relation file of the PostgreSQL database."""
    if database.engine == "sqlite":
        files = sorted(database.path.parent.glob(f"{database.path.stem}*"))
        assert any(f.name.endswith("-views.db") for f in files)
        return b"".join(f.read_bytes() for f in files if f.is_file())
    import psycopg

    with psycopg.connect(host=database.host, port=database.port, user=database.user,
                         password=database.password, dbname=database.dbname,
                         autocommit=True) as con:
        con.execute("CHECKPOINT")  # what the buffers hold, on disk
        paths = [row[0] for row in con.execute(
            "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
            "WHERE c.relkind IN ('r', 't', 'i', 'm') AND pg_relation_filepath(c.oid) IS NOT NULL "
            "AND c.relfilenode <> 0")]
        chunks = []
        for path in paths:
            chunks.append(bytes(con.execute("SELECT pg_read_binary_file(%s::text)",
                                            (path,)).fetchone()[0] or b""))
        assert sum(map(len, chunks)) > 0
        return b"".join(chunks)


def holds_secret(data: bytes) -> bool:
    text = SECRET.encode()
    return text in data or text.hex().encode() in data  # idempotency fingerprints are hex


def long_ledger(ledger: Ledger) -> int:
    """The catalogue, 230 reports on REF (a snapshot at 200) and the secret one with an
    idempotency key; returns the secret entry's seq."""
    populate(ledger)
    for n in range(230):
        ledger.record(REF, report(REF, n % 12 + 1, 2000 + n // 12, note=f"rapport {n}"),
                      actor("utforare"))
    outcome = ledger.record(REF, report(REF, 6, 2025, note=SECRET), actor("utforare"),
                            idempotency_key="gallra-mig")
    for n in range(3):
        ledger.record(OTHER, report(OTHER, n + 1, 2025), actor("utforare"))
    return outcome.seq


def test_gallring_in_a_long_ledger_keeps_every_proof(ledger: Ledger, database: Database,
                                                    env: dict[str, str], tmp_path: Path,
                                                    target: Database) -> None:
    seq = long_ledger(ledger)
    assert ledger.snapshots is not None and list(ledger.snapshots.get(ledger.contract(REF).id))
    rebuild(database, today=datetime.fromisoformat(TODAY).date())
    older = run_cli(database, "checkpoint")
    assert older.exit_code == 0, older.output
    (tmp_path / "older.json").write_text(older.stdout)
    for n in range(4):
        ledger.record(OTHER, report(OTHER, n + 5, 2025), actor("utforare"))
    before = verify_application(ledger)
    known_before = datetime.now(tz=UTC)
    original = ledger.entry(REF, seq)
    assert holds_secret(stored_bytes(database))  # the check below can fail

    done = run_cli(database, "redact", REF, str(seq), "--decision", DECISION)
    assert done.exit_code == 0, done.output
    assert f"{REF} post {seq}: gallrad enligt beslut {DECISION}" in done.stdout

    # Every proof: the links and head, the older checkpoint, the read models.
    fresh = Ledger.open(database)
    try:
        after = verify_application(fresh, head_after=before.events)
        assert after.ok and after.events == before.events + 1
        assert after.head_at == before.head  # every head before the gallring unchanged
        entry = fresh.entry(REF, seq)
        assert (entry.hash, entry.prev_hash, entry.recorded_at, entry.actor, entry.role) == (
            original.hash, original.prev_hash, original.recorded_at, original.actor, original.role)
        assert entry.data == {"type": "WaitingTimeReported", "effective_date": "2025-06-15",
                              "redacted": {"decision": DECISION,
                                           "redacted_at": entry.data["redacted"]["redacted_at"]}}
        redacted = fresh.entry(REF, fresh.contract(REF).version)
        assert (redacted.type, redacted.data["entry_seq"], redacted.data["decision"],
                redacted.role) == ("EntryRedacted", seq, DECISION, "admin")
        # read back with its exact types, as every event type is (tests/test_storage.py)
        assert redacted.event == EntryRedacted(entry_seq=seq, decision=DECISION,
                                               effective_date=date.fromisoformat(TODAY))
        # The idempotency record no longer holds the payload: the key cannot replay it.
        with pytest.raises(IdempotencyConflict):
            fresh.record(REF, report(REF, 6, 2025, note=SECRET), actor("utforare"),
                         idempotency_key="gallra-mig")
    finally:
        fresh.close()
    for args in (["verify"], ["verify", "--against", str(tmp_path / "older.json")],
                 ["verify", "--read-models"]):
        result = run_cli(database, *args)
        assert result.exit_code == 0, (args, result.output)

    # The read models: rebuilt from the rewritten events, also as known before the gallring.
    view = open_view(database)
    try:
        assert not holds_secret(orjson.dumps([e.data for e in view.entries(REF)]))
        shown = view.entries(REF, known_at=known_before)
        assert "redacted" in shown[seq - 1].data
    finally:
        close_view(view)
    listed = run_cli(database, "events", REF, "--json")
    assert listed.exit_code == 0 and not holds_secret(listed.stdout.encode())

    # Nowhere in the database files.
    assert not holds_secret(stored_bytes(database))

    # Export → offline verify (ours and the docs' minimal verifier) → import.
    exported = tmp_path / "export" / "ledger.jsonl"
    result = run_cli(database, "export", str(exported))
    assert result.exit_code == 0, result.output
    assert not holds_secret(exported.read_bytes())
    checked = verify_export(exported)
    assert checked.ok and checked.head == after.head, checked.problem
    assert run_cli(database, "verify-export", str(exported)).exit_code == 0
    text = (Path(__file__).parent.parent / "docs" / "VERIFYING.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {"__name__": "verify_export_minimal"}
    exec(compile(code, "verify_export_minimal.py", "exec"), namespace)
    assert namespace["verify"](str(exported)) == checked.checkpoint  # type: ignore[operator]
    imported = run_cli(target, "import", str(exported))
    assert imported.exit_code == 0, imported.output
    copy = Ledger.open(target)
    try:
        result_copy = verify_application(copy)
        assert result_copy.ok and result_copy.head == after.head
        assert copy.entry(REF, seq).data == Ledger.open(database).entry(REF, seq).data
    finally:
        copy.close()
    assert run_cli(target, "rebuild").exit_code == 0
    assert run_cli(target, "verify", "--read-models").exit_code == 0


def test_a_gallrad_entry_has_no_effect(ledger: Ledger, database: Database,
                                       env: dict[str, str]) -> None:
    """An information request opens a duty; gallrad, it counts for nothing, and the decision's
    own entry says so in Swedish."""
    ref = "vald-i-nara-relation"
    populate(ledger)
    asked = ledger.record(ref, event("InformationRequested", "2025-03-03",
                                     subject=SECRET), actor("bestallare"))
    rebuild(database, today=datetime.fromisoformat(TODAY).date())
    view = open_view(database)
    try:
        kinds = [o.kind for o in view.obligations(ref, arisen_by=datetime(2030, 1, 1).date())]
    finally:
        close_view(view)
    assert "information_request" in kinds
    assert run_cli(database, "redact", ref, str(asked.seq), "--decision", DECISION).exit_code == 0
    view = open_view(database)
    try:
        kinds = [o.kind for o in view.obligations(ref, arisen_by=datetime(2030, 1, 1).date())]
    finally:
        close_view(view)
    assert "information_request" not in kinds
    from domain.rules.history import History
    from domain.rules.silence import nil

    fresh = Ledger.open(database)
    try:
        entries = fresh.entries(ref)
    finally:
        fresh.close()
    said = nil(entries[-1], History.build(entries))
    assert said.summary.startswith(f"registrerad: post {asked.seq} är gallrad enligt beslut {DECISION}")
    assert run_cli(database, "verify", "--read-models").exit_code == 0


def test_refusals_write_nothing(ledger: Ledger, database: Database, env: dict[str, str]) -> None:
    populate(ledger)
    amended = ledger.record(REF, event("AmendmentSigned", "2025-06-01",
                                       changes={"termination": {"notice_months": 6}},
                                       signatories=[
                                           {"party": "bestallare", "name": "A", "authorised": True},
                                           {"party": "utforare", "name": "B", "authorised": True}]),
                            actor("bestallare"))
    gallrad = ledger.record(REF, report(REF, 7, 2025), actor("utforare"))
    assert run_cli(database, "redact", REF, str(gallrad.seq), "--decision", DECISION).exit_code == 0
    count = verify_fresh(database).events
    cases = [
        (["nope", "2", "--decision", DECISION], 3, "inget avtal med referensen nope"),
        ([REF, "999", "--decision", DECISION], 3, f"avtalet {REF} har ingen post 999"),
        ([REF, "1", "--decision", DECISION], 4, "kan inte gallras"),
        ([REF, str(amended.seq), "--decision", DECISION], 4, "kan inte gallras"),
        ([REF, str(gallrad.seq), "--decision", DECISION], 4, "är redan gallrad"),
        ([REF, str(gallrad.seq + 1), "--decision", DECISION], 4, "kan inte gallras"),
        ([REF, "2"], 2, "gallringsbeslutets diarienummer krävs"),
        ([REF, "2", "--decision", "  "], 2, "gallringsbeslutets diarienummer krävs"),
        ([REF, "2", "--decision", "KS 19121212-1212"], 2, "personnummer"),
        ([REF, "2", "--decision", "x" * 201], 2, "ogiltigt diarienummer"),
    ]
    for args, code, words in cases:
        result = run_cli(database, "redact", *args)
        assert result.exit_code == code, (args, result.output)
        assert words in result.stderr and "inget skrevs" in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output
    assert verify_fresh(database).events == count


def test_entries_of_link_version_1_still_verify_and_are_not_gallrad(
        ledger: Ledger, database: Database, env: dict[str, str]) -> None:
    """A contract recorded before gallring (its links over the payload itself) verifies beside
    new entries, and a refusal names why its entries cannot be gallrad."""
    at = datetime(2025, 1, 2, 9, tzinfo=UTC)
    old = Contract.register(registered(REF), ADMIN, at, link_version=1)  # type: ignore[arg-type]
    old.record(report(REF, 1, 2025, note="från förr"), actor("utforare"),  # type: ignore[arg-type]
               at.replace(hour=10), link_version=1)
    ledger.save(old)
    new = ledger.record(REF, report(REF, 2, 2025, note=SECRET), actor("utforare"))
    state = orjson.loads(ledger.recorder.select_events(old.id, gt=1, lte=2)[0].state)
    assert state.get("link_version", 1) == 1 and not state.get("event_sha256")
    assert verify_fresh(database).ok
    result = run_cli(database, "redact", REF, "2", "--decision", DECISION)
    assert result.exit_code == 4 and "länkversion 1" in result.stderr
    assert run_cli(database, "redact", REF, str(new.seq), "--decision", DECISION).exit_code == 0
    assert verify_fresh(database).ok


def test_a_changed_digest_or_stub_is_named(ledger: Ledger, database: Database,
                                          env: dict[str, str]) -> None:
    """The digest is what a gallrad entry is verified by: changing it, or adding content to
    the stub, is a changed entry."""
    from tests.test_verification import Raw

    populate(ledger)
    seq = ledger.record(REF, report(REF, 8, 2025, note=SECRET), actor("utforare")).seq
    assert run_cli(database, "redact", REF, str(seq), "--decision", DECISION).exit_code == 0
    raw = Raw(database, ledger)
    _nid, state_bytes = raw.row(REF, seq)
    state = orjson.loads(state_bytes)
    for change in ({"event_sha256": "0" * 64},
                   {"entry": {**state["entry"], "note": "tillagt"}},
                   {"link_version": 1}):
        raw.set_state(REF, seq, orjson.dumps({**state, **change}))
        bad = verify_fresh(database)
        assert not bad.ok and bad.bad is not None
        assert (bad.bad.contract, bad.bad.seq, bad.bad.kind) == (REF, seq, "changed"), change
    raw.set_state(REF, seq, state_bytes)
    assert verify_fresh(database).ok


def test_the_documented_version_2_example(env: dict[str, str]) -> None:
    """docs/VERIFYING.md §6a: every value recomputed from the document's own lines."""
    import hashlib

    from domain.hashing import GENESIS, canonical, extend_head, link

    text = (Path(__file__).parent.parent / "docs" / "VERIFYING.md").read_text()
    section = text.split("### 6a.", 1)[1].split("\n## ", 1)[0]
    values = {}
    for line in section.splitlines():
        if line.startswith("    ") and ":" in line:
            name, value = line.strip().split(":", 1)
            values[name] = value.strip()
    assert {"payload 1", "body 3", "head 3", "redacted 2"} <= set(values)
    prev = head = GENESIS
    for n in (1, 2, 3):
        payload = orjson.loads(values[f"payload {n}"])
        digest = hashlib.sha256(canonical(payload)).hexdigest()
        assert digest == values[f"digest {n}"]
        body = orjson.loads(values[f"body {n}"])
        assert canonical(body).decode() == values[f"body {n}"]
        assert (body["seq"], body["type"], body["effective_date"], body["event_sha256"]) == (
            n, payload["type"], payload["effective_date"], digest)
        prev = link(prev, body)
        assert prev == values[f"link {n}"]
        head = extend_head(head, prev)
        assert head == values[f"head {n}"]
    stub = orjson.loads(values["redacted 2"])
    assert canonical(stub).decode() == values["redacted 2"]
    from domain.verification import Verifier

    verifier = Verifier()
    for n in (1, 2, 3):
        body = orjson.loads(values[f"body {n}"])
        payload = stub if n == 2 else orjson.loads(values[f"payload {n}"])
        prev_link = GENESIS if n == 1 else values[f"link {n - 1}"]
        assert verifier.add_entry(n, n, body["contract"], body["recorded_at"], body["actor"],
                                  body["role"], payload, prev_link, values[f"link {n}"],
                                  link_version=2, event_sha256=values[f"digest {n}"])
    assert verifier.report().head == values["head 3"]


def test_the_decision_alone_is_refused_by_every_other_way_in(ledger: Ledger,
                                                             env: dict[str, str]) -> None:
    """POST /contracts/{ref}/events (and ``ledger record``) would record the decision and keep
    the content: only ``ledger redact`` records an EntryRedacted. Other roles get 403 first."""
    from domain.errors import NotPermitted

    populate(ledger)
    gallra = EntryRedacted(entry_seq=2, decision=DECISION, effective_date=date(2026, 11, 26))
    with pytest.raises(ImpossibleAct) as refused:
        ledger.record(REF, gallra, ADMIN)
    assert refused.value.rule == "redact_by_command"
    with pytest.raises(ImpossibleAct):
        ledger.record(REF, gallra, ADMIN, dry_run=True)
    with pytest.raises(NotPermitted):
        ledger.record(REF, gallra, actor("bestallare"))
    assert ledger.contract(REF).version == 5


def test_an_export_of_version_1_entries_still_imports(ledger: Ledger, database: Database,
                                                      env: dict[str, str], tmp_path: Path,
                                                      target: Database) -> None:
    """Lines without link_version (an export made before gallring) verify and import as they
    were; the imported entries keep their version-1 links and the head."""
    at = datetime(2025, 1, 2, 9, tzinfo=UTC)
    old = Contract.register(registered(REF), ADMIN, at, link_version=1)  # type: ignore[arg-type]
    old.record(report(REF, 1, 2025, note="från förr"), actor("utforare"),  # type: ignore[arg-type]
               at.replace(hour=10), link_version=1)
    ledger.save(old)
    ledger.record(REF, report(REF, 2, 2025), actor("utforare"))
    exported = tmp_path / "export" / "old.jsonl"
    assert run_cli(database, "export", str(exported)).exit_code == 0
    lines = [orjson.loads(raw) for raw in exported.read_bytes().splitlines()[:-1]]
    assert ["link_version" in line for line in lines] == [False, False, True]
    result = run_cli(target, "import", str(exported))
    assert result.exit_code == 0, result.output
    assert verify_fresh(target).head == verify_fresh(database).head


def test_the_state_decided_on_is_the_same_live_or_replayed(ledger: Ledger, database: Database,
                                                           env: dict[str, str]) -> None:
    """A withdrawal of notice accepted, a breach notice remedied: gallrad, the state the live
    aggregate reaches equals the contract replayed from the stubs (snapshots stay faithful)."""

    populate(ledger)
    ref = "vald-i-nara-relation"
    notice = ledger.record(ref, event("TerminationNoticeGiven", "2025-02-03", by="bestallare",
                                      written=True, document_ref="SOC 1"), actor("bestallare"))
    withdrawn = ledger.record(ref, event("TerminationNoticeWithdrawn", "2025-02-10",
                                         notice_seq=notice.seq), actor("bestallare"))
    ledger.record(ref, event("AgreementAccepted", "2025-02-11", proposal_seq=withdrawn.seq),
                  actor("utforare"))
    breach = ledger.record(ref, event("BreachNoticeIssued", "2025-03-03", written=True,
                                      breaches=["brist"], document_ref="SOC 2"),
                           actor("bestallare"))
    remedied = ledger.record(ref, event("BreachRemedied", "2025-03-20",
                                        breach_notice_seq=breach.seq), actor("utforare"))
    from domain.redaction import redact

    for seq in (withdrawn.seq, remedied.seq):
        live = ledger.contract(ref)
        done = redact(ledger, ref, seq, DECISION, today=date(2026, 11, 26))
        live.record(EntryRedacted(entry_seq=seq, decision=DECISION,
                                  effective_date=date(2026, 11, 26)), ADMIN,
                    datetime.now(tz=UTC))
        replayed = Ledger.open(database)
        try:
            again = replayed.repository.get(live.id)
        finally:
            replayed.close()
        assert done.decision_seq == live.version == again.version
        keep = ("index", "corrected", "proposals", "closers", "recorded_on", "redacted", "terms")
        assert orjson.loads(orjson.dumps({k: getattr(live, k) for k in keep})) == \
            orjson.loads(orjson.dumps({k: getattr(again, k) for k in keep}))


def test_a_decision_recorded_before_a_crash_is_finished_by_running_again(
        ledger: Ledger, database: Database, env: dict[str, str]) -> None:
    """The decision's entry and the rewrite are two transactions: if the process dies between
    them, running the command again rewrites the entry and records the decision once."""
    populate(ledger)
    seq = ledger.record(REF, report(REF, 9, 2025, note=SECRET), actor("utforare")).seq
    decided = ledger.record(REF, EntryRedacted(entry_seq=seq, decision=DECISION,
                                               effective_date=date(2026, 11, 26)), ADMIN,
                            gallring=True)
    assert SECRET in orjson.dumps(Ledger.open(database).entry(REF, seq).data).decode()
    result = run_cli(database, "redact", REF, str(seq), "--decision", DECISION)
    assert result.exit_code == 0, result.output
    assert f"registrerat som post {decided.seq}" in result.stdout
    fresh = Ledger.open(database)
    try:
        assert "redacted" in fresh.entry(REF, seq).data
        assert fresh.contract(REF).version == decided.seq
    finally:
        fresh.close()
    assert verify_fresh(database).ok


def test_a_reader_that_keeps_the_log_is_named_and_the_next_run_empties_it(
        sqlite_database: Database, env: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: while another connection reads, the -wal cannot be truncated: the command says so
    (exit 6); run again once the reader is gone, it empties the files and refuses the repeat."""
    import sqlite3

    monkeypatch.setenv("LEDGER_STORAGE_TIMEOUT", "1")
    app = Ledger.open(sqlite_database)
    try:
        populate(app)
        seq = app.record(REF, report(REF, 10, 2025, note=SECRET), actor("utforare")).seq
    finally:
        app.close()
    rebuild(sqlite_database, today=date(2026, 11, 26))
    reader = sqlite3.connect(str(sqlite_database.path))
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM stored_events").fetchall()
        result = run_cli(sqlite_database, "redact", REF, str(seq), "--decision", DECISION,
                         env={"LEDGER_STORAGE_TIMEOUT": "1"})
        assert result.exit_code == 6, result.output
        assert "kunde inte tömmas" in result.stderr
    finally:
        reader.close()
    again = run_cli(sqlite_database, "redact", REF, str(seq), "--decision", DECISION)
    assert again.exit_code == 4 and "redan gallrad" in again.stderr
    assert not holds_secret(stored_bytes(sqlite_database))
