"""Documents for people: the dispute dossier (HTML or PDF) and the deadline calendar (iCalendar)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api import settings
from api.http import render
from api.http.deps import App, Caller, Ref, known_ref
from api.http.problems import NotAcceptable, responses
from domain.errors import UnknownContract, UnknownEntry

router = APIRouter(tags=["documents"], responses=responses(401, 422))


@router.get("/contracts/{ref}/disputes/{seq}/dossier", response_class=HTMLResponse,
            responses={200: {"content": {"text/html": {"schema": {"type": "string"}},
                                         "application/pdf": {"schema": {"type": "string",
                                                                        "format": "binary"}}},
                             "description": "The dossier as HTML, or PDF with Accept: application/pdf"},
                       **responses(404, 406)})
def dispute_dossier(
    request: Request, app: App, _actor: Caller, ref: Ref,
    seq: Annotated[int, Path(ge=1, le=2**31 - 1, description="The DisputeRaised entry")],
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The dispute dossier for kommunstyrelsen: subject, clauses quoted, events, dialogue, decision."""
    wanted = render.negotiate(accept, ("text/html", "application/pdf"))
    if wanted is None:
        raise NotAcceptable("this dossier is available as text/html or application/pdf",
                            field="Accept", rule="accept")
    entries = app.ledger.entries(ref)
    dossier = render.dossier_context(entries, seq, today=settings.today())
    if dossier is None:
        raise UnknownEntry(f"entry {seq} of contract '{ref}' is not a DisputeRaised",
                           field="seq", rule="dispute_exists")
    if wanted == "application/pdf":
        return Response(render.dossier_pdf(dossier), media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="dossier-{ref}-{seq}.pdf"'})
    return HTMLResponse(render.dossier_html(dossier))


@router.get("/calendar.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}},
                             "description": "Every open obligation's deadline as an all-day event"},
                       **responses(404)})
def calendar(
    app: App, _actor: Caller,
    contract: Annotated[str | None, Query(max_length=200, description="Only this contract")] = None,
) -> Response:
    """Every open obligation's deadline as iCalendar all-day events."""
    today = settings.today()
    if contract is not None and not app.ledger.exists(known_ref(contract, "contract")):
        raise UnknownContract(f"no contract with ref '{contract}'", field="contract",
                              rule="contract_must_exist")
    found: list[tuple[str, Any]] = [
        (ref, o) for ref, o, _status in app.reads.open_obligations(as_of=today)
        if contract is None or ref == contract]
    body = render.calendar_ics(found, stamp=datetime.now(tz=UTC), next_day=timedelta(days=1))
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="ledger.ics"'})
