"""`ledger token create | list | revoke`: feed tokens, reuse for `make run`, revoking."""

from __future__ import annotations

from pathlib import Path

import orjson

from api import tokens
from tests.test_cli import cli_env, ledger_cli  # noqa: F401  (the fixture)


def test_a_feed_token_is_read_only_scoped_listed_and_revocable(cli_env, tmp_path: Path) -> None:  # noqa: F811
    made = ledger_cli("token", "create", "--scope", "calendar", "--scope", "dossier",
                      "--contract", "familjecentraler", "--name", "Kalender")
    assert made.exit_code == 0, made.output
    holder = tokens.load(tmp_path / "tokens.json")[tokens.digest(made.stdout.strip())]
    assert (holder.role, holder.scopes, holder.contract) == ("revisor", ("calendar", "dossier"),
                                                             "familjecentraler")
    listed = ledger_cli("token", "list")
    token_id = tokens.digest(made.stdout.strip())[:12]
    assert listed.exit_code == 0 and token_id in listed.stdout and "Kalender" in listed.stdout
    assert made.stdout.strip() not in listed.stdout
    as_json = orjson.loads(ledger_cli("token", "list", "--json").stdout)["tokens"]
    assert [(t["id"], t["name"], t["scopes"], t["contract"]) for t in as_json] == [
        (token_id, "Kalender", ["calendar", "dossier"], "familjecentraler")]
    revoked = ledger_cli("token", "revoke", token_id)
    assert revoked.exit_code == 0 and "Kalender" in revoked.stdout
    assert tokens.load(tmp_path / "tokens.json") == {}
    assert ledger_cli("token", "revoke", token_id).exit_code == 3


def test_create_needs_a_role_or_a_scope_and_refuses_unknown_scopes(cli_env) -> None:  # noqa: F811
    assert ledger_cli("token", "create", "--name", "X").exit_code == 2
    assert ledger_cli("token", "create", "--name", "X", "--role", "admin",
                      "--scope", "calendar").exit_code == 2
    wrong = ledger_cli("token", "create", "--name", "X", "--scope", "events")
    assert wrong.exit_code == 2 and "scope" in wrong.stderr


def test_reuse_keeps_one_admin_token_for_make_run(cli_env, tmp_path: Path) -> None:  # noqa: F811
    kept = tmp_path / "make-run.token"
    first = ledger_cli("token", "create", "--role", "admin", "--name", "make run", "--reuse", str(kept))
    second = ledger_cli("token", "create", "--role", "admin", "--name", "make run", "--reuse", str(kept))
    assert first.stdout == second.stdout and first.exit_code == second.exit_code == 0
    assert len(tokens.load(tmp_path / "tokens.json")) == 1
    assert kept.stat().st_mode & 0o777 == 0o600
    # Revoked: the next run makes a new one.
    ledger_cli("token", "revoke", tokens.digest(first.stdout.strip())[:12])
    third = ledger_cli("token", "create", "--role", "admin", "--name", "make run", "--reuse", str(kept))
    assert third.stdout != first.stdout and len(tokens.load(tmp_path / "tokens.json")) == 1
