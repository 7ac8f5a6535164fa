"""Health, and the whole ledger's verification and signed checkpoint."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.deps import App, Caller
from api.http.problems import responses
from api.http.schemas import Checkpoint, Health, Verification

router = APIRouter(tags=["ledger"])


@router.get("/health", response_model=Health)
def health() -> Health:
    """Liveness; needs no token."""
    return Health()


@router.get("/ledger/verify", response_model=Verification, responses=responses(401))
def verify(app: App, _actor: Caller) -> Verification:
    """Recompute every hash link; on failure name the first bad entry."""
    from domain.verification import verify_application

    return Verification.model_validate(verify_application(app.ledger).as_dict())


@router.get("/ledger/checkpoint", response_model=Checkpoint, responses=responses(401, 409))
def checkpoint(app: App, _actor: Caller) -> Checkpoint:
    """The ledger head signed with the ledger's Ed25519 key."""
    from api.checkpoints import ledger_checkpoint

    return Checkpoint.model_validate(ledger_checkpoint(app.ledger))
