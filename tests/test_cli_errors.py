"""Every CLI error is one line with its exit code (README), secrets never printed, files private."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from api.cli.app import EXIT_CONFIGURATION, EXIT_INVALID, EXIT_UNAVAILABLE
from tests.support.postgres import free_port


def run(url: str, *args: str, **env: str) -> object:
    return CliRunner().invoke(app, list(args), env={"LEDGER_DATABASE_URL": url, **env})


def _one_line(result: object) -> str:
    assert "Traceback" not in result.output, result.output  # type: ignore[attr-defined]
    lines = [line for line in result.stderr.splitlines() if line.strip()]  # type: ignore[attr-defined]
    assert len(lines) == 1, result.output  # type: ignore[attr-defined]
    return lines[0]


def test_postgres_unreachable_is_one_line_exit_6() -> None:
    url = f"postgresql://ledger:s3cret-pw@127.0.0.1:{free_port()}/ledger"
    result = run(url, "verify", LEDGER_STORAGE_TIMEOUT="1")
    assert result.exit_code == EXIT_UNAVAILABLE  # type: ignore[attr-defined]
    line = _one_line(result)
    assert "storage_unavailable" in line and "s3cret-pw" not in result.output  # type: ignore[attr-defined]


def test_a_file_that_cannot_be_created_is_one_line_exit_6(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    result = run(f"sqlite:///{blocker / 'ledger.db'}", "seed")
    assert result.exit_code == EXIT_UNAVAILABLE  # type: ignore[attr-defined]
    assert "not-a-folder" in _one_line(result)


def test_a_configuration_error_masks_the_password() -> None:
    result = run("postgresql://ledger:s3cret-pw@/nodb", "verify")
    assert result.exit_code == EXIT_CONFIGURATION  # type: ignore[attr-defined]
    line = _one_line(result)
    assert "***" in line and "s3cret-pw" not in result.output  # type: ignore[attr-defined]


def test_a_token_name_with_a_personnummer_is_refused(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path / 'l.db'}", "token", "create", "--role", "revisor",
                 "--name", "Anna 19121212-1212", LEDGER_TOKENS_FILE=str(tmp_path / "t.json"))
    assert result.exit_code == EXIT_INVALID  # type: ignore[attr-defined]
    assert not (tmp_path / "t.json").exists()


def test_files_the_ledger_creates_are_private(tmp_path: Path) -> None:
    env = {**os.environ, "LEDGER_DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'ledger.db'}",
           "LEDGER_TOKENS_FILE": str(tmp_path / "var" / "tokens.json"), "LEDGER_TODAY": "2025-06-02",
           "LEDGER_SIGNING_KEY_FILE": str(tmp_path / "var" / "key.pem")}
    ledger = [sys.executable, "-c", "from api.cli import main; main()"]
    cwd = Path(__file__).parents[1]
    for args in (["seed"], ["rebuild"], ["export", str(tmp_path / "var" / "out.jsonl")]):
        done = subprocess.run([*ledger, *args], env=env, cwd=cwd, capture_output=True, text=True,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr
    created = [p for p in (tmp_path / "var").iterdir() if p.is_file()]
    assert {p.name for p in created} >= {"ledger.db", "ledger-views.db", "out.jsonl"}
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in created} == {
        p.name: "0o600" for p in created}


def test_a_missing_input_file_is_the_callers_error_one_line_exit_2(tmp_path: Path) -> None:
    """`ledger record --json FILE` with no such FILE: malformed input (2), not storage (6)."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run(url, "seed").exit_code == 0  # type: ignore[attr-defined]
    result = run(url, "record", "familjeradgivning", "--json", str(tmp_path / "saknas.json"),
                 "--role", "utforare")
    assert result.exit_code == EXIT_INVALID  # type: ignore[attr-defined]
    line = _one_line(result)
    assert "saknas.json" in line and "inget registrerades" in line
