"""``ledger token create | list | revoke``: API tokens and read-only feed tokens."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli.app import (
    EXIT_INVALID,
    EXIT_NOT_FOUND,
    err,
    handles_errors,
    out,
    print_json,
    print_table,
    token_app,
)


@token_app.command("create")
@handles_errors
def token_create(
    name: Annotated[str, typer.Option(help="Who holds the token")],
    role: Annotated[str | None, typer.Option(
        help="admin, bestallare, utforare, revisor or kommunstyrelsen (not with --scope)")] = None,
    scope: Annotated[list[str] | None, typer.Option(
        help="Make a read-only feed token for calendar and/or dossier (repeat), usable as ?token=")] = None,
    contract: Annotated[str | None, typer.Option(help="Limit a feed token to one contract")] = None,
    reuse: Annotated[Path | None, typer.Option(
        help="Keep the token in this file (0600): print the one there while it is still valid, "
             "else create one and save it")] = None,
) -> None:
    """Print a new token once; only its SHA-256 is stored in the tokens file."""
    from api import tokens
    from api.settings import today, tokens_file

    scopes = tuple(scope or ())
    if (role is None) == (not scopes):
        err.print("[red]invalid[/red] --role: give --role for an API token or --scope for a "
                  "feed token (one of them)", highlight=False)
        raise typer.Exit(EXIT_INVALID)
    if reuse is not None and reuse.exists():
        kept = reuse.read_text(encoding="utf-8").strip()
        holder = tokens.load(tokens_file()).get(tokens.digest(kept)) if kept else None
        if holder is not None and holder.role == (role or tokens.FEED_ROLE):
            sys.stdout.write(kept + "\n")
            return
    try:
        token = tokens.create(tokens_file(), role=role or tokens.FEED_ROLE, name=name,
                              scopes=scopes, contract=contract, created=today().isoformat())
    except ValueError as error:
        err.print(f"[red]invalid[/red] {error}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    if reuse is not None:
        reuse.parent.mkdir(parents=True, exist_ok=True)
        reuse.write_text(token + "\n", encoding="utf-8")
        os.chmod(reuse, 0o600)
    sys.stdout.write(token + "\n")


@token_app.command("list")
@handles_errors
def token_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table")] = False,
) -> None:
    """Every token (never the token itself): its id, holder, role, scopes and contract."""
    from api import tokens
    from api.settings import tokens_file

    found = tokens.listed(tokens_file())
    if as_json:
        print_json({"tokens": found})
        return
    from domain import vocabulary as sv

    scopes = {"calendar": "kalendern", "dossier": "tvisteunderlaget"}
    print_table(f"{len(found)} token i {tokens_file()}", ["id", "innehavare", "roll", "ger tillgång till",
                                                         "skapad"],
                [(t["id"], t["name"], sv.label("role", t["role"]),
                  (", ".join(scopes.get(x, x) for x in t["scopes"])
                   + (f" ({t['contract']})" if t["contract"] else ""))
                  if t["scopes"] else "hela API:t", t["created"]) for t in found])


@token_app.command("revoke")
@handles_errors
def token_revoke(
    token_id: Annotated[str, typer.Argument(help="The id 'ledger token list' shows (8+ characters)")],
) -> None:
    """Remove a token: the API refuses it within a second."""
    from api import tokens
    from api.settings import tokens_file

    try:
        gone = tokens.revoke(tokens_file(), token_id)
    except ValueError as error:
        err.print(f"[red]invalid[/red] {error}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    except LookupError as error:
        err.print(f"[red]error[/red] {error.args[0]}", highlight=False)
        raise typer.Exit(EXIT_NOT_FOUND) from None
    out.print(f"återkallad: {gone['id']} ({gone['name']}, {gone['role']})", highlight=False)
