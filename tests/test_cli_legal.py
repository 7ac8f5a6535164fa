"""``ledger legal-basis REF``: the stale references as a table or JSON, unknown refs exit 3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from domain.storage import Database

runner = CliRunner()


@pytest.fixture
def cli_env(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("LEDGER_DATABASE_URL", database.url)
    monkeypatch.setenv("LEDGER_TOKENS_FILE", str(tmp_path / "tokens.json"))
    monkeypatch.setenv("LEDGER_TODAY", "2025-06-30")
    assert runner.invoke(app, ["seed"]).exit_code == 0
    return database


def test_legal_basis_lists_stale_references_as_json(cli_env: Database) -> None:
    result = runner.invoke(app, ["legal-basis", "skolsocialt-team", "--stale", "--json"])
    assert result.exit_code == 0, result.output
    found = {r["reference"]: r for r in json.loads(result.stdout)["references"]}
    assert found["landsting"]["successor"] == "regioner"
    assert all(r["stale"] for r in found.values())


def test_legal_basis_table_says_the_frame(cli_env: Database) -> None:
    result = runner.invoke(app, ["legal-basis", "familjecentraler"])
    assert result.exit_code == 0, result.output
    assert "intern överenskommelse" in result.output and "SKL" in result.output


def test_legal_basis_of_an_unknown_contract_exits_3(cli_env: Database) -> None:
    assert runner.invoke(app, ["legal-basis", "no-such-contract"]).exit_code == 3
