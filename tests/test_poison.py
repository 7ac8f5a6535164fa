"""Poison payloads: refused by every way in, and a stored one the rules cannot judge stops nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

import projections.judgement as judgement_module
from api.checkpoints import VerificationFailed, load_or_create_key
from api.export import export_ledger, import_file
from domain.events import LexSarahReported
from domain.ledger import Ledger
from domain.storage import Database
from projections.judgement import judge
from tests.support.builders import actor
from tests.test_export import key, open_ledger  # noqa: F401 (fixtures)
from tests.test_verification import REF, run_cli

POISON = LexSarahReported.model_construct(effective_date=date(9999, 12, 31))


def test_ledger_record_refuses_a_poison_date(seeded_ledger: Ledger, database: Database,
                                             tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text('{"type": "LexSarahReported", "effective_date": "9999-12-31"}')
    before = len(seeded_ledger.entries(REF))
    result = run_cli(database, "record", REF, "--json", str(path), "--role", "utforare")
    assert result.exit_code == 2, result.output
    assert "effective_date" in result.stderr
    assert len(seeded_ledger.entries(REF)) == before


def test_import_refuses_a_re_signed_export_with_a_poison_payload(
        seeded_ledger: Ledger, key: Path, target: Database, tmp_path: Path) -> None:  # noqa: F811
    # Written around the validation (as a re-signed file or an old version could have),
    # then exported and signed: every link verifies, the payload does not.
    seeded_ledger.record(REF, POISON, actor("utforare"))
    path = tmp_path / "poison.jsonl"
    export_ledger(seeded_ledger, path)
    copy = open_ledger(target)
    try:
        with pytest.raises(VerificationFailed, match="effective_date"):
            import_file(copy, path)
        assert copy.recorder.max_notification_id() is None
    finally:
        copy.close()


def test_import_trusts_only_the_keys_it_is_told(
        seeded_ledger: Ledger, key: Path, target: Database, tmp_path: Path,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.jsonl"
    export_ledger(seeded_ledger, path)
    monkeypatch.setenv("LEDGER_SIGNING_KEY_FILE", str(tmp_path / "another.pem"))
    load_or_create_key(tmp_path / "another.pem")
    result = run_cli(target, "import", str(path))
    assert result.exit_code == 1 and "not told to trust" in result.stderr, result.output
    result = run_cli(target, "import", str(path), "--trust-any-key")
    assert result.exit_code == 0, result.output


def test_a_stored_entry_the_rules_cannot_judge_is_reported_not_raised(
        seeded_ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    seeded_ledger.record(REF, LexSarahReported(effective_date=date(2025, 1, 2), note="poison"),
                         actor("utforare"))
    seeded_ledger.record(REF, LexSarahReported(effective_date=date(2025, 1, 3)), actor("utforare"))
    real = judgement_module.rules.evaluate

    def fragile(entries: Any, **kwargs: Any) -> Any:
        if any(e.data.get("note") == "poison" for e in entries):
            raise OverflowError("date value out of range")
        return real(entries, **kwargs)

    monkeypatch.setattr(judgement_module.rules, "evaluate", fragile)
    entries = seeded_ledger.entries(REF)
    judged = judge(entries, today=date(2025, 6, 2))
    reported = [d for d in judged.deviations if d.kind == "entry_not_judged"]
    assert [d.seqs for d in reported] == [(2,)]
    assert judged.contract.version == 3
    without = judge([e for e in entries if e.seq != 2], today=date(2025, 6, 2))
    assert judged.obligations == without.obligations  # the rest judged as if it were not there


def test_the_api_starts_over_an_entry_the_rules_cannot_judge(
        seeded_ledger: Ledger, database: Database, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.http import create_app

    seeded_ledger.record(REF, LexSarahReported(effective_date=date(2025, 1, 2), note="poison"),
                         actor("utforare"))
    real = judgement_module.rules.evaluate

    def fragile(entries: Any, **kwargs: Any) -> Any:
        if any(e.data.get("note") == "poison" for e in entries):
            raise OverflowError("date value out of range")
        return real(entries, **kwargs)

    monkeypatch.setattr(judgement_module.rules, "evaluate", fragile)
    monkeypatch.setenv("LEDGER_TODAY", "2025-06-02")
    monkeypatch.setenv("LEDGER_TOKENS_FILE", str(tmp_path / "tokens.json"))
    with TestClient(create_app(database), raise_server_exceptions=False) as client:
        assert client.get("/health/ready").status_code == 200

