"""Contracts: list, register, and one contract with its terms in force."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from api.http.deps import App, AsOf, Caller, KnownAt, Ref, Registrar, as_of_or_today
from api.http.examples import contract_example
from api.http.faults import StorageUnavailable, WrittenButBehind, is_storage_error
from api.http.problems import responses
from api.http.schemas import ContractDetail, ContractList, LegalReferenceOut, Registered
from domain import legal
from domain.events import ContractRegistered
from domain.terms import Terms

router = APIRouter(tags=["contracts"], responses=responses(401))


@router.get("/contracts", response_model=ContractList)
def list_contracts(app: App, _actor: Caller) -> ContractList:
    """Every registered contract with its status and version."""
    return ContractList.model_validate({"contracts": app.reads.contracts()})


@router.post("/contracts", status_code=201, response_model=Registered,
             responses=responses(403, 409, 413, 422, 503))
def register_contract(
    app: App, actor: Registrar, response: Response,
    event: Annotated[ContractRegistered, Body(openapi_examples={
        "familjeradgivning": {"summary": "A contract with its terms and citations",
                              "value": contract_example()}})],
) -> Registered:
    """Register a contract (admin); its terms are data, each clause with its citation."""
    try:
        outcome = app.ledger.register(event, actor)
    except Exception as error:
        if is_storage_error(error):
            raise StorageUnavailable(error, written=False) from error
        raise
    try:
        app.read_your_write()
    except TimeoutError as error:
        raise WrittenButBehind(ref=outcome.ref, seq=outcome.seq, version=outcome.version,
                               cause=error) from None
    response.headers["Location"] = f"/contracts/{outcome.ref}"
    response.headers["ETag"] = f'"{outcome.version}"'
    return Registered(ref=outcome.ref, seq=outcome.seq, version=outcome.version)


@router.get("/contracts/{ref}", response_model=ContractDetail, responses=responses(404, 422))
def get_contract(app: App, _actor: Caller, ref: Ref, response: Response,
                 as_of: AsOf = None, known_at: KnownAt = None) -> ContractDetail:
    """The contract and the terms in force as of a date (as known at an instant)."""
    day = as_of_or_today(as_of)
    contract = app.reads.contract(ref, as_of=day, known_at=known_at)
    detail = ContractDetail.model_validate(contract)
    detail = detail.model_copy(update=frame_of(app, ref, detail.terms, day, known_at))
    response.headers["ETag"] = f'"{detail.version}"'
    return detail


def frame_of(app: App, ref: str, terms: Terms, day: date, known_at: datetime | None) -> dict[str, Any]:
    """The legal frame of the contract read (issue 12): parties as succeeded, what kind of
    agreement it is, the documents the ledger does not hold, the stale references."""
    entries = app.reads.entries_of(ref, frozenset({"PartySucceeded"}), known_at=known_at)
    corrected = {e.data["entry_seq"] for e in entries if e.type == "EntryCorrected"}
    successions = [e for e in entries if e.type == "PartySucceeded" and e.seq not in corrected]
    stale = [LegalReferenceOut(reference=v.reference, status=v.status, successor=v.successor,
                               since=v.since, checked_on=v.checked_on, note=v.note, stale=True,
                               clauses=v.clauses) for v in legal.legal_basis(terms, stale_only=True)]
    return {"parties": legal.parties_on(entries[0].data, successions, day),
            "frame": legal.internal_agreement(terms),
            "incorporated_documents": legal.incorporated_documents(terms),
            "stale_references": stale}
