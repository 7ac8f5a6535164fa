"""Översikt, Att göra and Granskning: the pages across contracts."""

from __future__ import annotations

import calendar
import tempfile
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from api import settings
from api.web.common import PageRoute, page, services, signed_in
from domain import vocabulary

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PERIODS = {"": "Alla", "manad": "Den här månaden", "kvartal": "Tre månader framåt"}


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> Response:
    """Översikt: every contract with its status and counts of what is open."""
    signed_in(request)
    reads = services(request).reads
    today = settings.today()
    rows = []
    for contract in reads.contracts():
        notice = reads.notice(contract.ref, as_of=today)
        judged = [status for _, status in reads.obligations(contract.ref, as_of=today)]
        rows.append({"contract": contract, "notice": notice,
                     "open": judged.count("open") + judged.count("overdue"),
                     "overdue": judged.count("overdue"),
                     "deviations": sum(1 for _, is_open in reads.deviations(contract.ref, as_of=today)
                                       if is_open)})
    return page(request, "overview.html", title="Översikt", rows=rows)


def month_end(day: date, months: int = 0) -> date:
    """The last day of the month ``months`` after ``day``'s."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


@router.get("/att-gora", response_class=HTMLResponse)
def todo(request: Request) -> Response:
    """Att göra: open obligations across contracts, overdue first, then by due date."""
    who = signed_in(request)
    app = services(request)
    params = request.query_params
    today = settings.today()
    holder = params.get("holder", "")
    holder = holder if holder in vocabulary.PARTIES else ""
    refs = [c.ref for c in app.reads.contracts()]
    contract = params.get("contract", "")
    contract = contract if contract in refs else ""
    period = params.get("period", "")
    period = period if period in PERIODS else ""
    until = {"manad": month_end(today), "kvartal": month_end(today, 2)}.get(period)
    found = [(ref, o, status) for ref, o, status in app.reads.open_obligations(
        as_of=today, holder=holder or None)
        if (not contract or ref == contract)
        # An overdue duty is due now whatever the period; the period limits the others.
        and (until is None or status == "overdue" or (o.due is not None and o.due <= until))]
    found.sort(key=lambda item: (item[2] != "overdue", item[1].due or date.max, item[0]))
    titles = {c.ref: c.title for c in app.reads.contracts()}
    awaiting = _awaiting(app, refs, who.role)
    template = "todo_rows.html" if request.headers.get("HX-Request") else "todo.html"
    return page(request, template, title="Att göra", rows=found, titles=titles, holder=holder,
                contract=contract, period=period, periods=PERIODS, refs=refs, until=until,
                awaiting=awaiting)


def _awaiting(app: Any, refs: list[str], role: str | None) -> list[dict[str, Any]]:
    """Two-party acts awaiting the visitor's party (GET /contracts/{ref}/acceptances)."""
    return [{"ref": ref, **asdict(item)} for ref in refs for item in app.reads.acceptances(ref)
            if item.awaiting == role]


@router.get("/granskning", response_class=HTMLResponse)
def audit(request: Request) -> Response:
    """Granskning: does the ledger verify; the latest signed checkpoint and its co-signatures."""
    signed_in(request)
    from api.checkpoints import signature_problems, stored_checkpoints
    from domain.verification import verify_application

    app = services(request)
    report = verify_application(app.ledger)
    stored = stored_checkpoints()
    latest = None
    if stored:
        path, checkpoint = stored[-1]
        latest = {"file": path.name, "checkpoint": checkpoint,
                  "problems": signature_problems(checkpoint)}
    return page(request, "audit.html", title="Granskning", report=report, latest=latest)


@router.get("/granskning/export")
def export(request: Request) -> Response:
    """The whole ledger as signed JSON Lines (``ledger export``), verified while written."""
    signed_in(request)
    from api.export import export_ledger

    folder = Path(tempfile.mkdtemp(prefix="ledger-export-"))
    path = folder / "ledger.jsonl"

    def remove() -> None:
        path.unlink(missing_ok=True)
        folder.rmdir()

    try:
        export_ledger(services(request).ledger, path)
    except BaseException:
        remove()
        raise
    name = f"liggare-{settings.today().isoformat()}.jsonl"
    return FileResponse(path, media_type="application/x-ndjson", filename=name,
                        background=BackgroundTask(remove))
