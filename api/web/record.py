"""Registrera händelse: a form per event type, Förhandsgranska (dry run), then Spara with If-Match.

Both buttons go through ``api.http.routes.events.record``, what the API's own POST does (called
as a function, so whatever that route does to record, the page does too). The page
carries the contract version it was made from; Spara sends it as the expected version, so
if someone recorded in between, the ledger refuses (StaleVersion) and the page says so and
shows what was recorded meanwhile: never a lost write. Spara records only what was previewed.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import settings
from api.http.deps import Services, known_ref
from api.http.routes.events import record
from api.http.schemas import RecordOutcome
from api.web import forms
from api.web.common import PageError, PageRoute, checked_form, page, services, signed_in
from api.web.session import Visitor
from domain import vocabulary
from domain.errors import LedgerError, NotPermitted, StaleVersion
from domain.events import Event

router = APIRouter(route_class=PageRoute, include_in_schema=False)
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _allowed(who: Visitor, event_type: str | None) -> str | None:
    codes = dict(forms.event_types_for(who.role))
    if not codes:
        raise NotPermitted("read only", rule="role_may_record")
    if event_type and event_type not in codes:
        raise NotPermitted("Din roll får inte registrera den händelsen.", rule="role_may_record")
    return event_type or None


def _form_page(request: Request, app: Services, who: Visitor, ref: str, event_type: str | None, *,
               values: dict[str, Any], version: int | None = None, status: int = 200,
               **context: Any) -> Response:
    detail = app.reads.contract(ref, as_of=settings.today())
    entries = app.reads.events(ref, limit=100_000)
    version = version if version is not None else detail.version
    fields = forms.widgets(event_type, values, party=who.role if who.role in ("bestallare", "utforare")
                           else None, entries=entries, terms=detail.terms) if event_type else []
    context.setdefault("errors", {})
    return page(request, "record.html", title=f"Registrera händelse: {detail.title}", status=status,
                ref=ref, contract=detail, event_type=event_type, types=forms.event_types_for(who.role),
                fields=fields, all_fields=forms.flatten(fields), version=version, **context)


def _record(app: Services, who: Visitor, ref: str, event: Event, version: int, *,
            idempotency_key: str | None = None, dry_run: bool = False) -> RecordOutcome:
    """The API's POST /contracts/{ref}/events with If-Match: the page's version."""
    assert who.actor is not None
    return record(app, who.actor, ref, event, expected=version,
                  idempotency_key=idempotency_key, dry_run=dry_run)[0]


@router.get("/avtal/{ref}/registrera", response_class=HTMLResponse)
def record_form(request: Request, ref: str) -> Response:
    """Choose an event type, then its form."""
    who = signed_in(request)
    ref = known_ref(ref)
    event_type = _allowed(who, request.query_params.get("typ"))
    # A link may fill in fields (e.g. which proposal to accept); the person still reviews them.
    fields = forms.EVENT_CLASSES[event_type].model_fields if event_type else {}
    values = {k: v for k, v in request.query_params.items() if k in fields and k != "type"}
    return _form_page(request, services(request), who, ref, event_type, values=values)


@router.post("/avtal/{ref}/registrera", response_class=HTMLResponse)
async def record_submit(request: Request, ref: str) -> Response:
    """Förhandsgranska or Spara the form."""
    who = signed_in(request)
    form = await checked_form(request)
    ref = known_ref(ref)
    event_type = _allowed(who, str(form.get("typ") or ""))
    if event_type is None:
        raise PageError("Välj vilken händelse du vill registrera.", rule="event_type")
    app = services(request)
    version_text = str(form.get("version", ""))
    if not version_text.isdigit():
        raise PageError("Formuläret saknar avtalets version. Öppna formuläret igen.", rule="if_match_version")
    version = int(version_text)
    values = {k: v for k, v in form.items()
              if k not in ("csrf", "typ", "version", "atgard", "granskat", "nyckel")}
    event, errors = forms.validate(event_type, form)
    if event is None:
        return _form_page(request, app, who, ref, event_type, values=values, version=version,
                          status=422, errors=errors)
    assert who.actor is not None
    saving = form.get("atgard") == "spara"
    changed = saving and form.get("granskat") != forms.fingerprint(event)
    try:
        if saving and not changed:
            # The preview's key: a second click on Spara (or a resent form) is the first answer.
            key = str(form.get("nyckel") or "")
            saved = _record(app, who, ref, event, version,
                            idempotency_key=f"web-{key}" if _KEY.fullmatch(key) else None)
            return RedirectResponse(f"/avtal/{ref}?sparad={saved.seq}#post-{saved.seq}",
                                    status_code=303)
        preview = _record(app, who, ref, event, version, dry_run=True)
    except StaleVersion:
        current = app.reads.contract(ref, as_of=settings.today()).version
        meanwhile = app.reads.events(ref, after=version, limit=1000)
        return _form_page(request, app, who, ref, event_type, values=values, version=current,
                          status=409, conflict={"was": version, "now": current, "entries": meanwhile})
    except LedgerError as error:
        message = forms.LEDGER_RULES.get(error.rule) or vocabulary.problem(error.rule, field=error.field)
        field = error.field if error.field in {w for w in forms.EVENT_CLASSES[event_type].model_fields} \
            else None
        return _form_page(request, app, who, ref, event_type, values=values, version=version,
                          status=error.status, errors={field: message} if field else {},
                          refusal=None if field else f"{message} (regel: {error.rule})")
    return _form_page(request, app, who, ref, event_type, values=values, version=version,
                      preview=preview, previewed=forms.fingerprint(event), changed=changed,
                      key=secrets.token_urlsafe(18))
