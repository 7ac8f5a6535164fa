"""Core commands: seed, record, events (tokens: ``api.cli.tokens``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from api.cli.app import (
    EXIT_INVALID,
    app,
    err,
    handles_errors,
    opened_ledger,
    out,
    print_json,
    print_table,
)
from domain.contract import Actor

CLI_ADMIN = Actor(name="ledger-cli", role="admin")


@app.command()
@handles_errors
def seed() -> None:
    """Register the four contracts of DOMAIN.md §4, tracked from today (LEDGER_TODAY where set);
    running it again changes nothing."""
    from api.settings import today
    from domain.catalogue import load_catalogue
    from domain.events import ContractRegistered

    with opened_ledger(create=True) as ledger:
        for item in load_catalogue():
            ref = item.description.ref
            if ledger.exists(ref):
                out.print(f"{ref}: redan registrerat")
                continue
            # The ledger tracks it from today: what fell due before was never recorded here.
            event = ContractRegistered(
                **item.description.model_dump(), terms=item.terms,
                effective_date=item.description.in_force_from.date, tracked_from=today(),
            )
            ledger.register(event, CLI_ADMIN)
            out.print(f"{ref}: registrerat")


@app.command()
@handles_errors
def record(
    ref: Annotated[str, typer.Argument(help="Contract reference, e.g. familjeradgivning")],
    json_file: Annotated[str, typer.Option("--json", help="JSON file with the event, or - for stdin")],
    role: Annotated[str, typer.Option(
        help="The recorder's role, required: bestallare, utforare, kommunstyrelsen or admin "
             "(DOMAIN.md §5 says who may record what)")],
    actor: Annotated[str, typer.Option(help="Who records it")] = "ledger-cli",
    expected_version: Annotated[int | None, typer.Option(help="Refuse unless at this version")] = None,
    idempotency_key: Annotated[str | None, typer.Option(help="Record at most once per key")] = None,
) -> None:
    """Append one event from JSON (for scripts); prints the new seq and version."""
    from domain.events import parse_event_json

    try:
        raw = sys.stdin.buffer.read() if json_file == "-" else Path(json_file).read_bytes()
    except OSError as error:  # the caller's file, not the ledger's storage: malformed input
        err.print(f"[red]ogiltig[/red] --json: kan inte läsa {json_file} "
                  f"({error.strerror or error}); inget registrerades", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    try:
        orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        err.print(f"[red]ogiltig[/red] --json: inte giltig JSON ({error}); inget registrerades",
                  highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    event = parse_event_json(raw)
    with opened_ledger() as ledger:
        outcome = ledger.record(ref, event, Actor(name=actor, role=role),
                                expected_version=expected_version,
                                idempotency_key=idempotency_key)
    print_json({"ref": ref, "seq": outcome.seq, "version": outcome.version,
                "hash": outcome.entry.hash, "replayed": outcome.replayed})


@app.command()
@handles_errors
def events(
    ref: Annotated[str, typer.Argument(help="Contract reference")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table")] = False,
    known_at: Annotated[str | None, typer.Option(help="Only entries recorded by this instant")] = None,
) -> None:
    """Every entry of a contract with both times, the actor and its hash link."""
    from api.cli.times import parse_instant

    cutoff = parse_instant(known_at) if known_at else None
    with opened_ledger() as ledger:
        entries = [e for e in ledger.entries(ref) if cutoff is None or e.recorded_at <= cutoff]
    if as_json:
        print_json({"events": [
            {"seq": e.seq, "type": e.type, "effective_date": e.effective_date,
             "recorded_at": e.recorded_at, "actor": e.actor, "role": e.role, "data": e.data,
             "hash": e.hash, "prev_hash": e.prev_hash} for e in entries]})
        return
    from domain import vocabulary as sv

    print_table(f"{ref}: {len(entries)} poster (tider i svensk tid)",
                ["post", "händelse", "datum", "registrerad", "av", "kontrollsumma"],
                [(e.seq, sv.label("event", e.type) + (f" – {gallrad}" if (gallrad := sv.redaction(e.data))
                                                      else ""), e.effective_date, sv.instant(e.recorded_at),
                  f"{e.actor} ({sv.label('role', e.role)})", e.hash[:12]) for e in entries])


@app.command()
@handles_errors
def migrate() -> None:
    """Create every table (events, snapshots, read models) once; safe to run again."""
    import os

    from api.settings import database
    from domain.ledger import Ledger
    from projections.runner import close_view, open_view

    # This is the one step allowed to create tables, whatever the deployment says.
    saved = os.environ.get("LEDGER_CREATE_TABLES")
    os.environ["LEDGER_CREATE_TABLES"] = "true"
    try:
        db = database()
        Ledger.open(db).close()
        close_view(open_view(db))
    finally:
        if saved is None:
            del os.environ["LEDGER_CREATE_TABLES"]
        else:
            os.environ["LEDGER_CREATE_TABLES"] = saved
    out.print(f"tables ready ({db.engine})")
