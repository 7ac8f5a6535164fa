"""The legal frame: each contract's legal basis, stale references first (the disputes with their
laglighetsprövning window are listed beside their dossiers, routes/documents.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.http.deps import App, AsOf, Caller, KnownAt, Ref, as_of_or_today
from api.http.problems import responses
from api.http.schemas import LegalBasisOut, LegalReferenceOut
from domain import legal
from domain.terms import Terms

router = APIRouter(tags=["legal frame"], responses=responses(401, 422))


@router.get("/contracts/{ref}/legal-basis", response_model=LegalBasisOut, responses=responses(404))
def legal_basis(app: App, _actor: Caller, ref: Ref, as_of: AsOf = None, known_at: KnownAt = None,
                stale: Annotated[bool, Query(description="Only references that need a pass")] = False,
                ) -> LegalBasisOut:
    """The law, regulations and bodies the contract cites: status, successor, the clauses citing it."""
    contract = app.reads.contract(ref, as_of=as_of_or_today(as_of), known_at=known_at)
    terms = Terms.model_validate(contract.terms)
    return LegalBasisOut(ref=ref, references=[_out(view)
                                              for view in legal.legal_basis(terms, stale_only=stale)])


def _out(view: legal.LegalBasis) -> LegalReferenceOut:
    return LegalReferenceOut(reference=view.reference, status=view.status, successor=view.successor,
                             since=view.since, checked_on=view.checked_on, note=view.note,
                             stale=view.stale, clauses=view.clauses)
