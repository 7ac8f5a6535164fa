"""Nytt avtal från text (admin): paste a contract's text, review the reader's proposed terms
beside the text with every quote marked, keep, change or drop each, preview, register (issue 17).

The form carries the text itself (a hidden field) and the person's choices; every post reads the
text again (the reader is deterministic) and applies the choices, so nothing of the draft lives
on the server between requests and no edit can be lost to a stale copy. Registrera goes through
``api.http.routes.contracts.register_contract``, the API's own POST /contracts (the same
``ContractRegistered`` validation and ``Ledger.register`` as ``ledger terms register``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.http.auth import REGISTERING_ROLES, require_role
from api.http.routes.contracts import register_contract
from api.http.routes.drafts import MAX_TEXT_BYTES
from api.web import draft_review as review
from api.web.common import PageRoute, checked_form, page, services, signed_in
from domain.drafting.reader import draft_contract
from domain.errors import LedgerError

router = APIRouter(route_class=PageRoute, include_in_schema=False)
TITLE = "Nytt avtal från text"
_REFUSALS = {"unique_ref": "Det finns redan ett avtal med den referensen. Välj en annan referens."}


def _admin(request: Request) -> None:
    who = signed_in(request)
    assert who.actor is not None
    require_role(who.actor, REGISTERING_ROLES, "register contracts")


@router.get("/utkast", response_class=HTMLResponse)
def paste_form(request: Request) -> Response:
    """The text and the new contract's reference."""
    _admin(request)
    return page(request, "utkast.html", title=TITLE, text="", ref="", errors={})


@router.post("/utkast", response_class=HTMLResponse)
async def review_draft(request: Request) -> Response:
    """Läs texten, Förhandsgranska the edited draft, or Registrera it."""
    _admin(request)
    form = await checked_form(request)
    text, ref = str(form.get("text") or ""), str(form.get("ref") or "").strip()
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "Klistra in avtalets text."
    elif len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        errors["text"] = f"Texten är större än {MAX_TEXT_BYTES:,} byte; klistra in ett avtal i taget." \
            .replace(",", " ")
    if errors:
        return page(request, "utkast.html", title=TITLE, status=422, text=text, ref=ref, errors=errors)
    draft = await run_in_threadpool(draft_contract, text, ref=ref or None)
    marked = review.marked_text(text, draft)
    families = review.rows_of(draft, marked.quote_ids)
    action = form.get("atgard")
    context: dict[str, Any] = {"text": text, "ref": ref or draft.description["ref"], "marked": marked,
                               "families": families, "draft": draft, "form": form}
    if action not in ("forhandsgranska", "registrera"):
        # A fresh reading: every row kept, nothing judged yet.
        return _review_page(request, context)
    choice_errors: dict[str, str] = {}
    body = review.edited(draft, families, form, choice_errors)
    event, problems = review.problems(body)
    status, refusal = 200, None
    if event is not None and not choice_errors and action == "registrera":
        app = services(request)
        who = signed_in(request)
        try:
            outcome = await run_in_threadpool(register_contract, app, who.actor, Response(), event)
        except LedgerError as error:
            status = error.status
            refusal = f"{_REFUSALS.get(error.rule, 'Liggaren vägrade registreringen.')} (regel: {error.rule})"
        else:
            return RedirectResponse(f"/avtal/{outcome.ref}?registrerat=1", status_code=303)
    if choice_errors or problems:
        status = 422
    return _review_page(request, context, status=status, errors=choice_errors, problems=problems,
                        previewed=True, refusal=refusal)


def _review_page(request: Request, context: dict[str, Any], *, status: int = 200,
                 errors: dict[str, str] | None = None, problems: dict[str, str] | None = None,
                 previewed: bool = False, refusal: str | None = None) -> Response:
    """The text and the rows; a problem is shown at its row, else in the summary ("loose")."""
    problems = problems or {}
    paths = {row.path for f in context["families"] for row in f.rows}
    row_errors = {p: m for p, m in {**problems, **(errors or {})}.items() if p in paths}
    loose = [(p, m) for p, m in problems.items() if p not in paths]
    return page(request, "utkast_granska.html", title=f"Granska utkast: {context['ref']}", status=status,
                row_errors=row_errors, loose=loose, ref_error=problems.get("description.ref"),
                previewed=previewed, refusal=refusal, family_name=review.family_name, **context)
