"""``ledger serve`` is registered and names its options."""

from __future__ import annotations

from typer.testing import CliRunner

from api.cli import app


def test_serve_is_a_ledger_command_with_host_and_port():
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    assert "--host" in result.output and "--port" in result.output


def test_serve_names_workers_and_the_projector_option():
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert "--workers" in result.output and "--projector" in result.output


def test_several_api_workers_need_an_external_projector(monkeypatch):
    monkeypatch.delenv("LEDGER_PROJECTOR", raising=False)
    result = CliRunner().invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "LEDGER_PROJECTOR=external" in result.output


def test_an_unknown_projector_mode_is_refused_in_one_line(monkeypatch):
    monkeypatch.setenv("LEDGER_PROJECTOR", "sideways")
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code != 0 and "LEDGER_PROJECTOR" in result.output
    assert "Traceback" not in result.output


def test_project_check_fails_while_no_worker_projects(monkeypatch, tmp_path):
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite:///{tmp_path / 'ledger.db'}")
    result = CliRunner().invoke(app, ["project", "--check"])
    assert result.exit_code == 1 and "no worker projects" in result.output
