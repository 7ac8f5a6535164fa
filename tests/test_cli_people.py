"""The CLI for people: 80-column tables with whole dates, no database made by mistake, options."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from domain.storage import Database
from tests.test_cli import cli_env, ledger_cli  # noqa: F401  (the fixture)

LEDGER = [sys.executable, "-c", "from api.cli import main; main()"]


def _run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LEDGER, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    return {**env, **extra}


def test_verify_in_an_empty_directory_refuses_and_creates_nothing(tmp_path: Path) -> None:
    result = _run("verify", cwd=tmp_path, env=_env())
    assert result.returncode == 3, result.stderr
    assert "LEDGER_DATABASE_URL" in result.stderr and "ledger.db" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
    for command in (["events", "familjeradgivning"], ["obligations"], ["export", "x.jsonl"],
                    ["checkpoint"]):
        again = _run(*command, cwd=tmp_path, env=_env())
        assert again.returncode == 3, (command, again.stderr)
    assert list(tmp_path.iterdir()) == []


def test_tables_at_80_columns_show_whole_dates(cli_env: Database, tmp_path: Path) -> None:  # noqa: F811
    env = _env(LEDGER_DATABASE_URL=cli_env.url, LEDGER_TOKENS_FILE=str(tmp_path / "t.json"),
               LEDGER_TODAY="2025-06-30", COLUMNS="80")
    assert _run("seed", cwd=tmp_path, env=env).returncode == 0
    for command in (["obligations", "vald-i-nara-relation"], ["obligations"],
                    ["events", "familjecentraler"], ["deviations", "familjeradgivning"]):
        result = _run(*command, cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines and max(len(line) for line in lines) <= 80, command
        assert "…" not in result.stdout, command
        assert not re.search(r"\b\d{4}-\d?$|\b\d{4}-\d\d-$", result.stdout, re.M), command
    table = _run("obligations", "vald-i-nara-relation", cwd=tmp_path, env=env).stdout
    # seed tracks from LEDGER_TODAY, so the old yearly reports are "före bokföringen".
    assert "2021-03-31" in table and "2024-03-31" in table and "bokföringen" in table
    across = _run("obligations", "--json", "--as-of", "2026-06-30", cwd=tmp_path, env=env).stdout
    assert {o["contract"] for o in json.loads(across)["obligations"]} == {
        "familjeradgivning", "skolsocialt-team", "vald-i-nara-relation"}


def test_record_needs_a_role(cli_env: Database) -> None:  # noqa: F811
    ledger_cli("seed")
    body = json.dumps({"type": "LexSarahReported", "effective_date": "2025-01-02"})
    missing = ledger_cli("record", "familjeradgivning", "--json", "-", stdin=body)
    assert missing.exit_code == 2 and "--role" in missing.output


def test_compensation_shows_the_years_without_indexation(cli_env: Database) -> None:  # noqa: F811
    ledger_cli("seed")
    result = ledger_cli("compensation", "vald-i-nara-relation", "--year", "2022")
    assert result.exit_code == 0, result.output
    assert "missing_years" in result.stdout and "2020, 2021, 2022" in result.stdout


def test_known_at_as_a_bare_date_is_the_end_of_that_day_in_stockholm() -> None:
    from api.cli.times import parse_instant

    assert parse_instant("2025-06-30").isoformat() == "2025-06-30T21:59:59.999999+00:00"
    assert parse_instant("2025-01-31").isoformat() == "2025-01-31T22:59:59.999999+00:00"
    assert parse_instant("2025-06-30T09:00+02:00").isoformat() == "2025-06-30T07:00:00+00:00"


def test_seed_tracks_from_the_day_it_runs(cli_env: Database) -> None:  # noqa: F811
    ledger_cli("seed")  # LEDGER_TODAY=2025-06-30
    found = json.loads(ledger_cli("obligations", "vald-i-nara-relation", "--json").stdout)
    statuses = {o["id"]: o["status"] for o in found["obligations"]}
    assert statuses["annual_report:2020"] == "before_tracking"
    assert statuses["annual_report:2024"] == "before_tracking"
    assert "overdue" not in statuses.values()
    across = json.loads(ledger_cli("obligations", "--json").stdout)["obligations"]
    assert all(o["status"] in ("open", "overdue") for o in across)
    assert not any(o["due"] and o["due"] < "2025-06-30" for o in across)
