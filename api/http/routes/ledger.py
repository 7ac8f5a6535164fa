"""Health, and the whole ledger's verification and signed checkpoint."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.http.deps import App, Caller
from api.http.problems import responses
from api.http.schemas import Checkpoint, Health, Verification

router = APIRouter(tags=["ledger"])


@router.get("/health", response_model=Health)
def health() -> Health:
    """Liveness; needs no token."""
    return Health()


@router.get("/ledger/verify", response_model=Verification, responses=responses(401, 422))
def verify(app: App, _actor: Caller, read_models: Annotated[bool, Query(
        description="Also check the read models and snapshots against the entries")] = False,
           ) -> Verification:
    """Recompute every hash link; on failure name the first bad entry. With ``read_models``
    also judge every contract again and compare what the API serves, and the snapshots."""
    from domain.verification import verify_application

    body = verify_application(app.ledger).as_dict()
    if read_models and body["ok"]:
        from projections.audit import verify_read_models

        models = verify_read_models(app.reads.view, app.ledger).as_dict()
        body = {**body, "ok": models["ok"], "read_models": models}
    return Verification.model_validate(body)


@router.get("/ledger/checkpoint", response_model=Checkpoint, responses=responses(401, 409))
def checkpoint(app: App, _actor: Caller) -> Checkpoint:
    """The ledger head signed with the ledger's Ed25519 key."""
    from api.checkpoints import ledger_checkpoint

    return Checkpoint.model_validate(ledger_checkpoint(app.ledger))
