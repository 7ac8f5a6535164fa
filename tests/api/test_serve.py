"""``ledger serve`` is registered and names its options."""

from __future__ import annotations

from typer.testing import CliRunner

from api.cli import app


def test_serve_is_a_ledger_command_with_host_and_port():
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    assert "--host" in result.output and "--port" in result.output
