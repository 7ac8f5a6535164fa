"""``ledger obligations|deviations|notice|compensation REF`` and ``ledger rebuild``."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from api.cli import app
from domain.ledger import Ledger
from domain.storage import Database
from tests.support.builders import actor, event
from tests.support.history import REF


@pytest.fixture
def cli(seeded_ledger: Ledger, database: Database, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LEDGER_DATABASE_URL", database.url)
    monkeypatch.setenv("LEDGER_TODAY", "2026-11-23")
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args))

    return run


def test_reads_see_what_was_just_recorded(cli, seeded_ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    seeded_ledger.record(REF, event("LexSarahNotifiedToIVO", "2026-11-20"), actor("utforare"))
    result = cli("obligations", REF, "--json")
    assert result.exit_code == 0, result.output
    body = orjson.loads(result.stdout)
    assert set(body) == {"ref", "as_of", "known_at", "obligations"}
    assert body["as_of"] == "2026-11-23" and body["known_at"] is None
    copies = [o for o in body["obligations"] if o["kind"] == "lex_sarah_copy"]
    assert copies and copies[0]["created_by_seq"] == 2
    assert {"id", "kind", "holder", "clause", "due", "due_working_day", "status", "created_by_seq",
            "fulfilled_by_seq", "period"} <= set(copies[0])
    assert {"section", "quote"} <= set(copies[0]["clause"])


def test_as_of_and_known_at(cli, seeded_ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    first = seeded_ledger.entries(REF)[0].recorded_at
    seeded_ledger.record(REF, event("LexSarahNotifiedToIVO", "2026-11-20"), actor("utforare"))
    body = orjson.loads(cli("obligations", REF, "--json", "--known-at", first.isoformat()).stdout)
    assert body["known_at"] == first.isoformat()
    assert not [o for o in body["obligations"] if o["kind"] == "lex_sarah_copy"]
    early = orjson.loads(cli("obligations", REF, "--json", "--as-of", "2021-01-01").stdout)
    assert all(o["status"] in {"open", "overdue", "fulfilled", "void"} for o in early["obligations"])
    assert len(early["obligations"]) < len(body["obligations"])


def test_deviations_notice_compensation_json(cli) -> None:  # type: ignore[no-untyped-def]
    deviations = orjson.loads(cli("deviations", REF, "--json").stdout)
    assert set(deviations) == {"ref", "as_of", "known_at", "deviations"}
    notice = orjson.loads(cli("notice", REF, "--json", "--as-of", "2025-06-30").stdout)
    assert {"status", "notice_months", "ends_on", "end_if_notice_today", "notices"} <= set(notice)
    assert notice["status"] == "running" and notice["notice_months"] == 12
    money = orjson.loads(cli("compensation", REF, "--json", "--as-of", "2025-06-30").stdout)
    assert {"year", "base_amount", "price_year", "steps", "annual_amount", "monthly_amount"} <= set(money)
    assert money["year"] == 2025 and money["base_amount"] == "4093284.00"
    assert orjson.loads(cli("compensation", REF, "--json", "--year", "2024").stdout)["year"] == 2024


def test_tables(cli) -> None:  # type: ignore[no-untyped-def]
    for command in ("obligations", "deviations", "notice", "compensation"):
        result = cli(command, REF)
        assert result.exit_code == 0, result.output
        assert REF in result.stdout


def test_exit_codes(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("obligations", "no-such-contract").exit_code == 3
    assert cli("notice", REF, "--as-of", "2025-13-01").exit_code == 2
    assert cli("deviations", REF, "--known-at", "2025-01-01T10:00").exit_code == 2
    assert cli("obligations", REF, "--status", "late").exit_code == 2


def test_rebuild(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("rebuild")
    assert result.exit_code == 0, result.output
    assert "rebuilt: 4 entries" in result.stdout
    assert orjson.loads(cli("obligations", REF, "--json").stdout)["obligations"]
