"""``ledger redact REF SEQ --decision DIARIENR``: gallring under an archive decision (admin).

The operator at the machine acts as admin, as for ``ledger rebuild``; stop the API first (its
live read models hold the entry in memory and would not see the rewrite). What it does is
``domain.redaction.redact`` and then every read model rebuilt from the rewritten events (and,
on SQLite, the view file vacuumed), so the content is nowhere in the database files afterwards.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from api.cli.app import (
    EXIT_CONFLICT,
    EXIT_INVALID,
    EXIT_NOT_FOUND,
    EXIT_UNAVAILABLE,
    app,
    err,
    existing_database,
    handles_errors,
    opened_ledger,
    out,
)
from domain.errors import LedgerError

# Refusals people read, in Swedish, by the rule the domain names (exit codes as README's table).
_REFUSALS = {
    "contract_must_exist": (EXIT_NOT_FOUND, "inget avtal med referensen {ref}"),
    "entry_must_exist": (EXIT_NOT_FOUND, "avtalet {ref} har ingen post {seq}"),
    "redact_once": (EXIT_CONFLICT, "post {seq} i {ref} är redan gallrad"),
    "redact_link_v2": (EXIT_CONFLICT,
                       "post {seq} i {ref} registrerades innan gallring fanns: dess kontrollsumma "
                       "räknas över själva innehållet (länkversion 1), så innehållet kan inte tas "
                       "bort utan att kedjan och alla kontrollpunkter bryts"),
    "redactable_kind": (EXIT_CONFLICT,
                        "post {seq} i {ref} kan inte gallras: registreringen, ändringar av "
                        "villkoren, rättelser och gallringsbeslut måste gå att läsa"),
}


@app.command()
@handles_errors
def redact(
    ref: Annotated[str, typer.Argument(help="Contract reference")],
    seq: Annotated[int, typer.Argument(help="The entry's number in its contract")],
    decision: Annotated[str | None, typer.Option(
        help="Diarienummer of the gallringsbeslut (required)")] = None,
) -> None:
    """Gallra one entry: remove its content under an archive decision; every proof still verifies."""
    from pydantic import ValidationError

    from api.settings import today
    from domain.personal_data import find_personnummer
    from domain.redaction import redact as gallra
    from domain.redaction import scrub_sqlite
    from projections.rebuild import rebuild

    if decision is None or not decision.strip():
        _refuse(EXIT_INVALID, "--decision: gallringsbeslutets diarienummer krävs")
    assert decision is not None
    if find_personnummer(decision):
        _refuse(EXIT_INVALID, "--decision: diarienumret innehåller ett personnummer eller "
                              "samordningsnummer, som liggaren inte tar emot")
    db = existing_database()
    with opened_ledger() as ledger:
        try:
            done = gallra(ledger, ref, seq, decision, today=today())
        except ValidationError as error:
            first = error.errors()[0]
            _refuse(EXIT_INVALID, f"--decision: ogiltigt diarienummer ({first['msg']})")
        except LedgerError as error:
            code, text = _REFUSALS.get(error.rule or "", (None, None))
            if code is None:
                raise
            if error.rule == "redact_once" and not _scrubbed(db, ledger):
                _unscrubbed()  # run again after a warning: the files are emptied now if they can be
            _refuse(code, text.format(ref=ref, seq=seq))
    rebuild(db, today=today())
    scrubbed = done.files_scrubbed
    if db.engine == "sqlite":
        scrubbed = scrub_sqlite(str(db.sibling("-views.db"))) and scrubbed
    out.print(f"{ref} post {seq}: gallrad enligt beslut {done.decision} (registrerat som post "
              f"{done.decision_seq}); kontrollsumman står kvar och kedjan verifieras som förut. "
              f"Läsmodellerna är återuppbyggda.", highlight=False)
    if done.idempotency_records:
        out.print(f"{done.idempotency_records} sparade svar på upprepade anrop rensade.",
                  highlight=False)
    if not scrubbed:
        _unscrubbed()


def _scrubbed(db: Any, ledger: Any) -> bool:
    """The files emptied of freed bytes again, for a run after one that could not finish that
    (a reader kept SQLite's -wal, or PostgreSQL's VACUUM (FULL) timed out on a lock)."""
    from domain.redaction import scrub_sqlite, vacuum_full_postgres

    if db.engine != "sqlite":
        snapshots = ledger.snapshots.recorder if ledger.snapshots is not None else None
        vacuum_full_postgres(ledger.recorder.datastore, [ledger.recorder.events_table_name] + (
            [snapshots.events_table_name] if snapshots is not None else []))
        return True
    return scrub_sqlite(ledger.recorder.datastore.pool.db_name) and \
        scrub_sqlite(str(db.sibling("-views.db")))


def _unscrubbed() -> None:
    err.print("[yellow]varning[/yellow]: posten är gallrad, men en annan anslutning läste "
              "databasen, så loggfilen (-wal) kunde inte tömmas och kan ännu innehålla det "
              "gallrade; stoppa API:t och kör samma kommando igen", highlight=False)
    raise typer.Exit(EXIT_UNAVAILABLE)


def _refuse(code: int, text: str) -> None:
    err.print(f"[red]avvisat[/red]: {text}; inget skrevs", highlight=False)
    raise typer.Exit(code)
