"""Signed checkpoints, co-signatures, ``verify --against``, and the known answers of
docs/VERIFYING.md (hash links, head, checkpoint signature bytes)."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
import threading
from pathlib import Path
from typing import Any

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from api.checkpoints import (
    CheckpointError,
    against_problem,
    cosign,
    cosigning_bytes,
    ledger_checkpoint,
    load_or_create_key,
    public_key_text,
    sign_checkpoint,
    signature_problems,
    signing_bytes,
    store_checkpoint,
    stored_checkpoints,
    verify_against,
)
from domain.hashing import GENESIS, canonical, entry_body, event_digest, extend_head, link
from domain.ledger import Ledger
from domain.storage import Database
from domain.verification import verify_application
from tests.support.builders import actor, event
from tests.test_verification import REF, Raw, populate, run_cli

# --- known answers (docs/VERIFYING.md §6) -----------------------------------------------

E1 = {"contract": "familjeradgivning", "seq": 1, "recorded_at": "2026-03-02T09:00:00.000000+00:00",
      "actor": "ledger-cli", "role": "admin",
      "event": {"type": "ContractRegistered", "effective_date": "2019-12-01",
                "ref": "familjeradgivning", "title": "Familjerådgivning",
                "terms": {"notice_months": 12, "base_amount": "4093284.00"}}}
E2 = {"contract": "familjeradgivning", "seq": 2, "recorded_at": "2026-03-02T09:15:30.250000+00:00",
      "actor": "anna", "role": "utforare",
      "event": {"type": "WaitingTimeReported", "effective_date": "2026-02-28", "period": "2026-02",
                "longest_wait_days": 12, "note": 'Väntetid "lång" – åtgärd', "document_ref": None}}
E3 = {"contract": "skolsocialt-team", "seq": 1, "recorded_at": "2026-03-02T09:20:00.000001+00:00",
      "actor": "ledger-cli", "role": "admin",
      "event": {"type": "ContractRegistered", "effective_date": "2020-01-01",
                "ref": "skolsocialt-team", "title": "Skolsocialt team", "terms": {}}}

CANONICAL_E2 = ('{"actor":"anna","contract":"familjeradgivning","event":{"document_ref":null,'
                '"effective_date":"2026-02-28","longest_wait_days":12,"note":"Väntetid \\"lång\\" '
                '– åtgärd","period":"2026-02","type":"WaitingTimeReported"},"recorded_at":'
                '"2026-03-02T09:15:30.250000+00:00","role":"utforare","seq":2}').encode()
L1 = "b60758db0ea0e7f0111af27acef85d0696987f085afa13b969b9e4dedfb64423"
L2 = "d5f34d1f1375ece594e1d8563675f3e3db6624810ca462bb70f5f5da487c13d3"
L3 = "fd2a7cf6e119a8eaa4ce4baeb3b09db08de20a54fce412f01a220c1be6c2ee5e"
H1 = "8c98664ee34a19dfe5251dac0bacfdbb1b814ac7ddbcf86846b506007ac49027"
H2 = "8ac277f786aa0ef383aa2c2717f569f1e66eecc945d70d14f905e3ae039d5aa5"
H3 = "eee7f06f57b80fd36d073bae24a840f8753ef7849dbcda97d9d0a4d23b33c3df"
LEDGER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
PARTY_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
PUBLIC = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
SIGNATURE = ("LW/Fc/dR/yg28GuNNkrwtJNO4YOVNxxaE8jgBGFl/lmSedfP+3FFMtazXbQPqD9d19Rjw1Lu1CWG6KwIjNWuDw==")
PARTY_PUBLIC = "Kay64UG8yvCyLhqU000LxzYeUm0L/hLIl5S8kyKWbdc="
PARTY_SIGNATURE = ("+n3zQsFF42HO8HuG3hsNfLNIHFOtMhXRNMKdfXFd+wciC2nM6IHAnNNyXhOSmvVZroaefnXe+3ptAP0igyJWAA==")


def test_known_answer_canonical_json() -> None:
    assert canonical(E2) == CANONICAL_E2
    # The text of docs/VERIFYING.md §1: any JSON library with these settings agrees.
    for body in (E1, E2, E3):
        assert canonical(body) == json.dumps(body, sort_keys=True, separators=(",", ":"),
                                             ensure_ascii=False).encode("utf-8")


def test_known_answer_links_and_head() -> None:
    assert link(GENESIS, E1) == L1
    assert link(L1, E2) == L2
    assert link(GENESIS, E3) == L3
    # Written out from the formula alone, with hashlib only:
    assert hashlib.sha256(L1.encode() + b"\n" + CANONICAL_E2).hexdigest() == L2
    assert extend_head(GENESIS, L1) == H1
    assert extend_head(H1, L2) == H2
    assert extend_head(H2, L3) == H3
    assert hashlib.sha256(f"{H2}\n{L3}".encode()).hexdigest() == H3


def test_known_answer_entry_body_matches_the_aggregate() -> None:
    from datetime import datetime

    body = entry_body(contract="familjeradgivning", seq=2,
                      recorded_at=datetime.fromisoformat("2026-03-02T09:15:30.250000+00:00"),
                      actor="anna", role="utforare", event=E2["event"])
    assert body == E2


def test_known_answer_checkpoint_signature() -> None:
    checkpoint = sign_checkpoint(3, H3, LEDGER_KEY, signed_at="2026-03-02T10:00:00Z")
    assert signing_bytes(checkpoint) == (
        b'{"events":3,"head":"' + H3.encode() + b'","signed_at":"2026-03-02T10:00:00Z"}')
    assert checkpoint == {"events": 3, "head": H3, "signed_at": "2026-03-02T10:00:00Z",
                          "signature": SIGNATURE, "public_key": PUBLIC}
    # An outside verifier needs only the raw key, the raw signature and the bytes:
    Ed25519PublicKey.from_public_bytes(base64.b64decode(PUBLIC)).verify(
        base64.b64decode(SIGNATURE), signing_bytes(checkpoint))
    cosigned = cosign(checkpoint, PARTY_KEY, "bestallare")
    assert cosigning_bytes(checkpoint, "bestallare") == (
        b'{"events":3,"head":"' + H3.encode()
        + b'","party":"bestallare","signed_at":"2026-03-02T10:00:00Z"}')
    assert cosigned["cosignatures"] == [{"party": "bestallare", "public_key": PARTY_PUBLIC,
                                         "signature": PARTY_SIGNATURE}]
    assert signature_problems(cosigned) == []


# --- signatures -------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [
    ("events", 4), ("head", "0" * 64), ("signed_at", "2026-03-03T10:00:00Z"),
    ("public_key", PARTY_PUBLIC), ("signature", SIGNATURE[:-4] + "AAA="),
])
def test_altered_checkpoint_does_not_verify(field: str, value: Any) -> None:
    checkpoint = sign_checkpoint(3, H3, LEDGER_KEY, signed_at="2026-03-02T10:00:00Z")
    assert signature_problems({**checkpoint, field: value})


def test_pinned_key_and_bad_cosignature() -> None:
    checkpoint = sign_checkpoint(3, H3, LEDGER_KEY)
    assert signature_problems(checkpoint, public_key=PUBLIC) == []
    assert signature_problems(checkpoint, public_key=PARTY_PUBLIC)
    cosigned = cosign(checkpoint, PARTY_KEY, "utforare")
    relabelled = {**cosigned, "cosignatures": [{**cosigned["cosignatures"][0],
                                                "party": "bestallare"}]}
    assert signature_problems(relabelled) == ["cosignature 0 (bestallare) does not verify"]
    with pytest.raises(CheckpointError):
        cosign(checkpoint, PARTY_KEY, "revisor")


# --- the signing key file ---------------------------------------------------------------


def test_key_created_once_with_0600(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "signing-key.pem"
    key = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_key_text(load_or_create_key(path)) == public_key_text(key)
    assert [p.name for p in path.parent.iterdir()] == ["signing-key.pem"]


def test_concurrent_first_use_yields_one_key(tmp_path: Path) -> None:
    path = tmp_path / "signing-key.pem"
    keys: list[str] = []
    barrier = threading.Barrier(8)

    def create() -> None:
        barrier.wait()
        keys.append(public_key_text(load_or_create_key(path)))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and keys[0] == public_key_text(load_or_create_key(path))
    assert [p.name for p in tmp_path.iterdir()] == ["signing-key.pem"]


def test_unusable_key_file_is_a_checkpoint_error(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    path.write_text("not a key")
    with pytest.raises(CheckpointError):
        load_or_create_key(path)


# --- yesterday's checkpoint against today's ledger --------------------------------------


@pytest.fixture
def key_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {"LEDGER_SIGNING_KEY_FILE": str(tmp_path / "var" / "signing-key.pem"),
           "LEDGER_CHECKPOINTS_DIR": str(tmp_path / "var" / "checkpoints")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def test_yesterdays_checkpoint_verifies_against_today(ledger: Ledger, key_env: dict[str, str]) -> None:
    populate(ledger)
    yesterday = ledger_checkpoint(ledger)
    assert yesterday["events"] == 12
    assert Path(key_env["LEDGER_SIGNING_KEY_FILE"]).exists()
    for i in range(3):
        ledger.record(REF, event("WaitingTimeReported", f"2025-1{i}-15", period=f"2025-1{i}",
                                 longest_wait_days=5), actor("utforare"))
    report, problems = verify_against(ledger, yesterday)
    assert report.ok and report.events == 15 and problems == []
    assert report.head_at == yesterday["head"] != report.head
    assert verify_against(ledger, ledger_checkpoint(ledger))[1] == []


def test_truncated_ledger_fails_against_checkpoint(ledger: Ledger, database: Database,
                                                   key_env: dict[str, str]) -> None:
    populate(ledger)
    yesterday = ledger_checkpoint(ledger)
    raw = Raw(database, ledger)
    last = raw.last_seq(REF)
    raw.delete(REF, last)
    raw.delete(REF, last - 1)
    app = Ledger.open(database)
    try:
        assert verify_application(app).ok  # a consistent prefix: only a checkpoint shows it
        report, problems = verify_against(app, yesterday)
    finally:
        app.close()
    assert report.ok and report.events == 10
    assert len(problems) == 1 and problems[0].startswith("truncated")


def test_rewritten_history_fails_against_checkpoint(ledger: Ledger, database: Database,
                                                    key_env: dict[str, str]) -> None:
    """An insider who knows the algorithm rewrites an entry and recomputes every later link:
    the ledger verifies on its own, but not against the earlier checkpoint."""
    populate(ledger)
    yesterday = ledger_checkpoint(ledger)
    raw = Raw(database, ledger)
    prev = ledger.entry(REF, 1).hash
    for seq in range(2, raw.last_seq(REF) + 1):
        _nid, state_bytes = raw.row(REF, seq)
        state = orjson.loads(state_bytes)
        if seq == 2:
            state["entry"]["longest_wait_days"] = 99
        # The insider recomputes with the entry's own formula (version 2: the digest too).
        body = entry_body(contract=REF, seq=seq, recorded_at=_stamp(state), actor=state["actor"],
                          role=state["role"], event=state["entry"],
                          link_version=state.get("link_version", 1))
        if "event_sha256" in state:
            state["event_sha256"] = event_digest(state["entry"])
        state["prev_hash"], state["hash"] = prev, link(prev, body)
        prev = state["hash"]
        raw.set_state(REF, seq, orjson.dumps(state))
    app = Ledger.open(database)
    try:
        assert verify_application(app).ok
        report, problems = verify_against(app, yesterday)
    finally:
        app.close()
    assert len(problems) == 1 and problems[0].startswith("rewritten")
    assert against_problem(report, yesterday) == problems[0]


def _stamp(state: dict[str, Any]) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(state["timestamp"]["_data_"])


def test_checkpoint_of_a_broken_ledger_is_refused(ledger: Ledger, database: Database,
                                                  key_env: dict[str, str]) -> None:
    from api.checkpoints import VerificationFailed

    populate(ledger)
    raw = Raw(database, ledger)
    raw.delete(REF, 2)
    app = Ledger.open(database)
    try:
        with pytest.raises(VerificationFailed, match="not signed"):
            ledger_checkpoint(app)
    finally:
        app.close()


# --- the command line: checkpoint, verify --against, cosign, show ------------------------


def test_cli_checkpoint_against_cosign_show(ledger: Ledger, database: Database, tmp_path: Path,
                                           key_env: dict[str, str]) -> None:
    populate(ledger)
    result = run_cli(database, "checkpoint", env=key_env)
    assert result.exit_code == 0, result.output
    checkpoint = orjson.loads(result.stdout)
    assert set(checkpoint) == {"events", "head", "signed_at", "signature", "public_key"}
    assert signature_problems(checkpoint) == []
    cp_file = tmp_path / "yesterday.json"
    cp_file.write_bytes(result.stdout.encode())

    ledger.record(REF, event("WaitingTimeReported", "2025-11-15", period="2025-11",
                             longest_wait_days=5), actor("utforare"))
    result = run_cli(database, "verify", "--against", str(cp_file), env=key_env)
    assert result.exit_code == 0, result.output
    assert "extends the checkpoint" in result.stdout

    for party in ("bestallare", "utforare"):
        result = run_cli(database, "checkpoint", "cosign", str(cp_file), "--key",
                         str(tmp_path / f"{party}.pem"), "--party", party, "--create-key",
                         env=key_env)
        assert result.exit_code == 0, result.output
    stored = stored_checkpoints(Path(key_env["LEDGER_CHECKPOINTS_DIR"]))
    assert len(stored) == 1  # co-signatures gathered on the one stored checkpoint
    _path, cosigned = stored[0]
    assert [c["party"] for c in cosigned["cosignatures"]] == ["bestallare", "utforare"]
    assert signature_problems(cosigned) == []

    result = run_cli(database, "checkpoint", "show", "--json", env=key_env)
    assert result.exit_code == 0, result.output
    shown = orjson.loads(result.stdout)["checkpoints"]
    assert [len(c.get("cosignatures", [])) for c in shown] == [2]
    assert shown[0]["problems"] == []
    result = run_cli(database, "checkpoint", "show", env=key_env)
    assert result.exit_code == 0 and "bestallare" in result.stdout

    result = run_cli(database, "checkpoint", "cosign", str(cp_file), "--key",
                     str(tmp_path / "x.pem"), "--party", "revisor", env=key_env)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_cli_against_truncated_exits_1_and_cosign_refuses(ledger: Ledger, database: Database,
                                                          tmp_path: Path,
                                                          key_env: dict[str, str]) -> None:
    populate(ledger)
    cp_file = tmp_path / "cp.json"
    cp_file.write_bytes(orjson.dumps(ledger_checkpoint(ledger)))
    Raw(database, ledger).delete(REF, 5)
    result = run_cli(database, "verify", "--against", str(cp_file), env=key_env)
    assert result.exit_code == 1, result.output
    assert "truncated" in result.stderr and "Traceback" not in result.output
    result = run_cli(database, "checkpoint", "cosign", str(cp_file), "--key",
                     str(tmp_path / "b.pem"), "--party", "bestallare", "--create-key",
                     env=key_env)
    assert result.exit_code == 1 and "not co-signed" in result.stderr


def test_cli_against_altered_checkpoint_exits_1(ledger: Ledger, database: Database,
                                                tmp_path: Path, key_env: dict[str, str]) -> None:
    populate(ledger)
    checkpoint = ledger_checkpoint(ledger)
    cp_file = tmp_path / "cp.json"
    cp_file.write_bytes(orjson.dumps({**checkpoint, "events": checkpoint["events"] - 1}))
    result = run_cli(database, "verify", "--against", str(cp_file), env=key_env)
    assert result.exit_code == 1 and "signature does not verify" in result.stderr
    cp_file.write_text("{not json")
    result = run_cli(database, "verify", "--against", str(cp_file), env=key_env)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_store_merges_cosignatures(tmp_path: Path) -> None:
    checkpoint = sign_checkpoint(3, H3, LEDGER_KEY)
    store_checkpoint(cosign(checkpoint, PARTY_KEY, "bestallare"), tmp_path)
    store_checkpoint(cosign(checkpoint, LEDGER_KEY, "utforare"), tmp_path)
    store_checkpoint(checkpoint, tmp_path)
    (_path, stored), = stored_checkpoints(tmp_path)
    assert sorted(c["party"] for c in stored["cosignatures"]) == ["bestallare", "utforare"]
