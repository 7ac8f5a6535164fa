"""Documents for people: the dispute dossier (HTML or PDF) and the deadline calendar (iCalendar).

Both are links people follow from a mail or subscribe to in a calendar, so besides the
bearer header they take a read-only feed token as ``?token=`` (``ledger token create
--scope calendar``); no other endpoint does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api import settings
from api.http import dossier as dossiers
from api.http import render
from api.http.deps import App, Caller, Ref, known_ref
from api.http.dossier import DISPUTE_TYPES
from api.http.problems import NotAcceptable, log, responses
from api.http.schemas import DisputeList
from domain.errors import LedgerError, UnknownContract, UnknownEntry

router = APIRouter(tags=["documents"], responses=responses(401, 403, 422))

FeedToken = Annotated[str | None, Query(
    max_length=200, description="A read-only feed token (`ledger token create --scope ...`) "
    "instead of the Authorization header; only here and on the calendar")]
Authorization = Annotated[str | None, Header(include_in_schema=False)]


DisputeStatus = Annotated[list[Literal["raised", "dialogue_held", "referred", "decided", "withdrawn"]] | None,
                          Query(description="Repeatable; default every dispute")]


@router.get("/contracts/{ref}/disputes", response_model=DisputeList, responses=responses(404))
def contract_disputes(app: App, _actor: Caller, ref: Ref, status: DisputeStatus = None) -> DisputeList:
    """The contract's disputes, oldest first, with where each stands and its dossier."""
    if not app.ledger.exists(ref):
        raise UnknownContract(f"no contract with ref '{ref}'", field="ref", rule="contract_must_exist")
    found = dossiers.disputes(app.reads.entries_of(ref, DISPUTE_TYPES), today=settings.today())
    return DisputeList.model_validate({"disputes": [d for d in found if not status or d["status"] in status]})


@router.get("/disputes", response_model=DisputeList)
def all_disputes(app: App, _actor: Caller, status: DisputeStatus = None) -> DisputeList:
    """Every contract's disputes, by the day they were raised."""
    today = settings.today()
    found = [d for c in app.reads.contracts()
             for d in dossiers.disputes(app.reads.entries_of(c.ref, DISPUTE_TYPES), today=today)]
    found.sort(key=lambda d: (d["raised_on"], d["ref"], d["seq"]))
    return DisputeList.model_validate({"disputes": [d for d in found if not status or d["status"] in status]})


@router.get("/contracts/{ref}/disputes/{seq}/dossier", response_class=HTMLResponse,
            responses={200: {"content": {"text/html": {"schema": {"type": "string"}},
                                         "application/pdf": {"schema": {"type": "string",
                                                                        "format": "binary"}}},
                             "description": "The dossier as HTML, or PDF with Accept: application/pdf"},
                       **responses(404, 406)})
def dispute_dossier(
    request: Request, app: App, ref: Ref,
    seq: Annotated[int, Path(ge=1, le=2**31 - 1, description="The DisputeRaised entry")],
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
    authorization: Authorization = None, token: FeedToken = None,
) -> Response:
    """The dispute dossier for kommunstyrelsen (in Swedish): parties, summary, positions, clauses
    quoted, chronology, deviations and duties then and now, decision, and how to verify it."""
    app.tokens.feed_actor(authorization, token, "dossier", ref)
    wanted = render.negotiate(accept, ("text/html", "application/pdf"))
    if wanted is None:
        raise NotAcceptable("this dossier is available as text/html or application/pdf",
                            field="Accept", rule="accept")
    entries = app.ledger.entries(ref)
    context = dossiers.dossier_context(entries, seq, today=settings.today(),
                                       checkpoint=_checkpoint(app),
                                       base_url=str(request.base_url).rstrip("/"))
    if context is None:
        raise UnknownEntry(f"entry {seq} of contract '{ref}' is not a DisputeRaised",
                           field="seq", rule="dispute_exists")
    if wanted == "application/pdf":
        return Response(dossiers.dossier_pdf(context), media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="underlag-{ref}-tvist-{seq}.pdf"'})
    return HTMLResponse(dossiers.dossier_html(context))


def _checkpoint(app: Any) -> dict[str, Any] | None:
    """A signed checkpoint of the whole ledger for the verification section; None if it fails."""
    from api.checkpoints import ledger_checkpoint

    try:
        return ledger_checkpoint(app.ledger)
    except (LedgerError, OSError, ValueError) as error:
        log.warning("dossier without a checkpoint: %s", error)
        return None


@router.get("/calendar.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}},
                             "description": "Every open obligation's deadline as an all-day event"},
                       **responses(404)})
def calendar(
    app: App,
    contract: Annotated[str | None, Query(max_length=200, description="Only this contract")] = None,
    overdue: Annotated[Literal["mark", "exclude", "only"], Query(
        description="Overdue duties: marked 'FÖRSENAD' among the others (default), left out, "
                    "or alone (a separate feed)")] = "mark",
    authorization: Authorization = None, token: FeedToken = None,
) -> Response:
    """Every open or overdue obligation's deadline as an all-day event, in Swedish, with the
    clause, why it is due, and alarms a week and a day before; the UID follows the duty."""
    _actor, contract = app.tokens.feed_actor(authorization, token, "calendar", contract)
    today = settings.today()
    if contract is not None and not app.ledger.exists(known_ref(contract, "contract")):
        raise UnknownContract(f"no contract with ref '{contract}'", field="contract",
                              rule="contract_must_exist")
    wanted = {"mark": ("open", "overdue"), "exclude": ("open",), "only": ("overdue",)}[overdue]
    found = [(ref, o, status) for ref, o, status in app.reads.open_obligations(as_of=today)
             if (contract is None or ref == contract) and status in wanted]
    titles = {c.ref: c.title for c in app.reads.contracts()}
    body = render.calendar_ics(found, titles=titles, stamp=datetime.now(tz=UTC),
                               next_day=timedelta(days=1))
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="tidsfrister.ics"'})
