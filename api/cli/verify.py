"""Verification commands: verify, checkpoint (cosign, show), export, import, verify-export.

Exit codes: 0 verified; 1 verification failed (the first bad entry is named on
stderr) or an import refused; 2 unusable input (a malformed checkpoint or key file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.app import (
    EXIT_FAILED,
    app,
    err,
    handles_errors,
    opened_ledger,
    out,
    print_json,
    print_table,
)

checkpoint_app = typer.Typer(
    help="Signed checkpoints of the ledger head. Without a subcommand: sign and print a new one.",
    invoke_without_command=True,
)
app.add_typer(checkpoint_app, name="checkpoint")


def _fail(message: str, payload: dict[str, Any] | None = None, as_json: bool = False) -> None:
    if as_json and payload is not None:
        print_json(payload)
    err.print(f"[red]FAILED[/red] {message}", highlight=False)
    raise typer.Exit(EXIT_FAILED)


@app.command()
@handles_errors
def verify(
    against: Annotated[Path | None, typer.Option(
        "--against", help="A checkpoint JSON file the ledger must extend")] = None,
    public_key: Annotated[str | None, typer.Option(
        help="Require the checkpoint to be signed with this base64 Ed25519 key")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
    read_models: Annotated[bool, typer.Option(
        "--read-models", help="Also check the read models and snapshots against the entries")] = False,
) -> None:
    """Recompute every hash link and the ledger head; exit 1 naming the first bad entry."""
    from api.checkpoints import read_checkpoint, verify_against
    from domain.verification import verify_application

    checkpoint = read_checkpoint(against) if against else None
    models = None
    with opened_ledger() as ledger:
        if checkpoint is None:
            report, problems = verify_application(ledger), []
        else:
            report, problems = verify_against(ledger, checkpoint, public_key=public_key)
        if read_models and report.ok:
            from api.settings import database
            from projections.audit import verify_read_models
            from projections.runner import close_view, open_view

            view = open_view(database())
            try:
                models = verify_read_models(view, ledger)
            finally:
                close_view(view)
    payload = report.as_dict()
    if models is not None:
        payload["read_models"] = models.as_dict()
    if checkpoint is not None:
        payload["against"] = {"events": checkpoint["events"], "head": checkpoint["head"],
                              "signed_at": checkpoint["signed_at"], "ok": not problems,
                              "problems": problems}
    if not report.ok:
        assert report.bad is not None
        _fail(f"after {report.events} good entries: {report.bad.describe()}", payload, as_json)
    if problems:
        _fail(f"against {against}: " + "; ".join(problems), payload, as_json)
    if models is not None and not models.ok:
        _fail(models.problem or "read models differ", payload, as_json)
    if as_json:
        print_json(payload)
        return
    out.print(f"ok: {report.events} entries in {report.contracts} contracts verify; "
              f"head {report.head}", highlight=False)
    if checkpoint is not None:
        out.print(f"ok: extends the checkpoint of {checkpoint['signed_at']} "
                  f"({checkpoint['events']} entries, head {checkpoint['head']})", highlight=False)
    if models is not None:
        out.print(f"ok: read models of {models.contracts} contracts and {models.snapshots} "
                  f"snapshots agree with the entries ({models.pending} pending)", highlight=False)


@checkpoint_app.callback()
@handles_errors
def checkpoint(ctx: typer.Context) -> None:
    """Sign a checkpoint of the current ledger head, store it and print it as JSON."""
    if ctx.invoked_subcommand is not None:
        return
    from api.checkpoints import VerificationFailed, ledger_checkpoint, store_checkpoint

    with opened_ledger() as ledger:
        try:
            signed = ledger_checkpoint(ledger)
        except VerificationFailed as error:
            _fail(error.detail)
    store_checkpoint(signed)
    print_json(signed)


@checkpoint_app.command("cosign")
@handles_errors
def checkpoint_cosign(
    checkpoint_file: Annotated[Path, typer.Argument(help="The checkpoint JSON to co-sign")],
    key: Annotated[Path, typer.Option(help="The party's Ed25519 private key (PEM)")],
    party: Annotated[str, typer.Option(help="bestallare or utforare")],
    create_key: Annotated[bool, typer.Option(
        help="Create the key file (0600) if it does not exist")] = False,
) -> None:
    """Witness a checkpoint: check it against this ledger, co-sign it, store and print it."""
    from api.checkpoints import (
        PARTIES,
        CheckpointError,
        cosign,
        create_key_file,
        load_private_key,
        read_checkpoint,
        store_checkpoint,
        verify_against,
    )

    if party not in PARTIES:
        raise CheckpointError(f"--party must be one of {', '.join(PARTIES)}, not '{party}'",
                              field="party", rule="party")
    signed = read_checkpoint(checkpoint_file)
    party_key = (create_key_file(key) if create_key and not key.exists()
                 else load_private_key(key))
    with opened_ledger() as ledger:
        report, problems = verify_against(ledger, signed)
    if not report.ok:
        assert report.bad is not None
        _fail(f"not co-signed: the ledger does not verify: {report.bad.describe()}")
    if problems:
        _fail("not co-signed: " + "; ".join(problems))
    cosigned = cosign(signed, party_key, party)
    path = store_checkpoint(cosigned)
    err.print(f"co-signed by {party}; stored in {path}", highlight=False)
    print_json(cosigned)


@checkpoint_app.command("show")
@handles_errors
def checkpoint_show(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
) -> None:
    """The stored checkpoints and their co-signatures, each signature checked."""
    from api.checkpoints import checkpoints_dir, signature_problems, stored_checkpoints

    rows = []
    for path, stored in stored_checkpoints():
        rows.append({**stored, "file": str(path), "problems": signature_problems(stored)})
    if as_json:
        print_json({"checkpoints": rows})
        return
    print_table(
        f"checkpoints in {checkpoints_dir()}",
        ["events", "head", "signed at", "ledger key", "signatures", "co-signed by"],
        [(r["events"], r["head"][:16], r["signed_at"], r["public_key"][:12] + "…",
          "valid" if not r["problems"] else "INVALID: " + "; ".join(r["problems"]),
          ", ".join(f"{c['party']} ({c['public_key'][:12]}…)"
                    for c in r.get("cosignatures", [])) or None)
         for r in rows])


@app.command("export")
@handles_errors
def export_command(
    file: Annotated[Path, typer.Argument(help="The JSON Lines file to write")],
) -> None:
    """Write the whole ledger as JSON Lines ending with a signed checkpoint."""
    from api.checkpoints import VerificationFailed
    from api.export import export_ledger

    with opened_ledger() as ledger:
        try:
            signed = export_ledger(ledger, file)
        except VerificationFailed as error:
            _fail(error.detail)
    out.print(f"exported {signed['events']} entries to {file}; head {signed['head']}",
              highlight=False)


@app.command("import")
@handles_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="A file written by `ledger export`")],
    public_key: Annotated[str | None, typer.Option(
        help="Require the export to be signed with this base64 Ed25519 key")] = None,
    trust_any_key: Annotated[bool, typer.Option(
        help="Accept an export signed by any key (default: this ledger's own key or --public-key)")
    ] = False,
) -> None:
    """Import an export into an empty ledger; everything is verified before anything is written."""
    from api.checkpoints import VerificationFailed
    from api.export import import_file

    with opened_ledger(create=True) as ledger:
        try:
            report = import_file(ledger, file, public_key=public_key, trust_any_key=trust_any_key)
        except VerificationFailed as error:
            _fail(error.detail)
    out.print(f"imported {report.events} entries; head {report.head}. "
              "Rebuild the read models with `ledger rebuild`.", highlight=False)


@app.command("verify-export")
@handles_errors
def verify_export_command(
    file: Annotated[Path, typer.Argument(help="A file written by `ledger export`")],
    public_key: Annotated[str | None, typer.Option(
        help="Require the export to be signed with this base64 Ed25519 key")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Verify an export on its own (no database, no server): links, head, signatures."""
    from api.export import verify_export

    report = verify_export(file, public_key=public_key)
    if not report.ok:
        _fail(f"{file}: {report.problem}", report.as_dict(), as_json)
    if as_json:
        print_json(report.as_dict())
        return
    assert report.checkpoint is not None
    out.print(f"ok: {report.events} entries verify; head {report.head}; signed at "
              f"{report.checkpoint['signed_at']} by key {report.checkpoint['public_key']}",
              highlight=False)
