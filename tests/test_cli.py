"""The `ledger` command as scripts use it: exit codes, messages, nothing written on refusal."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from click.testing import Result
from typer.testing import CliRunner

from api import tokens
from api.cli import app
from domain.ledger import Ledger
from domain.storage import Database
from tests.support.builders import with_authority

runner = CliRunner()


@pytest.fixture
def cli_env(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("LEDGER_DATABASE_URL", database.url)
    monkeypatch.setenv("LEDGER_TOKENS_FILE", str(tmp_path / "tokens.json"))
    monkeypatch.setenv("LEDGER_TODAY", "2025-06-30")
    return database


def ledger_cli(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)


def count_entries(database: Database, ref: str) -> int:
    ledger = Ledger.open(database)
    try:
        return len(ledger.entries(ref))
    finally:
        ledger.close()


def test_seed_twice_leaves_four_contracts_with_one_registration_each(cli_env: Database) -> None:
    first, second = ledger_cli("seed"), ledger_cli("seed")
    assert first.exit_code == 0 and second.exit_code == 0
    assert first.output.count(": registrerat") == 4
    assert second.output.count(": redan registrerat") == 4
    for ref in ("vald-i-nara-relation", "familjeradgivning", "skolsocialt-team", "familjecentraler"):
        assert count_entries(cli_env, ref) == 1


def test_token_create_prints_the_token_once_and_stores_only_its_hash(cli_env: Database,
                                                                     tmp_path: Path) -> None:
    result = ledger_cli("token", "create", "--role", "revisor", "--name", "Revisionen")
    assert result.exit_code == 0
    token = result.stdout.strip()
    stored = (tmp_path / "tokens.json").read_text()
    assert token not in stored
    assert tokens.load(tmp_path / "tokens.json")[tokens.digest(token)].role == "revisor"


def test_token_create_refuses_an_unknown_role(cli_env: Database) -> None:
    result = ledger_cli("token", "create", "--role", "chef", "--name", "X")
    assert result.exit_code == 2
    assert "role must be one of" in result.stderr


def test_record_appends_from_stdin_and_a_personnummer_is_refused_with_nothing_written(
        cli_env: Database) -> None:
    ledger_cli("seed")
    ok = ledger_cli("record", "familjeradgivning", "--json", "-", "--role", "utforare",
                    stdin=json.dumps({"type": "LexSarahReported", "effective_date": "2025-01-02"}))
    assert ok.exit_code == 0, ok.output
    assert orjson.loads(ok.stdout)["seq"] == 2
    refused = ledger_cli("record", "familjeradgivning", "--json", "-", "--role", "utforare",
                         stdin=json.dumps({"type": "LexSarahReported", "effective_date": "2025-01-03",
                                           "note": "gäller 19121212-1212"}))
    assert refused.exit_code == 2
    assert "person- eller samordningsnummer" in refused.stderr and "note:" in refused.stderr
    assert count_entries(cli_env, "familjeradgivning") == 2


@pytest.mark.parametrize(("body", "code", "words"), [
    ('{"type": "NoSuchEvent", "effective_date": "2025-01-02"}', 2, "type"),
    ('{"type": "LexSarahReported", "effective_date": "2025-02-30"}', 2, "effective_date"),
    ('{"type": "LexSarahReported", "effective_date": "2025-01-02", "count": -1}', 2, "count"),
    ('{"type": "BreachRemedied", "effective_date": "2025-01-02", "breach_notice_seq": 7}', 4,
     "breach_notice_seq"),
    ("not json", 2, "inte giltig JSON"),
])
def test_record_refusals_name_the_field_and_exit_with_a_testable_code(
        cli_env: Database, body: str, code: int, words: str) -> None:
    ledger_cli("seed")
    result = ledger_cli("record", "familjeradgivning", "--json", "-", "--role", "utforare", stdin=body)
    assert result.exit_code == code, result.output
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert count_entries(cli_env, "familjeradgivning") == 1


def test_unknown_contract_exits_3(cli_env: Database) -> None:
    ledger_cli("migrate")  # an existing ledger (a missing database is refused before, issue 13)
    result = ledger_cli("events", "no-such-contract")
    assert result.exit_code == 3
    assert "no-such-contract" in result.stderr


def test_events_json_lists_both_times_actor_and_hash_link(cli_env: Database) -> None:
    ledger_cli("seed")
    result = ledger_cli("events", "skolsocialt-team", "--json")
    assert result.exit_code == 0
    (entry,) = orjson.loads(result.stdout)["events"]
    assert entry["seq"] == 1 and entry["type"] == "ContractRegistered"
    assert entry["prev_hash"] == "0" * 64 and len(entry["hash"]) == 64
    assert entry["effective_date"] == "2020-01-01" and entry["recorded_at"].endswith("+00:00")


def test_migrate_creates_the_tables_that_processes_then_only_use(
        cli_env: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_CREATE_TABLES", "false")
    result = ledger_cli("migrate")
    assert result.exit_code == 0, result.output
    # then a process that may not create tables can seed and record
    assert ledger_cli("seed").exit_code == 0
    assert count_entries(cli_env, "familjecentraler") == 1


def test_acceptances_and_billing_month_reads(cli_env: Database) -> None:
    """`ledger acceptances` lists what awaits whose acceptance; `ledger billing --month` the month."""
    ledger_cli("seed")
    notice = json.dumps(with_authority({"type": "TerminationNoticeGiven", "effective_date": "2025-06-02",
                                        "by": "utforare", "written": True, "agreed_months": 3}))
    assert ledger_cli("record", "familjeradgivning", "--json", "-", "--role", "utforare",
                      stdin=notice).exit_code == 0
    hours = json.dumps({"type": "ServiceHoursReported", "effective_date": "2025-06-02",
                        "month": "2025-05", "sessions": [{"minutes": 600}] * 260})
    assert ledger_cli("record", "familjeradgivning", "--json", "-", "--role", "utforare",
                      stdin=hours).exit_code == 0
    pending = orjson.loads(ledger_cli("acceptances", "familjeradgivning", "--json").stdout)
    assert [(p["seq"], p["awaiting"]) for p in pending["pending"]] == [(2, "bestallare")]
    month = orjson.loads(ledger_cli("billing", "familjeradgivning", "--month", "2025-05",
                                    "--json").stdout)
    assert (month["client_hours"], month["hours_above_cap"]) == ("2600.00", "10.00")
    table = ledger_cli("billing", "familjeradgivning", "--month", "2025-05")
    assert table.exit_code == 0 and "2600.00" in table.stdout
    assert ledger_cli("billing", "familjeradgivning", "--month", "2025-13").exit_code == 2
    assert ledger_cli("billing", "vald-i-nara-relation", "--month", "2025-05").exit_code == 3
