"""Avtal: one contract as of a day and as known at an instant; Tidsresa; the dispute dossier."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api import settings
from api.http import dossier as dossiers
from api.http.deps import Services, known_ref
from api.web.common import PageError, PageRoute, page, parse_day, parse_instant, services, signed_in
from domain import legal, vocabulary
from domain.contract import Entry
from domain.errors import LedgerError, UnknownEntry
from domain.terms import Terms

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def contract_view(app: Services, ref: str, *, as_of: date, known_at: datetime | None) -> dict[str, Any]:
    """Everything the contract page shows, from the read models (as the API's reads give it)."""
    reads = app.reads
    detail = reads.contract(ref, as_of=as_of, known_at=known_at)
    entries = reads.events(ref, known_at=known_at, limit=100_000)
    corrections = {e.data["entry_seq"]: e.seq for e in entries if e.type == "EntryCorrected"}
    first_year = detail.in_force_from.year
    years = range(max(first_year, as_of.year - 6), as_of.year + 1)
    compensation = [reads.compensation(ref, year=y, as_of=as_of, known_at=known_at) for y in years]
    billing = reads.billing(ref, year=as_of.year, as_of=as_of, known_at=known_at) \
        if detail.terms.get("billing") else None
    this_month = reads.billing_month(ref, month=f"{as_of:%Y-%m}", as_of=as_of, known_at=known_at) \
        if billing else None
    terms = Terms.model_validate(detail.terms)
    return {
        "ref": ref, "contract": detail, "terms": terms_view(detail.terms),
        "notice": reads.notice(ref, as_of=as_of, known_at=known_at),
        "obligations": reads.obligations(ref, as_of=as_of, known_at=known_at),
        "deviations": reads.deviations(ref, as_of=as_of, known_at=known_at),
        "compensation": list(reversed(compensation)), "billing": billing,
        "billing_month": this_month[1] if this_month else None,
        # The API's disputes read (GET /contracts/{ref}/disputes): status and laglighetsprövning.
        "disputes": dossiers.disputes(reads.entries_of(ref, dossiers.DISPUTE_TYPES, known_at=known_at),
                                      today=as_of),
        "entries": entries, "corrections": corrections,
        "acceptances": reads.acceptances(ref, known_at=known_at),
        "legal_basis": legal.legal_basis(terms, stale_only=True),
        "internal_agreement": legal.internal_agreement(terms),
        "not_held": legal.incorporated_documents(terms),
        "as_of": as_of, "known_at": known_at,
    }


def terms_view(terms: dict[str, Any]) -> list[dict[str, Any]]:
    """Each clause in force: its fields and every citation inside it (main one first)."""
    found = []
    for key, clause in terms.items():
        if not isinstance(clause, dict):
            continue
        citations = [c for c in _citations(clause)]
        fields = {k: v for k, v in clause.items() if not _is_citation(v) and k != "citation"
                  and not k.endswith("_citation")}
        found.append({"key": key, "fields": fields, "citations": citations})
    return found


_MONEY_TERMS = frozenset({"amount", "person_damage", "property_damage", "pure_economic_loss_cap",
                          "visitor_fee"})


def term_value(key: str, value: Any) -> str:
    """A term's field as a person reads it: money as money, codes by their Swedish name."""
    if key in _MONEY_TERMS and value is not None:
        return vocabulary.money(value)
    if key.endswith("year") and isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a year has no thousands space
    if isinstance(value, str) and vocabulary.label("term", value) != value:
        return vocabulary.label("term", value)
    if isinstance(value, dict):
        return "; ".join(f"{vocabulary.label('term', k)}: {term_value(k, v)}" for k, v in value.items()
                         if v is not None and not _is_citation(v) and not isinstance(v, dict | list)
                         ) if key != "units" else vocabulary.value("fte_allocation", value)
    return vocabulary.value(key, value)


def _is_citation(value: Any) -> bool:
    return isinstance(value, dict) and {"section", "quote"} <= set(value)


def _citations(value: Any) -> list[dict[str, Any]]:
    if _is_citation(value):
        return [value]
    if isinstance(value, dict):
        return [c for item in value.values() for c in _citations(item)]
    if isinstance(value, list):
        return [c for item in value for c in _citations(item)]
    return []


def _when(request: Request, errors: dict[str, str], prefix: str = "") -> tuple[date, datetime | None]:
    params = request.query_params
    as_of = parse_day(params.get(f"{prefix}as_of"), f"{prefix}as_of", errors) or settings.today()
    known_at = parse_instant(params.get(f"{prefix}known_at"), f"{prefix}known_at", errors)
    return as_of, known_at


@router.get("/avtal/{ref}", response_class=HTMLResponse)
def contract_page(request: Request, ref: str) -> Response:
    """Avtal: terms, obligations, deviations, notice, compensation, disputes, timeline."""
    signed_in(request)
    errors: dict[str, str] = {}
    as_of, known_at = _when(request, errors)
    view = contract_view(services(request), known_ref(ref), as_of=as_of, known_at=known_at)
    title = view["contract"].title
    return page(request, "contract.html", title=title, errors=errors, term_value=term_value,
                replayed=as_of != settings.today() or known_at is not None, **view)


@router.get("/avtal/{ref}/tidsresa", response_class=HTMLResponse)
def time_travel(request: Request, ref: str) -> Response:
    """Tidsresa: replay to a day and an instant, and compare two instants."""
    signed_in(request)
    app = services(request)
    ref = known_ref(ref)
    errors: dict[str, str] = {}
    params = request.query_params
    as_of = parse_day(params.get("as_of"), "as_of", errors) or settings.today()
    before = parse_instant(params.get("from"), "from", errors)
    after = parse_instant(params.get("to"), "to", errors)
    detail = app.reads.contract(ref, as_of=as_of)
    entries = app.reads.events(ref, limit=100_000)
    comparison = None
    if before and after and not errors:
        if after < before:
            before, after = after, before
        if before < entries[0].recorded_at:
            errors["from"] = (f"Avtalet registrerades först {entries[0].recorded_at:%Y-%m-%d %H:%M} "
                              "(UTC); välj en senare tidpunkt.")
        else:
            comparison = compare(app, ref, as_of=as_of, before=before, after=after, entries=entries)
    return page(request, "timetravel.html", title=f"Tidsresa: {detail.title}", ref=ref,
                contract=detail, entries=entries, as_of=as_of, before=before, after=after,
                comparison=comparison, errors=errors, params=params)


def compare(app: Services, ref: str, *, as_of: date, before: datetime, after: datetime,
            entries: list[Entry]) -> dict[str, Any]:
    """What the ledger said about ``as_of`` at two instants, what differs, and the entries between."""
    reads = app.reads

    def said(at: datetime) -> dict[str, Any]:
        return {"status": reads.contract(ref, as_of=as_of, known_at=at).status,
                "notice": reads.notice(ref, as_of=as_of, known_at=at),
                "obligations": {o.id: (o, s) for o, s in reads.obligations(ref, as_of=as_of, known_at=at)},
                "deviations": {(d.kind, d.since, d.seqs): (d, is_open)
                               for d, is_open in reads.deviations(ref, as_of=as_of, known_at=at)}}

    old, new = said(before), said(after)
    obligations = []
    for key in sorted(old["obligations"].keys() | new["obligations"].keys()):
        was, now = old["obligations"].get(key), new["obligations"].get(key)
        if was is None or now is None or was[1] != now[1]:
            obligation = (now or was)[0]  # type: ignore[index]
            obligations.append({"obligation": obligation, "was": was and was[1], "now": now and now[1]})
    deviations = []
    for key in old["deviations"].keys() | new["deviations"].keys():
        was, now = old["deviations"].get(key), new["deviations"].get(key)
        if was is None or now is None or was[1] != now[1]:
            deviations.append({"deviation": (now or was)[0],  # type: ignore[index]
                               "was": None if was is None else was[1],
                               "now": None if now is None else now[1]})
    between = [e for e in entries if before < e.recorded_at <= after]
    return {"old": old, "new": new, "obligations": obligations, "deviations": deviations,
            "between": between,
            "changed": bool(obligations or deviations or between or old["status"] != new["status"])}


@router.get("/avtal/{ref}/tvister/{seq}", response_class=HTMLResponse)
def dossier(request: Request, ref: str, seq: str) -> Response:
    """The dispute dossier for kommunstyrelsen (the API's, for a signed-in visitor); ?format=pdf."""
    signed_in(request)
    app = services(request)
    if not seq.isdigit() or not 1 <= int(seq) <= 2**31 - 1:
        raise PageError("Tvisten anges med sitt postnummer.", rule="dispute_exists")
    entries = app.ledger.entries(known_ref(ref))
    context = dossiers.dossier_context(entries, int(seq), today=settings.today(),
                                       checkpoint=_checkpoint(app),
                                       base_url=str(request.base_url).rstrip("/"))
    if context is None:
        raise UnknownEntry(f"entry {seq} of contract '{ref}' is not a DisputeRaised",
                           rule="dispute_exists")
    if request.query_params.get("format") == "pdf":
        return Response(dossiers.dossier_pdf(context), media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="dossier-{ref}-{seq}.pdf"'})
    return HTMLResponse(dossiers.dossier_html(context), headers={"Cache-Control": "no-store"})


def _checkpoint(app: Services) -> dict[str, Any] | None:
    """A signed checkpoint for the dossier's verification section, as the API's dossier has."""
    from api.checkpoints import ledger_checkpoint

    try:
        return ledger_checkpoint(app.ledger)
    except (LedgerError, OSError, ValueError):
        return None
