"""Reads of money and consent: ``ledger billing REF --month`` and ``ledger acceptances REF``."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.app import app, handles_errors, out, print_json, print_table
from api.cli.reads import AsJson, KnownAt, Ref, _times, plain, read_models
from domain.errors import UnknownEntry


@app.command()
@handles_errors
def billing(ref: Ref, month: Annotated[str | None, typer.Option(
                help="YYYY-MM (default: this month)")] = None,
            known_at: KnownAt = None, as_json: AsJson = False) -> None:
    """Hourly billing for a month: client hours, amount, hours above the cap (not priced)."""
    from api.cli.times import parse_month

    day, instant = _times(None, known_at)
    month = parse_month(month) if month else day.strftime("%Y-%m")
    with read_models() as models:
        found = models.billing_month(ref, month=month, known_at=instant)
    if found is None:
        raise UnknownEntry(f"contract '{ref}' is not billed by the hour; it has no billing clause",
                           field="ref", rule="billing_clause")
    summary, row = found
    data = {"ref": ref, "month": row.month, "client_hours": plain(row.hours),
            "amount": plain(row.amount, "amount"), "hours_above_cap": plain(row.hours_above_cap),
            "year_to_date_hours": plain(row.year_to_date_hours),
            "cap_hours": plain(summary.cap), "hourly_rate": plain(summary.hourly_rate, "amount")}
    if as_json:
        print_json(data)
        return
    print_table(f"{ref} {row.month}", ["timmar", "belopp (kr)", "timmar över taket (ej prissatta)",
                                       "hittills i år", "tak", "timpris"],
                [(data["client_hours"], data["amount"], data["hours_above_cap"],
                  data["year_to_date_hours"], data["cap_hours"] or "—", data["hourly_rate"])])


@app.command()
@handles_errors
def acceptances(ref: Ref, known_at: KnownAt = None, as_json: AsJson = False) -> None:
    """Two-party acts awaiting the other party's AgreementAccepted, and whose."""
    _, instant = _times(None, known_at)
    with read_models() as models:
        pending = models.acceptances(ref, known_at=instant)
    if as_json:
        print_json({"ref": ref, "pending": [plain(p) for p in pending]})
        return
    if not pending:
        out.print(f"{ref}: inget väntar på motpartens godkännande", highlight=False)
        return
    print_table(f"{ref}: väntar på godkännande", ["seq", "typ", "registrerad av", "väntar på", "datum"],
                [(p.seq, p.type, p.recorded_by, p.awaiting, p.effective_date) for p in pending])
