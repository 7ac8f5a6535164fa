"""Drafts: a contract's text in, its proposed terms out, with citations; nothing is registered."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.http.deps import Registrar
from api.http.problems import PROBLEM_JSON, Problem, responses
from domain.errors import LedgerError

router = APIRouter(tags=["contracts"], responses=responses(401))

# A verksamhetsuppdrag is some tens of kilobytes; a megabyte is more than any.
MAX_TEXT_BYTES = 1_000_000


class TextTooLarge(LedgerError):
    status = 413
    title = "Body too large"
    rule = "body_size"


class UnsupportedText(LedgerError):
    status = 415
    title = "Unsupported media type"
    rule = "media_type"


class InvalidText(LedgerError):
    status = 422
    title = "Invalid text"
    rule = "text"


class NotFound(BaseModel):
    family: str = Field(description="The clause family looked for, e.g. 'termination'")
    finding: str = Field(description="In Swedish, e.g. 'ingen uppsägningstid angiven'")


class Unmodelled(BaseModel):
    family: str
    finding: str
    citation: dict[str, Any]
    references: list[str] | None = None


class DraftOut(BaseModel):
    body: dict[str, Any] = Field(description="The proposed ContractRegistered body (POST /contracts), "
                                             "every term with its section and verbatim quote")
    not_found: list[NotFound]
    unmodelled: list[Unmodelled] = Field(description="Clauses found that the terms model has no field for")
    problems: list[str] = Field(description="Why POST /contracts would refuse the body as it stands")


def _problems(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": Problem, "description": text,
                     "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for status, text in descriptions.items()}


@router.post("/contracts/drafts", response_model=DraftOut, response_model_exclude_none=True,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/plain": {"schema": {"type": "string"},
                                "example": "1.1 Tidsperiod\nUppsägningstiden är tolv månader. "
                                           "Uppsägning ska vara skriftlig.\n"}}}},
             responses={**_problems({413: "Text over 1 MB", 415: "Not text/plain"}),
                        **responses(403, 422)})
async def draft_contract(request: Request, _actor: Registrar, ref: str | None = None) -> DraftOut:
    """Propose a contract's terms from its Swedish text (admin); never registers anything."""
    from domain.drafting.reader import draft_contract as read

    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "text/plain":
        raise UnsupportedText(f"texten ska skickas som text/plain (UTF-8), inte {media or 'utan typ'}",
                              field="Content-Type")
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > MAX_TEXT_BYTES:
            raise TextTooLarge(f"texten är större än {MAX_TEXT_BYTES} byte", field="body")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidText("texten är inte UTF-8", field="body", rule="utf8") from None
    if not text.strip():
        raise InvalidText("texten är tom", field="body", rule="not_empty")
    if ref is not None and not ref.strip():
        raise InvalidText("ref får inte vara tom", field="ref", rule="not_empty")
    proposal = await run_in_threadpool(read, text, ref=ref)
    return DraftOut.model_validate(proposal.to_json())
